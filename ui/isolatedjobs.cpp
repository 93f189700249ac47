#include "isolatedjobs.h"

#include "jobtracker.h"

namespace pixelperf {

namespace {

// progress(done, total, label) into the job; false once it is to stop.
auto reporter(const JobControl &job)
{
    return [&job](int done, int total, const QString &label) {
        job.setProgress(done, total, label);
        return !job.stopRequested();
    };
}

} // namespace

IsolatedJobs::IsolatedJobs(QObject *parent)
    : QObject(parent)
    , m_job(new JobTracker(this))
{
    connect(m_job, &JobTracker::progress, this, &IsolatedJobs::progress);
    // Work that threw ends the ablation or the comparison with an error,
    // keeping what was measured, so the window unlocks and says why.
    connect(m_job, &JobTracker::failed, this, [this](const QString &message) {
        if (m_ablating) {
            AblationResult result;
            result.error = message;
            emit ablationFinished(result);
            return;
        }
        std::vector<std::vector<RunResult>> runs = std::move(m_runs);
        m_runs.clear();
        emit comparisonFinished(runs, message, false);
    });
}

// The tracker asks the job to stop: its child process is killed within
// 50 ms and the pool's thread ends; nothing reaches a window going away.
IsolatedJobs::~IsolatedJobs() = default;

bool IsolatedJobs::isBusy() const
{
    return m_job->isRunning();
}

bool IsolatedJobs::isStopping() const
{
    return m_job->isStopping();
}

void IsolatedJobs::stop()
{
    m_job->stop();
}

bool IsolatedJobs::startAblation(const PipelineConfig &config, const IsolationPlan &plan)
{
    if (isBusy())
        return false;
    m_ablating = true;
    m_runs.clear();
    m_job->startStreaming<Measure>(
        [config, plan](const JobControl &job, const std::function<void(Measure)> &publish) {
            // Each measurement reaches the window as it finishes, so the
            // dashboard shows what the ablation is measuring.
            const IsolatedRunner runner = [&](const PipelineConfig &c, int warmups) {
                IsolatedRun r = runIsolated(c, warmups, defaultCliProgram(), job.stopFlag());
                if (r.ok())
                    publish(Measure { -1, r.run });
                return r;
            };
            return runAblation(config, plan, reporter(job), job.stopFlag(), runner);
        },
        [this](const Measure &m) { onMeasure(m); },
        [this](const AblationResult &result) { emit ablationFinished(result); });
    return true;
}

bool IsolatedJobs::startComparison(
    const std::vector<PipelineConfig> &configs, const QStringList &labels, const IsolationPlan &plan)
{
    if (isBusy())
        return false;
    m_ablating = false;
    m_runs.assign(configs.size(), {});
    m_job->startStreaming<Measure>(
        [configs, labels, plan](const JobControl &job, const std::function<void(Measure)> &publish) {
            const InterleavedRuns runs = runInterleaved(configs, labels, plan, reporter(job), job.stopFlag(),
                {}, [&](int which, const RunResult &run) {
                    publish(Measure { which, run });
                });
            return Ending { runs.error, runs.cancelled };
        },
        [this](const Measure &m) { onMeasure(m); },
        [this](const Ending &end) {
            std::vector<std::vector<RunResult>> runs = std::move(m_runs);
            m_runs.clear();
            emit comparisonFinished(runs, end.error, end.cancelled);
        });
    return true;
}

void IsolatedJobs::onMeasure(const Measure &m)
{
    if (m.configuration >= 0 && m.configuration < int(m_runs.size()))
        m_runs[size_t(m.configuration)].push_back(m.run);
    emit measured(m.configuration, m.run);
}

} // namespace pixelperf
