// The PixelPerf window: it builds the panels and wires them together. The
// folder panel holds the input (drop, File ▸ Open, recent folders), the
// toggle panel the schedule, the dashboard the live run, the history panel
// this session's runs; runs go through RunController, the isolated
// measurements through IsolatedJobs and the ablation controller, reports
// through ReportSaver, and everything the pipeline does stays in core.
#pragma once

#include "folderpanel.h"
#include "historypanel.h"
#include "measure/runresult.h"
#include "pipeline/pipelineconfig.h"
#include "pipeline/repeatedrun.h"
#include "windowactions.h"
#include "windowsettings.h"

#include <QMainWindow>

#include <memory>

class QAction;
class QSplitter;
class QTabWidget;
class QTreeView;

namespace pixelperf {

class AblationController;
class BaselineVsOptimized;
class AblationDialog;
class ComparisonDialog;
class DashboardView;
class HistoryDatabase;
class ImageListModel;
class ProfilePanel;
class IsolatedJobs;
class PreviewPane;
class ReportSaver;
class RunController;
class RunDisplay;
class RunHistoryModel;
class TogglePanel;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Lists the folder's images off the GUI thread and makes it the input;
    // folderOpened() follows. False (with a message in the status bar) when
    // it is no folder or a run is going.
    bool openFolder(const QString &dir);
    // What dropped paths name, as a drop on the window takes them: a folder,
    // or image files, the only ones a run then processes.
    bool openPaths(const QStringList &paths) { return m_folder->openPaths(paths); }
    // The files chosen (a drop of files); empty when a folder is the input.
    QStringList inputFiles() const { return m_folder->inputFiles(); }
    // The folder, or the deepest folder holding the chosen files.
    QString currentFolder() const { return m_folder->folder(); }
    QString outputFolder() const { return m_folder->outputFolder(); }

    // Writes `count` synthetic images into `dir` off the GUI thread, with a
    // progress dialog, then opens the folder. False when already generating.
    bool generateSamplesInto(const QString &dir, int count, int width, int height);
    bool isGenerating() const { return m_folder->isGenerating(); }

    // Writes the run (the one selected in the history, else the latest) as
    // a report; the format follows the name: .json, .html, .csv, .md,
    // .trace.json (Chrome trace), .folded or .speedscope.json (the sampled
    // call stacks). Off the GUI thread; reportExported() tells
    // how it went. False when there is no run to export.
    bool exportReport(const QString &path) { return m_historyPanel->exportSelected(path); }
    // Reads a JSON report off the GUI thread and adds its run to the
    // history, marked "loaded"; reportLoaded() tells how it went.
    bool openReport(const QString &path) { return m_historyPanel->openReport(path); }
    // The comparison dialog on two rows of the history; -1 picks the default:
    // A the pinned run (else the one before B), B the selected run (else the
    // latest). Null with fewer than two runs.
    ComparisonDialog *showComparison(int rowA = -1, int rowB = -1)
    {
        return m_historyPanel->showComparison(rowA, rowB);
    }
    ComparisonDialog *comparisonDialog() const { return m_historyPanel->comparisonDialog(); }

    // "What did each optimization buy?": the optimized preset with the
    // panel's parameters, each toggle turned off in turn, in child
    // processes. Toggles are locked meanwhile; ablationFinished() follows.
    bool startAblation(int repeat = 3);
    void cancelAblation();
    bool isAblating() const;
    AblationDialog *ablationDialog() const;

    bool startRun();
    // The naive baseline and the optimized preset with the panel's
    // parameters, each measurement a pixelperf-cli process of its own, the
    // two interleaved over max(6, Repetitions) rounds; both land in the
    // history with their rounds as repetitions, and the comparison opens.
    bool startBaselineVsOptimized();
    bool isComparingIsolated() const;
    void cancelRun();
    bool isRunning() const;

    ImageListModel *imageModel() const { return m_folder->images(); }
    RunHistoryModel *historyModel() const { return m_history; }
    HistoryPanel *historyPanel() const { return m_historyPanel; }
    HistoryDatabase *historyDatabase() const { return m_database; }
    TogglePanel *togglePanel() const { return m_toggles; }
    DashboardView *dashboard() const { return m_dashboard; }
    ProfilePanel *profilePanel() const { return m_profilePanel; }
    QTabWidget *centerTabs() const { return m_centerTabs; }
    PreviewPane *preview() const { return m_preview; }
    RunController *runController() const { return m_controller; }
    QTreeView *fileView() const { return m_folder->view(); }
    QTreeView *historyView() const { return m_historyPanel->view(); }
    QAction *runAction() const { return m_actions.run; }
    QAction *cancelAction() const { return m_actions.cancel; }
    QAction *compareAction() const { return m_actions.compare; }
    QAction *compareRunsAction() const { return m_actions.compareRuns; }
    QAction *openReportAction() const { return m_actions.openReport; }
    QAction *ablationAction() const { return m_actions.ablation; }
    QString statusMessage() const;
    QStringList recentFolders() const { return m_settings->recentFolders(); }

signals:
    // Every run of a batch has finished (or the batch was cancelled).
    void runsFinished();
    void folderOpened(const QString &dir);
    void folderOpenFailed(const QString &dir, const QString &error);
    // An empty error: written.
    void reportExported(const QString &path, const QString &error);
    // An empty error: the report's run is the last row of the history.
    void reportLoaded(const QString &path, const QString &error);
    void ablationFinished(bool cancelled);

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void buildPanels();
    QWidget *buildToggleScroll();
    void buildStatusBar();
    void buildMenus();
    void connectActions();
    void connectRuns();

    bool busy() const;
    PipelineConfig configFromPanel() const;
    bool checkFolderReady();
    // A configuration cannot run: says why (nothing when `problem` is empty).
    bool refuseStart(const QString &problem);
    void updateActions();
    void showStatus(const QString &message, int timeoutMs = 0);
    // While a measurement of other toggles runs, the locked panel shows
    // them; null: the user's own again.
    void showMeasuredToggles(const ToggleSet *toggles);
    void lockForMeasurement(bool locked);

    void onBatchFinished();
    void onBaselineVsOptimizedFinished(
        int baselineRow, int optimizedRow, const QString &error, bool cancelled);
    void onAblationFinished(bool cancelled);

    WindowSettings *m_settings = nullptr;
    WindowActions m_actions;
    TogglePanel *m_toggles = nullptr;
    DashboardView *m_dashboard = nullptr;
    QTabWidget *m_centerTabs = nullptr;
    ProfilePanel *m_profilePanel = nullptr;
    PreviewPane *m_preview = nullptr;
    FolderPanel *m_folder = nullptr;
    HistoryPanel *m_historyPanel = nullptr;
    RunController *m_controller = nullptr;
    RunHistoryModel *m_history = nullptr;
    HistoryDatabase *m_database = nullptr;
    IsolatedJobs *m_jobs = nullptr;
    AblationController *m_ablation = nullptr;
    ReportSaver *m_saver = nullptr;
    RunDisplay *m_display = nullptr;
    BaselineVsOptimized *m_baselineVsOptimized = nullptr;
    QSplitter *m_mainSplitter = nullptr;
    QSplitter *m_rightSplitter = nullptr;
    std::unique_ptr<ToggleSet> m_ownToggles; // the user's, while the panel shows a measurement's
};

} // namespace pixelperf
