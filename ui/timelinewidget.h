// The run as a timeline: one lane per worker thread (and one for the
// run-level scan), each stage of each image a span coloured by stage.
// Paints straight from a DashboardModel it does not own.
#pragma once

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

    void setModel(const DashboardModel *model);
    const DashboardModel *model() const { return m_model; }
    // Repaint from the model (call after it changed).
    void refresh();
    // The run's files, in its order: a span's tooltip names its file.
    void setImageNames(const QStringList &paths);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    struct Geometry {
        QRectF plot;
        int lanes = 0; // worker lanes, plus one for the run (scan) on top
        double runLaneHeight = 0; // the run lane holds one short span: keep it thin
        double laneHeight = 0; // each worker lane
        double nsPerPixel = 1;
        double laneTop(int lane) const
        {
            return plot.top() + (lane == 0 ? 0 : runLaneHeight + (lane - 1) * laneHeight);
        }
        double heightOf(int lane) const { return lane == 0 ? runLaneHeight : laneHeight; }
        int laneAt(double y) const;
    };
    Geometry geometry() const;
    // Where each stage's legend entry goes, wrapping at the widget's width.
    std::vector<QPointF> legendLayout(int *height) const;
    const StageSpan *spanAt(const QPointF &pos) const;
    int laneOf(const StageSpan &span) const;
    int laneLabelWidth() const;

    const DashboardModel *m_model = nullptr;
    QStringList m_imageNames;
};

} // namespace pixelperf
