// Writing a file so that no half-written version is ever seen under its name.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QTemporaryFile>

namespace pixelperf {

// A file written piece by piece (a report of 100,000 images, row by row)
// with the same promise: it appears under its name whole, at commit(), or not
// at all. The pieces go to a hidden temporary file beside `path` through a
// small buffer; a failure is kept and stops further writes, and the
// temporary file is removed unless commit() succeeded.
class AtomicFileWriter
{
public:
    // What is already at `path`:
    enum class Existing {
        Replace, // replaced, a symbolic link included (the pipeline's outputs)
        Keep, // never replaced (see writeFileNoReplace)
        // A path the user named (a report): a symbolic link is followed and
        // the file it leads to replaced; a device, pipe or socket
        // (/dev/stdout, a FIFO) has no file to replace and is written to
        // directly, as it goes.
        WriteThrough,
    };
    explicit AtomicFileWriter(QString path, Existing existing = Existing::Replace);
    ~AtomicFileWriter();
    AtomicFileWriter(const AtomicFileWriter &) = delete;
    AtomicFileWriter &operator=(const AtomicFileWriter &) = delete;

    void write(QByteArrayView bytes);
    // Renames the temporary file to `path`; false with error() set (and
    // *exists, when given, set if something at `path` was not replaced).
    bool commit(bool *exists = nullptr);
    // What went wrong, and where; empty while all is well.
    QString error() const { return m_error; }

private:
    static constexpr qsizetype BufferBytes = qsizetype(256) << 10;
    void flushBuffer();
    void writeOut(QByteArrayView bytes);

    const QString m_path;
    const Existing m_existing;
    QString m_target; // m_path, or where its symbolic link leads
    bool m_direct = false; // a device, pipe or socket: written to as it goes
    QTemporaryFile m_tmp;
    QFile m_file; // when m_direct
    QByteArray m_buffer;
    QString m_error;
};

// `base` + `tail` as a file name within NAME_MAX (255) bytes: `base` is
// cut, whole characters (never half a surrogate pair), the tail kept.
QString fittedFileName(QString base, const QString &tail);

// Where a write through `path` lands (AtomicFileWriter::Existing::
// WriteThrough).
struct WriteTarget {
    // `path` itself, or the file its chain of symbolic links leads to,
    // whether or not that file exists yet.
    QString path;
    // A device, a pipe or a socket, or a descriptor: written to as it goes.
    bool direct = false;
    // /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: this process's
    // open descriptor, written to where it stands (never reopened, which
    // would truncate a file the shell opened with >>).
    int descriptor = -1;
    // A folder, a chain of links that loops, a link the kernel will not
    // follow (another user's, in /tmp): why nothing may be written.
    QString error;
};
WriteTarget writeThroughTarget(const QString &path);

// A report the user named, written whole (writeFileAtomically through a
// symbolic link; directly into a device or pipe).
bool writeReportFile(const QString &path, const QByteArray &bytes, QString *error);

// Writes `bytes` to a hidden temporary file beside `path` and renames it over
// `path`. On any failure (disk full, file-size limit, no permission) the
// temporary file is removed and *error says what and where. No fsync: the
// rename makes the file appear whole; a batch of hundreds of outputs should
// not wait for the disk after each one.
bool writeFileAtomically(const QString &path, const QByteArray &bytes, QString *error);

// The same, but never replacing what is at `path`, whatever it is (a file, a
// symbolic link, dangling or not): false with *exists set when something is.
bool writeFileNoReplace(const QString &path, const QByteArray &bytes, QString *error, bool *exists);

// Moves `from` to `to` unless something (a dangling symbolic link included)
// is at `to`: rename without replacing, or a hard link and an unlink where
// the file system cannot do that. Never a copy, never through a link at
// `to`. False with errno set (EEXIST: something is there).
bool renameNoReplace(const QString &from, const QString &to);

} // namespace pixelperf
