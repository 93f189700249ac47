// The images of the open folder, one row each: name and size, and once a run
// has touched them, their status, output and time. Listing goes through
// core's scan, so the list is exactly what a run will process.
#pragma once

#include "measure/runrecorder.h"
#include "measure/runresult.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSortFilterProxyModel>
#include <QStringList>

#include <memory>
#include <vector>

namespace pixelperf {

class ImageListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, SizeColumn, StatusColumn, OutputColumn, TimeColumn, ColumnCount };
    enum class Status : uint8_t { Idle, Queued, Ok, Failed, Cancelled };
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
    // The listed paths: the list given to setFiles(), shared, not copied.
    QStringList paths() const { return m_paths; }
    QString pathAt(int row) const;
    // Where the row's image was written, derived from its run's output plan.
    QString outputAt(int row) const;
    Status statusAt(int row) const;
    QString statusTextAt(int row) const;
    // The row of `path`, found by a binary search; -1 when not listed.
    int rowOf(const QString &path) const;
    int countWithStatus(Status status) const;
    // Row `a` before row `b` by `column`'s value (what SortRole gives).
    bool rowLessThan(int a, int b, int column) const;
    // Each listed file's size as `run` read it (its records' bytesIn), as
    // setFiles() takes them: a file read from the decode cache, or not read,
    // keeps the size listed, or is read from the disk when it was not listed.
    std::vector<int64_t> sizesFrom(const RunResult &run) const;

    // A run starts: every row waits for its record (rows waiting already,
    // as when the run's next repetition starts, are left as they are).
    void markQueued();
    // Records as they arrive in snapshots; rows are found by the record's
    // index into the run's files (the list's rows: the same scan), else by
    // path. One dataChanged() for each run of adjacent rows they change, not
    // one per record, nor one from the first to the last: with the work in
    // an order of its own, that spanned nearly every row each time, and a
    // proxy sorted by status or time re-sorted them all.
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
    // 56 bytes a row: the path is the listing's string and the name its
    // tail, the output is derived, an error is kept for failed rows only
    // (100,000 rows of six strings each and a hash of their paths took
    // 24 MiB).
    struct Row {
        std::shared_ptr<const OutputPlan> output; // null: nothing written
        int64_t bytes = 0;
        int64_t bytesOut = 0;
        double ms = -1;
        int width = 0;
        int height = 0;
        int nameStart = 0; // the name (relative to the folder): the path from here
        Status status = Status::Idle;
        bool fromCache = false;
    };
    int rowOfRecord(const ImageRecord &record) const;
    QStringView nameAt(int row) const;
    // `use` given the row's value in `column` as sorting compares it.
    template <typename Use> auto withSortValue(int row, int column, Use use) const;
    // One dataChanged() per run of adjacent rows in `rows` (sorted).
    void emitRowsChanged(const std::vector<int> &rows);

    QString m_folder;
    QStringList m_paths;
    std::vector<Row> m_rows;
    // Row numbers in path order, for rowOf(); empty when the paths are in
    // that order already (a folder's listing).
    std::vector<int> m_byPath;
    QHash<int, QString> m_errors; // of failed rows
    QHash<int, QString> m_names; // of rows whose name is not their path's tail
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
