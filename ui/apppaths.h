// Where the application finds and puts things on disk.
#pragma once

#include <QString>
#include <QStringList>

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

// What several dropped paths (or the window's arguments) name together: one
// folder (the first, when several are), or image files, which the run then
// takes exactly. A folder and image files together are refused (either one
// or the other is meant; the window does not guess).
struct InputChoice {
    QString folder;
    QStringList files; // absolute, in the order given
    // Nothing to open: why. Else the paths left out (neither a folder nor
    // an image), said why; empty when none were.
    QString problem;
};
InputChoice inputsForPaths(const QStringList &paths);

} // namespace pixelperf
