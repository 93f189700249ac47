// The comparison of two runs as a table: one row per stage both runs timed,
// then the whole run: A's and B's median (MAD), B's speedup over A, the
// Mann-Whitney p and the verdict. It presents core's RunComparison; the
// statistics are all computed there.
#pragma once

#include "measure/runcomparison.h"

#include <QAbstractTableModel>

namespace pixelperf {

class ComparisonTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { StageColumn, AColumn, BColumn, SpeedupColumn, PColumn, VerdictColumn, ColumnCount };
    // The raw number behind a cell (ms, ratio, p), for sorting and tests.
    static constexpr int ValueRole = Qt::UserRole + 1;

    explicit ComparisonTableModel(QObject *parent = nullptr);

    void setComparison(const RunComparison &comparison);
    const RunComparison &comparison() const { return m_comparison; }
    // The stage rows come first; the last row is the whole run ("overall").
    int overallRow() const { return int(m_comparison.stages.size()); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString verdictText(Verdict verdict);

private:
    // One row's figures: a stage's, or the whole run's (stage null).
    struct RowFigures {
        const StageComparison *stage;
        const Spread &a;
        const Spread &b;
        const Ratio &ratio;
        double p;
        Verdict verdict;
    };
    RowFigures figuresAt(int row) const;
    QVariant displayText(const RowFigures &r, int column) const;
    static QVariant value(const RowFigures &r, int column);
    QVariant toolTip(const RowFigures &r, int column) const;

    RunComparison m_comparison;
};

} // namespace pixelperf
