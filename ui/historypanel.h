// The runs, on four pages. "Session": the runs of this session (and
// reports read back) as a list: pick one to show it on the dashboard, pin one
// as the comparison, compare two, open a JSON report into the list (read off
// the GUI thread). "All runs": every run kept in the history database
// (StoredRunsPanel). "Ablations" and "Comparisons": the ablations and the
// comparisons kept there; each comparison shown in the comparison dialog is
// kept (ComparisonRecorder). Above them, one line when history is off,
// saying why.
#pragma once

#include "measure/ablation.h"
#include "measure/runresult.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QPushButton;
class QComboBox;
class QStackedWidget;
class QTreeView;

namespace pixelperf {

class ComparisonDialog;
class ComparisonRecorder;
class HistoryDatabase;
class JobTracker;
class ReportSaver;
class RunHistoryModel;
class StoredAblationsList;
class StoredComparisonsList;
class StoredRunsPanel;
class WindowSettings;
struct LoadedReport;
struct RunEntry;

class HistoryPanel : public QWidget
{
    Q_OBJECT
public:
    HistoryPanel(RunHistoryModel *history, HistoryDatabase *database, WindowSettings *settings,
        ReportSaver *saver, QWidget *parent = nullptr);

    QTreeView *view() const { return m_view; }
    // The history's views: this session, all runs, ablations, comparisons.
    QStackedWidget *pages() const { return m_pages; }
    StoredRunsPanel *storedRuns() const { return m_stored; }
    StoredAblationsList *storedAblations() const { return m_ablations; }
    StoredComparisonsList *storedComparisons() const { return m_comparisons; }
    ComparisonRecorder *comparisonRecorder() const { return m_recorder; }
    // Empty while history is on.
    QString historyOffText() const;
    // -1 when no run is selected.
    int currentRow() const;
    void select(int row);
    void clearSelection();
    // The selected run, else the latest; null when the list is empty.
    const RunEntry *selectedOrLatest() const;
    // Enables the buttons for the selection and the list's size.
    void updateButtons();

    // The comparison dialog on two rows; -1 picks the default: A the pinned
    // run (else the one before B), B the selected run (else the latest).
    // Null with fewer than two runs.
    ComparisonDialog *showComparison(int rowA = -1, int rowB = -1);
    ComparisonDialog *comparisonDialog() const;

    // The selected run (else the latest) as a report, off the GUI thread
    // (the saver's saved() follows); false when there is none.
    bool exportSelected(const QString &path);
    void chooseAndExportSelected();

    void chooseAndOpenReport();
    // Reads a JSON report off the GUI thread; reportLoaded() follows.
    bool openReport(const QString &path);
    // Two runs of the history database compared: those already in this
    // session's list as they are, the others read back into it (marked loaded).
    bool compareStored(qint64 runA, qint64 runB);

signals:
    void currentRowChanged(int row);
    void compareRequested();
    // An empty error: the report's run is the last row.
    void reportLoaded(const QString &path, const QString &error);
    void status(const QString &message, int timeoutMs);
    // A run of the history database picked: its report, read back.
    void storedRunRead(const pixelperf::RunResult &run, const QString &title);
    void ablationRead(const pixelperf::AblationResult &result);

private:
    QWidget *buildHeader();
    QWidget *buildSessionPage();
    void addPage(QWidget *page, const QString &title, const QString &toolTip);
    void connectHistory();
    void showHistoryState();
    void onReportRead(const QString &path, const LoadedReport &report);

    RunHistoryModel *m_history;
    HistoryDatabase *m_database;
    WindowSettings *m_settings;
    ReportSaver *m_saver;
    QPointer<ComparisonDialog> m_comparison;
    QTreeView *m_view = nullptr;
    QComboBox *m_pageChoice = nullptr;
    QStackedWidget *m_pages = nullptr;
    QLabel *m_historyOff = nullptr;
    StoredRunsPanel *m_stored = nullptr;
    StoredAblationsList *m_ablations = nullptr;
    StoredComparisonsList *m_comparisons = nullptr;
    ComparisonRecorder *m_recorder = nullptr;
    QPushButton *m_pin = nullptr;
    QPushButton *m_unpin = nullptr;
    QPushButton *m_compare = nullptr;
};

} // namespace pixelperf
