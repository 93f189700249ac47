// Test images made in the tests, never downloaded.
#pragma once

#include "pipeline/pixelbuffer.h"
#include "pipeline/stages/save.h"
#include "samples/samplegenerator.h"

#include <QByteArray>
#include <QImage>
#include <QString>

#include <cmath>
#include <cstring>

namespace pixelperf::testing {

// A buffer filled by f(x, y, c).
template <typename F> PixelBuffer makeBuffer(int w, int h, int channels, F f)
{
    PixelBuffer b(w, h, channels);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < channels; ++c)
                b.row(y)[x * channels + c] = uint8_t(f(x, y, c));
    return b;
}

inline PixelBuffer photoLike(int w, int h, uint32_t seed = 7)
{
    return generateSampleImage(w, h, seed);
}

// A 4-channel photo-like image whose alpha varies, so a kernel that treats
// the fourth channel differently (or mixes it into RGB) shows up.
inline PixelBuffer photoLikeRgba(int w, int h, uint32_t seed = 7)
{
    const PixelBuffer rgb = photoLike(w, h, seed);
    return makeBuffer(w, h, 4,
        [&](int x, int y, int c) { return c < 3 ? int(rgb.row(y)[x * 3 + c]) : (x * 37 + y * 11) % 256; });
}

inline bool sameBytes(const PixelBuffer &a, const PixelBuffer &b)
{
    return a.width() == b.width() && a.height() == b.height() && a.channels() == b.channels()
        && std::memcmp(a.data(), b.data(), a.byteSize()) == 0;
}

// One sample: channel `c` of pixel (x, y).
inline int px(const PixelBuffer &b, int x, int y, int c = 0)
{
    return b.row(y)[x * b.channels() + c];
}

// Largest per-channel difference; -1 when the sizes differ.
inline int maxAbsDiff(const PixelBuffer &a, const PixelBuffer &b)
{
    if (a.width() != b.width() || a.height() != b.height() || a.channels() != b.channels())
        return -1;
    int worst = 0;
    for (size_t i = 0; i < a.byteSize(); ++i)
        worst = std::max(worst, std::abs(int(a.data()[i]) - int(b.data()[i])));
    return worst;
}

inline double psnr(const PixelBuffer &a, const PixelBuffer &b)
{
    double se = 0;
    for (size_t i = 0; i < a.byteSize(); ++i) {
        const double d = double(a.data()[i]) - double(b.data()[i]);
        se += d * d;
    }
    const double mse = se / double(a.byteSize());
    return mse == 0 ? 99.0 : 10.0 * std::log10(255.0 * 255.0 / mse);
}

} // namespace pixelperf::testing
