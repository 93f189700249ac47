// "What did each optimization buy?": start from the given configuration
// (normally `optimized`), turn each toggle that is on off in turn, measure,
// and attribute the speedup and the memory saving.
//
// Attribution: a toggle's cost is how much longer (or larger) the run is
// without it than with everything on; its share is that cost over the sum of
// all toggles' costs. Interactions between toggles are not separated.
#pragma once

#include "pipelineconfig.h"
#include "runresult.h"
#include "statistics.h"

#include <QJsonObject>
#include <QString>

#include <functional>
#include <vector>

namespace pixelperf {

struct AblationEntry {
    ToggleId toggle = ToggleId::Parallel;
    Spread wallMs;              // without this toggle
    int64_t peakRssBytes = 0;   // without this toggle (median over repetitions)
    double slowdown = 1;        // median wall without / with everything
    double speedupShare = 0;    // 0..1
    double memoryShare = 0;     // 0..1
    QString sentence;
};

struct AblationResult {
    PipelineConfig config;      // the starting point
    Spread wallMs;              // with every toggle of the starting point
    int64_t peakRssBytes = 0;
    double imagesPerSecond = 0;
    int images = 0;
    std::vector<AblationEntry> entries;  // sorted by speedup share, largest first
    QString error;              // the run could not start
    bool cancelled = false;
};

// progress(done, total, label) is called before each run; returning false
// stops. Each configuration runs one discarded warm-up, then `repeat` times.
AblationResult runAblation(const PipelineConfig &config, int repeat,
                           const std::function<bool(int, int, const QString &)> &progress = {});

QJsonObject ablationJson(const AblationResult &result);
QByteArray ablationMarkdown(const AblationResult &result);
QByteArray ablationHtml(const AblationResult &result);

} // namespace pixelperf
