#include "timelineindex.h"

#include "dashboardmodel.h"

#include <algorithm>
#include <cmath>

namespace pixelperf {

size_t TimelineIndex::update(const DashboardModel *model)
{
    const SpanList *spans = model ? &model->spans() : nullptr;
    if (model != m_model || !model || model->generation() != m_generation || spans->size() < m_read) {
        m_model = model;
        m_generation = model ? model->generation() : -1;
        m_read = 0;
        m_lanes.clear();
    }
    const size_t first = m_read;
    if (!model)
        return first;
    m_lanes.resize(size_t(std::max(model->laneCount(), 1)) + 1);
    for (; m_read < spans->size(); ++m_read)
        add(uint32_t(m_read));
    return first;
}

void TimelineIndex::add(uint32_t index)
{
    const StageSpan &s = m_model->spans()[index];
    const size_t laneIndex = size_t(std::max(s.worker() + 1, 0));
    if (laneIndex >= m_lanes.size())
        m_lanes.resize(laneIndex + 1);
    Lane &lane = m_lanes[laneIndex];
    const auto &all = m_model->spans();
    // A worker's spans arrive in the order they ran; one that does not (the
    // run's own spans, recorded as they end) is put in its place.
    if (!lane.spans.empty() && all[lane.spans.back()].startNs() > s.startNs()) {
        const auto at = std::upper_bound(lane.spans.begin(), lane.spans.end(), s.startNs(),
            [&all](int64_t ns, uint32_t i) { return ns < all[i].startNs(); });
        lane.spans.insert(at, index);
        rebuildCheckpoints(lane);
        return;
    }
    if (lane.spans.size() % CheckpointEvery == 0)
        lane.checkpoints.push_back(lane.totals);
    lane.spans.push_back(index);
    lane.totals[size_t(s.stage())] += s.durationNs();
}

void TimelineIndex::rebuildCheckpoints(Lane &lane) const
{
    lane.checkpoints.clear();
    lane.totals = {};
    for (size_t k = 0; k < lane.spans.size(); ++k) {
        if (k % CheckpointEvery == 0)
            lane.checkpoints.push_back(lane.totals);
        const StageSpan &s = m_model->spans()[lane.spans[k]];
        lane.totals[size_t(s.stage())] += s.durationNs();
    }
}

TimelineIndex::Durations TimelineIndex::prefix(const Lane &lane, size_t k) const
{
    if (k >= lane.spans.size())
        return lane.totals;
    Durations sum = lane.checkpoints[k / CheckpointEvery];
    for (size_t i = k - k % CheckpointEvery; i < k; ++i) {
        const StageSpan &s = m_model->spans()[lane.spans[i]];
        sum[size_t(s.stage())] += s.durationNs();
    }
    return sum;
}

size_t TimelineIndex::firstStartingFrom(const Lane &lane, double ns) const
{
    const auto &all = m_model->spans();
    return size_t(std::lower_bound(lane.spans.begin(), lane.spans.end(), ns, [&all](uint32_t i, double t) {
        return double(all[i].startNs()) < t;
    }) - lane.spans.begin());
}

Stage TimelineIndex::dominantStage(const Lane &lane, size_t from, size_t to, double t0, double t1) const
{
    // Spans strictly inside [from, to) lie whole in the column: their time
    // from the running totals; the first and the last only for their part
    // in [t0, t1).
    const auto &all = m_model->spans();
    std::array<double, StageCount> covered {};
    if (to > from + 2) {
        const Durations a = prefix(lane, from + 1);
        const Durations b = prefix(lane, to - 1);
        for (size_t st = 0; st < size_t(StageCount); ++st)
            covered[st] = double(b[st] - a[st]);
    }
    for (size_t k : { from, to - 1 }) {
        const StageSpan &s = all[lane.spans[k]];
        covered[size_t(s.stage())]
            += std::max(0.0, std::min(double(s.endNs()), t1) - std::max(double(s.startNs()), t0));
        if (to == from + 1)
            break;
    }
    const Stage first = all[lane.spans[from]].stage();
    const auto best = std::max_element(covered.begin(), covered.end());
    return *best > 0 ? Stage(best - covered.begin()) : first;
}

std::vector<TimelineBlock> TimelineIndex::blocks(
    int laneIndex, double startNs, double nsPerPixel, double width) const
{
    std::vector<TimelineBlock> out;
    if (!m_model || laneIndex < 0 || laneIndex >= laneCount() || nsPerPixel <= 0)
        return out;
    const Lane &lane = m_lanes[size_t(laneIndex)];
    const auto &all = m_model->spans();
    const auto px = [&](int64_t ns) { return (double(ns) - startNs) / nsPerPixel; };
    size_t i = firstStartingFrom(lane, startNs);
    if (i > 0 && px(all[lane.spans[i - 1]].endNs()) > 0)
        --i;
    // Each block starts in a pixel column after the previous block's: at
    // most one block per column, however many spans the column holds.
    double cursor = 0;
    while (i < lane.spans.size()) {
        const StageSpan &s = all[lane.spans[i]];
        const double xs = std::max(px(s.startNs()), cursor);
        const double xe = std::min(px(s.endNs()), width);
        if (xs >= width)
            break;
        if (xe < xs) { // ended before the column the last block filled
            ++i;
            continue;
        }
        const double colEnd = std::floor(xs) + 1;
        const bool alone = i + 1 == lane.spans.size() || px(all[lane.spans[i + 1]].startNs()) >= colEnd;
        if (alone && xe >= colEnd) {
            out.push_back({ xs, xe, s.stage(), int(lane.spans[i]) });
            cursor = xe;
            ++i;
            continue;
        }
        const size_t j = std::max(i + 1, firstStartingFrom(lane, startNs + colEnd * nsPerPixel));
        const Stage stage
            = dominantStage(lane, i, j, startNs + xs * nsPerPixel, startNs + colEnd * nsPerPixel);
        out.push_back(
            { std::floor(xs), std::min(colEnd, width), stage, j == i + 1 ? int(lane.spans[i]) : -1 });
        cursor = colEnd;
        i = px(all[lane.spans[j - 1]].endNs()) > colEnd ? j - 1 : j;
    }
    return out;
}

int TimelineIndex::spanAt(int laneIndex, double ns, double slopNs) const
{
    if (!m_model || laneIndex < 0 || laneIndex >= laneCount())
        return -1;
    const Lane &lane = m_lanes[size_t(laneIndex)];
    const auto &all = m_model->spans();
    const size_t k = firstStartingFrom(lane, ns + 1);
    int best = -1;
    double bestDistance = slopNs;
    for (size_t c = k > 0 ? k - 1 : 0; c < std::min(k + 1, lane.spans.size()); ++c) {
        const StageSpan &s = all[lane.spans[c]];
        const double distance = ns < double(s.startNs()) ? double(s.startNs()) - ns
            : ns > double(s.endNs())                     ? ns - double(s.endNs())
                                                         : 0.0;
        if (distance <= bestDistance) {
            best = int(lane.spans[c]);
            bestDistance = distance;
        }
    }
    return best;
}

} // namespace pixelperf
