#include "profiling/samplesources.h"

#ifdef Q_OS_LINUX
#include <algorithm>
#include <atomic>
#include <mutex>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace pixelperf {

#ifdef Q_OS_LINUX
namespace {

// Each thread's ring: 128 KiB holds about 100 samples of deep stacks, over
// 100 ms at 1 kHz; the reader drains every 10 ms. Sized in bytes, not pages:
// the kernel lets a user lock perf_event_mlock_kb (516 KiB) per CPU beyond
// RLIMIT_MEMLOCK, which 32 pages of 64 KiB (aarch64 kernels) would use up
// in a thread or two.
constexpr size_t RingBytes = size_t(128) << 10;

// The ring's data pages: a power of two (the kernel's rule), at least one.
size_t ringDataPages()
{
    const size_t page = size_t(sysconf(_SC_PAGESIZE));
    size_t pages = 1;
    while (pages * 2 * page <= RingBytes)
        pages *= 2;
    return pages;
}

struct PerfRing {
    int fd = -1;
    void *base = nullptr;
    size_t mapped = 0;
};

// The kernel refuses (EOVERFLOW) a deeper stack than kernel.perf_event_max_stack.
uint16_t maxStack()
{
    int limit = MaxSampledFrames;
    if (FILE *f = std::fopen("/proc/sys/kernel/perf_event_max_stack", "r")) {
        if (std::fscanf(f, "%d", &limit) != 1)
            limit = MaxSampledFrames;
        std::fclose(f);
    }
    return uint16_t(std::clamp(limit, 1, MaxSampledFrames));
}

int openTaskClockEvent(int rateHz)
{
    perf_event_attr attr {};
    attr.size = sizeof attr;
    attr.type = PERF_TYPE_SOFTWARE;
    attr.config = PERF_COUNT_SW_TASK_CLOCK;
    attr.sample_period = uint64_t(1000000000 / rateHz); // the task clock counts nanoseconds
    attr.sample_type = PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_CALLCHAIN;
    attr.exclude_kernel = 1;
    attr.exclude_hv = 1;
    attr.exclude_callchain_kernel = 1;
    attr.use_clockid = 1;
    attr.clockid = CLOCK_MONOTONIC; // the run recorder's steady_clock: samples meet its spans
    static const uint16_t frames = maxStack();
    attr.sample_max_stack = frames;
    // pid 0, cpu -1: this thread, wherever it runs.
    return int(syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC));
}

QString perfError(int error)
{
    if (error == EACCES || error == EPERM)
        return QStringLiteral("perf_event_open refused (%1; kernel.perf_event_paranoid is above 2, or a "
                              "seccomp filter forbids it)")
            .arg(QString::fromLocal8Bit(std::strerror(error)));
    return QStringLiteral("perf_event_open failed: %1").arg(QString::fromLocal8Bit(std::strerror(error)));
}

class PerfEventSource final : public SampleSource
{
public:
    explicit PerfEventSource(int rateHz)
        : m_rateHz(rateHz)
    { }
    ~PerfEventSource() override
    {
        std::vector<RawSample> dropped;
        stop(&dropped);
    }

    bool addCurrentThread(QString *error) override
    {
        PerfRing ring;
        ring.fd = openTaskClockEvent(m_rateHz);
        if (ring.fd < 0) {
            *error = perfError(errno);
            return false;
        }
        // Past the user's allowance of locked memory (many workers, many
        // threads of other programs sampling) a smaller ring still samples.
        const size_t page = size_t(sysconf(_SC_PAGESIZE));
        for (size_t pages = ringDataPages();; pages /= 2) {
            ring.mapped = (pages + 1) * page;
            ring.base = mmap(nullptr, ring.mapped, PROT_READ | PROT_WRITE, MAP_SHARED, ring.fd, 0);
            if (ring.base != MAP_FAILED || errno != EPERM || pages == 1)
                break;
        }
        if (ring.base == MAP_FAILED) {
            *error = QStringLiteral("cannot map the perf ring buffer: %1")
                         .arg(QString::fromLocal8Bit(std::strerror(errno)));
            ::close(ring.fd);
            return false;
        }
        std::lock_guard<std::mutex> lock(m_mutex);
        m_rings.push_back(ring);
        return true;
    }

    void drain(std::vector<RawSample> *out) override
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        for (const PerfRing &ring : m_rings)
            drainRing(ring, out);
    }

    void stop(std::vector<RawSample> *out) override
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        for (const PerfRing &ring : m_rings)
            ioctl(ring.fd, PERF_EVENT_IOC_DISABLE, 0);
        for (const PerfRing &ring : m_rings) {
            drainRing(ring, out);
            munmap(ring.base, ring.mapped);
            ::close(ring.fd);
        }
        m_rings.clear();
    }

    int64_t lost() const override { return m_lost.load(std::memory_order_relaxed); }

private:
    void drainRing(const PerfRing &ring, std::vector<RawSample> *out);
    void parseRecord(const perf_event_header &header, const unsigned char *body, std::vector<RawSample> *out);

    const int m_rateHz;
    std::mutex m_mutex;
    std::vector<PerfRing> m_rings;
    std::atomic<int64_t> m_lost { 0 };
    std::vector<unsigned char> m_record; // one record, unwrapped
};

void PerfEventSource::drainRing(const PerfRing &ring, std::vector<RawSample> *out)
{
    auto *meta = static_cast<perf_event_mmap_page *>(ring.base);
    const auto *data = static_cast<const unsigned char *>(ring.base) + meta->data_offset;
    const uint64_t size = meta->data_size;
    const uint64_t head = __atomic_load_n(&meta->data_head, __ATOMIC_ACQUIRE);
    uint64_t tail = meta->data_tail;
    auto copyOut = [&](uint64_t at, void *to, size_t n) {
        const uint64_t offset = at % size;
        const size_t first = size_t(std::min<uint64_t>(n, size - offset));
        std::memcpy(to, data + offset, first);
        std::memcpy(static_cast<unsigned char *>(to) + first, data, n - first);
    };
    while (tail + sizeof(perf_event_header) <= head) {
        perf_event_header header;
        copyOut(tail, &header, sizeof header);
        if (header.size < sizeof header || tail + header.size > head)
            break;
        m_record.resize(header.size);
        copyOut(tail, m_record.data(), header.size);
        parseRecord(header, m_record.data() + sizeof header, out);
        tail += header.size;
    }
    __atomic_store_n(&meta->data_tail, tail, __ATOMIC_RELEASE);
}

void PerfEventSource::parseRecord(
    const perf_event_header &header, const unsigned char *body, std::vector<RawSample> *out)
{
    const size_t bodySize = header.size - sizeof header;
    if (header.type == PERF_RECORD_LOST && bodySize >= 16) {
        uint64_t lostCount = 0; // after the event id
        std::memcpy(&lostCount, body + 8, 8);
        m_lost.fetch_add(int64_t(lostCount), std::memory_order_relaxed);
        return;
    }
    if (header.type != PERF_RECORD_SAMPLE || bodySize < 24)
        return;
    // PERF_SAMPLE_TID: u32 pid, u32 tid; PERF_SAMPLE_TIME: u64; PERF_SAMPLE_CALLCHAIN: u64 nr, u64 ips[nr].
    uint32_t ids[2];
    std::memcpy(ids, body, 8);
    RawSample sample;
    sample.tid = int(ids[1]);
    std::memcpy(&sample.timeNs, body + 8, 8);
    uint64_t nr = 0;
    std::memcpy(&nr, body + 16, 8);
    nr = std::min<uint64_t>(nr, (bodySize - 24) / 8);
    sample.ips.reserve(size_t(nr));
    for (uint64_t i = 0; i < nr; ++i) {
        uint64_t ip = 0;
        std::memcpy(&ip, body + 24 + 8 * i, 8);
        if (ip >= uint64_t(PERF_CONTEXT_MAX))
            continue; // a context marker (PERF_CONTEXT_USER), not a frame
        sample.ips.push_back(ip);
    }
    out->push_back(std::move(sample));
}

} // namespace

std::unique_ptr<SampleSource> openPerfEventSource(int rateHz, QString *error)
{
    const int probe = openTaskClockEvent(rateHz);
    if (probe < 0) {
        *error = perfError(errno);
        return nullptr;
    }
    ::close(probe);
    return std::make_unique<PerfEventSource>(rateHz);
}

#else

std::unique_ptr<SampleSource> openPerfEventSource(int, QString *error)
{
    *error = QStringLiteral("call-stack sampling needs Linux");
    return nullptr;
}

#endif

} // namespace pixelperf
