// "What did each optimization buy?": core's AblationResult as a tornado chart
// (each toggle's share of the speedup to the left, of the memory saving to the
// right, largest on top), the one sentence per toggle, and its export.
#pragma once

#include "measure/ablation.h"

#include <QDialog>

class QAbstractBarSeries;
class QBarCategoryAxis;
class QBarSet;
class QCategoryAxis;
class QChart;
class QLabel;
class QTextBrowser;

namespace pixelperf {

class ReportSaver;

class AblationDialog : public QDialog
{
    Q_OBJECT
public:
    // Exports go through `saver` (off the GUI thread); none: no export.
    AblationDialog(AblationResult result, ReportSaver *saver, QWidget *parent = nullptr);

    const AblationResult &result() const { return m_result; }
    QAbstractBarSeries *tornadoSeries() const { return m_series; }
    QBarSet *speedupSet() const { return m_speedup; }
    QBarSet *memorySet() const { return m_memory; }
    // Toggle keys, top of the chart first.
    QStringList categories() const;
    QString sentencesText() const;

    // The format follows the name: .html, .md or .json; written at once.
    bool exportTo(const QString &path, QString *error) const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void chooseAndExport();
    void applyPalette();
    QString headerText() const;
    QWidget *buildChart();
    QWidget *buildSentences();
    static QCategoryAxis *sharesAxis(double top);

    AblationResult m_result;
    ReportSaver *m_saver;
    QChart *m_chart = nullptr;
    QAbstractBarSeries *m_series = nullptr;
    QBarSet *m_speedup = nullptr;
    QBarSet *m_memory = nullptr;
    QBarCategoryAxis *m_categories = nullptr;
    QLabel *m_header = nullptr;
    QTextBrowser *m_sentences = nullptr;
};

} // namespace pixelperf
