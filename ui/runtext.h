// What the window says about a run, in words: the dashboard's title for a
// run going or finished, the status line when it ends, and how the run on
// show differs from the one it is compared with.
#pragma once

#include "measure/runresult.h"
#include "pipeline/pipelineconfig.h"
#include "pipeline/repeatedrun.h"

#include <QString>

#include <memory>
#include <vector>

namespace pixelperf {

struct RunEntry;

// "Run 3 · optimized · 4 worker(s) · 1.2 s", with the decode cache's share.
QString runTitle(int number, const QString &preset, const RunSummary &summary);
// The title while a run goes; `batch` is " (2 of 3)" or empty.
QString liveRunTitle(
    int number, const QString &batch, const PipelineConfig &config, const RepetitionProgress &progress);
// The progress bar's format for the run going.
QString liveProgressFormat(const RepetitionProgress &progress);
// The status line once a run has finished (`repetitionLabel`: which one was
// cancelled, when there were several).
QString runFinishedMessage(int number, const RunResult &result, const std::vector<RunResult> *repeats,
    const QString &repetitionLabel);

struct ComparisonLabel {
    QString label; // "run 2 (baseline, 3 toggles differ)"
    QString details; // the toggles that differ, one a line
};
// How the run on show (its toggles, when known) relates to `other`.
ComparisonLabel comparisonLabel(const RunEntry &other, const ToggleSet *shown, const QString &currentFolder);

} // namespace pixelperf
