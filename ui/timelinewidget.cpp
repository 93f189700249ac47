#include "timelinewidget.h"

#include "dashboardmodel.h"
#include "stagepalette.h"
#include "units.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace pixelperf {

namespace {
constexpr int AxisHeight = 16;
// The deepest zoom: a microsecond is 200 pixels wide.
constexpr double MinNsPerPixel = 5;
// One wheel notch (or + / -) zooms by this much.
constexpr double ZoomStep = 0.8;
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
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent, false);
    setAccessibleName(tr("Timeline: one lane per worker, each stage a coloured span"));
    setAccessibleDescription(
        tr("Wheel or + and - zoom, drag or the arrow keys pan, Home shows the whole run; "
           "a click selects the image of a span"));
    addViewActions();
    m_paintStats = qEnvironmentVariableIntValue("PIXELPERF_TIMELINE_PAINT_STATS") != 0;
}

TimelineWidget::~TimelineWidget()
{
    if (m_paintStats && m_paints > 0)
        std::printf("timeline paints: %d, worst %.1f ms, mean %.2f ms\n", m_paints, m_paintWorstMs,
            m_paintTotalMs / m_paints);
}

void TimelineWidget::addViewActions()
{
    // In the context menu; the keys themselves are handled in keyPressEvent
    // (a shortcut would take them from every other widget of the window).
    const auto add = [this](const QString &text, auto slot) {
        auto *action = new QAction(text, this);
        connect(action, &QAction::triggered, this, slot);
        addAction(action);
    };
    add(tr("Zoom in\t+"), [this] { zoomAt(plotRect().center().x(), ZoomStep); });
    add(tr("Zoom out\t-"), [this] { zoomAt(plotRect().center().x(), 1 / ZoomStep); });
    add(tr("Show the whole run\tHome"), [this] { fitToRun(); });
    setContextMenuPolicy(Qt::ActionsContextMenu);
}

void TimelineWidget::setModel(const DashboardModel *model)
{
    m_model = model;
    refresh();
}

void TimelineWidget::setImageNames(const QStringList &paths)
{
    // Shared with the caller's list, nothing made per file: at 100,000
    // files a name and a hash entry each cost ~110 ms on the GUI thread when
    // a run started and ~7 MiB. A tooltip names its file when it shows.
    m_imagePaths = paths;
    selectImagePath(m_selectedPath);
}

int TimelineWidget::imageOf(const QString &path) const
{
    // A search, on a click or a selection: well under a millisecond at 100,000.
    return path.isEmpty() ? -1 : int(m_imagePaths.indexOf(path));
}

void TimelineWidget::selectImagePath(const QString &path)
{
    const int image = imageOf(path);
    setSelectedImage(image);
    m_selectedPath = path;
}

void TimelineWidget::refresh()
{
    const size_t first = m_index.update(m_model);
    if (first == 0)
        m_selectedSpans.clear();
    collectSelectedSpans(first);
    update();
}

void TimelineWidget::collectSelectedSpans(size_t from)
{
    if (!m_model || m_selectedImage < 0)
        return;
    const SpanList &spans = m_model->spans();
    for (size_t i = from; i < spans.size(); ++i) {
        if (spans[i].image() == m_selectedImage)
            m_selectedSpans.push_back(i);
    }
}

void TimelineWidget::setSelectedImage(int image)
{
    m_selectedPath = imagePath(image);
    if (image == m_selectedImage)
        return;
    m_selectedImage = image;
    m_selectedSpans.clear();
    collectSelectedSpans(0);
    update();
    emit selectedImageChanged(image);
}

QSize TimelineWidget::sizeHint() const
{
    return { 480, 200 };
}

QSize TimelineWidget::minimumSizeHint() const
{
    return { 200, 90 };
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

QRectF TimelineWidget::plotRect() const
{
    int legendHeight = 0;
    legendLayout(&legendHeight);
    return QRectF(laneLabelWidth(), legendHeight + 2, std::max(1, width() - laneLabelWidth() - 8),
        height() - legendHeight - 2 - AxisHeight - 2);
}

double TimelineWidget::fittedNsPerPixel(double plotWidth) const
{
    const double span = m_model ? double(std::max<int64_t>(m_model->elapsedNs(), 1000000)) : 1e9;
    return span / std::max(1.0, plotWidth);
}

TimelineWidget::Geometry TimelineWidget::geometry() const
{
    Geometry g;
    const QFontMetrics fm(font());
    g.plot = plotRect();
    g.lanes = (m_model ? std::max(1, m_model->laneCount()) : 1) + 1;
    g.runLaneHeight = std::min<double>(fm.height() + 4, g.plot.height() / g.lanes);
    g.laneHeight = (g.plot.height() - g.runLaneHeight) / (g.lanes - 1);
    g.startNs = m_fit ? 0.0 : m_startNs;
    g.nsPerPixel = m_fit ? fittedNsPerPixel(g.plot.width()) : m_nsPerPixel;
    return g;
}

QRectF TimelineWidget::laneRect(int lane) const
{
    const Geometry g = geometry();
    return QRectF(g.plot.left(), g.laneTop(lane), g.plot.width(), g.heightOf(lane));
}

double TimelineWidget::viewStartNs() const
{
    return geometry().startNs;
}

double TimelineWidget::nsPerPixel() const
{
    return geometry().nsPerPixel;
}

double TimelineWidget::timeAt(double x) const
{
    const Geometry g = geometry();
    return g.startNs + (x - g.plot.left()) * g.nsPerPixel;
}

double TimelineWidget::xAt(double ns) const
{
    const Geometry g = geometry();
    return g.plot.left() + (ns - g.startNs) / g.nsPerPixel;
}

void TimelineWidget::setView(double startNs, double nsPerPixel)
{
    // Not further out than the whole run, nor off either end by more than
    // half a view.
    const double width = plotRect().width();
    const double fitted = fittedNsPerPixel(width);
    if (nsPerPixel >= fitted) {
        fitToRun();
        return;
    }
    m_fit = false;
    m_nsPerPixel = std::max(nsPerPixel, MinNsPerPixel);
    const double visible = width * m_nsPerPixel;
    const double end = fitted * width;
    m_startNs = std::clamp(startNs, -visible / 2, end - visible / 2);
    update();
}

void TimelineWidget::zoomAt(double x, double factor)
{
    const Geometry g = geometry();
    const double at = timeAt(x);
    const double nsPerPixel = std::max(g.nsPerPixel * factor, MinNsPerPixel);
    setView(at - (x - g.plot.left()) * nsPerPixel, nsPerPixel);
}

void TimelineWidget::panBy(double pixels)
{
    const Geometry g = geometry();
    if (!m_fit)
        setView(g.startNs + pixels * g.nsPerPixel, g.nsPerPixel);
}

void TimelineWidget::fitToRun()
{
    m_fit = true;
    update();
}

void TimelineWidget::paintEvent(QPaintEvent *)
{
    QElapsedTimer clock;
    clock.start();
    paintTimeline();
    const double ms = double(clock.nsecsElapsed()) / 1e6;
    ++m_paints;
    m_paintTotalMs += ms;
    m_paintWorstMs = std::max(m_paintWorstMs, ms);
}

void TimelineWidget::paintTimeline()
{
    QPainter p(this);
    const QPalette &pal = palette();
    p.fillRect(rect(), pal.base());
    const Geometry g = geometry();
    drawLegendAndLanes(p, g);
    m_drawnRects = 0;
    if (!m_model || m_model->spans().empty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(g.plot, Qt::AlignCenter, tr("The timeline fills while a run goes"));
        return;
    }
    p.save();
    p.setClipRect(g.plot);
    drawSpans(p, g);
    drawSelection(p, g);
    p.restore();
    drawAxis(p, g);
    if (hasFocus()) {
        p.setPen(QPen(pal.color(QPalette::Highlight), 1, Qt::DotLine));
        p.drawRect(g.plot.adjusted(0, 0, -1, -1));
    }
}

void TimelineWidget::drawLegendAndLanes(QPainter &p, const Geometry &g) const
{
    // Legend: the stage colours, the same as every other chart.
    const QPalette &pal = palette();
    const QFontMetrics fm(font());
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
    for (int lane = 0; lane < g.lanes; ++lane) {
        const QRectF laneRect(g.plot.left(), g.laneTop(lane), g.plot.width(), g.heightOf(lane));
        if (lane % 2 == 1)
            p.fillRect(laneRect, pal.alternateBase());
        const QString label = lane == 0 ? tr("scan") : tr("worker %1").arg(lane - 1);
        p.drawText(QRectF(0, laneRect.top(), laneLabelWidth() - 6, laneRect.height()),
            Qt::AlignRight | Qt::AlignVCenter, label);
    }
}

void TimelineWidget::drawSpans(QPainter &p, const Geometry &g)
{
    // One rectangle per block: a span wide enough to be seen alone, or a
    // pixel column of many spans in the colour of the stage covering most
    // of it. The cost follows the width and the lanes, not the spans.
    p.setRenderHint(QPainter::Antialiasing, false);
    for (int lane = 0; lane < std::min(g.lanes, m_index.laneCount()); ++lane) {
        const double h = g.heightOf(lane);
        const double pad = std::min(2.0, h * 0.12);
        const double top = g.laneTop(lane) + pad;
        for (const TimelineBlock &b : m_index.blocks(lane, g.startNs, g.nsPerPixel, g.plot.width())) {
            p.fillRect(QRectF(g.plot.left() + b.x0, top, b.x1 - b.x0, h - 2 * pad), stageColor(b.stage));
            ++m_drawnRects;
        }
    }
}

void TimelineWidget::drawSelection(QPainter &p, const Geometry &g) const
{
    // The selected image's spans framed, at least a few pixels wide so a
    // span shorter than a pixel column is still seen.
    const QPalette &pal = palette();
    for (size_t index : m_selectedSpans) {
        const StageSpan &s = m_model->spans()[index];
        const int lane = std::max(s.worker() + 1, 0);
        if (lane >= g.lanes)
            continue;
        const double x0 = g.plot.left() + (double(s.startNs()) - g.startNs) / g.nsPerPixel;
        const double w = std::max(4.0, double(s.durationNs()) / g.nsPerPixel);
        const QRectF r(x0, g.laneTop(lane) + 1, w, g.heightOf(lane) - 2);
        p.setPen(QPen(pal.color(QPalette::Highlight), 2));
        p.setBrush(Qt::NoBrush);
        p.drawRect(r);
        p.setPen(QPen(pal.color(QPalette::Base), 1));
        p.drawRect(r.adjusted(2, 2, -2, -2));
    }
}

namespace {
// A tick every `step` seconds, in the unit the step is counted in: seconds,
// milliseconds or microseconds as the zoom goes in.
struct AxisScale {
    double step = 1;
    double unit = 1;
    const char *unitName = "s";
    int decimals = 0;
};

AxisScale axisScale(double visibleSeconds, double plotWidth)
{
    AxisScale a;
    const double raw = visibleSeconds / std::max(1.0, plotWidth / 90.0);
    const double mag = std::pow(10.0, std::floor(std::log10(std::max(raw, 1e-9))));
    a.step = 10 * mag;
    for (double m : { 1.0, 2.0, 5.0 }) {
        if (raw <= m * mag) {
            a.step = m * mag;
            break;
        }
    }
    if (a.step < 1e-4) {
        a.unit = 1e-6;
        a.unitName = "µs";
    } else if (a.step < 0.1) {
        a.unit = 1e-3;
        a.unitName = "ms";
    }
    a.decimals = std::max(0, int(std::ceil(-std::log10(a.step / a.unit) - 1e-9)));
    return a;
}
} // namespace

void TimelineWidget::drawAxis(QPainter &p, const Geometry &g) const
{
    const QPalette &pal = palette();
    const QFontMetrics fm(font());
    const double startSeconds = g.startNs / 1e9;
    const double endSeconds = (g.startNs + g.plot.width() * g.nsPerPixel) / 1e9;
    const AxisScale a = axisScale(endSeconds - startSeconds, g.plot.width());
    // Far into a long run in microseconds, the first tick says where it is
    // (in seconds) and the others how far after it ("+20 µs").
    const bool relative = endSeconds / a.unit >= 1e5;
    const double first = std::ceil(std::max(startSeconds, 0.0) / a.step - 1e-9) * a.step;
    p.setPen(pal.color(QPalette::Mid));
    p.drawLine(QPointF(g.plot.left(), g.plot.bottom()), QPointF(g.plot.right(), g.plot.bottom()));
    p.setPen(pal.color(QPalette::Text));
    double lastRight = -1e9;
    for (int i = 0; first + i * a.step <= endSeconds + 1e-12; ++i) {
        const double t = first + i * a.step;
        const double tx = g.plot.left() + (t * 1e9 - g.startNs) / g.nsPerPixel;
        p.drawLine(QPointF(tx, g.plot.bottom()), QPointF(tx, g.plot.bottom() + 3));
        QString label;
        if (relative && i > 0)
            label = QStringLiteral("+%1 %2").arg(
                QString::number(i * a.step / a.unit, 'f', a.decimals), QString::fromUtf8(a.unitName));
        else if (relative)
            label = QStringLiteral("%1 s").arg(
                QString::number(t, 'f', std::max(0, int(std::ceil(-std::log10(a.step) - 1e-9)))));
        else
            label = QStringLiteral("%1 %2").arg(
                QString::number(t / a.unit, 'f', a.decimals), QString::fromUtf8(a.unitName));
        const int lw = fm.horizontalAdvance(label);
        const double lx = std::min(tx - lw / 2.0, double(width() - lw - 2));
        if (lx < lastRight + 6)
            continue;
        p.drawText(QPointF(lx, g.plot.bottom() + 3 + fm.ascent()), label);
        lastRight = lx + lw;
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
    const double ns = g.startNs + (pos.x() - g.plot.left()) * g.nsPerPixel;
    const int index = m_index.spanAt(lane, ns, 2 * g.nsPerPixel);
    return index < 0 ? nullptr : &m_model->spans()[size_t(index)];
}

bool TimelineWidget::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        if (const StageSpan *s = spanAt(help->pos())) {
            const QString image = s->image() < 0   ? tr("the run")
                : s->image() < m_imagePaths.size() ? QFileInfo(m_imagePaths[s->image()]).fileName()
                                                   : tr("image %1").arg(s->image() + 1);
            QToolTip::showText(help->globalPos(),
                tr("%1 of %2: %3 (CPU %4), %5 copies, %6 allocated")
                    .arg(QLatin1String(stageName(s->stage())), image, formatMs(double(s->durationNs()) / 1e6),
                        formatMs(double(s->cpuNs()) / 1e6))
                    .arg(s->copies())
                    .arg(formatBytes(int64_t(s->bytesAllocated()))),
                this);
        } else {
            QToolTip::hideText();
            event->ignore();
        }
        return true;
    }
    return QWidget::event(event);
}

void TimelineWidget::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    m_pressed = true;
    m_dragging = false;
    m_pressPos = event->position().toPoint();
    m_pressStartNs = viewStartNs();
}

void TimelineWidget::mouseMoveEvent(QMouseEvent *event)
{
    if (!m_pressed)
        return QWidget::mouseMoveEvent(event);
    const QPoint moved = event->position().toPoint() - m_pressPos;
    if (!m_dragging && moved.manhattanLength() < QApplication::startDragDistance())
        return;
    if (!m_dragging) {
        m_dragging = true;
        setCursor(Qt::ClosedHandCursor);
    }
    // Dragging moves the spans with the mouse: the view goes the other way.
    if (!m_fit)
        setView(m_pressStartNs - moved.x() * nsPerPixel(), nsPerPixel());
}

void TimelineWidget::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || !m_pressed)
        return QWidget::mouseReleaseEvent(event);
    m_pressed = false;
    if (m_dragging) {
        m_dragging = false;
        unsetCursor();
        return;
    }
    const StageSpan *span = spanAt(event->position());
    const int image = span ? span->image() : -1;
    setSelectedImage(image);
    if (image >= 0)
        emit imageClicked(image);
}

void TimelineWidget::wheelEvent(QWheelEvent *event)
{
    const QPoint delta = event->angleDelta();
    if (delta.y() != 0)
        zoomAt(event->position().x(), std::pow(ZoomStep, delta.y() / 120.0));
    else if (delta.x() != 0)
        panBy(-delta.x() / 120.0 * plotRect().width() / 8);
    event->accept();
}

void TimelineWidget::keyPressEvent(QKeyEvent *event)
{
    const double center = plotRect().center().x();
    const double pan = plotRect().width() / 8;
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomAt(center, ZoomStep);
        break;
    case Qt::Key_Minus:
        zoomAt(center, 1 / ZoomStep);
        break;
    case Qt::Key_Home:
        fitToRun();
        break;
    case Qt::Key_Left:
        panBy(-pan);
        break;
    case Qt::Key_Right:
        panBy(pan);
        break;
    default:
        return QWidget::keyPressEvent(event);
    }
    event->accept();
}

} // namespace pixelperf
