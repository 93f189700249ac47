#include "pipeline/schedule.h"

#include "pipeline/stages/save.h"

namespace pixelperf {

Schedule Schedule::of(const PipelineConfig &config, bool fillDecodeCache)
{
    const PipelineParams &p = config.params;
    Schedule s;
    s.workers = config.isOn(ToggleId::Parallel) ? p.effectiveJobs() : 1;
    s.streaming = config.isOn(ToggleId::Streaming);
    s.singleScan = config.isOn(ToggleId::SingleScan);
    s.defensiveCopies = !config.isOn(ToggleId::NoCopies);
    s.formatChurn = !config.isOn(ToggleId::NoFormatChurn);
    s.shrinkOnLoad = config.isOn(ToggleId::ShrinkOnLoad);
    if (config.isOn(ToggleId::DecodeCache) && p.cacheMiB > 0)
        s.decodeCache = fillDecodeCache ? DecodeCacheUse::ReadWrite : DecodeCacheUse::ReadOnly;
    s.lanczos = config.isOn(ToggleId::Lanczos);
    s.cachedKernels = config.isOn(ToggleId::CachedKernels);
    s.separableBlur = config.isOn(ToggleId::SeparableBlur);
    s.fusedPointOps = config.isOn(ToggleId::FusedPointOps);
    s.jpegQuality = pixelperf::jpegQuality(p, config.isOn(ToggleId::BalancedQuality));
    return s;
}

} // namespace pixelperf
