// The window's long measurements in child processes: the ablation ("what
// did each optimization buy?") and Baseline vs Optimized. One at a time, off
// the GUI thread, each configuration a pixelperf-cli process of its own
// (core's runInterleaved); stop() ends the child going at once, and what was
// measured is kept. Through the window's job helper (jobtracker.h): results
// arrive as signals on the GUI thread, each measurement as it ends; a stale
// one (from a job stopped by the window closing) never does.
#pragma once

#include "measure/ablation.h"
#include "measure/isolatedrun.h"

#include <QObject>
#include <QStringList>

#include <vector>

namespace pixelperf {

class JobTracker;

class IsolatedJobs : public QObject
{
    Q_OBJECT
public:
    explicit IsolatedJobs(QObject *parent = nullptr);
    ~IsolatedJobs() override; // stops the job going

    bool isAblating() const { return isBusy() && m_ablating; }
    bool isComparing() const { return isBusy() && !m_ablating; }
    bool isBusy() const;
    bool isStopping() const;

    // False when a job is going.
    bool startAblation(const PipelineConfig &config, const IsolationPlan &plan);
    bool startComparison(
        const std::vector<PipelineConfig> &configs, const QStringList &labels, const IsolationPlan &plan);
    void stop();

signals:
    // Before each measurement (done of total so far).
    void progress(int done, int total, const QString &label);
    // A measurement has finished, of configuration `configuration` (the
    // ablation: -1, its configuration is in the run's config).
    void measured(int configuration, const pixelperf::RunResult &run);
    void ablationFinished(const pixelperf::AblationResult &result);
    // Comparison: every measurement per configuration, in the order measured.
    void comparisonFinished(
        const std::vector<std::vector<pixelperf::RunResult>> &runs, const QString &error, bool cancelled);

private:
    struct Measure {
        int configuration = -1; // -1: one of the ablation's
        RunResult run;
    };
    struct Ending {
        QString error;
        bool cancelled = false;
    };
    void onMeasure(const Measure &m);

    JobTracker *m_job;
    bool m_ablating = false;
    std::vector<std::vector<RunResult>> m_runs;
};

} // namespace pixelperf
