// The immutable record of one finished (or cancelled) run: what the report is
// written from and what the dashboard shows after the run.
#pragma once

#include "measure/runrecorder.h"
#include "pipeline/pipelineconfig.h"
#include "profiling/cpuprofile.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <algorithm>
#include <vector>

namespace pixelperf {

struct StageStats {
    Stage stage = Stage::Load;
    int count = 0;
    double totalMs = 0;
    double meanMs = 0;
    double medianMs = 0;
    double p95Ms = 0;
    double maxMs = 0;
    double cpuMs = 0;
    uint64_t pixelBytesAllocated = 0;
    uint64_t copies = 0;
};

struct RunSummary {
    int imagesTotal = 0;
    int imagesOk = 0;
    int imagesFailed = 0;
    int imagesCancelled = 0;
    double wallMs = 0;
    double cpuMs = 0;
    double cpuUtilisation = 0; // cpu / (wall * workers)
    double imagesPerSecond = 0;
    int64_t peakRssBytes = 0;
    int64_t peakPixelBytes = 0;
    int64_t bytesIn = 0;
    int64_t bytesOut = 0;
    int workers = 0;
    int directoryListings = 0;
    int imagesFromCache = 0; // loads served by the decode cache (no read, no decode)
    int64_t decodeCacheBytes = 0; // held by the decode cache when the run started (from its warm-ups):
                                  // in peakRssBytes, not in peakPixelBytes
    bool cancelled = false;

    // Per image: what speedups compare, so that runs of different folders
    // compare like with like. 0 when no image finished.
    double msPerImage() const { return imagesOk > 0 ? wallMs / imagesOk : 0; }
    // Peak RSS without the decode cache held from before the run.
    int64_t ownPeakRssBytes() const { return std::max<int64_t>(0, peakRssBytes - decodeCacheBytes); }
};

struct RunResult {
    PipelineConfig config;
    QDateTime startedAt;
    // The machine, the build, the time and the load average when it started
    // (environmentNow()), or as its report says; empty: not known.
    QJsonObject environment;
    // The process that measured it: repetitions in one process share its
    // memory layout and threads, so they sample nothing of how two
    // processes differ. 0: not known (a report from before it was kept).
    qint64 processId = 0;
    QString fatalError; // set when the run could not start or scan failed
    QStringList files;
    RunSummary summary;
    std::vector<StageStats> stages; // in pipeline order, stages that ran
    std::vector<StageSpan> spans;
    std::vector<ImageRecord> images; // one per file, in file order
    std::vector<MemorySample> memory;
    // The sampled call stacks (core/profiling); null when not sampled.
    std::shared_ptr<const CpuProfile> profile;

    bool ok() const { return fatalError.isEmpty(); }
};

// One sentence on the decode cache for every report: how many loads it
// served (those images were not read or decoded) and the memory it held
// from before the run. With the toggle on and nothing served, says so;
// empty when the toggle is off and the cache served and held nothing.
QString decodeCacheNote(const RunResult &run);

std::vector<StageStats> computeStageStats(const std::vector<StageSpan> &spans);

// The repetitions whose figures count in statistics: all but the cancelled
// (a repetition stopped part-way is kept and shown, but its wall time and
// stage totals are of a different, smaller run).
std::vector<const RunResult *> measuredRepetitions(const std::vector<RunResult> &repeats);

// The sampled call stacks of a report's runs: every measured repetition's
// merged when there are several, else the run's own; null when none was
// sampled.
std::shared_ptr<const CpuProfile> measuredProfile(
    const RunResult &run, const std::vector<RunResult> &repeats);

} // namespace pixelperf
