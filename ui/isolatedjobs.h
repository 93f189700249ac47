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
#include <QPromise>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace pixelperf {

class IsolatedJobs : public QObject
{
    Q_OBJECT
public:
    explicit IsolatedJobs(QObject *parent = nullptr);
    ~IsolatedJobs() override;  // stops the job going and waits for it

    bool isAblating() const { return m_ablating; }
    bool isComparing() const { return m_watcher && !m_ablating; }
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
    // A measurement has finished, of configuration `configuration` (the
    // ablation: -1, its configuration is in the run's config).
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
        std::shared_ptr<const AblationResult> ablation; // the ablation's end
    };
    void start(const std::function<void(QPromise<Measure> &, const std::atomic<bool> &)> &work);
    void onMeasure(int index);
    void onDone();

    std::shared_ptr<std::atomic<bool>> m_stop = std::make_shared<std::atomic<bool>>(false);
    QFutureWatcher<Measure> *m_watcher = nullptr;
    bool m_ablating = false;
    std::vector<std::vector<RunResult>> m_runs;
};

} // namespace pixelperf
