// The order in which a run's workers take its images. With several workers,
// the slowest start first (longest processing time first): a large or
// progressive JPEG taken last would end the run on one worker while the
// others wait. One worker takes them as listed (the order does not change
// its time, and a sequential run stays the listing's walk).
#pragma once

#include <QStringList>

#include <cstdint>
#include <vector>

namespace pixelperf {

// A rough decode cost of `path` from the start of the file only: a JPEG's
// pixels, five times over when progressive (every scan is a pass over the
// whole image: measured 43.7 ms against 8.2 ms median on photos); for other
// formats, or a header not read, the file's size (a compressed PNG is about
// a byte a pixel). Relative, for ordering only.
int64_t decodeCostHint(const QString &path);

// Indices into `files`: as listed for one worker; by decreasing cost hint
// (ties as listed) for several.
std::vector<int> workOrder(const QStringList &files, int workers);

} // namespace pixelperf
