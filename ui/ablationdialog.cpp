#include "ablationdialog.h"

#include "reports/reportformats.h"
#include "pipeline/toggles.h"
#include "units.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QDialogButtonBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QGraphicsLayout>
#include <QHorizontalStackedBarSeries>
#include <QJsonDocument>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
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

AblationDialog::AblationDialog(AblationResult result, QWidget *parent)
    : QDialog(parent)
    , m_result(std::move(result))
{
    setObjectName(QStringLiteral("ablationDialog"));
    setWindowTitle(tr("What Did Each Optimization Buy? — PixelPerf"));

    m_header = new QLabel(this);
    m_header->setObjectName(QStringLiteral("ablationHeader"));
    m_header->setWordWrap(true);
    m_header->setText(
        (m_result.cancelled ? tr("<b>Cancelled</b> after %1 of %2 runs: what was measured is shown. ")
                                  .arg(m_result.runsDone)
                                  .arg(m_result.runsPlanned)
                            : QString())
        + tr("Starting from <b>%1</b> on %n image(s): %2 per image (median of %3 rounds, ± %4), peak RSS %5. "
             "Each toggle was then turned off on its own, each configuration in a fresh process; what the "
             "run lost without it is that toggle's share.",
              nullptr, m_result.all.images)
              .arg(m_result.config.preset.isEmpty() ? presetNameFor(m_result.config.toggles)
                                                    : m_result.config.preset,
                  formatMs(m_result.all.msPerImage.median))
              .arg(m_result.all.rounds)
              .arg(formatMs(robustSigma(m_result.all.msPerImage)), formatBytes(m_result.all.ownPeakRssBytes)));

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
    // Percent either side of zero, both sides labelled as positive shares.
    const double bound = std::max(20.0, std::ceil(top / 20.0) * 20.0);
    auto *shares = new QCategoryAxis;
    shares->setRange(-bound, bound);
    shares->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    shares->setStartValue(-bound);
    for (double v = -bound; v <= bound + 1e-9; v += bound / 4)
        // Labels must be unique: the right side's carry a trailing thin space.
        shares->append(v == 0 ? QStringLiteral("0")
                              : QStringLiteral("%1 %%2").arg(std::abs(v), 0, 'f', 0).arg(v > 0 ? QStringLiteral("\u2009") : QString()),
            v);
    shares->setTitleText(tr("◀ share of the speedup (%)          share of the memory saving (%) ▶"));
    m_chart->addAxis(shares, Qt::AlignBottom);
    series->attachAxis(m_categories);
    series->attachAxis(shares);

    auto *view = new QChartView(m_chart, this);
    view->setObjectName(QStringLiteral("tornadoChart"));
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(480, 320);

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

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(view);
    splitter->addWidget(m_sentences);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 520, 220 }); // a dozen toggle names must fit beside the bars

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *exportButton = buttons->addButton(tr("Export…"), QDialogButtonBox::ActionRole);
    exportButton->setObjectName(QStringLiteral("ablationExport"));
    exportButton->setToolTip(tr("Save the ablation as HTML, Markdown or JSON"));
    connect(exportButton, &QPushButton::clicked, this, &AblationDialog::chooseAndExport);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_header);
    layout->addWidget(splitter, 1);
    layout->addWidget(buttons);
    applyPalette();
    resize(1100, 800);
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
    const QString lower = path.toLower();
    QByteArray bytes;
    if (lower.endsWith(QLatin1String(".json")))
        bytes = QJsonDocument(ablationJson(m_result)).toJson(QJsonDocument::Indented);
    else if (lower.endsWith(QLatin1String(".md")))
        bytes = ablationMarkdown(m_result);
    else
        bytes = ablationHtml(m_result);
    return writeFileAtomically(path, bytes, error);
}

void AblationDialog::chooseAndExport()
{
    const QString htmlFilter = tr("HTML report (*.html)");
    const QString mdFilter = tr("Markdown summary (*.md)");
    const QString jsonFilter = tr("JSON (*.json)");
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("ablation/exportDir"), QDir::homePath()).toString();
    QString suffix = settings.value(QStringLiteral("ablation/exportFormat"), QStringLiteral("html")).toString();
    QString filter = suffix == QLatin1String("md") ? mdFilter : suffix == QLatin1String("json") ? jsonFilter : htmlFilter;
    QString path = QFileDialog::getSaveFileName(this, tr("Export the Ablation"),
        QDir(dir).filePath(QStringLiteral("pixelperf-ablation.") + suffix),
        QStringList { htmlFilter, mdFilter, jsonFilter }.join(QStringLiteral(";;")), &filter);
    if (path.isEmpty())
        return;
    const QString lower = path.toLower();
    if (!lower.endsWith(QLatin1String(".html")) && !lower.endsWith(QLatin1String(".md"))
        && !lower.endsWith(QLatin1String(".json")))
        path += filter == mdFilter ? QStringLiteral(".md") : filter == jsonFilter ? QStringLiteral(".json") : QStringLiteral(".html");
    settings.setValue(QStringLiteral("ablation/exportDir"), QFileInfo(path).absolutePath());
    settings.setValue(QStringLiteral("ablation/exportFormat"), QFileInfo(path).suffix().toLower());
    QString error;
    if (!exportTo(path, &error))
        QMessageBox::warning(this, tr("Export the Ablation"), tr("Cannot write %1: %2").arg(path, error));
}

void AblationDialog::applyPalette()
{
    const QPalette pal = palette();
    const QColor text = pal.color(QPalette::WindowText);
    QColor grid = text;
    grid.setAlpha(40);
    m_chart->setBackgroundBrush(pal.base());
    m_chart->setBackgroundPen(QPen(pal.color(QPalette::Mid)));
    m_chart->setTitleBrush(text);
    QFont titleFont = font();
    titleFont.setBold(true);
    m_chart->setTitleFont(titleFont);
    m_chart->legend()->setLabelColor(text);
    for (QAbstractAxis *axis : m_chart->axes()) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        axis->setTitleFont(font());
        axis->setGridLineColor(grid);
        axis->setLinePenColor(pal.color(QPalette::Mid));
    }
}

void AblationDialog::changeEvent(QEvent *event)
{
    QDialog::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

} // namespace pixelperf
