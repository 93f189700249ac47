#include "imagelistmodel.h"

#include "pipeline/stages/scan.h"
#include "units.h"

#include <QColor>
#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <numeric>
#include <type_traits>

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
    m_paths = absolutePaths;
    m_rows.assign(size_t(absolutePaths.size()), Row {});
    m_errors.clear();
    m_names.clear();
    m_totalBytes = 0;
    const QDir root(m_folder);
    // A folder's own files (cleaned absolute paths, as the scan gives them):
    // their name is the path's tail (QDir::relativeFilePath() for each took
    // ~100 ms on the GUI thread at 100,000 files).
    const QString prefix = m_folder.endsWith(QLatin1Char('/')) ? m_folder : m_folder + QLatin1Char('/');
    for (int i = 0; i < count(); ++i) {
        const QString &path = m_paths.at(i);
        Row &row = m_rows[size_t(i)];
        if (path.startsWith(prefix))
            row.nameStart = int(prefix.size());
        else
            m_names.insert(i, root.relativeFilePath(path));
        row.bytes = sizes[size_t(i)];
        m_totalBytes += row.bytes;
    }
    m_byPath.clear();
    if (!std::is_sorted(m_paths.cbegin(), m_paths.cend())) {
        m_byPath.resize(m_rows.size());
        std::iota(m_byPath.begin(), m_byPath.end(), 0);
        std::sort(
            m_byPath.begin(), m_byPath.end(), [this](int a, int b) { return m_paths.at(a) < m_paths.at(b); });
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

std::vector<int64_t> ImageListModel::sizesFrom(const RunResult &run) const
{
    std::vector<int64_t> sizes;
    sizes.reserve(size_t(run.files.size()));
    for (int i = 0; i < run.files.size(); ++i) {
        const ImageRecord *rec = size_t(i) < run.images.size() ? &run.images[size_t(i)] : nullptr;
        if (rec && rec->bytesIn > 0) {
            sizes.push_back(rec->bytesIn);
        } else if (const int row = rowOf(run.files[i]); row >= 0) {
            sizes.push_back(m_rows[size_t(row)].bytes);
        } else {
            sizes.push_back(QFileInfo(run.files[i]).size());
        }
    }
    return sizes;
}

void ImageListModel::clear()
{
    setFiles(QString(), {});
    m_folder.clear();
}

QString ImageListModel::pathAt(int row) const
{
    return row >= 0 && row < count() ? m_paths[row] : QString();
}

QStringView ImageListModel::nameAt(int row) const
{
    if (!m_names.isEmpty()) {
        if (const auto it = m_names.constFind(row); it != m_names.cend())
            return *it;
    }
    return QStringView(m_paths[row]).mid(m_rows[size_t(row)].nameStart);
}

QString ImageListModel::outputAt(int row) const
{
    if (row < 0 || row >= count() || !m_rows[size_t(row)].output)
        return {};
    return m_rows[size_t(row)].output->pathFor(m_paths[row]);
}

int ImageListModel::rowOf(const QString &path) const
{
    const auto pathOf = [this](int row) -> const QString & { return m_paths[row]; };
    if (m_byPath.empty()) {
        const auto it = std::lower_bound(m_paths.cbegin(), m_paths.cend(), path);
        return it != m_paths.cend() && *it == path ? int(it - m_paths.cbegin()) : -1;
    }
    const auto it = std::lower_bound(
        m_byPath.cbegin(), m_byPath.cend(), path, [&](int row, const QString &p) { return pathOf(row) < p; });
    return it != m_byPath.cend() && pathOf(*it) == path ? *it : -1;
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
        return m_errors.value(row);
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

template <typename Use> auto ImageListModel::withSortValue(int row, int column, Use use) const
{
    const Row &r = m_rows[size_t(row)];
    switch (column) {
    case SizeColumn:
        return use(qlonglong(r.bytes));
    case StatusColumn:
        return use(int(r.status));
    case OutputColumn:
        return use(qlonglong(r.bytesOut));
    case TimeColumn:
        return use(r.ms);
    default:
        return use(nameAt(row));
    }
}

bool ImageListModel::rowLessThan(int a, int b, int column) const
{
    // Both rows' values are of the column's one type, compared as they are.
    return withSortValue(a, column, [&](auto x) {
        using Value = std::decay_t<decltype(x)>;
        return x < withSortValue(
                   b, column,
                   [](auto y) {
                       if constexpr (std::is_same_v<std::decay_t<decltype(y)>, Value>)
                           return y;
                       else
                           return Value {};
                   });
    });
}

bool ImageListSortProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (const auto *images = qobject_cast<const ImageListModel *>(sourceModel()))
        return images->rowLessThan(left.row(), right.row(), left.column());
    return QSortFilterProxyModel::lessThan(left, right);
}

void ImageListModel::markQueued()
{
    std::vector<int> changed;
    for (int i = 0; i < count(); ++i) {
        Row &r = m_rows[size_t(i)];
        if (r.status == Status::Queued)
            continue; // waiting already: nothing of a run on it
        changed.push_back(i);
        r = Row { {}, r.bytes, 0, -1, 0, 0, r.nameStart, Status::Queued, false };
    }
    m_errors.clear();
    emitRowsChanged(changed);
}

int ImageListModel::rowOfRecord(const ImageRecord &rec) const
{
    if (rec.index >= 0 && rec.index < count() && m_paths[rec.index] == rec.path)
        return rec.index;
    return rowOf(rec.path); // -1: the folder changed since it was listed
}

void ImageListModel::applyRecords(const std::vector<ImageRecord> &records, bool toWaitingRows)
{
    std::vector<int> changed;
    changed.reserve(records.size());
    for (const ImageRecord &rec : records) {
        const int i = rowOfRecord(rec);
        if (i < 0 || (toWaitingRows && m_rows[size_t(i)].status != Status::Queued))
            continue;
        Row &r = m_rows[size_t(i)];
        r.status = rec.ok ? Status::Ok : rec.cancelled ? Status::Cancelled : Status::Failed;
        if (r.status == Status::Failed)
            m_errors.insert(i, rec.error);
        else if (!m_errors.isEmpty())
            m_errors.remove(i);
        r.output = rec.outputPlan();
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
        changed.push_back(i);
    }
    std::sort(changed.begin(), changed.end());
    emitRowsChanged(changed);
}

void ImageListModel::finishRun(bool cancelled)
{
    std::vector<int> changed;
    for (int i = 0; i < count(); ++i) {
        Row &r = m_rows[size_t(i)];
        if (r.status != Status::Queued)
            continue;
        // Not reached: cancelled before it started, or not in the run's scan.
        r.status = cancelled ? Status::Cancelled : Status::Idle;
        changed.push_back(i);
    }
    emitRowsChanged(changed);
}

void ImageListModel::emitRowsChanged(const std::vector<int> &rows)
{
    // A run changes the status, output and time columns, never the name or
    // size: a proxy sorted by name (the list's default) has nothing to
    // re-sort, where the whole row would have it check 100,000 rows' order.
    // One signal per run of adjacent rows; but each signal costs a proxy
    // sorted by status or time a pass over its rows, so rows scattered in
    // many runs (work ordered by cost over images of many sizes) go as one
    // span from the first to the last.
    constexpr int MaxSignals = 16;
    auto runEnd = [&rows](size_t first) {
        size_t last = first;
        while (last + 1 < rows.size() && rows[last + 1] <= rows[last] + 1)
            ++last;
        return last;
    };
    int runs = 0;
    for (size_t first = 0; first < rows.size() && runs <= MaxSignals; first = runEnd(first) + 1)
        ++runs;
    if (runs > MaxSignals) {
        emit dataChanged(index(rows.front(), StatusColumn), index(rows.back(), ColumnCount - 1));
        return;
    }
    for (size_t first = 0; first < rows.size();) {
        const size_t last = runEnd(first);
        emit dataChanged(index(rows[first], StatusColumn), index(rows[last], ColumnCount - 1));
        first = last + 1;
    }
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
            return nameAt(index.row()).toString();
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
        if (column < 0 || column >= ColumnCount)
            break;
        return withSortValue(index.row(), column, [](auto value) {
            if constexpr (std::is_same_v<decltype(value), QStringView>)
                return QVariant(value.toString());
            else
                return QVariant::fromValue(value);
        });
    case Qt::ToolTipRole:
        if (column == NameColumn)
            return m_paths[index.row()];
        if (column == StatusColumn && r.status == Status::Failed)
            return m_errors.value(index.row());
        if (column == OutputColumn && r.output)
            return QStringLiteral("%1×%2, %3\n%4")
                .arg(r.width)
                .arg(r.height)
                .arg(formatBytes(r.bytesOut), outputAt(index.row()));
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
        return m_paths[index.row()];
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
