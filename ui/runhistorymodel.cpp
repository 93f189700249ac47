#include "runhistorymodel.h"

#include "units.h"

#include "measure/statistics.h"

#include <QFileInfo>
#include <QFont>

#include <algorithm>

namespace pixelperf {

const std::vector<RunResult> &RunEntry::repetitionsOf(const std::vector<RunResult> *repeats)
{
    static const std::vector<RunResult> none;
    return repeats ? *repeats : none;
}

RunHistoryModel::RunHistoryModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

int RunHistoryModel::add(
    std::shared_ptr<const RunResult> result, std::shared_ptr<const std::vector<RunResult>> repeats)
{
    RunEntry e;
    e.number = count() + 1;
    e.preset = presetNameFor(result->config.toggles);
    e.folder = result->config.inputDir;
    e.result = std::move(result);
    e.repeats = std::move(repeats);
    return append(std::move(e));
}

int RunHistoryModel::addLoaded(std::shared_ptr<const RunResult> result, std::vector<RunResult> repeats,
    const QString &path, qint64 storedId)
{
    RunEntry e;
    e.number = count() + 1;
    e.preset = presetNameFor(result->config.toggles);
    e.folder = result->config.inputDir;
    e.result = std::move(result);
    e.repeats = std::make_shared<const std::vector<RunResult>>(std::move(repeats));
    e.source = path;
    e.storedId = storedId;
    return append(std::move(e));
}

void RunHistoryModel::setStoredId(int row, qint64 id)
{
    if (row < 0 || row >= count() || m_entries[size_t(row)].storedId == id)
        return;
    m_entries[size_t(row)].storedId = id;
    emit stored(row);
}

int RunHistoryModel::rowOfStored(qint64 id) const
{
    const auto it = std::find_if(
        m_entries.begin(), m_entries.end(), [id](const RunEntry &e) { return id > 0 && e.storedId == id; });
    return it == m_entries.end() ? -1 : int(it - m_entries.begin());
}

int RunHistoryModel::append(RunEntry entry)
{
    const int row = count();
    beginInsertRows({}, row, row);
    m_entries.push_back(std::move(entry));
    endInsertRows();
    return row;
}

void RunHistoryModel::setPinnedRow(int row)
{
    if (row < -1 || row >= count())
        row = -1;
    if (row == m_pinned)
        return;
    const int old = m_pinned;
    m_pinned = row;
    for (int r : { old, row }) {
        if (r >= 0)
            emit dataChanged(index(r, 0), index(r, ColumnCount - 1));
    }
    emit pinnedChanged(row);
}

const RunEntry *RunHistoryModel::comparison() const
{
    if (m_pinned >= 0)
        return &m_entries[size_t(m_pinned)];
    return last();
}

int RunHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

int RunHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

namespace {

// Wall time and throughput of an entry: with several measured repetitions,
// their medians (cancelled ones left out), so one slow repetition does not
// speak for the set; otherwise the run's own.
struct Timing {
    double wallMs = 0;
    double imagesPerSecond = 0;
    int repetitions = 0; // > 1: the figures are medians over this many
};

Timing timingOf(const RunEntry &e)
{
    Timing t { e.result->summary.wallMs, e.result->summary.imagesPerSecond, 0 };
    if (!e.repeats || e.repeats->size() < 2)
        return t;
    std::vector<double> walls, rates;
    for (const RunResult *r : measuredRepetitions(*e.repeats)) {
        walls.push_back(r->summary.wallMs);
        rates.push_back(r->summary.imagesPerSecond);
    }
    if (walls.size() < 2)
        return t;
    t.repetitions = int(walls.size());
    t.wallMs = median(std::move(walls));
    t.imagesPerSecond = median(std::move(rates));
    return t;
}

} // namespace

QVariant RunHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= count())
        return {};
    const RunEntry &e = m_entries[size_t(index.row())];
    const RunResult &r = *e.result;
    const RunSummary &s = r.summary;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case NumberColumn:
            return e.number;
        case PresetColumn:
            return e.preset;
        case ImagesColumn:
            return QStringLiteral("%1/%2").arg(s.imagesOk).arg(s.imagesTotal);
        case WallColumn:
            return formatSeconds(timingOf(e).wallMs / 1000.0);
        case RateColumn: {
            const double rate = timingOf(e).imagesPerSecond;
            return QString::number(rate, 'f', rate < 10 ? 2 : 1);
        }
        case PeakColumn:
            return formatBytes(s.peakRssBytes);
        case NoteColumn: {
            QStringList notes;
            if (e.isLoaded())
                notes << tr("loaded");
            if (e.repeats && e.repeats->size() > 1)
                notes << tr("%1 repetitions").arg(e.repeats->size());
            if (index.row() == m_pinned)
                notes << tr("pinned");
            if (!r.ok())
                notes << r.fatalError;
            if (s.cancelled)
                notes << tr("cancelled");
            if (s.imagesFailed > 0)
                notes << tr("%n failed", nullptr, s.imagesFailed);
            return notes.join(QStringLiteral(", "));
        }
        }
    } else if (role == Qt::ToolTipRole) {
        if (e.isLoaded())
            return tr("Run %1, loaded from %2\n%3 worker(s), %n repetition(s), started %4", nullptr,
                std::max(1, int(e.repeats->size())))
                .arg(e.number)
                .arg(e.source)
                .arg(s.workers)
                .arg(r.startedAt.toString(Qt::ISODate));
        return tr("Run %1 on %2\n%3 worker(s), CPU %4%, peak pixel buffers %5\nstarted %6%7")
            .arg(e.number)
            .arg(QFileInfo(e.folder).fileName())
            .arg(s.workers)
            .arg(s.cpuUtilisation * 100.0, 0, 'f', 0)
            .arg(formatBytes(s.peakPixelBytes), r.startedAt.toString(Qt::ISODate),
                timingOf(e).repetitions > 1
                    ? tr("\nWall and Img/s: medians of %1 measured repetitions; the rest: the last one's")
                          .arg(timingOf(e).repetitions)
                    : QString());
    } else if (role == Qt::FontRole && index.row() == m_pinned) {
        QFont f;
        f.setBold(true);
        return f;
    } else if (role == Qt::TextAlignmentRole) {
        if (index.column() != PresetColumn && index.column() != NoteColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant RunHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NumberColumn:
        return tr("#");
    case PresetColumn:
        return tr("Preset");
    case ImagesColumn:
        return tr("Images");
    case WallColumn:
        return tr("Wall");
    case RateColumn:
        return tr("Img/s");
    case PeakColumn:
        return tr("Peak RSS");
    case NoteColumn:
        return tr("Note");
    }
    return {};
}

} // namespace pixelperf
