// The pipeline's own pixel buffer: 8-bit interleaved RGB (3 channels) or RGBA
// (4 channels). Every allocation and deep copy goes through here, so the
// profiler's byte and copy counts are exact rather than sampled.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace pixelperf {

// What one stage of one image allocated and copied; the pipeline points the
// worker thread at the counters of the stage it is running.
struct StageCounters {
    uint64_t bytesAllocated = 0;
    uint32_t copies = 0;
};

namespace pixelaccounting {
// Bytes currently held by live PixelBuffers, process-wide.
int64_t liveBytes();
// Frees the buffers pooled for reuse and hands the allocator's free memory
// back to the system, so that the process's RSS is what is really in use: a
// run's peak RSS then is its own, not an earlier run's left-overs.
void releaseFreeMemory();

// Highest liveBytes() since the last resetPeak().
int64_t peakLiveBytes();
void resetPeak();

// Routes this thread's allocations and copies to `counters` while alive.
class StageScope
{
public:
    explicit StageScope(StageCounters *counters);
    ~StageScope();
    StageScope(const StageScope &) = delete;
    StageScope &operator=(const StageScope &) = delete;

private:
    StageCounters *m_previous;
};

// While alive, the buffers this thread allocates are not the run's: left
// out of liveBytes() and the peak (the window's preview decoding an image
// while a run goes, whose pixel-buffer series is the run's own).
class UncountedScope
{
public:
    UncountedScope();
    ~UncountedScope();
    UncountedScope(const UncountedScope &) = delete;
    UncountedScope &operator=(const UncountedScope &) = delete;

private:
    bool m_previous;
};
} // namespace pixelaccounting

class PixelBuffer
{
public:
    PixelBuffer() = default;
    // Uninitialised pixels: the caller writes every byte.
    PixelBuffer(int width, int height, int channels);
    ~PixelBuffer();
    PixelBuffer(PixelBuffer &&other) noexcept;
    PixelBuffer &operator=(PixelBuffer &&other) noexcept;
    PixelBuffer(const PixelBuffer &) = delete;
    PixelBuffer &operator=(const PixelBuffer &) = delete;

    // A deep copy, counted as one copy of the current stage.
    PixelBuffer clone() const;

    bool isNull() const { return !m_data; }
    int width() const { return m_width; }
    int height() const { return m_height; }
    int channels() const { return m_channels; }
    size_t stride() const { return size_t(m_width) * size_t(m_channels); }
    size_t byteSize() const { return stride() * size_t(m_height); }
    uint8_t *data() { return m_data; }
    const uint8_t *data() const { return m_data; }
    uint8_t *row(int y) { return m_data + stride() * size_t(y); }
    const uint8_t *row(int y) const { return m_data + stride() * size_t(y); }

    void reset();

private:
    uint8_t *m_data = nullptr;
    size_t m_capacity = 0; // bytes behind m_data (>= byteSize() when reused)
    int m_width = 0;
    int m_height = 0;
    int m_channels = 0;
    bool m_counted = false; // in liveBytes() (allocated outside an UncountedScope)
};

} // namespace pixelperf
