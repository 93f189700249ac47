#include "stagepalette.h"

#include "reports/stagecolors.h"

namespace pixelperf {

QColor stageColor(Stage stage)
{
    return QColor::fromRgba(stageRgb(stage));
}

QColor ghostStageColor(Stage stage)
{
    QColor c = stageColor(stage);
    c.setAlpha(90);
    return c;
}

} // namespace pixelperf
