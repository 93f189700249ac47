// Shared by the 16-bit fixed-point passes (fixedpoint.cpp).
#pragma once

#include <cstddef>
#include <cstdint>

namespace pixelperf {

// Bytes to 16-bit samples with `fractionBits` fractional bits (x << bits);
// at most 7, so 255 still fits.
void widenBytes(const uint8_t *src, int16_t *dst, size_t n, int fractionBits);

} // namespace pixelperf
