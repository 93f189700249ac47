// The C allocator's settings for a process that runs batches of images.
#pragma once

namespace pixelperf {

// Called once at the start of each program (the CLI, the window): memory a
// run frees stays in the process for the next image instead of going back to
// the kernel and being faulted in again, zeroed, for the next one. glibc by
// default maps blocks above a threshold that moves with what was freed last
// and returns the heap's top above twice that: a decode's 10-30 MB of
// buffers were mapped, faulted and unmapped image after image. A run's end
// still hands everything back (pixelaccounting::releaseFreeMemory). No-op
// outside glibc.
void keepFreedMemoryDuringRuns();

} // namespace pixelperf
