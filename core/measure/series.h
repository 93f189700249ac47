// The time series of a run, defined once: what the dashboard, the comparison
// and every report chart. Plain values from a run's records, so the rules
// below are tested without a window.
//
// - Memory: one point per memory sample (about every 20 ms), in MiB.
// - Throughput: images finished (ok or failed) per second over a trailing
//   window. An image finishes when its last stage span ends, so the rate
//   comes from the exact completion times, not from 20 ms samples.
// - CPU share: process CPU time over the same window, divided by the window
//   and by the run's workers (the same denominator as the summary's CPU
//   utilisation): 100 % means every worker busy all the time.
// - The window is a tenth of the run, at least 40 ms (two memory samples)
//   and at most 2 s; points come every tenth of a window from one window
//   after the start, so a 100 ms run and a ten-minute run both read as a
//   line and not as a square wave or a single dot.
#pragma once

#include "measure/runrecorder.h"

#include <QPointF>

#include <vector>

namespace pixelperf {

struct RunResult;

struct RunSeries {
    double windowSeconds = 0;
    std::vector<QPointF> rssMiB; // (seconds since start, MiB)
    std::vector<QPointF> pixelMiB; // live pixel buffers
    std::vector<QPointF> imagesPerSecond; // over the trailing window
    std::vector<QPointF> cpuPercent; // % of the workers, over the window
};

struct SeriesInput {
    const std::vector<MemorySample> *memory = nullptr;
    std::vector<double> completionSeconds; // one per finished image, any order
    int workers = 1;
    double runSeconds = 0; // the run so far (live) or its wall time
};

double rateWindowSeconds(double runSeconds);

// When each finished image (not cancelled) finished: the end of its last span,
// in seconds since the start. `images` may be a prefix of the run's (live).
std::vector<double> completionSeconds(
    const std::vector<StageSpan> &spans, const std::vector<ImageRecord> &images);

// The same completion times built as a run's records arrive (live), each
// record looked at once: a dashboard pulling five times a second does not
// go over every span of a 100,000-image run again. Kept in order.
class CompletionTimes
{
public:
    void addSpans(const std::vector<StageSpan> &spans);
    void addImages(const std::vector<ImageRecord> &images);
    const std::vector<double> &seconds() const { return m_done; }

private:
    void grow(size_t image);
    void place(double seconds);
    void unplace(double seconds);

    std::vector<int64_t> m_lastEndNs; // by image; -1: no span yet
    std::vector<char> m_finished; // by image: its record came
    std::vector<double> m_done; // sorted
};

RunSeries runSeries(SeriesInput input);
RunSeries runSeries(const RunResult &run);

} // namespace pixelperf
