#include "measure/series.h"

#include "measure/runresult.h"

#include <algorithm>

namespace pixelperf {

namespace {

constexpr double MiB = 1024.0 * 1024.0;
constexpr double MinWindowSeconds = 0.04;
constexpr double MaxWindowSeconds = 2.0;
constexpr int StepsPerWindow = 10;

double seconds(int64_t ns)
{
    return double(ns) / 1e9;
}

// Process CPU seconds at `t`, linear between the memory samples around it.
class CpuClock
{
public:
    explicit CpuClock(const std::vector<MemorySample> &memory)
        : m_memory(memory)
    { }

    double at(double t) const
    {
        auto later = std::lower_bound(m_memory.begin(), m_memory.end(), t,
            [](const MemorySample &s, double v) { return seconds(s.tNs) < v; });
        if (later == m_memory.begin())
            return seconds(later->cpuNs);
        if (later == m_memory.end())
            return seconds(m_memory.back().cpuNs);
        const MemorySample &before = *(later - 1);
        const double t0 = seconds(before.tNs), t1 = seconds(later->tNs);
        const double f = t1 > t0 ? (t - t0) / (t1 - t0) : 1.0;
        return seconds(before.cpuNs) + f * (seconds(later->cpuNs) - seconds(before.cpuNs));
    }

private:
    const std::vector<MemorySample> &m_memory;
};

} // namespace

double rateWindowSeconds(double runSeconds)
{
    if (runSeconds <= 0)
        return 0;
    return std::min(runSeconds, std::clamp(runSeconds / 10, MinWindowSeconds, MaxWindowSeconds));
}

std::vector<double> completionSeconds(
    const std::vector<StageSpan> &spans, const std::vector<ImageRecord> &images)
{
    std::vector<int64_t> lastEndNs;
    for (const StageSpan &s : spans) {
        if (s.image() < 0)
            continue;
        if (size_t(s.image()) >= lastEndNs.size())
            lastEndNs.resize(size_t(s.image()) + 1, -1);
        lastEndNs[size_t(s.image())] = std::max(lastEndNs[size_t(s.image())], s.endNs());
    }
    std::vector<double> done;
    for (const ImageRecord &im : images)
        if (!im.cancelled && im.index >= 0 && size_t(im.index) < lastEndNs.size()
            && lastEndNs[size_t(im.index)] >= 0)
            done.push_back(seconds(lastEndNs[size_t(im.index)]));
    return done;
}

void CompletionTimes::addSpans(const std::vector<StageSpan> &spans)
{
    for (const StageSpan &s : spans) {
        if (s.image() < 0)
            continue;
        const size_t i = size_t(s.image());
        grow(i);
        if (s.endNs() <= m_lastEndNs[i])
            continue;
        // A record comes after its image's spans; should a span come after
        // it, the image finishes at that span's end instead.
        if (m_finished[i] && m_lastEndNs[i] >= 0)
            unplace(pixelperf::seconds(m_lastEndNs[i]));
        m_lastEndNs[i] = s.endNs();
        if (m_finished[i])
            place(pixelperf::seconds(s.endNs()));
    }
}

void CompletionTimes::addImages(const std::vector<ImageRecord> &images)
{
    for (const ImageRecord &im : images) {
        if (im.cancelled || im.index < 0)
            continue;
        const size_t i = size_t(im.index);
        grow(i);
        if (m_finished[i])
            continue;
        m_finished[i] = 1;
        if (m_lastEndNs[i] >= 0)
            place(pixelperf::seconds(m_lastEndNs[i]));
    }
}

void CompletionTimes::grow(size_t image)
{
    if (image >= m_lastEndNs.size()) {
        m_lastEndNs.resize(image + 1, -1);
        m_finished.resize(image + 1, 0);
    }
}

void CompletionTimes::place(double t)
{
    // Images finish nearly in order: the place is at or near the end.
    m_done.insert(std::upper_bound(m_done.begin(), m_done.end(), t), t);
}

void CompletionTimes::unplace(double t)
{
    const auto it = std::lower_bound(m_done.begin(), m_done.end(), t);
    if (it != m_done.end() && *it == t)
        m_done.erase(it);
}

RunSeries runSeries(SeriesInput input)
{
    static const std::vector<MemorySample> noMemory;
    const std::vector<MemorySample> &memory = input.memory ? *input.memory : noMemory;
    RunSeries out;
    for (const MemorySample &m : memory) {
        out.rssMiB.emplace_back(seconds(m.tNs), double(m.rssBytes) / MiB);
        out.pixelMiB.emplace_back(seconds(m.tNs), double(m.pixelBytesLive) / MiB);
    }
    const double window = rateWindowSeconds(input.runSeconds);
    out.windowSeconds = window;
    if (window <= 0)
        return out;
    std::vector<double> &done = input.completionSeconds;
    if (!std::is_sorted(done.begin(), done.end()))
        std::sort(done.begin(), done.end());
    const CpuClock cpu(memory);
    const double step = window / StepsPerWindow;
    const double workers = std::max(1, input.workers);
    size_t first = 0, last = 0; // completions in (t - window, t]
    for (int k = StepsPerWindow;; ++k) {
        // The last point sits on the end of the run, not a part-step before it.
        const double t = std::min(k * step, input.runSeconds);
        while (last < done.size() && done[last] <= t)
            ++last;
        while (first < last && done[first] <= t - window)
            ++first;
        out.imagesPerSecond.emplace_back(t, double(last - first) / window);
        if (!memory.empty())
            out.cpuPercent.emplace_back(t, 100.0 * (cpu.at(t) - cpu.at(t - window)) / window / workers);
        if (t >= input.runSeconds - 1e-12)
            break;
    }
    return out;
}

RunSeries runSeries(const RunResult &run)
{
    SeriesInput in;
    in.memory = &run.memory;
    in.completionSeconds = completionSeconds(run.spans, run.images);
    in.workers = run.summary.workers;
    in.runSeconds = run.summary.wallMs / 1000;
    return runSeries(std::move(in));
}

} // namespace pixelperf
