#include "measure/stagespan.h"

#include "measure/runrecorder.h"

#include <cmath>
#include <limits>

#include <algorithm>

namespace pixelperf {

void StageSpan::setTimes(int64_t startNs, int64_t endNs)
{
    // Saturated: a report read back may hold any two values.
    int64_t duration = 0;
    if (__builtin_sub_overflow(endNs, startNs, &duration))
        duration = endNs > startNs ? std::numeric_limits<int64_t>::max() : 0;
    m_start = (m_start & ~StartMask) | uint64_t(std::clamp<int64_t>(startNs, 0, MaxStartNs));
    m_times = (m_times & ~TimeMask) | compactTime::pack(duration);
}

void StageSpan::setCpuNs(int64_t ns)
{
    m_times = (m_times & ~(TimeMask << CpuShift)) | (uint64_t(compactTime::pack(ns)) << CpuShift);
}

void StageSpan::setCopies(uint32_t copies)
{
    m_times = (m_times & ~CopiesMask) | (uint64_t(std::min(copies, MaxCopies)) << CopiesShift);
}

void StageSpan::setWorker(int worker)
{
    const uint64_t lane = uint64_t(std::clamp(worker, -1, MaxWorker) + 1);
    m_start = (m_start & ~WorkerMask) | (lane << WorkerShift);
}

void StageSpan::setStage(Stage stage)
{
    m_start = (m_start & ~StageMask) | (uint64_t(stage) << StageShift);
}

double ImageRecord::stageMs(Stage stage) const
{
    const uint32_t packed = m_stageTimes[size_t(stage)];
    return packed == NotRun ? -1.0 : double(compactTime::unpack(packed)) / 1e6;
}

void ImageRecord::setStageNs(Stage stage, int64_t ns)
{
    m_stageTimes[size_t(stage)] = compactTime::pack(ns);
}

void ImageRecord::setStageMs(Stage stage, double ms)
{
    if (!(ms >= 0)) {
        m_stageTimes[size_t(stage)] = NotRun;
        return;
    }
    // Past int64's nanoseconds (about 9.2e12 ms) llround would overflow.
    setStageNs(stage, ms >= 9.2e12 ? std::numeric_limits<int64_t>::max() : std::llround(ms * 1e6));
}

} // namespace pixelperf
