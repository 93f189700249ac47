#include "ablationdialog.h"

#include "charts.h"
#include "pipeline/toggles.h"
#include "reports/reportexport.h"
#include "reportsaver.h"
#include "units.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QDialogButtonBox>
#include <QEvent>
#include <QGraphicsLayout>
#include <QHorizontalStackedBarSeries>
#include <QLabel>
#include <QPushButton>
#include <QScreen>
#include <QSplitter>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace pixelperf {

namespace {

const QColor SpeedupColor(0x2e, 0xa0, 0x5a);
const QColor MemoryColor(0x3d, 0x7e, 0xdb);

} // namespace

AblationDialog::AblationDialog(AblationResult result, ReportSaver *saver, QWidget *parent)
    : QDialog(parent)
    , m_result(std::move(result))
    , m_saver(saver)
{
    setObjectName(QStringLiteral("ablationDialog"));
    setWindowTitle(tr("What Did Each Optimization Buy? — PixelPerf"));

    m_header = new QLabel(headerText(), this);
    m_header->setObjectName(QStringLiteral("ablationHeader"));
    m_header->setWordWrap(true);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(buildChart());
    splitter->addWidget(buildSentences());
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    // A dozen toggle names must fit beside the bars: the chart's share
    // follows the font's line height.
    const int line = fontMetrics().height();
    splitter->setSizes({ 26 * line, 11 * line });

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *exportButton = buttons->addButton(tr("Export…"), QDialogButtonBox::ActionRole);
    exportButton->setObjectName(QStringLiteral("ablationExport"));
    exportButton->setToolTip(tr("Save the ablation as HTML, Markdown or JSON"));
    exportButton->setEnabled(m_saver != nullptr);
    connect(exportButton, &QPushButton::clicked, this, &AblationDialog::chooseAndExport);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_header);
    layout->addWidget(splitter, 1);
    layout->addWidget(buttons);
    applyPalette();
    resize(QSize(55 * line, 40 * line)
               .boundedTo(parent && parent->screen() ? parent->screen()->availableGeometry().size() * 0.9
                                                     : QSize(1100, 800)));
}

QString AblationDialog::headerText() const
{
    const AblationResult &r = m_result;
    const QString cancelled = r.cancelled
        ? tr("<b>Cancelled</b> after %1 of %2 runs: what was measured is shown. ")
              .arg(r.runsDone)
              .arg(r.runsPlanned)
        : QString();
    return cancelled
        + tr("Starting from <b>%1</b> on %n image(s): %2 per image (median of %3 rounds, ± %4), peak RSS %5. "
             "Each toggle was then turned off on its own, each configuration in a fresh process; what the "
             "run lost without it is that toggle's share.",
            nullptr, r.all.images)
              .arg(r.config.preset.isEmpty() ? presetNameFor(r.config.toggles) : r.config.preset,
                  formatMs(r.all.msPerImage.median))
              .arg(r.all.rounds)
              .arg(formatMs(robustSigma(r.all.msPerImage)), formatBytes(r.all.ownPeakRssBytes));
}

QWidget *AblationDialog::buildChart()
{
    m_chart = new QChart;
    m_chart->setTitle(tr("Share of the speedup and of the memory saving, per toggle"));
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->setBackgroundRoundness(0);
    m_chart->layout()->setContentsMargins(0, 0, 0, 0);
    m_chart->legend()->setAlignment(Qt::AlignTop);

    // A tornado: one stacked bar per toggle, the speedup share drawn as a
    // negative value (to the left), the memory share as a positive one.
    auto *series = new QHorizontalStackedBarSeries;
    series->setObjectName(QStringLiteral("tornadoSeries"));
    m_speedup = new QBarSet(tr("share of the speedup (left)"));
    m_memory = new QBarSet(tr("share of the memory saving (right)"));
    m_speedup->setColor(SpeedupColor);
    m_speedup->setBorderColor(SpeedupColor.darker(130));
    m_memory->setColor(MemoryColor);
    m_memory->setBorderColor(MemoryColor.darker(130));
    QStringList names;
    double top = 0;
    // Categories run bottom to top: the largest share goes in last.
    for (auto it = m_result.entries.rbegin(); it != m_result.entries.rend(); ++it) {
        names << QLatin1String(toggleInfo(it->toggle).key);
        m_speedup->append(-100.0 * it->speedupShare);
        m_memory->append(100.0 * it->memoryShare);
        top = std::max({ top, 100.0 * it->speedupShare, 100.0 * it->memoryShare });
    }
    series->append(m_speedup);
    series->append(m_memory);
    series->setBarWidth(0.7);
    m_chart->addSeries(series);
    m_series = series;

    m_categories = new QBarCategoryAxis;
    m_categories->append(names);
    m_chart->addAxis(m_categories, Qt::AlignLeft);
    QCategoryAxis *shares = sharesAxis(top);
    m_chart->addAxis(shares, Qt::AlignBottom);
    series->attachAxis(m_categories);
    series->attachAxis(shares);

    auto *view = new QChartView(m_chart, this);
    view->setObjectName(QStringLiteral("tornadoChart"));
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(fontMetrics().averageCharWidth() * 60, fontMetrics().height() * 16);
    return view;
}

QCategoryAxis *AblationDialog::sharesAxis(double top)
{
    // Percent either side of zero, both sides labelled as positive shares.
    const double bound = std::max(20.0, std::ceil(top / 20.0) * 20.0);
    auto *shares = new QCategoryAxis;
    shares->setRange(-bound, bound);
    shares->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    shares->setStartValue(-bound);
    for (double v = -bound; v <= bound + 1e-9; v += bound / 4)
        // Labels must be unique: the right side's carry a trailing thin space.
        shares->append(v == 0 ? QStringLiteral("0")
                              : QStringLiteral("%1 %%2")
                                    .arg(std::abs(v), 0, 'f', 0)
                                    .arg(v > 0 ? QStringLiteral("\u2009") : QString()),
            v);
    shares->setTitleText(tr("◀ share of the speedup (%)          share of the memory saving (%) ▶"));
    return shares;
}

QWidget *AblationDialog::buildSentences()
{
    m_sentences = new QTextBrowser(this);
    m_sentences->setObjectName(QStringLiteral("ablationSentences"));
    m_sentences->setOpenLinks(false);
    QString html = QStringLiteral("<ul>");
    for (const AblationEntry &e : m_result.entries)
        html += QStringLiteral("<li>%1</li>").arg(sentenceHtml(e.sentence));
    html += QStringLiteral("</ul><p><i>%1</i></p>")
                .arg(ablationMethod(m_result).toHtmlEscaped()
                    + tr(" Interactions between toggles are not separated."));
    m_sentences->setHtml(html);
    return m_sentences;
}

QStringList AblationDialog::categories() const
{
    QStringList top;
    for (const QString &c : m_categories->categories())
        top.prepend(c);
    return top;
}

QString AblationDialog::sentencesText() const
{
    return m_sentences->toPlainText();
}

bool AblationDialog::exportTo(const QString &path, QString *error) const
{
    return writeAblationReport(path, m_result, error);
}

void AblationDialog::chooseAndExport()
{
    const QString path = m_saver->chooseAblationPath();
    if (!path.isEmpty())
        m_saver->saveAblation(path, m_result);
}

void AblationDialog::applyPalette()
{
    applyChartPalette(m_chart, this);
}

void AblationDialog::changeEvent(QEvent *event)
{
    QDialog::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

} // namespace pixelperf
