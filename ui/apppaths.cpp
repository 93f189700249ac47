#include "apppaths.h"

#include "pipeline/stages/scan.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace pixelperf {

QString samplesDir()
{
    QStringList candidates;
    const QString env = qEnvironmentVariable("PIXELPERF_SAMPLES_DIR");
    if (!env.isEmpty())
        candidates << env;
    if (QCoreApplication::instance())
        candidates << QDir(QCoreApplication::applicationDirPath())
                          .filePath(QStringLiteral("../share/pixelperf/samples"));
#ifdef PIXELPERF_SOURCE_SAMPLES_DIR
    candidates << QStringLiteral(PIXELPERF_SOURCE_SAMPLES_DIR);
#endif
    for (const QString &dir : std::as_const(candidates)) {
        const QFileInfo info(dir);
        if (info.isDir())
            return QDir::cleanPath(info.absoluteFilePath());
    }
    return {};
}

QString outputDirFor(const QString &inputDir)
{
    const QString input = QDir::cleanPath(QFileInfo(inputDir).absoluteFilePath());
    QString name = QFileInfo(input).fileName();
    if (name.isEmpty())
        name = QStringLiteral("root");
    const QString base = QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation))
                             .filePath(QStringLiteral("output"));
    QString out = QDir::cleanPath(QDir(base).filePath(name));
    // The input may itself live under our output folder (someone opened a
    // previous run's outputs): never write into it.
    for (int n = 2; out == input || out.startsWith(input + QLatin1Char('/')); ++n)
        out = QDir::cleanPath(QDir(base).filePath(QStringLiteral("%1-%2").arg(name).arg(n)));
    return out;
}

QString folderForPath(const QString &path, QString *problem)
{
    const QFileInfo info(path);
    if (!info.exists()) {
        if (problem)
            *problem = QCoreApplication::translate("pixelperf", "%1 does not exist").arg(path);
        return {};
    }
    if (info.isDir())
        return QDir::cleanPath(info.absoluteFilePath());
    if (imageExtensions().contains(info.suffix().toLower()))
        return QDir::cleanPath(info.absolutePath());
    if (problem)
        *problem = QCoreApplication::translate(
            "pixelperf", "%1 is neither a folder nor an image (.jpg .jpeg .png .bmp .gif .webp)")
                       .arg(info.fileName());
    return {};
}

InputChoice inputsForPaths(const QStringList &paths)
{
    InputChoice choice;
    QStringList folders;
    QStringList leftOut;
    for (const QString &path : paths) {
        QString problem;
        const QString folder = folderForPath(path, &problem);
        if (folder.isEmpty())
            leftOut << problem;
        else if (QFileInfo(path).isDir())
            folders << folder;
        else
            choice.files << QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    }
    if (!folders.isEmpty() && !choice.files.isEmpty()) {
        choice.files.clear();
        choice.problem = QCoreApplication::translate("pixelperf",
            "a folder and image files together: drop either one folder or image files (%1 is a folder)")
                             .arg(QFileInfo(folders.first()).fileName());
        return choice;
    }
    if (!folders.isEmpty())
        choice.folder = folders.first();
    choice.problem = leftOut.join(QStringLiteral("; "));
    return choice;
}

} // namespace pixelperf
