// Run ▸ Baseline vs Optimized: the naive baseline and the optimized preset
// with the panel's parameters, each measurement a pixelperf-cli process of
// its own (through IsolatedJobs), the two interleaved over max(6,
// Repetitions) rounds. Each measurement is shown as it finishes; at the end
// what was measured, cancelled or not, goes into the history with its rounds
// as repetitions.
#pragma once

#include "measure/runresult.h"
#include "pipeline/pipelineconfig.h"
#include "pipeline/repeatedrun.h"

#include <QObject>

#include <vector>

namespace pixelperf {

class IsolatedJobs;
class RunDisplay;
class RunHistoryModel;

class BaselineVsOptimized : public QObject
{
    Q_OBJECT
public:
    BaselineVsOptimized(IsolatedJobs *jobs, RunDisplay *display, RunHistoryModel *history, QObject *parent);

    // `panel`: the panel's configuration (its parameters and folder). False
    // with *problem set when a configuration cannot run, false alone when a
    // job is going.
    bool start(const PipelineConfig &panel, const RepetitionPlan &plan, QString *problem);
    bool isRunning() const;

signals:
    void status(const QString &message, int timeoutMs);
    // The configuration being measured: the panel can show it.
    void measuring(const pixelperf::ToggleSet &toggles);
    // The history's rows of the two configurations (-1: none measured).
    void finished(int baselineRow, int optimizedRow, const QString &error, bool cancelled);

private:
    void onMeasured(int configuration, const RunResult &run);
    void onFinished(const std::vector<std::vector<RunResult>> &runs, const QString &error, bool cancelled);

    IsolatedJobs *m_jobs;
    RunDisplay *m_display;
    RunHistoryModel *m_history;
    int m_rounds = 0;
    int m_measured[2] = { 0, 0 };
};

} // namespace pixelperf
