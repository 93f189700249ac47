// save: encode the RGB working buffer and write it atomically.
#pragma once

#include "pipeline/pipelineconfig.h"
#include "pipeline/pixelbuffer.h"

#include <QByteArray>
#include <QString>

namespace pixelperf {

struct Schedule;

struct SaveResult {
    int64_t bytesWritten = 0;
    QString error;
    bool existed = false; // KeepExisting: something was at the path, nothing written
};

// Replace: an existing file at the path is replaced (atomically).
// KeepExisting: it is kept, and the save fails with `existed` set.
enum class SaveMode { Replace, KeepExisting };

// JPEG straight from the RGB rows through libjpeg, no conversion.
QByteArray encodeJpeg(const PixelBuffer &rgb, int quality, QString *error);
// PNG (8-bit RGB, or RGBA for 4 channels) from the rows through libspng.
QByteArray encodePng(const PixelBuffer &pixels, QString *error);
// Format from the suffix (.jpg/.jpeg, .png, .bmp). Written to a temporary
// name beside the target and renamed, so no half-written file is ever seen.
SaveResult saveImage(
    const PixelBuffer &rgb, const QString &path, int quality, SaveMode mode = SaveMode::Replace);
// The stage: at the quality the schedule says (balanced-quality).
SaveResult saveStage(const PixelBuffer &rgb, const QString &path, const Schedule &schedule);

// `balanced-quality`: the choice. On, the quality parameter (80 unless
// given); off, the demo's wasteful 95.
int jpegQuality(const PipelineParams &params, bool balancedQuality);

} // namespace pixelperf
