#include "profiling/samplesources.h"

#ifdef Q_OS_LINUX
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <mutex>
#include <pthread.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>
#endif

namespace pixelperf {

// Not instrumented by AddressSanitizer: code without frame pointers can
// leave in the register an address on the stack between two of its locals,
// inside the walked range but in a redzone, and a report from inside a
// signal handler is not safe. The reads stay in [sp, high) regardless.
#if defined(__GNUC__)
__attribute__((no_sanitize("address")))
#endif
uint32_t
walkFramePointers(uint64_t *ips, uint32_t capacity, uintptr_t pc, uintptr_t fp, uintptr_t sp, uintptr_t high)
{
    if (capacity == 0)
        return 0;
    ips[0] = pc;
    uint32_t n = 1;
    // Each frame: [fp] the caller's fp, [fp + 8] the return address. A frame
    // pointer outside [sp, high) ends the walk: code built without frame
    // pointers uses the register for data. The bound is a difference, not
    // fp + 16 <= high, which data near the top of the address space (-8, say)
    // would wrap past zero and pass.
    while (n < capacity && fp >= sp && fp < high && high - fp >= 2 * sizeof(uintptr_t)
        && fp % alignof(uintptr_t) == 0) {
        const auto *frame = reinterpret_cast<const uintptr_t *>(fp);
        const uintptr_t ret = frame[1];
        if (ret == 0)
            break;
        ips[n++] = ret;
        if (frame[0] <= fp)
            break;
        fp = frame[0];
    }
    return n;
}

#if defined(Q_OS_LINUX) && (defined(__x86_64__) || defined(__aarch64__))
namespace {

// One thread's samples, written by its signal handler, read by the reader
// thread: a single-producer, single-consumer ring preallocated when the
// thread registers, so the handler allocates nothing and takes no lock.
struct SignalRing {
    static constexpr uint32_t Capacity = 256; // 250 ms at 1 kHz; drained every 10 ms
    struct Record {
        int64_t timeNs;
        uint32_t count;
        int weight;
        uint64_t ips[MaxSampledFrames];
    };
    Record records[Capacity];
    std::atomic<uint32_t> head { 0 }; // the handler's
    std::atomic<uint32_t> tail { 0 }; // the reader's
    std::atomic<int64_t> lost { 0 };
    std::atomic<bool> active { true };
    uintptr_t stackHigh = 0; // frame pointers above it are not this thread's
    int tid = 0;
    timer_t timer {};
};

thread_local SignalRing *volatile t_ring = nullptr;

// The ring the handler writes on this thread. The owner keeps it alive as
// long as the thread (a signal may still be pending after its timer is
// deleted); it is swapped with SIGPROF blocked. As the thread ends, the
// handler is told first that there is no ring: a signal still pending then
// must not reach a ring that the source may free once this reference goes.
struct RingOwner {
    std::shared_ptr<SignalRing> ring;
    ~RingOwner()
    {
        sigset_t prof;
        sigemptyset(&prof);
        sigaddset(&prof, SIGPROF);
        pthread_sigmask(SIG_BLOCK, &prof, nullptr); // the thread is ending: left blocked
        t_ring = nullptr;
    }
};
thread_local RingOwner t_ringOwner;

extern "C" void onProfilingSignal(int, siginfo_t *info, void *context)
{
    // Only the timers' signals: a SIGPROF sent by kill or sigqueue carries
    // the sender's uid where a timer's carries its overrun.
    if (!info || info->si_code != SI_TIMER)
        return;
    SignalRing *ring = t_ring;
    if (!ring || !ring->active.load(std::memory_order_relaxed))
        return;
    const int savedErrno = errno;
    const uint32_t head = ring->head.load(std::memory_order_relaxed);
    if (head - ring->tail.load(std::memory_order_acquire) >= SignalRing::Capacity) {
        ring->lost.fetch_add(1, std::memory_order_relaxed);
        errno = savedErrno;
        return;
    }
    SignalRing::Record &rec = ring->records[head % SignalRing::Capacity];
    timespec now {};
    clock_gettime(CLOCK_MONOTONIC, &now); // async-signal-safe
    rec.timeNs = int64_t(now.tv_sec) * 1000000000 + now.tv_nsec;
    // A late signal stands for the periods it missed (bounded: a stopped
    // process resumed after hours is not a weight to overflow).
    rec.weight = 1 + std::clamp(info->si_overrun, 0, 1 << 20);
    const mcontext_t &m = static_cast<ucontext_t *>(context)->uc_mcontext;
#if defined(__x86_64__)
    rec.count = walkFramePointers(rec.ips, MaxSampledFrames, uintptr_t(m.gregs[REG_RIP]),
        uintptr_t(m.gregs[REG_RBP]), uintptr_t(m.gregs[REG_RSP]), ring->stackHigh);
#else
    rec.count = walkFramePointers(
        rec.ips, MaxSampledFrames, uintptr_t(m.pc), uintptr_t(m.regs[29]), uintptr_t(m.sp), ring->stackHigh);
#endif
    ring->head.store(head + 1, std::memory_order_release);
    errno = savedErrno;
}

uintptr_t currentStackHigh()
{
    pthread_attr_t attr;
    void *low = nullptr;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return 0;
    pthread_attr_getstack(&attr, &low, &size);
    pthread_attr_destroy(&attr);
    return uintptr_t(low) + size;
}

void installRing(std::shared_ptr<SignalRing> ring)
{
    sigset_t prof, previous;
    sigemptyset(&prof);
    sigaddset(&prof, SIGPROF);
    pthread_sigmask(SIG_BLOCK, &prof, &previous);
    t_ring = ring.get();
    t_ringOwner.ring = std::move(ring);
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

class TimerSignalSource final : public SampleSource
{
public:
    explicit TimerSignalSource(int rateHz)
        : m_periodNs(1000000000 / rateHz)
    { }
    ~TimerSignalSource() override
    {
        std::vector<RawSample> dropped;
        stop(&dropped);
    }
    bool addCurrentThread(QString *error) override;
    void drain(std::vector<RawSample> *out) override;
    void stop(std::vector<RawSample> *out) override;
    int64_t lost() const override;

private:
    void drainRing(SignalRing &ring, std::vector<RawSample> *out);

    const int64_t m_periodNs;
    mutable std::mutex m_mutex;
    std::vector<std::shared_ptr<SignalRing>> m_rings;
    int64_t m_lostAtStop = 0; // of the rings stop() let go
};

bool TimerSignalSource::addCurrentThread(QString *error)
{
    auto ring = std::make_shared<SignalRing>();
    ring->tid = int(syscall(SYS_gettid));
    ring->stackHigh = currentStackHigh();
    installRing(ring);
    sigevent event {};
    event.sigev_notify = SIGEV_THREAD_ID;
    event.sigev_signo = SIGPROF;
    event._sigev_un._tid = ring->tid;
    if (timer_create(CLOCK_THREAD_CPUTIME_ID, &event, &ring->timer) != 0) {
        *error = QStringLiteral("timer_create failed: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
        ring->active.store(false);
        return false;
    }
    itimerspec spec {};
    spec.it_interval.tv_sec = time_t(m_periodNs / 1000000000);
    spec.it_interval.tv_nsec = long(m_periodNs % 1000000000);
    spec.it_value = spec.it_interval;
    timer_settime(ring->timer, 0, &spec, nullptr);
    std::lock_guard<std::mutex> lock(m_mutex);
    m_rings.push_back(std::move(ring));
    return true;
}

void TimerSignalSource::drainRing(SignalRing &ring, std::vector<RawSample> *out)
{
    const uint32_t head = ring.head.load(std::memory_order_acquire);
    uint32_t tail = ring.tail.load(std::memory_order_relaxed);
    for (; tail != head; ++tail) {
        const SignalRing::Record &rec = ring.records[tail % SignalRing::Capacity];
        RawSample sample;
        sample.tid = ring.tid;
        sample.timeNs = rec.timeNs;
        sample.weight = rec.weight;
        sample.ips.assign(rec.ips, rec.ips + std::min<uint32_t>(rec.count, MaxSampledFrames));
        out->push_back(std::move(sample));
    }
    ring.tail.store(tail, std::memory_order_release);
}

void TimerSignalSource::drain(std::vector<RawSample> *out)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    for (const std::shared_ptr<SignalRing> &ring : m_rings)
        drainRing(*ring, out);
}

void TimerSignalSource::stop(std::vector<RawSample> *out)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    for (const std::shared_ptr<SignalRing> &ring : m_rings) {
        timer_delete(ring->timer);
        ring->active.store(false);
        drainRing(*ring, out);
        m_lostAtStop += ring->lost.load();
    }
    m_rings.clear();
}

int64_t TimerSignalSource::lost() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    int64_t total = m_lostAtStop;
    for (const std::shared_ptr<SignalRing> &ring : m_rings)
        total += ring->lost.load();
    return total;
}

} // namespace

std::unique_ptr<SampleSource> openTimerSignalSource(int rateHz, QString *error)
{
    static std::once_flag installed;
    static int installError = 0;
    std::call_once(installed, [] {
        struct sigaction action {
        };
        action.sa_sigaction = onProfilingSignal;
        action.sa_flags = SA_SIGINFO | SA_RESTART;
        sigemptyset(&action.sa_mask);
        if (sigaction(SIGPROF, &action, nullptr) != 0)
            installError = errno;
    });
    if (installError != 0) {
        *error = QStringLiteral("cannot install the SIGPROF handler: %1")
                     .arg(QString::fromLocal8Bit(std::strerror(installError)));
        return nullptr;
    }
    return std::make_unique<TimerSignalSource>(rateHz);
}

#else

std::unique_ptr<SampleSource> openTimerSignalSource(int, QString *error)
{
    *error = QStringLiteral("call-stack sampling needs Linux on x86-64 or AArch64");
    return nullptr;
}

#endif

} // namespace pixelperf
