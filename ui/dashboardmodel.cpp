#include "dashboardmodel.h"

#include <algorithm>

namespace pixelperf {

double StageTotals::totalMs() const
{
    double sum = 0;
    for (double v : ms)
        sum += v;
    return sum;
}

double StageTotals::maxMs() const
{
    return *std::max_element(ms.begin(), ms.end());
}

StageTotals StageTotals::fromStats(const std::vector<StageStats> &stats)
{
    StageTotals t;
    for (const StageStats &s : stats) {
        t.ms[size_t(s.stage)] = s.totalMs;
        t.count[size_t(s.stage)] = s.count;
    }
    return t;
}

void SpanList::adopt(std::shared_ptr<const std::vector<StageSpan>> spans)
{
    m_adopted = std::move(spans);
    std::deque<StageSpan>().swap(m_arrived);
}

void DashboardModel::adoptSpans(const std::shared_ptr<const RunResult> &result)
{
    if (result)
        m_spans.adopt({ result, &result->spans });
}

void DashboardModel::reset()
{
    const int generation = m_generation;
    *this = DashboardModel();
    m_generation = generation + 1;
}

bool ImageBreakdown::isEmpty() const
{
    return std::all_of(stages.begin(), stages.end(), [](const StageCost &c) { return c.spans == 0; });
}

ImageBreakdown DashboardModel::imageBreakdown(int image) const
{
    ImageBreakdown b;
    b.image = image;
    for (const StageSpan &s : m_spans) {
        if (s.image() != image)
            continue;
        ImageBreakdown::StageCost &c = b.stages[size_t(s.stage())];
        ++c.spans;
        c.wallMs += double(s.durationNs()) / 1e6;
        c.cpuMs += double(s.cpuNs()) / 1e6;
        c.bytesAllocated += s.bytesAllocated();
        c.copies += s.copies();
    }
    return b;
}

void DashboardModel::addSnapshot(const ProfileSnapshot &snap)
{
    for (const StageSpan &span : snap.spans)
        m_spans.push_back(span);
    addFigures(snap, snap.spans);
}

void DashboardModel::addFigures(const ProfileSnapshot &snap, const std::vector<StageSpan> &spans)
{
    ++m_snapshots;
    m_elapsedNs = std::max(m_elapsedNs, snap.elapsedNs);
    m_lanes = std::max(m_lanes, snap.workers);
    m_workers = std::max(m_workers, snap.workers);
    for (const StageSpan &span : spans) {
        m_totals.ms[size_t(span.stage())] += double(span.durationNs()) / 1e6;
        ++m_totals.count[size_t(span.stage())];
        m_lanes = std::max(m_lanes, span.worker() + 1);
        m_elapsedNs = std::max(m_elapsedNs, span.endNs());
    }
    for (const MemorySample &s : snap.memory) {
        m_elapsedNs = std::max(m_elapsedNs, s.tNs);
        m_samples.push_back(s);
    }
    m_completions.addSpans(spans);
    m_completions.addImages(snap.images);
    SeriesInput in;
    in.memory = &m_samples;
    in.completionSeconds = m_completions.seconds();
    in.workers = m_workers;
    in.runSeconds = double(m_elapsedNs) / 1e9;
    m_series = runSeries(std::move(in));
    updateHeadline(snap);
}

void DashboardModel::updateHeadline(const ProfileSnapshot &snap)
{
    HeadlineFigures &h = m_headline;
    h.imagesTotal = snap.imagesTotal;
    h.imagesDone = snap.imagesDone;
    h.imagesFailed = snap.imagesFailed;
    h.elapsedSeconds = double(m_elapsedNs) / 1e9;
    h.imagesPerSecond = h.elapsedSeconds > 0 ? (h.imagesDone - h.imagesFailed) / h.elapsedSeconds : 0;
    h.rssBytes = snap.rssBytes;
    h.peakRssBytes = std::max(h.peakRssBytes, snap.peakRssBytes);
    h.peakPixelBytes = std::max(h.peakPixelBytes, snap.peakPixelBytes);
    h.finished = snap.finished;
    h.cancelled = snap.cancelled;
    const int remaining = h.imagesTotal - h.imagesDone;
    const double rate = h.elapsedSeconds > 0 ? h.imagesDone / h.elapsedSeconds : 0;
    h.etaSeconds = (h.finished || remaining <= 0 || rate <= 0) ? -1 : remaining / rate;
    if (h.finished && remaining <= 0)
        h.etaSeconds = 0;
}

void DashboardModel::loadResult(std::shared_ptr<const RunResult> result)
{
    if (!result) {
        reset();
        return;
    }
    const RunResult &run = *result;
    load(run, { std::move(result), &run.spans });
}

void DashboardModel::loadResult(const RunResult &result)
{
    load(result, std::make_shared<const std::vector<StageSpan>>(result.spans));
}

void DashboardModel::load(const RunResult &result, std::shared_ptr<const std::vector<StageSpan>> spans)
{
    reset();
    ProfileSnapshot snap;
    snap.elapsedNs = int64_t(result.summary.wallMs * 1e6);
    snap.imagesTotal = result.summary.imagesTotal;
    snap.imagesDone = result.summary.imagesOk + result.summary.imagesFailed;
    snap.imagesFailed = result.summary.imagesFailed;
    snap.workers = result.summary.workers;
    snap.finished = true;
    snap.cancelled = result.summary.cancelled;
    snap.peakRssBytes = result.summary.peakRssBytes;
    snap.peakPixelBytes = result.summary.peakPixelBytes;
    snap.rssBytes = result.memory.empty() ? 0 : result.memory.back().rssBytes;
    snap.images = result.images;
    snap.memory = result.memory;
    m_spans.adopt(spans);
    addFigures(snap, *spans);
}

} // namespace pixelperf
