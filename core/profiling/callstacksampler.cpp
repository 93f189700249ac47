#include "profiling/callstacksampler.h"

#include "profiling/samplesources.h"

#include <algorithm>
#include <chrono>
#include <utility>

namespace pixelperf {

const char *samplingMethodKey(SamplingMethod method)
{
    switch (method) {
    case SamplingMethod::PerfEvent:
        return "perf_event";
    case SamplingMethod::TimerSignal:
        return "timer-signal";
    case SamplingMethod::Off:
        break;
    }
    return "off";
}

SamplingMethod samplingMethodFromKey(const QString &key)
{
    for (SamplingMethod m : { SamplingMethod::PerfEvent, SamplingMethod::TimerSignal })
        if (key == QLatin1String(samplingMethodKey(m)))
            return m;
    return SamplingMethod::Off;
}

CallStackSampler::CallStackSampler(int rateHz)
    : m_rateHz(std::clamp(rateHz, 1, MaxSampleRateHz))
{
    QString perfError;
    if (qEnvironmentVariable("PIXELPERF_SAMPLER") != QLatin1String("timer"))
        m_source = openPerfEventSource(m_rateHz, &perfError);
    if (m_source) {
        m_method = SamplingMethod::PerfEvent;
    } else {
        QString timerError;
        m_source = openTimerSignalSource(m_rateHz, &timerError);
        m_method = m_source ? SamplingMethod::TimerSignal : SamplingMethod::Off;
        // Why not perf_event (when it was tried), and why not the timer either.
        m_note = perfError;
        if (!m_source)
            m_note = m_note.isEmpty() ? timerError : m_note + QStringLiteral("; ") + timerError;
    }
    if (m_source)
        m_reader = std::thread([this] { readLoop(); });
}

CallStackSampler::~CallStackSampler()
{
    stop();
}

void CallStackSampler::addCurrentThread()
{
    if (!m_source)
        return;
    QString error;
    if (m_source->addCurrentThread(&error))
        return;
    std::lock_guard<std::mutex> lock(m_mutex);
    if (!m_note.contains(error))
        m_note += (m_note.isEmpty() ? QString() : QStringLiteral("; "))
            + QStringLiteral("a worker is not sampled: ") + error;
}

void CallStackSampler::stop()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_stop)
            return;
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_reader.joinable())
        m_reader.join();
    if (!m_source)
        return;
    std::vector<RawSample> last;
    m_source->stop(&last);
    std::lock_guard<std::mutex> lock(m_mutex);
    m_samples.insert(
        m_samples.end(), std::make_move_iterator(last.begin()), std::make_move_iterator(last.end()));
}

QString CallStackSampler::note() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_note;
}

int64_t CallStackSampler::lost() const
{
    return m_source ? m_source->lost() : 0;
}

std::vector<RawSample> CallStackSampler::samples() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_samples;
}

std::vector<RawSample> CallStackSampler::takeSamples()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return std::exchange(m_samples, {});
}

void CallStackSampler::readLoop()
{
    std::vector<RawSample> batch;
    std::unique_lock<std::mutex> lock(m_mutex);
    while (!m_stop) {
        // Every 10 ms: a ring holds ten times that at the default rate.
        m_wake.wait_for(lock, std::chrono::milliseconds(10));
        if (m_stop)
            break;
        lock.unlock();
        batch.clear();
        m_source->drain(&batch);
        lock.lock();
        m_samples.insert(
            m_samples.end(), std::make_move_iterator(batch.begin()), std::make_move_iterator(batch.end()));
    }
}

} // namespace pixelperf
