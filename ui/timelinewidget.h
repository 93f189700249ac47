// The run as a timeline: one lane per worker thread (and one for the
// run-level scan), each stage of each image a span coloured by stage.
// Paints from a DashboardModel it does not own, through a TimelineIndex
// that it brings up to date on refresh(): a paint draws at most one
// rectangle per pixel column and lane, however many spans there are.
// Zoom (wheel around the cursor, + and -), pan (drag, arrow keys), fit
// (Home); a click selects the image of the span under it.
#pragma once

#include "timelineindex.h"

#include <QPoint>
#include <QStringList>
#include <QWidget>

#include <vector>

namespace pixelperf {

class DashboardModel;
struct StageSpan;

class TimelineWidget : public QWidget
{
    Q_OBJECT
public:
    explicit TimelineWidget(QWidget *parent = nullptr);
    ~TimelineWidget() override;

    void setModel(const DashboardModel *model);
    const DashboardModel *model() const { return m_model; }
    // Reads the spans the model gained and repaints (call after it changed).
    void refresh();
    // The run's files, in its order: a span's tooltip names its file.
    void setImageNames(const QStringList &paths);
    QString imagePath(int image) const { return m_imagePaths.value(image); }
    int imageOf(const QString &path) const;

    // The view: the time at the plot's left edge and the zoom. Fitted, it
    // shows the whole run and follows it as it grows.
    double viewStartNs() const;
    double nsPerPixel() const;
    bool isFitted() const { return m_fit; }
    double timeAt(double x) const;
    double xAt(double ns) const;
    // `factor` < 1 zooms in; the time at `x` stays where it is.
    void zoomAt(double x, double factor);
    void panBy(double pixels);
    void fitToRun();

    // The image whose spans are highlighted; -1 for none.
    int selectedImage() const { return m_selectedImage; }
    void setSelectedImage(int image);
    // By its file: kept when the run's files are set again (another run,
    // or the run about to start: its spans are framed as they arrive).
    void selectImagePath(const QString &path);
    int highlightedSpanCount() const { return int(m_selectedSpans.size()); }
    // The rectangles the last paint drew for spans (at most one per pixel
    // column and lane), and where a lane is (0: the scan; w + 1: worker w).
    int drawnRectCount() const { return m_drawnRects; }
    QRectF plotRect() const;
    QRectF laneRect(int lane) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    // A click on a span of `image` (an index into the run's files).
    void imageClicked(int image);
    void selectedImageChanged(int image);

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    struct Geometry {
        QRectF plot;
        int lanes = 0; // worker lanes, plus one for the run (scan) on top
        double runLaneHeight = 0; // the run lane holds one short span: keep it thin
        double laneHeight = 0; // each worker lane
        double startNs = 0;
        double nsPerPixel = 1;
        double laneTop(int lane) const
        {
            return plot.top() + (lane == 0 ? 0 : runLaneHeight + (lane - 1) * laneHeight);
        }
        double heightOf(int lane) const { return lane == 0 ? runLaneHeight : laneHeight; }
        int laneAt(double y) const;
    };
    Geometry geometry() const;
    double fittedNsPerPixel(double plotWidth) const;
    void setView(double startNs, double nsPerPixel);
    // Where each stage's legend entry goes, wrapping at the widget's width.
    std::vector<QPointF> legendLayout(int *height) const;
    void paintTimeline();
    void drawLegendAndLanes(QPainter &p, const Geometry &g) const;
    void drawSpans(QPainter &p, const Geometry &g);
    void drawSelection(QPainter &p, const Geometry &g) const;
    void drawAxis(QPainter &p, const Geometry &g) const;
    const StageSpan *spanAt(const QPointF &pos) const;
    void collectSelectedSpans(size_t from);
    int laneLabelWidth() const;
    void addViewActions();

    const DashboardModel *m_model = nullptr;
    TimelineIndex m_index;
    QStringList m_imagePaths;
    bool m_fit = true;
    double m_startNs = 0;
    double m_nsPerPixel = 1;
    int m_selectedImage = -1;
    QString m_selectedPath;
    std::vector<size_t> m_selectedSpans; // indices into the model's spans
    int m_drawnRects = 0;
    QPoint m_pressPos;
    double m_pressStartNs = 0;
    bool m_pressed = false;
    bool m_dragging = false;
    // For the benchmark (PIXELPERF_TIMELINE_PAINT_STATS=1): paint times,
    // printed when the widget goes away.
    bool m_paintStats = false;
    int m_paints = 0;
    double m_paintWorstMs = 0;
    double m_paintTotalMs = 0;
};

} // namespace pixelperf
