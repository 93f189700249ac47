#include "pipeline/pathsafety.h"

#include "pipeline/atomicfile.h"
#include "pipeline/pipelineconfig.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryFile>

#include <cerrno>
#include <cstring>

#include <sys/stat.h>

namespace pixelperf {

namespace {

bool statOf(const QString &path, struct stat *st)
{
    return ::stat(QFile::encodeName(path).constData(), st) == 0;
}

bool sameNode(const struct stat &a, const struct stat &b)
{
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

// The folder a path names a file in, spelt as given ("a/b/../c.json" gives
// "a/b/.."), so that the kernel, not a lexical clean-up, resolves it.
QString parentAsSpelt(const QString &path)
{
    const QString absolute
        = QDir::isAbsolutePath(path) ? path : QDir::currentPath() + QLatin1Char('/') + path;
    const qsizetype slash = absolute.lastIndexOf(QLatin1Char('/'));
    return slash <= 0 ? QStringLiteral("/") : absolute.left(slash);
}

} // namespace

QString makeFolder(const QString &path, const QString &what)
{
    if (QDir().mkpath(path) && QFileInfo(path).isDir())
        return {};
    // mkpath gives no reason: find the first part that is missing and try
    // it again for errno.
    QString missing = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    while (!QFileInfo::exists(QFileInfo(missing).path()) && QFileInfo(missing).path() != missing)
        missing = QFileInfo(missing).path();
    QString reason;
    if (QFileInfo(missing).exists() && !QFileInfo(missing).isDir())
        reason = QStringLiteral("%1 exists and is not a folder").arg(missing);
    else if (::mkdir(QFile::encodeName(missing).constData(), 0777) != 0)
        reason = QString::fromLocal8Bit(std::strerror(errno));
    else
        reason = QStringLiteral("it changed while it was being created");
    return QStringLiteral("cannot create %1 %2: %3").arg(what, path, reason);
}

QString makeFolderInside(const QString &path, const QString &root)
{
    const auto outside = [&] {
        return QStringLiteral("output folder %1 leads outside %2 (a symbolic link?): not written there")
            .arg(path, root);
    };
    // lstat: a link is a part that exists, followed by isInsideFolder.
    QString existing = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    struct stat st;
    while (::lstat(QFile::encodeName(existing).constData(), &st) != 0) {
        const QString parent = QFileInfo(existing).path();
        if (parent == existing)
            break;
        existing = parent;
    }
    if (!isInsideFolder(existing, root))
        return outside();
    if (!QDir().mkpath(path))
        return QStringLiteral("cannot create folder %1").arg(path);
    return isInsideFolder(path, root) ? QString() : outside();
}

void OutputFolders::setRoot(const QString &root)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_root = root;
    m_made.clear();
}

QString OutputFolders::make(const QString &dir)
{
    // Held while a folder is made: two workers never make or check one
    // folder at once, and once made it is only looked up.
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_made.contains(dir))
        return {};
    QString error;
    if (dir != m_root)
        error = makeFolderInside(dir, m_root);
    else if (!QDir().mkpath(dir))
        error = QStringLiteral("cannot create folder %1").arg(dir);
    if (error.isEmpty())
        m_made.insert(dir);
    return error;
}

void OutputFolders::forgetAll()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_made.clear();
}

bool sameFileOrFolder(const QString &a, const QString &b)
{
    struct stat sa, sb;
    return statOf(a, &sa) && statOf(b, &sb) && sameNode(sa, sb);
}

bool isInsideFolder(const QString &path, const QString &folder)
{
    struct stat target;
    if (!statOf(folder, &target))
        return false;
    // Up through "..": at the root, ".." is the root itself.
    QString at = path;
    struct stat previous {
    };
    for (int depth = 0; depth < 4096; ++depth) {
        struct stat st;
        if (!statOf(at, &st))
            return false;
        if (sameNode(st, target))
            return true;
        if (depth > 0 && sameNode(st, previous))
            return false;
        previous = st;
        at += QStringLiteral("/..");
    }
    return false;
}

namespace {

// The checks on one place a report lands, for one input folder: `place`,
// the path as named or the file its symbolic link leads to (`shown` names
// it in a message).
QString exportPlaceProblem(const QString &place, const QString &shown, const QString &inputDir,
    const QString &outputDir, bool recursive)
{
    const QString folder = parentAsSpelt(place);
    const QFileInfo info(folder);
    if (!info.exists())
        return QStringLiteral("cannot write %1: its folder %2 does not exist").arg(shown, folder);
    if (!info.isDir())
        return QStringLiteral("cannot write %1: %2 is not a folder").arg(shown, folder);
    if (QFileInfo(place).isDir())
        return QStringLiteral("cannot write %1: it is a folder").arg(shown);
    const bool amongInputs
        = recursive ? isInsideFolder(folder, inputDir) : sameFileOrFolder(folder, inputDir);
    if (amongInputs && !isInsideFolder(folder, outputDir))
        return QStringLiteral("%1 is inside the input folder %2; write reports elsewhere so inputs are "
                              "never overwritten")
            .arg(shown, inputDir);
    return {};
}

} // namespace

QString exportPathProblem(const QString &path, const PipelineConfig &config)
{
    if (path.isEmpty())
        return QStringLiteral("an empty path was given for a report");
    const WriteTarget t = writeThroughTarget(path);
    if (!t.error.isEmpty())
        return t.error;
    if (t.direct)
        return {}; // a device, a pipe, a descriptor (/dev/stdout): written to as it is
    // A symbolic link: the file it leads to is what is written, and must
    // pass the same checks.
    const QString shown = t.path == path ? path : QStringLiteral("%1 (a link to %2)").arg(path, t.path);
    const bool recursive = config.inputFiles.isEmpty() && config.params.recursive;
    for (const QString &folder : config.inputFolders()) {
        if (const QString problem = exportPlaceProblem(path, path, folder, config.outputDir, recursive);
            !problem.isEmpty())
            return problem;
        if (t.path == path)
            continue;
        if (const QString problem = exportPlaceProblem(t.path, shown, folder, config.outputDir, recursive);
            !problem.isEmpty())
            return problem;
    }
    // Permissions do not say it all (a read-only file system, root): a file
    // is made where the report will be, and removed.
    const QString folder = parentAsSpelt(t.path);
    QTemporaryFile probe(folder + QStringLiteral("/.pixelperf-write-test-XXXXXX"));
    if (!probe.open())
        return t.path == path ? QStringLiteral("cannot write %1: %2").arg(path, probe.errorString())
                              : QStringLiteral("cannot write %1 (a link to %2): its folder %3: %4")
                                    .arg(path, t.path, folder, probe.errorString());
    return {};
}

} // namespace pixelperf
