#include "pixelbuffer.h"

#include <atomic>
#include <cstring>
#include <new>

namespace pixelperf {

namespace {
std::atomic<int64_t> g_liveBytes { 0 };
std::atomic<int64_t> g_peakLiveBytes { 0 };
thread_local StageCounters *t_counters = nullptr;

void accountAllocation(int64_t bytes)
{
    const int64_t now = g_liveBytes.fetch_add(bytes, std::memory_order_relaxed) + bytes;
    int64_t peak = g_peakLiveBytes.load(std::memory_order_relaxed);
    while (now > peak
           && !g_peakLiveBytes.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
    }
    if (t_counters)
        t_counters->bytesAllocated += uint64_t(bytes);
}
} // namespace

namespace pixelaccounting {
int64_t liveBytes()
{
    return g_liveBytes.load(std::memory_order_relaxed);
}

int64_t peakLiveBytes()
{
    return g_peakLiveBytes.load(std::memory_order_relaxed);
}

void resetPeak()
{
    g_peakLiveBytes.store(g_liveBytes.load(std::memory_order_relaxed), std::memory_order_relaxed);
}

StageScope::StageScope(StageCounters *counters) : m_previous(t_counters)
{
    t_counters = counters;
}

StageScope::~StageScope()
{
    t_counters = m_previous;
}
} // namespace pixelaccounting

PixelBuffer::PixelBuffer(int width, int height, int channels)
    : m_width(width), m_height(height), m_channels(channels)
{
    if (width <= 0 || height <= 0 || channels <= 0) {
        m_width = m_height = m_channels = 0;
        return;
    }
    // Default-initialised: no zeroing pass, every kernel writes all bytes.
    m_data = new uint8_t[byteSize()];
    accountAllocation(int64_t(byteSize()));
}

PixelBuffer::~PixelBuffer()
{
    reset();
}

PixelBuffer::PixelBuffer(PixelBuffer &&other) noexcept
    : m_data(other.m_data),
      m_width(other.m_width),
      m_height(other.m_height),
      m_channels(other.m_channels)
{
    other.m_data = nullptr;
    other.m_width = other.m_height = other.m_channels = 0;
}

PixelBuffer &PixelBuffer::operator=(PixelBuffer &&other) noexcept
{
    if (this != &other) {
        reset();
        m_data = other.m_data;
        m_width = other.m_width;
        m_height = other.m_height;
        m_channels = other.m_channels;
        other.m_data = nullptr;
        other.m_width = other.m_height = other.m_channels = 0;
    }
    return *this;
}

PixelBuffer PixelBuffer::clone() const
{
    PixelBuffer copy(m_width, m_height, m_channels);
    if (m_data)
        std::memcpy(copy.m_data, m_data, byteSize());
    if (t_counters)
        ++t_counters->copies;
    return copy;
}

void PixelBuffer::reset()
{
    if (m_data) {
        g_liveBytes.fetch_sub(int64_t(byteSize()), std::memory_order_relaxed);
        delete[] m_data;
        m_data = nullptr;
    }
    m_width = m_height = m_channels = 0;
}

} // namespace pixelperf
