// The runs of this session, newest last: preset, headline figures, and which
// one is pinned as the comparison the dashboard ghosts beside a run.
#pragma once

#include "measure/runresult.h"

#include <QAbstractTableModel>

#include <memory>
#include <vector>

namespace pixelperf {

struct RunEntry {
    int number = 0; // 1, 2, ... in the session
    QString preset; // a preset name or "custom"
    QString folder;
    std::shared_ptr<const RunResult> result;
    // Every measured repetition (`result` is the last one); may be null or
    // empty for a single run.
    std::shared_ptr<const std::vector<RunResult>> repeats;
    // The repetitions, or none: never a copy (each holds its run's records,
    // some 60 MB at 100,000 images).
    const std::vector<RunResult> &repetitions() const { return repetitionsOf(repeats.get()); }
    static const std::vector<RunResult> &repetitionsOf(const std::vector<RunResult> *repeats);
    // A run loaded from a JSON report: its file.
    QString source; // empty for a run of this session
    bool isLoaded() const { return !source.isEmpty(); }
    // Its id in the history database: set when a run of this session has
    // been stored there (it finishes first), or for a run read back from
    // it; 0 until then, and for a run loaded from a report file.
    qint64 storedId = 0;
};

class RunHistoryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        NumberColumn,
        PresetColumn,
        ImagesColumn,
        WallColumn,
        RateColumn,
        PeakColumn,
        NoteColumn,
        ColumnCount
    };

    explicit RunHistoryModel(QObject *parent = nullptr);

    // Returns the row of the new entry. `repeats`: every measured repetition
    // of the run, `result` the last of them.
    int add(
        std::shared_ptr<const RunResult> result, std::shared_ptr<const std::vector<RunResult>> repeats = {});
    // A run read back from a report file (or from the history database, its
    // id `storedId`): listed as "loaded".
    int addLoaded(std::shared_ptr<const RunResult> result, std::vector<RunResult> repeats,
        const QString &path, qint64 storedId = 0);
    int count() const { return int(m_entries.size()); }
    const RunEntry &entry(int row) const { return m_entries[size_t(row)]; }
    const RunEntry *last() const { return m_entries.empty() ? nullptr : &m_entries.back(); }
    // The row's run has been stored in the history database as `id`.
    void setStoredId(int row, qint64 id);
    // The row holding the stored run `id`; -1 when none does.
    int rowOfStored(qint64 id) const;

    // -1: none pinned; the comparison is then the previous run.
    int pinnedRow() const { return m_pinned; }
    void setPinnedRow(int row);
    // What a new run is compared with: the pinned run, else the latest one.
    const RunEntry *comparison() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void pinnedChanged(int row);
    // The row's run has a stored id now (setStoredId).
    void stored(int row);

private:
    int append(RunEntry entry);

    std::vector<RunEntry> m_entries;
    int m_pinned = -1;
};

} // namespace pixelperf
