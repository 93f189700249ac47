#include "calltreemodel.h"

#include "flametree.h"

#include <map>

namespace pixelperf {

CallTreeModel::CallTreeModel(Direction direction, QObject *parent)
    : QAbstractItemModel(parent)
    , m_direction(direction)
{
    rebuild();
}

void CallTreeModel::setTree(const FlameTree *tree, const QString &stageFilter)
{
    emit layoutAboutToBeChanged();
    const QModelIndexList before = persistentIndexList();
    std::vector<QStringList> paths;
    for (const QModelIndex &index : before)
        paths.push_back(pathOf(int(index.internalId())));
    m_tree = tree;
    m_stageFilter = stageFilter;
    rebuild();
    QModelIndexList after;
    for (size_t i = 0; i < paths.size(); ++i) {
        const int row = rowAt(paths[i]);
        after.append(row > 0 ? indexOfRow(row, before[int(i)].column()) : QModelIndex());
    }
    changePersistentIndexList(before, after);
    emit layoutChanged();
}

void CallTreeModel::rebuild()
{
    m_rows.clear();
    m_rows.push_back(Row {});
    m_rows[0].fetched = true;
    m_shown = 0;
    m_outermost.clear();
    if (!m_tree)
        return;
    const int stage = m_tree->stageNode(m_stageFilter);
    m_shown = stage >= 0 ? m_tree->node(stage).total : m_stageFilter.isEmpty() ? m_tree->node(0).total : 0;
    addTopRows();
}

bool CallTreeModel::shownUnderRoot(int node) const
{
    return m_stageFilter.isEmpty() || m_tree->name(node) == m_stageFilter;
}

void CallTreeModel::addTopRows()
{
    const std::vector<FlameNode> &nodes = m_tree->nodes();
    if (m_direction == Direction::TopDown) {
        for (int stage : nodes[0].children)
            if (shownUnderRoot(stage))
                addRow(0, m_tree->name(stage), { { stage, stage } });
        return;
    }
    // A node's stage, and whether a caller has its name (a parent's index is
    // always below its children's, so one pass in order sees callers first).
    std::vector<int> stageOf(nodes.size(), -1);
    std::vector<int> sameNameAbove(nodes.size(), -1); // the nearest caller of the same name
    m_outermost.assign(nodes.size(), 1);
    std::map<QString, std::vector<std::pair<int, int>>> functions;
    for (size_t i = 1; i < nodes.size(); ++i) {
        const FlameNode &n = nodes[i];
        stageOf[i] = n.depth == 1 ? int(i) : stageOf[size_t(n.parent)];
        for (int up = n.parent; up > 0 && n.depth > 1; up = nodes[size_t(up)].parent)
            if (nodes[size_t(up)].name == n.name) {
                m_outermost[i] = 0;
                break;
            }
        if (n.depth >= 2 && shownUnderRoot(stageOf[i]))
            functions[m_tree->name(int(i))].emplace_back(int(i), int(i));
    }
    for (auto &[name, occurrences] : functions)
        addRow(0, name, std::move(occurrences));
}

int CallTreeModel::addRow(int parent, const QString &name, std::vector<std::pair<int, int>> occurrences) const
{
    Row row;
    row.name = name;
    row.parent = parent;
    row.position = int(m_rows[size_t(parent)].children.size());
    for (const auto &[origin, at] : occurrences) {
        const FlameNode &o = m_tree->node(origin);
        row.self += o.self;
        if (m_direction == Direction::TopDown || m_outermost[size_t(origin)])
            row.total += o.total;
    }
    if (m_direction == Direction::TopDown)
        row.node = occurrences.front().second;
    row.occurrences = std::move(occurrences);
    m_rows.push_back(std::move(row));
    const int index = int(m_rows.size()) - 1;
    m_rows[size_t(parent)].children.push_back(index);
    return index;
}

void CallTreeModel::fetch(int row) const
{
    if (m_rows[size_t(row)].fetched)
        return;
    m_rows[size_t(row)].fetched = true;
    const std::vector<std::pair<int, int>> occurrences = m_rows[size_t(row)].occurrences;
    if (m_direction == Direction::TopDown) {
        for (int child : m_tree->node(occurrences.front().second).children)
            addRow(row, m_tree->name(child), { { child, child } });
        return;
    }
    std::map<QString, std::vector<std::pair<int, int>>> callers;
    for (const auto &[origin, at] : occurrences) {
        const int caller = m_tree->node(at).parent;
        if (caller > 0)
            callers[m_tree->name(caller)].emplace_back(origin, caller);
    }
    for (auto &[name, chain] : callers)
        addRow(row, name, std::move(chain));
}

int CallTreeModel::childNamed(int row, const QString &name) const
{
    fetch(row);
    for (int child : m_rows[size_t(row)].children)
        if (m_rows[size_t(child)].name == name)
            return child;
    return -1;
}

QStringList CallTreeModel::pathOf(int row) const
{
    QStringList path;
    for (int at = row; at > 0; at = m_rows[size_t(at)].parent)
        path.prepend(m_rows[size_t(at)].name);
    return path;
}

int CallTreeModel::rowAt(const QStringList &path) const
{
    int row = 0;
    for (const QString &name : path)
        if ((row = childNamed(row, name)) < 0)
            return -1;
    return row;
}

QModelIndex CallTreeModel::indexOfRow(int row, int column) const
{
    return row > 0 ? createIndex(m_rows[size_t(row)].position, column, quintptr(row)) : QModelIndex();
}

QModelIndex CallTreeModel::indexOfNode(int node) const
{
    if (!m_tree || m_direction != Direction::TopDown || node <= 0)
        return QModelIndex();
    const int row = rowAt(m_tree->path(node));
    return row > 0 ? indexOfRow(row) : QModelIndex();
}

QModelIndex CallTreeModel::indexOfFunction(const QString &name) const
{
    const int row = m_direction == Direction::BottomUp ? rowAt(QStringList { name }) : -1;
    return row > 0 ? indexOfRow(row) : QModelIndex();
}

QModelIndex CallTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    const int at = parent.isValid() ? int(parent.internalId()) : 0;
    fetch(at);
    const std::vector<int> &children = m_rows[size_t(at)].children;
    if (row < 0 || row >= int(children.size()) || column < 0 || column >= ColumnCount)
        return QModelIndex();
    return createIndex(row, column, quintptr(children[size_t(row)]));
}

QModelIndex CallTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return QModelIndex();
    return indexOfRow(m_rows[size_t(child.internalId())].parent);
}

int CallTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    const int at = parent.isValid() ? int(parent.internalId()) : 0;
    fetch(at);
    return int(m_rows[size_t(at)].children.size());
}

int CallTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool CallTreeModel::hasChildren(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return false;
    const Row &row = m_rows[size_t(parent.isValid() ? parent.internalId() : 0)];
    if (row.fetched)
        return !row.children.empty();
    for (const auto &[origin, at] : row.occurrences)
        if (m_direction == Direction::TopDown ? !m_tree->node(at).children.empty()
                                              : m_tree->node(at).parent > 0)
            return true;
    return false;
}

QVariant CallTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return QVariant();
    const Row &row = m_rows[size_t(index.internalId())];
    const double self = m_shown > 0 ? double(row.self) / double(m_shown) : 0.0;
    const double total = m_shown > 0 ? double(row.total) / double(m_shown) : 0.0;
    const int column = index.column();
    if (role == NodeRole)
        return row.node;
    if (role == Qt::TextAlignmentRole && column != FunctionColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && column == FunctionColumn)
        return row.name;
    if (role != Qt::DisplayRole && role != SortRole)
        return QVariant();
    const bool sort = role == SortRole;
    switch (column) {
    case FunctionColumn:
        return row.name;
    case SelfColumn:
        return qlonglong(row.self);
    case TotalColumn:
        return qlonglong(row.total);
    case SelfShareColumn:
        return sort ? QVariant(self) : QVariant(QString::number(100.0 * self, 'f', 1) + QStringLiteral(" %"));
    case TotalShareColumn:
        return sort ? QVariant(total)
                    : QVariant(QString::number(100.0 * total, 'f', 1) + QStringLiteral(" %"));
    default:
        return QVariant();
    }
}

QVariant CallTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();
    static const char *const titles[ColumnCount] = { "Function", "Self", "Self %", "Total", "Total %" };
    return section >= 0 && section < ColumnCount ? tr(titles[section]) : QVariant();
}

} // namespace pixelperf
