#include "imagelistmodel.h"

#include "pipeline/stages/scan.h"
#include "units.h"

#include <QColor>
#include <QDir>
#include <QFileInfo>

#include <algorithm>

namespace pixelperf {

ImageListModel::ImageListModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

bool ImageListModel::setFolder(const QString &dir, QString *error)
{
    const ScanResult scan = scanImages(dir, false, QString(), true);
    if (!scan.error.isEmpty()) {
        if (error)
            *error = scan.error;
        return false;
    }
    setFiles(dir, scan.files);
    return true;
}

void ImageListModel::setFiles(
    const QString &dir, const QStringList &absolutePaths, std::vector<int64_t> sizes)
{
    if (sizes.size() != size_t(absolutePaths.size()))
        sizes = fileSizes(absolutePaths);
    beginResetModel();
    m_folder = QFileInfo(dir).absoluteFilePath();
    m_rows.clear();
    m_index.clear();
    m_totalBytes = 0;
    const QDir root(m_folder);
    // A folder's own files (cleaned absolute paths, as the scan gives them):
    // their name is the path's tail (QDir::relativeFilePath() for each took
    // ~100 ms on the GUI thread at 100,000 files).
    const QString prefix = m_folder.endsWith(QLatin1Char('/')) ? m_folder : m_folder + QLatin1Char('/');
    m_rows.reserve(size_t(absolutePaths.size()));
    m_index.reserve(absolutePaths.size());
    for (const QString &path : absolutePaths) {
        Row row;
        row.path = path;
        row.name = path.startsWith(prefix) ? path.mid(prefix.size()) : root.relativeFilePath(path);
        row.bytes = sizes[m_rows.size()];
        m_totalBytes += row.bytes;
        m_index.insert(path, int(m_rows.size()));
        m_rows.push_back(std::move(row));
    }
    endResetModel();
}

std::vector<int64_t> ImageListModel::fileSizes(const QStringList &absolutePaths)
{
    std::vector<int64_t> sizes;
    sizes.reserve(size_t(absolutePaths.size()));
    for (const QString &path : absolutePaths)
        sizes.push_back(QFileInfo(path).size());
    return sizes;
}

void ImageListModel::clear()
{
    setFiles(QString(), {});
    m_folder.clear();
}

QStringList ImageListModel::paths() const
{
    QStringList out;
    out.reserve(qsizetype(m_rows.size()));
    for (const Row &r : m_rows)
        out << r.path;
    return out;
}

QString ImageListModel::pathAt(int row) const
{
    return row >= 0 && row < count() ? m_rows[size_t(row)].path : QString();
}

QString ImageListModel::outputAt(int row) const
{
    return row >= 0 && row < count() ? m_rows[size_t(row)].output : QString();
}

ImageListModel::Status ImageListModel::statusAt(int row) const
{
    return row >= 0 && row < count() ? m_rows[size_t(row)].status : Status::Idle;
}

QString ImageListModel::statusTextAt(int row) const
{
    if (row < 0 || row >= count())
        return {};
    const Row &r = m_rows[size_t(row)];
    switch (r.status) {
    case Status::Idle:
        return {};
    case Status::Queued:
        return tr("queued");
    case Status::Ok:
        return r.fromCache ? tr("ok (cached decode)") : tr("ok");
    case Status::Failed:
        return r.error;
    case Status::Cancelled:
        return tr("cancelled");
    }
    return {};
}

int ImageListModel::countWithStatus(Status status) const
{
    int n = 0;
    for (const Row &r : m_rows)
        n += r.status == status ? 1 : 0;
    return n;
}

bool ImageListModel::rowLessThan(int a, int b, int column) const
{
    const Row &x = m_rows[size_t(a)];
    const Row &y = m_rows[size_t(b)];
    switch (column) {
    case NameColumn:
        return x.name < y.name;
    case SizeColumn:
        return x.bytes < y.bytes;
    case StatusColumn:
        return int(x.status) < int(y.status);
    case OutputColumn:
        return x.bytesOut < y.bytesOut;
    case TimeColumn:
        return x.ms < y.ms;
    }
    return a < b;
}

bool ImageListSortProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (const auto *images = qobject_cast<const ImageListModel *>(sourceModel()))
        return images->rowLessThan(left.row(), right.row(), left.column());
    return QSortFilterProxyModel::lessThan(left, right);
}

void ImageListModel::markQueued()
{
    int first = count(), last = -1;
    for (int i = 0; i < count(); ++i) {
        Row &r = m_rows[size_t(i)];
        if (r.status == Status::Queued)
            continue; // waiting already: nothing of a run on it
        first = std::min(first, i);
        last = std::max(last, i);
        r.status = Status::Queued;
        r.error.clear();
        r.output.clear();
        r.width = r.height = 0;
        r.bytesOut = 0;
        r.ms = -1;
        r.fromCache = false;
    }
    emitRowsChanged(first, last);
}

int ImageListModel::rowOfRecord(const ImageRecord &rec) const
{
    if (rec.index >= 0 && rec.index < count() && m_rows[size_t(rec.index)].path == rec.path)
        return rec.index;
    return m_index.value(rec.path, -1); // -1: the folder changed since it was listed
}

void ImageListModel::applyRecords(const std::vector<ImageRecord> &records, bool toWaitingRows)
{
    int first = count(), last = -1;
    for (const ImageRecord &rec : records) {
        const int i = rowOfRecord(rec);
        if (i < 0 || (toWaitingRows && m_rows[size_t(i)].status != Status::Queued))
            continue;
        Row &r = m_rows[size_t(i)];
        r.status = rec.ok ? Status::Ok : rec.cancelled ? Status::Cancelled : Status::Failed;
        r.error = rec.error;
        r.output = rec.output;
        r.width = rec.width;
        r.height = rec.height;
        r.bytesOut = rec.bytesOut;
        r.fromCache = rec.fromCache;
        double ms = 0;
        bool any = false;
        for (int stage = 0; stage < StageCount; ++stage) {
            if (const double v = rec.stageMs(Stage(stage)); v >= 0) {
                ms += v;
                any = true;
            }
        }
        r.ms = any ? ms : -1;
        first = std::min(first, i);
        last = std::max(last, i);
    }
    emitRowsChanged(first, last);
}

void ImageListModel::finishRun(bool cancelled)
{
    int first = count(), last = -1;
    for (int i = 0; i < count(); ++i) {
        Row &r = m_rows[size_t(i)];
        if (r.status != Status::Queued)
            continue;
        // Not reached: cancelled before it started, or not in the run's scan.
        r.status = cancelled ? Status::Cancelled : Status::Idle;
        first = std::min(first, i);
        last = std::max(last, i);
    }
    emitRowsChanged(first, last);
}

void ImageListModel::emitRowsChanged(int first, int last)
{
    // A run changes the status, output and time columns, never the name or
    // size: a proxy sorted by name (the list's default) has nothing to
    // re-sort, where the whole row would have it check 100,000 rows' order.
    if (last >= first)
        emit dataChanged(index(first, StatusColumn), index(last, ColumnCount - 1));
}

int ImageListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

int ImageListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ImageListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= count())
        return {};
    const Row &r = m_rows[size_t(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case NameColumn:
            return r.name;
        case SizeColumn:
            return formatBytes(r.bytes);
        case StatusColumn:
            return statusTextAt(index.row());
        case OutputColumn:
            if (r.status != Status::Ok)
                return {};
            return formatBytes(r.bytesOut);
        case TimeColumn:
            return r.ms >= 0 ? formatMs(r.ms) : QString();
        }
        break;
    case SortRole:
        switch (column) {
        case NameColumn:
            return r.name;
        case SizeColumn:
            return qlonglong(r.bytes);
        case StatusColumn:
            return int(r.status);
        case OutputColumn:
            return qlonglong(r.bytesOut);
        case TimeColumn:
            return r.ms;
        }
        break;
    case Qt::ToolTipRole:
        if (column == NameColumn)
            return r.path;
        if (column == StatusColumn && r.status == Status::Failed)
            return r.error;
        if (column == OutputColumn && !r.output.isEmpty())
            return QStringLiteral("%1×%2, %3\n%4")
                .arg(r.width)
                .arg(r.height)
                .arg(formatBytes(r.bytesOut), r.output);
        break;
    case Qt::TextAlignmentRole:
        if (column == SizeColumn || column == OutputColumn || column == TimeColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case Qt::ForegroundRole:
        if (column == StatusColumn && r.status == Status::Failed)
            return QColor(0xd6, 0x3b, 0x3b);
        break;
    case PathRole:
        return r.path;
    case StatusRole:
        return int(r.status);
    default:
        break;
    }
    return {};
}

QVariant ImageListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Image");
    case SizeColumn:
        return tr("Size");
    case StatusColumn:
        return tr("Status");
    case OutputColumn:
        return tr("Output");
    case TimeColumn:
        return tr("Time");
    }
    return {};
}

} // namespace pixelperf
