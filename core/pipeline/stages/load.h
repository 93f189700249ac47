// load: read and decode a file into the working RGB format, honouring EXIF
// orientation, refusing oversized images from their header.
#pragma once

#include "pipeline/pipelineconfig.h"
#include "pipeline/pixelbuffer.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace pixelperf {

// The bounds on one input's work, each refused with its reason (README,
// "Robustness"): a file is read whole (a JPEG above 16 MiB as it decodes,
// a chunk at a time), so one above this size is refused
// before reading (an image within the pixel budget is far smaller in every
// format read but a noise-filled 16-bit PNG)...
constexpr int64_t MaxInputBytes = int64_t(512) << 20;
// ...a progressive JPEG may have this many scans (each a pass over the whole
// image; encoders write about ten), and this many corrupt-data warnings.
constexpr int MaxJpegScans = 500;
constexpr int MaxJpegWarnings = 100;

struct DecodedImage {
    PixelBuffer pixels; // RGB, upright
    int sourceWidth = 0; // full-size, upright dimensions from the header
    int sourceHeight = 0;
    int scaleDenominator = 1; // 1, 2, 4 or 8 (shrink-on-load)
};

struct LoadRequest {
    int targetWidth = 0; // with shrinkOnLoad: decode no smaller than this
    int targetHeight = 0;
    ResizeMode mode = ResizeMode::Stretch;
    bool shrinkOnLoad = false;
    int64_t maxPixels = int64_t(100) * 1000 * 1000;
};

struct LoadResult {
    std::shared_ptr<const DecodedImage> image;
    int64_t bytesRead = 0;
    bool fromCache = false;
    QString error; // empty on success: a reason a person understands
};

// decode-cache: not at all, look up only, or look up and add what was decoded.
enum class DecodeCacheUse { None, ReadOnly, ReadWrite };

// Decode bytes already read (content decides the format, not the name).
LoadResult decodeImage(const QByteArray &bytes, const LoadRequest &request);
// Read `path` and decode it; with a cache, reuse a decode of the same file.
LoadResult loadImage(const QString &path, const LoadRequest &request, DecodeCacheUse cache);
inline LoadResult loadImage(const QString &path, const LoadRequest &request, bool useCache)
{
    return loadImage(path, request, useCache ? DecodeCacheUse::ReadWrite : DecodeCacheUse::None);
}

struct Schedule;
// The stage: what the run's parameters and schedule (`shrink-on-load`,
// `decode-cache`) ask of the loader.
// Before a run's first load: with decode-cache on, the cache's capacity.
void prepareLoadStage(const PipelineParams &params, const Schedule &schedule);
LoadResult loadStage(const QString &path, const PipelineParams &params, const Schedule &schedule);

// The largest DCT scale denominator (1, 2, 4, 8) that keeps the decoded image
// at least as large as the resize needs.
int shrinkDenominator(int srcWidth, int srcHeight, const LoadRequest &request);

// EXIF orientation (1..8) from an APP1 payload starting with "Exif\0\0".
int exifOrientation(const uint8_t *data, size_t size);
// The same from a TIFF header on (a PNG eXIf or WebP EXIF chunk's payload).
int tiffOrientation(const uint8_t *data, size_t size);
PixelBuffer orient(PixelBuffer src, int orientation);

} // namespace pixelperf
