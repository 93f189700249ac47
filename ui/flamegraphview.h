// An icicle flame graph of a sampled profile: the root (every sample) on
// top, the stages below it, then the frames from outermost in; width =
// samples. Frames take their stage's colour (stagepalette), lighter or darker
// per depth and sibling so neighbours stay apart, on light and dark palettes.
//
// Two modes. setProfile(): the run's graph. setComparison(a, b): Brendan
// Gregg's differential graph: the shape of B, each frame coloured by how its
// share of samples (total, normalised by each profile's samples) changed from
// A to B: red grew, blue shrank, neutral unchanged; A's frames that B lacks
// cannot be drawn in B's shape and are listed by tree().vanished().
//
// Use: hover a frame for its function, self and total share; click a frame
// to select it and zoom into it; click an ancestor (the rows above the zoomed
// frame) or the root to zoom out; Backspace goes back one zoom, Escape resets.
// Keys: arrows move the selection (Left/Right siblings, Up caller, Down the
// heaviest callee), Return zooms into it. Frames narrower than 2 px are merged
// into one "…" block per parent, so the rectangles drawn stay bounded by
// width × depth whatever the profile's size. Everything set (zoom, search,
// stage filter, selection) is kept when setProfile() is called again with a
// grown profile; layout happens on change, never per paint.
#pragma once

#include "flametree.h"

#include <QWidget>

#include <vector>

namespace pixelperf {

class FlameGraphView : public QWidget
{
    Q_OBJECT
public:
    explicit FlameGraphView(QWidget *parent = nullptr);

    // The run's profile; cheap to call again with the same run grown.
    void setProfile(const CpuProfile &profile);
    // The differential graph of A (baseline) → B (shape).
    void setComparison(const CpuProfile &a, const CpuProfile &b);
    bool isDifferential() const { return m_differential; }
    const FlameTree &tree() const { return m_tree; }

    // Show one stage only (its name as in the profile, e.g. "blur" or
    // "outside stages"), or every stage (empty). Shares are then of that
    // stage's samples.
    void setStageFilter(const QString &stageName);
    QString stageFilter() const { return m_stageFilter; }
    // Highlights the frames whose function contains the text (any case).
    void setSearch(const QString &text);
    // The share of the shown samples with a matching frame on their stack (0–1).
    double searchMatchShare() const { return m_matchShare; }
    // The samples shown: the root's, or the filtered stage's.
    int64_t shownSamples() const;

    int zoomNode() const { return m_zoom; }
    void zoomTo(int node); // remembers the previous zoom for zoomBack()
    void zoomBack();
    void resetZoom();
    int selectedNode() const { return m_selected; }
    void setSelectedNode(int node);
    // Outlines every frame of that function (a bottom-up row); empty: none.
    void setHighlightedFunction(const QString &name);

    // Where a node is drawn now (empty if not drawn), and the rectangles the
    // last paint drew: for tests and accessibility.
    QRectF frameRect(int node) const;
    int drawnRectCount() const { return m_drawnRects; }
    int rowCount() const { return m_rows; }
    // The tooltip a point would show (empty: none).
    QString toolTipAt(const QPoint &pos) const;
    // Why nothing is drawn (not sampled, no samples); empty when a graph is.
    QString emptyText() const { return m_emptyText; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void selectedNodeChanged(int node); // by the user (mouse, keyboard)
    void zoomChanged(int node);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;
    bool event(QEvent *event) override;

private:
    // One rectangle of the layout: a node, an ancestor of the zoomed node
    // (drawn full width), or the merged narrow callees of `node`.
    struct FlameRect {
        double x = 0;
        double width = 0;
        int row = 0;
        int node = -1;
        bool merged = false;
        int mergedCount = 0;
        int64_t mergedSamples = 0;
        QString label; // elided to the width once, at layout
    };
    void rebuildAfter(bool rebuilt, const std::vector<QStringList> &zoomPaths, const QStringList &selected);
    std::vector<QStringList> zoomPaths() const;
    void relayout();
    void layoutNode(int node, double x, double width, int row);
    bool shownChild(int node, int child) const;
    void updateSearch();
    double matchShareUnder(int node) const;
    int rectAt(const QPoint &pos) const;
    QColor fillOf(const FlameRect &rect) const;
    QColor diffColor(int node) const;
    double shareOf(int64_t samples, bool baseline = false) const;
    QString rootLabel() const;
    QString frameToolTip(int node) const;
    QString diffToolTip(int node) const;
    void selectByUser(int node);
    void moveSelection(int key);
    void paintRect(QPainter &p, const FlameRect &rect, const QColor &highlight);
    void updateAccessibleText();

    FlameTree m_tree;
    bool m_differential = false;
    QString m_emptyText;
    QString m_stageFilter;
    QString m_search;
    std::vector<char> m_nameMatches; // per name id
    double m_matchShare = 0;
    QString m_highlighted;
    int m_highlightedName = -1;
    int m_zoom = 0;
    std::vector<int> m_zoomHistory;
    int m_selected = -1;
    double m_maxDelta = 0; // the largest |change of share| shown (differential)

    std::vector<FlameRect> m_rects;
    int m_layoutRevision = -1;
    int m_rows = 0;
    int m_drawnRects = 0;
};

} // namespace pixelperf
