// Profiles built from folded stacks ("stage;outer;…;inner" → samples), as a
// report read back has them: what the flame graph and its tables draw.
#pragma once

#include "profiling/cpuprofile.h"

#include <map>

namespace pixelperf::testing {

inline CpuProfile foldedProfile(const std::map<QString, int64_t> &folded)
{
    CpuProfile profile;
    profile.method = SamplingMethod::PerfEvent;
    profile.rateHz = 1000;
    profile.runs = 1;
    profile.folded = folded;
    for (const auto &[stack, count] : folded) {
        profile.samples += count;
        profile.symbolizedSamples += count;
    }
    return profile;
}

// 1000 samples: blur 700 (blurNaive 600 of which convolve 500, weights 100),
// resize 200, load 100.
inline CpuProfile pipelineProfile()
{
    return foldedProfile({
        { QStringLiteral("load;main;decode"), 100 },
        { QStringLiteral("blur;main;blurNaive;convolve"), 500 },
        { QStringLiteral("blur;main;blurNaive"), 100 },
        { QStringLiteral("blur;main;weights"), 100 },
        { QStringLiteral("resize;main;resample"), 200 },
    });
}

} // namespace pixelperf::testing
