// resize: to exactly W x H (stretch), or fit / fill. Two samplers side by side:
// nearest neighbour (the demo's baseline) and antialiased Lanczos-3 in fixed
// point (toggle `lanczos`), and for Lanczos two ways of getting the weights
// (toggle `cached-kernels`).
#include "kernels.h"

#include <QHash>
#include <QMutex>

#include <algorithm>
#include <cmath>

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

template <int C>
void lanczosRows(const PixelBuffer &src, PixelBuffer &dst, const ResizePlan &plan, bool cached)
{
    const AxisGeometry gx { src.width(), plan.box.x0, plan.box.x1, plan.width };
    const AxisGeometry gy { src.height(), plan.box.y0, plan.box.y1, plan.height };
    std::shared_ptr<const AxisWeights> wy =
            cached ? cachedAxisWeights(gy) : std::make_shared<const AxisWeights>(computeAxisWeights(gy));
    std::shared_ptr<const AxisWeights> wx;
    if (cached)
        wx = cachedAxisWeights(gx);

    // Horizontal pass over the source rows the vertical pass needs.
    const int rowFirst = wy->first.front();
    int rowEnd = rowFirst;
    for (int o = 0; o < plan.height; ++o)
        rowEnd = std::max(rowEnd, wy->first[size_t(o)] + wy->count[size_t(o)]);
    const int rows = rowEnd - rowFirst;
    const size_t midStride = size_t(plan.width) * C;
    std::vector<uint8_t> mid(midStride * size_t(rows));

    AxisWeights perRow;
    if (!cached) {
        perRow.taps = axisTaps(gx);
        perRow.first.resize(size_t(plan.width));
        perRow.count.resize(size_t(plan.width));
        perRow.weights.resize(size_t(plan.width) * size_t(perRow.taps));
    }
    for (int r = 0; r < rows; ++r) {
        if (!cached) {
            // The waste of `cached-kernels` off: the same weights, recomputed
            // (sin() twice per tap) for every source row.
            for (int o = 0; o < plan.width; ++o)
                sampleWeights(gx, o, perRow.taps, &perRow.first[size_t(o)],
                              &perRow.count[size_t(o)],
                              &perRow.weights[size_t(o) * size_t(perRow.taps)]);
        }
        const AxisWeights &w = cached ? *wx : perRow;
        const uint8_t *s = src.row(rowFirst + r);
        uint8_t *m = mid.data() + midStride * size_t(r);
        for (int o = 0; o < plan.width; ++o) {
            const int32_t *k = &w.weights[size_t(o) * size_t(w.taps)];
            const uint8_t *p = s + size_t(w.first[size_t(o)]) * C;
            const int n = w.count[size_t(o)];
            int64_t acc[C] = {};
            for (int i = 0; i < n; ++i)
                for (int c = 0; c < C; ++c)
                    acc[c] += int64_t(k[i]) * p[i * C + c];
            for (int c = 0; c < C; ++c)
                m[o * C + c] = clampFixed(acc[c]);
        }
    }

    // Vertical pass: contiguous rows, vectorisable over the row.
    std::vector<int32_t> acc(midStride);
    for (int o = 0; o < plan.height; ++o) {
        const int32_t *k = &wy->weights[size_t(o) * size_t(wy->taps)];
        const int first = wy->first[size_t(o)] - rowFirst;
        const int n = wy->count[size_t(o)];
        std::fill(acc.begin(), acc.end(), 1 << (WeightBits - 1));
        for (int i = 0; i < n; ++i) {
            const uint8_t *m = mid.data() + midStride * size_t(first + i);
            const int32_t w = k[i];
            int32_t *a = acc.data();
            for (size_t j = 0; j < midStride; ++j)
                a[j] += w * int32_t(m[j]);
        }
        uint8_t *d = dst.row(o);
        for (size_t j = 0; j < midStride; ++j) {
            const int32_t v = acc[j] >> WeightBits;
            d[j] = uint8_t(v < 0 ? 0 : (v > 255 ? 255 : v));
        }
    }
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
    PixelBuffer dst(plan.width, plan.height, src.channels());
    if (src.channels() == 4)
        lanczosRows<4>(src, dst, plan, cachedWeights);
    else
        lanczosRows<3>(src, dst, plan, cachedWeights);
    return dst;
}

PixelBuffer resizeImage(const PixelBuffer &src, const ResizePlan &plan, const ToggleSet &toggles)
{
    if (toggles.isOn(ToggleId::Lanczos))
        return resizeLanczos(src, plan, toggles.isOn(ToggleId::CachedKernels));
    return resizeNearest(src, plan);
}

} // namespace pixelperf
