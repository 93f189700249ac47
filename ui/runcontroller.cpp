#include "runcontroller.h"

namespace pixelperf {

RunController::RunController(QObject *parent)
    : QObject(parent)
{
    m_timer.setInterval(200); // 5 Hz: live, and cheap for the workers
    connect(&m_timer, &QTimer::timeout, this, &RunController::pull);
    connect(&m_watcher, &QFutureWatcher<void>::finished, this, &RunController::onFinished);
}

RunController::~RunController()
{
    m_queue.clear();
    m_watcher.disconnect(this);
    if (m_run)
        m_run->cancel();
    m_run.reset(); // RepeatedRun's destructor waits for its runs
}

bool RunController::start(const QList<PipelineConfig> &batch, const RepetitionPlan &plan, QString *error)
{
    if (m_run) {
        if (error)
            *error = tr("a run is already going");
        return false;
    }
    if (batch.isEmpty()) {
        if (error)
            *error = tr("nothing to run");
        return false;
    }
    const QString planError = plan.validate();
    if (!planError.isEmpty()) {
        if (error)
            *error = planError;
        return false;
    }
    m_plan = plan;
    m_queue = batch;
    m_batchIndex = -1;
    m_batchSize = int(batch.size());
    m_batchCancelled = false;
    if (!startNext(error)) {
        m_queue.clear();
        m_batchSize = 0;
        return false;
    }
    return true;
}

bool RunController::startNext(QString *error)
{
    const PipelineConfig config = m_queue.takeFirst();
    ++m_batchIndex;
    // Creates the output folder; refuses what could not start.
    const QString problem = PipelineRun::preflight(config);
    if (!problem.isEmpty()) {
        if (error)
            *error = problem;
        return false;
    }
    m_dashboard.reset();
    m_recorder.reset();
    m_repetition = {};
    m_run = std::make_unique<RepeatedRun>(config, m_plan);
    emit runStarted(config);
    m_watcher.setFuture(m_run->start());
    m_timer.start();
    return true;
}

void RunController::cancel()
{
    m_queue.clear();
    if (!m_run)
        return;
    m_batchCancelled = true;
    m_run->cancel();
}

bool RunController::isCancelRequested() const
{
    return m_run && m_run->isCancelRequested();
}

const PipelineConfig *RunController::currentConfig() const
{
    return m_run ? &m_run->config() : nullptr;
}

void RunController::pull()
{
    if (!m_run)
        return;
    RepetitionProgress progress;
    std::shared_ptr<RunRecorder> recorder = m_run->currentRecorder(&progress);
    if (!recorder)
        return;
    if (recorder != m_recorder) {
        // The next warm-up or repetition: the charts start over with it.
        m_recorder = std::move(recorder);
        m_repetition = progress;
        m_dashboard.reset();
        emit repetitionStarted(progress);
    }
    // The run moves its records into its result as it ends, leaving in
    // the recorder only what this reader has not read yet.
    const ProfileSnapshot delta = m_recorder->follow();
    m_dashboard.addSnapshot(delta);
    emit snapshotTaken(delta);
}

void RunController::onFinished()
{
    if (!m_run)
        return;
    m_timer.stop();
    m_run->wait(); // the future is over; this only joins its thread
    pull(); // whatever came after the last tick
    RepeatedRunResult runs = m_run->takeResult();
    const bool cancelled = m_batchCancelled || runs.cancelled;
    // The one answer to "is the result the run the window followed?": its
    // run of the plan is the last one pulled.
    const bool followed = m_recorder && !runs.runs.empty() && runs.lastRun == m_repetition.run;
    // The records move to the window: the last run is shown from the
    // repetitions it is one of, not from a copy.
    auto repeats = std::make_shared<std::vector<RunResult>>(std::move(runs.runs));
    std::shared_ptr<RunResult> last;
    if (!repeats->empty()) {
        last = std::shared_ptr<RunResult>(repeats, &repeats->back());
    } else {
        last = std::make_shared<RunResult>();
        last->config = m_run->config();
        last->config.listedFiles = {}; // a hint for the run, not part of its result
        last->startedAt = QDateTime::currentDateTime();
    }
    if (!runs.ok()) {
        // A later run could not start: the message goes with the last run
        // shown, not into the repetitions as they were measured.
        if (!repeats->empty())
            last = std::make_shared<RunResult>(*last);
        last->fatalError = runs.fatalError;
    }
    m_run.reset();
    m_recorder.reset();
    // The charts go on showing the run from its result, its spans held
    // once; a result the charts did not follow (the repetition before one
    // that could not start) is shown whole instead.
    if (followed)
        m_dashboard.adoptSpans(last);
    else
        m_dashboard.loadResult(last);
    emit runFinished(std::move(last), std::move(repeats), followed);
    if (!m_queue.isEmpty() && !cancelled) {
        QString error;
        if (startNext(&error))
            return;
        emit startFailed(error);
    }
    m_queue.clear();
    emit batchFinished(cancelled);
}

} // namespace pixelperf
