// "What did each optimization buy?": start from the given configuration
// (normally `optimized`), turn each toggle that is on off in turn, measure,
// and attribute the speedup and the memory saving.
//
// Isolation: every measurement is its own process (IsolatedRun), so nothing
// one configuration leaves behind — decode cache, allocator high-water
// mark — reaches another's figures; it measures what a standalone
// `pixelperf-cli run` of that configuration measures. One discarded run
// first fills the OS page cache, so the first measurement is not the only
// one that reads from disk. With `warmups` > 0 every measured process first
// runs that many passes itself: then decode-cache is measured on a re-run
// (its warm-up fills the cache), like `run --warmup N`. Interleaving: the configurations run in rounds (A B C
// … A B C …), forward, reversed or shuffled, so that drift on a busy machine favours none; each
// configuration's figures are medians over the rounds.
//
// Attribution: a toggle's cost is how much longer per image (or larger, in
// the run's own peak RSS) the run is without it than with everything on; its
// share is that cost over the sum of all toggles' costs. Interactions between
// toggles are not separated. A cost within the noise (the rounds' spread) or
// under MinimumEffect is not claimed.
#pragma once

#include "measure/isolatedrun.h"
#include "measure/runresult.h"
#include "measure/statistics.h"
#include "pipeline/pipelineconfig.h"

#include <QJsonObject>
#include <QString>

#include <atomic>
#include <functional>
#include <vector>

namespace pixelperf {

struct AblationMeasure {
    Spread msPerImage; // wall ms per image over the rounds
    int64_t ownPeakRssBytes
        = 0; // median over the rounds: peak RSS without the decode cache held from the warm-up
    int64_t peakRssBytes = 0; // median, as the process saw it
    int64_t decodeCacheBytes = 0; // median: what the warm-up left in the decode cache
    int imagesFromCache = 0; // in the last round
    int images = 0;
    int rounds = 0; // measured (fewer than planned when cancelled)
};

struct AblationEntry {
    ToggleId toggle = ToggleId::Parallel;
    AblationMeasure without; // this toggle off
    Ratio slowdown; // per image, without / with everything on
    bool timeClaimed = false; // the difference is beyond the noise and MinimumEffect
    bool timeCostsToKeep = false; // turning it off made the run faster, beyond the noise
    bool memoryClaimed = false;
    double speedupShare = 0; // 0..1
    double memoryShare = 0; // 0..1
    QString sentence;
};

struct AblationResult {
    PipelineConfig config; // the starting point
    IsolationPlan plan;
    AblationMeasure all; // with every toggle of the starting point
    std::vector<AblationEntry> entries; // sorted by speedup share, largest first
    QString error; // a run could not start
    bool cancelled = false; // stopped: the entries hold what was measured
    int runsDone = 0;
    int runsPlanned = 0;
};

// progress(done, total, label) is called before each measurement; returning
// false stops. `cancel`, when set, also stops the measurement going.
// The configurations: 0 is the starting point, then one per toggle on in
// it, turned off; they run through runInterleaved.
AblationResult runAblation(const PipelineConfig &config, const IsolationPlan &plan,
    const std::function<bool(int, int, const QString &)> &progress = {},
    const std::atomic<bool> *cancel = nullptr, IsolatedRunner runner = {});

// A sentence (Markdown: `toggle` in backticks) as HTML, the toggle as code.
QString sentenceHtml(const QString &sentence);
// How the ablation measured and attributed, in one paragraph.
QString ablationMethod(const AblationResult &result);
QJsonObject ablationJson(const AblationResult &result);
QByteArray ablationMarkdown(const AblationResult &result);
QByteArray ablationHtml(const AblationResult &result);

} // namespace pixelperf
