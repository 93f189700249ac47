// libFuzzer target: the image loader (decodeImage) with its size guard, on
// any bytes: our libjpeg path (headers, EXIF orientation, CMYK, DCT scaling),
// our libspng path (PNG: every colour type and depth, interlacing, the
// 16-bit rounding, eXIf) and Qt's readers behind them. A small pixel limit
// keeps every accepted image cheap, and every accepted image must respect
// it: the guard has no gaps.
#include "pipeline/stages/load.h"

#include <QByteArray>
#include <QImage>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace pixelperf;

namespace {

constexpr int64_t MaxPixels = 1 << 20;

void check(const LoadResult &r, const LoadRequest &request)
{
    if (r.error.isEmpty() != bool(r.image))
        std::abort(); // exactly one of an image and a reason
    if (!r.image)
        return;
    const DecodedImage &d = *r.image;
    const PixelBuffer &p = d.pixels;
    if (p.isNull() || p.channels() != 3 || p.width() < 1 || p.height() < 1)
        std::abort();
    // The budget is on the pixels decoded; a source above it only through
    // shrink-on-load's DCT scaling, and never above 64 times it (1/8 scale).
    const int64_t source = int64_t(d.sourceWidth) * d.sourceHeight;
    if ((source > request.maxPixels && d.scaleDenominator == 1) || source > 64 * request.maxPixels
        || int64_t(p.width()) * p.height() > request.maxPixels) {
        std::fprintf(stderr, "decoded %dx%d (source %dx%d) above the %lld-pixel limit\n", p.width(),
            p.height(), d.sourceWidth, d.sourceHeight, static_cast<long long>(request.maxPixels));
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    // Load Qt's image plugins once, before the leak checker counts.
    QImage probe(4, 4, QImage::Format_RGB888);
    probe.fill(Qt::gray);
    (void)decodeImage(QByteArray("GIF89a"), LoadRequest {});
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    LoadRequest full;
    full.maxPixels = MaxPixels;
    check(decodeImage(bytes, full), full);
    // The pipeline's request: a 64x48 target, DCT-scaled decoding allowed.
    LoadRequest shrink = full;
    shrink.targetWidth = 64;
    shrink.targetHeight = 48;
    shrink.shrinkOnLoad = true;
    check(decodeImage(bytes, shrink), shrink);
    return 0;
}
