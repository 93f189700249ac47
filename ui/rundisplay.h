// What the dashboard, the progress bar and the status line show: the run
// going (live, through RunController's snapshots), a run picked in the
// history, a measurement made in a child process, and for each the run it is
// compared with.
#pragma once

#include "dashboardmodel.h"
#include "measure/runresult.h"
#include "pipeline/repeatedrun.h"

#include <QFutureWatcher>
#include <QObject>
#include <QThreadPool>
#include <QTimer>

#include <memory>
#include <vector>

class QProgressBar;
class QWidget;

namespace pixelperf {

class DashboardView;
class FolderPanel;
class HistoryPanel;
class ProfilePanel;
class RunController;
class RunHistoryModel;
struct RunEntry;

class RunDisplay : public QObject
{
    Q_OBJECT
public:
    RunDisplay(DashboardView *dashboard, RunController *controller, RunHistoryModel *history,
        HistoryPanel *historyPanel, FolderPanel *folder, QWidget *window);

    QProgressBar *progressBar() const { return m_progress; }
    // The call stacks of what the dashboard shows, and of its comparison:
    // while a run goes, refreshed about once a second when the panel is
    // visible (naming the stacks is not a per-tick job).
    void setProfilePanel(ProfilePanel *panel);
    // total 0 and no format: idle, an empty bar; a format without a total:
    // busy until the total is known.
    void setProgress(int done, int total, const QString &format = {});
    // A measurement made elsewhere (a child process), titled.
    void showMeasurement(const RunResult &run, const QString &title);
    // A folder was opened: the dashboard no longer shows another folder's run.
    void showFolder(const QString &dir);
    // A run read back from the history database, titled; not while a run goes.
    void showStoredRun(const RunResult &run, const QString &title);
    // The history's row on the dashboard (none: nothing changes).
    void showHistoryRow(int row);
    void updateComparison();

signals:
    void status(const QString &message, int timeoutMs);

private:
    void onRunStarted(const PipelineConfig &config);
    void showLiveRun(const PipelineConfig &config, const RepetitionProgress &progress);
    void onSnapshot(const ProfileSnapshot &delta);
    void showProfileComparison(const RunEntry *cmp, const RunEntry *shown);
    void showProfile(const RunResult *run, const std::vector<RunResult> *repeats);
    void refreshLiveProfile();
    void onRunFinished(std::shared_ptr<const RunResult> result,
        std::shared_ptr<const std::vector<RunResult>> repeats, bool followedLive);
    void showViewed(const RunResult &run, const QString &title);

    DashboardView *m_dashboard;
    RunController *m_controller;
    RunHistoryModel *m_history;
    HistoryPanel *m_historyPanel;
    FolderPanel *m_folder;
    QProgressBar *m_progress;
    ProfilePanel *m_profile = nullptr;
    QTimer m_profileTimer;
    // Naming the live stacks: one job at a time, on a thread of idle
    // priority, so it takes only CPU time the measured run leaves.
    QThreadPool m_profilePool;
    QFutureWatcher<std::shared_ptr<const CpuProfile>> m_liveProfile;
    DashboardModel m_viewed; // a past run picked in the history, or a measurement
    int m_liveRunNumber = 0;
};

} // namespace pixelperf
