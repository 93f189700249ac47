#include "measure/runrecorder.h"

#include "pipeline/pixelbuffer.h"
#include "profiling/profilebuilder.h"

#include <QFile>

#include <algorithm>
#include <utility>

#include <ctime>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace pixelperf {

namespace {
std::atomic<uint64_t> g_generation { 0 };

struct WorkerLane {
    uint64_t generation = 0;
    int id = -1;
};
thread_local WorkerLane t_lane;

int64_t clockNs(clockid_t clock)
{
    timespec ts {};
    clock_gettime(clock, &ts);
    return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// Peak RSS of this process since the last reset (VmHWM), Linux only.
int64_t readHighWaterMark()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong() * 1024;
    }
    return 0;
}

void resetHighWaterMark()
{
    // Writing 5 to clear_refs resets VmHWM to the current RSS (Linux >= 4.0).
    const int fd = ::open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        const ssize_t written = ::write(fd, "5", 1);
        (void)written;
        ::close(fd);
    }
}
} // namespace

RunRecorder::RunRecorder(bool profile, int sampleRateHz)
    : m_profile(profile)
    , m_generation(++g_generation)
    , m_stackSampler(profile && sampleRateHz > 0 ? std::make_unique<CallStackSampler>(sampleRateHz) : nullptr)
{ }

RunRecorder::~RunRecorder()
{
    if (m_sampler.joinable())
        finish(m_cancelled.load());
}

int64_t RunRecorder::currentRssBytes()
{
    // /proc/self/statm: size resident ... in pages.
    const int fd = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    char buf[128];
    const ssize_t n = ::read(fd, buf, sizeof buf - 1);
    ::close(fd);
    if (n <= 0)
        return 0;
    buf[n] = 0;
    long long size = 0, resident = 0;
    if (std::sscanf(buf, "%lld %lld", &size, &resident) != 2)
        return 0;
    return int64_t(resident) * int64_t(sysconf(_SC_PAGESIZE));
}

int64_t RunRecorder::processCpuNs()
{
    return clockNs(CLOCK_PROCESS_CPUTIME_ID);
}

int64_t RunRecorder::threadCpuNs()
{
    return clockNs(CLOCK_THREAD_CPUTIME_ID);
}

void RunRecorder::start(int workers, int64_t heldPixelBytes)
{
    m_workers = workers;
    m_heldPixelBytes.store(heldPixelBytes, std::memory_order_relaxed);
    // The peak this run reports is its own: what earlier runs left pooled or
    // in the allocator's free lists is given back first.
    pixelaccounting::releaseFreeMemory();
    resetHighWaterMark();
    pixelaccounting::resetPeak();
    m_t0Ns.store(std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::steady_clock::now().time_since_epoch())
                     .count());
    m_cpu0 = processCpuNs();
    takeSample();
    if (m_profile)
        m_sampler = std::thread([this] { sampleLoop(); });
}

void RunRecorder::setImagesTotal(int total)
{
    m_imagesTotal.store(total);
}

void RunRecorder::reserve(size_t spans, size_t images)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_profile)
        m_spans.reserve(m_spans.size() + spans);
    m_images.reserve(m_images.size() + images);
}

void RunRecorder::finish(bool cancelled)
{
    m_cancelled.store(cancelled);
    if (m_sampler.joinable()) {
        {
            std::lock_guard<std::mutex> lock(m_samplerMutex);
            m_samplerStop = true;
        }
        m_samplerWake.notify_all();
        m_sampler.join();
    }
    takeSample();
    const int64_t hwm = readHighWaterMark();
    int64_t peak = m_peakRss.load();
    while (hwm > peak && !m_peakRss.compare_exchange_weak(peak, hwm)) { }
    m_endNs.store(nowNs());
    // After the end: stopping and draining the rings is not the run's time.
    // The frames are named after it too (when the profile is built), not
    // while the last images finish: libdw's tables, a few MiB, would be in
    // the run's last memory sample and its peak, which are the pipeline's.
    if (m_stackSampler)
        m_stackSampler->stop();
    m_finished.store(true);
}

int64_t RunRecorder::nowNs() const
{
    const int64_t t0 = m_t0Ns.load();
    if (t0 < 0)
        return 0;
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
               .count()
        - t0;
}

int RunRecorder::workerId()
{
    if (t_lane.generation != m_generation) {
        t_lane.generation = m_generation;
        t_lane.id = m_nextWorker.fetch_add(1);
        addWorkerThread(t_lane.id);
    }
    return t_lane.id;
}

void RunRecorder::addWorkerThread(int lane)
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_laneOfTid[int(syscall(SYS_gettid))] = lane;
    }
    if (m_stackSampler)
        m_stackSampler->addCurrentThread();
}

std::shared_ptr<const CpuProfile> RunRecorder::cpuProfile() const
{
    if (!m_stackSampler)
        return nullptr;
    return cpuProfile(spans());
}

std::shared_ptr<const CpuProfile> RunRecorder::cpuProfile(
    const std::vector<StageSpan> &spans, bool takeSamples) const
{
    if (!m_stackSampler)
        return nullptr;
    SamplerReading reading;
    reading.method = m_stackSampler->method();
    reading.note = m_stackSampler->note();
    reading.rateHz = m_stackSampler->rateHz();
    reading.lost = m_stackSampler->lost();
    reading.samples = takeSamples ? m_stackSampler->takeSamples() : m_stackSampler->samples();
    std::map<int, int> lanes;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        lanes = m_laneOfTid;
    }
    return std::make_shared<const CpuProfile>(
        buildProfile(reading, spans, lanes, m_t0Ns.load(), processSymbolizer()));
}

void RunRecorder::releaseNaming()
{
    processSymbolizer().releaseModules();
}

void RunRecorder::addSpan(const StageSpan &span)
{
    if (!m_profile)
        return;
    std::lock_guard<std::mutex> lock(m_mutex);
    m_spans.push_back(span);
}

void RunRecorder::addImage(ImageRecord record)
{
    const bool cancelled = record.cancelled;
    const bool failed = !record.ok && !cancelled;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_images.push_back(std::move(record));
    }
    if (failed)
        m_imagesFailed.fetch_add(1);
    // An image stopped by a cancel is not done: the live count, the
    // summary and the history agree (ok + failed).
    if (!cancelled)
        m_imagesDone.fetch_add(1);
}

void RunRecorder::sampleLoop()
{
    std::unique_lock<std::mutex> lock(m_samplerMutex);
    while (!m_samplerStop) {
        // A timed wait, woken at once by finish().
        m_samplerWake.wait_for(lock, std::chrono::milliseconds(20));
        if (m_samplerStop)
            break;
        lock.unlock();
        takeSample();
        lock.lock();
    }
}

void RunRecorder::takeSample()
{
    MemorySample s;
    // The time and the CPU time back to back: the CPU chart is their ratio.
    // Read after /proc/self/statm (which waits for the address space's lock
    // while a worker maps or unmaps a large buffer), the CPU time belonged
    // to a later moment than the time, and the window's chart showed the
    // workers above 100 % on a loaded machine.
    s.tNs = nowNs();
    s.cpuNs = processCpuNs() - m_cpu0;
    s.rssBytes = currentRssBytes();
    s.pixelBytesLive = std::max<int64_t>(0, pixelaccounting::liveBytes() - heldPixelBytes());
    s.imagesDone = m_imagesDone.load();
    int64_t peak = m_peakRss.load();
    while (s.rssBytes > peak && !m_peakRss.compare_exchange_weak(peak, s.rssBytes)) { }
    std::lock_guard<std::mutex> lock(m_mutex);
    m_memory.push_back(s);
}

namespace {

// The records of `held` (the first of which is the run's record `base`)
// from the reader's `cursor` on; the cursor then past them.
template <typename T> std::vector<T> newSince(const std::vector<T> &held, size_t base, size_t *cursor)
{
    const size_t from = std::min(std::max(*cursor, base) - base, held.size());
    *cursor = base + held.size();
    return { held.begin() + std::ptrdiff_t(from), held.end() };
}

// All of `held` moved out; a copy of those from the run's record `keepFrom`
// on stays held.
template <typename T> std::vector<T> takeKeeping(std::vector<T> &held, size_t *base, size_t keepFrom)
{
    std::vector<T> all = std::exchange(held, {});
    const size_t from = std::min(std::max(keepFrom, *base) - *base, all.size());
    held.assign(all.begin() + std::ptrdiff_t(from), all.end());
    *base += from;
    return all;
}

} // namespace

ProfileSnapshot RunRecorder::snapshot(SnapshotCursor *cursor) const
{
    ProfileSnapshot snap;
    snap.imagesTotal = m_imagesTotal.load();
    snap.imagesDone = m_imagesDone.load();
    snap.imagesFailed = m_imagesFailed.load();
    snap.workers = m_nextWorker.load();
    snap.finished = m_finished.load();
    snap.cancelled = m_cancelled.load();
    snap.elapsedNs = elapsedNs();
    snap.peakRssBytes = m_peakRss.load();
    snap.pixelBytesLive = std::max<int64_t>(0, pixelaccounting::liveBytes() - heldPixelBytes());
    snap.peakPixelBytes = peakPixelBytes();
    std::lock_guard<std::mutex> lock(m_mutex);
    snap.spans = newSince(m_spans, m_spansBase, &cursor->spans);
    snap.images = newSince(m_images, m_imagesBase, &cursor->images);
    snap.memory.assign(
        m_memory.begin() + std::ptrdiff_t(std::min(cursor->memory, m_memory.size())), m_memory.end());
    cursor->memory = m_memory.size();
    snap.rssBytes = m_memory.empty() ? 0 : m_memory.back().rssBytes;
    return snap;
}

int64_t RunRecorder::elapsedNs() const
{
    const int64_t end = m_endNs.load();
    return end >= 0 ? end : nowNs();
}

std::vector<StageSpan> RunRecorder::spans() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_spans;
}

std::vector<ImageRecord> RunRecorder::images() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_images;
}

std::vector<StageSpan> RunRecorder::takeSpans(bool keepUnread)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return takeKeeping(m_spans, &m_spansBase, keepUnread ? m_followed.spans : SIZE_MAX);
}

std::vector<ImageRecord> RunRecorder::takeImages(bool keepUnread)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return takeKeeping(m_images, &m_imagesBase, keepUnread ? m_followed.images : SIZE_MAX);
}

std::vector<MemorySample> RunRecorder::memory() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return { m_memory.begin(), m_memory.end() };
}

int64_t RunRecorder::peakRssBytes() const
{
    return m_peakRss.load();
}

int64_t RunRecorder::peakPixelBytes() const
{
    return std::max<int64_t>(0, pixelaccounting::peakLiveBytes() - heldPixelBytes());
}

} // namespace pixelperf
