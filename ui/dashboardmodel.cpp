#include "dashboardmodel.h"

#include <QThread>

#include <algorithm>

namespace pixelperf {

namespace {
constexpr double MiB = 1024.0 * 1024.0;
}

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

DashboardModel::DashboardModel(int logicalCores)
    : m_cores(logicalCores > 0 ? logicalCores : std::max(1, QThread::idealThreadCount()))
{ }

void DashboardModel::reset()
{
    *this = DashboardModel(m_cores);
}

void DashboardModel::addSnapshot(const ProfileSnapshot &snap)
{
    ++m_snapshots;
    m_elapsedNs = std::max(m_elapsedNs, snap.elapsedNs);
    m_lanes = std::max(m_lanes, snap.workers);
    for (const StageSpan &span : snap.spans) {
        m_totals.ms[size_t(span.stage)] += double(span.endNs - span.startNs) / 1e6;
        ++m_totals.count[size_t(span.stage)];
        m_lanes = std::max(m_lanes, span.worker + 1);
        m_elapsedNs = std::max(m_elapsedNs, span.endNs);
        m_spans.push_back(span);
    }
    for (const MemorySample &s : snap.memory)
        addMemorySample(s);

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

void DashboardModel::addMemorySample(const MemorySample &s)
{
    const double t = double(s.tNs) / 1e9;
    m_elapsedNs = std::max(m_elapsedNs, s.tNs);
    m_rss.emplace_back(t, double(s.rssBytes) / MiB);
    m_pixels.emplace_back(t, double(s.pixelBytesLive) / MiB);
    m_samples.push_back(s);

    // Rates over a trailing window, one point per step: the samples come
    // every ~20 ms, which is too fine to read as a rate.
    const size_t last = m_samples.size() - 1;
    while (m_windowStart < last && t - double(m_samples[m_windowStart + 1].tNs) / 1e9 >= RateWindowSeconds)
        ++m_windowStart;
    if (m_windowStart == last || (m_lastRateT >= 0 && t - m_lastRateT < RateStepSeconds))
        return;
    const MemorySample &from = m_samples[m_windowStart];
    const double dt = double(s.tNs - from.tNs) / 1e9;
    if (dt <= 0)
        return;
    m_lastRateT = t;
    m_throughput.emplace_back(t, double(s.imagesDone - from.imagesDone) / dt);
    m_cpu.emplace_back(t, 100.0 * double(s.cpuNs - from.cpuNs) / 1e9 / dt / double(m_cores));
}

void DashboardModel::loadResult(const RunResult &result)
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
    snap.spans = result.spans;
    snap.memory = result.memory;
    addSnapshot(snap);
}

} // namespace pixelperf
