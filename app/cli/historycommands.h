// pixelperf-cli's run history (core/history): storing what run, ablate and
// compare measured, `pixelperf-cli history`, compare's run ids and labels,
// and compare's regression gate (--fail-if-slower, --fail-if-more-memory).
#pragma once

#include "cliparser.h"

#include "history/historyentry.h"
#include "reports/reportreader.h"

#include <utility>
#include <vector>

namespace pixelperf {

struct AblationResult;
struct RunComparison;

int commandHistory(const CliOptions &o);

// Unless --no-history: stores it, saying where on stdout (not --quiet). A
// database that cannot be used is named on stderr; the caller's exit code stays.
void storeRunInHistory(const CliOptions &o, const RunResult &last, const std::vector<RunResult> &repeats);
void storeAblationInHistory(const CliOptions &o, const AblationResult &result);
void storeComparisonInHistory(
    const CliOptions &o, const RunComparison &comparison, const HistorySource &a, const HistorySource &b);

// compare's side `index` (0: A, 1: B): a report file, or the id of a run of
// the history when no file has that name.
LoadedReport loadComparedSide(const CliOptions &o, int index, HistorySource *source);
// The sides' names: --label, else the file's base name or "run ID"; two
// equal names get " (A)" and " (B)".
std::pair<QString, QString> comparedLabels(const CliOptions &o);

// compare's exit code: 1 when a gate is given and B regressed past it by
// the comparison's own test (which stages, said on stderr); else 0.
int regressionGate(
    const CliOptions &o, const RunComparison &comparison, const LoadedReport &a, const LoadedReport &b);

} // namespace pixelperf
