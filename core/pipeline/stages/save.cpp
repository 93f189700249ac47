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
#include <vector>

#include <jpeglib.h>

namespace pixelperf {

namespace {

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

} // namespace

QByteArray encodeJpeg(const PixelBuffer &rgb, int quality, QString *error)
{
    return JpegEncoder::forThisThread().encode(rgb, quality, error);
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
    } else {
        // A view over our buffer, no copy; Qt's writers for PNG and BMP.
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
