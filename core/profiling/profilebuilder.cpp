#include "profiling/profilebuilder.h"

#include <algorithm>
#include <unordered_map>

namespace pixelperf {

namespace {

// Each worker lane's spans in start order, for a binary search by time: as
// indices into the run's spans, counted first, so that a run of 800,000
// spans adds 3 MiB here (not twice as much in pointers, grown by doubling).
class SpanIndex
{
public:
    explicit SpanIndex(const std::vector<StageSpan> &spans)
        : m_spans(spans)
    {
        std::map<int, size_t> counts;
        for (const StageSpan &span : spans)
            if (span.worker() >= 0)
                ++counts[span.worker()];
        for (const auto &[worker, count] : counts)
            m_byWorker[worker].reserve(count);
        for (size_t i = 0; i < spans.size(); ++i)
            if (spans[i].worker() >= 0)
                m_byWorker[spans[i].worker()].push_back(uint32_t(i));
        for (auto &entry : m_byWorker)
            std::sort(entry.second.begin(), entry.second.end(),
                [&spans](uint32_t a, uint32_t b) { return spans[a].startNs() < spans[b].startNs(); });
    }

    // The span lane `worker` was in at `tNs`, or null.
    const StageSpan *at(int worker, int64_t tNs) const
    {
        const auto found = m_byWorker.find(worker);
        if (found == m_byWorker.end())
            return nullptr;
        const std::vector<uint32_t> &lane = found->second;
        auto it = std::upper_bound(lane.begin(), lane.end(), tNs,
            [this](int64_t t, uint32_t i) { return t < m_spans[i].startNs(); });
        if (it == lane.begin())
            return nullptr;
        const StageSpan *span = &m_spans[*(it - 1)];
        return tNs < span->endNs() ? span : nullptr;
    }

private:
    const std::vector<StageSpan> &m_spans;
    std::map<int, std::vector<uint32_t>> m_byWorker;
};

// One distinct raw stack, named once however many samples share it.
struct NamedStack {
    QString frames; // "outermost;…;innermost"
    int unknown = 0; // frames without a name
    bool leafNamed = false;
};

NamedStack nameStack(const std::vector<uint64_t> &ips, Symbolizer &symbolizer)
{
    NamedStack named;
    QStringList frames;
    for (size_t i = ips.size(); i-- > 0;) {
        const SymbolizedFrames &f = symbolizer.framesAt(codeAddress(ips, i));
        if (f.functions.empty()) {
            ++named.unknown;
            const QString unknown
                = f.module.isEmpty() ? unknownFrameName() : QStringLiteral("[unknown in %1]").arg(f.module);
            // A run of unknown frames (code without frame pointers, where the
            // walk reads data as frames) shows as one: its innermost.
            if (!frames.isEmpty() && frames.last().startsWith(unknownFrameName().chopped(1)))
                frames.last() = unknown;
            else
                frames << unknown;
            continue;
        }
        for (auto it = f.functions.rbegin(); it != f.functions.rend(); ++it)
            frames << *it;
        named.leafNamed = i == 0;
    }
    if (frames.isEmpty()) {
        ++named.unknown;
        frames << unknownFrameName();
    }
    named.frames = frames.join(QLatin1Char(';'));
    return named;
}

struct IpsHash {
    size_t operator()(const std::vector<uint64_t> &ips) const
    {
        size_t h = ips.size();
        for (uint64_t ip : ips)
            h = h * 1099511628211ull ^ size_t(ip);
        return h;
    }
};

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
    std::unordered_map<std::vector<uint64_t>, int, IpsHash> rawIds; // raw stack → index into `named`
    std::vector<NamedStack> named;
    std::unordered_map<QString, int> stackIds;
    std::map<std::pair<int, int>, int64_t> counts; // (stage, stack) → samples
    for (const RawSample &raw : reading.samples) {
        ProfileSample sample;
        sample.tNs = raw.timeNs - t0Ns;
        const auto lane = laneOfTid.find(raw.tid);
        sample.worker = lane == laneOfTid.end() ? -1 : lane->second;
        if (const StageSpan *span = index.at(sample.worker, sample.tNs)) {
            sample.stage = int(span->stage());
            sample.image = span->image();
        }
        const auto [rawIt, fresh] = rawIds.emplace(raw.ips, int(named.size()));
        if (fresh)
            named.push_back(nameStack(raw.ips, symbolizer));
        const NamedStack &stack = named[size_t(rawIt->second)];
        const auto [it, added] = stackIds.emplace(stack.frames, int(profile.stacks.size()));
        if (added)
            profile.stacks.push_back(stack.frames);
        sample.stack = it->second;
        sample.weight = raw.weight;
        profile.unknownFrames += stack.unknown;
        profile.symbolizedSamples += stack.leafNamed ? raw.weight : 0;
        profile.samples += raw.weight;
        counts[{ sample.stage, sample.stack }] += raw.weight;
        profile.timeline.push_back(sample);
    }
    for (const auto &[key, count] : counts) {
        const QString stage
            = key.first >= 0 ? QLatin1String(stageName(Stage(key.first))) : outsideStagesName();
        profile.folded[stage + QLatin1Char(';') + profile.stacks[size_t(key.second)]] += count;
    }
    std::stable_sort(profile.timeline.begin(), profile.timeline.end(),
        [](const ProfileSample &a, const ProfileSample &b) { return a.tNs < b.tNs; });
    return profile;
}

Symbolizer &processSymbolizer()
{
    static Symbolizer symbolizer;
    return symbolizer;
}

} // namespace pixelperf
