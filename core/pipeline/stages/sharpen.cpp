// sharpen: Pillow's ImageEnhance.Sharpness. smooth = 3x3 kernel
// [1 1 1; 1 5 1; 1 1 1] / 13 rounded to 8 bits, out = img*f + smooth*(1-f)
// rounded, with f in steps of 1/2048; border pixels unchanged. In place,
// keeping two original rows aside.
#include "pipeline/stages/sharpen.h"
#include "pipeline/stages/handoff.h"

#include "pipeline/schedule.h"
#include "pipeline/stages/simd.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace pixelperf {

namespace {

// The factor in Q11: up to 10 (the settings' limit) is 20480, below 2^15.
constexpr int FBits = 11;

// One interior row: a, m, b are the original rows above, at and below.
// out = smooth + round(f (m - smooth)) (= m f + smooth (1 - f)), all in
// 16-bit lanes: the 3x3 sum is at most 3315; round(sum / 13) is the high
// half of (sum + 6) * 5042, exact over that range; and round(d f / 2^11)
// for |d| <= 255 is the pmulhrsw pattern on d << 4. In blocks of 64, in two
// loops: in one, the compiler did not see the pmulhrsw.
PIXELPERF_VECTOR_CLONES
void sharpenRow(const uint8_t *__restrict a, const uint8_t *__restrict m, const uint8_t *__restrict b,
    uint8_t *__restrict d, size_t begin, size_t end, int C, int16_t f)
{
    constexpr size_t Block = 64;
    const int32_t factor = f;
    int16_t smooth[Block], delta[Block];
    for (size_t i0 = begin; i0 < end; i0 += Block) {
        const size_t n = std::min(Block, end - i0);
        for (size_t j = 0; j < n; ++j) {
            const size_t i = i0 + j;
            const auto sum = uint16_t(
                a[i - C] + a[i] + a[i + C] + m[i - C] + 5 * m[i] + m[i + C] + b[i - C] + b[i] + b[i + C]);
            smooth[j] = int16_t((uint32_t(uint16_t(sum + 6)) * 5042u) >> 16);
            delta[j] = int16_t((m[i] - smooth[j]) * 16);
        }
        for (size_t j = 0; j < n; ++j) {
            const auto v = int16_t(smooth[j] + int16_t((((int32_t(delta[j]) * factor) >> 14) + 1) >> 1));
            d[i0 + j] = uint8_t(v < 0 ? 0 : (v > 255 ? 255 : v));
        }
    }
}

void sharpenRows(PixelBuffer &img, double factor)
{
    const int w = img.width();
    const int h = img.height();
    const int C = img.channels();
    if (w < 3 || h < 3)
        return; // every pixel is a border pixel
    const size_t rowBytes = img.stride();
    const auto f = int16_t(std::lround(factor * (1 << FBits)));
    std::vector<uint8_t> above(rowBytes), current(rowBytes);
    std::memcpy(above.data(), img.row(0), rowBytes);
    std::memcpy(current.data(), img.row(1), rowBytes);
    for (int y = 1; y < h - 1; ++y) {
        // Row y+1 is not yet written: still original. The border columns
        // of row y are left as they are.
        sharpenRow(
            above.data(), current.data(), img.row(y + 1), img.row(y), size_t(C), rowBytes - size_t(C), C, f);
        above.swap(current);
        std::memcpy(current.data(), img.row(y + 1), rowBytes);
    }
}

} // namespace

void sharpenInPlace(PixelBuffer &img, double factor)
{
    sharpenRows(img, factor);
}

PixelBuffer sharpenStage(PixelBuffer &working, const PipelineParams &params, const Schedule &schedule)
{
    PixelBuffer in = stageInput(working, schedule);
    sharpenInPlace(in, params.sharpen);
    return stageOutput(std::move(in));
}

} // namespace pixelperf
