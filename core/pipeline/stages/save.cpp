#include "pipeline/stages/save.h"

#include "pipeline/schedule.h"

#include "pipeline/atomicfile.h"

#include <QBuffer>
#include <QFileInfo>
#include <QImage>
#include <QImageWriter>

#include <algorithm>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include <jpeglib.h>
#include <spng.h>
#include <zlib.h>

namespace pixelperf {

namespace {

// The largest PNG output buffer a worker keeps between images (an 800x600
// output is well under 2 MiB).
constexpr size_t MaxKeptPngBytes = size_t(32) << 20;

struct JpegError {
    jpeg_error_mgr mgr;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

void jpegErrorExit(j_common_ptr cinfo)
{
    auto *err = reinterpret_cast<JpegError *>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, err->message);
    longjmp(err->jump, 1);
}

// Plain C data only between setjmp and longjmp.
bool compress(jpeg_compress_struct *c, JpegError *err, const uint8_t *pixels, size_t stride, int width,
    int height, int quality)
{
    if (setjmp(err->jump))
        return false;
    c->image_width = JDIMENSION(width);
    c->image_height = JDIMENSION(height);
    c->input_components = 3;
    c->in_color_space = JCS_RGB;
    jpeg_set_defaults(c);
    jpeg_set_quality(c, quality, TRUE);
    jpeg_start_compress(c, TRUE);
    while (c->next_scanline < c->image_height) {
        JSAMPROW rows[8];
        const JDIMENSION left = c->image_height - c->next_scanline;
        const JDIMENSION n = left < 8 ? left : 8;
        for (JDIMENSION i = 0; i < n; ++i)
            rows[i] = const_cast<uint8_t *>(pixels + stride * (c->next_scanline + i));
        jpeg_write_scanlines(c, rows, n);
    }
    jpeg_finish_compress(c);
    return true;
}

// One compressor per worker thread, kept across images with the buffer it
// writes into: its tables are made once, and its output lands in memory that
// stays mapped, instead of a fresh 4 KiB block doubled (allocated, copied,
// freed) a dozen times for every image.
class JpegEncoder
{
public:
    JpegEncoder()
    {
        std::memset(&m_err, 0, sizeof m_err);
        m_c.err = jpeg_std_error(&m_err.mgr);
        m_err.mgr.error_exit = jpegErrorExit;
        jpeg_create_compress(&m_c);
    }
    ~JpegEncoder() { jpeg_destroy_compress(&m_c); }
    JpegEncoder(const JpegEncoder &) = delete;
    JpegEncoder &operator=(const JpegEncoder &) = delete;

    static JpegEncoder &forThisThread()
    {
        thread_local JpegEncoder encoder;
        return encoder;
    }

    QByteArray encode(const PixelBuffer &rgb, int quality, QString *error)
    {
        jpeg_abort_compress(&m_c); // whatever an earlier image's error left
        // An RGB image compresses to far less than its pixels; libjpeg grows
        // the output beyond the buffer when it must (its own allocation, freed
        // here, and the buffer made larger for the next image).
        const size_t guess
            = std::max<size_t>(size_t(rgb.width()) * size_t(rgb.height()) / 2, size_t(1) << 16);
        if (m_buffer.size() < guess)
            m_buffer.resize(guess);
        unsigned char *out = m_buffer.data();
        unsigned long outSize = static_cast<unsigned long>(m_buffer.size());
        jpeg_mem_dest(&m_c, &out, &outSize);
        QByteArray encoded;
        if (compress(&m_c, &m_err, rgb.data(), rgb.stride(), rgb.width(), rgb.height(), quality))
            encoded = QByteArray(reinterpret_cast<const char *>(out), qsizetype(outSize));
        else if (error)
            *error = QStringLiteral("JPEG encoder failed: %1").arg(QString::fromLatin1(m_err.message));
        if (out != m_buffer.data()) {
            std::free(out);
            m_buffer.resize(std::min<size_t>(size_t(outSize) * 2, MaxKeptBytes));
        }
        return encoded;
    }

private:
    static constexpr size_t MaxKeptBytes = size_t(32) << 20;
    jpeg_compress_struct m_c;
    JpegError m_err;
    std::vector<unsigned char> m_buffer;
};

// libspng writes through this into one buffer per worker, kept across
// images: its own output buffer would start small and be reallocated,
// doubling, a dozen times for every image.
int appendPngBytes(spng_ctx *, void *user, void *data, size_t length)
{
    auto *out = static_cast<std::vector<unsigned char> *>(user);
    const auto *bytes = static_cast<const unsigned char *>(data);
    out->insert(out->end(), bytes, bytes + length);
    return 0;
}

} // namespace

QByteArray encodeJpeg(const PixelBuffer &rgb, int quality, QString *error)
{
    return JpegEncoder::forThisThread().encode(rgb, quality, error);
}

// Adaptive filters (each row gets the one of the five with the smallest
// sum of residuals, as libpng and Qt choose) and zlib's run-length
// strategy: on a filtered photo, where the residuals are small and
// repetitions far apart, it compresses within about 3 % of zlib's default
// level (Qt's) for a fifth of the time (README, "Benchmark").
QByteArray encodePng(const PixelBuffer &pixels, QString *error)
{
    thread_local std::vector<unsigned char> out;
    out.clear();
    std::unique_ptr<spng_ctx, decltype(&spng_ctx_free)> ctx(spng_ctx_new(SPNG_CTX_ENCODER), &spng_ctx_free);
    spng_ihdr ihdr {};
    ihdr.width = uint32_t(pixels.width());
    ihdr.height = uint32_t(pixels.height());
    ihdr.bit_depth = 8;
    ihdr.color_type = pixels.channels() == 4 ? SPNG_COLOR_TYPE_TRUECOLOR_ALPHA : SPNG_COLOR_TYPE_TRUECOLOR;
    int e = ctx ? spng_set_png_stream(ctx.get(), appendPngBytes, &out) : SPNG_EMEM;
    if (e == 0)
        e = spng_set_ihdr(ctx.get(), &ihdr);
    if (e == 0)
        e = spng_set_option(ctx.get(), SPNG_FILTER_CHOICE, SPNG_FILTER_CHOICE_ALL);
    if (e == 0)
        e = spng_set_option(ctx.get(), SPNG_IMG_COMPRESSION_STRATEGY, Z_RLE);
    if (e == 0)
        e = spng_encode_image(
            ctx.get(), pixels.data(), pixels.byteSize(), SPNG_FMT_PNG, SPNG_ENCODE_FINALIZE);
    QByteArray encoded;
    if (e == 0)
        encoded = QByteArray(reinterpret_cast<const char *>(out.data()), qsizetype(out.size()));
    else if (error)
        *error = QStringLiteral("PNG encoder failed: %1").arg(QString::fromLatin1(spng_strerror(e)));
    if (out.capacity() > MaxKeptPngBytes)
        std::vector<unsigned char>().swap(out); // an unusually large image: not kept for the thread's life
    return encoded;
}

SaveResult saveImage(const PixelBuffer &rgb, const QString &path, int quality, SaveMode mode)
{
    SaveResult result;
    const QString suffix = QFileInfo(path).suffix().toLower();
    QByteArray encoded;
    if (suffix == QLatin1String("jpg") || suffix == QLatin1String("jpeg")) {
        encoded = encodeJpeg(rgb, quality, &result.error);
        if (encoded.isEmpty())
            return result;
    } else if (suffix == QLatin1String("png")) {
        encoded = encodePng(rgb, &result.error);
        if (encoded.isEmpty())
            return result;
    } else {
        // A view over our buffer, no copy; Qt's writer for BMP.
        const QImage view(
            rgb.data(), rgb.width(), rgb.height(), qsizetype(rgb.stride()), QImage::Format_RGB888);
        QBuffer buffer(&encoded);
        buffer.open(QIODevice::WriteOnly);
        QImageWriter writer(&buffer, suffix.toLatin1());
        if (!writer.write(view)) {
            result.error = QStringLiteral("cannot encode %1: %2").arg(suffix.toUpper(), writer.errorString());
            return result;
        }
    }
    const bool written = mode == SaveMode::Replace
        ? writeFileAtomically(path, encoded, &result.error)
        : writeFileNoReplace(path, encoded, &result.error, &result.existed);
    if (!written)
        return result;
    result.bytesWritten = encoded.size();
    return result;
}

int jpegQuality(const PipelineParams &params, bool balancedQuality)
{
    return balancedQuality ? params.quality : params.wastefulQuality;
}

SaveResult saveStage(const PixelBuffer &rgb, const QString &path, const Schedule &schedule)
{
    return saveImage(rgb, path, schedule.jpegQuality);
}

} // namespace pixelperf
