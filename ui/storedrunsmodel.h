// The runs kept in the history database, newest first, read a page at a
// time off the GUI thread (canFetchMore/fetchMore: a view asks for more as
// it scrolls, so thousands of runs cost one page at start). A filter (folder,
// preset, date) reloads from the first page. Name and note are edited in
// place and written through; a run stored by this window while it is open
// comes in at the top when the filter lets it. Runs deleted leave the list
// when the database has hidden them; runs restored bring a reload.
#pragma once

#include "history/historyentry.h"

#include <QAbstractTableModel>

#include <vector>

namespace pixelperf {

class HistoryDatabase;

class StoredRunsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        StartedColumn,
        FolderColumn,
        PresetColumn,
        RateColumn,
        PeakColumn,
        NoteColumn,
        ColumnCount
    };
    static constexpr int PageSize = 100;

    explicit StoredRunsModel(HistoryDatabase *database, QObject *parent = nullptr);

    // Drops the rows and reads the first page that matches.
    void setFilter(const HistoryFilter &filter);
    const HistoryFilter &filter() const { return m_filter; }
    // Reads the first page again (the database may have changed).
    void reload();

    int count() const { return int(m_entries.size()); }
    const HistoryRunEntry &entry(int row) const { return m_entries[size_t(row)]; }
    // -1 when the run is not listed.
    int rowOf(qint64 id) const;
    bool isLoading() const { return m_loading; }
    // Deletes the rows' runs from the database (they can be restored, see
    // HistoryDatabase::deleteRuns), then from the list; false when none is.
    bool removeRuns(const QList<int> &rows);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

signals:
    // A page has arrived (`rows` of them; fewer than PageSize: the last).
    void pageLoaded(int rows);

private:
    void requestPage();
    void onPage(quint64 generation, std::vector<HistoryRunEntry> page);
    void onStored(const HistoryRunEntry &entry);
    bool matches(const HistoryRunEntry &entry) const;
    QString tooltip(const HistoryRunEntry &e) const;

    HistoryDatabase *m_database;
    HistoryFilter m_filter;
    std::vector<HistoryRunEntry> m_entries;
    quint64 m_generation = 0; // a page for an older filter is dropped
    bool m_loading = false;
    bool m_exhausted = false;
};

} // namespace pixelperf
