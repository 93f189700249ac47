// load: JPEG through libjpeg(-turbo) directly, so the decode can be DCT-scaled
// (toggle `shrink-on-load`: 1/2, 1/4 or 1/8 size for almost no cost) and lands
// straight in a pipeline-owned buffer; PNG through libspng, row by row into
// such a buffer too; BMP, GIF and WebP through QImageReader.
// The decode cache (toggle `decode-cache`) sits in front of both.
#include "pipeline/stages/load.h"

#include "pipeline/decodecache.h"
#include "pipeline/schedule.h"
#include "pipeline/stages/cancel.h"
#include "pipeline/stages/resize.h"
#include "reports/units.h"

#include <QBuffer>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>

#include <algorithm>
#include <csetjmp>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <vector>

#include <jerror.h>
#include <jpeglib.h>
#include <spng.h>

namespace pixelperf {

int exifOrientation(const uint8_t *data, size_t size)
{
    if (size < 6 + 8 || std::memcmp(data, "Exif\0\0", 6) != 0)
        return 1;
    return tiffOrientation(data + 6, size - 6);
}

int tiffOrientation(const uint8_t *t, size_t n)
{
    if (n < 8)
        return 1;
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
            case 2:
                sx = sw - 1 - x;
                break;
            case 3:
                sx = sw - 1 - x;
                sy = sh - 1 - y;
                break;
            case 4:
                sy = sh - 1 - y;
                break;
            case 5:
                sx = y;
                sy = x;
                break;
            case 6:
                sx = y;
                sy = sh - 1 - x;
                break;
            case 7:
                sx = sw - 1 - y;
                sy = sh - 1 - x;
                break;
            case 8:
                sx = sw - 1 - y;
                sy = x;
                break;
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
    const ResizePlan plan
        = planResize(srcWidth, srcHeight, request.targetWidth, request.targetHeight, request.mode);
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
    int warnings;
};

void jpegErrorExit(j_common_ptr cinfo)
{
    auto *err = reinterpret_cast<JpegError *>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, err->message);
    longjmp(err->jump, 1);
}

// What stopped libjpeg, in words.
QString jpegMessage(const JpegError &err)
{
    const QString message = QString::fromLatin1(err.message);
    return err.warnings > MaxJpegWarnings
        ? QStringLiteral("more than %1 corrupt-data warnings (the last: %2)")
              .arg(MaxJpegWarnings)
              .arg(message)
        : message;
}

// Ends the decode with `why` from inside libjpeg (same as its own errors).
[[noreturn]] void jpegStop(j_common_ptr cinfo, const char *why)
{
    auto *err = reinterpret_cast<JpegError *>(cinfo->err);
    std::snprintf(err->message, sizeof err->message, "%s", why);
    longjmp(err->jump, 1);
}

void jpegEmitMessage(j_common_ptr cinfo, int level)
{
    auto *err = reinterpret_cast<JpegError *>(cinfo->err);
    if (level >= 0)
        return;
    if (cinfo->err->msg_code == JWRN_JPEG_EOF) {
        // libjpeg pads a truncated file with grey and carries on; we refuse it.
        err->truncated = true;
        (*cinfo->err->format_message)(cinfo, err->message);
        return;
    }
    // A few corrupt-data warnings are common in real photos (extraneous
    // bytes before a marker); hundreds are a damaged or hostile file whose
    // every bad scan libjpeg would still work through.
    if (++err->warnings > MaxJpegWarnings) {
        (*cinfo->err->format_message)(cinfo, err->message); // the last one, named in jpegMessage()
        longjmp(err->jump, 1);
    }
}

// Called by libjpeg as it works: bounds the scans of a progressive file
// (each one is a pass over the whole image; TurboJPEG stops at 500 too) and
// honours a cancel inside a long decode.
void jpegProgress(j_common_ptr cinfo)
{
    const auto *d = reinterpret_cast<j_decompress_ptr>(cinfo);
    if (cinfo->is_decompressor && d->input_scan_number > MaxJpegScans)
        jpegStop(cinfo, "more than 500 scans (progressive passes); refused rather than decoding every one");
    if (stageCancelRequested())
        jpegStop(cinfo, "cancelled");
}

// libjpeg reports errors by longjmp; each step that can fail runs inside its
// own setjmp and touches no C++ object that needs destruction. One per worker
// thread (forThisThread), reset for each image: its tables, source manager and
// permanent pool are made once, not per image.
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
        std::memset(&m_progress, 0, sizeof m_progress);
        m_progress.progress_monitor = jpegProgress;
        m_cinfo.progress = &m_progress;
    }
    ~JpegDecoder() { jpeg_destroy_decompress(&m_cinfo); }
    JpegDecoder(const JpegDecoder &) = delete;
    JpegDecoder &operator=(const JpegDecoder &) = delete;

    static JpegDecoder &forThisThread()
    {
        thread_local JpegDecoder decoder;
        return decoder;
    }

    // From `size` bytes at `data`, or, with `data` null, from `source`.
    bool readHeader(const uint8_t *data, size_t size, jpeg_source_mgr *source = nullptr)
    {
        // Whatever the last image left (an error half-way included) is
        // dropped: the image's memory pool is freed, the object starts over.
        jpeg_abort_decompress(&m_cinfo);
        m_err.truncated = false;
        m_err.warnings = 0;
        m_err.message[0] = '\0';
        if (setjmp(m_err.jump))
            return false;
        if (data) {
            // jpeg_mem_src makes its manager once and refuses any other
            // it finds in place: its own goes back before it is called.
            m_cinfo.src = m_memorySource;
            jpeg_mem_src(&m_cinfo, data, static_cast<unsigned long>(size));
            m_memorySource = m_cinfo.src;
        } else {
            m_cinfo.src = source;
        }
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
            if (jpeg_read_scanlines(&m_cinfo, rows, n) == 0)
                jpegStop(reinterpret_cast<j_common_ptr>(&m_cinfo), "no progress in the image data");
        }
        jpeg_finish_decompress(&m_cinfo);
        return !m_err.truncated;
    }

    jpeg_decompress_struct m_cinfo;
    JpegError m_err;
    jpeg_progress_mgr m_progress;
    jpeg_source_mgr *m_memorySource = nullptr; // jpeg_mem_src's, in the permanent pool
};

// A JPEG read from its open file a chunk at a time, for a file larger than
// a thread keeps a read buffer for: a 12000x9000 photo of 20 MB decoded at
// 1/8 scale then holds one chunk of its bytes, not all of them. At the end
// of the data it does what jpeg_mem_src does: warns (the file is truncated)
// and gives libjpeg an end-of-image marker.
struct JpegFileSource {
    static constexpr size_t ChunkBytes = size_t(256) << 10;

    explicit JpegFileSource(QFile *f)
        : file(f)
        , chunk(ChunkBytes)
    {
        pub.next_input_byte = nullptr;
        pub.bytes_in_buffer = 0;
        pub.init_source = [](j_decompress_ptr) {};
        pub.fill_input_buffer = fill;
        pub.skip_input_data = skip;
        pub.resync_to_restart = jpeg_resync_to_restart;
        pub.term_source = [](j_decompress_ptr) {};
    }

    static boolean fill(j_decompress_ptr cinfo)
    {
        auto *self = reinterpret_cast<JpegFileSource *>(cinfo->src);
        const qint64 n = self->file->read(reinterpret_cast<char *>(self->chunk.data()), qint64(ChunkBytes));
        if (n < 0) {
            self->readFailed = true;
            jpegStop(reinterpret_cast<j_common_ptr>(cinfo), "cannot read the file");
        }
        if (n == 0) {
            static const JOCTET endOfImage[2] = { 0xFF, JPEG_EOI };
            WARNMS(cinfo, JWRN_JPEG_EOF);
            self->pub.next_input_byte = endOfImage;
            self->pub.bytes_in_buffer = 2;
            return TRUE;
        }
        self->pub.next_input_byte = self->chunk.data();
        self->pub.bytes_in_buffer = size_t(n);
        return TRUE;
    }

    static void skip(j_decompress_ptr cinfo, long count)
    {
        jpeg_source_mgr *src = cinfo->src;
        if (count <= 0)
            return;
        while (count > long(src->bytes_in_buffer)) {
            count -= long(src->bytes_in_buffer);
            (*src->fill_input_buffer)(cinfo);
        }
        src->next_input_byte += count;
        src->bytes_in_buffer -= size_t(count);
    }

    jpeg_source_mgr pub; // first: libjpeg's pointer to it is one to this
    QFile *file;
    std::vector<JOCTET> chunk;
    bool readFailed = false;
};

// The pixel budget holds for what is decoded: a 12000x9000 photo decoded at
// 1/8 scale is a 1500x1125 buffer, and libjpeg reads a sequential file a few
// rows of blocks at a time. Above the budget at full size, a decode is still
// refused, from the header and before anything is allocated, when
// - its scaled output is above the budget too;
// - it is progressive (or otherwise multi-scan): libjpeg keeps every
//   coefficient of the full-size image, whatever the output's scale;
// - it is arithmetic-coded, or its bytes are fewer than one bit per 8x8
//   block of its components (a Huffman code is at least one bit, so no real
//   file is that small): a header claiming pixels its data cannot hold, a
//   decompression bomb, which libjpeg would pad with grey for seconds.
QString jpegBudgetProblem(jpeg_decompress_struct &c, size_t bytes, int64_t maxPixels)
{
    const int64_t w = c.image_width;
    const int64_t h = c.image_height;
    if (w * h <= maxPixels)
        return {};
    const int64_t decoded = int64_t(c.output_width) * c.output_height;
    if (decoded > maxPixels)
        return tooLarge(w, h, maxPixels);
    if (c.progressive_mode || jpeg_has_multiple_scans(&c))
        return tooLarge(w, h, maxPixels)
            + QStringLiteral(" (a progressive JPEG is held at full size while it "
                             "decodes, even at a reduced scale)");
    int64_t blocks = 0;
    for (int i = 0; i < c.num_components; ++i) {
        const jpeg_component_info &comp = c.comp_info[i];
        blocks += int64_t(comp.width_in_blocks) * comp.height_in_blocks;
    }
    if (c.arith_code || int64_t(bytes) * 8 < blocks)
        return QStringLiteral(
            "image is %1x%2 (%3 megapixels), above the %4-megapixel limit, and its %5 bytes "
            "are too few for that many pixels (a decompression bomb); refused without decoding")
            .arg(w)
            .arg(h)
            .arg(megapixels(w * h))
            .arg(megapixels(maxPixels))
            .arg(bytes);
    return {};
}

// A file's first bytes are a JPEG's start of image and the next marker.
bool startsLikeJpeg(const QByteArray &head)
{
    return head.size() >= 3 && uchar(head[0]) == 0xFF && uchar(head[1]) == 0xD8 && uchar(head[2]) == 0xFF;
}

// A JPEG's `size` bytes at `data`, or with `data` null, read from `file`
// (opened, at its start, `size` bytes long) as libjpeg needs them.
LoadResult decodeJpeg(const uint8_t *data, size_t size, QFile *file, const LoadRequest &request)
{
    LoadResult result;
    JpegDecoder &jpeg = JpegDecoder::forThisThread();
    std::optional<JpegFileSource> source;
    if (!data)
        source.emplace(file);
    // Whatever happens, the image's memory (a progressive file's full-size
    // coefficients) is freed on return, not held until the next image.
    // A file's source manager goes with this call: no pointer to it is kept.
    struct ImagePoolRelease {
        j_decompress_ptr cinfo;
        bool fromFile;
        ~ImagePoolRelease()
        {
            jpeg_abort_decompress(cinfo);
            if (fromFile)
                cinfo->src = nullptr;
        }
    } release { &jpeg.m_cinfo, source.has_value() };
    const auto readFailed = [&] {
        if (!source || !source->readFailed)
            return false;
        result.error = QStringLiteral("cannot read: %1").arg(file->errorString());
        return true;
    };
    if (!jpeg.readHeader(data, size, source ? &source->pub : nullptr)) {
        if (readFailed())
            return result;
        result.error = jpeg.m_err.truncated
            ? QStringLiteral("truncated JPEG: the file ends inside its header")
            : QStringLiteral("not a readable JPEG: %1").arg(jpegMessage(jpeg.m_err));
        return result;
    }
    const int w = int(jpeg.m_cinfo.image_width);
    const int h = int(jpeg.m_cinfo.image_height);
    const int orientation = jpeg.orientation();
    const bool swap = orientation >= 5;
    auto image = std::make_shared<DecodedImage>();
    image->sourceWidth = swap ? h : w;
    image->sourceHeight = swap ? w : h;
    image->scaleDenominator = shrinkDenominator(image->sourceWidth, image->sourceHeight, request);
    if (!jpeg.prepare(image->scaleDenominator)) {
        result.error = QStringLiteral("cannot decode JPEG: %1").arg(jpegMessage(jpeg.m_err));
        return result;
    }
    result.error = jpegBudgetProblem(jpeg.m_cinfo, size, request.maxPixels);
    if (!result.error.isEmpty())
        return result;
    const bool cmyk = jpeg.isCmyk();
    PixelBuffer pixels(int(jpeg.m_cinfo.output_width), int(jpeg.m_cinfo.output_height), cmyk ? 4 : 3);
    if (!jpeg.decode(pixels.data(), pixels.stride())) {
        if (readFailed())
            return result;
        result.error = jpeg.m_err.truncated
            ? QStringLiteral("truncated JPEG: the file ends before the image data does")
            : QStringLiteral("corrupt JPEG: %1").arg(jpegMessage(jpeg.m_err));
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

uint32_t u32be(const uint8_t *p)
{
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
}

uint32_t u32le(const uint8_t *p)
{
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

// Calls `chunk(type, data, size)` for each PNG chunk until it returns false
// or the chunks end (or stop making sense).
template <typename Chunk> void forEachPngChunk(const QByteArray &bytes, Chunk &&chunk)
{
    const auto *b = reinterpret_cast<const uint8_t *>(bytes.constData());
    const size_t n = size_t(bytes.size());
    if (n < 8 || std::memcmp(b, "\x89PNG\r\n\x1a\n", 8) != 0)
        return;
    for (size_t at = 8; at + 12 <= n;) {
        const size_t length = u32be(b + at);
        if (length > n - at - 12)
            return;
        if (!chunk(
                QByteArray::fromRawData(reinterpret_cast<const char *>(b + at + 4), 4), b + at + 8, length))
            return;
        at += 12 + length;
    }
}

// The IDAT data of a PNG against what its header's image can need: deflate
// never grows data by more than a few bytes in 16 KiB, so more compressed
// bytes than the raw rows (plus a margin) are junk or a decompression bomb
// (a 100x100 image whose data inflates to 2 GB, all of which libpng would
// inflate). Within the bound, what inflates is at most about a thousand
// times the raw rows. Empty when the PNG is within it (or not a PNG).
QString pngDataProblem(const QByteArray &bytes)
{
    uint32_t w = 0, h = 0;
    int bitsPerPixel = 0;
    bool interlaced = false;
    uint64_t idat = 0;
    forEachPngChunk(bytes, [&](const QByteArray &type, const uint8_t *data, size_t length) {
        if (type == "IHDR" && length >= 13) {
            w = u32be(data);
            h = u32be(data + 4);
            static const int channels[] = { 1, 0, 3, 1, 2, 0, 4 }; // by colour type
            bitsPerPixel = data[9] <= 6 ? channels[data[9]] * data[8] : 0;
            interlaced = data[12] != 0;
        } else if (type == "IDAT") {
            idat += length;
        }
        return type != "IEND";
    });
    if (w == 0 || h == 0 || bitsPerPixel == 0)
        return {};
    const uint64_t rowBytes = (uint64_t(w) * uint64_t(bitsPerPixel) + 7) / 8;
    // Interlaced: seven passes, each row with its filter byte, at most
    // one extra row's worth of padding per pass.
    const uint64_t raw = uint64_t(h) * (rowBytes + 1) + (interlaced ? 7 * (rowBytes + uint64_t(h) + 2) : 0);
    const uint64_t allowed = raw + raw / 100 + 1024; // zlib's header and stored blocks' few bytes
    if (idat <= allowed)
        return {};
    return QStringLiteral("PNG's compressed image data is %1 bytes, more than its %2x%3 pixels can need (%4 "
                          "bytes); refused without decoding (a decompression bomb, or junk in the file)")
        .arg(idat)
        .arg(w)
        .arg(h)
        .arg(allowed);
}

// EXIF orientation of a PNG (its eXIf chunk) or a WebP (its EXIF chunk),
// as Pillow's exif_transpose honours it; JPEG's is read with its decode. 1
// when there is none.
int exifOrientationOf(const QByteArray &bytes)
{
    const auto *b = reinterpret_cast<const uint8_t *>(bytes.constData());
    const size_t n = size_t(bytes.size());
    int orientation = 1;
    forEachPngChunk(bytes, [&](const QByteArray &type, const uint8_t *data, size_t length) {
        if (type == "eXIf")
            orientation = tiffOrientation(data, length);
        return type != "eXIf" && type != "IDAT"; // eXIf comes before the image data
    });
    if (n < 12 || std::memcmp(b, "RIFF", 4) != 0 || std::memcmp(b + 8, "WEBP", 4) != 0)
        return orientation;
    for (size_t at = 12; at + 8 <= n;) {
        const size_t length = u32le(b + at + 4);
        if (length > n - at - 8)
            break;
        if (std::memcmp(b + at, "EXIF", 4) == 0) {
            // Some writers keep JPEG's "Exif\0\0" in front of the TIFF header.
            const uint8_t *data = b + at + 8;
            return length >= 6 && std::memcmp(data, "Exif\0\0", 6) == 0 ? exifOrientation(data, length)
                                                                        : tiffOrientation(data, length);
        }
        at += 8 + length + (length & 1);
    }
    return orientation;
}

// The decoded image of a PNG, WebP, BMP or GIF, turned upright by its EXIF
// orientation (exifOrientationOf); its source size is the upright one.
std::shared_ptr<const DecodedImage> uprightImage(PixelBuffer pixels, const QByteArray &bytes)
{
    auto decoded = std::make_shared<DecodedImage>();
    decoded->pixels = orient(std::move(pixels), exifOrientationOf(bytes));
    decoded->sourceWidth = decoded->pixels.width();
    decoded->sourceHeight = decoded->pixels.height();
    return decoded;
}

bool isPng(const QByteArray &bytes)
{
    return bytes.size() >= 8 && std::memcmp(bytes.constData(), "\x89PNG\r\n\x1a\n", 8) == 0;
}

// What stopped libspng, in words: a file that ends early says so.
QString pngMessage(int error)
{
    if (error == SPNG_IO_EOF || error == SPNG_EOF || error == SPNG_EIDAT_TOO_SHORT)
        return QStringLiteral("truncated PNG: the file ends before the image data does");
    return QStringLiteral("damaged PNG: %1").arg(QString::fromLatin1(spng_strerror(error)));
}

// Ancillary chunks libspng keeps in memory (text, ICC profiles, EXIF; a
// compressed text chunk inflated): a few KiB in a real file, bounded so
// that a text bomb is refused as one.
constexpr size_t PngChunkCacheBytes = size_t(64) << 20;

using SpngContext = std::unique_ptr<spng_ctx, decltype(&spng_ctx_free)>;

// Sets `ctx` on the file's bytes and reads its header: the pixel budget and
// the compressed data's bound are checked here, before any pixel is
// allocated. Empty, or why the file is refused.
QString openPng(spng_ctx *ctx, const QByteArray &bytes, const LoadRequest &request, spng_ihdr *ihdr)
{
    // A damaged ancillary chunk (text, time) is dropped, as libpng does;
    // a damaged header, palette or image data fails the file.
    spng_set_crc_action(ctx, SPNG_CRC_ERROR, SPNG_CRC_DISCARD);
    spng_set_chunk_limits(ctx, PngChunkCacheBytes, PngChunkCacheBytes);
    int error = spng_set_png_buffer(ctx, bytes.constData(), size_t(bytes.size()));
    if (error == 0)
        error = spng_get_ihdr(ctx, ihdr);
    if (error != 0)
        return pngMessage(error);
    if (int64_t(ihdr->width) * ihdr->height > request.maxPixels)
        return tooLarge(ihdr->width, ihdr->height, request.maxPixels);
    return pngDataProblem(bytes);
}

// A 16-bit sample to 8 bits, to the nearest (8-bit n is 16-bit n * 257), as
// Qt's reader rounds; libspng's own 8-bit output takes the high byte, one
// level off for a quarter of the values (51528, 200.49 * 257, would be 201).
inline uint8_t nearest8(uint16_t v)
{
    const int t = v + 128;
    return uint8_t((t - (t >> 8)) >> 8);
}

// Not one of libspng's codes: a cancel between rows.
constexpr int PngCancelled = -1000;

// The rows into `pixels` (RGB), pass by pass for an interlaced file: a
// row's pixels of one pass land at their places, the others untouched.
// 16-bit files go through one RGBA16 row per worker, rounded to 8 bits.
int decodePngRows(spng_ctx *ctx, const spng_ihdr &ihdr, PixelBuffer &pixels)
{
    static const int passStart[] = { 0, 4, 0, 2, 0, 1, 0 };
    static const int passStep[] = { 8, 8, 4, 4, 2, 2, 1 };
    const bool sixteenBit = ihdr.bit_depth == 16;
    thread_local std::vector<uint16_t> wide;
    if (sixteenBit)
        wide.resize(size_t(pixels.width()) * 4);
    int error = 0;
    for (uint32_t n = 1; error == 0; ++n) {
        spng_row_info row {};
        error = spng_get_row_info(ctx, &row);
        if (error != 0)
            break;
        if (n % 64 == 0 && stageCancelRequested())
            return PngCancelled;
        uint8_t *out = pixels.row(int(row.row_num));
        if (!sixteenBit) {
            error = spng_decode_row(ctx, out, pixels.stride());
            continue;
        }
        error = spng_decode_row(ctx, wide.data(), wide.size() * sizeof(uint16_t));
        const bool adam7 = ihdr.interlace_method != SPNG_INTERLACE_NONE && row.pass >= 0 && row.pass < 7;
        const int step = adam7 ? passStep[row.pass] : 1;
        for (int x = adam7 ? passStart[row.pass] : 0; x < pixels.width(); x += step)
            for (int c = 0; c < 3; ++c)
                out[3 * x + c] = nearest8(wide[size_t(4 * x + c)]);
    }
    return error == SPNG_EOI ? 0 : error;
}

// PNG through libspng, straight into a pipeline-owned RGB buffer: 8-bit
// RGB, RGBA, grey (any depth) and palette files decode to RGB8 (alpha
// dropped, as Qt's conversion and Pillow's convert("RGB") do), 16-bit ones
// to RGBA16 rounded to the nearest 8-bit value.
LoadResult decodePng(const QByteArray &bytes, const LoadRequest &request)
{
    LoadResult result;
    // Each chunk's CRC-32 is checked, the image data's included, so the
    // zlib stream's own Adler-32 over the same bytes is skipped (6 % of a
    // decode's time).
    SpngContext ctx(spng_ctx_new(SPNG_CTX_IGNORE_ADLER32), &spng_ctx_free);
    spng_ihdr ihdr {};
    result.error = ctx ? openPng(ctx.get(), bytes, request, &ihdr) : QStringLiteral("out of memory");
    if (!result.error.isEmpty())
        return result;
    const bool sixteenBit = ihdr.bit_depth == 16;
    int error = spng_decode_image(
        ctx.get(), nullptr, 0, sixteenBit ? SPNG_FMT_RGBA16 : SPNG_FMT_RGB8, SPNG_DECODE_PROGRESSIVE);
    PixelBuffer pixels;
    if (error == 0) {
        pixels = PixelBuffer(int(ihdr.width), int(ihdr.height), 3);
        error = decodePngRows(ctx.get(), ihdr, pixels);
    }
    if (error != 0) {
        result.error = error == PngCancelled ? QStringLiteral("cancelled") : pngMessage(error);
        return result;
    }
    result.image = uprightImage(std::move(pixels), bytes);
    return result;
}

// Qt's allocation limit is process-wide (a static of QImageReader), so it is
// set once, from the default pixel budget: at 8 bytes a pixel (Qt's widest
// format, RGBA64; the files it reads here, BMP, GIF and WebP, decode to 4
// at most) no image within the budget is refused by Qt, and no
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

// A BMP's or a GIF's dimensions from its own header, for the files Qt's
// reader refuses before it reports a size (a BMP above 16384x16384 pixels)
// or fails to allocate (a GIF's 65535x65535 screen, which Qt's image takes):
// the person gets the size and the limit, not "not an image" or "damaged".
// Invalid when the header is too short or neither's.
QSize declaredSize(const QByteArray &bytes)
{
    if (bytes.size() >= 10 && bytes.startsWith("GIF8")) {
        const auto *g = reinterpret_cast<const uint8_t *>(bytes.constData());
        return QSize(g[6] | g[7] << 8, g[8] | g[9] << 8); // the logical screen
    }
    if (bytes.size() < 26 || !bytes.startsWith("BM"))
        return {};
    const auto *b = reinterpret_cast<const uint8_t *>(bytes.constData());
    auto le32 = [b](int at) {
        return int32_t(uint32_t(b[at]) | uint32_t(b[at + 1]) << 8 | uint32_t(b[at + 2]) << 16
            | uint32_t(b[at + 3]) << 24);
    };
    auto le16 = [b](int at) { return int(b[at] | b[at + 1] << 8); };
    const int32_t infoSize = le32(14);
    if (infoSize == 12) // OS/2 BITMAPCOREHEADER: 16-bit dimensions
        return QSize(le16(18), le16(20));
    if (infoSize < 40)
        return {};
    const int32_t w = le32(18);
    const int32_t h = le32(22); // negative: stored top-down
    if (w <= 0 || h == 0 || h == INT32_MIN)
        return {};
    return QSize(w, h < 0 ? -h : h);
}

// What the header alone says is wrong: more pixels than the budget, or
// (PNG) more compressed data than the image could need.
QString headerProblem(const QByteArray &bytes, const LoadRequest &request)
{
    const QSize declared = declaredSize(bytes);
    if (declared.isValid() && int64_t(declared.width()) * declared.height() > request.maxPixels)
        return tooLarge(declared.width(), declared.height(), request.maxPixels);
    return pngDataProblem(bytes);
}

LoadResult decodeWithQt(const QByteArray &bytes, const LoadRequest &request)
{
    LoadResult result;
    limitQtAllocations();
    result.error = headerProblem(bytes, request);
    if (!result.error.isEmpty())
        return result;
    QByteArray copy = bytes; // QBuffer needs a non-const array; shares the data
    QBuffer device(&copy);
    device.open(QIODevice::ReadOnly);
    QImageReader reader(&device);
    reader.setDecideFormatFromContent(true);
    reader.setAutoTransform(false); // orientation: ours, the same for every format (exifOrientationOf)
    // Only the five documented formats: Qt's plugins also read TIFF, SVG
    // (a 119-byte SVG can ask for 600 MB), icons..., whatever the name says.
    // Decided from the content's first bytes before any plugin reads a
    // header: libtiff prints its complaints about a damaged file on stderr.
    static const QList<QByteArray> readable = { "png", "bmp", "gif", "webp", "jpeg", "jpg" };
    if (!readable.contains(reader.format())) {
        result.error = reader.format().isEmpty()
            ? QStringLiteral("not an image in a format PixelPerf reads (JPEG, PNG, BMP, GIF, WebP)")
            : QStringLiteral("%1 content, not a format PixelPerf reads (JPEG, PNG, BMP, GIF, WebP)")
                  .arg(QString::fromLatin1(reader.format()).toUpper());
        return result;
    }
    const QSize size = reader.size();
    if (size.isValid() && int64_t(size.width()) * size.height() > request.maxPixels) {
        result.error = tooLarge(size.width(), size.height(), request.maxPixels);
        return result;
    }
    const QString format = QString::fromLatin1(reader.format()).toUpper(); // empty after a failed read
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
    PixelBuffer pixels(image.width(), image.height(), 3);
    for (int y = 0; y < image.height(); ++y)
        std::memcpy(pixels.row(y), image.constScanLine(y), pixels.stride());
    result.image = uprightImage(std::move(pixels), bytes);
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
    if (startsLikeJpeg(bytes))
        return decodeJpeg(
            reinterpret_cast<const uint8_t *>(bytes.constData()), size_t(bytes.size()), nullptr, request);
    if (isPng(bytes))
        return decodePng(bytes, request);
    return decodeWithQt(bytes, request);
}

namespace {

// Why `file` (at `path`) cannot be opened.
QString openError(const QString &path, const QFile &file)
{
    // The scan lists a dangling symlink named like an image so that it is
    // reported, not skipped; "No such file" alone would puzzle whoever
    // sees the name in the folder.
    const QFileInfo info(path);
    if (info.isSymLink() && !info.exists())
        return QStringLiteral("broken symbolic link: its target %1 does not exist or cannot be reached")
            .arg(info.symLinkTarget());
    if (info.isDir())
        return QStringLiteral("it is a folder, not an image file");
    if (path.contains(QChar::ReplacementCharacter) && !info.exists())
        return QStringLiteral("its name is not valid UTF-8 (shown with %1 for the bytes that are not), so it "
                              "cannot be opened by name: rename it to process it")
            .arg(QChar(QChar::ReplacementCharacter));
    // A file given by name (a run on chosen files) that is not there.
    if (!info.exists() && !info.isSymLink())
        return QStringLiteral("cannot open: the file does not exist");
    return QStringLiteral("cannot open: %1").arg(file.errorString());
}

// The largest read buffer a thread keeps between files (a photo is a few
// MB; a thread of the window's pool keeps its buffer until it expires).
constexpr qsizetype KeptReadBufferBytes = qsizetype(16) << 20;

// `file` (open, within the input limit) read whole and decoded.
LoadResult readAndDecode(QFile &file, const LoadRequest &request)
{
    // The file's size (and one more byte, to see it grow), never the limit,
    // into the buffer this thread reads every file into: its pages stay
    // mapped from one image to the next instead of being mapped, zeroed by
    // the kernel and unmapped again for each file.
    thread_local QByteArray bytes;
    const qint64 want = std::min<qint64>(file.size(), MaxInputBytes) + 1;
    bytes.resize(want); // only grows the allocation; the new bytes are not initialised
    bytes.resize(std::max<qint64>(file.read(bytes.data(), want), 0));
    if (bytes.size() > MaxInputBytes) {
        LoadResult r;
        r.error = QStringLiteral("file grew above the %1 limit for an input while it was read")
                      .arg(mibText(double(MaxInputBytes)));
        return r;
    }
    if (file.error() != QFileDevice::NoError) {
        LoadResult r;
        r.error = QStringLiteral("cannot read: %1").arg(file.errorString());
        return r;
    }
    LoadResult result = decodeImage(bytes, request);
    result.bytesRead = bytes.size();
    if (bytes.capacity() > KeptReadBufferBytes)
        bytes = QByteArray(); // an unusually large file: not kept for the thread's life
    return result;
}

// `file` (open, a JPEG) decoded as libjpeg reads it.
LoadResult decodeJpegAsRead(QFile &file, const LoadRequest &request)
{
    LoadResult result = decodeJpeg(nullptr, size_t(file.size()), &file, request);
    result.bytesRead = file.size(); // as when read whole: the input's size, whatever libjpeg needed of it
    return result;
}

} // namespace

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
        r.error = openError(path, file);
        return r;
    }
    // Refused before anything is read: a 40 GB file named .jpg must not be
    // read whole (and fail its worker with an allocation) to find out.
    if (file.size() > MaxInputBytes) {
        LoadResult r;
        r.error = QStringLiteral("file is %1, above the %2 limit for an input; refused without reading")
                      .arg(mibText(double(file.size())), mibText(double(MaxInputBytes)));
        return r;
    }
    // A JPEG larger than the buffer a thread keeps is decoded as it is read,
    // a chunk at a time: its bytes are not held whole beside the image.
    LoadResult result = file.size() > KeptReadBufferBytes && startsLikeJpeg(file.peek(3))
        ? decodeJpegAsRead(file, request)
        : readAndDecode(file, request);
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
