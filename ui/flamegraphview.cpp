#include "flamegraphview.h"

#include "stagepalette.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace pixelperf {

namespace {

// Narrower callees are merged into one "…" block per parent: level of detail.
constexpr double MinFrameWidth = 2.0;
// A change of share below this (in share, 0–1) is drawn neutral.
constexpr double NeutralDelta = 0.001;
// The change of share drawn at full red or blue when every change is smaller.
constexpr double MinFullDelta = 0.02;

QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
        float(a.greenF() + (b.greenF() - a.greenF()) * t), float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

QColor textOn(const QColor &fill)
{
    return qGray(fill.rgb()) > 140 ? QColor(Qt::black) : QColor(Qt::white);
}

QString percent(double share)
{
    return QString::number(100.0 * share, 'f', 1) + QStringLiteral(" %");
}

QString whyEmpty(const CpuProfile &profile)
{
    if (!profile.sampled())
        return FlameGraphView::tr("No call stacks: %1").arg(profileSummaryText(profile));
    if (profile.folded.empty())
        return FlameGraphView::tr("No call stacks sampled yet: %1").arg(profileSummaryText(profile));
    return QString();
}

} // namespace

FlameGraphView::FlameGraphView(QWidget *parent)
    : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setAccessibleName(tr("Flame graph"));
    setObjectName(QStringLiteral("flameGraph"));
    m_emptyText = tr("No profile yet.");
}

void FlameGraphView::setProfile(const CpuProfile &profile)
{
    const std::vector<QStringList> paths = zoomPaths();
    const QStringList selected = m_selected >= 0 ? m_tree.path(m_selected) : QStringList();
    bool rebuilt = m_tree.setShape(profile);
    if (m_differential) {
        m_tree.setBaseline(nullptr);
        m_differential = false;
    }
    m_emptyText = whyEmpty(profile);
    rebuildAfter(rebuilt, paths, selected);
}

void FlameGraphView::setComparison(const CpuProfile &a, const CpuProfile &b)
{
    const std::vector<QStringList> paths = zoomPaths();
    const QStringList selected = m_selected >= 0 ? m_tree.path(m_selected) : QStringList();
    const bool rebuilt = m_tree.setShape(b);
    m_tree.setBaseline(&a);
    m_differential = true;
    m_emptyText = whyEmpty(b);
    if (m_emptyText.isEmpty() && whyEmpty(a).size())
        m_emptyText = tr("Run A has no call stacks to compare with: %1").arg(whyEmpty(a));
    rebuildAfter(rebuilt, paths, selected);
}

std::vector<QStringList> FlameGraphView::zoomPaths() const
{
    std::vector<QStringList> paths;
    for (int node : m_zoomHistory)
        paths.push_back(m_tree.path(node));
    paths.push_back(m_tree.path(m_zoom));
    return paths;
}

void FlameGraphView::rebuildAfter(
    bool rebuilt, const std::vector<QStringList> &zoomPaths, const QStringList &selected)
{
    if (rebuilt) {
        // Another profile: find the zoom and the selection again by path.
        m_zoomHistory.clear();
        for (const QStringList &path : zoomPaths) {
            const int node = m_tree.find(path);
            if (node >= 0)
                m_zoomHistory.push_back(node);
        }
        m_zoom = m_zoomHistory.empty() ? 0 : m_zoomHistory.back();
        if (!m_zoomHistory.empty())
            m_zoomHistory.pop_back();
        m_selected = selected.isEmpty() ? -1 : m_tree.find(selected);
        m_highlightedName = -1;
        setHighlightedFunction(m_highlighted);
    }
    updateSearch();
    relayout();
    update();
}

int64_t FlameGraphView::shownSamples() const
{
    const int stage = m_tree.stageNode(m_stageFilter);
    return stage >= 0 ? m_tree.node(stage).total : m_stageFilter.isEmpty() ? m_tree.node(0).total : 0;
}

double FlameGraphView::shareOf(int64_t samples, bool baseline) const
{
    const int stage = m_tree.stageNode(m_stageFilter);
    const FlameNode &shown = m_tree.node(stage >= 0 ? stage : 0);
    const int64_t all
        = baseline ? shown.baseTotal : (stage >= 0 || m_stageFilter.isEmpty() ? shown.total : 0);
    return all > 0 ? double(samples) / double(all) : 0.0;
}

bool FlameGraphView::shownChild(int node, int child) const
{
    return node != 0 || m_stageFilter.isEmpty() || m_tree.name(child) == m_stageFilter;
}

void FlameGraphView::setStageFilter(const QString &stageName)
{
    if (stageName == m_stageFilter)
        return;
    m_stageFilter = stageName;
    const QStringList zoomPath = m_tree.path(m_zoom);
    if (!m_stageFilter.isEmpty() && !zoomPath.isEmpty() && zoomPath.first() != m_stageFilter)
        resetZoom();
    updateSearch();
    relayout();
    update();
}

void FlameGraphView::setSearch(const QString &text)
{
    m_search = text.trimmed();
    updateSearch();
    update();
}

void FlameGraphView::updateSearch()
{
    m_nameMatches.assign(size_t(m_tree.nameCount()), 0);
    m_matchShare = 0;
    if (m_search.isEmpty())
        return;
    for (int id = 1; id < m_tree.nameCount(); ++id) // 0 is the root's "all"
        m_nameMatches[size_t(id)] = m_tree.nameAt(id).contains(m_search, Qt::CaseInsensitive);
    const int64_t shown = shownSamples();
    m_matchShare = shown > 0 ? matchShareUnder(0) / double(shown) : 0.0;
}

double FlameGraphView::matchShareUnder(int node) const
{
    // A sample counts once, at its outermost matching frame.
    double samples = 0;
    for (int child : m_tree.node(node).children) {
        if (!shownChild(node, child))
            continue;
        const FlameNode &c = m_tree.node(child);
        samples += m_nameMatches[size_t(c.name)] ? double(c.total) : matchShareUnder(child);
    }
    return samples;
}

void FlameGraphView::zoomTo(int node)
{
    if (node < 0 || node == m_zoom)
        return;
    m_zoomHistory.push_back(m_zoom);
    m_zoom = node;
    relayout();
    update();
    emit zoomChanged(m_zoom);
}

void FlameGraphView::zoomBack()
{
    if (m_zoomHistory.empty())
        return;
    m_zoom = m_zoomHistory.back();
    m_zoomHistory.pop_back();
    relayout();
    update();
    emit zoomChanged(m_zoom);
}

void FlameGraphView::resetZoom()
{
    m_zoomHistory.clear();
    if (m_zoom == 0)
        return;
    m_zoom = 0;
    relayout();
    update();
    emit zoomChanged(m_zoom);
}

void FlameGraphView::setSelectedNode(int node)
{
    m_selected = node;
    updateAccessibleText();
    update();
}

void FlameGraphView::setHighlightedFunction(const QString &name)
{
    m_highlighted = name;
    m_highlightedName = -1;
    for (int id = 0; !name.isEmpty() && id < m_tree.nameCount(); ++id)
        if (m_tree.nameAt(id) == name)
            m_highlightedName = id;
    update();
}

void FlameGraphView::selectByUser(int node)
{
    if (node == m_selected)
        return;
    setSelectedNode(node);
    emit selectedNodeChanged(node);
}

void FlameGraphView::updateAccessibleText()
{
    QString text = m_selected < 0 ? QString()
        : m_differential          ? diffToolTip(m_selected)
                                  : frameToolTip(m_selected);
    text.replace(QLatin1String("<br>"), QLatin1String(", "));
    text.remove(QLatin1String("<b>")).remove(QLatin1String("</b>"));
    setAccessibleDescription(text);
}

void FlameGraphView::relayout()
{
    m_rects.clear();
    m_maxDelta = 0;
    int rows = 0;
    if (m_emptyText.isEmpty() && shownSamples() > 0) {
        int zoom = m_zoom;
        const QStringList zoomPath = m_tree.path(zoom);
        if (!m_stageFilter.isEmpty() && !zoomPath.isEmpty() && zoomPath.first() != m_stageFilter)
            zoom = 0;
        // The zoomed frame's callers: full width, above it.
        for (int at = m_tree.node(zoom).parent; at >= 0; at = m_tree.node(at).parent)
            m_rects.push_back(FlameRect { 0, double(width()), m_tree.node(at).depth, at, false, 0, 0,
                fontMetrics().elidedText(m_tree.name(at), Qt::ElideRight, width() - 6) });
        layoutNode(zoom, 0, width(), m_tree.node(zoom).depth);
        for (const FlameRect &rect : m_rects)
            rows = std::max(rows, rect.row + 1);
    }
    if (rows != m_rows) {
        m_rows = rows;
        updateGeometry();
    }
    m_layoutRevision = m_tree.revision();
}

void FlameGraphView::layoutNode(int node, double x, double width, int row)
{
    const FlameNode &n = m_tree.node(node);
    const QFontMetrics fm = fontMetrics();
    QString label;
    if (width >= 3 * fm.averageCharWidth() + 6)
        label = fm.elidedText(node == 0 ? rootLabel() : m_tree.name(node), Qt::ElideRight, int(width) - 6);
    m_rects.push_back(FlameRect { x, width, row, node, false, 0, 0, label });
    if (m_differential && node > 0)
        m_maxDelta = std::max(m_maxDelta, std::abs(shareOf(n.total) - shareOf(n.baseTotal, true)));
    const double basis = node == 0 ? double(shownSamples()) : double(n.total);
    if (basis <= 0)
        return;
    const double scale = width / basis;
    double at = x;
    int mergedCount = 0;
    int64_t mergedSamples = 0;
    for (int child : n.children) {
        if (!shownChild(node, child))
            continue;
        const int64_t samples = m_tree.node(child).total;
        const double w = double(samples) * scale;
        if (w < MinFrameWidth) {
            ++mergedCount;
            mergedSamples += samples;
            continue;
        }
        layoutNode(child, at, w, row + 1);
        at += w;
    }
    // Blocks under a pixel are not drawn: their samples stay in the parent's width.
    const double mergedWidth = double(mergedSamples) * scale;
    if (mergedSamples > 0 && mergedWidth >= 1.0)
        m_rects.push_back(FlameRect { at, mergedWidth, row + 1, node, true, mergedCount, mergedSamples,
            mergedWidth >= fm.averageCharWidth() + 6 ? QStringLiteral("…") : QString() });
}

QString FlameGraphView::rootLabel() const
{
    return m_stageFilter.isEmpty()
        ? tr("all: %1 samples").arg(shownSamples())
        : tr("%1 only: %2 of %3 samples").arg(m_stageFilter).arg(shownSamples()).arg(m_tree.node(0).total);
}

QSize FlameGraphView::sizeHint() const
{
    return QSize(640, std::max(m_rows, 8) * (fontMetrics().height() + 4));
}

QSize FlameGraphView::minimumSizeHint() const
{
    return QSize(160, std::max(m_rows, 3) * (fontMetrics().height() + 4));
}

void FlameGraphView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    relayout();
}

void FlameGraphView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange) {
        relayout();
        update();
    }
}

QRectF FlameGraphView::frameRect(int node) const
{
    const int rh = fontMetrics().height() + 4;
    for (const FlameRect &rect : m_rects)
        if (!rect.merged && rect.node == node)
            return QRectF(rect.x, rect.row * rh, rect.width, rh);
    return QRectF();
}

int FlameGraphView::rectAt(const QPoint &pos) const
{
    const int rh = fontMetrics().height() + 4;
    const int row = pos.y() / rh;
    for (size_t i = 0; i < m_rects.size(); ++i) {
        const FlameRect &rect = m_rects[i];
        if (rect.row == row && pos.x() >= rect.x && pos.x() < rect.x + std::max(rect.width, 1.0))
            return int(i);
    }
    return -1;
}

QColor FlameGraphView::fillOf(const FlameRect &rect) const
{
    const QPalette &pal = palette();
    if (rect.merged)
        return pal.color(QPalette::Mid);
    const FlameNode &n = m_tree.node(rect.node);
    if (rect.node == 0 || rect.row < m_tree.node(m_zoom).depth)
        return pal.color(QPalette::Button);
    if (m_differential)
        return diffColor(rect.node);
    const QColor base = n.stage >= 0 ? stageColor(Stage(n.stage)) : QColor(0x9e, 0x9e, 0x9e);
    // Lighter (light palette) or darker (dark one) by depth, a touch more on
    // every other name, so neighbouring frames stay apart.
    const double t = 0.08 + 0.1 * double(n.depth % 4) + 0.05 * double(n.name % 2);
    const bool dark = pal.color(QPalette::Base).lightness() < 128;
    return mix(base, dark ? QColor(Qt::black) : QColor(Qt::white), t);
}

QColor FlameGraphView::diffColor(int node) const
{
    const FlameNode &n = m_tree.node(node);
    const double delta = shareOf(n.total) - shareOf(n.baseTotal, true);
    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    const QColor neutral = dark ? QColor(0x55, 0x55, 0x55) : QColor(0xee, 0xee, 0xee);
    if (std::abs(delta) < NeutralDelta)
        return neutral;
    const double strength = std::min(1.0, std::abs(delta) / std::max(m_maxDelta, MinFullDelta));
    const QColor target = delta > 0 ? QColor(0xe0, 0x2a, 0x2a) : QColor(0x2a, 0x5c, 0xe0);
    return mix(neutral, target, 0.25 + 0.75 * strength);
}

void FlameGraphView::paintEvent(QPaintEvent *event)
{
    QPainter p(this);
    p.fillRect(event->rect(), palette().color(QPalette::Base));
    m_drawnRects = 0;
    if (m_rects.empty()) {
        p.setPen(palette().color(QPalette::Text));
        p.drawText(rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap,
            m_emptyText.isEmpty() ? tr("No samples in this stage.") : m_emptyText);
        return;
    }
    const int rh = fontMetrics().height() + 4;
    const QColor highlight = palette().color(QPalette::Highlight);
    for (const FlameRect &rect : m_rects) {
        if (rect.row * rh > event->rect().bottom() || (rect.row + 1) * rh < event->rect().top())
            continue;
        paintRect(p, rect, highlight);
        ++m_drawnRects;
    }
}

void FlameGraphView::paintRect(QPainter &p, const FlameRect &rect, const QColor &highlight)
{
    const int rh = fontMetrics().height() + 4;
    const QRectF r(rect.x, rect.row * rh, rect.width > 3 ? rect.width - 1 : rect.width, rh - 1);
    QColor fill = fillOf(rect);
    const bool searching = !m_search.isEmpty();
    const int nameId = rect.merged ? -1 : m_tree.node(rect.node).name;
    if (searching && (nameId < 0 || !m_nameMatches[size_t(nameId)]))
        fill = mix(fill, palette().color(QPalette::Base), 0.75); // faded: not a match
    p.fillRect(r, fill);
    const bool outlined
        = !rect.merged && (rect.node == m_selected || (nameId >= 0 && nameId == m_highlightedName));
    if (outlined || (searching && nameId >= 0 && m_nameMatches[size_t(nameId)])) {
        p.setPen(QPen(outlined ? highlight : textOn(fill), outlined ? 2 : 1));
        p.drawRect(r.adjusted(1, 1, -1, -1));
    }
    if (!rect.label.isEmpty()) {
        p.setPen(textOn(fill));
        p.drawText(r.adjusted(3, 0, -3, 0), Qt::AlignVCenter | Qt::AlignLeft, rect.label);
    }
}

QString FlameGraphView::frameToolTip(int node) const
{
    const FlameNode &n = m_tree.node(node);
    if (node == 0)
        return tr("<b>all</b>: %1 samples<br>click to show them all (reset the zoom)").arg(shownSamples());
    return tr("<b>%1</b><br>stage: %2<br>total: %3 (%4 samples)<br>self: %5 (%6 samples)")
        .arg(m_tree.name(node).toHtmlEscaped(), m_tree.path(node).first().toHtmlEscaped(),
            percent(shareOf(n.total)))
        .arg(n.total)
        .arg(percent(shareOf(n.self)))
        .arg(n.self);
}

QString FlameGraphView::diffToolTip(int node) const
{
    const FlameNode &n = m_tree.node(node);
    const double a = shareOf(n.baseTotal, true), b = shareOf(n.total);
    const double delta = 100.0 * (b - a);
    const QString change = std::abs(b - a) < NeutralDelta ? tr("unchanged")
        : delta > 0                                       ? tr("grew by %1 points").arg(delta, 0, 'f', 1)
                                                          : tr("shrank by %1 points").arg(-delta, 0, 'f', 1);
    return tr("<b>%1</b><br>A: %2 of the samples (%3), self %4<br>B: %5 of the samples (%6), self %7<br>%8")
        .arg(node == 0 ? tr("all") : m_tree.name(node).toHtmlEscaped(), percent(a))
        .arg(n.baseTotal)
        .arg(percent(shareOf(n.baseSelf, true)), percent(b))
        .arg(n.total)
        .arg(percent(shareOf(n.self)), change);
}

QString FlameGraphView::toolTipAt(const QPoint &pos) const
{
    const int i = rectAt(pos);
    if (i < 0)
        return QString();
    const FlameRect &rect = m_rects[size_t(i)];
    if (rect.merged)
        return tr(
            "<b>…</b> %1 callees of %2, each under %3 px: %4 of the samples together<br>click to zoom in and "
            "see them")
            .arg(rect.mergedCount)
            .arg(m_tree.name(rect.node).toHtmlEscaped())
            .arg(MinFrameWidth)
            .arg(percent(shareOf(rect.mergedSamples)));
    return m_differential ? diffToolTip(rect.node) : frameToolTip(rect.node);
}

bool FlameGraphView::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QString text = toolTipAt(help->pos());
        if (text.isEmpty()) {
            QToolTip::hideText();
            event->ignore();
        } else {
            QToolTip::showText(help->globalPos(), text, this);
        }
        return true;
    }
    return QWidget::event(event);
}

void FlameGraphView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    const int i = rectAt(event->position().toPoint());
    if (i < 0)
        return;
    const FlameRect rect = m_rects[size_t(i)];
    if (rect.node == 0) {
        resetZoom();
    } else if (rect.merged || rect.row < m_tree.node(m_zoom).depth) {
        zoomTo(rect.node); // a caller of the zoomed frame, or the parent of the merged ones
    } else {
        selectByUser(rect.node);
        zoomTo(rect.node);
    }
}

void FlameGraphView::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Backspace:
        zoomBack();
        break;
    case Qt::Key_Escape:
        resetZoom();
        break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (m_selected >= 0)
            m_selected == 0 ? resetZoom() : zoomTo(m_selected);
        break;
    case Qt::Key_Left:
    case Qt::Key_Right:
    case Qt::Key_Up:
    case Qt::Key_Down:
        moveSelection(event->key());
        break;
    default:
        return QWidget::keyPressEvent(event);
    }
}

void FlameGraphView::moveSelection(int key)
{
    const int at = m_selected >= 0 ? m_selected : m_zoom;
    const FlameNode &n = m_tree.node(at);
    int next = at;
    if (key == Qt::Key_Up && n.parent >= 0) {
        next = n.parent;
    } else if (key == Qt::Key_Down) {
        int64_t most = -1;
        for (int child : n.children)
            if (shownChild(at, child) && m_tree.node(child).total > most) {
                most = m_tree.node(child).total;
                next = child;
            }
    } else if ((key == Qt::Key_Left || key == Qt::Key_Right) && n.parent >= 0) {
        std::vector<int> siblings;
        for (int child : m_tree.node(n.parent).children)
            if (shownChild(n.parent, child))
                siblings.push_back(child);
        const auto it = std::find(siblings.begin(), siblings.end(), at);
        const long i = long(it - siblings.begin()) + (key == Qt::Key_Left ? -1 : 1);
        if (i >= 0 && i < long(siblings.size()))
            next = siblings[size_t(i)];
    }
    if (next == at && m_selected >= 0)
        return;
    selectByUser(next);
    // Out of sight (a sibling of the zoomed frame, or too narrow): zoom to its caller.
    if (frameRect(next).isEmpty())
        zoomTo(std::max(0, m_tree.node(next).parent));
}

} // namespace pixelperf
