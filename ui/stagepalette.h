// The window's side of the one stage palette: every chart, the timeline and
// the legends take a stage's colour from here, and here takes it from core's
// stageRgb(), which the HTML report uses too, so "blur" is the same red
// everywhere.
#pragma once

#include "pipeline/pipelineconfig.h"

#include <QColor>

namespace pixelperf {

QColor stageColor(Stage stage);
// The same hue, faded: the comparison run drawn beside the current one.
QColor ghostStageColor(Stage stage);

} // namespace pixelperf
