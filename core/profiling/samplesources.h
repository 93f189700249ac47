// The two ways CallStackSampler gets samples on Linux. Each factory returns
// null, with the reason, where the kernel or the platform does not allow it.
#pragma once

#include "profiling/callstacksampler.h"

namespace pixelperf {

// Frames kept per sample; deeper stacks keep their innermost frames.
constexpr int MaxSampledFrames = 128;

// Follows the frame-pointer chain from a sampled thread's registers: pc
// first, then each frame's return address while the frame pointer lies in
// [sp, high), the sampled thread's stack, and rises. Reads nothing outside
// that range, whatever the registers hold. Returns the frames written to ips.
uint32_t walkFramePointers(
    uint64_t *ips, uint32_t capacity, uintptr_t pc, uintptr_t fp, uintptr_t sp, uintptr_t high);

// perf_event_open(PERF_COUNT_SW_TASK_CLOCK) with PERF_SAMPLE_CALLCHAIN, user
// space only. Probes by opening one event on the calling thread.
std::unique_ptr<SampleSource> openPerfEventSource(int rateHz, QString *error);

// timer_create(CLOCK_THREAD_CPUTIME_ID) per thread, its signal (SIGPROF)
// delivered to that thread, whose handler walks the frame pointers.
std::unique_ptr<SampleSource> openTimerSignalSource(int rateHz, QString *error);

} // namespace pixelperf
