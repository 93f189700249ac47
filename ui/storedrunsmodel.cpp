#include "storedrunsmodel.h"

#include "historydatabase.h"
#include "units.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>

namespace pixelperf {

StoredRunsModel::StoredRunsModel(HistoryDatabase *database, QObject *parent)
    : QAbstractTableModel(parent)
    , m_database(database)
{
    connect(m_database, &HistoryDatabase::runStored, this, &StoredRunsModel::onStored);
    connect(m_database, &HistoryDatabase::runsDeleted, this, [this](const QList<qint64> &ids) {
        for (qint64 id : ids) {
            const int row = rowOf(id);
            if (row >= 0) {
                beginRemoveRows({}, row, row);
                m_entries.erase(m_entries.begin() + row);
                endRemoveRows();
            }
        }
    });
    connect(m_database, &HistoryDatabase::runsRestored, this, &StoredRunsModel::reload);
    reload();
}

void StoredRunsModel::setFilter(const HistoryFilter &filter)
{
    m_filter = filter;
    reload();
}

void StoredRunsModel::reload()
{
    beginResetModel();
    m_entries.clear();
    m_exhausted = false;
    m_loading = false;
    ++m_generation;
    endResetModel();
    requestPage();
}

void StoredRunsModel::requestPage()
{
    HistoryFilter page = m_filter;
    page.limit = PageSize;
    page.offset = count();
    const quint64 generation = m_generation;
    m_loading = m_database->listRuns(this, page,
        [this, generation](std::vector<HistoryRunEntry> entries) { onPage(generation, std::move(entries)); });
    if (!m_loading)
        m_exhausted = true; // history off: nothing to read
}

void StoredRunsModel::onPage(quint64 generation, std::vector<HistoryRunEntry> page)
{
    if (generation != m_generation)
        return;
    m_loading = false;
    m_exhausted = int(page.size()) < PageSize;
    // A run this window stored while the page was read may be listed already.
    page.erase(std::remove_if(
                   page.begin(), page.end(), [this](const HistoryRunEntry &e) { return rowOf(e.id) >= 0; }),
        page.end());
    if (!page.empty()) {
        beginInsertRows({}, count(), count() + int(page.size()) - 1);
        m_entries.insert(m_entries.end(), page.begin(), page.end());
        endInsertRows();
    }
    emit pageLoaded(int(page.size()));
}

bool StoredRunsModel::matches(const HistoryRunEntry &e) const
{
    if (!m_filter.folder.isEmpty() && e.folder != historyFolder(m_filter.folder))
        return false;
    if (!m_filter.preset.isEmpty() && e.preset != m_filter.preset)
        return false;
    if (m_filter.from.isValid() && e.startedAt < m_filter.from)
        return false;
    return !m_filter.to.isValid() || e.startedAt <= m_filter.to;
}

void StoredRunsModel::onStored(const HistoryRunEntry &entry)
{
    if (!matches(entry) || rowOf(entry.id) >= 0)
        return;
    beginInsertRows({}, 0, 0);
    m_entries.insert(m_entries.begin(), entry);
    endInsertRows();
}

int StoredRunsModel::rowOf(qint64 id) const
{
    const auto it = std::find_if(
        m_entries.begin(), m_entries.end(), [id](const HistoryRunEntry &e) { return e.id == id; });
    return it == m_entries.end() ? -1 : int(it - m_entries.begin());
}

bool StoredRunsModel::removeRuns(const QList<int> &rows)
{
    QList<qint64> ids;
    for (int row : rows)
        if (row >= 0 && row < count())
            ids << m_entries[size_t(row)].id;
    // The rows go when the database says the runs are gone (runsDeleted).
    return !ids.isEmpty() && m_database->deleteRuns(ids);
}

int StoredRunsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

int StoredRunsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool StoredRunsModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_loading && !m_exhausted;
}

void StoredRunsModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        requestPage();
}

QString StoredRunsModel::tooltip(const HistoryRunEntry &e) const
{
    return tr("Run %1 in the history, started %2\n%3\n%4 on %5 image(s), %n repetition(s)%6\n"
              "PixelPerf %7%8 on %9",
        nullptr, e.repetitions)
        .arg(e.id)
        .arg(QLocale().toString(e.startedAt, QLocale::ShortFormat), QDir::toNativeSeparators(e.folder),
            e.toggles)
        .arg(e.images)
        .arg(e.cancelled ? tr(", cancelled") : QString(), e.appVersion,
            e.gitRevision.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(e.gitRevision), e.host);
}

QVariant StoredRunsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= count())
        return {};
    const HistoryRunEntry &e = m_entries[size_t(index.row())];
    if (role == Qt::EditRole && index.column() == NameColumn)
        return e.name;
    if (role == Qt::EditRole && index.column() == NoteColumn)
        return e.note;
    if (role == Qt::ToolTipRole)
        return index.column() == FolderColumn ? QDir::toNativeSeparators(e.folder) : tooltip(e);
    if (role == Qt::TextAlignmentRole && (index.column() == RateColumn || index.column() == PeakColumn))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case NameColumn:
        return e.name.isEmpty() ? tr("#%1").arg(e.id) : e.name;
    case StartedColumn:
        return QLocale().toString(e.startedAt, QStringLiteral("yyyy-MM-dd HH:mm"));
    case FolderColumn:
        return QFileInfo(e.folder).fileName();
    case PresetColumn:
        return e.preset;
    case RateColumn:
        return QString::number(e.imagesPerSecond, 'f', e.imagesPerSecond < 10 ? 2 : 1);
    case PeakColumn:
        return formatBytes(e.peakRssBytes);
    case NoteColumn:
        return e.note;
    }
    return {};
}

QVariant StoredRunsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    // In Column's order.
    static const char *const Titles[ColumnCount]
        = { QT_TR_NOOP("Name"), QT_TR_NOOP("Started"), QT_TR_NOOP("Folder"), QT_TR_NOOP("Preset"),
              QT_TR_NOOP("Img/s"), QT_TR_NOOP("Peak RSS"), QT_TR_NOOP("Note") };
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    return tr(Titles[section]);
}

Qt::ItemFlags StoredRunsModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && (index.column() == NameColumn || index.column() == NoteColumn))
        f |= Qt::ItemIsEditable;
    return f;
}

bool StoredRunsModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || role != Qt::EditRole || index.row() >= count())
        return false;
    HistoryRunEntry &e = m_entries[size_t(index.row())];
    const QString text = value.toString().trimmed();
    bool written = false;
    if (index.column() == NameColumn && text != e.name) {
        written = m_database->renameRun(e.id, text);
        if (written)
            e.name = text;
    } else if (index.column() == NoteColumn && text != e.note) {
        written = m_database->annotateRun(e.id, text);
        if (written)
            e.note = text;
    }
    if (written)
        emit dataChanged(index, index);
    return written;
}

} // namespace pixelperf
