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
    if (verdict == Verdict::TooFewSamples)
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
        return tr("too few samples");
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

QVariant ComparisonTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const bool overall = index.row() == overallRow();
    const StageComparison *st = overall ? nullptr : &m_comparison.stages[size_t(index.row())];
    const Spread &a = overall ? m_comparison.wallA : st->a;
    const Spread &b = overall ? m_comparison.wallB : st->b;
    const double speedup = overall ? m_comparison.speedup : st->speedup;
    const double p = overall ? m_comparison.p : st->p;
    const Verdict verdict = overall ? m_comparison.verdict : st->verdict;

    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case StageColumn:
            return overall ? tr("whole run (wall)") : QString::fromLatin1(stageName(st->stage));
        case AColumn:
            return spreadText(a);
        case BColumn:
            return spreadText(b);
        case SpeedupColumn:
            // A stage B all but skips (fused into another) has no meaningful ratio.
            if (speedup > 1000)
                return QStringLiteral("> 1000×");
            return speedup > 0 ? QStringLiteral("%1×").arg(speedup, 0, 'f', speedup < 10 ? 2 : 1)
                               : QStringLiteral("—");
        case PColumn:
            return pText(p, verdict);
        case VerdictColumn:
            return verdictText(verdict);
        }
        break;
    case ValueRole:
        switch (index.column()) {
        case StageColumn:
            return overall ? QVariant() : QVariant(int(st->stage));
        case AColumn:
            return a.median;
        case BColumn:
            return b.median;
        case SpeedupColumn:
            return speedup;
        case PColumn:
            return p;
        case VerdictColumn:
            return int(verdict);
        }
        break;
    case Qt::DecorationRole:
        if (index.column() == StageColumn && !overall)
            return stageColor(st->stage);
        break;
    case Qt::ToolTipRole:
        if (index.column() == AColumn || index.column() == BColumn) {
            const Spread &s = index.column() == AColumn ? a : b;
            return tr("median %1, MAD %2, min %3, max %4 over %n sample(s) (%5)", nullptr, s.n)
                .arg(formatMs(s.median), formatMs(s.mad), formatMs(s.min), formatMs(s.max),
                    overall ? tr("repetitions") : st->sampleKind);
        }
        if (index.column() == PColumn || index.column() == VerdictColumn)
            return tr("Two-sided Mann-Whitney U test; a difference counts when p < 0.05 and the medians "
                      "differ by at least 1 %");
        break;
    case Qt::FontRole:
        if (overall) {
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
