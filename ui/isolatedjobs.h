// The window's long measurements in child processes: the ablation ("what
// did each optimization buy?") and Baseline vs Optimized. One at a time, off
// the GUI thread, each configuration a pixelperf-cli process of its own
// (core's runInterleaved); stop() ends the child going at once, and what was
// measured is kept. Results arrive as signals on the GUI thread; a stale
// one (from a job stopped by the window closing) never does.
#pragma once

#include "measure/ablation.h"
#include "measure/isolatedrun.h"

#include <QFutureWatcher>
#include <QObject>
#include <QStringList>

#include <atomic>
#include <memory>
#include <vector>

namespace pixelperf {

class IsolatedJobs : public QObject
{
    Q_OBJECT
public:
    explicit IsolatedJobs(QObject *parent = nullptr);
    ~IsolatedJobs() override;  // stops the job going and waits for it

    bool isAblating() const { return m_ablation != nullptr; }
    bool isComparing() const { return m_comparison != nullptr; }
    bool isBusy() const { return isAblating() || isComparing(); }
    bool isStopping() const { return isBusy() && m_stop->load(); }

    // False when a job is going.
    bool startAblation(const PipelineConfig &config, const IsolationPlan &plan);
    bool startComparison(const std::vector<PipelineConfig> &configs, const QStringList &labels,
                         const IsolationPlan &plan);
    void stop();

signals:
    // Before each measurement (done of total so far).
    void progress(int done, int total, const QString &label);
    // Comparison: a measurement has finished, of configuration `configuration`.
    void measured(int configuration, const pixelperf::RunResult &run);
    void ablationFinished(const pixelperf::AblationResult &result);
    // Comparison: every measurement per configuration, in the order measured.
    void comparisonFinished(const std::vector<std::vector<pixelperf::RunResult>> &runs, const QString &error,
                            bool cancelled);

private:
    struct Measure {
        int configuration = -1;  // -1: the end, with the error or the cancel
        RunResult run;
        QString error;
        bool cancelled = false;
    };
    void wire(QFutureWatcherBase *watcher);
    void onAblationDone();
    void onComparisonDone();

    std::shared_ptr<std::atomic<bool>> m_stop = std::make_shared<std::atomic<bool>>(false);
    QFutureWatcher<AblationResult> *m_ablation = nullptr;
    QFutureWatcher<Measure> *m_comparison = nullptr;
    std::vector<std::vector<RunResult>> m_runs;
};

} // namespace pixelperf
