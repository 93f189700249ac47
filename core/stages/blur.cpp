// blur: Gaussian, sigma = radius, edges extended. Two implementations side by
// side (toggle `separable-blur`): a naive 2-D convolution, O(r^2) per pixel,
// and two 1-D fixed-point passes, O(r) per pixel. Both use the same
// normalised kernel, so they agree within rounding.
#include "kernels.h"

#include <algorithm>
#include <cmath>

namespace pixelperf {

std::vector<double> gaussianKernel(double sigma)
{
    const int radius = std::max(1, int(std::ceil(3.0 * sigma)));
    std::vector<double> k(size_t(2 * radius + 1));
    double total = 0;
    for (int i = -radius; i <= radius; ++i) {
        const double v = std::exp(-(double(i) * i) / (2.0 * sigma * sigma));
        k[size_t(i + radius)] = v;
        total += v;
    }
    for (double &v : k)
        v /= total;
    return k;
}

namespace {

// The 2-D kernel as the outer product of the 1-D one.
std::vector<float> kernel2d(double sigma, int *radius)
{
    const std::vector<double> k = gaussianKernel(sigma);
    const int n = int(k.size());
    *radius = n / 2;
    std::vector<float> k2(size_t(n) * size_t(n));
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i)
            k2[size_t(j * n + i)] = float(k[size_t(j)] * k[size_t(i)]);
    return k2;
}

template <int C>
void naiveRows(const PixelBuffer &src, PixelBuffer &dst, double sigma, bool cached)
{
    const int w = src.width();
    const int h = src.height();
    int radius = 0;
    std::vector<float> k2 = kernel2d(sigma, &radius);
    const int n = 2 * radius + 1;
    for (int y = 0; y < h; ++y) {
        // `cached-kernels` off: the kernel (n^2 exp() and products) rebuilt per row.
        if (!cached)
            k2 = kernel2d(sigma, &radius);
        uint8_t *d = dst.row(y);
        for (int x = 0; x < w; ++x) {
            float acc[C] = {};
            for (int j = 0; j < n; ++j) {
                const int sy = std::clamp(y + j - radius, 0, h - 1);
                const uint8_t *s = src.row(sy);
                const float *kr = &k2[size_t(j * n)];
                for (int i = 0; i < n; ++i) {
                    const int sx = std::clamp(x + i - radius, 0, w - 1);
                    for (int c = 0; c < C; ++c)
                        acc[c] += kr[i] * s[sx * C + c];
                }
            }
            for (int c = 0; c < C; ++c)
                d[x * C + c] = uint8_t(std::clamp(std::lround(acc[c]), 0L, 255L));
        }
    }
}

// Fixed point: 14-bit weights summing to exactly 2^14; the vertical pass keeps
// 8 fraction bits in a uint16 line for the horizontal pass.
constexpr int KBits = 14;

std::vector<uint32_t> fixedKernel(double sigma)
{
    const std::vector<double> k = gaussianKernel(sigma);
    std::vector<uint32_t> q(k.size());
    int64_t total = 0;
    for (size_t i = 0; i < k.size(); ++i) {
        q[i] = uint32_t(std::lround(k[i] * (1 << KBits)));
        total += q[i];
    }
    q[k.size() / 2] += uint32_t(int64_t(1 << KBits) - total);  // exact unit sum
    return q;
}

template <int C>
void separableRows(const PixelBuffer &src, PixelBuffer &dst, double sigma, bool cached)
{
    const int w = src.width();
    const int h = src.height();
    std::vector<uint32_t> k = fixedKernel(sigma);
    const int radius = int(k.size()) / 2;
    const size_t rowBytes = size_t(w) * C;
    std::vector<uint32_t> acc(rowBytes);
    std::vector<uint16_t> line((size_t(w) + 2 * size_t(radius)) * C);
    uint16_t *mid = line.data() + size_t(radius) * C;
    for (int y = 0; y < h; ++y) {
        if (!cached)
            k = fixedKernel(sigma);
        // Vertical: whole rows at a time, contiguous and vectorisable.
        std::fill(acc.begin(), acc.end(), 0u);
        for (int t = -radius; t <= radius; ++t) {
            const uint8_t *s = src.row(std::clamp(y + t, 0, h - 1));
            const uint32_t kw = k[size_t(t + radius)];
            uint32_t *a = acc.data();
            for (size_t i = 0; i < rowBytes; ++i)
                a[i] += kw * s[i];
        }
        for (size_t i = 0; i < rowBytes; ++i)
            mid[i] = uint16_t((acc[i] + 32) >> 6);
        for (int p = 0; p < radius; ++p) {
            for (int c = 0; c < C; ++c) {
                line[size_t(p) * C + c] = mid[c];
                mid[rowBytes + size_t(p) * C + c] = mid[rowBytes - C + c];
            }
        }
        // Horizontal: neighbours are C bytes apart in the padded line.
        std::fill(acc.begin(), acc.end(), uint32_t(1) << (KBits + 8 - 1));
        for (int t = 0; t <= 2 * radius; ++t) {
            const uint16_t *l = line.data() + size_t(t) * C;
            const uint32_t kw = k[size_t(t)];
            uint32_t *a = acc.data();
            for (size_t i = 0; i < rowBytes; ++i)
                a[i] += kw * l[i];
        }
        uint8_t *d = dst.row(y);
        for (size_t i = 0; i < rowBytes; ++i)
            d[i] = uint8_t(std::min<uint32_t>(255u, acc[i] >> (KBits + 8)));
    }
}

} // namespace

PixelBuffer blurNaive(const PixelBuffer &src, double sigma, bool cachedKernel)
{
    PixelBuffer dst(src.width(), src.height(), src.channels());
    if (src.channels() == 4)
        naiveRows<4>(src, dst, sigma, cachedKernel);
    else
        naiveRows<3>(src, dst, sigma, cachedKernel);
    return dst;
}

PixelBuffer blurSeparable(const PixelBuffer &src, double sigma, bool cachedKernel)
{
    PixelBuffer dst(src.width(), src.height(), src.channels());
    if (src.channels() == 4)
        separableRows<4>(src, dst, sigma, cachedKernel);
    else
        separableRows<3>(src, dst, sigma, cachedKernel);
    return dst;
}

PixelBuffer blurImage(const PixelBuffer &src, double sigma, const ToggleSet &toggles)
{
    const bool cached = toggles.isOn(ToggleId::CachedKernels);
    if (toggles.isOn(ToggleId::SeparableBlur))
        return blurSeparable(src, sigma, cached);
    return blurNaive(src, sigma, cached);
}

} // namespace pixelperf
