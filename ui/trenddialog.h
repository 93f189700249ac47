// One configuration on one folder over time, as asv draws a benchmark:
// images/s and peak RSS for every stored run of it, oldest left, each point
// the median of the run's measured repetitions with their min–max as a band,
// so a run whose band lies apart from the others' stands out as a
// regression. The x axis is the run's index; its date, version and commit
// are in the point's tooltip. Read off the GUI thread from the history.
#pragma once

#include "history/historyentry.h"

#include <QDialog>

#include <vector>

class QAreaSeries;
class QChart;
class QLabel;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace pixelperf {

class HistoryDatabase;

// One chart's points: x the run's index (1, 2, …), the median and the band.
struct TrendLine {
    struct Point {
        double x = 0;
        double median = 0;
        double min = 0;
        double max = 0;
    };
    std::vector<Point> points;
    // Points whose median lies outside the band of the run before (both with
    // several repetitions): where a change beyond the noise happened.
    std::vector<Point> shifts;
    double top = 0; // the highest max
};
enum class TrendMetric { ImagesPerSecond, PeakRssMiB };
TrendLine trendLine(const std::vector<TrendPoint> &points, TrendMetric metric);

class TrendDialog : public QDialog
{
    Q_OBJECT
public:
    // The trend of `run`'s configuration on its folder.
    TrendDialog(HistoryDatabase *database, const HistoryRunEntry &run, QWidget *parent = nullptr);

    const std::vector<TrendPoint> &points() const { return m_points; }
    QLineSeries *rateSeries() const { return m_rate.median; }
    QAreaSeries *rateBand() const { return m_rate.band; }
    QLineSeries *memorySeries() const { return m_memory.median; }
    QAreaSeries *memoryBand() const { return m_memory.band; }
    // The point's tooltip: date, version and commit, median and spread.
    QString pointText(int index, TrendMetric metric) const;

signals:
    void loaded(int points);

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Chart {
        QChart *chart = nullptr;
        QLineSeries *median = nullptr;
        QAreaSeries *band = nullptr;
        QScatterSeries *shifts = nullptr;
        QValueAxis *x = nullptr;
        QValueAxis *y = nullptr;
    };
    Chart buildChart(const QString &title, const QString &unit, TrendMetric metric);
    void showPoints(std::vector<TrendPoint> points);
    void fill(Chart &chart, TrendMetric metric);

    std::vector<TrendPoint> m_points;
    Chart m_rate;
    Chart m_memory;
    QLabel *m_caption = nullptr;
};

} // namespace pixelperf
