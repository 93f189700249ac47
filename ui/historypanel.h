// The runs of this session (and reports read back) as a list: pick one to
// show it on the dashboard, pin one as the comparison, compare two, open a
// JSON report into the list (read off the GUI thread).
#pragma once

#include <QPointer>
#include <QWidget>

class QPushButton;
class QTreeView;

namespace pixelperf {

class ComparisonDialog;
class JobTracker;
class ReportSaver;
class RunHistoryModel;
class WindowSettings;
struct LoadedReport;
struct RunEntry;

class HistoryPanel : public QWidget
{
    Q_OBJECT
public:
    HistoryPanel(
        RunHistoryModel *history, WindowSettings *settings, ReportSaver *saver, QWidget *parent = nullptr);

    QTreeView *view() const { return m_view; }
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

signals:
    void currentRowChanged(int row);
    void compareRequested();
    // An empty error: the report's run is the last row.
    void reportLoaded(const QString &path, const QString &error);
    void status(const QString &message, int timeoutMs);

private:
    QWidget *buildHeader();
    void onReportRead(const QString &path, const LoadedReport &report);

    RunHistoryModel *m_history;
    WindowSettings *m_settings;
    ReportSaver *m_saver;
    QPointer<ComparisonDialog> m_comparison;
    QTreeView *m_view = nullptr;
    QPushButton *m_pin = nullptr;
    QPushButton *m_unpin = nullptr;
    QPushButton *m_compare = nullptr;
};

} // namespace pixelperf
