// The history panel's "Ablations" page: every ablation kept in the history
// database, newest first; opening one (double-click, Enter, or Open) reads
// its result back off the GUI thread and reopens its tornado chart.
#pragma once

#include "history/historyentry.h"
#include "measure/ablation.h"
#include "storedentrylist.h"

namespace pixelperf {

class HistoryDatabase;

class StoredAblationsList : public StoredEntryList
{
    Q_OBJECT
public:
    explicit StoredAblationsList(HistoryDatabase *database, QWidget *parent = nullptr);

signals:
    void ablationRead(const pixelperf::AblationResult &result);

protected:
    bool openEntry(const QTreeWidgetItem &item, qint64 id) override;

private:
    void insertEntry(int position, const HistoryAblationEntry &entry);

    HistoryDatabase *m_database;
};

} // namespace pixelperf
