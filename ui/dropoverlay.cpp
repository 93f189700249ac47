#include "dropoverlay.h"

#include <QEvent>
#include <QPainter>
#include <QPainterPath>

namespace pixelperf {

DropOverlay::DropOverlay(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("dropOverlay"));
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setAttribute(Qt::WA_NoSystemBackground);
    setFocusPolicy(Qt::NoFocus);
    parent->installEventFilter(this);
    hide();
}

void DropOverlay::showMessage(const QString &message, bool usable)
{
    m_message = message;
    m_usable = usable;
    setGeometry(parentWidget()->rect());
    raise();
    show();
    update();
}

bool DropOverlay::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == parentWidget() && event->type() == QEvent::Resize && isVisible())
        setGeometry(parentWidget()->rect());
    return QWidget::eventFilter(watched, event);
}

void DropOverlay::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    QColor accent = m_usable ? palette().color(QPalette::Highlight) : QColor(0xd6, 0x3b, 0x3b);
    QColor fill = accent;
    fill.setAlpha(55);
    p.fillRect(rect(), fill);
    const QRectF frame = QRectF(rect()).adjusted(6, 6, -6, -6);
    p.setPen(QPen(accent, 4, Qt::DashLine));
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(frame, 12, 12);

    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 1.6);
    f.setBold(true);
    p.setFont(f);
    const QFontMetrics fm(f);
    const QRect textRect = fm.boundingRect(QRect(0, 0, width() * 2 / 3, height()),
                                 Qt::AlignCenter | Qt::TextWordWrap, m_message)
                               .adjusted(-24, -16, 24, 16);
    QRect box = textRect;
    box.moveCenter(rect().center());
    QColor bg = palette().color(QPalette::Window);
    bg.setAlpha(235);
    p.setPen(QPen(accent, 2));
    p.setBrush(bg);
    p.drawRoundedRect(box, 10, 10);
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(box, Qt::AlignCenter | Qt::TextWordWrap, m_message);
}

} // namespace pixelperf
