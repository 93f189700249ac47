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

QVariant ComparisonTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const bool overall = index.row() == overallRow();
    const StageComparison *st = overall ? nullptr : &m_comparison.stages[size_t(index.row())];
    const Spread &a = overall ? m_comparison.msPerImageA : st->a;
    const Spread &b = overall ? m_comparison.msPerImageB : st->b;
    const Ratio &ratio = overall ? m_comparison.ratio : st->ratio;
    const double speedup = ratio.value;
    // A side where the stage did no work of its own says why instead of a time.
    auto cell = [&](const Spread &s, const QString &note) {
        if (note.isEmpty())
            return spreadText(s);
        return s.n == 0 ? note : QStringLiteral("%1, %2").arg(spreadText(s), note);
    };
    const double p = overall ? m_comparison.p : st->p;
    const Verdict verdict = overall ? m_comparison.verdict : st->verdict;

    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case StageColumn:
            return overall ? tr("whole run (wall)") : QString::fromLatin1(stageName(st->stage));
        case AColumn:
            return overall ? spreadText(a) : cell(a, st->noteA);
        case BColumn:
            return overall ? spreadText(b) : cell(b, st->noteB);
        case SpeedupColumn:
            // A stage without work of its own on a side has no ratio; its cells say why.
            if (speedup <= 0)
                return QStringLiteral("—");
            return ratio.spreadKnown ? QStringLiteral("%1 ± %2×").arg(speedup, 0, 'f', 2).arg(ratio.spread, 0, 'f', 2)
                                     : QStringLiteral("%1×").arg(speedup, 0, 'f', 2);
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
            return tr("per image: median %1, MAD %2, min %3, max %4 over %n sample(s) (%5)", nullptr, s.n)
                .arg(formatMs(s.median), formatMs(s.mad), formatMs(s.min), formatMs(s.max),
                    overall ? tr("repetitions") : st->sampleKind);
        }
        if (index.column() == PColumn || index.column() == VerdictColumn)
            return comparisonMethod();
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
