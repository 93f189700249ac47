#include "isolatedjobs.h"

#include <QtConcurrent>

namespace pixelperf {

namespace {

// Ablation measurements are told apart from the end by this index.
constexpr int AblationRun = -2;

} // namespace

IsolatedJobs::IsolatedJobs(QObject *parent)
    : QObject(parent)
{
}

IsolatedJobs::~IsolatedJobs()
{
    m_stop->store(true);
    if (m_watcher) {
        m_watcher->disconnect(this);
        m_watcher->waitForFinished();
    }
}

void IsolatedJobs::start(const std::function<void(QPromise<Measure> &, const std::atomic<bool> &)> &work)
{
    m_stop = std::make_shared<std::atomic<bool>>(false);
    m_watcher = new QFutureWatcher<Measure>(this);
    connect(m_watcher, &QFutureWatcherBase::progressTextChanged, this, [this](const QString &label) {
        emit progress(m_watcher->progressValue(), m_watcher->progressMaximum(), label);
    });
    connect(m_watcher, &QFutureWatcher<Measure>::resultReadyAt, this, &IsolatedJobs::onMeasure);
    connect(m_watcher, &QFutureWatcher<Measure>::finished, this, &IsolatedJobs::onDone);
    m_watcher->setFuture(
        QtConcurrent::run([work, stop = m_stop](QPromise<Measure> &promise) { work(promise, *stop); }));
}

namespace {

// progress(done, total, label) into the promise; false once stopped.
template <typename Promise> auto reporter(Promise &promise, const std::atomic<bool> &stop)
{
    return [&promise, &stop](int done, int total, const QString &label) {
        promise.setProgressRange(0, total);
        promise.setProgressValueAndText(done, label);
        return !stop.load();
    };
}

} // namespace

bool IsolatedJobs::startAblation(const PipelineConfig &config, const IsolationPlan &plan)
{
    if (isBusy())
        return false;
    m_ablating = true;
    m_runs.clear();
    start([config, plan](QPromise<Measure> &promise, const std::atomic<bool> &stop) {
        // Each measurement reaches the window as it finishes, so the
        // dashboard shows what the ablation is measuring.
        const IsolatedRunner runner = [&](const PipelineConfig &c, int warmups) {
            IsolatedRun r = runIsolated(c, warmups, defaultCliProgram(), &stop);
            if (r.ok())
                promise.addResult(Measure { AblationRun, r.run, {}, false, {} });
            return r;
        };
        AblationResult result = runAblation(config, plan, reporter(promise, stop), &stop, runner);
        promise.addResult(
            Measure { -1, {}, {}, false, std::make_shared<const AblationResult>(std::move(result)) });
    });
    return true;
}

bool IsolatedJobs::startComparison(const std::vector<PipelineConfig> &configs, const QStringList &labels,
                                   const IsolationPlan &plan)
{
    if (isBusy())
        return false;
    m_ablating = false;
    m_runs.assign(configs.size(), {});
    start([configs, labels, plan](QPromise<Measure> &promise, const std::atomic<bool> &stop) {
        const InterleavedRuns runs = runInterleaved(
            configs, labels, plan, reporter(promise, stop), &stop, {}, [&](int which, const RunResult &run) {
                promise.addResult(Measure { which, run, {}, false, {} });
            });
        if (!runs.error.isEmpty() || runs.cancelled)
            promise.addResult(Measure { -1, {}, runs.error, runs.cancelled, {} });
    });
    return true;
}

void IsolatedJobs::stop()
{
    m_stop->store(true);
}

void IsolatedJobs::onMeasure(int index)
{
    const Measure m = m_watcher->resultAt(index);
    if (m.configuration == AblationRun) {
        emit measured(-1, m.run);
    } else if (m.configuration >= 0 && m.configuration < int(m_runs.size())) {
        m_runs[size_t(m.configuration)].push_back(m.run);
        emit measured(m.configuration, m.run);
    }
}

void IsolatedJobs::onDone()
{
    QFutureWatcher<Measure> *watcher = m_watcher;
    const bool ablation = m_ablating;
    m_watcher = nullptr;
    m_ablating = false;
    watcher->deleteLater();
    QString error;
    bool cancelled = false;
    std::shared_ptr<const AblationResult> ablated;
    for (int i = 0; i < watcher->future().resultCount(); ++i) {
        const Measure m = watcher->resultAt(i);
        if (m.configuration == -1) {
            error = m.error;
            cancelled = m.cancelled;
            ablated = m.ablation;
        }
    }
    if (ablation) {
        emit ablationFinished(ablated ? *ablated : AblationResult());
        return;
    }
    std::vector<std::vector<RunResult>> runs = std::move(m_runs);
    m_runs.clear();
    emit comparisonFinished(runs, error, cancelled);
}

} // namespace pixelperf
