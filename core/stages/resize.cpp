// resize: to exactly W x H (stretch), or fit / fill. Two samplers side by side:
// nearest neighbour (the demo's baseline) and antialiased Lanczos-3 in fixed
// point (toggle `lanczos`), and for Lanczos two ways of getting the weights
// (toggle `cached-kernels`).
#include "kernels.h"
#include "simd.h"

#include <QHash>
#include <QMutex>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace pixelperf {

ResizePlan planResize(int srcWidth, int srcHeight, int width, int height, ResizeMode mode)
{
    ResizePlan plan { width, height, { 0, 0, double(srcWidth), double(srcHeight) } };
    const double srcAspect = double(srcWidth) / srcHeight;
    const double dstAspect = double(width) / height;
    if (mode == ResizeMode::Fit) {
        if (srcAspect > dstAspect)
            plan.height = std::max(1, int(std::lround(width / srcAspect)));
        else
            plan.width = std::max(1, int(std::lround(height * srcAspect)));
    } else if (mode == ResizeMode::Fill) {
        if (srcAspect > dstAspect) {
            const double w = srcHeight * dstAspect;
            plan.box.x0 = (srcWidth - w) / 2;
            plan.box.x1 = plan.box.x0 + w;
        } else {
            const double h = srcWidth / dstAspect;
            plan.box.y0 = (srcHeight - h) / 2;
            plan.box.y1 = plan.box.y0 + h;
        }
    }
    return plan;
}

namespace {

template <int C>
void nearestRows(const PixelBuffer &src, PixelBuffer &dst, const ResizePlan &plan)
{
    const double sx = (plan.box.x1 - plan.box.x0) / plan.width;
    const double sy = (plan.box.y1 - plan.box.y0) / plan.height;
    std::vector<int> xs(size_t(plan.width));
    for (int x = 0; x < plan.width; ++x)
        xs[size_t(x)] = std::min(src.width() - 1, int(plan.box.x0 + (x + 0.5) * sx));
    for (int y = 0; y < plan.height; ++y) {
        const int srcY = std::min(src.height() - 1, int(plan.box.y0 + (y + 0.5) * sy));
        const uint8_t *s = src.row(srcY);
        uint8_t *d = dst.row(y);
        for (int x = 0; x < plan.width; ++x) {
            const uint8_t *p = s + size_t(xs[size_t(x)]) * C;
            for (int c = 0; c < C; ++c)
                d[x * C + c] = p[c];
        }
    }
}

// Lanczos-3 weights for one axis, in the manner of Pillow's resampler:
// support scales with the reduction factor (antialiasing), each output
// sample's weights are normalised, then quantised to 22-bit fixed point.
constexpr int WeightBits = 22;

double sinc(double x)
{
    if (x == 0.0)
        return 1.0;
    x *= M_PI;
    return std::sin(x) / x;
}

double lanczos3(double x)
{
    return (x > -3.0 && x < 3.0) ? sinc(x) * sinc(x / 3.0) : 0.0;
}

struct AxisWeights {
    int taps = 0;                  // weights per output sample (padded)
    std::vector<int> first;        // first source index per output sample
    std::vector<int> count;        // used taps per output sample
    std::vector<int32_t> weights;  // taps per output sample, fixed point
};

struct AxisGeometry {
    int srcSize;
    double in0;
    double in1;
    int outSize;
    bool operator==(const AxisGeometry &o) const
    {
        return srcSize == o.srcSize && in0 == o.in0 && in1 == o.in1 && outSize == o.outSize;
    }
};

size_t qHash(const AxisGeometry &g, size_t seed = 0)
{
    return ::qHash(g.srcSize, seed) ^ ::qHash(g.in0, seed) ^ ::qHash(g.in1, seed)
            ^ ::qHash(g.outSize, seed);
}

int axisTaps(const AxisGeometry &g)
{
    const double scale = std::max(1.0, (g.in1 - g.in0) / g.outSize);
    return int(std::ceil(3.0 * scale)) * 2 + 1;
}

// Weights of one output sample `o` of an axis.
void sampleWeights(const AxisGeometry &g, int o, int taps, int *first, int *count, int32_t *w)
{
    const double scale = (g.in1 - g.in0) / g.outSize;
    const double filterScale = std::max(1.0, scale);
    const double support = 3.0 * filterScale;
    const double center = g.in0 + (o + 0.5) * scale;
    const int lo = std::max(0, int(center - support + 0.5));
    const int hi = std::min(g.srcSize, int(center + support + 0.5));
    const int n = std::min(taps, std::max(0, hi - lo));
    thread_local std::vector<double> raw;
    raw.resize(size_t(std::max(taps, 1)));
    double total = 0;
    for (int i = 0; i < n; ++i) {
        raw[size_t(i)] = lanczos3((i + lo - center + 0.5) / filterScale);
        total += raw[size_t(i)];
    }
    for (int i = 0; i < taps; ++i) {
        const double v = (i < n && total != 0.0) ? raw[size_t(i)] / total : 0.0;
        w[i] = int32_t(std::lround(v * (1 << WeightBits)));
    }
    *first = lo;
    *count = n;
}

AxisWeights computeAxisWeights(const AxisGeometry &g)
{
    AxisWeights a;
    a.taps = axisTaps(g);
    a.first.resize(size_t(g.outSize));
    a.count.resize(size_t(g.outSize));
    a.weights.resize(size_t(g.outSize) * size_t(a.taps));
    for (int o = 0; o < g.outSize; ++o)
        sampleWeights(g, o, a.taps, &a.first[size_t(o)], &a.count[size_t(o)],
                      &a.weights[size_t(o) * size_t(a.taps)]);
    return a;
}

// Memoized across images and runs: a folder of same-sized photos computes
// its weights once.
std::shared_ptr<const AxisWeights> cachedAxisWeights(const AxisGeometry &g)
{
    static QMutex mutex;
    static QHash<AxisGeometry, std::shared_ptr<const AxisWeights>> cache;
    {
        QMutexLocker lock(&mutex);
        auto it = cache.constFind(g);
        if (it != cache.constEnd())
            return it.value();
    }
    auto weights = std::make_shared<const AxisWeights>(computeAxisWeights(g));
    QMutexLocker lock(&mutex);
    if (cache.size() > 64)
        cache.clear();
    cache.insert(g, weights);
    return weights;
}

inline uint8_t clampFixed(int64_t acc)
{
    const int64_t v = (acc + (int64_t(1) << (WeightBits - 1))) >> WeightBits;
    return uint8_t(v < 0 ? 0 : (v > 255 ? 255 : v));
}

// One output row as a weighted sum of `taps` input rows, element by element.
// Chunked so the int32 accumulators stay in L1; each tap is one contiguous
// multiply-add sweep the compiler vectorises.
PIXELPERF_VECTOR_CLONES
void convolveRows(const uint8_t *const *rows, const int32_t *w, int taps, uint8_t *out, size_t n)
{
    constexpr size_t Chunk = 512;
    int32_t acc[Chunk];
    for (size_t i0 = 0; i0 < n; i0 += Chunk) {
        const size_t m = std::min(Chunk, n - i0);
        for (size_t j = 0; j < m; ++j)
            acc[j] = 1 << (WeightBits - 1);
        int t = 0;
        for (; t + 1 < taps; t += 2) {  // two taps per sweep: half the acc traffic
            const uint8_t *__restrict r0 = rows[t] + i0;
            const uint8_t *__restrict r1 = rows[t + 1] + i0;
            const int32_t w0 = w[t], w1 = w[t + 1];
            for (size_t j = 0; j < m; ++j)
                acc[j] += w0 * int32_t(r0[j]) + w1 * int32_t(r1[j]);
        }
        if (t < taps) {
            const uint8_t *__restrict r = rows[t] + i0;
            const int32_t wt = w[t];
            for (size_t j = 0; j < m; ++j)
                acc[j] += wt * int32_t(r[j]);
        }
        uint8_t *__restrict o = out + i0;
        for (size_t j = 0; j < m; ++j) {
            const int32_t v = acc[j] >> WeightBits;
            o[j] = uint8_t(v < 0 ? 0 : (v > 255 ? 255 : v));
        }
    }
}

// dst(x, y) = src(y, x) for C-byte pixels; src is w x h, dst is h x w.
// Tiled; reads run along source rows, the strided side is the writes.
template <int C>
void transpose(const PixelBuffer &src, PixelBuffer &dst)
{
    constexpr int Tile = 16;
    const int w = src.width();
    const int h = src.height();
    uint8_t *out[Tile];
    for (int x0 = 0; x0 < w; x0 += Tile) {
        const int x1 = std::min(w, x0 + Tile);
        for (int x = x0; x < x1; ++x)
            out[x - x0] = dst.row(x);
        for (int y0 = 0; y0 < h; y0 += Tile) {
            const int y1 = std::min(h, y0 + Tile);
            for (int y = y0; y < y1; ++y) {
                const uint8_t *p = src.row(y) + size_t(x0) * C;
                const size_t at = size_t(y) * C;
                for (int x = 0; x < x1 - x0; ++x, p += C)
                    std::memcpy(out[x] + at, p, C);
            }
        }
    }
}

// Vertical pass: `dst` row o = weighted rows of `src` (same width).
void verticalPass(const PixelBuffer &src, PixelBuffer &dst, const AxisWeights &w)
{
    std::vector<const uint8_t *> rows(size_t(std::max(1, w.taps)));
    for (int o = 0; o < dst.height(); ++o) {
        const int n = w.count[size_t(o)];
        for (int t = 0; t < n; ++t)
            rows[size_t(t)] = src.row(w.first[size_t(o)] + t);
        convolveRows(rows.data(), &w.weights[size_t(o) * size_t(w.taps)], n, dst.row(o), dst.stride());
    }
}

// `cached-kernels` on: weights memoized per geometry; the horizontal pass
// runs as a vertical pass over the transposed image, so both passes are
// contiguous vector loops.
template <int C>
PixelBuffer lanczosTransposed(const PixelBuffer &src, const ResizePlan &plan)
{
    const AxisGeometry gx { src.width(), plan.box.x0, plan.box.x1, plan.width };
    const AxisGeometry gy { src.height(), plan.box.y0, plan.box.y1, plan.height };
    const std::shared_ptr<const AxisWeights> wy = cachedAxisWeights(gy);
    const std::shared_ptr<const AxisWeights> wx = cachedAxisWeights(gx);

    PixelBuffer mid(src.width(), plan.height, C);
    verticalPass(src, mid, *wy);
    PixelBuffer midT(plan.height, src.width(), C);
    transpose<C>(mid, midT);
    mid.reset();
    PixelBuffer outT(plan.height, plan.width, C);
    verticalPass(midT, outT, *wx);
    midT.reset();
    PixelBuffer dst(plan.width, plan.height, C);
    transpose<C>(outT, dst);
    return dst;
}

// `cached-kernels` off: the textbook loops, with every weight computed where
// it is used. The vertical weights are computed per output row; the
// horizontal ones, the same for every row, are recomputed (sin() twice per
// tap) for every row.
template <int C>
PixelBuffer lanczosDirect(const PixelBuffer &src, const ResizePlan &plan)
{
    const AxisGeometry gx { src.width(), plan.box.x0, plan.box.x1, plan.width };
    const AxisGeometry gy { src.height(), plan.box.y0, plan.box.y1, plan.height };

    PixelBuffer mid(src.width(), plan.height, C);
    AxisWeights one;
    one.taps = axisTaps(gy);
    one.first.resize(1);
    one.count.resize(1);
    one.weights.resize(size_t(one.taps));
    std::vector<const uint8_t *> rows(size_t(one.taps));
    for (int o = 0; o < plan.height; ++o) {
        if (stageCancelRequested())
            return {};  // cancelled: unfinished, and the pipeline drops it
        sampleWeights(gy, o, one.taps, &one.first[0], &one.count[0], one.weights.data());
        for (int t = 0; t < one.count[0]; ++t)
            rows[size_t(t)] = src.row(one.first[0] + t);
        for (size_t j = 0; j < mid.stride(); ++j) {
            int64_t acc = 0;
            for (int t = 0; t < one.count[0]; ++t)
                acc += int64_t(one.weights[size_t(t)]) * rows[size_t(t)][j];
            mid.row(o)[j] = clampFixed(acc);
        }
    }

    PixelBuffer dst(plan.width, plan.height, C);
    AxisWeights wx;
    wx.taps = axisTaps(gx);
    wx.first.resize(size_t(plan.width));
    wx.count.resize(size_t(plan.width));
    wx.weights.resize(size_t(plan.width) * size_t(wx.taps));
    for (int y = 0; y < plan.height; ++y) {
        if (stageCancelRequested())
            return {};
        for (int o = 0; o < plan.width; ++o)
            sampleWeights(gx, o, wx.taps, &wx.first[size_t(o)], &wx.count[size_t(o)],
                          &wx.weights[size_t(o) * size_t(wx.taps)]);
        const uint8_t *s = mid.row(y);
        uint8_t *d = dst.row(y);
        for (int o = 0; o < plan.width; ++o) {
            const int32_t *k = &wx.weights[size_t(o) * size_t(wx.taps)];
            const uint8_t *p = s + size_t(wx.first[size_t(o)]) * C;
            int64_t acc[C] = {};
            for (int i = 0; i < wx.count[size_t(o)]; ++i)
                for (int c = 0; c < C; ++c)
                    acc[c] += int64_t(k[i]) * p[i * C + c];
            for (int c = 0; c < C; ++c)
                d[o * C + c] = clampFixed(acc[c]);
        }
    }
    return dst;
}

} // namespace

PixelBuffer resizeNearest(const PixelBuffer &src, const ResizePlan &plan)
{
    PixelBuffer dst(plan.width, plan.height, src.channels());
    if (src.channels() == 4)
        nearestRows<4>(src, dst, plan);
    else
        nearestRows<3>(src, dst, plan);
    return dst;
}

PixelBuffer resizeLanczos(const PixelBuffer &src, const ResizePlan &plan, bool cachedWeights)
{
    if (src.channels() == 4)
        return cachedWeights ? lanczosTransposed<4>(src, plan) : lanczosDirect<4>(src, plan);
    return cachedWeights ? lanczosTransposed<3>(src, plan) : lanczosDirect<3>(src, plan);
}

PixelBuffer resizeImage(const PixelBuffer &src, const ResizePlan &plan, const ToggleSet &toggles)
{
    if (toggles.isOn(ToggleId::Lanczos))
        return resizeLanczos(src, plan, toggles.isOn(ToggleId::CachedKernels));
    return resizeNearest(src, plan);
}

} // namespace pixelperf
