// Drives runs for the window, one configuration after another from a queue,
// each as core's RepeatedRun (warm-ups, then the measured repetitions) on one
// thread of its own, whose runs use their workers. This object, on the GUI
// thread, pulls a snapshot from the recorder of the run going on a timer
// (never a signal per stage event), folds it into the live DashboardModel
// (which shows the current repetition only), and moves the finished
// RunResult and every measured repetition to the window once the runs'
// future has finished.
#pragma once

#include "dashboardmodel.h"
#include "pipeline/pipeline.h"
#include "pipeline/repeatedrun.h"

#include <QFutureWatcher>
#include <QList>
#include <QObject>
#include <QTimer>

#include <memory>

namespace pixelperf {

class RunController : public QObject
{
    Q_OBJECT
public:
    explicit RunController(QObject *parent = nullptr);
    ~RunController() override;

    // Starts the first configuration at once and the others after it, each
    // when the one before has finished; each is run as `plan` says. False
    // (and nothing started) when a run is going, the plan is invalid or the
    // first configuration cannot start: *error says why.
    bool start(const QList<PipelineConfig> &batch, const RepetitionPlan &plan = {}, QString *error = nullptr);
    // Stops the current run after each worker's current stage, and drops its
    // other repetitions and the rest of the batch. What was done is kept in
    // the result.
    void cancel();

    bool isRunning() const { return m_run != nullptr; }
    bool isCancelRequested() const;
    // Position in the batch of the run going (0-based) and the batch size.
    int batchIndex() const { return m_batchIndex; }
    int batchSize() const { return m_batchSize; }
    const PipelineConfig *currentConfig() const;
    // Which warm-up or repetition the dashboard shows (run -1: none yet).
    RepetitionProgress repetition() const { return m_repetition; }
    const RepetitionPlan &plan() const { return m_plan; }
    const DashboardModel &dashboard() const { return m_dashboard; }
    // The recorder of the repetition on show (null when nothing runs): its
    // cpuProfile() names the call stacks sampled so far, in full on each
    // call, so not on the GUI thread while a run is measured.
    std::shared_ptr<RunRecorder> liveRecorder() const { return m_recorder; }

    int refreshIntervalMs() const { return m_timer.interval(); }

signals:
    void runStarted(const pixelperf::PipelineConfig &config);
    // A warm-up or a measured repetition of the run has started; the
    // dashboard was cleared for it.
    void repetitionStarted(const pixelperf::RepetitionProgress &progress);
    // After each pull, with what was new in it (the dashboard has it too).
    void snapshotTaken(const pixelperf::ProfileSnapshot &delta);
    // `result`: the last run (the cancelled one when cancelled); `repeats`:
    // every measured repetition, `result` included. `followedLive`: the
    // dashboard and the snapshots followed `result` itself (not when a later
    // run could not start); either way the dashboard now shows `result`.
    void runFinished(std::shared_ptr<const pixelperf::RunResult> result,
        std::shared_ptr<const std::vector<pixelperf::RunResult>> repeats, bool followedLive);
    // A later run of the batch could not start (the first one reports
    // through start()'s return value).
    void startFailed(const QString &message);
    void batchFinished(bool cancelled);

private:
    bool startNext(QString *error);
    void pull();
    void onFinished();

    std::unique_ptr<RepeatedRun> m_run;
    QFutureWatcher<void> m_watcher;
    QTimer m_timer;
    std::shared_ptr<RunRecorder> m_recorder; // of the repetition on show
    RepetitionPlan m_plan;
    RepetitionProgress m_repetition;
    DashboardModel m_dashboard;
    QList<PipelineConfig> m_queue;
    int m_batchIndex = 0;
    int m_batchSize = 0;
    bool m_batchCancelled = false;
};

} // namespace pixelperf
