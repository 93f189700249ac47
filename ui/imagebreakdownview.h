// What one image of the run cost, stage by stage — wall time, CPU time,
// bytes allocated and copies — shown under the timeline when one of its
// spans (or its row in the file list) is selected; hidden otherwise. One
// column per stage; narrower than that, it scrolls sideways rather than
// widen the dashboard.
#pragma once

#include "dashboardmodel.h"

#include <QScrollArea>

class QLabel;

namespace pixelperf {

class ImageBreakdownView : public QScrollArea
{
    Q_OBJECT
public:
    explicit ImageBreakdownView(QWidget *parent = nullptr);

    // `name`: the image's file name. An empty breakdown hides the view.
    void showBreakdown(const ImageBreakdown &breakdown, const QString &name);
    int image() const { return m_image; }
    QString text() const;

private:
    QLabel *m_label;
    int m_image = -1;
};

} // namespace pixelperf
