// blur: Gaussian, sigma = radius, edges extended. Two implementations side by
// side (toggle `separable-blur`): a naive 2-D convolution, O(r^2) per pixel,
// and two 1-D passes, O(r) per pixel. Both compute the same numbers the same
// way, so their outputs are identical: later stages amplify differences, and
// the toggle must not change the output.
//
// The arithmetic has two forms, chosen by the kernel's radius r, and each
// path uses the same one. The kernel is symmetric, so the two values at
// distance d from the centre share a product in both.
//  - narrow (r <= 30, sigma up to 10: every usual setting): 16-bit fixed
//    point, the form vector units are widest in. The 1-D kernel in Q15
//    (summing to 1.0 = 32768), values with 6 fractional bits, and each term
//    rounded as it is taken, term(x, k) = round(x k / 2^15), the pattern
//    compilers turn into one pmulhrsw. The vertical sum of bytes,
//    V = term(c << 6, k_0) + sum_d term((a + b) << 6, k_d), has 6
//    fractional bits; the horizontal sum of those, taken the same way, is
//    rounded to a byte (ties down, as the terms' went up). Every sum stays below 2^15; the terms' rounding
//    costs at most (r + 1) / 2 units of 2^-6 a pass, so under half a grey
//    level in all, and a flat image stays flat.
//  - wide (longer kernels): 12-bit weights and exact 32-bit sums, rounded
//    once (the terms' rounding would add up to more than half a level).
#include "pipeline/stages/blur.h"
#include "pipeline/stages/cancel.h"
#include "pipeline/stages/fixedpoint.h"
#include "pipeline/stages/handoff.h"

#include "pipeline/schedule.h"
#include "pipeline/stages/simd.h"

#include <QMutex>

#include <algorithm>
#include <cmath>
#include <map>

namespace pixelperf {

namespace {
int radiusOf(double sigma)
{
    return std::max(1, int(std::ceil(3.0 * sigma)));
}
} // namespace

std::vector<double> gaussianKernel(double sigma)
{
    const int radius = radiusOf(sigma);
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

constexpr int NarrowMaxRadius = 30;
constexpr int FracBits = 6; // narrow: of the vertical sums, and of the horizontal before rounding
// Narrow: the horizontal sum is rounded to a byte with its ties going down,
// as each term's went up (the resize's rule too). Ties up there measurably
// biased the output: 0.08 dB further from Pillow's.
constexpr int FinalBias = (1 << (FracBits - 1)) - 1;
constexpr int WideBits = 12; // wide: weights summing to 4096; a 2-D sum < 255 * 2^24 + 2^23 fits uint32
constexpr uint32_t WideRound = uint32_t(1) << (2 * WideBits - 1);

// The quantised 1-D kernel, in one form or the other. The rounding residue
// goes to the centre, so the weights sum to exactly 1.0 (a flat image stays
// flat); in Q15 the centre stays below 2^15, the largest pmulhrsw factor,
// when sigma is tiny.
struct BlurKernel {
    int radius = 0;
    bool narrow = true;
    std::vector<int16_t> q15; // narrow: k_0 .. k_r
    std::vector<uint32_t> q12; // wide: k_0 .. k_r
};

BlurKernel makeKernel(double sigma)
{
    const std::vector<double> k = gaussianKernel(sigma);
    BlurKernel b;
    b.radius = int(k.size()) / 2;
    b.narrow = b.radius <= NarrowMaxRadius;
    const double unit = b.narrow ? 32768.0 : double(1 << WideBits);
    std::vector<int32_t> q(size_t(b.radius) + 1);
    int64_t total = 0;
    for (int d = 0; d <= b.radius; ++d) {
        q[size_t(d)] = int32_t(std::lround(k[size_t(b.radius + d)] * unit));
        total += d == 0 ? q[0] : 2 * int64_t(q[size_t(d)]);
    }
    q[0] = int32_t(std::min<int64_t>(b.narrow ? 32767 : INT32_MAX, q[0] + (int64_t(unit) - total)));
    if (b.narrow)
        b.q15.assign(q.begin(), q.end());
    else
        b.q12.assign(q.begin(), q.end());
    return b;
}

// round(x k / 2^15), ties up; x and k below 2^15. What pmulhrsw computes.
inline int term(int x, int k)
{
    return ((x * k >> 14) + 1) >> 1;
}

void naiveRows(const PixelBuffer &src, PixelBuffer &dst, double sigma, bool cached)
{
    const int w = src.width();
    const int h = src.height();
    const int C = src.channels();
    BlurKernel k = makeKernel(sigma);
    const int radius = k.radius;
    std::vector<int64_t> column(size_t(2 * radius + 1));
    for (int y = 0; y < h; ++y) {
        if (stageCancelRequested())
            return; // seconds per image on large outputs: honour a cancel mid-image
        // `cached-kernels` off: the kernel (exp() per tap) rebuilt per row.
        if (!cached)
            k = makeKernel(sigma);
        uint8_t *d = dst.row(y);
        for (int x = 0; x < w; ++x) {
            for (int c = 0; c < C; ++c) {
                // Every output value visits all n^2 neighbours: the vertical
                // sum of each of its n columns, then their weighted sum. A
                // column's sum is never shared with the n pixels that need
                // it too; that sharing is the separable version's saving.
                auto at = [&](int yy, int xx) {
                    return int(src.row(std::clamp(yy, 0, h - 1))[std::clamp(xx, 0, w - 1) * C + c]);
                };
                for (int i = -radius; i <= radius; ++i) {
                    int64_t v;
                    if (k.narrow) {
                        v = term(at(y, x + i) << FracBits, k.q15[0]);
                        for (int dd = 1; dd <= radius; ++dd)
                            v += term((at(y - dd, x + i) + at(y + dd, x + i)) << FracBits, k.q15[size_t(dd)]);
                    } else {
                        v = int64_t(k.q12[0]) * at(y, x + i);
                        for (int dd = 1; dd <= radius; ++dd)
                            v += int64_t(k.q12[size_t(dd)]) * (at(y - dd, x + i) + at(y + dd, x + i));
                    }
                    column[size_t(i + radius)] = v;
                }
                const int64_t *mid = &column[size_t(radius)];
                if (k.narrow) {
                    int acc = term(int(mid[0]), k.q15[0]);
                    for (int dd = 1; dd <= radius; ++dd)
                        acc += term(int(mid[-dd] + mid[dd]), k.q15[size_t(dd)]);
                    d[x * C + c] = uint8_t(std::clamp((acc + FinalBias) >> FracBits, 0, 255));
                } else {
                    int64_t acc = WideRound + int64_t(k.q12[0]) * mid[0];
                    for (int dd = 1; dd <= radius; ++dd)
                        acc += int64_t(k.q12[size_t(dd)]) * (mid[-dd] + mid[dd]);
                    d[x * C + c] = uint8_t(acc >> (2 * WideBits));
                }
            }
        }
    }
}

// The separable passes, vectorised: each runs along a row in blocks of
// Block values whose sums stay in vector registers through all the taps.
// Inlined into the clones below, so compiled for their targets.
constexpr size_t Block = 64;

// Vertical: V for one row from the 2r + 1 rows around it, which hold bytes
// already shifted to 6 fractional bits (a + b then fits 15 bits); values
// i0 .. i0 + m of the row.
template <size_t M>
__attribute__((always_inline)) inline void verticalBlock(
    const int16_t *const *rows, size_t i0, const int16_t *kc, int radius, int16_t *__restrict out, size_t m)
{
    int16_t acc[M];
    const int16_t *__restrict c = rows[radius] + i0;
    const int32_t k0 = kc[0];
    for (size_t j = 0; j < m; ++j)
        acc[j] = int16_t((((int32_t(c[j]) * k0) >> 14) + 1) >> 1);
    for (int d = 1; d <= radius; ++d) {
        const int16_t *__restrict a = rows[radius - d] + i0;
        const int16_t *__restrict b = rows[radius + d] + i0;
        const int32_t kd = kc[d];
        for (size_t j = 0; j < m; ++j)
            acc[j] = int16_t(acc[j] + int16_t((((int32_t(int16_t(a[j] + b[j])) * kd) >> 14) + 1) >> 1));
    }
    for (size_t j = 0; j < m; ++j)
        out[i0 + j] = acc[j];
}

PIXELPERF_VECTOR_CLONES
void blurVertical(const int16_t *const *rows, const int16_t *kc, int radius, int16_t *out, size_t n)
{
    size_t i0 = 0;
    for (; i0 + Block <= n; i0 += Block)
        verticalBlock<Block>(rows, i0, kc, radius, out, Block);
    if (i0 < n)
        verticalBlock<Block>(rows, i0, kc, radius, out, n - i0);
}

// Horizontal: one output row from the vertical sums, edge-padded by r
// pixels each side; neighbours are `channels` values apart.
template <size_t M>
__attribute__((always_inline)) inline void horizontalBlock(
    const int16_t *centre, int channels, const int16_t *kc, int radius, uint8_t *__restrict out, size_t m)
{
    int16_t acc[M];
    const int16_t *__restrict c = centre;
    const int32_t k0 = kc[0];
    for (size_t j = 0; j < m; ++j)
        acc[j] = int16_t((((int32_t(c[j]) * k0) >> 14) + 1) >> 1);
    for (int d = 1; d <= radius; ++d) {
        const int16_t *__restrict a = centre - ptrdiff_t(d) * channels;
        const int16_t *__restrict b = centre + ptrdiff_t(d) * channels;
        const int32_t kd = kc[d];
        for (size_t j = 0; j < m; ++j)
            acc[j] = int16_t(acc[j] + int16_t((((int32_t(int16_t(a[j] + b[j])) * kd) >> 14) + 1) >> 1));
    }
    for (size_t j = 0; j < m; ++j) {
        const auto v = int16_t(int16_t(acc[j] + FinalBias) >> FracBits); // 16 bits all the way
        out[j] = uint8_t(v > 255 ? 255 : v); // never negative: every term is >= 0
    }
}

PIXELPERF_VECTOR_CLONES
void blurHorizontal(
    const int16_t *centre, int channels, const int16_t *kc, int radius, uint8_t *out, size_t n)
{
    size_t i0 = 0;
    for (; i0 + Block <= n; i0 += Block)
        horizontalBlock<Block>(centre + i0, channels, kc, radius, out + i0, Block);
    if (i0 < n)
        horizontalBlock<Block>(centre + i0, channels, kc, radius, out + i0, n - i0);
}

// Wide, vertical: the exact column sums for one row, at most 255 * 4096.
PIXELPERF_VECTOR_CLONES
void wideVertical(const uint8_t *const *rows, const uint32_t *kc, int radius, uint32_t *out, size_t n)
{
    const uint8_t *__restrict c = rows[radius];
    uint32_t *__restrict o = out;
    for (size_t j = 0; j < n; ++j)
        o[j] = kc[0] * c[j];
    for (int d = 1; d <= radius; ++d) {
        const uint8_t *__restrict a = rows[radius - d];
        const uint8_t *__restrict b = rows[radius + d];
        const uint32_t kd = kc[d];
        for (size_t j = 0; j < n; ++j)
            o[j] += kd * uint32_t(a[j] + b[j]);
    }
}

// Wide, horizontal: over the edge-padded column sums, rounded once.
PIXELPERF_VECTOR_CLONES
void wideHorizontal(
    const uint32_t *centre, int channels, const uint32_t *kc, int radius, uint8_t *out, size_t n)
{
    constexpr size_t Chunk = 512;
    uint32_t acc[Chunk];
    for (size_t i0 = 0; i0 < n; i0 += Chunk) {
        const size_t m = std::min(Chunk, n - i0);
        const uint32_t *__restrict c = centre + i0;
        for (size_t j = 0; j < m; ++j)
            acc[j] = kc[0] * c[j] + WideRound;
        for (int d = 1; d <= radius; ++d) {
            const uint32_t *__restrict a = c - ptrdiff_t(d) * channels;
            const uint32_t *__restrict b = c + ptrdiff_t(d) * channels;
            const uint32_t kd = kc[d];
            for (size_t j = 0; j < m; ++j)
                acc[j] += kd * (a[j] + b[j]);
        }
        uint8_t *__restrict o = out + i0;
        for (size_t j = 0; j < m; ++j)
            o[j] = uint8_t(acc[j] >> (2 * WideBits));
    }
}

// Memoized per sigma (`cached-kernels`): a folder's images share one kernel.
std::shared_ptr<const BlurKernel> cachedKernel(double sigma)
{
    static QMutex mutex;
    static std::map<double, std::shared_ptr<const BlurKernel>> cache;
    QMutexLocker lock(&mutex);
    if (cache.size() > 16 && !cache.count(sigma))
        cache.clear();
    auto &slot = cache[sigma];
    if (!slot)
        slot = std::make_shared<const BlurKernel>(makeKernel(sigma));
    return slot;
}

// A row's values with `radius` pixels of edge padding each side, the
// middle written first: the edge pixels are copied outwards.
template <typename T> void padEdges(T *mid, size_t rowValues, int channels, int radius)
{
    for (int p = 0; p < radius; ++p) {
        for (int c = 0; c < channels; ++c) {
            mid[-ptrdiff_t((p + 1) * channels) + c] = mid[c];
            mid[rowValues + size_t(p * channels + c)] = mid[rowValues - size_t(channels) + size_t(c)];
        }
    }
}

// `dst` may be `src` when the kernel is narrow: then every source row is
// read once, into the ring, before its own output row is written (a row
// enters the window, at its bottom, before the window reaches it).
void separableRows(const PixelBuffer &src, PixelBuffer &dst, double sigma, bool cached)
{
    const int w = src.width();
    const int h = src.height();
    const int C = src.channels();
    std::shared_ptr<const BlurKernel> k
        = cached ? cachedKernel(sigma) : std::make_shared<const BlurKernel>(makeKernel(sigma));
    const int radius = k->radius;
    const int n = 2 * radius + 1;
    const size_t rowValues = size_t(w) * size_t(C);
    const size_t padded = (size_t(w) + 2 * size_t(radius)) * size_t(C);
    std::vector<const int16_t *> rows16(static_cast<size_t>(n));
    std::vector<const uint8_t *> rows8(static_cast<size_t>(n));
    std::vector<int16_t> line16(k->narrow ? padded : 0);
    std::vector<uint32_t> line32(k->narrow ? 0 : padded);
    // Narrow: each source row widened once, into a ring of n rows (the
    // window of successive output rows only moves down); a PixelBuffer
    // twice as wide, so the pool and the byte counts see it.
    PixelBuffer ring(k->narrow ? w * 2 : 0, k->narrow ? n : 0, C);
    auto ringRow = [&](int slot) { return reinterpret_cast<int16_t *>(ring.row(slot)); };
    std::vector<int> held(size_t(n), -1);
    for (int y = 0; y < h; ++y) {
        if (!cached) // `cached-kernels` off: the kernel (exp() per tap) rebuilt per row
            k = std::make_shared<const BlurKernel>(makeKernel(sigma));
        for (int t = -radius; t <= radius; ++t) {
            const int sy = std::clamp(y + t, 0, h - 1);
            if (!k->narrow) {
                rows8[size_t(t + radius)] = src.row(sy);
                continue;
            }
            const int slot = sy % n;
            if (held[size_t(slot)] != sy) {
                widenBytes(src.row(sy), ringRow(slot), rowValues, FracBits);
                held[size_t(slot)] = sy;
            }
            rows16[size_t(t + radius)] = ringRow(slot);
        }
        if (k->narrow) {
            int16_t *mid = line16.data() + size_t(radius) * size_t(C);
            blurVertical(rows16.data(), k->q15.data(), radius, mid, rowValues);
            padEdges(mid, rowValues, C, radius);
            blurHorizontal(mid, C, k->q15.data(), radius, dst.row(y), rowValues);
        } else {
            uint32_t *mid = line32.data() + size_t(radius) * size_t(C);
            wideVertical(rows8.data(), k->q12.data(), radius, mid, rowValues);
            padEdges(mid, rowValues, C, radius);
            wideHorizontal(mid, C, k->q12.data(), radius, dst.row(y), rowValues);
        }
    }
}

} // namespace

PixelBuffer blurNaive(const PixelBuffer &src, double sigma, bool cachedKernel)
{
    PixelBuffer dst(src.width(), src.height(), src.channels());
    naiveRows(src, dst, sigma, cachedKernel);
    return dst;
}

PixelBuffer blurSeparable(PixelBuffer img, double sigma, bool cachedKernel)
{
    // Narrow: in place, no second image. Wide reads the source rows
    // themselves, so it writes a new one.
    if (radiusOf(sigma) <= NarrowMaxRadius) {
        separableRows(img, img, sigma, cachedKernel);
        return img;
    }
    PixelBuffer dst(img.width(), img.height(), img.channels());
    separableRows(img, dst, sigma, cachedKernel);
    return dst;
}

PixelBuffer blurImage(PixelBuffer src, double sigma, const Schedule &schedule)
{
    if (schedule.separableBlur)
        return blurSeparable(std::move(src), sigma, schedule.cachedKernels);
    return blurNaive(src, sigma, schedule.cachedKernels);
}

PixelBuffer blurStage(PixelBuffer &working, const PipelineParams &params, const Schedule &schedule)
{
    return stageOutput(blurImage(stageInput(working, schedule), params.blurRadius, schedule));
}

} // namespace pixelperf
