// scan: list the image files of a folder (.jpg .jpeg .png .bmp .gif .webp, any
// letter case), optionally recursively, never entering the output folder. A
// dangling symlink named like an image is listed too, so the run reports it.
// A run given its files (PipelineConfig::inputFiles) lists no folder: it
// takes those files as they are, and the load says why one cannot be used.
#pragma once

#include <QString>
#include <QStringList>

namespace pixelperf {

struct PipelineConfig;
struct Schedule;

struct ScanResult {
    QStringList files; // absolute paths, sorted (given files: in their order)
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
// Files given one by one: each once (by its absolute, cleaned path), in the
// order given, whatever its name or state (missing, not an image, a broken
// link: the load reports it as a failed image). No listing is made.
ScanResult scanFiles(const QStringList &files);
// The stage: the run's input files if it has them, else its input folder
// without its output folder, as the schedule says (single-scan).
ScanResult scanStage(const PipelineConfig &config, const Schedule &schedule);

} // namespace pixelperf
