// contrast, brightness, convert: per-pixel value maps. Pillow semantics:
// contrast out = m + f (v - m) with m the rounded mean luma; brightness out =
// v f; convert to the encoder's RGB layout. Two schedules side by side
// (toggle `fused-point-ops`): three separate floating-point passes, or one
// 256-entry table that composes them (applied in one in-place pass, computed
// with vector arithmetic where that gives the table's values). Both use
// contrastValue() and brightnessValue(), so they agree exactly.
#include "pipeline/stages/pointops.h"
#include "pipeline/stages/handoff.h"

#include "pipeline/schedule.h"
#include "pipeline/stages/simd.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace pixelperf {

int lumaOf(int r, int g, int b)
{
    return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
}

// Sum of one row's luma; <= 255 * 20000 fits 32 bits.
PIXELPERF_VECTOR_CLONES
static uint32_t lumaSumRgb(const uint8_t *__restrict p, int pixels)
{
    uint32_t total = 0;
    for (int x = 0; x < pixels; ++x)
        total += uint32_t((p[3 * x] * 19595 + p[3 * x + 1] * 38470 + p[3 * x + 2] * 7471 + 0x8000) >> 16);
    return total;
}

int meanLuma(const PixelBuffer &img)
{
    const int C = img.channels();
    uint64_t total = 0;
    if (C == 3) {
        for (int y = 0; y < img.height(); ++y)
            total += lumaSumRgb(img.row(y), img.width());
    } else {
        for (int y = 0; y < img.height(); ++y) {
            const uint8_t *p = img.row(y);
            for (int x = 0; x < img.width(); ++x, p += C)
                total += uint64_t(lumaOf(p[0], p[1], p[2]));
        }
    }
    const uint64_t n = uint64_t(img.width()) * uint64_t(img.height());
    return n ? int((total + n / 2) / n) : 0;
}

static uint8_t roundClamp(float v)
{
    const float r = std::floor(v + 0.5f);
    return uint8_t(r < 0.f ? 0.f : (r > 255.f ? 255.f : r));
}

uint8_t contrastValue(int v, int mean, double factor)
{
    return roundClamp(float(mean) + float(factor) * float(v - mean));
}

uint8_t brightnessValue(int v, double factor)
{
    return roundClamp(float(v) * float(factor));
}

namespace {
// A float copy of the image: what a careless pass works on (4 bytes a value).
std::vector<float> toFloat(const PixelBuffer &img)
{
    std::vector<float> f(img.byteSize());
    const uint8_t *p = img.data();
    for (size_t i = 0; i < f.size(); ++i)
        f[i] = float(p[i]);
    return f;
}
} // namespace

PixelBuffer contrastFloat(const PixelBuffer &img, double factor)
{
    // A grayscale copy of the image just to take its mean (Pillow's
    // convert("L") + ImageStat), then a float pass and a new output image.
    PixelBuffer gray(img.width(), img.height(), 1);
    const int C = img.channels();
    uint64_t total = 0;
    for (int y = 0; y < img.height(); ++y) {
        const uint8_t *p = img.row(y);
        uint8_t *g = gray.row(y);
        for (int x = 0; x < img.width(); ++x, p += C)
            g[x] = uint8_t(lumaOf(p[0], p[1], p[2]));
    }
    for (size_t i = 0; i < gray.byteSize(); ++i)
        total += gray.data()[i];
    const uint64_t n = gray.byteSize();
    const int mean = n ? int((total + n / 2) / n) : 0;

    const std::vector<float> values = toFloat(img);
    PixelBuffer out(img.width(), img.height(), img.channels());
    uint8_t *o = out.data();
    const float m = float(mean);
    const float f = float(factor);
    for (size_t i = 0; i < values.size(); ++i)
        o[i] = roundClamp(m + f * (values[i] - m));
    return out;
}

PixelBuffer brightnessFloat(const PixelBuffer &img, double factor)
{
    const std::vector<float> values = toFloat(img);
    PixelBuffer out(img.width(), img.height(), img.channels());
    uint8_t *o = out.data();
    const float f = float(factor);
    for (size_t i = 0; i < values.size(); ++i)
        o[i] = roundClamp(values[i] * f);
    return out;
}

PixelBuffer convertToOutput(const PixelBuffer &img)
{
    // A fresh RGB image for the encoder, even when the layout already is RGB
    // (as Pillow's convert("RGB") returns a copy).
    PixelBuffer out(img.width(), img.height(), 3);
    const int C = img.channels();
    for (int y = 0; y < img.height(); ++y) {
        const uint8_t *s = img.row(y);
        uint8_t *d = out.row(y);
        if (C == 3) {
            std::memcpy(d, s, img.stride());
            continue;
        }
        for (int x = 0; x < img.width(); ++x)
            for (int c = 0; c < 3; ++c)
                d[x * 3 + c] = s[x * C + c];
    }
    return out;
}

namespace {

// The table's values computed arithmetically, 8 or 16 values a vector op
// (the table lookup is one scalar load per byte). applyPointLut() checks
// each form against the table on all 256 inputs and uses the first that
// agrees everywhere.
//
// Fixed point, 16 values a vector op: each step is round(x f) on x << 4
// with f in Q11 (10, the settings' limit, is 20480): the pmulhrsw pattern.
// The shifts are constants: by a variable, the compiler widened everything
// to 32 bits. Exact where the factors are (1.5 is; 1.2 is close enough that
// no value rounds the other way), otherwise the check fails.
constexpr int FactorBits = 11;

int16_t fixedFactor(double f)
{
    return int16_t(std::min(32767L, std::lround(f * (1 << FactorBits))));
}

// The factor's type tells the compiler it fits 16 bits: with an int32_t
// parameter it multiplied in 32.
inline int16_t scaleRound(int16_t x, int16_t q)
{
    return int16_t((((int32_t(x) * q) >> 14) + 1) >> 1);
}

PIXELPERF_VECTOR_CLONES
void pointOpsFixed(uint8_t *__restrict p, size_t n, int16_t mean, int16_t contrast, int16_t brightness)
{
    constexpr int Shift = 15 - FactorBits;
    const auto meanShifted = int16_t(mean * (1 << Shift));
    // Below 0, a brightness factor (>= 0) keeps a value at or below 0, so
    // the contrast step's result is only clamped at the top (and kept
    // within 16 bits after the shift); the final clamp does the rest.
    // Clamping at 0 there made the compiler see unsigned values and miss
    // the pmulhrsw.
    constexpr int16_t Low = -(32768 >> Shift);
    for (size_t i = 0; i < n; ++i) {
        const auto d = int16_t(int16_t(p[i] << Shift) - meanShifted);
        auto r = int16_t(mean + scaleRound(d, contrast));
        r = std::clamp<int16_t>(r, Low, 255);
        r = scaleRound(int16_t(r * (1 << Shift)), brightness); // r may be negative: not <<
        p[i] = uint8_t(std::clamp<int16_t>(r, 0, 255));
    }
}

// Floating point, 8 values a vector op: the same float operations as
// contrastValue() and brightnessValue(), in the same order, so the same
// results unless the compiler contracts or reorders them differently.
// floor() by truncation (exact for |x| < 2^31), with no branch, so the loop
// vectorises where the library call does not.
inline int32_t floorToInt(float x)
{
    const int32_t t = int32_t(x);
    return t - int32_t(float(t) > x);
}

PIXELPERF_FLOAT_VECTOR_CLONES
void pointOpsFloat(uint8_t *__restrict p, size_t n, float mean, float contrast, float brightness)
{
    for (size_t i = 0; i < n; ++i) {
        int32_t r = std::clamp(floorToInt(mean + contrast * (float(p[i]) - mean) + 0.5f), 0, 255);
        r = std::clamp(floorToInt(float(r) * brightness + 0.5f), 0, 255);
        p[i] = uint8_t(r);
    }
}

} // namespace

void applyPointLut(
    PixelBuffer &img, int mean, double contrast, bool doContrast, double brightness, bool doBrightness)
{
    uint8_t lut[256];
    for (int v = 0; v < 256; ++v) {
        int r = v;
        if (doContrast)
            r = contrastValue(r, mean, contrast);
        if (doBrightness)
            r = brightnessValue(r, brightness);
        lut[v] = uint8_t(r);
    }
    // A step that is off is the identity: factor 1 (exact in both forms).
    const int m = doContrast ? mean : 0;
    const double c = doContrast ? contrast : 1.0;
    const double b = doBrightness ? brightness : 1.0;
    uint8_t *p = img.data();
    const size_t n = img.byteSize();
    uint8_t ramp[256];
    auto agrees = [&](auto pass) {
        for (int v = 0; v < 256; ++v)
            ramp[v] = uint8_t(v);
        pass(ramp, sizeof ramp);
        return std::memcmp(ramp, lut, sizeof lut) == 0;
    };
    const auto fixed = [&](uint8_t *q, size_t count) {
        pointOpsFixed(q, count, int16_t(m), fixedFactor(c), fixedFactor(b));
    };
    const auto floating
        = [&](uint8_t *q, size_t count) { pointOpsFloat(q, count, float(m), float(c), float(b)); };
    if (agrees(fixed)) {
        fixed(p, n);
    } else if (agrees(floating)) {
        floating(p, n);
    } else {
        for (size_t i = 0; i < n; ++i)
            p[i] = lut[p[i]];
    }
}

PixelBuffer contrastStage(PixelBuffer &working, const PipelineParams &params, const Schedule &schedule)
{
    PixelBuffer in = stageInput(working, schedule);
    if (!schedule.fusedPointOps)
        return stageOutput(contrastFloat(in, params.contrast));
    // Contrast and brightness composed into one table, one pass.
    applyPointLut(in, meanLuma(in), params.contrast, true, params.brightness, params.brightnessEnabled);
    return stageOutput(std::move(in));
}

PixelBuffer brightnessStage(PixelBuffer &working, const PipelineParams &params, const Schedule &schedule)
{
    if (schedule.fusedPointOps && params.contrastEnabled)
        return std::move(working); // already applied by the contrast pass
    PixelBuffer in = stageInput(working, schedule);
    if (!schedule.fusedPointOps)
        return stageOutput(brightnessFloat(in, params.brightness));
    applyPointLut(in, 0, 1.0, false, params.brightness, true);
    return stageOutput(std::move(in));
}

PixelBuffer convertStage(PixelBuffer &working, const PipelineParams &, const Schedule &schedule)
{
    // Fused: the working buffer already is the encoder's RGB layout.
    if (schedule.fusedPointOps)
        return std::move(working);
    return stageOutput(convertToOutput(stageInput(working, schedule)));
}

} // namespace pixelperf
