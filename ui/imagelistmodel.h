// The images of the open folder, one row each: name and size, and once a run
// has touched them, their status, output and time. Listing goes through
// core's scan, so the list is exactly what a run will process.
#pragma once

#include "measure/runrecorder.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSortFilterProxyModel>
#include <QStringList>

#include <vector>

namespace pixelperf {

class ImageListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, SizeColumn, StatusColumn, OutputColumn, TimeColumn, ColumnCount };
    enum class Status { Idle, Queued, Ok, Failed, Cancelled };
    enum Role { PathRole = Qt::UserRole + 1, SortRole, StatusRole };

    explicit ImageListModel(QObject *parent = nullptr);

    // Lists the folder's images (not recursive); false with *error set when
    // the folder cannot be listed. An empty folder is not an error.
    bool setFolder(const QString &dir, QString *error = nullptr);
    // `sizes`: each file's size in bytes, read where the files were listed
    // (off the GUI thread: a stat per file, ~100 ms at 100,000 files); when
    // they are not given, read here.
    void setFiles(const QString &dir, const QStringList &absolutePaths, std::vector<int64_t> sizes = {});
    static std::vector<int64_t> fileSizes(const QStringList &absolutePaths);
    void clear();

    QString folder() const { return m_folder; }
    int count() const { return int(m_rows.size()); }
    int64_t totalBytes() const { return m_totalBytes; }
    QStringList paths() const;
    QString pathAt(int row) const;
    QString outputAt(int row) const;
    Status statusAt(int row) const;
    QString statusTextAt(int row) const;
    int rowOf(const QString &path) const { return m_index.value(path, -1); }
    int countWithStatus(Status status) const;
    // Row `a` before row `b` by `column`'s value (what SortRole gives).
    bool rowLessThan(int a, int b, int column) const;

    // A run starts: every row waits for its record (rows waiting already,
    // as when the run's next repetition starts, are left as they are).
    void markQueued();
    // Records as they arrive in snapshots; rows are found by the record's
    // index into the run's files (the list's rows: the same scan), else by
    // path. One dataChanged() for the rows they span, not one per record:
    // a view and a sorting proxy over 100,000 rows do their work once.
    // `toWaitingRows`: only rows still waiting for their record take it (a
    // run's result, whose other rows took theirs from its snapshots).
    void applyRecords(const std::vector<ImageRecord> &records, bool toWaitingRows = false);
    // After a run: rows the run never reached (cancelled before they
    // started) are marked cancelled.
    void finishRun(bool cancelled);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString path;
        QString name; // relative to the folder
        int64_t bytes = 0;
        Status status = Status::Idle;
        QString error;
        QString output;
        int width = 0;
        int height = 0;
        int64_t bytesOut = 0;
        double ms = -1;
        bool fromCache = false;
    };
    int rowOfRecord(const ImageRecord &record) const;
    void emitRowsChanged(int first, int last);

    QString m_folder;
    std::vector<Row> m_rows;
    QHash<QString, int> m_index;
    int64_t m_totalBytes = 0;
};

// The list sorted by a column, its rows compared as the values they are:
// through QVariant (the default), sorting 100,000 rows by name took ~130 ms
// on the GUI thread each time the folder was listed.
class ImageListSortProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;
};

} // namespace pixelperf
