// One colour per stage, used by every chart of the window and of the HTML
// report, so "blur" is the same red everywhere.
#pragma once

#include "pipeline/pipelineconfig.h"

#include <QRgb>
#include <QString>

namespace pixelperf {

QRgb stageRgb(Stage stage);
QString stageHex(Stage stage); // "#rrggbb"

} // namespace pixelperf
