#include "pipeline/pixelbuffer.h"

#include <atomic>
#include <cstring>
#include <mutex>
#include <new>
#include <vector>

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace pixelperf {

namespace {
std::atomic<int64_t> g_liveBytes { 0 };
std::atomic<int64_t> g_peakLiveBytes { 0 };
thread_local StageCounters *t_counters = nullptr;
thread_local bool t_uncounted = false;

// Freed pixel memory kept for reuse: a folder's images have the same few
// sizes, so in steady state no stage asks the kernel for fresh (page-faulted,
// zeroed) memory. Bounded in count and bytes; the smallest fitting block of
// at most twice the request is reused, and of equal ones the most recently
// freed, the likeliest to be still in cache (measured: about 5 % more
// images/s on 2 jobs than taking the oldest).
class BufferPool
{
public:
    uint8_t *take(size_t bytes, size_t *capacity)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        size_t best = m_blocks.size();
        for (size_t i = m_blocks.size(); i-- > 0;) { // newest first
            const size_t c = m_blocks[i].capacity;
            if (c >= bytes && c <= 2 * bytes && (best == m_blocks.size() || c < m_blocks[best].capacity))
                best = i;
        }
        if (best == m_blocks.size())
            return nullptr;
        uint8_t *data = m_blocks[best].data;
        *capacity = m_blocks[best].capacity;
        m_pooled -= *capacity;
        m_blocks.erase(m_blocks.begin() + ptrdiff_t(best)); // keeps the others in the order freed
        return data;
    }
    // False when the pool is full: the caller frees the block.
    bool give(uint8_t *data, size_t capacity)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_blocks.size() >= MaxBlocks || m_pooled + capacity > MaxBytes)
            return false;
        m_blocks.push_back({ data, capacity });
        m_pooled += capacity;
        return true;
    }
    void drain()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        for (const Block &b : m_blocks)
            delete[] b.data;
        m_blocks.clear();
        m_pooled = 0;
    }

private:
    static constexpr size_t MaxBlocks = 16;
    static constexpr size_t MaxBytes = size_t(48) << 20;
    struct Block {
        uint8_t *data;
        size_t capacity;
    };
    std::mutex m_mutex;
    std::vector<Block> m_blocks;
    size_t m_pooled = 0;
};

// Never destroyed: buffers held by other statics (the decode cache) are
// released during exit, after a function-local pool would be gone.
BufferPool &pool()
{
    static BufferPool *const instance = new BufferPool;
    return *instance;
}

void accountAllocation(int64_t bytes)
{
    const int64_t now = g_liveBytes.fetch_add(bytes, std::memory_order_relaxed) + bytes;
    int64_t peak = g_peakLiveBytes.load(std::memory_order_relaxed);
    while (now > peak && !g_peakLiveBytes.compare_exchange_weak(peak, now, std::memory_order_relaxed)) { }
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

void releaseFreeMemory()
{
    pool().drain();
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

void resetPeak()
{
    g_peakLiveBytes.store(g_liveBytes.load(std::memory_order_relaxed), std::memory_order_relaxed);
}

StageScope::StageScope(StageCounters *counters)
    : m_previous(t_counters)
{
    t_counters = counters;
}

StageScope::~StageScope()
{
    t_counters = m_previous;
}

UncountedScope::UncountedScope()
    : m_previous(t_uncounted)
{
    t_uncounted = true;
}

UncountedScope::~UncountedScope()
{
    t_uncounted = m_previous;
}
} // namespace pixelaccounting

PixelBuffer::PixelBuffer(int width, int height, int channels)
    : m_width(width)
    , m_height(height)
    , m_channels(channels)
{
    if (width <= 0 || height <= 0 || channels <= 0) {
        m_width = m_height = m_channels = 0;
        return;
    }
    // Uninitialised: no zeroing pass, every kernel writes all bytes.
    m_data = pool().take(byteSize(), &m_capacity);
    if (!m_data) {
        m_capacity = byteSize();
        m_data = new uint8_t[m_capacity];
    }
    m_counted = !t_uncounted;
    if (m_counted)
        accountAllocation(int64_t(byteSize()));
}

PixelBuffer::~PixelBuffer()
{
    reset();
}

PixelBuffer::PixelBuffer(PixelBuffer &&other) noexcept
    : m_data(other.m_data)
    , m_capacity(other.m_capacity)
    , m_width(other.m_width)
    , m_height(other.m_height)
    , m_channels(other.m_channels)
    , m_counted(other.m_counted)
{
    other.m_data = nullptr;
    other.m_width = other.m_height = other.m_channels = 0;
}

PixelBuffer &PixelBuffer::operator=(PixelBuffer &&other) noexcept
{
    if (this != &other) {
        reset();
        m_data = other.m_data;
        m_capacity = other.m_capacity;
        m_width = other.m_width;
        m_height = other.m_height;
        m_channels = other.m_channels;
        m_counted = other.m_counted;
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
        if (m_counted)
            g_liveBytes.fetch_sub(int64_t(byteSize()), std::memory_order_relaxed);
        if (!pool().give(m_data, m_capacity))
            delete[] m_data;
        m_data = nullptr;
        m_capacity = 0;
    }
    m_width = m_height = m_channels = 0;
}

} // namespace pixelperf
