// Drives PipelineRuns for the window, one after another from a queue. The
// run works on core's thread pools; this object, on the GUI thread, pulls a
// snapshot from the run's recorder on a timer (never a signal per stage
// event), folds it into the live DashboardModel, and hands the finished
// RunResult over by value once the run's future has finished.
#pragma once

#include "dashboardmodel.h"
#include "pipeline.h"

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
    // when the one before has finished. False (and nothing started) when a
    // run is going or the first configuration cannot start: *error says why.
    bool start(const QList<PipelineConfig> &batch, QString *error = nullptr);
    // Stops the current run after each worker's current stage and drops the
    // rest of the batch. What was done is kept in the result.
    void cancel();

    bool isRunning() const { return m_run != nullptr; }
    bool isCancelRequested() const;
    // Position in the batch of the run going (0-based) and the batch size.
    int batchIndex() const { return m_batchIndex; }
    int batchSize() const { return m_batchSize; }
    const PipelineConfig *currentConfig() const;
    const DashboardModel &dashboard() const { return m_dashboard; }

    int refreshIntervalMs() const { return m_timer.interval(); }
    void setRefreshIntervalMs(int ms) { m_timer.setInterval(ms); }

signals:
    void runStarted(const pixelperf::PipelineConfig &config);
    // After each pull, with what was new in it (the dashboard has it too).
    void snapshotTaken(const pixelperf::ProfileSnapshot &delta);
    void runFinished(std::shared_ptr<const pixelperf::RunResult> result);
    // A later run of the batch could not start (the first one reports
    // through start()'s return value).
    void startFailed(const QString &message);
    void batchFinished(bool cancelled);

private:
    bool startNext(QString *error);
    void pull();
    void onFinished();

    std::unique_ptr<PipelineRun> m_run;
    QFutureWatcher<void> m_watcher;
    QTimer m_timer;
    SnapshotCursor m_cursor;
    DashboardModel m_dashboard;
    QList<PipelineConfig> m_queue;
    int m_batchIndex = 0;
    int m_batchSize = 0;
    bool m_batchCancelled = false;
};

} // namespace pixelperf
