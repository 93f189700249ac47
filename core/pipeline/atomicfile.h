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

} // namespace pixelperf
