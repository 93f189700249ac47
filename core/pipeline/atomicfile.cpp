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

QString fittedFileName(QString base, const QString &tail)
{
    constexpr qsizetype MaxNameBytes = NAME_MAX;
    // Three bytes at most per UTF-16 unit: most names need no encoding.
    while (!base.isEmpty() && (base.size() + tail.size()) * 3 > MaxNameBytes
        && QFile::encodeName(base + tail).size() > MaxNameBytes)
        base.chop(base.size() > 1 && base.at(base.size() - 1).isLowSurrogate() ? 2 : 1);
    return base + tail;
}

namespace {

// The temporary file's name: "." + the target's name + ".XXXXXX.part", cut
// so that it stays within a file name's 255 bytes (a target name of 232
// bytes or more would otherwise fail as "renaming the temporary file
// failed", the temporary file never having been created).
QString temporaryNameFor(const QFileInfo &target)
{
    return target.absoluteDir().filePath(
        fittedFileName(QLatin1Char('.') + target.fileName(), QStringLiteral(".XXXXXX.part")));
}

QString errnoText(int error = errno)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

// The descriptor a path names without naming a file: /dev/stdout,
// /dev/stderr, /dev/fd/N, /proc/self/fd/N (this process's); -1 otherwise.
int descriptorNamedBy(const QString &path)
{
    if (path == QLatin1String("/dev/stdout"))
        return STDOUT_FILENO;
    if (path == QLatin1String("/dev/stderr"))
        return STDERR_FILENO;
    for (const QString &prefix : { QStringLiteral("/dev/fd/"), QStringLiteral("/proc/self/fd/"),
             QStringLiteral("/proc/%1/fd/").arg(::getpid()) }) {
        if (!path.startsWith(prefix))
            continue;
        bool ok = false;
        const int fd = path.mid(prefix.size()).toInt(&ok);
        return ok && fd >= 0 ? fd : -1;
    }
    return -1;
}

// A link someone else may have planted: in a sticky folder anyone may write
// to (/tmp), owned neither by this user nor by the folder's owner. The
// kernel refuses to follow those where fs.protected_symlinks is on; not
// every system has it on.
bool plantedLink(const QString &link)
{
    struct stat self {
    }, folder {};
    if (::lstat(QFile::encodeName(link).constData(), &self) != 0
        || ::stat(QFile::encodeName(QFileInfo(link).absolutePath()).constData(), &folder) != 0)
        return false;
    const bool shared = (folder.st_mode & S_ISVTX) && (folder.st_mode & S_IWOTH);
    return shared && self.st_uid != ::geteuid() && self.st_uid != folder.st_uid;
}

} // namespace

WriteTarget writeThroughTarget(const QString &path)
{
    WriteTarget t;
    t.path = path;
    // Through the links by hand, as far as a descriptor or a name without a
    // link: /dev/stdout is a link to /proc/self/fd/1, which leads to the
    // file the shell opened (`> out.txt`); renaming over that file would
    // replace what the shell is writing, so the descriptor itself is
    // written to, as a shell writes it.
    QString at = path;
    for (int hops = 0;; ++hops) {
        if (const int fd = descriptorNamedBy(at); fd >= 0) {
            t.descriptor = fd;
            t.direct = true;
            return t;
        }
        if (!QFileInfo(at).isSymLink())
            break;
        if (plantedLink(at)) {
            t.error = QStringLiteral("cannot write %1: %2 is another user's symbolic link in a folder anyone "
                                     "may write to; it is not followed")
                          .arg(path, at);
            return t;
        }
        if (hops == 40) {
            t.error = QStringLiteral("cannot write %1: its symbolic links loop").arg(path);
            return t;
        }
        at = QFileInfo(at).symLinkTarget();
    }
    struct stat st {
    };
    const QByteArray encoded = QFile::encodeName(path);
    const int statError = ::stat(encoded.constData(), &st) == 0 ? 0 : errno;
    if (statError == 0) {
        if (S_ISDIR(st.st_mode)) {
            t.error = QStringLiteral("cannot write %1: it is a folder").arg(path);
            return t;
        }
        // A terminal, a pipe, a device (/dev/null must not become a file):
        // no rename can replace them.
        t.direct = !S_ISREG(st.st_mode);
        t.path = t.direct ? path : QFileInfo(path).canonicalFilePath();
        return t;
    }
    // A link the kernel would not follow (another user's, in a sticky
    // folder such as /tmp) or cannot reach is not followed here either.
    if (statError != ENOENT) {
        t.error = QStringLiteral("cannot write %1: %2").arg(path, errnoText(statError));
        return t;
    }
    // Nothing there yet, or a link to where nothing is yet: the file is
    // made where the last link leads.
    t.path = at;
    return t;
}

AtomicFileWriter::AtomicFileWriter(QString path, Existing existing)
    : m_path(std::move(path))
    , m_existing(existing)
    , m_target(m_path)
{
    int descriptor = -1;
    if (m_existing == Existing::WriteThrough) {
        const WriteTarget t = writeThroughTarget(m_path);
        m_error = t.error;
        m_target = t.path;
        m_direct = t.direct;
        descriptor = t.descriptor;
        if (!m_error.isEmpty())
            return;
    }
    if (descriptor >= 0) {
        // After what this program printed there already.
        std::fflush(nullptr);
        const int own = ::fcntl(descriptor, F_DUPFD_CLOEXEC, 0);
        if (own < 0
            || !m_file.open(
                own, QIODevice::WriteOnly | QIODevice::Unbuffered, QFileDevice::AutoCloseHandle)) {
            m_error = QStringLiteral("cannot write %1: %2")
                          .arg(m_path, own < 0 ? errnoText() : m_file.errorString());
            if (own >= 0 && !m_file.isOpen())
                ::close(own);
        }
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
    // QTemporaryFile creates 0600; outputs are ordinary files. A report
    // that replaces a file keeps that file's permissions (a private one
    // stays private).
    struct stat replaced {
    };
    const bool keepsMode = m_existing == Existing::WriteThrough
        && ::stat(QFile::encodeName(m_target).constData(), &replaced) == 0 && S_ISREG(replaced.st_mode);
    if (keepsMode)
        (void)::fchmod(m_tmp.handle(), replaced.st_mode & 07777);
    else
        m_tmp.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup
            | QFileDevice::ReadOther);
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
