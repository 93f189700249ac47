#include "comparisontablemodel.h"

#include "stagepalette.h"
#include "units.h"

#include <QBrush>
#include <QFont>

namespace pixelperf {

namespace {

QString spreadText(const Spread &s)
{
    if (s.n == 0)
        return QStringLiteral("—");
    return QStringLiteral("%1 (± %2)").arg(formatMs(s.median), formatMs(s.mad));
}

QString pText(double p, Verdict verdict)
{
    if (verdict == Verdict::TooFewSamples || verdict == Verdict::NotCompared)
        return QStringLiteral("—");
    return p < 0.001 ? QStringLiteral("< 0.001") : QString::number(p, 'f', 3);
}

} // namespace

ComparisonTableModel::ComparisonTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void ComparisonTableModel::setComparison(const RunComparison &comparison)
{
    beginResetModel();
    m_comparison = comparison;
    endResetModel();
}

QString ComparisonTableModel::verdictText(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Faster:
        return tr("B faster");
    case Verdict::Slower:
        return tr("B slower");
    case Verdict::WithinNoise:
        return tr("within noise");
    case Verdict::TooFewSamples:
        return tr("too few repetitions");
    case Verdict::NotCompared:
        return tr("not compared");
    }
    return {};
}

int ComparisonTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : overallRow() + 1;
}

int ComparisonTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

ComparisonTableModel::RowFigures ComparisonTableModel::figuresAt(int row) const
{
    const bool overall = row == overallRow();
    const StageComparison *st = overall ? nullptr : &m_comparison.stages[size_t(row)];
    return RowFigures { st, overall ? m_comparison.msPerImageA : st->a,
        overall ? m_comparison.msPerImageB : st->b, overall ? m_comparison.ratio : st->ratio,
        overall ? m_comparison.p : st->p, overall ? m_comparison.verdict : st->verdict };
}

QVariant ComparisonTableModel::displayText(const RowFigures &r, int column) const
{
    // A side where the stage did no work of its own says why instead of a time.
    auto cell = [](const Spread &s, const QString &note) {
        if (note.isEmpty())
            return spreadText(s);
        return s.n == 0 ? note : QStringLiteral("%1, %2").arg(spreadText(s), note);
    };
    switch (column) {
    case StageColumn:
        return r.stage ? QString::fromLatin1(stageName(r.stage->stage)) : tr("whole run (wall)");
    case AColumn:
        return r.stage ? cell(r.a, r.stage->noteA) : spreadText(r.a);
    case BColumn:
        return r.stage ? cell(r.b, r.stage->noteB) : spreadText(r.b);
    case SpeedupColumn:
        // A stage without work of its own on a side has no ratio; its cells say why.
        if (r.ratio.value <= 0)
            return QStringLiteral("—");
        return r.ratio.spreadKnown
            ? QStringLiteral("%1 ± %2×").arg(r.ratio.value, 0, 'f', 2).arg(r.ratio.spread, 0, 'f', 2)
            : QStringLiteral("%1×").arg(r.ratio.value, 0, 'f', 2);
    case PColumn:
        return pText(r.p, r.verdict);
    case VerdictColumn:
        return verdictText(r.verdict);
    }
    return {};
}

QVariant ComparisonTableModel::value(const RowFigures &r, int column)
{
    switch (column) {
    case StageColumn:
        return r.stage ? QVariant(int(r.stage->stage)) : QVariant();
    case AColumn:
        return r.a.median;
    case BColumn:
        return r.b.median;
    case SpeedupColumn:
        return r.ratio.value;
    case PColumn:
        return r.p;
    case VerdictColumn:
        return int(r.verdict);
    }
    return {};
}

QVariant ComparisonTableModel::toolTip(const RowFigures &r, int column) const
{
    if (column == AColumn || column == BColumn) {
        const Spread &s = column == AColumn ? r.a : r.b;
        return tr("per image: median %1, MAD %2, min %3, max %4 over %n sample(s) (%5)", nullptr, s.n)
            .arg(formatMs(s.median), formatMs(s.mad), formatMs(s.min), formatMs(s.max),
                r.stage ? r.stage->sampleKind : tr("repetitions"));
    }
    if (column == PColumn || column == VerdictColumn)
        return comparisonMethod();
    return {};
}

QVariant ComparisonTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const RowFigures r = figuresAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayText(r, index.column());
    case ValueRole:
        return value(r, index.column());
    case Qt::DecorationRole:
        return index.column() == StageColumn && r.stage ? QVariant(stageColor(r.stage->stage)) : QVariant();
    case Qt::ToolTipRole:
        return toolTip(r, index.column());
    case Qt::FontRole:
        if (!r.stage) {
            QFont f;
            f.setBold(true);
            return f;
        }
        break;
    case Qt::TextAlignmentRole:
        if (index.column() != StageColumn && index.column() != VerdictColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    }
    return {};
}

QVariant ComparisonTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case StageColumn:
        return tr("Stage");
    case AColumn:
        return tr("A: median (MAD)");
    case BColumn:
        return tr("B: median (MAD)");
    case SpeedupColumn:
        return tr("Speedup (A/B)");
    case PColumn:
        return tr("p");
    case VerdictColumn:
        return tr("Verdict");
    }
    return {};
}

} // namespace pixelperf
