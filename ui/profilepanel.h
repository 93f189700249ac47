// Where the CPU time went, in one widget ready for a dock or a tab: the
// flame graph of the run (or the differential one against the comparison
// run) beside a caller/callee table (top-down and bottom-up), with a stage
// filter, a search box that reports the share of samples it matches, a mode
// switch and a reset-zoom button. Selecting a frame selects its rows in the
// tables, and selecting a row outlines its frames.
//
// Use: setProfile() with the run's profile, again every time it grows
// (every 200 ms of a live run is fine: the zoom, search, filter, selection
// and the tables' expanded rows are kept); setComparison(a, b) once a
// comparison has two runs, which enables the "difference" mode (A → B: B's
// shape, red grew, blue shrank; A's frames missing from B listed below it).
#pragma once

#include "profiling/cpuprofile.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QSortFilterProxyModel;
class QStackedWidget;
class QTreeView;

namespace pixelperf {

class CallTreeModel;
class FlameGraphView;

class ProfilePanel : public QWidget
{
    Q_OBJECT
public:
    enum class Mode { Run, Difference };

    explicit ProfilePanel(QWidget *parent = nullptr);

    void setProfile(const CpuProfile &run);
    // A = the comparison run (the baseline), B = the run compared with it.
    void setComparison(const CpuProfile &a, const CpuProfile &b);
    void clearComparison();
    void setMode(Mode mode);
    Mode mode() const;
    // Selects a node of the shown graph's tree there and in both tables.
    void selectNode(int node);

    // The parts, for the window's wiring and for tests.
    FlameGraphView *runView() const { return m_runView; }
    FlameGraphView *diffView() const { return m_diffView; }
    FlameGraphView *activeView() const;
    QTreeView *topDownView() const { return m_topDown; }
    QTreeView *bottomUpView() const { return m_bottomUp; }
    CallTreeModel *topDownModel() const { return m_topDownModel; }
    CallTreeModel *bottomUpModel() const { return m_bottomUpModel; }
    QComboBox *stageBox() const { return m_stage; }
    QComboBox *modeBox() const { return m_mode; }
    QLineEdit *searchField() const { return m_search; }
    QLabel *matchLabel() const { return m_matches; }
    QLabel *summaryLabel() const { return m_summary; }
    QListWidget *vanishedList() const { return m_vanished; }

private:
    QWidget *buildControls();
    QWidget *buildGraphs();
    QWidget *buildTables();
    QTreeView *newTable(CallTreeModel *model, QSortFilterProxyModel *proxy, int sortColumn);
    void refresh();
    void refreshStages();
    void refreshMatches();
    void refreshVanished();
    void selectNodeInTables(int node);
    void tableRowChanged(const QModelIndex &current, bool topDown);

    FlameGraphView *m_runView = nullptr;
    FlameGraphView *m_diffView = nullptr;
    QStackedWidget *m_graphs = nullptr;
    QComboBox *m_mode = nullptr;
    QComboBox *m_stage = nullptr;
    QLineEdit *m_search = nullptr;
    QLabel *m_matches = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_vanishedTitle = nullptr;
    QListWidget *m_vanished = nullptr;
    QTreeView *m_topDown = nullptr;
    QTreeView *m_bottomUp = nullptr;
    CallTreeModel *m_topDownModel = nullptr;
    CallTreeModel *m_bottomUpModel = nullptr;
    QSortFilterProxyModel *m_topDownProxy = nullptr;
    QSortFilterProxyModel *m_bottomUpProxy = nullptr;
    QString m_runSummary;
    QString m_diffSummary;
    const FlameGraphView *m_tablesFrom = nullptr;
    int m_tablesRevision = -1;
    QString m_tablesFilter;
    bool m_syncing = false;
};

} // namespace pixelperf
