// Where the application finds and puts things on disk.
#pragma once

#include <QString>

namespace pixelperf {

// The bundled sample images: $PIXELPERF_SAMPLES_DIR, else
// <exe dir>/../share/pixelperf/samples (installed), else the source tree's
// resources/samples. Empty when none of them exists.
QString samplesDir();
// A run's output folder for an input folder:
// <AppLocalDataLocation>/output/<input folder name>, never inside the input.
QString outputDirFor(const QString &inputDir);
// What a drop (or a command-line argument) names: a folder, or the folder of
// an image file. Empty with *problem set when it is neither.
QString folderForPath(const QString &path, QString *problem);

} // namespace pixelperf
