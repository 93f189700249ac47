#include "measure/runresult.h"

#include "reports/units.h"

#include <algorithm>
#include <cmath>

namespace pixelperf {

static double percentile(std::vector<double> sorted, double p)
{
    if (sorted.empty())
        return 0;
    // Nearest-rank on the sorted values, p in [0, 1].
    const size_t rank = size_t(std::ceil(p * double(sorted.size())));
    return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

QString decodeCacheNote(const RunResult &run)
{
    const RunSummary &s = run.summary;
    if (s.imagesFromCache == 0 && s.decodeCacheBytes == 0)
        return run.config.isOn(ToggleId::DecodeCache) ? QStringLiteral(
                   "decode cache: on, no image served from it (it serves re-runs: the warm-ups fill it)")
                                                      : QString();
    return QStringLiteral(
        "decode cache: %1 of %2 images served from it (not read or decoded; their load time is a "
        "cache lookup); it held %3 from the warm-ups, counted in peak RSS, not in pixel buffers")
        .arg(s.imagesFromCache)
        .arg(s.imagesTotal)
        .arg(mibText(double(s.decodeCacheBytes)));
}

std::vector<StageStats> computeStageStats(const std::vector<StageSpan> &spans)
{
    std::array<StageStats, StageCount> stats;
    for (const StageSpan &s : spans) {
        StageStats &st = stats[size_t(s.stage())];
        ++st.count;
        st.cpuMs += double(s.cpuNs()) / 1e6;
        st.pixelBytesAllocated += s.bytesAllocated();
        st.copies += s.copies();
    }
    // One stage's durations at a time: a run of 100,000 images holds one
    // vector of 100,000, not eight grown side by side.
    std::vector<StageStats> result;
    std::vector<double> d;
    for (int i = 0; i < StageCount; ++i) {
        StageStats st = stats[size_t(i)];
        if (st.count == 0)
            continue;
        d.clear();
        d.reserve(size_t(st.count));
        for (const StageSpan &s : spans)
            if (s.stage() == Stage(i))
                d.push_back(double(s.durationNs()) / 1e6);
        st.stage = Stage(i);
        std::sort(d.begin(), d.end());
        for (double v : d)
            st.totalMs += v;
        st.meanMs = st.totalMs / double(d.size());
        st.medianMs = d.size() % 2 ? d[d.size() / 2] : (d[d.size() / 2 - 1] + d[d.size() / 2]) / 2;
        st.p95Ms = percentile(d, 0.95);
        st.maxMs = d.back();
        result.push_back(st);
    }
    return result;
}

std::vector<const RunResult *> measuredRepetitions(const std::vector<RunResult> &repeats)
{
    std::vector<const RunResult *> measured;
    for (const RunResult &r : repeats)
        if (!r.summary.cancelled)
            measured.push_back(&r);
    return measured;
}

std::shared_ptr<const CpuProfile> measuredProfile(const RunResult &run, const std::vector<RunResult> &repeats)
{
    if (repeats.size() <= 1)
        return run.profile;
    std::vector<const CpuProfile *> profiles;
    for (const RunResult *r : measuredRepetitions(repeats))
        if (r->profile)
            profiles.push_back(r->profile.get());
    // A report read back keeps only the merged profile, on its run.
    if (profiles.empty())
        return run.profile;
    return std::make_shared<const CpuProfile>(mergeProfiles(profiles));
}

} // namespace pixelperf
