#include "imagebreakdownview.h"

#include "stagepalette.h"
#include "units.h"

#include <QLabel>
#include <QScrollBar>

namespace pixelperf {

ImageBreakdownView::ImageBreakdownView(QWidget *parent)
    : QScrollArea(parent)
    , m_label(new QLabel(this))
{
    m_label->setTextFormat(Qt::RichText);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_label->setAccessibleName(tr("The selected image, stage by stage"));
    setWidget(m_label);
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    hide();
}

QString ImageBreakdownView::text() const
{
    return m_label->text();
}

void ImageBreakdownView::showBreakdown(const ImageBreakdown &breakdown, const QString &name)
{
    m_image = breakdown.isEmpty() ? -1 : breakdown.image;
    if (breakdown.isEmpty()) {
        m_label->clear();
        hide();
        return;
    }
    // One column per stage that ran for the image; its colour on its name.
    QString head = QStringLiteral("<th align=left>%1</th>").arg(name.toHtmlEscaped());
    QString wall, cpu, bytes, copies;
    const auto cell = [](const QString &text) { return QStringLiteral("<td align=right>%1</td>").arg(text); };
    for (int i = 0; i < StageCount; ++i) {
        const ImageBreakdown::StageCost &c = breakdown.stages[size_t(i)];
        if (c.spans == 0)
            continue;
        head += QStringLiteral("<th align=right><font color=\"%1\">■</font> %2</th>")
                    .arg(stageColor(Stage(i)).name(), QLatin1String(stageName(Stage(i))));
        wall += cell(formatMs(c.wallMs));
        cpu += cell(formatMs(c.cpuMs));
        bytes += cell(formatBytes(int64_t(c.bytesAllocated)));
        copies += cell(QString::number(c.copies));
    }
    const auto row = [](const QString &label, const QString &cells) {
        return QStringLiteral("<tr><td>%1</td>%2</tr>").arg(label, cells);
    };
    m_label->setText(QStringLiteral("<table cellspacing=0 cellpadding=1><tr>%1</tr>%2%3%4%5</table>")
                         .arg(head, row(tr("wall"), wall), row(tr("CPU"), cpu), row(tr("allocated"), bytes),
                             row(tr("copies"), copies)));
    setFixedHeight(m_label->sizeHint().height() + horizontalScrollBar()->sizeHint().height());
    show();
}

} // namespace pixelperf
