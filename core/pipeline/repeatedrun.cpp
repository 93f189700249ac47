#include "pipeline/repeatedrun.h"

#include "measure/environment.h"
#include "pipeline/decodecache.h"
#include "pipeline/pipeline.h"

#include <QtConcurrent>

namespace pixelperf {

QString RepetitionPlan::validate() const
{
    if (repetitions < 1 || repetitions > 1000)
        return QStringLiteral("repetitions must be 1..1000 (got %1)").arg(repetitions);
    if (warmups < 0 || warmups > 1000)
        return QStringLiteral("warm-ups must be 0..1000 (got %1)").arg(warmups);
    return QString();
}

QString RepetitionProgress::label() const
{
    if (run < 0)
        return QString();
    return QStringLiteral("%1 %2 of %3")
        .arg(warmup ? QStringLiteral("warm-up") : QStringLiteral("repetition"))
        .arg(number)
        .arg(of);
}

RepeatedRun::RepeatedRun(PipelineConfig config, RepetitionPlan plan)
    : m_config(std::move(config))
    , m_plan(plan)
    , m_cancel(std::make_shared<std::atomic<bool>>(false))
{
    m_thread.setMaxThreadCount(1);
}

RepeatedRun::~RepeatedRun()
{
    cancel();
    wait();
}

QFuture<void> RepeatedRun::start()
{
    return QtConcurrent::run(&m_thread, [this] {
        RepeatedRunResult result = run();
        std::lock_guard<std::mutex> lock(m_mutex);
        m_result = std::move(result);
    });
}

void RepeatedRun::wait()
{
    // QThreadPool::waitForDone never runs the task on this thread.
    m_thread.waitForDone();
}

RepetitionProgress RepeatedRun::progress() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return progressOf(m_run);
}

RepetitionProgress RepeatedRun::progressOf(int run) const
{
    RepetitionProgress p;
    p.totalRuns = m_plan.totalRuns();
    p.run = run;
    if (p.run < 0)
        return p;
    p.warmup = p.run < m_plan.warmups;
    p.number = p.warmup ? p.run + 1 : p.run - m_plan.warmups + 1;
    p.of = p.warmup ? m_plan.warmups : m_plan.repetitions;
    return p;
}

std::shared_ptr<RunRecorder> RepeatedRun::currentRecorder(RepetitionProgress *which) const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    if (which)
        *which = progressOf(m_run);
    return m_recorder;
}

RepeatedRunResult RepeatedRun::result() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_result;
}

RepeatedRunResult RepeatedRun::takeResult()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return std::move(m_result);
}

RepeatedRunResult RepeatedRun::runBlocking(const PipelineConfig &config, RepetitionPlan plan)
{
    return RepeatedRun(config, plan).run();
}

RepeatedRunResult RepeatedRun::run()
{
    RepeatedRunResult result;
    result.fatalError = m_plan.validate();
    // The decode cache lives for this plan only: it starts empty, whatever
    // ran before in this process, and is dropped at the end, so no run's
    // figures depend on an earlier one. The warm-ups fill it; the measured
    // repetitions only read it, so each of them starts from the same cache.
    DecodeCache::instance().clear();
    // The machine as the plan starts, for every repetition: the load
    // average after the warm-ups would mostly be this process's own. Each
    // repetition's start time is its own (PipelineRun::run).
    const QJsonObject environment = environmentNow();
    for (int i = 0; result.ok() && i < m_plan.totalRuns(); ++i) {
        const bool warmup = i < m_plan.warmups;
        PipelineConfig config = m_config;
        if (warmup)
            config.sampleRateHz = 0; // only measured repetitions are sampled
        // Every run shares the cancel flag, so a cancel between two runs
        // stops the next one at once; it is kept as the cancelled result.
        PipelineRun pipeline(config, warmup, m_cancel);
        pipeline.setLiveRecords(m_plan.liveRecords);
        pipeline.setEnvironment(environment);
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_run = i;
            m_recorder = pipeline.recorder();
        }
        RunResult r = pipeline.run();
        // What naming this run's stacks read goes before the next run starts,
        // or every later repetition's peak RSS would include it (about
        // 4 MiB) and the first's not. Reading it again costs some ms, after
        // the run's measured time.
        RunRecorder::releaseNaming();
        pixelaccounting::releaseFreeMemory();
        if (!r.ok()) {
            result.fatalError = r.fatalError;
            break;
        }
        if (r.summary.cancelled) {
            result.cancelled = true;
            result.runs.push_back(std::move(r));
            result.lastRun = i;
            break;
        }
        if (warmup) {
            ++result.warmupsDone;
        } else {
            result.runs.push_back(std::move(r));
            result.lastRun = i;
        }
    }
    DecodeCache::instance().clear();
    pixelaccounting::releaseFreeMemory();
    return result;
}

} // namespace pixelperf
