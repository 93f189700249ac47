// The JSON report's summary of all repetitions, in the shape hyperfine's
// JSON export has (mean, stddev, median, min, max and every repetition's
// value), so that tools reading hyperfine results can read ours.
#pragma once

#include "measure/runresult.h"

#include <QJsonObject>

#include <vector>

namespace pixelperf {

// Over the measured repetitions (the cancelled are counted, not summarised);
// `repeats` empty: `last` alone.
QJsonObject repetitionsSummaryJson(const RunResult &last, const std::vector<RunResult> &repeats);

} // namespace pixelperf
