// The conversions that `no-format-churn` off wraps around every stage: the
// working image goes to 32-bit RGBA (what a QImage::Format_ARGB32-based stage
// would want) and back to 24-bit RGB afterwards. Lossless, so the output is
// the same; the cost is two full-image passes and two allocations per stage.
#include "kernels.h"

namespace pixelperf {

PixelBuffer toRgba(const PixelBuffer &rgb)
{
    PixelBuffer out(rgb.width(), rgb.height(), 4);
    for (int y = 0; y < rgb.height(); ++y) {
        const uint8_t *s = rgb.row(y);
        uint8_t *d = out.row(y);
        for (int x = 0; x < rgb.width(); ++x) {
            d[x * 4 + 0] = s[x * 3 + 0];
            d[x * 4 + 1] = s[x * 3 + 1];
            d[x * 4 + 2] = s[x * 3 + 2];
            d[x * 4 + 3] = 255;
        }
    }
    return out;
}

PixelBuffer toRgb(const PixelBuffer &rgba)
{
    PixelBuffer out(rgba.width(), rgba.height(), 3);
    for (int y = 0; y < rgba.height(); ++y) {
        const uint8_t *s = rgba.row(y);
        uint8_t *d = out.row(y);
        for (int x = 0; x < rgba.width(); ++x) {
            d[x * 3 + 0] = s[x * 4 + 0];
            d[x * 3 + 1] = s[x * 4 + 1];
            d[x * 3 + 2] = s[x * 4 + 2];
        }
    }
    return out;
}

} // namespace pixelperf
