// The history panel's "Ablations" page: every ablation kept in the history
// database, newest first; opening one (double-click, Enter, or Open) reads
// its result back off the GUI thread and reopens its tornado chart.
#pragma once

#include "history/historyentry.h"
#include "measure/ablation.h"

#include <QWidget>

class QPushButton;
class QTreeWidget;

namespace pixelperf {

class HistoryDatabase;

class StoredAblationsList : public QWidget
{
    Q_OBJECT
public:
    explicit StoredAblationsList(HistoryDatabase *database, QWidget *parent = nullptr);

    QTreeWidget *view() const { return m_view; }
    int count() const;
    // Reads the ablation of `row` back; ablationRead() follows.
    bool open(int row);

signals:
    void ablationRead(const pixelperf::AblationResult &result);

private:
    void insert(int position, const HistoryAblationEntry &entry);

    HistoryDatabase *m_database;
    QTreeWidget *m_view = nullptr;
    QPushButton *m_open = nullptr;
};

} // namespace pixelperf
