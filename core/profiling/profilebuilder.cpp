#include "profiling/profilebuilder.h"

#include <algorithm>
#include <unordered_map>

namespace pixelperf {

namespace {

// Each worker lane's spans in start order, for a binary search by time.
class SpanIndex
{
public:
    explicit SpanIndex(const std::vector<StageSpan> &spans)
    {
        for (const StageSpan &span : spans)
            if (span.worker >= 0)
                m_byWorker[span.worker].push_back(&span);
        for (auto &entry : m_byWorker)
            std::sort(entry.second.begin(), entry.second.end(),
                      [](const StageSpan *a, const StageSpan *b) { return a->startNs < b->startNs; });
    }

    // The span lane `worker` was in at `tNs`, or null.
    const StageSpan *at(int worker, int64_t tNs) const
    {
        const auto found = m_byWorker.find(worker);
        if (found == m_byWorker.end())
            return nullptr;
        const std::vector<const StageSpan *> &spans = found->second;
        auto it = std::upper_bound(spans.begin(), spans.end(), tNs,
                                   [](int64_t t, const StageSpan *s) { return t < s->startNs; });
        if (it == spans.begin())
            return nullptr;
        const StageSpan *span = *(it - 1);
        return tNs < span->endNs ? span : nullptr;
    }

private:
    std::map<int, std::vector<const StageSpan *>> m_byWorker;
};

// The frames of one sample, outermost first; counts what has no name.
QStringList nameFrames(const RawSample &sample, Symbolizer &symbolizer, CpuProfile &profile)
{
    QStringList frames;
    for (size_t i = sample.ips.size(); i-- > 0;) {
        // Past [0], return addresses: the call is the byte before.
        const SymbolizedFrames &named = symbolizer.framesAt(i == 0 ? sample.ips[i] : sample.ips[i] - 1);
        if (named.functions.empty()) {
            ++profile.unknownFrames;
            const QString unknown = named.module.isEmpty() ? unknownFrameName()
                                                           : QStringLiteral("[unknown in %1]").arg(named.module);
            // A run of unknown frames (code without frame pointers, where the
            // walk reads data as frames) shows as one: its innermost.
            if (!frames.isEmpty() && frames.last().startsWith(unknownFrameName().chopped(1)))
                frames.last() = unknown;
            else
                frames << unknown;
            continue;
        }
        for (auto it = named.functions.rbegin(); it != named.functions.rend(); ++it)
            frames << *it;
        if (i == 0)
            profile.symbolizedSamples += sample.weight;
    }
    if (frames.isEmpty()) {
        ++profile.unknownFrames;
        frames << unknownFrameName();
    }
    return frames;
}

} // namespace

CpuProfile buildProfile(const SamplerReading &reading, const std::vector<StageSpan> &spans,
                        const std::map<int, int> &laneOfTid, int64_t t0Ns, Symbolizer &symbolizer)
{
    CpuProfile profile;
    profile.method = reading.method;
    profile.note = reading.note;
    profile.rateHz = reading.method == SamplingMethod::Off ? 0 : reading.rateHz;
    profile.lostSamples = reading.lost;
    profile.runs = 1;
    const SpanIndex index(spans);
    std::unordered_map<QString, int> stackIds;
    for (const RawSample &raw : reading.samples) {
        ProfileSample sample;
        sample.tNs = raw.timeNs - t0Ns;
        const auto lane = laneOfTid.find(raw.tid);
        sample.worker = lane == laneOfTid.end() ? -1 : lane->second;
        if (const StageSpan *span = index.at(sample.worker, sample.tNs)) {
            sample.stage = int(span->stage);
            sample.image = span->image;
        }
        const QString stack = nameFrames(raw, symbolizer, profile).join(QLatin1Char(';'));
        const auto [it, added] = stackIds.emplace(stack, int(profile.stacks.size()));
        if (added)
            profile.stacks.push_back(stack);
        sample.stack = it->second;
        const QString stage = sample.stage >= 0 ? QLatin1String(stageName(Stage(sample.stage))) : outsideStagesName();
        sample.weight = raw.weight;
        profile.folded[stage + QLatin1Char(';') + stack] += raw.weight;
        profile.timeline.push_back(sample);
        profile.samples += raw.weight;
    }
    std::stable_sort(profile.timeline.begin(), profile.timeline.end(),
                     [](const ProfileSample &a, const ProfileSample &b) { return a.tNs < b.tNs; });
    return profile;
}

} // namespace pixelperf
