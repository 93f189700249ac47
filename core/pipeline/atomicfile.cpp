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
#include <sys/stat.h>
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

} // namespace

QString writeThroughTarget(const QString &path, bool *direct, QString *error)
{
    *direct = false;
    const QByteArray encoded = QFile::encodeName(path);
    struct stat st {
    };
    if (::stat(encoded.constData(), &st) == 0) {
        // /dev/stdout and /proc/self/fd/1 lead to a terminal or a pipe,
        // which no rename can replace; nor should /dev/null become a file.
        if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
            *direct = true;
            return path;
        }
        struct stat link {
        };
        if (S_ISREG(st.st_mode) && ::lstat(encoded.constData(), &link) == 0 && S_ISLNK(link.st_mode))
            return QFileInfo(path).canonicalFilePath();
        return path;
    }
    // Nothing there yet, or a link to where nothing is yet: the file is
    // made where the last link leads.
    QString target = path;
    for (int hops = 0; QFileInfo(target).isSymLink(); ++hops) {
        if (hops == 40) {
            *error = QStringLiteral("cannot write %1: its symbolic links loop").arg(path);
            return {};
        }
        target = QFileInfo(target).symLinkTarget();
    }
    return target;
}

AtomicFileWriter::AtomicFileWriter(QString path, Existing existing)
    : m_path(std::move(path))
    , m_existing(existing)
    , m_target(m_path)
{
    if (m_existing == Existing::WriteThrough) {
        m_target = writeThroughTarget(m_path, &m_direct, &m_error);
        if (!m_error.isEmpty())
            return;
    }
    if (m_direct) {
        m_file.setFileName(m_target);
        if (!m_file.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
            m_error = QStringLiteral("cannot open %1: %2").arg(m_path, m_file.errorString());
        return;
    }
    m_tmp.setFileTemplate(temporaryNameFor(QFileInfo(m_target)));
    if (!m_tmp.open())
        m_error = QStringLiteral("cannot create %1: %2").arg(m_path, m_tmp.errorString());
}

AtomicFileWriter::~AtomicFileWriter() = default; // an uncommitted temporary file is removed

void AtomicFileWriter::write(QByteArrayView bytes)
{
    if (!m_error.isEmpty())
        return;
    // Large pieces go straight to the file; small ones are gathered first,
    // so that a report written row by row is not a system call per row.
    if (m_buffer.size() + bytes.size() > BufferBytes) {
        flushBuffer();
        if (bytes.size() >= BufferBytes) {
            writeOut(bytes);
            return;
        }
    }
    m_buffer.append(bytes);
}

void AtomicFileWriter::flushBuffer()
{
    writeOut(m_buffer);
    m_buffer.clear();
}

void AtomicFileWriter::writeOut(QByteArrayView bytes)
{
    // A short write sets no error in Qt; writing the rest does, so the reason
    // (disk full, file too large) reaches the message.
    QFileDevice &out = m_direct ? static_cast<QFileDevice &>(m_file) : m_tmp;
    for (qsizetype done = 0; m_error.isEmpty() && done < bytes.size();) {
        const qint64 n = out.write(bytes.constData() + done, bytes.size() - done);
        if (n <= 0)
            m_error = QStringLiteral("cannot write %1: %2").arg(m_path, out.errorString());
        else
            done += qsizetype(n);
    }
}

bool AtomicFileWriter::commit(bool *exists)
{
    if (m_error.isEmpty())
        flushBuffer();
    QFileDevice &out = m_direct ? static_cast<QFileDevice &>(m_file) : m_tmp;
    if (m_error.isEmpty() && !out.flush())
        m_error = QStringLiteral("cannot write %1: %2").arg(m_path, out.errorString());
    if (!m_error.isEmpty())
        return false;
    if (m_direct) {
        m_file.close();
        return true;
    }
    // QTemporaryFile creates 0600; outputs are ordinary files.
    m_tmp.setPermissions(
        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther);
    // rename(2) replaces an existing output atomically; QFile::rename would not.
    const bool moved = m_existing != Existing::Keep
        ? std::rename(
              QFile::encodeName(m_tmp.fileName()).constData(), QFile::encodeName(m_target).constData())
            == 0
        : renameNoReplace(m_tmp.fileName(), m_target);
    if (!moved) {
        if (exists)
            *exists = errno == EEXIST;
        m_error = QStringLiteral("cannot complete %1 (renaming the temporary file failed): %2")
                      .arg(m_path, errnoText());
        return false;
    }
    m_tmp.setAutoRemove(false); // it is the target now
    return true;
}

namespace {

bool writeFile(const QString &path, const QByteArray &bytes, QString *error,
    AtomicFileWriter::Existing existing, bool *exists)
{
    AtomicFileWriter file(path, existing);
    file.write(bytes);
    if (file.commit(exists))
        return true;
    *error = file.error();
    return false;
}

} // namespace

bool writeFileAtomically(const QString &path, const QByteArray &bytes, QString *error)
{
    return writeFile(path, bytes, error, AtomicFileWriter::Existing::Replace, nullptr);
}

bool writeReportFile(const QString &path, const QByteArray &bytes, QString *error)
{
    return writeFile(path, bytes, error, AtomicFileWriter::Existing::WriteThrough, nullptr);
}

bool writeFileNoReplace(const QString &path, const QByteArray &bytes, QString *error, bool *exists)
{
    *exists = false;
    return writeFile(path, bytes, error, AtomicFileWriter::Existing::Keep, exists);
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
