// The timeline's level of detail, without a window: the spans of a
// DashboardModel sorted per lane (worker), with running per-stage totals
// every few spans, so that what one pixel column of a lane holds — however
// many spans — is found with two binary searches and a few dozen additions.
// Built incrementally: each update() reads only the spans added since the
// last one (all of them again only when the model was reset).
#pragma once

#include "pipeline/pipelineconfig.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace pixelperf {

class DashboardModel;

// One rectangle to draw in a lane, in pixels from the view's left edge:
// one span wide enough to be seen alone, or one pixel column holding
// several spans, coloured by the stage that covers most of it.
struct TimelineBlock {
    double x0 = 0;
    double x1 = 0;
    Stage stage = Stage::Load;
    int span = -1; // index into the model's spans when the block is one span; -1 when merged
};

class TimelineIndex
{
public:
    // Reads the spans `model` gained since the last call (all of them after
    // a reset of the model or another model). Returns the index in
    // model->spans() of the first span read.
    size_t update(const DashboardModel *model);
    // Lane 0 holds the run's own spans (worker -1, the scan); lane w+1 worker w.
    int laneCount() const { return int(m_lanes.size()); }
    size_t spanCount(int lane) const { return m_lanes[size_t(lane)].spans.size(); }

    // What to draw of `lane` in a view `width` pixels wide starting at
    // `startNs`, `nsPerPixel` each: at most one block per pixel column.
    std::vector<TimelineBlock> blocks(int lane, double startNs, double nsPerPixel, double width) const;
    // The span of `lane` at `ns` (or the nearest within `slopNs`); -1 for none.
    int spanAt(int lane, double ns, double slopNs) const;

private:
    using Durations = std::array<int64_t, StageCount>;
    static constexpr size_t CheckpointEvery = 64;
    struct Lane {
        std::vector<uint32_t> spans; // indices into the model's spans, by start
        std::vector<Durations> checkpoints; // [k]: per-stage time of spans [0, k * CheckpointEvery)
        Durations totals {};
    };
    void add(uint32_t index);
    void rebuildCheckpoints(Lane &lane) const;
    // Per-stage time of spans [0, k) of the lane.
    Durations prefix(const Lane &lane, size_t k) const;
    // The first span of the lane starting at or after `ns`.
    size_t firstStartingFrom(const Lane &lane, double ns) const;
    Stage dominantStage(const Lane &lane, size_t from, size_t to, double t0, double t1) const;

    const DashboardModel *m_model = nullptr;
    int m_generation = -1;
    size_t m_read = 0;
    std::vector<Lane> m_lanes;
};

} // namespace pixelperf
