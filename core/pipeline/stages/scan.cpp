#include "pipeline/stages/scan.h"

#include "pipeline/schedule.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <dirent.h>

namespace pixelperf {

const QStringList &imageExtensions()
{
    static const QStringList extensions = { QStringLiteral("jpg"), QStringLiteral("jpeg"),
        QStringLiteral("png"), QStringLiteral("bmp"), QStringLiteral("gif"), QStringLiteral("webp") };
    return extensions;
}

namespace {

// `excludeDir` is canonical; `path` is compared by its canonical spelling.
bool isExcluded(const QString &path, const QString &excludeDir)
{
    if (excludeDir.isEmpty())
        return false;
    const QString canonical = QFileInfo(path).canonicalFilePath();
    return canonical == excludeDir || canonical.startsWith(excludeDir + QLatin1Char('/'));
}

// A regular file (or a symlink to one), or a symlink whose target is missing
// (or a loop): listed so that the run reports it as a failed input rather
// than skipping it. Fifos, sockets and devices stay out.
bool isCandidate(const QFileInfo &info)
{
    return info.isFile() || (info.isSymLink() && !info.exists());
}

// Directories to look into: the folder itself, and its subfolders when
// recursive. Symlinked folders are not followed (no loops).
QStringList foldersOf(const QString &dir, bool recursive, const QString &excludeDir, int *listings)
{
    QStringList folders { dir };
    if (!recursive)
        return folders;
    QDirIterator it(dir, QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden, QDirIterator::Subdirectories);
    ++*listings;
    while (it.hasNext()) {
        const QFileInfo info = it.nextFileInfo();
        if (info.isSymLink() || isExcluded(info.absoluteFilePath(), excludeDir))
            continue;
        folders << info.absoluteFilePath();
    }
    return folders;
}

// Names that are not valid UTF-8 (bytes from another system's encoding):
// Qt's listing leaves them out, so they are found here, by their bytes, and
// listed with U+FFFD in place of the bad bytes. The load cannot open that
// spelling and says why (loadImage), so each is reported, not skipped.
// Hidden names (a leading '.') are skipped like Qt's listing skips them.
void appendUndecodable(const QString &folder, QStringList *files)
{
    DIR *dir = opendir(QFile::encodeName(folder).constData());
    if (!dir)
        return;
    while (const dirent *entry = readdir(dir)) {
        const QByteArray name(entry->d_name);
        if (name.startsWith('.') || name.isValidUtf8())
            continue;
        const qsizetype dot = name.lastIndexOf('.');
        if (dot > 0 && imageExtensions().contains(QString::fromLatin1(name.mid(dot + 1)).toLower()))
            files->append(folder + QLatin1Char('/') + QString::fromUtf8(name));
    }
    closedir(dir);
}

} // namespace

ScanResult scanSingle(const QString &dir, bool recursive, const QString &excludeDir)
{
    ScanResult result;
    QSet<QString> wanted;
    for (const QString &ext : imageExtensions())
        wanted.insert(ext);
    const QStringList folders = foldersOf(dir, recursive, excludeDir, &result.listings);
    for (const QString &folder : folders) {
        // QDir::System: Qt lists a dangling symlink only with it.
        QDirIterator it(folder, QDir::Files | QDir::System);
        ++result.listings;
        while (it.hasNext()) {
            const QFileInfo info = it.nextFileInfo();
            if (isCandidate(info) && wanted.contains(info.suffix().toLower()))
                result.files << info.absoluteFilePath();
        }
        appendUndecodable(folder, &result.files);
    }
    result.files.sort();
    return result;
}

ScanResult scanPerExtension(const QString &dir, bool recursive, const QString &excludeDir)
{
    ScanResult result;
    const QStringList folders = foldersOf(dir, recursive, excludeDir, &result.listings);
    for (const QString &folder : folders) {
        // The waste: the directory is read and every entry matched again,
        // once for each extension.
        for (const QString &ext : imageExtensions()) {
            const QDir d(folder);
            const QFileInfoList matches
                = d.entryInfoList({ QStringLiteral("*.") + ext }, QDir::Files | QDir::System, QDir::Name);
            ++result.listings;
            for (const QFileInfo &info : matches) {
                if (isCandidate(info) && info.suffix().compare(ext, Qt::CaseInsensitive) == 0)
                    result.files << info.absoluteFilePath();
            }
        }
        appendUndecodable(folder, &result.files);
    }
    result.files.sort();
    return result;
}

ScanResult scanImages(const QString &dir, bool recursive, const QString &excludeDir, bool singleScan)
{
    const QFileInfo info(dir);
    if (!info.exists()) {
        ScanResult r;
        r.error = QStringLiteral("input folder %1 does not exist").arg(dir);
        return r;
    }
    if (!info.isDir()) {
        ScanResult r;
        r.error = QStringLiteral("input %1 is not a folder").arg(dir);
        return r;
    }
    if (!info.isReadable() || !info.isExecutable()) {
        ScanResult r;
        r.error = QStringLiteral("input folder %1 cannot be read (permission denied)").arg(dir);
        return r;
    }
    // Canonical spellings on both sides: "out/", "./out" and a symlink to the
    // output folder all name the same folder, which is never scanned.
    const QString root = QDir::cleanPath(info.absoluteFilePath());
    QString exclude;
    if (!excludeDir.isEmpty()) {
        const QFileInfo out(QDir::cleanPath(QFileInfo(excludeDir).absoluteFilePath()));
        exclude = out.exists() ? out.canonicalFilePath() : out.absoluteFilePath();
    }
    return singleScan ? scanSingle(root, recursive, exclude) : scanPerExtension(root, recursive, exclude);
}

ScanResult scanFiles(const QStringList &files)
{
    ScanResult result;
    QSet<QString> seen;
    for (const QString &file : files) {
        const QString path = QDir::cleanPath(QFileInfo(file).absoluteFilePath());
        if (!seen.contains(path)) {
            seen.insert(path);
            result.files << path;
        }
    }
    return result;
}

ScanResult scanStage(const PipelineConfig &config, const Schedule &schedule)
{
    if (!config.inputFiles.isEmpty())
        return scanFiles(config.inputFiles);
    return scanImages(config.inputDir, config.params.recursive, config.outputDir, schedule.singleScan);
}

} // namespace pixelperf
