#include "dashboardview.h"

#include "measure/runcomparison.h"

#include "charts.h"

#include "imagebreakdownview.h"
#include "stagepalette.h"
#include "timelinewidget.h"
#include "units.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QEvent>
#include <QFileInfo>
#include <QGraphicsLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHorizontalStackedBarSeries>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace pixelperf {

namespace {

const QColor RssColor(0x3d, 0x7e, 0xdb);
const QColor PixelColor(0xe0, 0x8a, 0x1e);
const QColor ThroughputColor(0x2e, 0xa0, 0x5a);
const QColor CpuColor(0x9c, 0x5f, 0xd6);

enum Figure { Done, Elapsed, Rate, PeakRss, PeakPixels, Eta };
const char *const FigureKeys[] = { "done", "elapsed", "rate", "peak-rss", "peak-pixels", "eta" };

// At most `maxPoints`, keeping each bucket's highest value so peaks survive.
QList<QPointF> decimate(const std::vector<QPointF> &points, int maxPoints = 1500)
{
    QList<QPointF> out;
    const size_t n = points.size();
    if (n <= size_t(maxPoints)) {
        out.reserve(qsizetype(n));
        for (const QPointF &p : points)
            out.append(p);
        return out;
    }
    const size_t bucket = (n + size_t(maxPoints) - 1) / size_t(maxPoints);
    out.reserve(maxPoints + 1);
    for (size_t i = 0; i < n; i += bucket) {
        const size_t end = std::min(n, i + bucket);
        QPointF best = points[i];
        for (size_t j = i + 1; j < end; ++j) {
            if (points[j].y() > best.y())
                best = points[j];
        }
        out.append(best);
    }
    out.append(points.back());
    return out;
}

double maxY(const std::vector<QPointF> &points)
{
    double m = 0;
    for (const QPointF &p : points)
        m = std::max(m, p.y());
    return m;
}

} // namespace

DashboardView::DashboardView(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(buildHeadline());

    auto *grid = new QGridLayout;
    grid->setSpacing(6);
    auto *stageBox = new QWidget(this);
    auto *stageLayout = new QVBoxLayout(stageBox);
    stageLayout->setContentsMargins(0, 0, 0, 0);
    stageLayout->setSpacing(0);
    stageLayout->addWidget(buildStageChart(), 1);
    auto *captionRow = new QHBoxLayout;
    m_stageCaption = new QLabel(stageBox);
    m_stageCaption->setObjectName(QStringLiteral("stageCaption"));
    m_stageCaption->setWordWrap(true);
    m_stageCaption->setTextFormat(Qt::RichText);
    m_stageCaption->setForegroundRole(QPalette::PlaceholderText);
    m_zoomToRun = new QCheckBox(tr("Zoom to this run"), stageBox);
    m_zoomToRun->setObjectName(QStringLiteral("zoomToRun"));
    m_zoomToRun->setToolTip(tr("Scale the bars to this run; longer comparison bars run off the edge"));
    connect(m_zoomToRun, &QCheckBox::toggled, this, [this] { refreshStages(); });
    stageLayout->addWidget(m_stageCaption);
    captionRow->addWidget(m_zoomToRun);
    captionRow->addStretch(1);
    stageLayout->addLayout(captionRow);
    grid->addWidget(stageBox, 0, 0);

    auto *timelineBox = new QWidget(this);
    auto *timelineLayout = new QVBoxLayout(timelineBox);
    timelineLayout->setContentsMargins(0, 0, 0, 0);
    timelineLayout->setSpacing(2);
    auto *timelineTitle
        = new QLabel(tr("<b>Timeline</b> — one lane per worker, coloured by stage"), timelineBox);
    timelineTitle->setWordWrap(true);
    timelineLayout->addWidget(timelineTitle);
    m_timeline = new TimelineWidget(timelineBox);
    m_timeline->setObjectName(QStringLiteral("timeline"));
    timelineLayout->addWidget(m_timeline, 1);
    m_breakdown = new ImageBreakdownView(timelineBox);
    m_breakdown->setObjectName(QStringLiteral("imageBreakdown"));
    timelineLayout->addWidget(m_breakdown);
    connect(m_timeline, &TimelineWidget::selectedImageChanged, this, [this] {
        m_breakdownSpans = -1;
        refreshBreakdown();
    });
    grid->addWidget(timelineBox, 0, 1);

    grid->addWidget(buildMemoryChart(), 1, 0);
    grid->addWidget(buildThroughputChart(), 1, 1);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    grid->setRowStretch(0, 3); // nine stage bars need the height more than the curves
    grid->setRowStretch(1, 2);
    layout->addLayout(grid, 1);

    applyPalette();
    setComparison(nullptr, QString());
    refresh();
}

DashboardView::~DashboardView() = default;

QWidget *DashboardView::buildHeadline()
{
    auto *box = new QWidget(this);
    box->setObjectName(QStringLiteral("headline"));
    auto *layout = new QGridLayout(box);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->setHorizontalSpacing(fontMetrics().averageCharWidth());
    layout->setVerticalSpacing(0);
    m_title = new QLabel(tr("No run yet"), box);
    m_title->setObjectName(QStringLiteral("dashboardTitle"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setMinimumWidth(120);
    m_title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_title, 0, 0, 1, int(m_figures.size()) + 1);

    const QString captions[]
        = { tr("done"), tr("elapsed"), tr("images/s"), tr("peak RSS"), tr("peak buffers"), tr("ETA") };
    const QString tips[] = { tr("Images finished (ok or failed) of the images found"),
        tr("Wall time since the run started"), tr("Images processed successfully per second of wall time"),
        tr("Highest resident memory of the process during the run"),
        tr("Highest bytes held by the pipeline's pixel buffers at once"),
        tr("Time left at the run's average rate so far") };
    // Wide enough for the usual values, so the row does not jump about.
    const QString widest[] = { QStringLiteral("88/88"), QStringLiteral("888 ms"), QStringLiteral("88.8"),
        QStringLiteral("888 MiB"), QStringLiteral("888 MiB"), QStringLiteral("888 ms") };
    layout->setColumnStretch(0, 1);
    for (int i = 0; i < int(m_figures.size()); ++i) {
        auto *value = new QLabel(QStringLiteral("–"), box);
        value->setObjectName(QStringLiteral("figure-%1").arg(QLatin1String(FigureKeys[i])));
        QFont f = value->font();
        f.setPointSizeF(f.pointSizeF() * 1.25);
        f.setBold(true);
        value->setFont(f);
        value->setAlignment(Qt::AlignRight | Qt::AlignBottom);
        value->setMinimumWidth(QFontMetrics(f).horizontalAdvance(widest[i]) + 4);
        value->setToolTip(tips[i]);
        auto *caption = new QLabel(captions[i], box);
        caption->setAlignment(Qt::AlignRight | Qt::AlignTop);
        caption->setForegroundRole(QPalette::PlaceholderText);
        caption->setToolTip(tips[i]);
        layout->addWidget(value, 1, i + 1);
        layout->addWidget(caption, 2, i + 1);
        m_figures[size_t(i)] = value;
    }
    return box;
}

int DashboardView::stageCategory(Stage stage)
{
    return stageCategoryOf(int(stage));
}

QChartView *DashboardView::buildStageChart()
{
    m_stageChart = newChart();
    m_stageChart->setTitle(tr("Time per stage"));
    m_currentBars = new QHorizontalStackedBarSeries;
    m_currentBars->setName(tr("this run"));
    m_currentBars->setObjectName(QStringLiteral("stageBarsCurrent"));
    m_comparisonBars = new QHorizontalStackedBarSeries;
    m_comparisonBars->setName(tr("comparison"));
    m_comparisonBars->setObjectName(QStringLiteral("stageBarsComparison"));
    addStageBarSets(m_currentBars, m_comparisonBars);
    // The comparison in the lower half of each category band.
    m_stageAxis = addStageBars(m_stageChart, m_comparisonBars, m_currentBars, tr("ms, all images"));
    for (QAbstractBarSeries *s : { m_currentBars, m_comparisonBars })
        connect(s, &QAbstractBarSeries::hovered, this,
            [this, s](bool on, int index, QBarSet *set) { showStageTip(s, on, index, set); });
    // The stage names fit beside the bars at any font size: the longest
    // name plus room for the bars, not a fixed pixel width.
    int longest = 0;
    for (int i = 0; i < StageCount; ++i)
        longest = std::max(longest, fontMetrics().horizontalAdvance(QLatin1String(stageName(Stage(i)))));
    const int em = fontMetrics().averageCharWidth();
    return newView(m_stageChart, this, QStringLiteral("stageChart"),
        QSize(longest + 14 * em, 10 * fontMetrics().height()));
}

void DashboardView::showStageTip(QAbstractBarSeries *series, bool on, int index, QBarSet *set)
{
    if (!on) {
        QToolTip::hideText();
        return;
    }
    const std::optional<Stage> stage = stageFromName(set->label());
    if (!stage || index != stageCategory(*stage) || !m_model)
        return;
    const bool ghostBar = series == m_comparisonBars;
    const StageTotals &t = ghostBar ? m_comparisonTotals : m_model->stageTotals();
    const int count = t.count[size_t(*stage)];
    const double ms = t.ms[size_t(*stage)];
    QString text = tr("%1 (%2): %3 in %n span(s), mean %4", nullptr, count)
                       .arg(set->label(), ghostBar ? m_comparisonLabel : tr("this run"), formatMs(ms),
                           formatMs(count ? ms / count : 0));
    // Per image (mean per span), and no ratio where a side did no work of
    // its own (fused into another stage, served from the decode cache).
    const StageTotals &own = m_model->stageTotals();
    const int mineCount = own.count[size_t(*stage)], theirCount = m_comparisonTotals.count[size_t(*stage)];
    const double mine = mineCount ? own.ms[size_t(*stage)] / mineCount : 0;
    const double theirs = theirCount ? m_comparisonTotals.ms[size_t(*stage)] / theirCount : 0;
    const QString theirNote = m_comparison ? stageNote(*m_comparison, *stage) : QString();
    if (!theirNote.isEmpty())
        text += QLatin1Char('\n') + tr("%1: %2").arg(m_comparisonLabel, theirNote);
    else if (m_comparison && mine > 0 && theirs > 0)
        text += QLatin1Char('\n')
            + tr("per image, this run takes %1× the comparison's time")
                  .arg(QString::number(mine / theirs, 'f', 2));
    QToolTip::showText(QCursor::pos(), text);
}

QChartView *DashboardView::buildMemoryChart()
{
    m_memoryChart = newChart();
    m_memoryChart->setTitle(tr("Memory over time"));
    m_rss = new QLineSeries;
    m_rss->setName(tr("RSS"));
    m_rss->setObjectName(QStringLiteral("rssSeries"));
    m_rss->setPen(QPen(RssColor, 2));
    m_pixels = new QLineSeries;
    m_pixels->setName(tr("pixel buffers"));
    m_pixels->setObjectName(QStringLiteral("pixelSeries"));
    m_pixels->setPen(QPen(PixelColor, 2));
    m_comparisonRss = new QLineSeries;
    m_comparisonRss->setName(tr("comparison RSS"));
    QColor faded = RssColor;
    faded.setAlpha(110);
    m_comparisonRss->setPen(QPen(faded, 1.5, Qt::DashLine));
    m_memoryChart->addSeries(m_comparisonRss);
    m_memoryChart->addSeries(m_rss);
    m_memoryChart->addSeries(m_pixels);
    m_memoryX = newValueAxis(tr("s"), QStringLiteral("%g"));
    m_memoryY = newValueAxis(tr("MiB"), QStringLiteral("%.0f"));
    m_memoryChart->addAxis(m_memoryX, Qt::AlignBottom);
    m_memoryChart->addAxis(m_memoryY, Qt::AlignLeft);
    for (QLineSeries *s : { m_rss, m_pixels, m_comparisonRss }) {
        s->attachAxis(m_memoryX);
        s->attachAxis(m_memoryY);
    }
    return newView(m_memoryChart, this, QStringLiteral("memoryChart"), textBox(this, 26, 10));
}

QChartView *DashboardView::buildThroughputChart()
{
    m_throughputChart = newChart();
    m_throughputChart->setTitle(tr("Throughput and CPU use"));
    m_throughput = new QLineSeries;
    m_throughput->setName(tr("images/s"));
    m_throughput->setObjectName(QStringLiteral("throughputSeries"));
    m_throughput->setPen(QPen(ThroughputColor, 2));
    m_cpu = new QLineSeries;
    // Over the run's workers, as every report charts it (measure/series.h).
    m_cpu->setName(tr("CPU, % of the workers"));
    m_cpu->setObjectName(QStringLiteral("cpuSeries"));
    m_cpu->setPen(QPen(CpuColor, 2));
    m_throughputChart->addSeries(m_throughput);
    m_throughputChart->addSeries(m_cpu);
    m_throughputX = newValueAxis(tr("s"), QStringLiteral("%.1f"));
    m_throughputY = newValueAxis(tr("images/s"), QStringLiteral("%.1f"));
    m_cpuY = newValueAxis(tr("CPU %"), QStringLiteral("%.0f"));
    m_cpuY->setRange(0, 100);
    m_throughputChart->addAxis(m_throughputX, Qt::AlignBottom);
    m_throughputChart->addAxis(m_throughputY, Qt::AlignLeft);
    m_throughputChart->addAxis(m_cpuY, Qt::AlignRight);
    m_throughput->attachAxis(m_throughputX);
    m_throughput->attachAxis(m_throughputY);
    m_cpu->attachAxis(m_throughputX);
    m_cpu->attachAxis(m_cpuY);
    return newView(m_throughputChart, this, QStringLiteral("throughputChart"), textBox(this, 26, 10));
}

void DashboardView::applyPalette()
{
    // Axis labels a notch smaller than the window's text: nine stage names
    // must fit the category bands even on a short screen.
    for (QChart *chart : { m_stageChart, m_memoryChart, m_throughputChart })
        applyChartPalette(chart, this, 0.9);
    // The comparison run's RSS is listed only when there is one.
    for (QLegendMarker *marker : m_memoryChart->legend()->markers(m_comparisonRss))
        marker->setVisible(m_comparison != nullptr);
}

void DashboardView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        if (m_stageChart)
            applyPalette();
    }
}

void DashboardView::setModel(const DashboardModel *model)
{
    m_model = model;
    m_timeline->setModel(model);
    refresh();
}

void DashboardView::setImageNames(const QStringList &paths)
{
    m_timeline->setImageNames(paths);
}

void DashboardView::setTitle(const QString &title)
{
    m_title->setText(title);
}

QString DashboardView::title() const
{
    return m_title->text();
}

void DashboardView::setComparison(
    std::shared_ptr<const RunResult> result, const QString &label, const QString &details)
{
    m_stageCaption->setToolTip(details);
    m_comparison = std::move(result);
    m_comparisonLabel = label;
    m_comparisonModel.reset();
    m_comparisonTotals = {};
    if (m_comparison) {
        m_comparisonModel.loadResult(m_comparison);
        m_comparisonTotals = StageTotals::fromStats(m_comparison->stages);
    }
    for (QBarSet *set : m_comparisonBars->barSets()) {
        const Stage stage = *stageFromName(set->label());
        set->replace(stageCategory(stage), m_comparisonTotals.ms[size_t(stage)]);
    }
    m_comparisonRss->replace(decimate(m_comparisonModel.rssMiB()));
    m_comparisonRss->setVisible(m_comparison != nullptr);
    for (QLegendMarker *marker : m_memoryChart->legend()->markers(m_comparisonRss))
        marker->setVisible(m_comparison != nullptr);
    refresh();
}

double DashboardView::stageBarValue(QAbstractBarSeries *series, Stage stage)
{
    for (QBarSet *set : series->barSets()) {
        if (set->label() == QLatin1String(stageName(stage)))
            return set->at(stageCategory(stage));
    }
    return 0;
}

QString DashboardView::headlineValue(const QString &key) const
{
    for (int i = 0; i < int(m_figures.size()); ++i) {
        if (key == QLatin1String(FigureKeys[i]))
            return m_figures[size_t(i)]->text();
    }
    return {};
}

double DashboardView::timeRangeSeconds() const
{
    // The run on show sets the scale; the comparison is drawn within it (a
    // long comparison runs off the right edge). Only before the run has a
    // sample of its own does the comparison's length count.
    double t = m_model ? double(m_model->elapsedNs()) / 1e9 : 0;
    if (t <= 0 && m_comparison)
        t = double(m_comparisonModel.elapsedNs()) / 1e9;
    return std::max(t, 0.01);
}

void DashboardView::refresh()
{
    refreshHeadline();
    refreshStages();
    refreshMemory();
    refreshThroughput();
    m_timeline->refresh();
    refreshBreakdown();
}

void DashboardView::refreshBreakdown()
{
    // Made again only when the selected image gained spans (a run going).
    if (m_timeline->highlightedSpanCount() == m_breakdownSpans)
        return;
    m_breakdownSpans = m_timeline->highlightedSpanCount();
    const int image = m_timeline->selectedImage();
    const ImageBreakdown b = m_model && image >= 0 ? m_model->imageBreakdown(image) : ImageBreakdown();
    m_breakdown->showBreakdown(b, QFileInfo(m_timeline->imagePath(image)).fileName());
}

void DashboardView::refreshHeadline()
{
    if (!m_model || m_model->isEmpty()) {
        for (QLabel *l : m_figures)
            l->setText(QStringLiteral("–"));
        return;
    }
    const HeadlineFigures h = m_model->headline();
    m_figures[Done]->setText(h.imagesTotal > 0 ? QStringLiteral("%1/%2").arg(h.imagesDone).arg(h.imagesTotal)
                                               : QString::number(h.imagesDone));
    m_figures[Done]->setToolTip(h.imagesFailed ? tr("%n failed", nullptr, h.imagesFailed) : QString());
    m_figures[Elapsed]->setText(formatSeconds(h.elapsedSeconds));
    m_figures[Rate]->setText(QString::number(h.imagesPerSecond, 'f', h.imagesPerSecond < 10 ? 2 : 1));
    m_figures[PeakRss]->setText(formatBytes(h.peakRssBytes));
    m_figures[PeakPixels]->setText(formatBytes(h.peakPixelBytes));
    m_figures[Eta]->setText(
        h.finished ? (h.cancelled ? tr("cancelled") : tr("done")) : formatSeconds(h.etaSeconds));
}

void DashboardView::updateStageCaption()
{
    if (!m_comparison) {
        m_stageCaption->setText(tr("The previous run will appear faded beside each bar."));
        return;
    }
    QString text = tr("Upper bar: this run · lower, faded: %1").arg(m_comparisonLabel.toHtmlEscaped());
    // The overall speedup, once this run is over: time per image against
    // time per image (the runs may have had different images). One run each
    // says nothing of the noise: small differences are not claimed.
    const HeadlineFigures h = m_model ? m_model->headline() : HeadlineFigures();
    const int ok = h.imagesDone - h.imagesFailed;
    const double mine = ok > 0 ? h.elapsedSeconds * 1000.0 / ok : 0;
    const double theirs = m_comparison->summary.msPerImage();
    if (h.finished && !h.cancelled && !m_comparison->summary.cancelled && mine > 0 && theirs > 0) {
        const double ratio = theirs / mine;
        if (std::fabs(ratio - 1.0) < SeparateRunsMinimumEffect)
            text += tr(" — about as fast per image (%1×: within %2 %, not claimed from one run each)")
                        .arg(QString::number(ratio, 'f', 2))
                        .arg(int(SeparateRunsMinimumEffect * 100));
        else
            text += (ratio >= 1.0 ? tr(" — this run is <b>%1× faster</b> per image")
                                  : tr(" — this run is <b>%1× slower</b> per image"))
                        .arg(QString::number(ratio >= 1.0 ? ratio : 1.0 / ratio, 'f', 2))
                + tr(" (one run each; Compare Runs tests repetitions)");
    }
    m_stageCaption->setText(text);
}

void DashboardView::refreshStages()
{
    StageTotals totals;
    if (m_model)
        totals = m_model->stageTotals();
    for (QBarSet *set : m_currentBars->barSets()) {
        const Stage stage = *stageFromName(set->label());
        const double v = totals.ms[size_t(stage)];
        if (set->at(stageCategory(stage)) != v)
            set->replace(stageCategory(stage), v);
    }
    updateStageCaption();
    const bool zoom = m_zoomToRun->isChecked() && totals.maxMs() > 0;
    setNiceRange(m_stageAxis, zoom ? totals.maxMs() : std::max(totals.maxMs(), m_comparisonTotals.maxMs()));
}

void DashboardView::refreshMemory()
{
    static const std::vector<QPointF> none;
    m_rss->replace(decimate(m_model ? m_model->rssMiB() : none));
    m_pixels->replace(decimate(m_model ? m_model->pixelMiB() : none));
    const double seconds = timeRangeSeconds();
    setNiceRange(m_memoryX, seconds, 4); // four intervals: their labels fit a narrow chart
    double top = 0;
    if (m_model)
        top = std::max(maxY(m_model->rssMiB()), maxY(m_model->pixelMiB()));
    if (m_comparison)
        top = std::max(top, maxY(m_comparisonModel.rssMiB()));
    setNiceRange(m_memoryY, top);
}

void DashboardView::refreshThroughput()
{
    static const std::vector<QPointF> none;
    m_throughput->replace(decimate(m_model ? m_model->throughput() : none));
    m_cpu->replace(decimate(m_model ? m_model->cpuPercent() : none));
    const double seconds = m_model ? double(m_model->elapsedNs()) / 1e9 : 0;
    setNiceRange(m_throughputX, std::max(seconds, 0.5));
    setNiceRange(m_throughputY, m_model ? maxY(m_model->throughput()) : 0);
    const double cpuTop = m_model ? maxY(m_model->cpuPercent()) : 0;
    const double cpuMax = std::max(100.0, std::ceil(cpuTop / 25.0) * 25.0);
    if (m_cpuY->max() != cpuMax)
        m_cpuY->setRange(0, cpuMax);
}

} // namespace pixelperf
