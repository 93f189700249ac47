// Samples the call stacks of the threads that register with it (the
// pipeline's workers), without privileges, while a run goes. Linux:
// perf_event_open with the task clock (each thread's own CPU time), one
// event and ring buffer per thread, the kernel walking the frame pointers;
// where the kernel refuses, a per-thread CPU-time timer whose signal walks
// the frame pointers itself. One reader thread drains the rings every few
// milliseconds, so a worker never waits on it. Elsewhere: off, with a note.
#pragma once

#include <QString>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace pixelperf {

enum class SamplingMethod { Off, PerfEvent, TimerSignal };

// "off", "perf_event", "timer-signal": as reports and the CLI name them.
const char *samplingMethodKey(SamplingMethod method);
SamplingMethod samplingMethodFromKey(const QString &key);

constexpr int DefaultSampleRateHz = 1000;
constexpr int MaxSampleRateHz = 10000;

struct RawSample {
    int tid = 0;
    int64_t timeNs = 0; // CLOCK_MONOTONIC: std::chrono::steady_clock's clock on Linux
    std::vector<uint64_t> ips; // innermost first; [0] where the thread was, then return addresses
    // Sampling periods (1/rate s of the thread's CPU time) it stands for:
    // 1, or more when a CPU-time timer, which the kernel checks at its tick
    // (250 Hz on many kernels), fired late (its overrun).
    int weight = 1;
};

// Where frame i's code is: past [0], return addresses, and the call is the
// byte before.
inline uint64_t codeAddress(const std::vector<uint64_t> &ips, size_t i)
{
    return i == 0 ? ips[i] : ips[i] - 1;
}

// Where samples come from: the kernel's rings or the signal handler's.
class SampleSource
{
public:
    virtual ~SampleSource() = default;
    // On the thread to sample. False with the reason when it cannot be.
    virtual bool addCurrentThread(QString *error) = 0;
    // From the reader thread: appends what arrived since the last call.
    virtual void drain(std::vector<RawSample> *out) = 0;
    // No sample is taken after it returns; what was taken is drained first.
    virtual void stop(std::vector<RawSample> *out) = 0;
    virtual int64_t lost() const = 0;
};

class CallStackSampler
{
public:
    // rateHz: samples per second of each thread's CPU time. The method is
    // chosen here: perf_event if the kernel lets this process open one, else
    // the timer signal. $PIXELPERF_SAMPLER=timer forces the fallback.
    explicit CallStackSampler(int rateHz);
    ~CallStackSampler();
    CallStackSampler(const CallStackSampler &) = delete;
    CallStackSampler &operator=(const CallStackSampler &) = delete;

    // Samples the calling thread from now until stop().
    void addCurrentThread();
    // Stops sampling and the reader; idempotent.
    void stop();

    SamplingMethod method() const { return m_method; }
    // Why sampling is off, or a thread could not be sampled; empty otherwise.
    QString note() const;
    int rateHz() const { return m_rateHz; }
    int64_t lost() const;
    // The samples so far, in the order drained.
    std::vector<RawSample> samples() const;
    // The samples moved out, for the one reader of a finished run.
    std::vector<RawSample> takeSamples();

private:
    void readLoop();

    const int m_rateHz;
    SamplingMethod m_method = SamplingMethod::Off;
    std::unique_ptr<SampleSource> m_source;

    mutable std::mutex m_mutex;
    QString m_note;
    std::vector<RawSample> m_samples;
    bool m_stop = false;
    std::condition_variable m_wake;
    std::thread m_reader;
};

} // namespace pixelperf
