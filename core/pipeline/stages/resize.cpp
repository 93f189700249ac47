// resize: to exactly W x H (stretch), or fit / fill. Two samplers side by side:
// nearest neighbour (the demo's baseline) and antialiased Lanczos-3 in fixed
// point (toggle `lanczos`), and for Lanczos two ways of getting the weights
// (toggle `cached-kernels`).
#include "pipeline/stages/resize.h"
#include "pipeline/stages/cancel.h"
#include "pipeline/stages/fixedpoint.h"
#include "pipeline/stages/handoff.h"

#include "pipeline/schedule.h"
#include "pipeline/stages/simd.h"

#include <QHash>
#include <QMutex>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>

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

template <int C> void nearestRows(const PixelBuffer &src, PixelBuffer &dst, const ResizePlan &plan)
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
// sample's weights are normalised, then quantised to fixed point.
//
// The arithmetic (the same in both paths of `cached-kernels`, so they agree
// to the byte) has two forms, chosen per axis by its number of taps:
//  - narrow (up to NarrowMaxTaps taps, every shrink-on-load resize): 16-bit.
//    Weights in Q14 (1.0 = 16384), pixels enter as x << 7, and each product
//    is rounded to F fractional bits, term = ((x << 7) * w + 2^14) >> 15
//    = round(x * w * 2^F) with F = 6, and summed in 16 bits. That is one
//    pmulhrsw and one add per 16 values on AVX2, four times the throughput of
//    32-bit multiplies. The rounding costs at most taps/2 units of 2^-F, under
//    a quarter of a grey level, and each sample's F is lowered where its
//    weights need more headroom, so the sum never overflows. Each term
//    rounds its ties up, so the final rounding of the sum breaks its ties
//    down (bias 2^(F-1) - 1): off-by-ones against the exact sum then fall
//    equally often either way. When both axes are narrow the intermediate
//    image keeps 7 fractional bits instead of being rounded to bytes.
//  - wide (more taps: large reductions without shrink-on-load): Q22
//    weights, exact 32-bit products and sums.
constexpr int NarrowMaxTaps = 32;
constexpr int NarrowWeightBits = 14;
constexpr int NarrowInputShift = 7; // 255 << 7 = 32640 fits int16
constexpr int NarrowFracBits = NarrowWeightBits + NarrowInputShift - 15; // 6
constexpr int WideWeightBits = 22;

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
    int taps = 0; // weights per output sample (padded)
    bool narrow = true; // 16-bit arithmetic (see above)
    std::vector<int> first; // first source index per output sample
    std::vector<int> count; // used taps per output sample
    std::vector<int> frac; // narrow: fractional bits of each sample's sum
    std::vector<int16_t> weights; // narrow: taps per output sample, Q(frac + 8)
    std::vector<int32_t> wide; // wide: taps per output sample, Q22
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
    // Output sample o is source sample o: Lanczos weights 1, 0, 0, ...
    bool isIdentity() const { return in0 == 0.0 && in1 == srcSize && outSize == srcSize; }
};

size_t qHash(const AxisGeometry &g, size_t seed = 0)
{
    return ::qHash(g.srcSize, seed) ^ ::qHash(g.in0, seed) ^ ::qHash(g.in1, seed) ^ ::qHash(g.outSize, seed);
}

int axisTaps(const AxisGeometry &g)
{
    const double scale = std::max(1.0, (g.in1 - g.in0) / g.outSize);
    return int(std::ceil(3.0 * scale)) * 2 + 1;
}

bool axisNarrow(const AxisGeometry &g)
{
    return axisTaps(g) <= NarrowMaxTaps;
}

// Quantises normalised weights v[0..n) to `bits` fractional bits with an
// exact unit sum (the rounding residue goes to the largest weight), so a
// flat image stays flat. Returns the sum of magnitudes.
template <typename T> int64_t quantise(const double *v, int n, int bits, T *w)
{
    int64_t total = 0;
    int largest = 0;
    for (int i = 0; i < n; ++i) {
        w[i] = T(std::lround(v[i] * double(int64_t(1) << bits)));
        total += w[i];
        if (std::abs(v[i]) > std::abs(v[largest]))
            largest = i;
    }
    if (n > 0)
        w[largest] = T(w[largest] + ((int64_t(1) << bits) - total));
    int64_t magnitude = 0;
    for (int i = 0; i < n; ++i)
        magnitude += std::abs(int64_t(w[i]));
    return magnitude;
}

// Weights of one output sample `o` of an axis: `taps` entries of `narrow`
// (and its fractional bits in *frac) or of `wide`, zero-padded.
void sampleWeights(
    const AxisGeometry &g, int o, int taps, int *first, int *count, int *frac, int16_t *narrow, int32_t *wide)
{
    const double scale = (g.in1 - g.in0) / g.outSize;
    const double filterScale = std::max(1.0, scale);
    const double support = 3.0 * filterScale;
    const double center = g.in0 + (o + 0.5) * scale;
    const int lo = std::max(0, int(center - support + 0.5));
    const int hi = std::min(g.srcSize, int(center + support + 0.5));
    const int n = std::min(taps, std::max(0, hi - lo));
    thread_local std::vector<double> raw;
    raw.assign(size_t(std::max(taps, 1)), 0.0);
    double total = 0;
    for (int i = 0; i < n; ++i) {
        raw[size_t(i)] = lanczos3((i + lo - center + 0.5) / filterScale);
        total += raw[size_t(i)];
    }
    for (int i = 0; i < n; ++i)
        raw[size_t(i)] = total != 0.0 ? raw[size_t(i)] / total : 0.0;
    *first = lo;
    *count = n;
    if (narrow) {
        std::fill(narrow, narrow + taps, int16_t(0));
        // |sum| <= 255 * magnitude / 2^(bits + 1 - F)... i.e. each term is at
        // most (255 << 7) * |w| / 2^15 + 1/2; with the rounding bias it must
        // stay within int16.
        int f = NarrowFracBits;
        for (; f > 0; --f) {
            const int64_t magnitude = quantise(raw.data(), n, f + 8, narrow);
            if ((255 * magnitude) / 256 + n + (int64_t(1) << (f - 1)) <= 32767)
                break;
        }
        if (f == 0)
            quantise(raw.data(), n, 8, narrow);
        *frac = f;
    } else {
        std::fill(wide, wide + taps, int32_t(0));
        quantise(raw.data(), n, WideWeightBits, wide);
        *frac = WideWeightBits;
    }
}

AxisWeights computeAxisWeights(const AxisGeometry &g)
{
    AxisWeights a;
    a.taps = axisTaps(g);
    a.narrow = axisNarrow(g);
    a.first.resize(size_t(g.outSize));
    a.count.resize(size_t(g.outSize));
    a.frac.resize(size_t(g.outSize));
    (a.narrow ? a.weights.resize(size_t(g.outSize) * size_t(a.taps))
              : a.wide.resize(size_t(g.outSize) * size_t(a.taps)));
    for (int o = 0; o < g.outSize; ++o) {
        const size_t at = size_t(o) * size_t(a.taps);
        sampleWeights(g, o, a.taps, &a.first[size_t(o)], &a.count[size_t(o)], &a.frac[size_t(o)],
            a.narrow ? &a.weights[at] : nullptr, a.narrow ? nullptr : &a.wide[at]);
    }
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

// The scalar forms of the two arithmetics, term by term as the vector loops
// compute them (the uncached path uses these). Narrow samples are 16-bit
// values with 7 fractional bits: a byte x enters as x << 7.
inline int narrowTerm(int a, int w)
{
    return ((a * w >> 14) + 1) >> 1;
}

// Rounding a narrow sum with `frac` fractional bits to a whole value: half
// a unit, less one so ties go down (see the top of the file).
inline int finalBias(int frac)
{
    return frac > 0 ? (1 << (frac - 1)) - 1 : 0;
}

inline uint8_t clampByte(int v)
{
    return uint8_t(v < 0 ? 0 : (v > 255 ? 255 : v));
}

// A narrow sum with `frac` fractional bits, kept at 16 bits for the next
// pass: clamped to 0..255 and returned with 7 fractional bits.
inline int16_t keepNarrow(int acc, int frac)
{
    const int v = acc < 0 ? 0 : (acc > (255 << frac) ? (255 << frac) : acc);
    return int16_t(v << (NarrowInputShift - frac));
}

// Narrow sums with `frac` fractional bits (their bias already added) to
// bytes. The shift is a constant for the usual `frac`: by a variable the
// compiler widened these loops to 32 bits, by an unsigned 16-bit one less.
__attribute__((always_inline)) inline void narrowToBytes(
    const int16_t *acc, int frac, uint8_t *__restrict o, size_t m)
{
    auto store = [&](auto shift) {
        for (size_t j = 0; j < m; ++j) {
            const auto v = int16_t(acc[j] >> shift);
            o[j] = uint8_t(v < 0 ? 0 : (v > 255 ? 255 : v));
        }
    };
    if (frac == NarrowFracBits)
        store(std::integral_constant<int, NarrowFracBits>());
    else
        store(uint16_t(frac));
}

// Narrow: one output row as the weighted sum of `taps` rows of 16-bit
// samples. The term is the pattern compilers turn into pmulhrsw; the sum
// wraps in 16 bits, so the order of additions cannot change it (and the
// weights guarantee it never wraps). `Out` uint8_t: rounded to a byte;
// int16_t: kept with 7 fractional bits (keepNarrow). The row goes in
// blocks of Block values whose sums stay in vector registers through all
// the taps; `m` (<= Block) is the block's length, a constant for whole
// blocks; rowAt(t) is where tap t's values for the block start. Inlined
// into each of the clones below, so it is compiled for their targets.
template <size_t Block, typename Out, typename RowAt>
__attribute__((always_inline)) inline void convolveNarrowBlock(
    RowAt rowAt, const int16_t *w, int taps, int frac, Out *__restrict o, size_t m)
{
    int16_t acc[Block];
    const int16_t bias = int16_t(sizeof(Out) == 1 ? finalBias(frac) : 0);
    // The first tap starts the sums (a separate fill became a rep stos);
    // every output sample has at least one.
    const int16_t *__restrict r0 = rowAt(0);
    const int32_t w0 = w[0];
    for (size_t j = 0; j < m; ++j)
        acc[j] = int16_t(bias + int16_t((((int32_t(r0[j]) * w0) >> 14) + 1) >> 1));
    for (int t = 1; t < taps; ++t) {
        const int16_t *__restrict r = rowAt(t);
        const int32_t wt = w[t];
        for (size_t j = 0; j < m; ++j)
            acc[j] = int16_t(acc[j] + int16_t((((int32_t(r[j]) * wt) >> 14) + 1) >> 1));
    }
    if constexpr (sizeof(Out) == 1) {
        narrowToBytes(acc, frac, o, m);
    } else {
        // keepNarrow(): clamped, then back to 7 fractional bits.
        const int16_t top = int16_t(255 << frac);
        auto store = [&](auto up) {
            for (size_t j = 0; j < m; ++j) {
                const int16_t v = acc[j] < 0 ? int16_t(0) : (acc[j] > top ? top : acc[j]);
                o[j] = Out(v << up);
            }
        };
        if (frac == NarrowFracBits)
            store(std::integral_constant<int, NarrowInputShift - NarrowFracBits>());
        else
            store(uint16_t(NarrowInputShift - frac));
    }
}

template <typename Out>
__attribute__((always_inline)) inline void convolveNarrowBody(
    const int16_t *const *rows, const int16_t *w, int taps, int frac, Out *out, size_t n)
{
    constexpr size_t Block = 64; // four AVX2 registers of sums
    size_t i0 = 0;
    auto rowAt = [&](int t) { return rows[t] + i0; };
    for (; i0 + Block <= n; i0 += Block)
        convolveNarrowBlock<Block>(rowAt, w, taps, frac, out + i0, Block);
    if (i0 < n)
        convolveNarrowBlock<Block>(rowAt, w, taps, frac, out + i0, n - i0);
}

PIXELPERF_VECTOR_CLONES
void convolveNarrow(const int16_t *const *rows, const int16_t *w, int taps, int frac, uint8_t *out, size_t n)
{
    convolveNarrowBody(rows, w, taps, frac, out, n);
}

PIXELPERF_VECTOR_CLONES
void convolveNarrowKeep(
    const int16_t *const *rows, const int16_t *w, int taps, int frac, int16_t *out, size_t n)
{
    convolveNarrowBody(rows, w, taps, frac, out, n);
}

// Output rows per band: the band's buffers (about 300 KB for a 1280-pixel
// wide source) stay in a core's L2 cache.
constexpr int BandRows = 16;

// The horizontal pass of a band (lanczosBanded): one output column's
// BandRows pixels from `taps` rows of them, one after another.
PIXELPERF_VECTOR_CLONES
void convolveBand3(const int16_t *rows, const int16_t *w, int taps, int frac, uint8_t *out)
{
    constexpr int N = BandRows * 3;
    convolveNarrowBlock<N>([&](int t) { return rows + size_t(t) * N; }, w, taps, frac, out, N);
}

PIXELPERF_VECTOR_CLONES
void convolveBand4(const int16_t *rows, const int16_t *w, int taps, int frac, uint8_t *out)
{
    constexpr int N = BandRows * 4;
    convolveNarrowBlock<N>([&](int t) { return rows + size_t(t) * N; }, w, taps, frac, out, N);
}

// Wide: the same with Q22 weights and exact 32-bit sums. Chunked so the
// accumulators stay in L1; two taps per sweep halve their traffic.
PIXELPERF_VECTOR_CLONES
void convolveWide(const uint8_t *const *rows, const int32_t *w, int taps, uint8_t *out, size_t n)
{
    constexpr size_t Chunk = 512;
    int32_t acc[Chunk];
    for (size_t i0 = 0; i0 < n; i0 += Chunk) {
        const size_t m = std::min(Chunk, n - i0);
        for (size_t j = 0; j < m; ++j)
            acc[j] = 1 << (WideWeightBits - 1);
        int t = 0;
        for (; t + 1 < taps; t += 2) {
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
            const int32_t v = acc[j] >> WideWeightBits;
            o[j] = uint8_t(v < 0 ? 0 : (v > 255 ? 255 : v));
        }
    }
}

// dst(x, y) = src(y, x) for C-element pixels: src is w x h (rows by a
// function, in one buffer), dst is h x w at `dst`, `dstStride` elements a
// row. Tiled: each source row's run of Tile pixels goes to Tile destination
// rows, one pointer stepping down them. A pixel is one move, not one per
// sample, and an odd-sized one (3 or 6 bytes) is moved as the next power of
// two: the extra bytes written are the start of the next pixel of that
// destination row, which the next source row writes properly afterwards,
// and the extra bytes read are the next pixel's (or, at a row's end, the
// next row's). Only the last source row moves pixels exactly: its extra
// bytes would land past this call's part of the destination row (in the
// next destination row, already written, or in a later block's pixels, or
// past the end of the buffer). The loop is lightly unrolled: unrolled over
// the whole tile, the compiler kept a pointer per destination row and
// spilled them.
template <int C, typename T, typename SrcRow>
void transposeInto(int w, int h, SrcRow srcRow, T *dst, size_t dstStride)
{
    constexpr int Tile = 32;
    constexpr size_t Exact = sizeof(T) * C;
    constexpr size_t Move = Exact == 3 ? 4 : (Exact == 6 ? 8 : Exact);
    auto rows = [&](int x0, int n, int y0, int y1, auto bytes) {
        T *column = dst + size_t(x0) * dstStride;
        for (int y = y0; y < y1; ++y) {
            const T *p = srcRow(y) + size_t(x0) * C;
            T *d = column + size_t(y) * C;
#pragma GCC unroll 4
            for (int x = 0; x < n; ++x, p += C, d += dstStride)
                std::memcpy(d, p, bytes);
        }
    };
    for (int x0 = 0; x0 < w; x0 += Tile) {
        const int n = std::min(Tile, w - x0);
        rows(x0, n, 0, h - 1, std::integral_constant<size_t, Move>());
        rows(x0, n, h - 1, h, std::integral_constant<size_t, Exact>());
    }
}

// The same, widening bytes to 16-bit samples with 7 fractional bits.
template <int C, typename SrcRow>
void transposeWidenInto(int w, int h, SrcRow srcRow, int16_t *dst, size_t dstStride)
{
    constexpr int Tile = 32;
    for (int x0 = 0; x0 < w; x0 += Tile) {
        const int n = std::min(Tile, w - x0);
        int16_t *column = dst + size_t(x0) * dstStride;
        for (int y = 0; y < h; ++y) {
            const uint8_t *p = srcRow(y) + size_t(x0) * C;
            int16_t *d = column + size_t(y) * C;
            for (int x = 0; x < n; ++x, p += C, d += dstStride)
                for (int c = 0; c < C; ++c)
                    d[c] = int16_t(p[c] << NarrowInputShift);
        }
    }
}

// A buffer of 16-bit samples, `width` x `height` pixels of C samples, held
// in a PixelBuffer twice as wide so the pool and the profiler's byte counts
// see it.
struct WideSamples {
    WideSamples(int width, int height, int channels)
        : bytes(width * 2, height, channels)
    { }
    int16_t *row(int y) { return reinterpret_cast<int16_t *>(bytes.row(y)); }
    const int16_t *row(int y) const { return reinterpret_cast<const int16_t *>(bytes.row(y)); }
    PixelBuffer bytes;
};

// Vertical pass over 8-bit rows: output row o = weighted rows of `src`,
// `n` values a row, handed to `sink(o, rows, weights, count, frac, n)`.
// Narrow: each source row is widened to 16 bits once, into a ring of `taps`
// rows (the windows of successive outputs only move forward).
template <typename Sink>
void verticalNarrow(const PixelBuffer &src, int outRows, const AxisWeights &w, Sink sink)
{
    const size_t n = src.stride();
    const int ring = std::max(1, w.taps);
    WideSamples widened(src.width(), ring, src.channels());
    std::vector<int> held(size_t(ring), -1);
    std::vector<const int16_t *> rows(static_cast<size_t>(ring));
    for (int o = 0; o < outRows; ++o) {
        const int c = w.count[size_t(o)];
        for (int t = 0; t < c; ++t) {
            const int y = w.first[size_t(o)] + t;
            const int slot = y % ring;
            if (held[size_t(slot)] != y) {
                widenBytes(src.row(y), widened.row(slot), n, NarrowInputShift);
                held[size_t(slot)] = y;
            }
            rows[size_t(t)] = widened.row(slot);
        }
        sink(o, rows.data(), &w.weights[size_t(o) * size_t(w.taps)], c, w.frac[size_t(o)], n);
    }
}

// Wide: output row o = weighted 8-bit rows of `src`, by the sink as above.
template <typename Sink>
void verticalWide(const PixelBuffer &src, int outRows, const AxisWeights &w, Sink sink)
{
    std::vector<const uint8_t *> rows(size_t(std::max(1, w.taps)));
    for (int o = 0; o < outRows; ++o) {
        const int c = w.count[size_t(o)];
        for (int t = 0; t < c; ++t)
            rows[size_t(t)] = src.row(w.first[size_t(o)] + t);
        sink(o, rows.data(), &w.wide[size_t(o) * size_t(w.taps)], c, src.stride());
    }
}

// Rows come out of a pass in blocks of this many, and each block is
// transposed into its place while it is still in cache: no full-size
// untransposed intermediate.
constexpr int BlockRows = 16;

// Both axes narrow (every shrink-on-load resize): the work goes in bands of
// BandRows output rows, so that a band's intermediates stay in L2 instead of
// a whole-image intermediate going through L3. Per band: the vertical pass
// (16-bit rows); those rows transposed into `columns`, one row of BandRows
// pixels per source column; the horizontal pass along `columns`, one output
// column's BandRows pixels at a time; transposed into the result.
template <int C>
PixelBuffer lanczosBanded(
    const PixelBuffer &src, const ResizePlan &plan, const AxisWeights &wx, const AxisWeights &wy)
{
    constexpr int N = BandRows * C;
    const int w = src.width();
    const int h = plan.height;
    PixelBuffer dst(plan.width, h, C);
    WideSamples rows(w, BandRows, C);
    WideSamples columns(BandRows, w, C);
    // A band shorter than BandRows (the last, or the only one) leaves the
    // tail of each row of `columns` unwritten by this band: convolved (whole
    // vectors) but not used. Zeroed once, so they always hold defined values.
    std::memset(columns.row(0), 0, columns.bytes.byteSize());
    PixelBuffer out(BandRows, plan.width, C);
    int y0 = 0;
    verticalNarrow(
        src, h, wy, [&](int o, const int16_t *const *taps, const int16_t *k, int c, int frac, size_t n) {
            convolveNarrowKeep(taps, k, c, frac, rows.row(o - y0), n);
            if (o - y0 != BandRows - 1 && o != h - 1)
                return;
            const int bandRows = o - y0 + 1;
            transposeInto<C>(
                w, bandRows, [&](int y) { return rows.row(y); }, columns.row(0), size_t(N));
            for (int x = 0; x < plan.width; ++x) {
                const int16_t *first = columns.row(wx.first[size_t(x)]);
                const int16_t *weights = &wx.weights[size_t(x) * size_t(wx.taps)];
                if constexpr (C == 3)
                    convolveBand3(first, weights, wx.count[size_t(x)], wx.frac[size_t(x)], out.row(x));
                else
                    convolveBand4(first, weights, wx.count[size_t(x)], wx.frac[size_t(x)], out.row(x));
            }
            transposeInto<C>(
                bandRows, plan.width, [&](int x) { return out.row(x); }, dst.row(y0), dst.stride());
            y0 = o + 1;
        });
    return dst;
}

// The vectorised resize. `cached-kernels` chooses only where the weights
// come from: on, memoized per geometry (a folder of same-sized photos
// computes them once); off, computed afresh for every image (every tap a
// sin() pair). The horizontal pass
// runs as a vertical pass over the transposed image, so both passes are
// contiguous vector loops. When both axes are narrow, lanczosBanded does
// this band by band, and the intermediate keeps 16 bits (7 fractional), so
// only the final result is rounded to a byte. An identity vertical axis
// (same size, whole range) is skipped.
template <int C>
PixelBuffer lanczosTransposed(const PixelBuffer &src, const ResizePlan &plan, bool cachedWeights)
{
    const AxisGeometry gx { src.width(), plan.box.x0, plan.box.x1, plan.width };
    const AxisGeometry gy { src.height(), plan.box.y0, plan.box.y1, plan.height };
    auto weightsOf = [cachedWeights](const AxisGeometry &g) {
        return cachedWeights ? cachedAxisWeights(g)
                             : std::make_shared<const AxisWeights>(computeAxisWeights(g));
    };
    const std::shared_ptr<const AxisWeights> wx = weightsOf(gx);
    const std::shared_ptr<const AxisWeights> wy = gy.isIdentity() ? nullptr : weightsOf(gy);
    if (wy && wy->narrow && wx->narrow)
        return lanczosBanded<C>(src, plan, *wx, *wy);
    const int w = src.width();
    const int h = plan.height;

    // Pass 1 (vertical) into midT, the intermediate transposed: h x w
    // pixels, 16-bit when the second pass is narrow.
    WideSamples midT16(wx->narrow ? h : 0, wx->narrow ? w : 0, C);
    PixelBuffer midT8(wx->narrow ? 0 : h, wx->narrow ? 0 : w, C);
    // Rows o0.. of pass 1's output into midT: bytes are widened when midT
    // is 16-bit.
    auto intoMidT = [&](int o0, int rows, auto blockRow) {
        if (wx->narrow)
            transposeWidenInto<C>(w, rows, blockRow, midT16.row(0) + size_t(o0) * C, size_t(h) * C);
        else
            transposeInto<C>(w, rows, blockRow, midT8.row(0) + size_t(o0) * C, size_t(h) * C);
    };
    if (!wy) {
        intoMidT(0, h, [&](int y) { return src.row(y); });
    } else {
        PixelBuffer block(w, BlockRows, C);
        auto flush = [&](int o) {
            if (o % BlockRows != BlockRows - 1 && o != h - 1)
                return;
            intoMidT(o - o % BlockRows, o % BlockRows + 1, [&](int y) { return block.row(y); });
        };
        if (wy->narrow)
            verticalNarrow(src, h, *wy,
                [&](int o, const int16_t *const *rows, const int16_t *k, int c, int frac, size_t n) {
                    convolveNarrow(rows, k, c, frac, block.row(o % BlockRows), n);
                    flush(o);
                });
        else
            verticalWide(
                src, h, *wy, [&](int o, const uint8_t *const *rows, const int32_t *k, int c, size_t n) {
                    convolveWide(rows, k, c, block.row(o % BlockRows), n);
                    flush(o);
                });
    }

    // Pass 2 (horizontal, over midT): output columns in blocks, each
    // transposed into the result.
    PixelBuffer dst(plan.width, plan.height, C);
    PixelBuffer block(h, BlockRows, C);
    auto intoDst = [&](int o) {
        if (o % BlockRows == BlockRows - 1 || o == plan.width - 1)
            transposeInto<C>(
                h, o % BlockRows + 1, [&](int y) { return block.row(y); },
                dst.row(0) + size_t(o - o % BlockRows) * C, dst.stride());
    };
    if (wx->narrow) {
        std::vector<const int16_t *> rows(size_t(std::max(1, wx->taps)));
        for (int o = 0; o < plan.width; ++o) {
            const int c = wx->count[size_t(o)];
            for (int t = 0; t < c; ++t)
                rows[size_t(t)] = midT16.row(wx->first[size_t(o)] + t);
            convolveNarrow(rows.data(), &wx->weights[size_t(o) * size_t(wx->taps)], c, wx->frac[size_t(o)],
                block.row(o % BlockRows), block.stride());
            intoDst(o);
        }
    } else {
        verticalWide(midT8, plan.width, *wx,
            [&](int o, const uint8_t *const *rows, const int32_t *k, int c, size_t n) {
                convolveWide(rows, k, c, block.row(o % BlockRows), n);
                intoDst(o);
            });
    }
    return dst;
}

// The textbook loops, with every weight computed where it is used: the
// reference the vectorised path is tested against (resizeLanczosReference),
// not a toggle's path. The vertical weights are computed per output row; the
// horizontal ones, the same for every row, are recomputed (sin() twice per
// tap) for every row. The intermediate holds values with 7 fractional bits
// (bytes shifted left 7 when it is rounded to bytes), the same numbers the
// transposed path computes.
template <int C> PixelBuffer lanczosDirect(const PixelBuffer &src, const ResizePlan &plan)
{
    const AxisGeometry gx { src.width(), plan.box.x0, plan.box.x1, plan.width };
    const AxisGeometry gy { src.height(), plan.box.y0, plan.box.y1, plan.height };
    const bool narrowX = axisNarrow(gx);
    const bool narrowY = axisNarrow(gy);
    const bool keep = narrowX && narrowY;

    const size_t rowValues = src.stride();
    std::vector<int16_t> mid(rowValues * size_t(plan.height));
    const int tapsY = axisTaps(gy);
    std::vector<int16_t> narrow(static_cast<size_t>(tapsY));
    std::vector<int32_t> wide(static_cast<size_t>(tapsY));
    for (int o = 0; o < plan.height; ++o) {
        if (stageCancelRequested())
            return {}; // cancelled: unfinished, and the pipeline drops it
        int first = 0, count = 0, frac = 0;
        sampleWeights(gy, o, tapsY, &first, &count, &frac, narrowY ? narrow.data() : nullptr,
            narrowY ? nullptr : wide.data());
        for (size_t j = 0; j < rowValues; ++j) {
            int16_t &m = mid[size_t(o) * rowValues + j];
            if (narrowY) {
                int acc = 0;
                for (int i = 0; i < count; ++i)
                    acc += narrowTerm(src.row(first + i)[j] << NarrowInputShift, narrow[size_t(i)]);
                m = keep ? keepNarrow(acc, frac)
                         : int16_t(clampByte((acc + finalBias(frac)) >> frac) << NarrowInputShift);
            } else {
                int64_t acc = int64_t(1) << (WideWeightBits - 1);
                for (int i = 0; i < count; ++i)
                    acc += int64_t(wide[size_t(i)]) * src.row(first + i)[j];
                m = int16_t(clampByte(int(acc >> WideWeightBits)) << NarrowInputShift);
            }
        }
    }

    PixelBuffer dst(plan.width, plan.height, C);
    AxisWeights wx;
    wx.taps = axisTaps(gx);
    wx.narrow = narrowX;
    wx.first.resize(size_t(plan.width));
    wx.count.resize(size_t(plan.width));
    wx.frac.resize(size_t(plan.width));
    wx.weights.resize(size_t(plan.width) * size_t(wx.taps));
    wx.wide.resize(size_t(plan.width) * size_t(wx.taps));
    for (int y = 0; y < plan.height; ++y) {
        if (stageCancelRequested())
            return {};
        for (int o = 0; o < plan.width; ++o) {
            const size_t at = size_t(o) * size_t(wx.taps);
            sampleWeights(gx, o, wx.taps, &wx.first[size_t(o)], &wx.count[size_t(o)], &wx.frac[size_t(o)],
                narrowX ? &wx.weights[at] : nullptr, narrowX ? nullptr : &wx.wide[at]);
        }
        const int16_t *s = &mid[size_t(y) * rowValues];
        uint8_t *d = dst.row(y);
        for (int o = 0; o < plan.width; ++o) {
            const size_t at = size_t(o) * size_t(wx.taps);
            const int16_t *p = s + size_t(wx.first[size_t(o)]) * C;
            const int count = wx.count[size_t(o)];
            const int frac = wx.frac[size_t(o)];
            for (int c = 0; c < C; ++c) {
                if (narrowX) {
                    int acc = finalBias(frac);
                    for (int i = 0; i < count; ++i)
                        acc += narrowTerm(p[i * C + c], wx.weights[at + size_t(i)]);
                    d[o * C + c] = clampByte(acc >> frac);
                } else {
                    int64_t acc = int64_t(1) << (WideWeightBits - 1);
                    for (int i = 0; i < count; ++i)
                        acc += int64_t(wx.wide[at + size_t(i)]) * (p[i * C + c] >> NarrowInputShift);
                    d[o * C + c] = clampByte(int(acc >> WideWeightBits));
                }
            }
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
        return lanczosTransposed<4>(src, plan, cachedWeights);
    return lanczosTransposed<3>(src, plan, cachedWeights);
}

PixelBuffer resizeLanczosReference(const PixelBuffer &src, const ResizePlan &plan)
{
    return src.channels() == 4 ? lanczosDirect<4>(src, plan) : lanczosDirect<3>(src, plan);
}

PixelBuffer resizeImage(const PixelBuffer &src, const ResizePlan &plan, const Schedule &schedule)
{
    if (schedule.lanczos)
        return resizeLanczos(src, plan, schedule.cachedKernels);
    return resizeNearest(src, plan);
}

PixelBuffer resizeStage(const PixelBuffer &decoded, const PipelineParams &params, const Schedule &schedule)
{
    const ResizePlan plan
        = planResize(decoded.width(), decoded.height(), params.width, params.height, params.resizeMode);
    if (std::optional<PixelBuffer> in = sharedStageInput(decoded, schedule))
        return stageOutput(resizeImage(*in, plan, schedule));
    return resizeImage(decoded, plan, schedule);
}

} // namespace pixelperf
