// The PixelPerf window: folder in (drop, File ▸ Open, recent folders), the
// schedule and parameters on the left, the live dashboard in the middle, the
// images, the before/after preview and the run history on the right.
// It wires models to views; runs go through RunController, data through
// the models in this folder, and everything the pipeline does stays in core.
#pragma once

#include "dashboardmodel.h"
#include "pipeline/pipelineconfig.h"
#include "pipeline/repeatedrun.h"
#include "measure/runresult.h"

#include <QMainWindow>
#include <QPointer>

#include <atomic>
#include <memory>

template <typename T>
class QFutureWatcher;
class QAction;
class QLabel;
class QMenu;
class QMimeData;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QSplitter;
class QStackedWidget;
class QTreeView;

namespace pixelperf {

class AblationDialog;
class ComparisonDialog;
class DashboardView;
class IsolatedJobs;
class DropOverlay;
class ImageListModel;
class PreviewPane;
class RunController;
class RunHistoryModel;
struct AblationResult;
struct LoadedReport;
struct RunEntry;
class TogglePanel;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Lists the folder's images and makes it the input. False (with a
    // message in the status bar) when it cannot be opened or a run is going.
    bool openFolder(const QString &dir);
    QString currentFolder() const;
    QString outputFolder() const;

    // Writes `count` synthetic images into `dir` off the GUI thread, with a
    // progress dialog, then opens the folder. False when already generating.
    bool generateSamplesInto(const QString &dir, int count, int width, int height);
    bool isGenerating() const { return m_generating; }

    // Writes the run (the one selected in the history, else the latest) as
    // a report; the format follows the name: .json, .html, .csv, .md, or
    // .trace.json (Chrome trace). Off the GUI thread; reportExported() tells
    // how it went. False when there is no run to export.
    bool exportReport(const QString &path);

    // Reads a JSON report off the GUI thread and adds its run to the
    // history, marked "loaded"; reportLoaded() tells how it went.
    bool openReport(const QString &path);
    // The comparison dialog on two rows of the history; -1 picks the default:
    // A the pinned run (else the one before B), B the selected run (else the
    // latest). Null with fewer than two runs.
    ComparisonDialog *showComparison(int rowA = -1, int rowB = -1);
    ComparisonDialog *comparisonDialog() const;

    // "What did each optimization buy?": the optimized preset with the
    // panel's parameters, each toggle turned off in turn, off the GUI thread.
    // Toggles are locked meanwhile; ablationFinished() follows.
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

    ImageListModel *imageModel() const { return m_images; }
    RunHistoryModel *historyModel() const { return m_history; }
    TogglePanel *togglePanel() const { return m_toggles; }
    DashboardView *dashboard() const { return m_dashboard; }
    PreviewPane *preview() const { return m_preview; }
    RunController *runController() const { return m_controller; }
    QTreeView *fileView() const { return m_fileView; }
    QTreeView *historyView() const { return m_historyView; }
    QAction *runAction() const { return m_runAction; }
    QAction *cancelAction() const { return m_cancelAction; }
    QAction *compareAction() const { return m_compareAction; }
    QAction *compareRunsAction() const { return m_compareRunsAction; }
    QAction *openReportAction() const { return m_openReportAction; }
    QAction *ablationAction() const { return m_ablationAction; }
    QString statusMessage() const;
    QStringList recentFolders() const { return m_recent; }

signals:
    // Every run of a batch has finished (or the batch was cancelled).
    void runsFinished();
    void folderOpened(const QString &dir);
    // An empty error: written.
    void reportExported(const QString &path, const QString &error);
    // An empty error: the report's run is the last row of the history.
    void reportLoaded(const QString &path, const QString &error);
    void ablationFinished(bool cancelled);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dragLeaveEvent(QDragLeaveEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void buildActions();
    void buildMenus();
    QWidget *buildFilesPanel();
    QWidget *buildHistoryPanel();
    void loadSettings();
    void saveSettings() const;
    void saveRunSettings() const;

    void chooseFolder();
    void chooseAndGenerateSamples();
    void showDownloadDialog();
    void openOutputFolder();
    void chooseAndExportReport();
    void chooseAndOpenReport();
    void onReportRead(const QString &path, const LoadedReport &report);
    void onAblationFinished(const AblationResult &result);
    const RunEntry *reportedRun() const;
    void showTogglesHelp();
    void showAbout();
    void addRecentFolder(const QString &dir);
    void rebuildRecentMenu();

    bool startBatch(const QList<PipelineConfig> &batch);
    PipelineConfig configFromPanel() const;
    void setRunning(bool running);
    void updateActions();
    void updateFolderHeader();
    void updateComparison();
    void showStatus(const QString &message, int timeoutMs = 0);

    void onRunStarted(const PipelineConfig &config);
    void onRepetitionStarted(const RepetitionProgress &progress);
    void showLiveRun(const PipelineConfig &config, const RepetitionProgress &progress);
    void onSnapshot(const ProfileSnapshot &delta);
    void onRunFinished(
        std::shared_ptr<const RunResult> result, std::shared_ptr<const std::vector<RunResult>> repeats);
    void onBatchFinished(bool cancelled);
    void onFileSelectionChanged();
    // The selected image before and after; `reload` reads the output again
    // even when its name has not changed (a run has just rewritten it).
    void showSelectedImage(bool reload);
    void onHistorySelectionChanged();
    void pinSelectedRun();

    QString folderForDrop(const QMimeData *mime, QString *problem) const;

    TogglePanel *m_toggles = nullptr;
    DashboardView *m_dashboard = nullptr;
    PreviewPane *m_preview = nullptr;
    RunController *m_controller = nullptr;
    ImageListModel *m_images = nullptr;
    QSortFilterProxyModel *m_imageProxy = nullptr;
    RunHistoryModel *m_history = nullptr;
    DashboardModel m_viewedRun; // a past run picked in the history
    DropOverlay *m_overlay = nullptr;

    QSplitter *m_mainSplitter = nullptr;
    QSplitter *m_rightSplitter = nullptr;
    QStackedWidget *m_fileStack = nullptr;
    QTreeView *m_fileView = nullptr;
    QLabel *m_fileEmpty = nullptr;
    QLabel *m_folderLabel = nullptr;
    QLabel *m_outputLabel = nullptr;
    QPushButton *m_openOutputButton = nullptr;
    QTreeView *m_historyView = nullptr;
    QPushButton *m_pinButton = nullptr;
    QPushButton *m_unpinButton = nullptr;
    QProgressBar *m_progress = nullptr;

    QAction *m_openAction = nullptr;
    QAction *m_generateAction = nullptr;
    QAction *m_downloadAction = nullptr;
    QAction *m_openOutputAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_runAction = nullptr;
    QAction *m_cancelAction = nullptr;
    QAction *m_compareAction = nullptr;
    QAction *m_compareRunsAction = nullptr;
    QAction *m_openReportAction = nullptr;
    QAction *m_ablationAction = nullptr;
    QPushButton *m_compareButton = nullptr;
    QPushButton *m_ablationCancel = nullptr;
    // The ablation and Baseline vs Optimized, in child processes.
    IsolatedJobs *m_jobs = nullptr;
    int m_isolatedRounds = 0;
    int m_isolatedMeasured[2] = { 0, 0 };
    void onIsolatedMeasured(int configuration, const RunResult &run);
    void onBaselineVsOptimizedFinished(const std::vector<std::vector<RunResult>> &runs, const QString &error,
                                       bool cancelled);
    void onIsolatedProgress(int done, int total, const QString &label);
    bool busy() const;
    // The dashboard's title for a finished run.
    QString runTitle(int number, const QString &preset, const RunSummary &summary) const;
    QPointer<ComparisonDialog> m_comparisonDialog;
    QPointer<AblationDialog> m_ablationDialog;
    QAction *m_togglesHelpAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QMenu *m_recentMenu = nullptr;

    QStringList m_recent;
    QString m_lastFolder;
    int m_liveRunNumber = 0;
    bool m_generating = false;
};

} // namespace pixelperf
