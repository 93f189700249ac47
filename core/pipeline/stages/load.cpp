// load: JPEG through libjpeg(-turbo) directly, so the decode can be DCT-scaled
// (toggle `shrink-on-load`: 1/2, 1/4 or 1/8 size for almost no cost) and lands
// straight in a pipeline-owned buffer; other formats through QImageReader.
// The decode cache (toggle `decode-cache`) sits in front of both.
#include "pipeline/stages/load.h"

#include "pipeline/decodecache.h"
#include "pipeline/schedule.h"
#include "pipeline/stages/resize.h"

#include <QBuffer>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>

#include <csetjmp>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include <jpeglib.h>
#include <jerror.h>

namespace pixelperf {

int exifOrientation(const uint8_t *data, size_t size)
{
    if (size < 6 + 8 || std::memcmp(data, "Exif\0\0", 6) != 0)
        return 1;
    const uint8_t *t = data + 6;
    const size_t n = size - 6;
    bool little;
    if (t[0] == 'I' && t[1] == 'I')
        little = true;
    else if (t[0] == 'M' && t[1] == 'M')
        little = false;
    else
        return 1;
    auto u16 = [&](size_t at) -> uint32_t {
        return little ? uint32_t(t[at] | t[at + 1] << 8) : uint32_t(t[at] << 8 | t[at + 1]);
    };
    auto u32 = [&](size_t at) -> uint32_t {
        return little ? (u16(at) | u16(at + 2) << 16) : (u16(at) << 16 | u16(at + 2));
    };
    const size_t ifd = u32(4);
    if (ifd + 2 > n)
        return 1;
    const uint32_t entries = u16(ifd);
    for (uint32_t i = 0; i < entries; ++i) {
        const size_t e = ifd + 2 + size_t(i) * 12;
        if (e + 12 > n)
            break;
        if (u16(e) == 0x0112) {
            const uint32_t v = u16(e + 8);
            return (v >= 1 && v <= 8) ? int(v) : 1;
        }
    }
    return 1;
}

PixelBuffer orient(PixelBuffer src, int o)
{
    if (o <= 1 || o > 8 || src.isNull())
        return src;
    const int sw = src.width();
    const int sh = src.height();
    const int C = src.channels();
    const bool swap = o >= 5;
    PixelBuffer dst(swap ? sh : sw, swap ? sw : sh, C);
    for (int y = 0; y < dst.height(); ++y) {
        uint8_t *d = dst.row(y);
        for (int x = 0; x < dst.width(); ++x) {
            int sx = x, sy = y;
            switch (o) {
            case 2: sx = sw - 1 - x; break;
            case 3: sx = sw - 1 - x; sy = sh - 1 - y; break;
            case 4: sy = sh - 1 - y; break;
            case 5: sx = y; sy = x; break;
            case 6: sx = y; sy = sh - 1 - x; break;
            case 7: sx = sw - 1 - y; sy = sh - 1 - x; break;
            case 8: sx = sw - 1 - y; sy = x; break;
            }
            std::memcpy(d + size_t(x) * C, src.row(sy) + size_t(sx) * C, size_t(C));
        }
    }
    return dst;
}

int shrinkDenominator(int srcWidth, int srcHeight, const LoadRequest &request)
{
    if (!request.shrinkOnLoad || request.targetWidth <= 0 || request.targetHeight <= 0)
        return 1;
    const ResizePlan plan = planResize(srcWidth, srcHeight, request.targetWidth,
                                       request.targetHeight, request.mode);
    const double boxW = plan.box.x1 - plan.box.x0;
    const double boxH = plan.box.y1 - plan.box.y0;
    for (int d : { 8, 4, 2 }) {
        // The scaled box must keep at least the output's resolution, so the
        // resize still only reduces.
        if (boxW / d >= plan.width && boxH / d >= plan.height)
            return d;
    }
    return 1;
}

namespace {

QString megapixels(int64_t pixels)
{
    return QString::number(double(pixels) / 1e6, 'f', 1);
}

QString tooLarge(int64_t w, int64_t h, int64_t maxPixels)
{
    return QStringLiteral("image is %1x%2 (%3 megapixels), above the %4-megapixel limit; "
                          "refused without decoding")
            .arg(w)
            .arg(h)
            .arg(megapixels(w * h))
            .arg(megapixels(maxPixels));
}

struct JpegError {
    jpeg_error_mgr mgr;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
    bool truncated;
};

void jpegErrorExit(j_common_ptr cinfo)
{
    auto *err = reinterpret_cast<JpegError *>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, err->message);
    longjmp(err->jump, 1);
}

void jpegEmitMessage(j_common_ptr cinfo, int level)
{
    auto *err = reinterpret_cast<JpegError *>(cinfo->err);
    if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
        // libjpeg pads a truncated file with grey and carries on; we refuse it.
        err->truncated = true;
        (*cinfo->err->format_message)(cinfo, err->message);
    }
}

// libjpeg reports errors by longjmp; each step that can fail runs inside its
// own setjmp and touches no C++ object that needs destruction.
class JpegDecoder
{
public:
    JpegDecoder()
    {
        std::memset(&m_err, 0, sizeof m_err);
        m_cinfo.err = jpeg_std_error(&m_err.mgr);
        m_err.mgr.error_exit = jpegErrorExit;
        m_err.mgr.emit_message = jpegEmitMessage;
        jpeg_create_decompress(&m_cinfo);
    }
    ~JpegDecoder() { jpeg_destroy_decompress(&m_cinfo); }

    bool readHeader(const uint8_t *data, size_t size)
    {
        if (setjmp(m_err.jump))
            return false;
        jpeg_mem_src(&m_cinfo, data, static_cast<unsigned long>(size));
        jpeg_save_markers(&m_cinfo, JPEG_APP0 + 1, 0xFFFF);
        jpeg_read_header(&m_cinfo, TRUE);
        return true;
    }

    int orientation() const
    {
        for (jpeg_saved_marker_ptr m = m_cinfo.marker_list; m; m = m->next) {
            if (m->marker == JPEG_APP0 + 1) {
                const int o = exifOrientation(m->data, m->data_length);
                if (o != 1)
                    return o;
            }
        }
        return 1;
    }

    bool isCmyk() const
    {
        return m_cinfo.jpeg_color_space == JCS_CMYK || m_cinfo.jpeg_color_space == JCS_YCCK;
    }

    bool prepare(int denominator)
    {
        if (setjmp(m_err.jump))
            return false;
        m_cinfo.scale_num = 1;
        m_cinfo.scale_denom = unsigned(denominator);
        m_cinfo.out_color_space = isCmyk() ? JCS_CMYK : JCS_RGB;
        jpeg_calc_output_dimensions(&m_cinfo);
        return true;
    }

    bool decode(uint8_t *dst, size_t stride)
    {
        if (setjmp(m_err.jump))
            return false;
        jpeg_start_decompress(&m_cinfo);
        while (m_cinfo.output_scanline < m_cinfo.output_height) {
            JSAMPROW rows[4];
            const JDIMENSION left = m_cinfo.output_height - m_cinfo.output_scanline;
            const JDIMENSION n = left < 4 ? left : 4;
            for (JDIMENSION i = 0; i < n; ++i)
                rows[i] = dst + stride * (m_cinfo.output_scanline + i);
            jpeg_read_scanlines(&m_cinfo, rows, n);
        }
        jpeg_finish_decompress(&m_cinfo);
        return !m_err.truncated;
    }

    jpeg_decompress_struct m_cinfo;
    JpegError m_err;
};

LoadResult decodeJpeg(const QByteArray &bytes, const LoadRequest &request)
{
    LoadResult result;
    JpegDecoder jpeg;
    const auto *data = reinterpret_cast<const uint8_t *>(bytes.constData());
    if (!jpeg.readHeader(data, size_t(bytes.size()))) {
        result.error = jpeg.m_err.truncated
                ? QStringLiteral("truncated JPEG: the file ends inside its header")
                : QStringLiteral("not a readable JPEG: %1").arg(QString::fromLatin1(jpeg.m_err.message));
        return result;
    }
    const int w = int(jpeg.m_cinfo.image_width);
    const int h = int(jpeg.m_cinfo.image_height);
    if (int64_t(w) * h > request.maxPixels) {
        result.error = tooLarge(w, h, request.maxPixels);
        return result;
    }
    const int orientation = jpeg.orientation();
    const bool swap = orientation >= 5;
    auto image = std::make_shared<DecodedImage>();
    image->sourceWidth = swap ? h : w;
    image->sourceHeight = swap ? w : h;
    image->scaleDenominator = shrinkDenominator(image->sourceWidth, image->sourceHeight, request);
    if (!jpeg.prepare(image->scaleDenominator)) {
        result.error = QStringLiteral("cannot decode JPEG: %1").arg(QString::fromLatin1(jpeg.m_err.message));
        return result;
    }
    const bool cmyk = jpeg.isCmyk();
    PixelBuffer pixels(int(jpeg.m_cinfo.output_width), int(jpeg.m_cinfo.output_height), cmyk ? 4 : 3);
    if (!jpeg.decode(pixels.data(), pixels.stride())) {
        result.error = jpeg.m_err.truncated
                ? QStringLiteral("truncated JPEG: the file ends before the image data does")
                : QStringLiteral("corrupt JPEG: %1").arg(QString::fromLatin1(jpeg.m_err.message));
        return result;
    }
    if (cmyk) {
        // Adobe writes inverted CMYK; others plain. RGB = (1-C)(1-K) etc.
        const bool inverted = jpeg.m_cinfo.saw_Adobe_marker;
        PixelBuffer rgb(pixels.width(), pixels.height(), 3);
        const uint8_t *s = pixels.data();
        uint8_t *d = rgb.data();
        for (size_t i = 0, n = size_t(pixels.width()) * size_t(pixels.height()); i < n; ++i) {
            const int k = inverted ? s[4 * i + 3] : 255 - s[4 * i + 3];
            for (int c = 0; c < 3; ++c) {
                const int v = inverted ? s[4 * i + c] : 255 - s[4 * i + c];
                d[3 * i + size_t(c)] = uint8_t((v * k + 127) / 255);
            }
        }
        pixels = std::move(rgb);
    }
    image->pixels = orient(std::move(pixels), orientation);
    result.image = std::move(image);
    return result;
}

// Qt's allocation limit is process-wide (a static of QImageReader), so it is
// set once, from the default pixel budget: at 8 bytes a pixel (16-bit PNGs
// decode to RGBA64) no image within the budget is refused by Qt, and no
// decode, whatever its header says or hides, allocates more than that
// (763 MiB). A smaller per-request budget is checked on the header, and on
// the decoded image when the header does not give the size.
void limitQtAllocations()
{
    static const bool limited = [] {
        constexpr int64_t BytesPerPixel = 8;
        const int64_t mib = (LoadRequest {}.maxPixels * BytesPerPixel + (1 << 20) - 1) >> 20;
        QImageReader::setAllocationLimit(int(mib));
        return true;
    }();
    Q_UNUSED(limited);
}

// A BMP's dimensions from its own header, for the files Qt's reader refuses
// before it reports a size (above 16384x16384 pixels it gives none): the
// person gets the size and the limit, not "not an image". Invalid when the
// header is too short or not a BMP's.
QSize bmpDeclaredSize(const QByteArray &bytes)
{
    if (bytes.size() < 26 || !bytes.startsWith("BM"))
        return {};
    const auto *b = reinterpret_cast<const uint8_t *>(bytes.constData());
    auto le32 = [b](int at) {
        return int32_t(uint32_t(b[at]) | uint32_t(b[at + 1]) << 8 | uint32_t(b[at + 2]) << 16
                       | uint32_t(b[at + 3]) << 24);
    };
    auto le16 = [b](int at) { return int(b[at] | b[at + 1] << 8); };
    const int32_t infoSize = le32(14);
    if (infoSize == 12)  // OS/2 BITMAPCOREHEADER: 16-bit dimensions
        return QSize(le16(18), le16(20));
    if (infoSize < 40)
        return {};
    const int32_t w = le32(18);
    const int32_t h = le32(22);  // negative: stored top-down
    if (w <= 0 || h == 0 || h == INT32_MIN)
        return {};
    return QSize(w, h < 0 ? -h : h);
}

LoadResult decodeWithQt(const QByteArray &bytes, const LoadRequest &request)
{
    LoadResult result;
    limitQtAllocations();
    QByteArray copy = bytes;  // QBuffer needs a non-const array; shares the data
    QBuffer device(&copy);
    device.open(QIODevice::ReadOnly);
    QImageReader reader(&device);
    reader.setDecideFormatFromContent(true);
    reader.setAutoTransform(true);
    const QSize size = reader.size();
    if (reader.format().isEmpty()) {
        const QSize declared = bmpDeclaredSize(bytes);
        if (declared.isValid() && int64_t(declared.width()) * declared.height() > request.maxPixels)
            result.error = tooLarge(declared.width(), declared.height(), request.maxPixels);
        else
            result.error = QStringLiteral("not an image in a format PixelPerf reads "
                                          "(JPEG, PNG, BMP, GIF, WebP)");
        return result;
    }
    if (size.isValid() && int64_t(size.width()) * size.height() > request.maxPixels) {
        result.error = tooLarge(size.width(), size.height(), request.maxPixels);
        return result;
    }
    const QString format = QString::fromLatin1(reader.format()).toUpper();  // empty after a failed read
    QImage image;
    if (!reader.read(&image) || image.isNull()) {
        // Without a size up front, Qt's allocation limit is what stopped a
        // large image: say so rather than only "damaged".
        result.error = size.isValid()
                ? QStringLiteral("damaged or truncated %1: %2").arg(format, reader.errorString())
                : QStringLiteral("damaged %1, or larger than the %2-megapixel limit (its header does not "
                                 "give its size): %3")
                          .arg(format, megapixels(request.maxPixels), reader.errorString());
        return result;
    }
    // The header's size is not always the decode's (or there was none): the
    // budget holds for what was decoded too.
    if (int64_t(image.width()) * image.height() > request.maxPixels) {
        result.error = QStringLiteral("image is %1x%2 (%3 megapixels), above the %4-megapixel limit; "
                                      "its header did not say so, refused after decoding")
                               .arg(image.width())
                               .arg(image.height())
                               .arg(megapixels(int64_t(image.width()) * image.height()))
                               .arg(megapixels(request.maxPixels));
        return result;
    }
    if (image.format() != QImage::Format_RGB888)
        image.convertTo(QImage::Format_RGB888);
    auto decoded = std::make_shared<DecodedImage>();
    decoded->sourceWidth = image.width();
    decoded->sourceHeight = image.height();
    decoded->pixels = PixelBuffer(image.width(), image.height(), 3);
    for (int y = 0; y < image.height(); ++y)
        std::memcpy(decoded->pixels.row(y), image.constScanLine(y), decoded->pixels.stride());
    result.image = std::move(decoded);
    return result;
}

} // namespace

LoadResult decodeImage(const QByteArray &bytes, const LoadRequest &request)
{
    if (bytes.isEmpty()) {
        LoadResult r;
        r.error = QStringLiteral("empty file (0 bytes)");
        return r;
    }
    if (bytes.size() >= 3 && uchar(bytes[0]) == 0xFF && uchar(bytes[1]) == 0xD8
        && uchar(bytes[2]) == 0xFF)
        return decodeJpeg(bytes, request);
    return decodeWithQt(bytes, request);
}

LoadResult loadImage(const QString &path, const LoadRequest &request, DecodeCacheUse cache)
{
    // Only reading, from an empty cache (a run without warm-ups): nothing to
    // find, and no file's metadata to read for the key.
    if (cache == DecodeCacheUse::ReadOnly && DecodeCache::instance().count() == 0)
        cache = DecodeCacheUse::None;
    const bool useCache = cache != DecodeCacheUse::None;
    QString key;
    if (useCache) {
        const QFileInfo info(path);
        key = QStringLiteral("%1|%2|%3|%4x%5|%6|%7")
                      .arg(info.absoluteFilePath())
                      .arg(info.size())
                      .arg(info.lastModified().toMSecsSinceEpoch())
                      .arg(request.targetWidth)
                      .arg(request.targetHeight)
                      .arg(int(request.mode))
                      .arg(request.shrinkOnLoad ? 1 : 0);
        if (auto hit = DecodeCache::instance().find(key)) {
            LoadResult r;
            r.image = std::move(hit);
            r.fromCache = true;
            return r;
        }
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        LoadResult r;
        // The scan lists a dangling symlink named like an image so that it is
        // reported, not skipped; "No such file" alone would puzzle whoever
        // sees the name in the folder.
        const QFileInfo info(path);
        if (info.isSymLink() && !info.exists())
            r.error = QStringLiteral("broken symbolic link: its target %1 does not exist or cannot be reached")
                              .arg(info.symLinkTarget());
        else
            r.error = QStringLiteral("cannot open: %1").arg(file.errorString());
        return r;
    }
    const QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError) {
        LoadResult r;
        r.error = QStringLiteral("cannot read: %1").arg(file.errorString());
        return r;
    }
    LoadResult result = decodeImage(bytes, request);
    result.bytesRead = bytes.size();
    if (cache == DecodeCacheUse::ReadWrite && result.image)
        DecodeCache::instance().insert(key, result.image);
    return result;
}

void prepareLoadStage(const PipelineParams &params, const Schedule &schedule)
{
    // decode-cache on: the cache holds up to the run's capacity.
    if (schedule.decodeCache != DecodeCacheUse::None)
        DecodeCache::instance().setCapacityBytes(int64_t(params.cacheMiB) << 20);
}

LoadResult loadStage(const QString &path, const PipelineParams &params, const Schedule &schedule)
{
    LoadRequest request;
    request.targetWidth = params.width;
    request.targetHeight = params.height;
    request.mode = params.resizeMode;
    request.shrinkOnLoad = schedule.shrinkOnLoad;
    return loadImage(path, request, schedule.decodeCache);
}

} // namespace pixelperf
