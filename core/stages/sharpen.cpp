// sharpen: Pillow's ImageEnhance.Sharpness. smooth = 3x3 kernel
// [1 1 1; 1 5 1; 1 1 1] / 13 rounded to 8 bits, out = img*f + smooth*(1-f),
// border pixels unchanged. In place, keeping two original rows aside.
#include "kernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace pixelperf {

namespace {

constexpr int FBits = 12;

template <int C>
void sharpenRows(PixelBuffer &img, double factor)
{
    const int w = img.width();
    const int h = img.height();
    if (w < 3 || h < 3)
        return;  // every pixel is a border pixel
    const size_t rowBytes = img.stride();
    const int32_t f = int32_t(std::lround(factor * (1 << FBits)));
    const int32_t g = (1 << FBits) - f;
    std::vector<uint8_t> above(rowBytes), current(rowBytes);
    std::memcpy(above.data(), img.row(0), rowBytes);
    std::memcpy(current.data(), img.row(1), rowBytes);
    for (int y = 1; y < h - 1; ++y) {
        const uint8_t *a = above.data();
        const uint8_t *m = current.data();
        const uint8_t *b = img.row(y + 1);  // not yet written: still original
        uint8_t *d = img.row(y);
        for (size_t i = C; i < rowBytes - C; ++i) {
            const int32_t sum = a[i - C] + a[i] + a[i + C] + m[i - C] + 5 * m[i] + m[i + C]
                    + b[i - C] + b[i] + b[i + C];
            // round(sum / 13), exact for 0 <= sum <= 3315.
            const int32_t smooth = ((sum + 6) * 5042) >> 16;
            const int32_t v = (f * m[i] + g * smooth + (1 << (FBits - 1)) + (4096 << FBits)) >> FBits;
            d[i] = uint8_t(std::clamp(v - 4096, 0, 255));
        }
        above.swap(current);
        std::memcpy(current.data(), img.row(y + 1), rowBytes);
    }
}

} // namespace

void sharpenInPlace(PixelBuffer &img, double factor)
{
    if (img.channels() == 4)
        sharpenRows<4>(img, factor);
    else
        sharpenRows<3>(img, factor);
}

} // namespace pixelperf
