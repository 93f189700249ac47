// Two runs of the history side by side (PRODUCT.md section 4, issue 4): per
// stage bars (A faded, B solid, each in its stage's colour), both runs' RSS
// over time, and core's comparison as a table with the overall speedup, the
// memory difference and what differs in the configuration.
#pragma once

#include "comparisontablemodel.h"

#include <QDialog>

class QAbstractBarSeries;
class QChart;
class QCheckBox;
class QLayout;
class QComboBox;
class QLabel;
class QLineSeries;
class QTableView;
class QValueAxis;

namespace pixelperf {

class RunHistoryModel;

class ComparisonDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ComparisonDialog(const RunHistoryModel *history, QWidget *parent = nullptr);

    // Rows of the history; the same row twice is allowed but says so.
    void setRuns(int rowA, int rowB);
    int rowA() const;
    int rowB() const;

    const ComparisonTableModel *tableModel() const { return &m_table; }
    QTableView *tableView() const { return m_tableView; }
    QAbstractBarSeries *stageSeriesA() const { return m_barsA; }
    QAbstractBarSeries *stageSeriesB() const { return m_barsB; }
    QLineSeries *rssSeriesA() const { return m_rssA; }
    QLineSeries *rssSeriesB() const { return m_rssB; }
    QString summaryText() const;
    // Per stage, B as a share of A (each A at 100 %) instead of milliseconds.
    QCheckBox *relativeBox() const { return m_relative; }

signals:
    // Two different runs compared (each time they are: the pair picked, the
    // list grown, a swap), rows of the history.
    void compared(int rowA, int rowB, const pixelperf::RunComparison &comparison);

protected:
    void changeEvent(QEvent *event) override;

private:
    QLayout *buildPicker();
    QLayout *buildStageChart();
    QWidget *buildMemoryChart();
    QWidget *buildTable();
    void fillCombos();
    void recompute();
    void updateStageChart();
    void updateMemoryChart();
    void applyPalette();
    QString runLabel(int row) const;

    const RunHistoryModel *m_history;
    ComparisonTableModel m_table;
    QComboBox *m_comboA = nullptr;
    QComboBox *m_comboB = nullptr;
    QCheckBox *m_relative = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_barsCaption = nullptr;
    QTableView *m_tableView = nullptr;
    QChart *m_stageChart = nullptr;
    QChart *m_memoryChart = nullptr;
    QAbstractBarSeries *m_barsA = nullptr;
    QAbstractBarSeries *m_barsB = nullptr;
    QValueAxis *m_stageAxis = nullptr;
    QLineSeries *m_rssA = nullptr;
    QLineSeries *m_rssB = nullptr;
    QValueAxis *m_memoryX = nullptr;
    QValueAxis *m_memoryY = nullptr;
};

} // namespace pixelperf
