// From the sampler's raw stacks to a CpuProfile: each sample named frame by
// frame and attributed to the stage and image its thread was in, from the
// run recorder's spans (the same clock, matched by thread and time).
#pragma once

#include "measure/runrecorder.h"
#include "profiling/cpuprofile.h"
#include "profiling/symbolizer.h"

#include <map>

namespace pixelperf {

struct SamplerReading {
    SamplingMethod method = SamplingMethod::Off;
    QString note;
    int rateHz = 0;
    int64_t lost = 0;
    std::vector<RawSample> samples;
};

// `laneOfTid`: the recorder's worker lane of each sampled thread's kernel
// id; `t0Ns`: the run's start on the samples' clock (CLOCK_MONOTONIC).
CpuProfile buildProfile(const SamplerReading &reading, const std::vector<StageSpan> &spans,
    const std::map<int, int> &laneOfTid, int64_t t0Ns, Symbolizer &symbolizer);

// The process's symbolizer: what it has named stays named for later runs.
Symbolizer &processSymbolizer();

} // namespace pixelperf
