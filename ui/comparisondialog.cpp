#include "comparisondialog.h"

#include "charts.h"

#include "dashboardmodel.h"
#include "runhistorymodel.h"
#include "stagepalette.h"
#include "units.h"

#include <QApplication>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QGraphicsLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QHorizontalStackedBarSeries>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPushButton>
#include <QScreen>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cstdlib>

namespace pixelperf {

namespace {

const QColor RssColor(0x3d, 0x7e, 0xdb);

} // namespace

ComparisonDialog::ComparisonDialog(const RunHistoryModel *history, QWidget *parent)
    : QDialog(parent)
    , m_history(history)
{
    setObjectName(QStringLiteral("comparisonDialog"));
    setWindowTitle(tr("Compare Runs — PixelPerf"));

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("comparisonSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *charts = new QWidget(this);
    auto *chartsLayout = new QHBoxLayout(charts);
    chartsLayout->setContentsMargins(0, 0, 0, 0);
    chartsLayout->addLayout(buildStageChart(), 1);
    chartsLayout->addWidget(buildMemoryChart(), 1);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(charts);
    splitter->addWidget(buildTable());
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    const int line = fontMetrics().height();
    splitter->setSizes({ 22 * line, 18 * line }); // the whole table, overall row included

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *copy = buttons->addButton(tr("Copy as Markdown"), QDialogButtonBox::ActionRole);
    copy->setToolTip(tr("The table, the speedup and the differences, for an issue or a pull request"));
    connect(copy, &QPushButton::clicked, this,
        [this] { QApplication::clipboard()->setText(comparisonMarkdown(m_table.comparison())); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buildPicker());
    layout->addWidget(m_summary);
    layout->addWidget(splitter, 1);
    layout->addWidget(buttons);

    fillCombos();
    connect(m_history, &QAbstractItemModel::rowsInserted, this, [this] {
        const int a = rowA(), b = rowB();
        fillCombos();
        setRuns(a, b);
    });
    connect(m_history, &QAbstractItemModel::dataChanged, this, &ComparisonDialog::fillCombos);
    applyPalette();
    // Sized to the font, never wider than the screen (a 1,280 px laptop).
    QSize size(140 * fontMetrics().averageCharWidth(), 48 * line);
    if (const QScreen *screen = parent ? parent->screen() : QGuiApplication::primaryScreen())
        size = size.boundedTo(screen->availableGeometry().size() * 0.95);
    resize(size);
}

QLayout *ComparisonDialog::buildPicker()
{
    auto *pick = new QHBoxLayout;
    m_comboA = new QComboBox(this);
    m_comboA->setObjectName(QStringLiteral("comparisonRunA"));
    m_comboB = new QComboBox(this);
    m_comboB->setObjectName(QStringLiteral("comparisonRunB"));
    for (QComboBox *c : { m_comboA, m_comboB }) {
        c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        c->setMinimumContentsLength(24);
        connect(c, &QComboBox::currentIndexChanged, this, &ComparisonDialog::recompute);
    }
    auto *swap = new QPushButton(tr("⇄ Swap"), this);
    swap->setObjectName(QStringLiteral("comparisonSwap"));
    swap->setToolTip(tr("Make B the reference and A the candidate"));
    connect(swap, &QPushButton::clicked, this, [this] { setRuns(rowB(), rowA()); });
    m_relative = new QCheckBox(tr("Per stage, B as % of A"), this);
    m_relative->setObjectName(QStringLiteral("comparisonRelative"));
    m_relative->setToolTip(
        tr("Each stage's A is 100 %: stages much shorter than the longest one stay readable"));
    connect(m_relative, &QCheckBox::toggled, this, &ComparisonDialog::updateStageChart);
    pick->addWidget(new QLabel(tr("A (reference):"), this));
    pick->addWidget(m_comboA, 1);
    pick->addSpacing(12);
    pick->addWidget(new QLabel(tr("B (candidate):"), this));
    pick->addWidget(m_comboB, 1);
    pick->addWidget(swap);
    pick->addWidget(m_relative);
    return pick;
}

QLayout *ComparisonDialog::buildStageChart()
{
    m_stageChart = newChart(tr("Median time per stage"));
    m_barsA = new QHorizontalStackedBarSeries;
    m_barsA->setObjectName(QStringLiteral("comparisonBarsA"));
    m_barsB = new QHorizontalStackedBarSeries;
    m_barsB->setObjectName(QStringLiteral("comparisonBarsB"));
    addStageBarSets(m_barsB, m_barsA); // A faded, B solid
    // B in the lower half of each band, so A reads above B.
    m_stageAxis = addStageBars(m_stageChart, m_barsB, m_barsA, tr("ms"));

    auto *box = new QVBoxLayout;
    m_barsCaption = new QLabel(this);
    m_barsCaption->setObjectName(QStringLiteral("comparisonBarsCaption"));
    m_barsCaption->setWordWrap(true);
    const int line = fontMetrics().height();
    box->addWidget(
        newView(m_stageChart, this, QStringLiteral("comparisonStageChart"), QSize(20 * line, 14 * line)), 1);
    box->addWidget(m_barsCaption);
    return box;
}

QWidget *ComparisonDialog::buildMemoryChart()
{
    m_memoryChart = newChart(tr("Memory over time (RSS)"));
    m_rssA = new QLineSeries;
    m_rssA->setObjectName(QStringLiteral("comparisonRssA"));
    QColor faded = RssColor;
    faded.setAlpha(110);
    m_rssA->setPen(QPen(faded, 2, Qt::DashLine));
    m_rssB = new QLineSeries;
    m_rssB->setObjectName(QStringLiteral("comparisonRssB"));
    m_rssB->setPen(QPen(RssColor, 2));
    m_memoryChart->addSeries(m_rssA);
    m_memoryChart->addSeries(m_rssB);
    m_memoryX = newValueAxis(tr("time since the run started (s)"), QStringLiteral("%.1f"));
    m_memoryY = newValueAxis(tr("MiB"), QStringLiteral("%.0f"));
    m_memoryChart->addAxis(m_memoryX, Qt::AlignBottom);
    m_memoryChart->addAxis(m_memoryY, Qt::AlignLeft);
    for (QLineSeries *s : { m_rssA, m_rssB }) {
        s->attachAxis(m_memoryX);
        s->attachAxis(m_memoryY);
    }
    const int line = fontMetrics().height();
    return newView(m_memoryChart, this, QStringLiteral("comparisonMemoryChart"), QSize(20 * line, 14 * line));
}

QWidget *ComparisonDialog::buildTable()
{
    m_tableView = new QTableView(this);
    m_tableView->setObjectName(QStringLiteral("comparisonTable"));
    m_tableView->setModel(&m_table);
    m_tableView->verticalHeader()->hide();
    m_tableView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tableView->setAlternatingRowColors(true);
    m_tableView->horizontalHeader()->setStretchLastSection(true);
    m_tableView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    return m_tableView;
}

QString ComparisonDialog::runLabel(int row) const
{
    const RunEntry &e = m_history->entry(row);
    QString label = tr("run %1 · %2 · %3")
                        .arg(e.number)
                        .arg(e.preset, formatSeconds(e.result->summary.wallMs / 1000.0));
    if (e.isLoaded())
        label += tr(" · loaded");
    if (e.result->summary.cancelled)
        label += tr(" · cancelled");
    return label;
}

void ComparisonDialog::fillCombos()
{
    for (QComboBox *combo : { m_comboA, m_comboB }) {
        const QSignalBlocker block(combo);
        const int current = combo->currentIndex();
        combo->clear();
        for (int row = 0; row < m_history->count(); ++row)
            combo->addItem(runLabel(row));
        combo->setCurrentIndex(std::min(current, combo->count() - 1));
    }
}

void ComparisonDialog::setRuns(int a, int b)
{
    {
        const QSignalBlocker blockA(m_comboA);
        const QSignalBlocker blockB(m_comboB);
        m_comboA->setCurrentIndex(std::clamp(a, 0, m_history->count() - 1));
        m_comboB->setCurrentIndex(std::clamp(b, 0, m_history->count() - 1));
    }
    recompute();
}

int ComparisonDialog::rowA() const
{
    return m_comboA->currentIndex();
}

int ComparisonDialog::rowB() const
{
    return m_comboB->currentIndex();
}

void ComparisonDialog::recompute()
{
    if (rowA() < 0 || rowB() < 0)
        return;
    const RunEntry &a = m_history->entry(rowA());
    const RunEntry &b = m_history->entry(rowB());
    m_table.setComparison(compareRuns(*a.result, a.repetitions(), *b.result, b.repetitions(),
        tr("run %1").arg(a.number), tr("run %1").arg(b.number)));
    m_summary->setText(summaryText());
    updateStageChart();
    updateMemoryChart();
    if (rowA() != rowB())
        emit compared(rowA(), rowB(), m_table.comparison());
}

QString ComparisonDialog::summaryText() const
{
    const RunComparison &c = m_table.comparison();
    if (rowA() < 0 || rowB() < 0)
        return QString();
    QStringList lines;
    if (rowA() == rowB())
        lines << tr("<i>A and B are the same run: pick two different runs.</i>");
    for (const QString &note : c.notes)
        lines << tr("<i>Note: %1.</i>").arg(note.toHtmlEscaped());
    QString overall = QStringLiteral("<b>%1</b>").arg(c.headline().toHtmlEscaped());
    overall += tr(" (%1 → %2 per image; %3)")
                   .arg(formatMs(c.msPerImageA.median), formatMs(c.msPerImageB.median),
                       c.verdict == Verdict::TooFewSamples
                           ? tr("fewer than %1 repetitions a side: no significance test").arg(MinimumSamples)
                           : tr("%1, p = %2")
                                 .arg(ComparisonTableModel::verdictText(c.verdict))
                                 .arg(c.p, 0, 'f', 3));
    lines << overall;
    const int64_t peakA = m_history->entry(rowA()).result->summary.peakRssBytes;
    const int64_t peakB = m_history->entry(rowB()).result->summary.peakRssBytes;
    const QString sign = c.peakRssDelta >= 0 ? QStringLiteral("+") : QStringLiteral("−");
    lines << tr("Peak RSS %1 → %2 (%3%4%5); peak pixel buffers %6%7")
                 .arg(formatBytes(peakA), formatBytes(peakB), sign, formatBytes(std::abs(c.peakRssDelta)),
                     c.decodeCacheDelta == 0
                         ? QString()
                         : tr(", %1%2 without the decode cache held from warm-ups")
                               .arg(c.ownPeakRssDelta >= 0 ? QStringLiteral("+") : QStringLiteral("−"),
                                   formatBytes(std::abs(c.ownPeakRssDelta))),
                     c.peakPixelDelta >= 0 ? QStringLiteral("+") : QStringLiteral("−"),
                     formatBytes(std::abs(c.peakPixelDelta)));
    lines << tr("Toggles that differ: %1")
                 .arg(c.toggleDifferences.isEmpty()
                         ? tr("none")
                         : c.toggleDifferences.join(QStringLiteral(", ")).toHtmlEscaped());
    lines << tr("Parameters that differ: %1")
                 .arg(c.paramDifferences.isEmpty()
                         ? tr("none")
                         : c.paramDifferences.join(QStringLiteral(", ")).toHtmlEscaped());
    return lines.join(QStringLiteral("<br>"));
}

void ComparisonDialog::updateStageChart()
{
    const RunComparison &c = m_table.comparison();
    const QList<QBarSet *> setsA = m_barsA->barSets();
    const QList<QBarSet *> setsB = m_barsB->barSets();
    for (int i = 0; i < StageCount; ++i) {
        for (int cat = 0; cat < StageCount; ++cat) {
            setsA[i]->replace(cat, 0);
            setsB[i]->replace(cat, 0);
        }
    }
    // Relative: each stage's A is 100 %, so a stage a hundred times shorter
    // than the longest one is as readable as it.
    const bool relative = m_relative->isChecked();
    double top = 0;
    QString kind;
    for (const StageComparison &st : c.stages) {
        const int i = int(st.stage);
        const int category = StageCount - 1 - i;
        const double a = relative ? (st.a.median > 0 ? 100.0 : 0.0) : st.a.median;
        const double b = relative ? (st.a.median > 0 ? 100.0 * st.b.median / st.a.median : 0.0) : st.b.median;
        setsA[i]->replace(category, a);
        setsB[i]->replace(category, b);
        top = std::max({ top, a, b });
        kind = st.sampleKind;
    }
    setNiceRange(m_stageAxis, top);
    const QString median
        = kind == QLatin1String("repetitions") ? tr("median over repetitions") : tr("median");
    m_stageAxis->setTitleText(relative ? tr("%, B of A for each stage (%1; A = 100 %)").arg(median)
                                       : tr("ms per image (%1)").arg(median));
    m_barsCaption->setText(
        tr("Upper, faded bar: A (%1) · lower, solid bar: B (%2)").arg(runLabel(rowA()), runLabel(rowB())));
}

void ComparisonDialog::updateMemoryChart()
{
    DashboardModel a, b;
    a.loadResult(m_history->entry(rowA()).result);
    b.loadResult(m_history->entry(rowB()).result);
    auto toList = [](const std::vector<QPointF> &points) {
        QList<QPointF> out(points.begin(), points.end());
        return out;
    };
    m_rssA->replace(toList(a.rssMiB()));
    m_rssB->replace(toList(b.rssMiB()));
    m_rssA->setName(tr("A: %1").arg(runLabel(rowA())));
    m_rssB->setName(tr("B: %1").arg(runLabel(rowB())));
    double maxX = 0, maxY = 0;
    for (const auto *points : { &a.rssMiB(), &b.rssMiB() }) {
        for (const QPointF &p : *points) {
            maxX = std::max(maxX, p.x());
            maxY = std::max(maxY, p.y());
        }
    }
    setNiceRange(m_memoryX, maxX);
    setNiceRange(m_memoryY, maxY);
}

void ComparisonDialog::applyPalette()
{
    for (QChart *chart : { m_stageChart, m_memoryChart })
        applyChartPalette(chart, this);
}

void ComparisonDialog::changeEvent(QEvent *event)
{
    QDialog::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

} // namespace pixelperf
