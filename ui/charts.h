// The parts of the live and comparison charts, made alike: charts, their
// views, and value axes with "nice" ranges (0 to a round number, ticks on
// round numbers) that change only when the data outgrows them, so a chart
// refreshed five times a second is not laid out again each time.
#pragma once

#include <QSize>
#include <QString>

QT_BEGIN_NAMESPACE
class QAbstractBarSeries;
class QBarCategoryAxis;
class QChart;
class QChartView;
class QValueAxis;
class QWidget;
QT_END_NAMESPACE

namespace pixelperf {

struct NiceRange {
    double top = 1; // the axis runs from 0 to top
    int tickCount = 2; // ticks at 0, step, 2 step, ..., top
    int decimals = 0; // the digits after the point that tell the ticks apart
};

// The smallest 0..top covering `max` with at most `maxIntervals` intervals
// of 1, 2 or 5 times a power of ten (max <= 0: 0..1).
NiceRange niceRange(double max, int maxIntervals = 5);

// A "%.Nf" label format with `decimals` digits, keeping any text around it;
// other formats ("%g", "%d") unchanged.
QString labelFormatWithDecimals(const QString &format, int decimals);

// No animation, square, tight margins, legend on top.
QChart *newChart(const QString &title = QString());
// A box of `columns` average characters by `lines` text lines in `widget`'s
// font: minimum sizes that follow the font, not the pixels.
QSize textBox(const QWidget *widget, int columns, int lines);

// Antialiased; folder drops go past it to the window.
QChartView *newView(QChart *chart, QWidget *parent, const QString &name, QSize minimum);

QValueAxis *newValueAxis(const QString &title, const QString &format);

// Sets niceRange(max, maxIntervals) on the axis unless it already has it.
void setNiceRange(QValueAxis *axis, double max, int maxIntervals = 5);

// The chart in `widget`'s palette and font: background, title, legend,
// axes and grid; `axisLabelScale` sizes the axes' labels against the font
// (called again on a palette change: a dark desktop gets dark charts).
void applyChartPalette(QChart *chart, const QWidget *widget, double axisLabelScale = 1.0);

// Per-stage bars, as the dashboard and the comparison draw them: one set per
// stage in each series, non-zero only in its stage's category, so each bar
// takes its stage's colour; `solid` in the stage's colour, `faded` ghosted.
void addStageBarSets(QAbstractBarSeries *solid, QAbstractBarSeries *faded);
// The stages as categories, the first stage on top.
QBarCategoryAxis *newStageCategoryAxis();
// A stage's category in that axis.
int stageCategoryOf(int stage);

// Puts two per-stage bar series on `chart`, `lower` drawn in the lower half of
// each stage's band (it is added first), both on the stage axis and on a new
// value axis titled `unit`, which is returned; no legend.
QValueAxis *addStageBars(
    QChart *chart, QAbstractBarSeries *lower, QAbstractBarSeries *upper, const QString &unit);

} // namespace pixelperf
