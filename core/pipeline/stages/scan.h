// scan: list the image files of a folder (.jpg .jpeg .png .bmp .gif .webp, any
// letter case), optionally recursively, never entering the output folder. A
// dangling symlink named like an image is listed too, so the run reports it.
#pragma once

#include <QString>
#include <QStringList>

namespace pixelperf {

struct PipelineConfig;
struct Schedule;

struct ScanResult {
    QStringList files; // absolute paths, sorted
    QString error;
    int listings = 0; // directory listings made (what single-scan saves)
};

const QStringList &imageExtensions();
// toggle single-scan on: one listing filtered by a set of extensions.
ScanResult scanSingle(const QString &dir, bool recursive, const QString &excludeDir);
// toggle single-scan off: one full listing per extension (the demo's
// get_image_files).
ScanResult scanPerExtension(const QString &dir, bool recursive, const QString &excludeDir);
ScanResult scanImages(const QString &dir, bool recursive, const QString &excludeDir, bool singleScan);
// The stage: the run's input folder, without its output folder, as the
// schedule says (single-scan).
ScanResult scanStage(const PipelineConfig &config, const Schedule &schedule);

} // namespace pixelperf
