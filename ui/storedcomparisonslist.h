// The history panel's "Comparisons" page: every comparison kept in the
// history database (made in the window, or by pixelperf-cli compare), newest
// first: its runs, speedup and verdict. Opening one of two stored runs
// (double-click, Enter, or Open) asks for them compared again:
// compareRequested(). One whose run was deleted, or made from report files,
// is listed greyed and says so. Deleting or restoring runs reads the list
// again (a run being deleted is no link).
#pragma once

#include "history/historyentry.h"
#include "storedentrylist.h"

namespace pixelperf {

class HistoryDatabase;

class StoredComparisonsList : public StoredEntryList
{
    Q_OBJECT
public:
    explicit StoredComparisonsList(HistoryDatabase *database, QWidget *parent = nullptr);

    // Reads the list again from the database.
    void reload();

signals:
    void compareRequested(qint64 runA, qint64 runB);

protected:
    bool openEntry(const QTreeWidgetItem &item, qint64 id) override;

private:
    void insertEntry(int position, const HistoryComparisonEntry &entry);

    HistoryDatabase *m_database;
    quint64 m_generation = 0; // a listing for an older reload is dropped
};

} // namespace pixelperf
