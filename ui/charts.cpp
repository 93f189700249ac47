#include "charts.h"

#include "stagepalette.h"

#include <QAbstractBarSeries>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QGraphicsLayout>
#include <QLegend>
#include <QPen>
#include <QRegularExpression>
#include <QValueAxis>
#include <QWidget>

#include <cmath>

namespace pixelperf {

NiceRange niceRange(double max, int maxIntervals)
{
    // Below a billionth (nothing a chart here shows) or not a number: 0..1;
    // beyond 1e300 the round numbers would overflow: 0..max.
    if (!(max > 1e-9) || !std::isfinite(max))
        return {};
    if (max > 1e300)
        return { max, 2 };
    const double decade = std::pow(10.0, std::floor(std::log10(max / maxIntervals)));
    for (double f : { 1.0, 2.0, 5.0, 10.0, 20.0 }) {
        const double step = f * decade;
        const int intervals = std::max(1, int(std::ceil(max / step - 1e-9)));
        if (intervals <= maxIntervals)
            return { intervals * step, intervals + 1,
                std::max(0, -int(std::floor(std::log10(step) + 1e-9))) };
    }
    return { max, 2 }; // not reached: 20 decades cover max / maxIntervals
}

QChart *newChart(const QString &title)
{
    auto *chart = new QChart;
    if (!title.isEmpty())
        chart->setTitle(title);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(2, 2, 6, 2));
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    chart->legend()->setAlignment(Qt::AlignTop);
    return chart;
}

QSize textBox(const QWidget *widget, int columns, int lines)
{
    const QFontMetrics fm = widget->fontMetrics();
    return { columns * fm.averageCharWidth(), lines * fm.height() };
}

QChartView *newView(QChart *chart, QWidget *parent, const QString &name, QSize minimum)
{
    auto *view = new QChartView(chart, parent);
    view->setObjectName(name);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(minimum);
    view->setAcceptDrops(false);
    view->viewport()->setAcceptDrops(false);
    return view;
}

QValueAxis *newValueAxis(const QString &title, const QString &format)
{
    auto *axis = new QValueAxis;
    axis->setTitleText(title);
    axis->setLabelFormat(format);
    axis->setRange(0, 1);
    axis->setTickCount(5);
    return axis;
}

QString labelFormatWithDecimals(const QString &format, int decimals)
{
    static const QRegularExpression fixed(QStringLiteral("%\\.\\d+f"));
    QString result = format;
    return result.replace(fixed, QStringLiteral("%.%1f").arg(decimals));
}

void setNiceRange(QValueAxis *axis, double max, int maxIntervals)
{
    const NiceRange r = niceRange(max, maxIntervals);
    // 0, 1250, 2500 images/s, not 0.0, 1250.0, 2500.0; 0.1, 0.2 s, not 0, 0.
    const QString format = labelFormatWithDecimals(axis->labelFormat(), r.decimals);
    if (format != axis->labelFormat())
        axis->setLabelFormat(format);
    if (axis->min() != 0 || axis->max() != r.top)
        axis->setRange(0, r.top);
    if (axis->tickCount() != r.tickCount)
        axis->setTickCount(r.tickCount);
}

void addStageBarSets(QAbstractBarSeries *solid, QAbstractBarSeries *faded)
{
    for (int i = 0; i < StageCount; ++i) {
        const Stage stage = Stage(i);
        auto *set = new QBarSet(QLatin1String(stageName(stage)));
        auto *ghost = new QBarSet(QLatin1String(stageName(stage)));
        for (int c = 0; c < StageCount; ++c) {
            set->append(0);
            ghost->append(0);
        }
        set->setColor(stageColor(stage));
        set->setBorderColor(stageColor(stage).darker(130));
        ghost->setColor(ghostStageColor(stage));
        QColor edge = stageColor(stage);
        edge.setAlpha(160);
        ghost->setBorderColor(edge);
        solid->append(set);
        faded->append(ghost);
    }
    solid->setBarWidth(0.85);
    faded->setBarWidth(0.85);
}

int stageCategoryOf(int stage)
{
    // Horizontal bars grow upwards from category 0: the stages reversed read
    // top to bottom in pipeline order.
    return StageCount - 1 - stage;
}

QBarCategoryAxis *newStageCategoryAxis()
{
    auto *categories = new QBarCategoryAxis;
    for (int c = 0; c < StageCount; ++c)
        categories->append(QLatin1String(stageName(Stage(stageCategoryOf(c)))));
    // A stage's name is never cut to "…": the chart's minimum width leaves
    // room for the longest one.
    categories->setTruncateLabels(false);
    return categories;
}

void applyChartPalette(QChart *chart, const QWidget *widget, double axisLabelScale)
{
    const QPalette pal = widget->palette();
    const QColor text = pal.color(QPalette::WindowText);
    QColor grid = text;
    grid.setAlpha(40);
    chart->setBackgroundBrush(pal.base());
    chart->setBackgroundPen(QPen(pal.color(QPalette::Mid)));
    chart->setTitleBrush(text);
    QFont titleFont = widget->font();
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);
    chart->legend()->setLabelColor(text);
    chart->legend()->setFont(widget->font());
    QFont labels = widget->font();
    labels.setPointSizeF(labels.pointSizeF() * axisLabelScale);
    for (QAbstractAxis *axis : chart->axes()) {
        axis->setLabelsColor(text);
        axis->setLabelsFont(labels);
        axis->setTitleBrush(text);
        axis->setTitleFont(widget->font());
        axis->setGridLineColor(grid);
        axis->setLinePenColor(pal.color(QPalette::Mid));
        axis->setMinorGridLineVisible(false);
    }
}

QValueAxis *addStageBars(
    QChart *chart, QAbstractBarSeries *lower, QAbstractBarSeries *upper, const QString &unit)
{
    chart->addSeries(lower);
    chart->addSeries(upper);
    QBarCategoryAxis *categories = newStageCategoryAxis();
    chart->addAxis(categories, Qt::AlignLeft);
    QValueAxis *values = newValueAxis(unit, QStringLiteral("%.0f"));
    chart->addAxis(values, Qt::AlignBottom);
    for (QAbstractBarSeries *s : { lower, upper }) {
        s->attachAxis(categories);
        s->attachAxis(values);
    }
    chart->legend()->setVisible(false);
    return values;
}

} // namespace pixelperf
