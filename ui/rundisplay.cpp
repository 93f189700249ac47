#include "rundisplay.h"

#include "dashboardview.h"
#include "folderpanel.h"
#include "historypanel.h"
#include "imagelistmodel.h"
#include "profilepanel.h"
#include "runcontroller.h"
#include "runhistorymodel.h"
#include "runtext.h"

#include <QFileInfo>
#include <QProgressBar>
#include <QThread>
#include <QWidget>
#include <QtConcurrent>

namespace pixelperf {

RunDisplay::RunDisplay(DashboardView *dashboard, RunController *controller, RunHistoryModel *history,
    HistoryPanel *historyPanel, FolderPanel *folder, QWidget *window)
    : QObject(window)
    , m_dashboard(dashboard)
    , m_controller(controller)
    , m_history(history)
    , m_historyPanel(historyPanel)
    , m_folder(folder)
{
    m_progress = new QProgressBar(window);
    m_progress->setObjectName(QStringLiteral("runProgress"));
    m_progress->setMaximumWidth(window->fontMetrics().averageCharWidth() * 40);
    m_progress->setMinimumWidth(window->fontMetrics().averageCharWidth() * 24);
    setProgress(0, 0);
    connect(m_controller, &RunController::runStarted, this, &RunDisplay::onRunStarted);
    connect(
        m_controller, &RunController::repetitionStarted, this, [this](const RepetitionProgress &progress) {
            if (const PipelineConfig *config = m_controller->currentConfig())
                showLiveRun(*config, progress);
        });
    connect(m_controller, &RunController::snapshotTaken, this, &RunDisplay::onSnapshot);
    connect(m_controller, &RunController::runFinished, this, &RunDisplay::onRunFinished);
    connect(m_controller, &RunController::batchFinished, this, &RunDisplay::updateComparison);
    connect(m_history, &RunHistoryModel::pinnedChanged, this, &RunDisplay::updateComparison);
}

void RunDisplay::setProfilePanel(ProfilePanel *panel)
{
    m_profile = panel;
    m_profileTimer.setInterval(1000);
    m_profilePool.setMaxThreadCount(1);
    connect(&m_profileTimer, &QTimer::timeout, this, &RunDisplay::refreshLiveProfile);
    connect(m_controller, &RunController::batchFinished, &m_profileTimer, &QTimer::stop);
    connect(&m_liveProfile, &QFutureWatcherBase::finished, this, [this] {
        // A run that has finished shows its measured repetitions instead.
        const std::shared_ptr<const CpuProfile> live
            = m_liveProfile.future().resultCount() > 0 ? m_liveProfile.result() : nullptr;
        if (live && m_controller->isRunning())
            m_profile->setProfile(*live);
    });
}

void RunDisplay::showProfile(const RunResult *run, const std::vector<RunResult> *repeats)
{
    if (!m_profile)
        return;
    const std::shared_ptr<const CpuProfile> profile
        = run ? measuredProfile(*run, RunEntry::repetitionsOf(repeats)) : nullptr;
    m_profile->setProfile(profile ? *profile : CpuProfile());
}

void RunDisplay::refreshLiveProfile()
{
    if (!m_profile || !m_profile->isVisible() || !m_controller->isRunning() || m_liveProfile.isRunning())
        return;
    const std::shared_ptr<RunRecorder> recorder = m_controller->liveRecorder();
    if (!recorder)
        return;
    m_liveProfile.setFuture(QtConcurrent::run(&m_profilePool, [recorder] {
        QThread::currentThread()->setPriority(QThread::IdlePriority);
        return recorder->cpuProfile();
    }));
}

void RunDisplay::setProgress(int done, int total, const QString &format)
{
    // Nothing going: an empty bar, no "0/1 images".
    const bool idle = total == 0 && format.isEmpty();
    m_progress->setTextVisible(!idle);
    m_progress->setFormat(format.isEmpty() ? tr("%v/%m images") : format);
    m_progress->setRange(0, idle ? 1 : std::max(0, total));
    m_progress->setValue(done);
}

void RunDisplay::showMeasurement(const RunResult &run, const QString &title)
{
    m_viewed.loadResult(run);
    showViewed(run, title);
}

// m_viewed, loaded with `run`, on the dashboard.
void RunDisplay::showViewed(const RunResult &run, const QString &title)
{
    showProfile(&run, nullptr);
    m_dashboard->setModel(&m_viewed);
    m_dashboard->setImageNames(run.files);
    m_dashboard->setTitle(title);
}

void RunDisplay::showFolder(const QString &dir)
{
    if (m_controller->isRunning())
        return;
    m_historyPanel->clearSelection();
    m_dashboard->setModel(nullptr);
    m_dashboard->setComparison(nullptr, QString());
    showProfile(nullptr, nullptr);
    m_dashboard->setTitle(tr("No run yet on %1 — press Run (Ctrl+R)").arg(QFileInfo(dir).fileName()));
    setProgress(0, 0);
}

void RunDisplay::showStoredRun(const RunResult &run, const QString &title)
{
    if (m_controller->isRunning())
        return;
    m_historyPanel->clearSelection(); // the session's pick no longer on show
    showMeasurement(run, title);
    m_dashboard->setComparison(nullptr, QString());
}

void RunDisplay::showHistoryRow(int row)
{
    if (m_controller->isRunning() || row < 0)
        return;
    const RunEntry &e = m_history->entry(row);
    m_viewed.loadResult(e.result); // its spans not copied
    showViewed(*e.result, runTitle(e.number, e.preset, e.result->summary));
    showProfile(e.result.get(), e.repeats.get());
    updateComparison();
}

void RunDisplay::updateComparison()
{
    // While a run goes (or for the latest run) the comparison is the pinned
    // run, else the one before; for a past run picked in the history, the
    // pinned run, else the one before it.
    const int selected = m_historyPanel->currentRow();
    const bool viewingPast = m_dashboard->model() == &m_viewed && selected >= 0;
    const RunEntry *cmp = nullptr;
    const RunEntry *shownEntry = nullptr;
    const ToggleSet *shown = nullptr;
    if (m_controller->isRunning()) {
        shown = &m_controller->currentConfig()->toggles;
        cmp = m_history->comparison();
    } else if (viewingPast || m_history->count() > 0) {
        const int row = viewingPast ? selected : m_history->count() - 1;
        shownEntry = &m_history->entry(row);
        shown = &shownEntry->result->config.toggles;
        const int pinned = m_history->pinnedRow();
        if (pinned >= 0 && pinned != row)
            cmp = &m_history->entry(pinned);
        else if (row > 0)
            cmp = &m_history->entry(row - 1);
    }
    showProfileComparison(cmp, shownEntry);
    if (!cmp) {
        m_dashboard->setComparison(nullptr, QString());
        return;
    }
    const ComparisonLabel label = comparisonLabel(*cmp, shown, m_folder->folder());
    m_dashboard->setComparison(cmp->result, label.label, label.details);
}

// The difference of the shown run's call stacks to its comparison's (the
// comparison is A); none while a run goes or when either was not sampled.
void RunDisplay::showProfileComparison(const RunEntry *cmp, const RunEntry *shown)
{
    if (!m_profile)
        return;
    const auto profileOf = [](const RunEntry *e) -> std::shared_ptr<const CpuProfile> {
        return e ? measuredProfile(*e->result, e->repetitions()) : nullptr;
    };
    const std::shared_ptr<const CpuProfile> a = profileOf(cmp), b = profileOf(shown);
    if (a && b && a->samples > 0 && b->samples > 0)
        m_profile->setComparison(*a, *b);
    else
        m_profile->clearComparison();
}

void RunDisplay::onRunStarted(const PipelineConfig &config)
{
    showProfile(nullptr, nullptr);
    if (m_profile)
        m_profileTimer.start();
    m_liveRunNumber = m_history->count() + 1;
    m_dashboard->setModel(&m_controller->dashboard());
    // The run lists the folder as the panel did: its files, in its order.
    m_dashboard->setImageNames(m_folder->images()->paths());
    m_historyPanel->clearSelection();
    updateComparison();
    showLiveRun(config, m_controller->repetition());
}

// The dashboard's title, the progress bar and the status line for the run
// going; with repetitions, which warm-up or repetition the charts show.
void RunDisplay::showLiveRun(const PipelineConfig &config, const RepetitionProgress &progress)
{
    const QString batch = m_controller->batchSize() > 1
        ? tr(" (%1 of %2)").arg(m_controller->batchIndex() + 1).arg(m_controller->batchSize())
        : QString();
    m_dashboard->setTitle(liveRunTitle(m_liveRunNumber, batch, config, progress));
    m_folder->images()->markQueued();
    setProgress(0, 0, liveProgressFormat(progress)); // busy until the scan has counted the images
    const QString folder = QFileInfo(config.inputDir).fileName();
    const QString preset = presetNameFor(config.toggles);
    emit status(progress.totalRuns > 1 && progress.run >= 0
            ? tr("Running %1 on %2: %3…").arg(preset, folder, progress.label())
            : tr("Running %1 on %2…").arg(preset, folder),
        0);
}

void RunDisplay::onSnapshot(const ProfileSnapshot &delta)
{
    // One pull per timer tick; the delta's records update the file list.
    m_folder->images()->applyRecords(delta.images);
    m_dashboard->refresh();
    const HeadlineFigures h = m_controller->dashboard().headline();
    if (h.imagesTotal > 0)
        setProgress(h.imagesDone, h.imagesTotal, m_progress->format());
}

void RunDisplay::onRunFinished(std::shared_ptr<const RunResult> result,
    std::shared_ptr<const std::vector<RunResult>> repeats, bool followedLive)
{
    // Rows the snapshots reached hold the followed run's figures: kept only
    // when that run is the result.
    m_folder->showRun(*result, followedLive);
    m_dashboard->setImageNames(result->files);
    m_history->add(result, repeats);
    showProfile(result.get(), repeats.get());
    m_dashboard->refresh();
    const RunSummary &s = result->summary;
    m_dashboard->setTitle(runTitle(m_liveRunNumber, presetNameFor(result->config.toggles), s));
    setProgress(s.imagesOk + s.imagesFailed, std::max(1, s.imagesTotal));
    const QString repetition
        = m_controller->plan().totalRuns() > 1 ? m_controller->repetition().label() : QString();
    emit status(runFinishedMessage(m_liveRunNumber, *result, repeats.get(), repetition), 0);
}

} // namespace pixelperf
