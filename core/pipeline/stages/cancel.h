// Cancellation inside a stage (cancel.cpp).
#pragma once

#include <atomic>

namespace pixelperf {

// The pipeline checks for a cancel between stages; the slow paths (naive
// blur, uncached Lanczos) can run for seconds on one image, so they also poll
// per row and return early, unfinished. The pipeline then drops that image.
// A worker thread sees its run's flag while a StageCancelScope is alive.
bool stageCancelRequested();
class StageCancelScope
{
public:
    explicit StageCancelScope(const std::atomic<bool> *flag);
    ~StageCancelScope();
    StageCancelScope(const StageCancelScope &) = delete;
    StageCancelScope &operator=(const StageCancelScope &) = delete;

private:
    const std::atomic<bool> *m_previous;
};

} // namespace pixelperf
