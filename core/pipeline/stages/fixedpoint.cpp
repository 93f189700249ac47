// What the 16-bit fixed-point passes of the resize and the blur share.
#include "pipeline/stages/fixedpoint.h"
#include "pipeline/stages/simd.h"

namespace pixelperf {

// A multiply, not a shift: shifted by a variable, the loop was widened to 32
// bits; multiplied, it stays in 16-bit lanes.
PIXELPERF_VECTOR_CLONES
void widenBytes(const uint8_t *__restrict src, int16_t *__restrict dst, size_t n, int fractionBits)
{
    const auto scale = int16_t(1 << fractionBits);
    for (size_t j = 0; j < n; ++j)
        dst[j] = int16_t(src[j] * scale);
}

} // namespace pixelperf
