// The caller/callee table beside the flame graph, as hotspot has it, read
// from a FlameTree it does not own. Top-down: the call tree, stages first
// (each row one node of the tree). Bottom-up: every function, expandable to
// its callers, then theirs (a row is the function's samples through that
// chain of callers). Columns: self and total samples, and their share of the
// shown samples (one stage's when filtered). A function's total counts each
// sample once, however deep it recurses. Children are found when a row is
// expanded, so a tree of a hundred thousand nodes costs little until opened.
#pragma once

#include <QAbstractItemModel>
#include <QStringList>

#include <vector>

namespace pixelperf {

class FlameTree;

class CallTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum class Direction { TopDown, BottomUp };
    enum Column { FunctionColumn, SelfColumn, SelfShareColumn, TotalColumn, TotalShareColumn, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole, // the number behind a cell, for sorting
        NodeRole, // top-down: the tree's node; bottom-up: -1
    };

    explicit CallTreeModel(Direction direction, QObject *parent = nullptr);

    // Reads the tree again (after it changed), showing one stage (its name)
    // or all (empty). Rows the views hold (expanded, selected) stay theirs:
    // they follow their path of names.
    void setTree(const FlameTree *tree, const QString &stageFilter = QString());
    Direction direction() const { return m_direction; }

    // Top-down: the row of a tree node (its callers' rows found on the way).
    QModelIndex indexOfNode(int node) const;
    // Bottom-up: the function's own (top-level) row.
    QModelIndex indexOfFunction(const QString &name) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = QModelIndex()) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    bool hasChildren(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString name;
        int parent = -1; // row 0 is the invisible root
        int position = 0; // among its parent's children
        int node = -1; // top-down: the tree node
        int64_t self = 0;
        int64_t total = 0;
        bool fetched = false;
        std::vector<int> children;
        // (origin, at): a node of the function the chain ends in, and the
        // caller (bottom-up) or the node itself (top-down) this row stands for.
        std::vector<std::pair<int, int>> occurrences;
    };
    void rebuild();
    void addTopRows();
    void fetch(int row) const;
    int addRow(int parent, const QString &name, std::vector<std::pair<int, int>> occurrences) const;
    bool shownUnderRoot(int node) const;
    int childNamed(int row, const QString &name) const;
    QStringList pathOf(int row) const;
    int rowAt(const QStringList &path) const;
    QModelIndex indexOfRow(int row, int column = 0) const;

    const Direction m_direction;
    const FlameTree *m_tree = nullptr;
    QString m_stageFilter;
    int64_t m_shown = 0;
    std::vector<char> m_outermost; // per node: no caller of the same name
    mutable std::vector<Row> m_rows;
};

} // namespace pixelperf
