// The history panel's "All runs" page: every run kept in the history
// database (StoredRunsModel), filtered by folder, preset and date; the name
// and the note edited in place (F2 or a double-click), Delete (with a
// confirmation, and an offer to undo it: UndoDeleteBar), a run picked shown
// on the dashboard (its report read back
// off the GUI thread), two picked compared, and the trend of the picked
// run's configuration on its folder.
#pragma once

#include "history/historyentry.h"
#include "measure/runresult.h"
#include "trenddialog.h"

#include <QPointer>
#include <QWidget>

class QAbstractItemModel;
class QCheckBox;
class QComboBox;
class QPushButton;
class QTreeView;

namespace pixelperf {

class HistoryDatabase;
class StoredRunsModel;
class UndoDeleteBar;
class WindowSettings;

// A list of runs as the history panel shows them: flat rows of one height,
// `model`'s columns before `noteColumn` fitted to their contents, the note
// taking the rest.
QTreeView *newRunList(QAbstractItemModel *model, int noteColumn, const QString &name, QWidget *parent);

class StoredRunsPanel : public QWidget
{
    Q_OBJECT
public:
    StoredRunsPanel(HistoryDatabase *database, WindowSettings *settings, QWidget *parent = nullptr);

    StoredRunsModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }
    QComboBox *folderFilter() const { return m_folder; }
    QComboBox *presetFilter() const { return m_preset; }
    QComboBox *dateFilter() const { return m_date; }
    QCheckBox *keepHistoryBox() const { return m_keep; }
    UndoDeleteBar *undoDelete() const { return m_undo; }
    // Rows picked in the list, in the list's order.
    QList<int> selectedRows() const;

    // The trend of the current run's configuration on its folder; null when
    // no run is current.
    TrendDialog *showTrend();
    TrendDialog *trendDialog() const { return m_trend; }
    // Asks, then deletes the picked runs (undoDelete() offers to undo it);
    // false when none was deleted.
    bool deleteSelected();
    // The two picked runs, read back, for the comparison: compareRequested().
    bool compareSelected();

signals:
    // A run picked, its report read back from the history.
    void runRead(const pixelperf::RunResult &run, const QString &title);
    void compareRequested(qint64 runA, qint64 runB);
    void status(const QString &message, int timeoutMs);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QWidget *buildFilters();
    QWidget *buildButtons();
    void applyFilter();
    void fillFolders();
    void onCurrentChanged(int row);
    void updateButtons();

    HistoryDatabase *m_database;
    WindowSettings *m_settings;
    StoredRunsModel *m_model;
    QTreeView *m_view = nullptr;
    QComboBox *m_folder = nullptr;
    QComboBox *m_preset = nullptr;
    QComboBox *m_date = nullptr;
    QCheckBox *m_keep = nullptr;
    QPushButton *m_trendButton = nullptr;
    QPushButton *m_compare = nullptr;
    QPushButton *m_delete = nullptr;
    UndoDeleteBar *m_undo = nullptr;
    QPointer<TrendDialog> m_trend;
    quint64 m_reading = 0; // the latest pick: an older read is dropped
};

} // namespace pixelperf
