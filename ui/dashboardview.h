// The live dashboard: headline figures, time per stage (bars, the comparison
// run ghosted beside the current one), memory over time, throughput and CPU
// over time, and the worker timeline. It draws a DashboardModel it does not
// own; refresh() re-reads it (the window calls it on its timer tick).
#pragma once

#include "dashboardmodel.h"

#include <QWidget>

#include <array>
#include <memory>

class QCheckBox;
class QLabel;
class QChart;
class QChartView;
class QLineSeries;
class QValueAxis;
class QAbstractBarSeries;
class QBarSet;

namespace pixelperf {

class ImageBreakdownView;
class TimelineWidget;

class DashboardView : public QWidget
{
    Q_OBJECT
public:
    explicit DashboardView(QWidget *parent = nullptr);
    ~DashboardView() override;

    void setModel(const DashboardModel *model);
    const DashboardModel *model() const { return m_model; }
    // What is being shown, e.g. "Run 3 · optimized · 2 workers" (or "running").
    void setTitle(const QString &title);
    // The files of the run on show, in its order (tooltips name them).
    void setImageNames(const QStringList &paths);
    QString title() const;
    // The run ghosted beside the current one; null for none.
    // `details` (a tooltip) may say how the two runs differ.
    void setComparison(
        std::shared_ptr<const RunResult> result, const QString &label, const QString &details = QString());
    bool hasComparison() const { return m_comparison != nullptr; }
    void refresh();

    // The charts' data, for tests and for the report's pictures.
    QAbstractBarSeries *currentStageSeries() const { return m_currentBars; }
    QAbstractBarSeries *comparisonStageSeries() const { return m_comparisonBars; }
    // The bar of `stage` in a stage series (each stage is a set of its own).
    static double stageBarValue(QAbstractBarSeries *series, Stage stage);
    static int stageCategory(Stage stage);
    QLineSeries *rssSeries() const { return m_rss; }
    QLineSeries *pixelSeries() const { return m_pixels; }
    QLineSeries *throughputSeries() const { return m_throughput; }
    QLineSeries *cpuSeries() const { return m_cpu; }
    TimelineWidget *timeline() const { return m_timeline; }
    // The selected image's stages, under the timeline.
    ImageBreakdownView *imageBreakdown() const { return m_breakdown; }
    QString headlineValue(const QString &key) const;
    // The memory chart's time axis: sized to the run on show.
    QValueAxis *memoryTimeAxis() const { return m_memoryX; }

protected:
    void changeEvent(QEvent *event) override;

private:
    QWidget *buildHeadline();
    QChartView *buildStageChart();
    void showStageTip(QAbstractBarSeries *series, bool on, int index, QBarSet *set);
    QChartView *buildMemoryChart();
    QChartView *buildThroughputChart();
    void applyPalette();
    void refreshStages();
    void updateStageCaption();
    void refreshMemory();
    void refreshThroughput();
    void refreshHeadline();
    double timeRangeSeconds() const;
    void refreshBreakdown();

    const DashboardModel *m_model = nullptr;
    std::shared_ptr<const RunResult> m_comparison;
    DashboardModel m_comparisonModel;
    StageTotals m_comparisonTotals;

    QLabel *m_title = nullptr;
    QLabel *m_stageCaption = nullptr;
    QCheckBox *m_zoomToRun = nullptr;
    std::array<QLabel *, 6> m_figures {};
    QChart *m_stageChart = nullptr;
    QChart *m_memoryChart = nullptr;
    QChart *m_throughputChart = nullptr;
    QAbstractBarSeries *m_currentBars = nullptr;
    QAbstractBarSeries *m_comparisonBars = nullptr;
    QValueAxis *m_stageAxis = nullptr;
    QLineSeries *m_rss = nullptr;
    QLineSeries *m_pixels = nullptr;
    QLineSeries *m_comparisonRss = nullptr;
    QValueAxis *m_memoryX = nullptr;
    QValueAxis *m_memoryY = nullptr;
    QLineSeries *m_throughput = nullptr;
    QLineSeries *m_cpu = nullptr;
    QValueAxis *m_throughputX = nullptr;
    QValueAxis *m_throughputY = nullptr;
    QValueAxis *m_cpuY = nullptr;
    TimelineWidget *m_timeline = nullptr;
    ImageBreakdownView *m_breakdown = nullptr;
    int m_breakdownSpans = -1; // the selected image's spans it was made of
    QString m_comparisonLabel;
};

} // namespace pixelperf
