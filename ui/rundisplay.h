// What the dashboard, the progress bar and the status line show: the run
// going (live, through RunController's snapshots), a run picked in the
// history, a measurement made in a child process, and for each the run it is
// compared with.
#pragma once

#include "dashboardmodel.h"
#include "measure/runresult.h"
#include "pipeline/repeatedrun.h"

#include <QObject>

#include <memory>
#include <vector>

class QProgressBar;
class QWidget;

namespace pixelperf {

class DashboardView;
class FolderPanel;
class HistoryPanel;
class RunController;
class RunHistoryModel;

class RunDisplay : public QObject
{
    Q_OBJECT
public:
    RunDisplay(DashboardView *dashboard, RunController *controller, RunHistoryModel *history,
        HistoryPanel *historyPanel, FolderPanel *folder, QWidget *window);

    QProgressBar *progressBar() const { return m_progress; }
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
    void onRunFinished(
        std::shared_ptr<const RunResult> result, std::shared_ptr<const std::vector<RunResult>> repeats);

    DashboardView *m_dashboard;
    RunController *m_controller;
    RunHistoryModel *m_history;
    HistoryPanel *m_historyPanel;
    FolderPanel *m_folder;
    QProgressBar *m_progress;
    DashboardModel m_viewed; // a past run picked in the history, or a measurement
    int m_liveRunNumber = 0;
};

} // namespace pixelperf
