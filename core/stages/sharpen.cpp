// sharpen: Pillow's ImageEnhance.Sharpness. smooth = 3x3 kernel
// [1 1 1; 1 5 1; 1 1 1] / 13 rounded to 8 bits, out = img*f + smooth*(1-f),
// border pixels unchanged. In place, keeping two original rows aside.
#include "kernels.h"
#include "simd.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace pixelperf {

namespace {

constexpr int FBits = 12;

// One interior row: a, m, b are the original rows above, at and below.
PIXELPERF_VECTOR_CLONES
void sharpenRow(const uint8_t *__restrict a, const uint8_t *__restrict m, const uint8_t *__restrict b,
                uint8_t *__restrict d, size_t begin, size_t end, int C, int32_t f)
{
    const int32_t g = (1 << FBits) - f;
    for (size_t i = begin; i < end; ++i) {
        const int32_t sum = a[i - C] + a[i] + a[i + C] + m[i - C] + 5 * m[i] + m[i + C] + b[i - C] + b[i]
                + b[i + C];
        // round(sum / 13), exact for 0 <= sum <= 3315.
        const int32_t smooth = ((sum + 6) * 5042) >> 16;
        const int32_t v = (f * m[i] + g * smooth + (1 << (FBits - 1)) + (4096 << FBits)) >> FBits;
        d[i] = uint8_t(std::clamp(v - 4096, 0, 255));
    }
}

void sharpenRows(PixelBuffer &img, double factor)
{
    const int w = img.width();
    const int h = img.height();
    const int C = img.channels();
    if (w < 3 || h < 3)
        return;  // every pixel is a border pixel
    const size_t rowBytes = img.stride();
    const int32_t f = int32_t(std::lround(factor * (1 << FBits)));
    std::vector<uint8_t> above(rowBytes), current(rowBytes);
    std::memcpy(above.data(), img.row(0), rowBytes);
    std::memcpy(current.data(), img.row(1), rowBytes);
    for (int y = 1; y < h - 1; ++y) {
        // Row y+1 is not yet written: still original. The border columns
        // of row y are left as they are.
        sharpenRow(above.data(), current.data(), img.row(y + 1), img.row(y), size_t(C), rowBytes - size_t(C), C, f);
        above.swap(current);
        std::memcpy(current.data(), img.row(y + 1), rowBytes);
    }
}

} // namespace

void sharpenInPlace(PixelBuffer &img, double factor)
{
    sharpenRows(img, factor);
}

} // namespace pixelperf
