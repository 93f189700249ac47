#include "trenddialog.h"

#include "charts.h"
#include "historydatabase.h"
#include "units.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QDialogButtonBox>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QLabel>
#include <QLineSeries>
#include <QScatterSeries>
#include <QScreen>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace pixelperf {

namespace {

constexpr double MiB = 1024.0 * 1024.0;

const Spread &spreadOf(const TrendPoint &p, TrendMetric metric)
{
    return metric == TrendMetric::ImagesPerSecond ? p.imagesPerSecond : p.peakRssBytes;
}

double scaled(double v, TrendMetric metric)
{
    return metric == TrendMetric::ImagesPerSecond ? v : v / MiB;
}

} // namespace

TrendLine trendLine(const std::vector<TrendPoint> &points, TrendMetric metric)
{
    TrendLine line;
    for (size_t i = 0; i < points.size(); ++i) {
        const Spread &s = spreadOf(points[i], metric);
        const TrendLine::Point p { double(i + 1), scaled(s.median, metric), scaled(s.min, metric),
            scaled(s.max, metric) };
        // A run of one repetition has no spread: nothing to stand out from.
        const Spread &previous = i > 0 ? spreadOf(points[i - 1], metric) : s;
        if (i > 0 && previous.n > 1 && s.n > 1) {
            const TrendLine::Point &before = line.points.back();
            if (p.median < before.min || p.median > before.max)
                line.shifts.push_back(p);
        }
        line.top = std::max(line.top, p.max);
        line.points.push_back(p);
    }
    return line;
}

TrendDialog::TrendDialog(HistoryDatabase *database, const HistoryRunEntry &run, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("trendDialog"));
    setWindowTitle(tr("Trend — %1 on %2").arg(run.toggles, QFileInfo(run.folder).fileName()));
    m_caption = new QLabel(tr("Reading the history…"), this);
    m_caption->setWordWrap(true);
    m_rate = buildChart(
        tr("Images per second (higher is better)"), tr("images/s"), TrendMetric::ImagesPerSecond);
    m_memory = buildChart(tr("Peak RSS (lower is better)"), tr("MiB"), TrendMetric::PeakRssMiB);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_caption);
    const QSize minimum = textBox(this, 60, 12);
    layout->addWidget(newView(m_rate.chart, this, QStringLiteral("trendRateView"), minimum), 1);
    layout->addWidget(newView(m_memory.chart, this, QStringLiteral("trendMemoryView"), minimum), 1);
    layout->addWidget(buttons);
    QSize size = textBox(this, 100, 36);
    if (const QScreen *screen = parent ? parent->screen() : nullptr)
        size = size.boundedTo(screen->availableGeometry().size() * 0.9);
    resize(size);

    const QString folder = QDir::toNativeSeparators(run.folder);
    const bool reading = database->trend(this, run.configKey, run.folder,
        [this](std::vector<TrendPoint> points) { showPoints(std::move(points)); });
    if (!reading)
        m_caption->setText(tr("History is off: %1").arg(database->offReason()));
    m_caption->setToolTip(tr("Configuration: %1\nFolder: %2").arg(run.toggles, folder));
}

TrendDialog::Chart TrendDialog::buildChart(const QString &title, const QString &unit, TrendMetric metric)
{
    Chart c;
    c.chart = newChart(title);
    c.median = new QLineSeries;
    c.median->setName(tr("median of the run's repetitions"));
    c.median->setPointsVisible(true);
    auto *upper = new QLineSeries(c.chart);
    auto *lower = new QLineSeries(c.chart);
    c.band = new QAreaSeries(upper, lower);
    c.band->setName(tr("their min–max"));
    QColor fill = c.median->color();
    c.band->setPen(Qt::NoPen);
    c.shifts = new QScatterSeries;
    c.shifts->setName(tr("outside the run before's spread"));
    c.shifts->setColor(QColor(0xd6, 0x27, 0x28));
    c.shifts->setMarkerSize(11);
    for (QAbstractSeries *s : std::initializer_list<QAbstractSeries *> { c.band, c.median, c.shifts })
        c.chart->addSeries(s);
    fill.setAlpha(60);
    c.band->setBrush(fill);
    c.x = newValueAxis(tr("run (oldest first)"), QStringLiteral("%d"));
    c.y = newValueAxis(
        unit, metric == TrendMetric::ImagesPerSecond ? QStringLiteral("%.1f") : QStringLiteral("%.0f"));
    c.chart->addAxis(c.x, Qt::AlignBottom);
    c.chart->addAxis(c.y, Qt::AlignLeft);
    for (QAbstractSeries *s : c.chart->series()) {
        s->attachAxis(c.x);
        s->attachAxis(c.y);
    }
    connect(c.median, &QLineSeries::hovered, this, [this, metric](const QPointF &point, bool state) {
        if (state)
            QToolTip::showText(QCursor::pos(), pointText(int(std::lround(point.x())) - 1, metric));
        else
            QToolTip::hideText();
    });
    applyChartPalette(c.chart, this);
    return c;
}

void TrendDialog::showPoints(std::vector<TrendPoint> points)
{
    m_points = std::move(points);
    fill(m_rate, TrendMetric::ImagesPerSecond);
    fill(m_memory, TrendMetric::PeakRssMiB);
    m_caption->setText(
        tr("%n stored run(s) of this configuration on this folder, oldest first. Each point is "
           "a run's median over its measured repetitions; the band, their min–max; a red ring, "
           "a median outside the spread of the run before (a change beyond the noise). Hover a "
           "point for its date, version and commit.",
            nullptr, int(m_points.size())));
    emit loaded(int(m_points.size()));
}

void TrendDialog::fill(Chart &c, TrendMetric metric)
{
    const TrendLine line = trendLine(m_points, metric);
    QList<QPointF> median, upper, lower, shifts;
    for (const TrendLine::Point &p : line.points) {
        median << QPointF(p.x, p.median);
        upper << QPointF(p.x, p.max);
        lower << QPointF(p.x, p.min);
    }
    for (const TrendLine::Point &p : line.shifts)
        shifts << QPointF(p.x, p.median);
    c.median->replace(median);
    c.band->upperSeries()->replace(upper);
    c.band->lowerSeries()->replace(lower);
    c.shifts->replace(shifts);
    const int n = std::max(1, int(line.points.size()));
    // A tick on every run while they fit; then round numbers.
    if (n <= 12) {
        c.x->setRange(0, n + 1);
        c.x->setTickCount(n + 2);
    } else {
        setNiceRange(c.x, n + 1, 10);
    }
    setNiceRange(c.y, line.top * 1.1);
}

QString TrendDialog::pointText(int index, TrendMetric metric) const
{
    if (index < 0 || index >= int(m_points.size()))
        return {};
    const TrendPoint &p = m_points[size_t(index)];
    const Spread &s = spreadOf(p, metric);
    auto value = [metric](double v) {
        return metric == TrendMetric::ImagesPerSecond ? QString::number(v, 'f', 2)
                                                      : formatBytes(int64_t(std::llround(v)));
    };
    return tr("Run %1, %2\nPixelPerf %3%4\n%5 (min %6, max %7, %n repetition(s))", nullptr, s.n)
        .arg(p.runId)
        .arg(QLocale().toString(p.startedAt, QLocale::ShortFormat), p.appVersion,
            p.gitRevision.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(p.gitRevision), value(s.median),
            value(s.min), value(s.max));
}

void TrendDialog::changeEvent(QEvent *event)
{
    QDialog::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        for (QChart *chart : { m_rate.chart, m_memory.chart })
            applyChartPalette(chart, this);
    }
}

} // namespace pixelperf
