#include "reports/stagecolors.h"

#include <QColor>

namespace pixelperf {

QRgb stageRgb(Stage stage)
{
    // Tableau 10: distinct hues that stay readable on light and dark palettes.
    static const QRgb colors[StageCount] = {
        0xff9d9d9d, // scan
        0xff4e79a7, // load
        0xfff28e2b, // resize
        0xffe15759, // blur
        0xff76b7b2, // sharpen
        0xff59a14f, // contrast
        0xffedc948, // brightness
        0xffb07aa1, // convert
        0xffff9da7, // save
    };
    return colors[int(stage)];
}

QString stageHex(Stage stage)
{
    return QColor::fromRgba(stageRgb(stage)).name();
}

} // namespace pixelperf
