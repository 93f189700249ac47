#include "pipeline/atomicfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryFile>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace pixelperf {

bool writeFileAtomically(const QString &path, const QByteArray &bytes, QString *error)
{
    const QFileInfo target(path);
    QTemporaryFile tmp(target.absoluteDir().filePath(QLatin1Char('.') + target.fileName()
                                                     + QStringLiteral(".XXXXXX.part")));
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
    tmp.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup
                       | QFileDevice::ReadOther);
    // rename(2) replaces an existing output atomically; QFile::rename would not.
    if (std::rename(QFile::encodeName(tmp.fileName()).constData(), QFile::encodeName(path).constData()) != 0) {
        *error = QStringLiteral("cannot complete %1 (renaming the temporary file failed): %2")
                         .arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    tmp.setAutoRemove(false);  // it is `path` now
    return true;
}

} // namespace pixelperf
