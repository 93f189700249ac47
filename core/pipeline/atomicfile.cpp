#include "pipeline/atomicfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryFile>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace pixelperf {

namespace {

// The temporary file's name: "." + the target's name + ".XXXXXX.part", cut
// so that it stays within a file name's 255 bytes (a target name of 232
// bytes or more would otherwise fail as "renaming the temporary file
// failed", the temporary file never having been created).
QString temporaryNameFor(const QFileInfo &target)
{
    constexpr int MaxNameBytes = NAME_MAX;
    const QString tail = QStringLiteral(".XXXXXX.part");
    QString stem = QLatin1Char('.') + target.fileName();
    while (!stem.isEmpty() && QFile::encodeName(stem + tail).size() > MaxNameBytes)
        stem.chop(stem.size() > 1 && stem.at(stem.size() - 1).isLowSurrogate() ? 2 : 1);
    return target.absoluteDir().filePath(stem + tail);
}

QString errnoText()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

enum class Replace { Yes, No };

bool writeFile(const QString &path, const QByteArray &bytes, QString *error, Replace replace, bool *exists)
{
    const QFileInfo target(path);
    QTemporaryFile tmp(temporaryNameFor(target));
    if (!tmp.open()) {
        *error = QStringLiteral("cannot create %1: %2").arg(path, tmp.errorString());
        return false;
    }
    // A short write sets no error in Qt; writing the rest does, so the reason
    // (disk full, file too large) reaches the message.
    for (qsizetype done = 0; done < bytes.size();) {
        const qint64 n = tmp.write(bytes.constData() + done, bytes.size() - done);
        if (n <= 0) {
            *error = QStringLiteral("cannot write %1: %2").arg(path, tmp.errorString());
            return false;
        }
        done += qsizetype(n);
    }
    if (!tmp.flush()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, tmp.errorString());
        return false;
    }
    // QTemporaryFile creates 0600; outputs are ordinary files.
    tmp.setPermissions(
        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther);
    // rename(2) replaces an existing output atomically; QFile::rename would not.
    const bool moved = replace == Replace::Yes
        ? std::rename(QFile::encodeName(tmp.fileName()).constData(), QFile::encodeName(path).constData()) == 0
        : renameNoReplace(tmp.fileName(), path);
    if (!moved) {
        if (exists)
            *exists = errno == EEXIST;
        *error = QStringLiteral("cannot complete %1 (renaming the temporary file failed): %2")
                     .arg(path, errnoText());
        return false;
    }
    tmp.setAutoRemove(false); // it is `path` now
    return true;
}

} // namespace

bool writeFileAtomically(const QString &path, const QByteArray &bytes, QString *error)
{
    return writeFile(path, bytes, error, Replace::Yes, nullptr);
}

bool writeFileNoReplace(const QString &path, const QByteArray &bytes, QString *error, bool *exists)
{
    *exists = false;
    return writeFile(path, bytes, error, Replace::No, exists);
}

bool renameNoReplace(const QString &from, const QString &to)
{
    const QByteArray src = QFile::encodeName(from);
    const QByteArray dst = QFile::encodeName(to);
#ifdef RENAME_NOREPLACE
    if (renameat2(AT_FDCWD, src.constData(), AT_FDCWD, dst.constData(), RENAME_NOREPLACE) == 0)
        return true;
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return false;
#endif
    // link(2) fails with EEXIST on anything at `dst` and never follows it.
    if (link(src.constData(), dst.constData()) != 0)
        return false;
    const int saved = errno;
    (void)unlink(src.constData()); // `dst` is whole whether or not this succeeds
    errno = saved;
    return true;
}

} // namespace pixelperf
