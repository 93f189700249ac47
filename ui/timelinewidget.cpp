#include "timelinewidget.h"

#include "dashboardmodel.h"
#include "stagepalette.h"
#include "units.h"

#include <QFileInfo>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include <cmath>

namespace pixelperf {

namespace {
constexpr int AxisHeight = 16;
} // namespace

int TimelineWidget::laneLabelWidth() const
{
    // The widest lane name in this font ("worker 11"), not a fixed width.
    const QFontMetrics fm(font());
    const int workers = m_model ? std::max(1, m_model->laneCount()) : 1;
    return std::max(fm.horizontalAdvance(tr("scan")), fm.horizontalAdvance(tr("worker %1").arg(workers - 1)))
        + 10;
}

TimelineWidget::TimelineWidget(QWidget *parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent, false);
    setAccessibleName(tr("Timeline: one lane per worker, each stage a coloured span"));
}

void TimelineWidget::setModel(const DashboardModel *model)
{
    m_model = model;
    update();
}

void TimelineWidget::setImageNames(const QStringList &paths)
{
    m_imageNames.clear();
    for (const QString &path : paths)
        m_imageNames << QFileInfo(path).fileName();
}

void TimelineWidget::refresh()
{
    update();
}

QSize TimelineWidget::sizeHint() const
{
    return { 480, 200 };
}

QSize TimelineWidget::minimumSizeHint() const
{
    return { 200, 90 };
}

int TimelineWidget::laneOf(const StageSpan &span) const
{
    return span.worker < 0 ? 0 : span.worker + 1;
}

std::vector<QPointF> TimelineWidget::legendLayout(int *height) const
{
    const QFontMetrics fm(font());
    const int rowHeight = fm.height() + 4;
    std::vector<QPointF> at;
    double x = laneLabelWidth();
    double y = 2;
    for (int i = 0; i < StageCount; ++i) {
        const int w = 13 + fm.horizontalAdvance(QLatin1String(stageName(Stage(i)))) + 10;
        if (x + w > width() - 4 && x > laneLabelWidth()) {
            x = laneLabelWidth();
            y += rowHeight;
        }
        at.emplace_back(x, y);
        x += w;
    }
    *height = int(y) + rowHeight;
    return at;
}

int TimelineWidget::Geometry::laneAt(double y) const
{
    if (y < plot.top() || y >= plot.bottom())
        return -1;
    if (y < plot.top() + runLaneHeight)
        return 0;
    return 1 + int((y - plot.top() - runLaneHeight) / laneHeight);
}

TimelineWidget::Geometry TimelineWidget::geometry() const
{
    Geometry g;
    int legendHeight = 0;
    legendLayout(&legendHeight);
    const QFontMetrics fm(font());
    g.plot = QRectF(laneLabelWidth(), legendHeight + 2, width() - laneLabelWidth() - 8,
        height() - legendHeight - 2 - AxisHeight - 2);
    g.lanes = (m_model ? std::max(1, m_model->laneCount()) : 1) + 1;
    g.runLaneHeight = std::min<double>(fm.height() + 4, g.plot.height() / g.lanes);
    g.laneHeight = (g.plot.height() - g.runLaneHeight) / (g.lanes - 1);
    const double span = m_model ? double(std::max<int64_t>(m_model->elapsedNs(), 1000000)) : 1e9;
    g.nsPerPixel = span / std::max(1.0, g.plot.width());
    return g;
}

void TimelineWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    const QPalette &pal = palette();
    p.fillRect(rect(), pal.base());
    const Geometry g = geometry();
    const QFontMetrics fm(font());

    // Legend: the stage colours, the same as every other chart.
    int legendHeight = 0;
    const std::vector<QPointF> legend = legendLayout(&legendHeight);
    for (int i = 0; i < StageCount; ++i) {
        const Stage stage = Stage(i);
        const QPointF at = legend[size_t(i)];
        const double boxTop = at.y() + (fm.height() - 10) / 2.0;
        p.fillRect(QRectF(at.x(), boxTop, 10, 10), stageColor(stage));
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QPointF(at.x() + 13, at.y() + fm.ascent()), QLatin1String(stageName(stage)));
    }

    // Lanes.
    p.setPen(pal.color(QPalette::Text));
    for (int lane = 0; lane < g.lanes; ++lane) {
        const QRectF laneRect(g.plot.left(), g.laneTop(lane), g.plot.width(), g.heightOf(lane));
        if (lane % 2 == 1)
            p.fillRect(laneRect, pal.alternateBase());
        const QString label = lane == 0 ? tr("scan") : tr("worker %1").arg(lane - 1);
        p.drawText(QRectF(0, laneRect.top(), laneLabelWidth() - 6, laneRect.height()),
            Qt::AlignRight | Qt::AlignVCenter, label);
    }

    if (!m_model || m_model->spans().empty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(g.plot, Qt::AlignCenter, tr("The timeline fills while a run goes"));
        return;
    }

    // Spans: at least a pixel wide, so short stages stay visible.
    p.setRenderHint(QPainter::Antialiasing, false);
    for (const StageSpan &s : m_model->spans()) {
        const int lane = laneOf(s);
        if (lane >= g.lanes)
            continue;
        const double h = g.heightOf(lane);
        const double pad = std::min(2.0, h * 0.12);
        const double x0 = g.plot.left() + double(s.startNs) / g.nsPerPixel;
        const double w = std::max(1.0, double(s.endNs - s.startNs) / g.nsPerPixel);
        p.fillRect(QRectF(x0, g.laneTop(lane) + pad, w, h - 2 * pad), stageColor(s.stage));
    }

    // Time axis: a tick at a round step.
    const double seconds = double(m_model->elapsedNs()) / 1e9;
    const double raw = seconds / std::max(1.0, g.plot.width() / 80.0);
    const double mag = std::pow(10.0, std::floor(std::log10(std::max(raw, 1e-6))));
    double step = mag;
    for (double m : { 1.0, 2.0, 5.0, 10.0 }) {
        if (raw <= m * mag) {
            step = m * mag;
            break;
        }
    }
    p.setPen(pal.color(QPalette::Mid));
    p.drawLine(QPointF(g.plot.left(), g.plot.bottom()), QPointF(g.plot.right(), g.plot.bottom()));
    p.setPen(pal.color(QPalette::Text));
    for (double t = 0; t <= seconds + 1e-9; t += step) {
        const double tx = g.plot.left() + t * 1e9 / g.nsPerPixel;
        p.drawLine(QPointF(tx, g.plot.bottom()), QPointF(tx, g.plot.bottom() + 3));
        const QString label = seconds < 1.0 ? QStringLiteral("%1 ms").arg(std::lround(t * 1000))
                                            : QStringLiteral("%1 s").arg(QString::number(t, 'g', 4));
        const int lw = fm.horizontalAdvance(label);
        p.drawText(
            QPointF(std::min(tx - lw / 2.0, double(width() - lw - 2)), g.plot.bottom() + 3 + fm.ascent()),
            label);
    }
}

const StageSpan *TimelineWidget::spanAt(const QPointF &pos) const
{
    if (!m_model)
        return nullptr;
    const Geometry g = geometry();
    if (!g.plot.contains(pos))
        return nullptr;
    const int lane = g.laneAt(pos.y());
    const double ns = (pos.x() - g.plot.left()) * g.nsPerPixel;
    const double slop = 2 * g.nsPerPixel;
    const StageSpan *best = nullptr;
    for (const StageSpan &s : m_model->spans()) {
        if (laneOf(s) == lane && s.startNs - slop <= ns && ns <= s.endNs + slop)
            best = &s;
    }
    return best;
}

bool TimelineWidget::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        if (const StageSpan *s = spanAt(help->pos())) {
            const QString image = s->image < 0   ? tr("the run")
                : s->image < m_imageNames.size() ? m_imageNames[s->image]
                                                 : tr("image %1").arg(s->image + 1);
            QToolTip::showText(help->globalPos(),
                tr("%1 of %2: %3 (CPU %4), %5 copies, %6 allocated")
                    .arg(QLatin1String(stageName(s->stage)), image,
                        formatMs(double(s->endNs - s->startNs) / 1e6), formatMs(double(s->cpuNs) / 1e6))
                    .arg(s->copies)
                    .arg(formatBytes(int64_t(s->bytesAllocated))),
                this);
        } else {
            QToolTip::hideText();
            event->ignore();
        }
        return true;
    }
    return QWidget::event(event);
}

} // namespace pixelperf
