#include "pipeline/stages/save.h"

#include "pipeline/schedule.h"

#include "pipeline/atomicfile.h"

#include <QBuffer>
#include <QFileInfo>
#include <QImage>
#include <QImageWriter>

#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>

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
bool compress(jpeg_compress_struct *c, JpegError *err, const uint8_t *pixels, size_t stride,
              int width, int height, int quality)
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

} // namespace

QByteArray encodeJpeg(const PixelBuffer &rgb, int quality, QString *error)
{
    jpeg_compress_struct c;
    JpegError err;
    std::memset(&err, 0, sizeof err);
    c.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = jpegErrorExit;
    jpeg_create_compress(&c);
    unsigned char *out = nullptr;
    unsigned long outSize = 0;
    jpeg_mem_dest(&c, &out, &outSize);
    QByteArray encoded;
    if (compress(&c, &err, rgb.data(), rgb.stride(), rgb.width(), rgb.height(), quality))
        encoded = QByteArray(reinterpret_cast<const char *>(out), qsizetype(outSize));
    else if (error)
        *error = QStringLiteral("JPEG encoder failed: %1").arg(QString::fromLatin1(err.message));
    jpeg_destroy_compress(&c);
    std::free(out);
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
    } else {
        // A view over our buffer, no copy; Qt's writers for PNG and BMP.
        const QImage view(rgb.data(), rgb.width(), rgb.height(), qsizetype(rgb.stride()),
                          QImage::Format_RGB888);
        QBuffer buffer(&encoded);
        buffer.open(QIODevice::WriteOnly);
        QImageWriter writer(&buffer, suffix.toLatin1());
        if (!writer.write(view)) {
            result.error = QStringLiteral("cannot encode %1: %2").arg(suffix.toUpper(), writer.errorString());
            return result;
        }
    }
    const bool written = mode == SaveMode::Replace ? writeFileAtomically(path, encoded, &result.error)
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
