// Writing a file so that no half-written version is ever seen under its name.
#pragma once

#include <QByteArray>
#include <QString>

namespace pixelperf {

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
