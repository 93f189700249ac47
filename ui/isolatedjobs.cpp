#include "isolatedjobs.h"

#include <QtConcurrent>

namespace pixelperf {

IsolatedJobs::IsolatedJobs(QObject *parent)
    : QObject(parent)
{
}

IsolatedJobs::~IsolatedJobs()
{
    m_stop->store(true);
    for (QFutureWatcherBase *watcher : { static_cast<QFutureWatcherBase *>(m_ablation),
                                         static_cast<QFutureWatcherBase *>(m_comparison) }) {
        if (!watcher)
            continue;
        watcher->disconnect(this);
        watcher->waitForFinished();
    }
}

void IsolatedJobs::wire(QFutureWatcherBase *watcher)
{
    connect(watcher, &QFutureWatcherBase::progressTextChanged, this, [this, watcher](const QString &label) {
        emit progress(watcher->progressValue(), watcher->progressMaximum(), label);
    });
}

bool IsolatedJobs::startAblation(const PipelineConfig &config, const IsolationPlan &plan)
{
    if (isBusy())
        return false;
    m_stop = std::make_shared<std::atomic<bool>>(false);
    m_ablation = new QFutureWatcher<AblationResult>(this);
    wire(m_ablation);
    connect(m_ablation, &QFutureWatcher<AblationResult>::finished, this, &IsolatedJobs::onAblationDone);
    m_ablation->setFuture(QtConcurrent::run([config, plan, stop = m_stop](QPromise<AblationResult> &promise) {
        AblationResult r = runAblation(
                config, plan,
                [&](int done, int total, const QString &label) {
                    promise.setProgressRange(0, total);
                    promise.setProgressValueAndText(done, label);
                    return !stop->load();
                },
                stop.get());
        promise.addResult(std::move(r));
    }));
    return true;
}

bool IsolatedJobs::startComparison(const std::vector<PipelineConfig> &configs, const QStringList &labels,
                                   const IsolationPlan &plan)
{
    if (isBusy())
        return false;
    m_stop = std::make_shared<std::atomic<bool>>(false);
    m_runs.assign(configs.size(), {});
    m_comparison = new QFutureWatcher<Measure>(this);
    wire(m_comparison);
    connect(m_comparison, &QFutureWatcher<Measure>::resultReadyAt, this, [this](int index) {
        const Measure m = m_comparison->resultAt(index);
        if (m.configuration < 0 || m.configuration >= int(m_runs.size()))
            return;
        m_runs[size_t(m.configuration)].push_back(m.run);
        emit measured(m.configuration, m.run);
    });
    connect(m_comparison, &QFutureWatcher<Measure>::finished, this, &IsolatedJobs::onComparisonDone);
    m_comparison->setFuture(QtConcurrent::run([configs, labels, plan, stop = m_stop](QPromise<Measure> &promise) {
        const InterleavedRuns runs = runInterleaved(
                configs, labels, plan,
                [&](int done, int total, const QString &label) {
                    promise.setProgressRange(0, total);
                    promise.setProgressValueAndText(done, label);
                    return !stop->load();
                },
                stop.get(), {}, [&](int which, const RunResult &run) { promise.addResult(Measure { which, run, {}, false }); });
        if (!runs.error.isEmpty() || runs.cancelled)
            promise.addResult(Measure { -1, {}, runs.error, runs.cancelled });
    }));
    return true;
}

void IsolatedJobs::stop()
{
    m_stop->store(true);
}

void IsolatedJobs::onAblationDone()
{
    QFutureWatcher<AblationResult> *watcher = m_ablation;
    m_ablation = nullptr;
    watcher->deleteLater();
    emit ablationFinished(watcher->future().resultCount() > 0 ? watcher->result() : AblationResult());
}

void IsolatedJobs::onComparisonDone()
{
    QFutureWatcher<Measure> *watcher = m_comparison;
    m_comparison = nullptr;
    watcher->deleteLater();
    QString error;
    bool cancelled = false;
    for (int i = 0; i < watcher->future().resultCount(); ++i) {
        const Measure m = watcher->resultAt(i);
        if (m.configuration < 0) {
            error = m.error;
            cancelled = m.cancelled;
        }
    }
    std::vector<std::vector<RunResult>> runs = std::move(m_runs);
    m_runs.clear();
    emit comparisonFinished(runs, error, cancelled);
}

} // namespace pixelperf
