// The dashboard's data, without a window: it accumulates the incremental
// snapshots a RunRecorder hands out (or a finished RunResult, all at once)
// into what the charts draw. Plain values, so it is tested on its own.
#pragma once

#include "measure/runrecorder.h"
#include "measure/runresult.h"
#include "measure/series.h"

#include <QPointF>

#include <array>
#include <deque>
#include <memory>
#include <vector>

namespace pixelperf {

// Wall time per stage, summed over every span of the stage (image-ms, so
// with several workers the sum exceeds the run's wall time).
struct StageTotals {
    std::array<double, StageCount> ms {};
    std::array<int, StageCount> count {};

    double totalMs() const;
    double maxMs() const;
    static StageTotals fromStats(const std::vector<StageStats> &stats);
};

struct HeadlineFigures {
    int imagesDone = 0; // ok + failed
    int imagesTotal = 0; // 0 until the scan is over
    int imagesFailed = 0;
    double elapsedSeconds = 0;
    double imagesPerSecond = 0; // over the whole run so far
    int64_t rssBytes = 0;
    int64_t peakRssBytes = 0;
    int64_t peakPixelBytes = 0;
    double etaSeconds = -1; // < 0: unknown (nothing done yet, or over)
    bool finished = false;
    bool cancelled = false;
};

// What one image cost in each stage, summed over its spans (a stage that
// did not run for it has no spans).
struct ImageBreakdown {
    struct StageCost {
        int spans = 0;
        double wallMs = 0;
        double cpuMs = 0;
        uint64_t bytesAllocated = 0;
        uint32_t copies = 0;
    };
    int image = -1;
    std::array<StageCost, StageCount> stages {};
    bool isEmpty() const;
};

// The run's spans as they arrived: in blocks, so that the list grows
// without copying what it holds and without room for twice as many (a
// vector doubling to 800,000 spans of 48 bytes held 75 MiB at once). Once
// the run is over, its result's spans instead (adopt()): the same spans in
// the same order, so what indexed them stays true, held once, not twice.
class SpanList
{
public:
    class const_iterator
    {
    public:
        const StageSpan &operator*() const { return (*m_list)[m_at]; }
        const_iterator &operator++()
        {
            ++m_at;
            return *this;
        }
        bool operator!=(const const_iterator &other) const { return m_at != other.m_at; }

    private:
        friend class SpanList;
        const_iterator(const SpanList *list, size_t at)
            : m_list(list)
            , m_at(at)
        { }
        const SpanList *m_list;
        size_t m_at;
    };

    size_t size() const { return m_adopted ? m_adopted->size() : m_arrived.size(); }
    bool empty() const { return size() == 0; }
    const StageSpan &operator[](size_t i) const { return m_adopted ? (*m_adopted)[i] : m_arrived[i]; }
    const_iterator begin() const { return { this, 0 }; }
    const_iterator end() const { return { this, size() }; }
    // Before adopt() only.
    void push_back(const StageSpan &span) { m_arrived.push_back(span); }
    // `spans` (kept alive by their owner) in place of those that arrived:
    // the caller knows them to be the same spans in the same order (the
    // result of the run they arrived from), or none arrived (a run shown
    // whole). Nothing is compared: 800,000 spans would be, on the GUI thread.
    void adopt(std::shared_ptr<const std::vector<StageSpan>> spans);

private:
    std::deque<StageSpan> m_arrived;
    std::shared_ptr<const std::vector<StageSpan>> m_adopted;
};

class DashboardModel
{
public:
    void reset();
    void addSnapshot(const ProfileSnapshot &snapshot);
    // A finished run as one snapshot: what selecting a past run shows. Its
    // spans are read from `result` (kept alive here), not copied.
    void loadResult(std::shared_ptr<const RunResult> result);
    // The same for a result the caller does not share: its spans copied once.
    void loadResult(const RunResult &result);
    // The run followed live is over: its spans are read from `result` from
    // now on, and the copy that arrived is let go. Only for the result of
    // the run whose snapshots were added (RunController knows which it is).
    void adoptSpans(const std::shared_ptr<const RunResult> &result);
    bool isEmpty() const { return m_snapshots == 0; }
    // Goes up with every reset: what was read of spans() before is gone.
    int generation() const { return m_generation; }

    const StageTotals &stageTotals() const { return m_totals; }
    const SpanList &spans() const { return m_spans; }
    // Worker lanes seen so far; spans with worker -1 (scan) go on a lane of
    // their own above them.
    int laneCount() const { return m_lanes; }
    int64_t elapsedNs() const { return m_elapsedNs; }

    // The run's series as every report draws them (measure/series.h), over
    // the run so far: the rate window grows with the run.
    const std::vector<QPointF> &rssMiB() const { return m_series.rssMiB; }
    const std::vector<QPointF> &pixelMiB() const { return m_series.pixelMiB; }
    const std::vector<QPointF> &throughput() const { return m_series.imagesPerSecond; }
    const std::vector<QPointF> &cpuPercent() const { return m_series.cpuPercent; }
    double rateWindowSeconds() const { return m_series.windowSeconds; }

    HeadlineFigures headline() const { return m_headline; }
    // Image `image` (an index into the run's files), stage by stage.
    ImageBreakdown imageBreakdown(int image) const;

private:
    // The snapshot's figures, with `spans` as its spans (in m_spans already).
    void addFigures(const ProfileSnapshot &snapshot, const std::vector<StageSpan> &spans);
    void load(const RunResult &result, std::shared_ptr<const std::vector<StageSpan>> spans);
    void updateHeadline(const ProfileSnapshot &snapshot);

    int m_generation = 0;
    int m_snapshots = 0;
    int m_lanes = 0;
    int m_workers = 0;
    int64_t m_elapsedNs = 0;
    StageTotals m_totals;
    SpanList m_spans;
    std::vector<MemorySample> m_samples;
    CompletionTimes m_completions; // of the spans and image records, as they came
    RunSeries m_series;
    HeadlineFigures m_headline;
};

} // namespace pixelperf
