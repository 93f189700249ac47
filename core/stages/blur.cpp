// blur: Gaussian, sigma = radius, edges extended. Two implementations side by
// side (toggle `separable-blur`): a naive 2-D convolution, O(r^2) per pixel,
// and two 1-D passes, O(r) per pixel. Both compute, in exact integer
// arithmetic, the same sum with the same 12-bit kernel (weights summing to
// 4096; the 2-D kernel is its outer product), so their outputs are identical:
// later stages amplify differences, and the toggle must not change the output.
#include "kernels.h"
#include "simd.h"

#include <QMutex>

#include <algorithm>
#include <cmath>
#include <map>

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

// 12-bit weights, summing to exactly 4096. A full 2-D sum is at most
// 255 * 4096 * 4096 + 2^23 < 2^32: it fits uint32 in both paths.
constexpr int KBits = 12;
constexpr uint32_t Round = uint32_t(1) << (2 * KBits - 1);

std::vector<uint32_t> fixedKernel(double sigma)
{
    const std::vector<double> k = gaussianKernel(sigma);
    std::vector<uint32_t> q(k.size());
    int64_t total = 0;
    for (size_t i = 0; i < k.size(); ++i) {
        q[i] = uint32_t(std::lround(k[i] * (1 << KBits)));
        total += q[i];
    }
    q[k.size() / 2] += uint32_t(int64_t(1 << KBits) - total);  // exact unit sum, still symmetric
    return q;
}

// The 2-D kernel: outer product of the 1-D one.
std::vector<uint32_t> kernel2d(double sigma)
{
    const std::vector<uint32_t> k = fixedKernel(sigma);
    const size_t n = k.size();
    std::vector<uint32_t> k2(n * n);
    for (size_t j = 0; j < n; ++j)
        for (size_t i = 0; i < n; ++i)
            k2[j * n + i] = k[j] * k[i];
    return k2;
}

void naiveRows(const PixelBuffer &src, PixelBuffer &dst, double sigma, bool cached)
{
    const int w = src.width();
    const int h = src.height();
    const int C = src.channels();
    std::vector<uint32_t> k2 = kernel2d(sigma);
    const int n = int(std::lround(std::sqrt(double(k2.size()))));
    const int radius = n / 2;
    for (int y = 0; y < h; ++y) {
        if (stageCancelRequested())
            return;  // seconds per image on large outputs: honour a cancel mid-image
        // `cached-kernels` off: the kernel (exp() per tap, n^2 products) rebuilt per row.
        if (!cached)
            k2 = kernel2d(sigma);
        uint8_t *d = dst.row(y);
        for (int x = 0; x < w; ++x) {
            for (int c = 0; c < C; ++c) {
                // Every output value visits all n^2 neighbours.
                uint32_t acc = Round;
                for (int j = 0; j < n; ++j) {
                    const uint8_t *s = src.row(std::clamp(y + j - radius, 0, h - 1));
                    const uint32_t *kr = &k2[size_t(j * n)];
                    for (int i = 0; i < n; ++i)
                        acc += kr[i] * s[std::clamp(x + i - radius, 0, w - 1) * C + c];
                }
                d[x * C + c] = uint8_t(acc >> (2 * KBits));
            }
        }
    }
}

// Vertical pass for one row: the kernel is symmetric, so each pair of rows
// at distance d shares one multiply. Exact: at most 255 * 4096.
PIXELPERF_VECTOR_CLONES
void blurColumn(const uint8_t *const *rows, const uint32_t *k, int radius, uint32_t *out, size_t n)
{
    const uint8_t *__restrict c = rows[radius];
    uint32_t *__restrict o = out;
    const uint32_t kc = k[radius];
    for (size_t j = 0; j < n; ++j)
        o[j] = kc * c[j];
    for (int d = 1; d <= radius; ++d) {
        const uint8_t *__restrict a = rows[radius - d];
        const uint8_t *__restrict b = rows[radius + d];
        const uint32_t kd = k[radius + d];
        for (size_t j = 0; j < n; ++j)
            o[j] += kd * uint32_t(a[j] + b[j]);
    }
}

// Horizontal pass for one row over the edge-padded column sums: neighbours
// are `channels` elements apart, so it is the same contiguous sweep.
PIXELPERF_VECTOR_CLONES
void blurRow(const uint32_t *center, int channels, const uint32_t *k, int radius, uint8_t *out, size_t n)
{
    constexpr size_t Chunk = 512;
    uint32_t acc[Chunk];
    for (size_t i0 = 0; i0 < n; i0 += Chunk) {
        const size_t m = std::min(Chunk, n - i0);
        const uint32_t *__restrict c = center + i0;
        const uint32_t kc = k[radius];
        for (size_t j = 0; j < m; ++j)
            acc[j] = kc * c[j] + Round;
        for (int d = 1; d <= radius; ++d) {
            const uint32_t *__restrict a = c - ptrdiff_t(d) * channels;
            const uint32_t *__restrict b = c + ptrdiff_t(d) * channels;
            const uint32_t kd = k[radius + d];
            for (size_t j = 0; j < m; ++j)
                acc[j] += kd * (a[j] + b[j]);
        }
        uint8_t *__restrict o = out + i0;
        for (size_t j = 0; j < m; ++j)
            o[j] = uint8_t(acc[j] >> (2 * KBits));
    }
}

// Memoized per sigma (`cached-kernels`): a folder's images share one kernel.
std::shared_ptr<const std::vector<uint32_t>> cachedFixedKernel(double sigma)
{
    static QMutex mutex;
    static std::map<double, std::shared_ptr<const std::vector<uint32_t>>> cache;
    QMutexLocker lock(&mutex);
    if (cache.size() > 16 && !cache.count(sigma))
        cache.clear();
    auto &slot = cache[sigma];
    if (!slot)
        slot = std::make_shared<const std::vector<uint32_t>>(fixedKernel(sigma));
    return slot;
}

void separableRows(const PixelBuffer &src, PixelBuffer &dst, double sigma, bool cached)
{
    const int w = src.width();
    const int h = src.height();
    const int C = src.channels();
    std::shared_ptr<const std::vector<uint32_t>> k =
            cached ? cachedFixedKernel(sigma) : std::make_shared<const std::vector<uint32_t>>(fixedKernel(sigma));
    const int radius = int(k->size()) / 2;
    const size_t rowBytes = size_t(w) * size_t(C);
    std::vector<uint32_t> line((size_t(w) + 2 * size_t(radius)) * size_t(C));
    uint32_t *mid = line.data() + size_t(radius) * size_t(C);
    std::vector<const uint8_t *> rows(size_t(2 * radius + 1));
    for (int y = 0; y < h; ++y) {
        if (!cached)  // `cached-kernels` off: the kernel (exp() per tap) rebuilt per row
            k = std::make_shared<const std::vector<uint32_t>>(fixedKernel(sigma));
        for (int t = -radius; t <= radius; ++t)
            rows[size_t(t + radius)] = src.row(std::clamp(y + t, 0, h - 1));
        blurColumn(rows.data(), k->data(), radius, mid, rowBytes);
        for (int p = 0; p < radius; ++p) {
            for (int c = 0; c < C; ++c) {
                line[size_t(p * C + c)] = mid[c];
                mid[rowBytes + size_t(p * C + c)] = mid[rowBytes - size_t(C) + size_t(c)];
            }
        }
        blurRow(mid, C, k->data(), radius, dst.row(y), rowBytes);
    }
}

} // namespace

PixelBuffer blurNaive(const PixelBuffer &src, double sigma, bool cachedKernel)
{
    PixelBuffer dst(src.width(), src.height(), src.channels());
    naiveRows(src, dst, sigma, cachedKernel);
    return dst;
}

PixelBuffer blurSeparable(const PixelBuffer &src, double sigma, bool cachedKernel)
{
    PixelBuffer dst(src.width(), src.height(), src.channels());
    separableRows(src, dst, sigma, cachedKernel);
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
