// load: decoding what people actually drop on the window. Valid files in
// every layout we promise to read, DCT-scaled decodes, EXIF orientation, the
// decode cache, and bad input of every kind refused with a reason a person
// understands (never a crash, never a half-grey image).
#include "badinputs.h"
#include "imagebytes.h"
#include "pipeline/decodecache.h"
#include "pipeline/stages/load.h"
#include "pipeline/stages/save.h"
#include "testimages.h"

#include <QBuffer>
#include <QFile>
#include <QImageReader>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdio>
#include <functional>
#include <jpeglib.h>
#include <unistd.h>

using namespace pixelperf;
using namespace pixelperf::testing;

Q_DECLARE_METATYPE(pixelperf::ResizeMode)

namespace {

LoadRequest fullSize()
{
    return LoadRequest {};
}

// Four flat quadrants, so corners survive JPEG and can be told apart.
const QColor TopLeft(255, 0, 0), TopRight(0, 255, 0), BottomLeft(0, 0, 255), BottomRight(255, 255, 255);

PixelBuffer quadrants(int w, int h)
{
    return makeBuffer(w, h, 3, [&](int x, int y, int c) {
        const QColor &q
            = y < h / 2 ? (x < w / 2 ? TopLeft : TopRight) : (x < w / 2 ? BottomLeft : BottomRight);
        return c == 0 ? q.red() : c == 1 ? q.green() : q.blue();
    });
}

bool near(const PixelBuffer &b, int x, int y, const QColor &colour, int tolerance)
{
    return std::abs(px(b, x, y, 0) - colour.red()) <= tolerance
        && std::abs(px(b, x, y, 1) - colour.green()) <= tolerance
        && std::abs(px(b, x, y, 2) - colour.blue()) <= tolerance;
}

QString describe(const PixelBuffer &b, int x, int y)
{
    return QStringLiteral("(%1,%2,%3)").arg(px(b, x, y, 0)).arg(px(b, x, y, 1)).arg(px(b, x, y, 2));
}

// A sequential JPEG of w x h streamed through libjpeg a row at a time (no
// full-size image in memory): soft diagonal bands, at a low quality, so a
// 12000x9000 file takes well under a second to write.
QByteArray streamedJpeg(int w, int h, int quality)
{
    return libjpegRows(
        w, h, 3, JCS_RGB, quality, [](jpeg_compress_struct &) {},
        [&](int y, uint8_t *row) {
            for (int x = 0; x < w; ++x) {
                row[size_t(x) * 3] = uint8_t((x + y) / 64);
                row[size_t(x) * 3 + 1] = uint8_t(y * 255 / h);
                row[size_t(x) * 3 + 2] = uint8_t(x * 255 / w);
            }
        });
}

// A CMYK JPEG straight from libjpeg (Qt 6.4 cannot write one). With the
// Adobe marker the samples are stored inverted, as Photoshop writes them.
QByteArray cmykJpeg(int w, int h, const std::function<void(int, int, uint8_t *)> &inkAt, bool adobe)
{
    return libjpegRows(
        w, h, 4, JCS_CMYK, 95,
        [&](jpeg_compress_struct &c) {
            jpeg_set_colorspace(&c, JCS_CMYK);
            c.write_Adobe_marker = adobe ? TRUE : FALSE;
        },
        [&](int y, uint8_t *row) {
            for (int x = 0; x < w; ++x) {
                uint8_t ink[4];
                inkAt(x, y, ink);
                for (int i = 0; i < 4; ++i)
                    row[size_t(x) * 4 + size_t(i)] = adobe ? uint8_t(255 - ink[i]) : ink[i];
            }
        });
}

} // namespace

namespace {

// A progressive JPEG with its last scan (SOS to EOI) repeated `times` times.
QByteArray withRepeatedLastScan(const QByteArray &jpeg, int times)
{
    const qsizetype sos = jpeg.lastIndexOf(QByteArray("\xFF\xDA", 2));
    const qsizetype eoi = jpeg.lastIndexOf(QByteArray("\xFF\xD9", 2));
    if (sos < 0 || eoi < sos)
        return {};
    const QByteArray scan = jpeg.mid(sos, eoi - sos);
    return jpeg.left(eoi) + scan.repeated(times) + jpeg.mid(eoi);
}

QByteArray pngChunk(const QByteArray &type, const QByteArray &data)
{
    QByteArray chunk(4, '\0');
    putBigEndian32(chunk, 0, uint32_t(data.size()));
    const QByteArray body = type + data;
    chunk += body;
    chunk += QByteArray(4, '\0');
    putBigEndian32(chunk, chunk.size() - 4, crc32(body.constData(), body.size()));
    return chunk;
}

// An 8-bit RGB PNG of w x h whose one IDAT inflates to `inflated` zero bytes.
QByteArray pngInflatingTo(int w, int h, int inflated)
{
    QByteArray ihdr(13, '\0');
    putBigEndian32(ihdr, 0, uint32_t(w));
    putBigEndian32(ihdr, 4, uint32_t(h));
    ihdr[8] = 8;
    ihdr[9] = 2;
    return QByteArray("\x89PNG\r\n\x1a\n", 8) + pngChunk("IHDR", ihdr)
        + pngChunk("IDAT", qCompress(QByteArray(inflated, '\0'), 9).mid(4)) + pngChunk("IEND", {});
}

// `png` with an eXIf chunk (EXIF orientation `o`) right after its IHDR.
QByteArray withPngOrientation(const QByteArray &png, int o)
{
    const QByteArray tiff = exifPayload(o, false).mid(6); // the chunk holds no "Exif\0\0"
    return png.left(8 + 25) + pngChunk("eXIf", tiff) + png.mid(8 + 25);
}

// `webp` (a simple lossy or lossless file) as an extended one: a VP8X
// header flagging EXIF, its image, and an EXIF chunk with orientation `o`.
QByteArray withWebpOrientation(const QByteArray &webp, int o, int w, int h)
{
    QByteArray vp8x(11, '\0'); // one spare byte for the last 32-bit write
    vp8x[0] = char(0x08); // EXIF present
    putLittleEndian32(vp8x, 4, uint32_t(w - 1)); // 24-bit canvas width - 1, then height - 1
    putLittleEndian32(vp8x, 7, uint32_t(h - 1));
    vp8x.truncate(10);
    const QByteArray tiff = exifPayload(o, false).mid(6);
    auto chunk = [](const QByteArray &type, const QByteArray &data) {
        QByteArray c = type + QByteArray(4, '\0') + data;
        putLittleEndian32(c, 4, uint32_t(data.size()));
        return data.size() % 2 ? c + '\0' : c;
    };
    QByteArray body = "WEBP" + chunk("VP8X", vp8x) + webp.mid(12) + chunk("EXIF", tiff);
    QByteArray riff = "RIFF" + QByteArray(4, '\0') + body;
    putLittleEndian32(riff, 4, uint32_t(body.size()));
    return riff;
}

} // namespace

class TestLoad : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void jpegRoundTrip();
    void shrinkOnLoadDenominator_data();
    void shrinkOnLoadDenominator();
    void badInputRefusedWithReason_data();
    void badInputRefusedWithReason();
    void pixelLimitIsAParameter();
    void budgetOnDecodedPixels_data();
    void budgetOnDecodedPixels();
    void hugeJpegLoadsAtEighthScale();
    void largeJpegFileIsDecodedAsItIsRead();
    void layoutsLoadAsRgb_data();
    void layoutsLoadAsRgb();
    void cmykJpegLoadsAsRgb_data();
    void cmykJpegLoadsAsRgb();
    void exifOrientedJpegIsUpright_data();
    void exifOrientedJpegIsUpright();
    void exifOrientationBeforeShrink();
    void longOutputNameSaves();
    void unreadableFileRefused();
    void missingFileRefused();
    void brokenSymlinkRefused();
    void decodeCacheHitsUntilFileChanges();

private:
    // One JPEG per source size, shared by the shrink-on-load rows.
    QByteArray gradientJpeg(int w, int h);
    QHash<QString, QByteArray> m_gradients;
    QTemporaryDir m_dir;
};

void TestLoad::init()
{
    QVERIFY(m_dir.isValid());
    DecodeCache::instance().clear();
}

QByteArray TestLoad::gradientJpeg(int w, int h)
{
    const QString key = QStringLiteral("%1x%2").arg(w).arg(h);
    if (!m_gradients.contains(key)) {
        const PixelBuffer img = makeBuffer(w, h, 3, [&](int x, int y, int c) {
            return c == 0 ? x * 255 / w : c == 1 ? y * 255 / h : 128;
        });
        m_gradients.insert(key, jpegBytes(img, 80));
    }
    return m_gradients.value(key);
}

void TestLoad::jpegRoundTrip()
{
    // Odd sizes: not a multiple of the 8x8 / 16x16 JPEG blocks.
    const PixelBuffer original = photoLike(123, 77);
    const QString path = m_dir.filePath(QStringLiteral("roundtrip.jpg"));
    const SaveResult saved = saveImage(original, path, 90);
    QVERIFY2(saved.error.isEmpty(), qPrintable(saved.error));
    QCOMPARE(saved.bytesWritten, QFileInfo(path).size());

    const LoadResult loaded = loadImage(path, fullSize(), false);
    QVERIFY2(loaded.error.isEmpty(), qPrintable(loaded.error));
    QVERIFY(loaded.image);
    QCOMPARE(loaded.image->pixels.width(), 123);
    QCOMPARE(loaded.image->pixels.height(), 77);
    QCOMPARE(loaded.image->pixels.channels(), 3);
    QCOMPARE(loaded.image->sourceWidth, 123);
    QCOMPARE(loaded.image->sourceHeight, 77);
    QCOMPARE(loaded.image->scaleDenominator, 1);
    QCOMPARE(loaded.bytesRead, saved.bytesWritten);
    QVERIFY(!loaded.fromCache);
    // Quality 90 on a photo: well above 30 dB.
    const double quality = psnr(original, loaded.image->pixels);
    QVERIFY2(quality > 32, qPrintable(QString::number(quality)));

    // The bytes decode the same without the file.
    const LoadResult fromBytes = decodeImage(jpegBytes(original, 90), fullSize());
    QVERIFY(fromBytes.error.isEmpty());
    QCOMPARE(maxAbsDiff(fromBytes.image->pixels, loaded.image->pixels), 0);
}

void TestLoad::shrinkOnLoadDenominator_data()
{
    QTest::addColumn<int>("srcW");
    QTest::addColumn<int>("srcH");
    QTest::addColumn<int>("w");
    QTest::addColumn<int>("h");
    QTest::addColumn<ResizeMode>("mode");
    QTest::addColumn<bool>("shrink");
    QTest::addColumn<int>("denominator");
    // The largest d in {8, 4, 2} with box/d >= output in both axes, else 1.
    // 2560/8 = 320 < 800; 2560/4 = 640 < 800; 2560/2 = 1280 >= 800, 1600/2 = 800 >= 600.
    QTest::newRow("2560x1600 -> 800x600") << 2560 << 1600 << 800 << 600 << ResizeMode::Stretch << true << 2;
    // 2560/8 = 320 >= 300, 1600/8 = 200 >= 200.
    QTest::newRow("2560x1600 -> 300x200") << 2560 << 1600 << 300 << 200 << ResizeMode::Stretch << true << 8;
    // 640 >= 640 and 400 >= 400 at d=4 (equal is enough); 320 < 640 at d=8.
    QTest::newRow("2560x1600 -> 640x400") << 2560 << 1600 << 640 << 400 << ResizeMode::Stretch << true << 4;
    // One pixel more than a quarter: 640 < 641, back to d=2.
    QTest::newRow("2560x1600 -> 641x400") << 2560 << 1600 << 641 << 400 << ResizeMode::Stretch << true << 2;
    // More than half: 1280 < 1300, no shrink.
    QTest::newRow("2560x1600 -> 1300x600") << 2560 << 1600 << 1300 << 600 << ResizeMode::Stretch << true << 1;
    // Toggle off: always full size.
    QTest::newRow("toggle off") << 2560 << 1600 << 300 << 200 << ResizeMode::Stretch << false << 1;
    // Fill 1:1 uses a 1600x1600 box: 1600/4 = 400 >= 300, 1600/8 = 200 < 300.
    QTest::newRow("fill 300x300") << 2560 << 1600 << 300 << 300 << ResizeMode::Fill << true << 4;
    // Fit into 400x400 gives 400x250: 2560/8 = 320 < 400; 640 >= 400, 400 >= 250.
    QTest::newRow("fit 400x400") << 2560 << 1600 << 400 << 400 << ResizeMode::Fit << true << 4;
    // Odd source: 1001/8 = 125.1 >= 125, 601/8 = 75.1 >= 75; decoded
    // ceil(1001/8) = 126 x ceil(601/8) = 76.
    QTest::newRow("odd 1001x601 -> 125x75") << 1001 << 601 << 125 << 75 << ResizeMode::Stretch << true << 8;
    // 1001/8 = 125.125 < 126: d=4, decoded ceil(1001/4) = 251 x ceil(601/4) = 151.
    QTest::newRow("odd 1001x601 -> 126x75") << 1001 << 601 << 126 << 75 << ResizeMode::Stretch << true << 4;
}

void TestLoad::shrinkOnLoadDenominator()
{
    QFETCH(int, srcW);
    QFETCH(int, srcH);
    QFETCH(int, w);
    QFETCH(int, h);
    QFETCH(ResizeMode, mode);
    QFETCH(bool, shrink);
    QFETCH(int, denominator);
    LoadRequest request;
    request.targetWidth = w;
    request.targetHeight = h;
    request.mode = mode;
    request.shrinkOnLoad = shrink;
    QCOMPARE(shrinkDenominator(srcW, srcH, request), denominator);

    const LoadResult r = decodeImage(gradientJpeg(srcW, srcH), request);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.image->scaleDenominator, denominator);
    // The header's size, not the decoded one.
    QCOMPARE(r.image->sourceWidth, srcW);
    QCOMPARE(r.image->sourceHeight, srcH);
    // libjpeg's DCT scaling rounds up: ceil(src / d).
    QCOMPARE(r.image->pixels.width(), (srcW + denominator - 1) / denominator);
    QCOMPARE(r.image->pixels.height(), (srcH + denominator - 1) / denominator);
    // Still the same picture: red follows x, green follows y. Check the
    // far corner against the gradient, a few levels of JPEG error allowed.
    const PixelBuffer &p = r.image->pixels;
    const int x = p.width() - 2, y = p.height() - 2;
    QVERIFY2(std::abs(px(p, x, y, 0) - (x * denominator) * 255 / srcW) <= 8, qPrintable(describe(p, x, y)));
    QVERIFY2(std::abs(px(p, x, y, 1) - (y * denominator) * 255 / srcH) <= 8, qPrintable(describe(p, x, y)));
}

void TestLoad::badInputRefusedWithReason_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QStringList>("mentions"); // words the reason must contain (any case)

    const QByteArray jpeg = jpegBytes(photoLike(256, 192), 90);
    QImage photo(160, 120, QImage::Format_RGB888);
    {
        const PixelBuffer p = photoLike(160, 120);
        for (int y = 0; y < 120; ++y)
            std::memcpy(photo.scanLine(y), p.row(y), p.stride());
    }
    const QByteArray photoPng = qtEncode(photo, "png");

    QByteArray random(4096, Qt::Uninitialized);
    QRandomGenerator rng(20240601);
    for (char &b : random)
        b = char(rng.bounded(256));
    random[0] = 'R'; // not FF D8 by chance

    QTest::newRow("empty") << "empty.jpg" << QByteArray() << QStringList { "empty" };
    // Half a JPEG: the scan data stops in the middle; libjpeg would pad it
    // with grey and call it a success.
    QTest::newRow("truncated JPEG") << "half.jpg" << jpeg.left(jpeg.size() / 2)
                                    << QStringList { "truncated" };
    // Cut inside the header tables, before any image data.
    QTest::newRow("JPEG cut in header") << "stub.jpg" << jpeg.left(200) << QStringList { "truncated" };
    QTest::newRow("random bytes .jpg") << "noise.jpg" << random << QStringList { "not an image" };
    QTest::newRow("text named .png") << "notes.png"
                                     << QByteArray("These are my holiday notes, not a picture.\n")
                                     << QStringList { "not an image" };
    QTest::newRow("truncated PNG") << "half.png" << photoPng.left(photoPng.size() / 2)
                                   << QStringList { "PNG" };
    // Headers that claim 600 megapixels: refused from the header, before any
    // allocation or decoding.
    QTest::newRow("JPEG declares 30000x20000") << "huge.jpg" << withJpegDimensions(jpeg, 30000, 20000)
                                               << QStringList { "30000x20000", "megapixel", "limit" };
    QTest::newRow("PNG declares 30000x20000") << "huge.png" << withPngDimensions(photoPng, 30000, 20000)
                                              << QStringList { "30000x20000", "megapixel", "limit" };
    // Qt's BMP reader gives no size above 16384x16384 pixels: the size comes
    // from the BMP header all the same, and the reason says it.
    QTest::newRow("BMP declares 40000x40000")
        << "huge.bmp" << bmpDeclaring(40000, 40000) << QStringList { "40000x40000", "megapixel", "limit" };
    QTest::newRow("BMP declares 12000x10000")
        << "big.bmp" << bmpDeclaring(12000, 10000) << QStringList { "12000x10000", "megapixel", "limit" };
    QTest::newRow("bottom-up BMP declares 40000x-40000")
        << "huge-topdown.bmp" << bmpDeclaring(40000, uint32_t(-40000))
        << QStringList { "40000x40000", "megapixel", "limit" };
    QTest::newRow("GIF frame declares 30000x20000")
        << "huge.gif" << gifDeclaring(30000, 20000) << QStringList { "30000x20000", "megapixel", "limit" };
    // A format whose reader gives no size before decoding (an Apple icon,
    // content decides, not the name) holding a PNG that declares 1.6
    // gigapixels: not one of the five formats, refused before decoding.
    QTest::newRow("icon holding a 40000x40000 PNG")
        << "icon.png" << icnsHolding(withPngDimensions(photoPng, 40000, 40000))
        << QStringList { "ICNS", "not a format PixelPerf reads" };
    // A JPEG's start and nothing else.
    QTest::newRow("SOI only") << "soi.jpg" << QByteArray("\xFF\xD8\xFF", 3) << QStringList { "JPEG" };

    // Bounded work (issue 20): a progressive JPEG whose last scan is repeated
    // 3,000 times (libjpeg warns and works through each; seconds of CPU per
    // hundred on a photo), a 100x100 PNG whose image data inflates to 64 MB,
    // a GIF whose screen (which Qt's image takes) is 65535x65535.
    QTest::newRow("progressive JPEG with 3000 scans")
        << "scans.jpg" << withRepeatedLastScan(progressiveJpeg(photo), 3000)
        << QStringList { "JPEG", "more than 100 corrupt-data warnings" };
    QTest::newRow("PNG data inflating far past its header")
        << "bomb.png" << pngInflatingTo(100, 100, 64 << 20)
        << QStringList { "decompression bomb", "100x100" };
    QByteArray hugeScreen = gifDeclaring(1, 1);
    putLittleEndian16(hugeScreen, 6, 65535);
    putLittleEndian16(hugeScreen, 8, 65535);
    QTest::newRow("GIF screen of 65535x65535")
        << "screen.gif" << hugeScreen << QStringList { "65535x65535", "megapixel", "limit" };
    // Five formats are documented; Qt's plugins read more, whatever the name.
    QTest::newRow("TIFF named .jpg") << "tiff.jpg" << qtEncode(photo, "tiff")
                                     << QStringList { "TIFF", "not a format PixelPerf reads" };
}

void TestLoad::badInputRefusedWithReason()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, bytes);
    QFETCH(QStringList, mentions);
    const QString path = m_dir.filePath(fileName);
    QVERIFY(writeFile(path, bytes));
    for (bool cache : { false, true }) {
        const LoadResult r = loadImage(path, fullSize(), cache);
        QVERIFY(!r.image);
        QVERIFY(!r.error.isEmpty());
        for (const QString &word : mentions)
            QVERIFY2(r.error.contains(word, Qt::CaseInsensitive),
                qPrintable(QStringLiteral("reason \"%1\" does not mention \"%2\"").arg(r.error, word)));
    }
    // Nothing failed is cached.
    QCOMPARE(DecodeCache::instance().count(), 0);
}

void TestLoad::pixelLimitIsAParameter()
{
    // A real 200x100 JPEG (0.02 MP) with the limit set to 0.01 MP.
    LoadRequest request;
    request.maxPixels = 10000;
    const LoadResult jpeg = decodeImage(jpegBytes(photoLike(200, 100)), request);
    QVERIFY(!jpeg.image);
    QVERIFY2(jpeg.error.contains(QLatin1String("megapixel")), qPrintable(jpeg.error));
    QImage image(200, 100, QImage::Format_RGB888);
    image.fill(Qt::gray);
    const LoadResult png = decodeImage(qtEncode(image, "png"), request);
    QVERIFY(!png.image);
    QVERIFY2(png.error.contains(QLatin1String("megapixel")), qPrintable(png.error));
    // 20000 pixels exactly is allowed.
    request.maxPixels = 20000;
    QVERIFY(decodeImage(jpegBytes(photoLike(200, 100)), request).image);
    QVERIFY(decodeImage(qtEncode(image, "png"), request).image);
}

void TestLoad::budgetOnDecodedPixels_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("shrinkOnLoad");
    QTest::addColumn<int>("maxPixels");
    QTest::addColumn<QStringList>("refusal"); // empty: it loads
    // A 400x300 photo (0.12 megapixels) under a budget of 0.01: at 1/8 scale
    // (the output is 40x30) it decodes to 50x38 pixels, within it.
    const PixelBuffer photo = photoLike(400, 300);
    const QByteArray sequential = jpegBytes(photo);
    QTest::newRow("sequential, shrunk within the budget") << sequential << true << 10000 << QStringList {};
    QTest::newRow("sequential, full size")
        << sequential << false << 10000 << QStringList { "400x300", "megapixel", "limit" };
    // libjpeg holds a progressive file's coefficients at full size, scaled
    // output or not.
    QTest::newRow("progressive, shrunk") << progressiveJpeg(toQImage(photo)) << true << 10000
                                         << QStringList { "400x300", "progressive", "limit" };
    // A header claiming 24000x19000 pixels over a 400x300 photo's data: at
    // 1/8 scale within a 10-megapixel budget, but its bytes cannot hold that
    // many blocks: a bomb, refused before anything is allocated.
    QTest::newRow("header claiming 24000x19000") << withJpegDimensions(sequential, 24000,
        19000) << true << 10000000 << QStringList { "24000x19000", "decompression bomb", "without decoding" };
}

void TestLoad::budgetOnDecodedPixels()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, shrinkOnLoad);
    QFETCH(int, maxPixels);
    QFETCH(QStringList, refusal);
    QVERIFY(!bytes.isEmpty());
    LoadRequest request;
    request.maxPixels = maxPixels;
    request.shrinkOnLoad = shrinkOnLoad;
    request.targetWidth = 40;
    request.targetHeight = 30;
    const LoadResult r = decodeImage(bytes, request);
    if (refusal.isEmpty()) {
        QVERIFY2(r.image, qPrintable(r.error));
        QCOMPARE(r.image->scaleDenominator, 8);
        QCOMPARE(r.image->pixels.width(), 50);
        QCOMPARE(r.image->sourceWidth, 400);
        return;
    }
    QVERIFY(!r.image);
    for (const QString &word : refusal)
        QVERIFY2(r.error.contains(word, Qt::CaseInsensitive),
            qPrintable(QStringLiteral("reason \"%1\" does not mention \"%2\"").arg(r.error, word)));
}

void TestLoad::hugeJpegLoadsAtEighthScale()
{
    // 12000x9000 (108 megapixels, above the default 100-megapixel budget):
    // for an 800x600 output, shrink-on-load decodes it at 1/8 into a
    // 1500x1125 buffer, which the budget allows; at full size it is refused.
    const QByteArray huge = streamedJpeg(12000, 9000, 20);
    QVERIFY(!huge.isEmpty());
    LoadRequest request;
    request.shrinkOnLoad = true;
    request.targetWidth = 800;
    request.targetHeight = 600;
    const LoadResult shrunk = decodeImage(huge, request);
    QVERIFY2(shrunk.image, qPrintable(shrunk.error));
    QCOMPARE(shrunk.image->scaleDenominator, 8);
    QCOMPARE(shrunk.image->pixels.width(), 1500);
    QCOMPARE(shrunk.image->pixels.height(), 1125);
    QCOMPARE(shrunk.image->sourceWidth, 12000);
    request.shrinkOnLoad = false;
    const LoadResult full = decodeImage(huge, request);
    QVERIFY(!full.image);
    QVERIFY2(full.error.contains(QLatin1String("12000x9000")) && full.error.contains(QLatin1String("limit")),
        qPrintable(full.error));
}

void TestLoad::largeJpegFileIsDecodedAsItIsRead()
{
    // Above the 16 MiB read buffer a thread keeps, a JPEG file is decoded
    // from the file a chunk at a time instead of read whole first: the same
    // pixels, every byte counted, and a file cut short still refused as
    // truncated. Noise at quality 95 takes about 1.2 bytes a pixel.
    uint32_t state = 12345;
    const int w = 5000;
    const int h = 4000;
    const QByteArray jpeg = libjpegRows(
        w, h, 3, JCS_RGB, 95, [](jpeg_compress_struct &) {},
        [&](int, uint8_t *row) {
            for (int i = 0; i < w * 3; ++i) {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                row[i] = uint8_t(state);
            }
        });
    QVERIFY2(jpeg.size() > (qsizetype(20) << 20), qPrintable(QString::number(jpeg.size())));
    const QString path = m_dir.filePath(QStringLiteral("large.jpg"));
    QVERIFY(writeFile(path, withExifOrientation(jpeg, 6)));
    LoadRequest request;
    request.shrinkOnLoad = true;
    request.targetWidth = 700;
    request.targetHeight = 500;
    for (const bool shrink : { true, false }) {
        request.shrinkOnLoad = shrink;
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        const LoadResult fromMemory = decodeImage(bytes, request);
        const LoadResult fromFile = loadImage(path, request, DecodeCacheUse::None);
        QVERIFY2(fromFile.image, qPrintable(fromFile.error));
        QVERIFY2(fromMemory.image, qPrintable(fromMemory.error));
        QCOMPARE(fromFile.image->scaleDenominator, shrink ? 4 : 1); // 1000x1250 for 700x500
        QCOMPARE(fromFile.image->pixels.width(), h / fromFile.image->scaleDenominator); // turned upright
        QVERIFY(sameBytes(fromFile.image->pixels, fromMemory.image->pixels));
        QCOMPARE(fromFile.bytesRead, bytes.size());
    }

    const QString cut = m_dir.filePath(QStringLiteral("cut.jpg"));
    QVERIFY(writeFile(cut, jpeg.left(jpeg.size() * 7 / 8)));
    const LoadResult truncated = loadImage(cut, request, DecodeCacheUse::None);
    QVERIFY(!truncated.image);
    QVERIFY2(truncated.error.contains(QLatin1String("truncated JPEG")), qPrintable(truncated.error));
}

void TestLoad::layoutsLoadAsRgb_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QColor>("topLeft"); // expected colour of pixel (2, 2)
    QTest::addColumn<int>("tolerance");

    QImage grey(40, 30, QImage::Format_Grayscale8);
    grey.fill(QColor(90, 90, 90));
    QTest::newRow("grayscale JPEG") << "grey.jpg" << qtEncode(grey, "jpg", 95) << QColor(90, 90, 90) << 3;

    QImage alpha(40, 30, QImage::Format_ARGB32);
    alpha.fill(QColor(200, 40, 10, 128));
    // Alpha is dropped, not blended with black (as Pillow's convert("RGB")).
    QTest::newRow("PNG with alpha") << "alpha.png" << qtEncode(alpha, "png") << QColor(200, 40, 10) << 0;

    QImage palette(40, 30, QImage::Format_Indexed8);
    palette.setColorTable({ qRgb(10, 20, 30), qRgb(250, 128, 0) });
    palette.fill(1);
    QTest::newRow("palette PNG") << "palette.png" << qtEncode(palette, "png") << QColor(250, 128, 0) << 0;

    QImage rgb(40, 30, QImage::Format_RGB32);
    rgb.fill(QColor(12, 34, 56));
    QTest::newRow("BMP") << "plain.bmp" << qtEncode(rgb, "bmp") << QColor(12, 34, 56) << 0;
    // Content decides, not the name.
    QTest::newRow("JPEG named .png") << "liar.png" << qtEncode(rgb, "jpg", 95) << QColor(12, 34, 56) << 3;
    QTest::newRow("PNG named .jpg") << "liar.jpg" << qtEncode(rgb, "png") << QColor(12, 34, 56) << 0;
}

void TestLoad::layoutsLoadAsRgb()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, bytes);
    QFETCH(QColor, topLeft);
    QFETCH(int, tolerance);
    QVERIFY(!bytes.isEmpty());
    const QString path = m_dir.filePath(fileName);
    QVERIFY(writeFile(path, bytes));
    const LoadResult r = loadImage(path, fullSize(), false);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    const PixelBuffer &p = r.image->pixels;
    QCOMPARE(p.channels(), 3);
    QCOMPARE(p.width(), 40);
    QCOMPARE(p.height(), 30);
    QVERIFY2(near(p, 2, 2, topLeft, tolerance), qPrintable(describe(p, 2, 2)));
    QVERIFY2(near(p, 37, 27, topLeft, tolerance), qPrintable(describe(p, 37, 27)));
}

void TestLoad::cmykJpegLoadsAsRgb_data()
{
    QTest::addColumn<bool>("adobe");
    QTest::newRow("Adobe (inverted)") << true;
    QTest::newRow("plain") << false;
}

void TestLoad::cmykJpegLoadsAsRgb()
{
    QFETCH(bool, adobe);
    // Left half: magenta + yellow ink = red. Right half: 50 % black ink only,
    // RGB = 255 (1 - 0.5) = 127.5, a mid grey.
    const QByteArray bytes = cmykJpeg(
        32, 16,
        [](int x, int, uint8_t *ink) {
            ink[0] = 0;
            ink[1] = x < 16 ? 255 : 0;
            ink[2] = x < 16 ? 255 : 0;
            ink[3] = x < 16 ? 0 : 128;
        },
        adobe);
    const LoadResult r = decodeImage(bytes, fullSize());
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    const PixelBuffer &p = r.image->pixels;
    QCOMPARE(p.channels(), 3);
    QCOMPARE(p.width(), 32);
    QVERIFY2(near(p, 4, 8, QColor(255, 0, 0), 6), qPrintable(describe(p, 4, 8)));
    QVERIFY2(near(p, 28, 8, QColor(127, 127, 127), 6), qPrintable(describe(p, 28, 8)));
}

void TestLoad::exifOrientedJpegIsUpright_data()
{
    QTest::addColumn<int>("orientation");
    QTest::addColumn<bool>("bigEndian");
    QTest::addColumn<QColor>("tl");
    QTest::addColumn<QColor>("tr");
    QTest::addColumn<QColor>("bl");
    QTest::addColumn<QColor>("br");
    QTest::addColumn<QString>("format"); // "jpg" (APP1), "png" (eXIf), as Pillow's exif_transpose reads them
    // Stored 64x32 image: red | green over blue | white.
    QTest::newRow("1") << 1 << false << TopLeft << TopRight << BottomLeft << BottomRight << "jpg";
    // 6, rotate 90 clockwise: the stored left column (red over blue) becomes
    // the top row read right to left: blue | red; the bottom row is
    // white | green.
    QTest::newRow("6") << 6 << false << BottomLeft << TopLeft << BottomRight << TopRight << "jpg";
    QTest::newRow("6 big-endian") << 6 << true << BottomLeft << TopLeft << BottomRight << TopRight << "jpg";
    // 8, rotate 90 counter-clockwise: the stored top row (red | green) becomes
    // the left column read bottom to top: green over red.
    QTest::newRow("8") << 8 << false << TopRight << BottomRight << TopLeft << BottomLeft << "jpg";
    // 3, rotate 180.
    QTest::newRow("3") << 3 << false << BottomRight << BottomLeft << TopRight << TopLeft << "jpg";
    QTest::newRow("6 PNG eXIf") << 6 << false << BottomLeft << TopLeft << BottomRight << TopRight << "png";
    QTest::newRow("8 PNG eXIf") << 8 << false << TopRight << BottomRight << TopLeft << BottomLeft << "png";
    QTest::newRow("6 WebP EXIF") << 6 << false << BottomLeft << TopLeft << BottomRight << TopRight << "webp";
}

void TestLoad::exifOrientedJpegIsUpright()
{
    QFETCH(int, orientation);
    QFETCH(bool, bigEndian);
    QFETCH(QColor, tl);
    QFETCH(QColor, tr);
    QFETCH(QColor, bl);
    QFETCH(QColor, br);
    QFETCH(QString, format);
    const QImage stored = toQImage(quadrants(64, 32));
    const QByteArray bytes = format == QLatin1String("png")
        ? withPngOrientation(qtEncode(stored, "png"), orientation)
        : format == QLatin1String("webp")
        ? withWebpOrientation(qtEncode(stored, "webp", 100), orientation, 64, 32)
        : withExifOrientation(jpegBytes(quadrants(64, 32), 95), orientation, bigEndian);
    const QString path = m_dir.filePath(QStringLiteral("exif%1.%2").arg(orientation).arg(format));
    QVERIFY(writeFile(path, bytes));
    const LoadResult r = loadImage(path, fullSize(), false);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    const PixelBuffer &p = r.image->pixels;
    const bool swapped = orientation >= 5;
    QCOMPARE(p.width(), swapped ? 32 : 64);
    QCOMPARE(p.height(), swapped ? 64 : 32);
    QCOMPARE(r.image->sourceWidth, p.width());
    QCOMPARE(r.image->sourceHeight, p.height());
    // The centre of each displayed quadrant, away from chroma bleeding.
    const int qx = p.width() / 4, qy = p.height() / 4;
    const int tolerance = 24;
    QVERIFY2(near(p, qx, qy, tl, tolerance), qPrintable("top left " + describe(p, qx, qy)));
    QVERIFY2(near(p, 3 * qx, qy, tr, tolerance), qPrintable("top right " + describe(p, 3 * qx, qy)));
    QVERIFY2(near(p, qx, 3 * qy, bl, tolerance), qPrintable("bottom left " + describe(p, qx, 3 * qy)));
    QVERIFY2(
        near(p, 3 * qx, 3 * qy, br, tolerance), qPrintable("bottom right " + describe(p, 3 * qx, 3 * qy)));
}

void TestLoad::longOutputNameSaves()
{
    // 250 bytes: with the temporary file's ".name.XXXXXX.part" around it, more
    // than a file name's 255; the save must still work, under the full name.
    const QString name = QString(246, QLatin1Char('n')) + QStringLiteral(".png");
    const QString path = m_dir.filePath(name);
    const SaveResult saved = saveImage(photoLike(16, 12), path, 90);
    QVERIFY2(saved.error.isEmpty(), qPrintable(saved.error));
    QVERIFY(loadImage(path, fullSize(), false).image);
    QVERIFY(QDir(m_dir.path()).entryList(QDir::Files | QDir::Hidden).contains(name));
    for (const QString &left : QDir(m_dir.path()).entryList(QDir::Files | QDir::Hidden))
        QVERIFY2(!left.endsWith(QLatin1String(".part")), qPrintable(left));
}

void TestLoad::exifOrientationBeforeShrink()
{
    // Stored 1600x800, orientation 6: upright 800x1600. For an 200x400
    // target, the upright box allows d = 4 (800/4 = 200, 1600/4 = 400); the
    // stored one would only allow d = 2 (800/4 = 200 < 400).
    const QByteArray bytes = withExifOrientation(gradientJpeg(1600, 800), 6);
    LoadRequest request;
    request.targetWidth = 200;
    request.targetHeight = 400;
    request.shrinkOnLoad = true;
    const LoadResult r = decodeImage(bytes, request);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.image->sourceWidth, 800);
    QCOMPARE(r.image->sourceHeight, 1600);
    QCOMPARE(r.image->scaleDenominator, 4);
    QCOMPARE(r.image->pixels.width(), 200);
    QCOMPARE(r.image->pixels.height(), 400);
}

void TestLoad::unreadableFileRefused()
{
    if (::geteuid() == 0)
        QSKIP("running as root: permissions do not stop root from reading");
    const QString path = m_dir.filePath(QStringLiteral("secret.jpg"));
    QVERIFY(writeFile(path, jpegBytes(photoLike(32, 32))));
    QVERIFY(QFile::setPermissions(path, QFileDevice::Permissions()));
    const LoadResult r = loadImage(path, fullSize(), true);
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QVERIFY(!r.image);
    QVERIFY2(r.error.contains(QLatin1String("cannot open"), Qt::CaseInsensitive), qPrintable(r.error));
    QVERIFY2(r.error.contains(QLatin1String("permission"), Qt::CaseInsensitive), qPrintable(r.error));
}

void TestLoad::missingFileRefused()
{
    const LoadResult r = loadImage(m_dir.filePath(QStringLiteral("gone.jpg")), fullSize(), true);
    QVERIFY(!r.image);
    QVERIFY2(r.error.contains(QLatin1String("cannot open"), Qt::CaseInsensitive), qPrintable(r.error));
}

void TestLoad::brokenSymlinkRefused()
{
    // broken.jpg -> missing.jpg, and a link to itself: named for what it is.
    const QString broken = m_dir.filePath(QStringLiteral("broken.jpg"));
    const QString loop = m_dir.filePath(QStringLiteral("loop.png"));
    QVERIFY(QFile::link(QStringLiteral("missing.jpg"), broken));
    QVERIFY(QFile::link(QStringLiteral("loop.png"), loop));
    for (const QString &path : { broken, loop }) {
        for (bool cache : { false, true }) {
            const LoadResult r = loadImage(path, fullSize(), cache);
            QVERIFY(!r.image);
            QVERIFY2(r.error.contains(QLatin1String("broken symbolic link")), qPrintable(r.error));
        }
    }
    const LoadResult r = loadImage(broken, fullSize(), false);
    QVERIFY2(r.error.contains(QLatin1String("missing.jpg")), qPrintable(r.error));
}

void TestLoad::decodeCacheHitsUntilFileChanges()
{
    const QString path = m_dir.filePath(QStringLiteral("cached.jpg"));
    QVERIFY(writeFile(path, jpegBytes(photoLike(64, 48, 1))));
    LoadRequest request;
    request.targetWidth = 32;
    request.targetHeight = 24;

    const LoadResult first = loadImage(path, request, true);
    QVERIFY(first.error.isEmpty());
    QVERIFY(!first.fromCache);
    QVERIFY(first.bytesRead > 0);
    QCOMPARE(DecodeCache::instance().count(), 1);

    const LoadResult second = loadImage(path, request, true);
    QVERIFY(second.fromCache);
    QCOMPARE(second.image.get(), first.image.get()); // the same decode, shared
    QCOMPARE(second.bytesRead, 0); // nothing read

    // Without the cache: decoded again.
    const LoadResult uncached = loadImage(path, request, false);
    QVERIFY(!uncached.fromCache);
    QVERIFY(uncached.image.get() != first.image.get());

    // Another request (shrink-on-load decodes to another size): its own entry.
    LoadRequest shrink = request;
    shrink.shrinkOnLoad = true;
    const LoadResult shrunk = loadImage(path, shrink, true);
    QVERIFY(!shrunk.fromCache);
    QCOMPARE(shrunk.image->scaleDenominator, 2);
    QVERIFY(loadImage(path, shrink, true).fromCache);

    // The file is replaced by another picture of another size: decoded anew.
    QVERIFY(writeFile(path, jpegBytes(photoLike(80, 40, 2))));
    const LoadResult changed = loadImage(path, request, true);
    QVERIFY(!changed.fromCache);
    QCOMPARE(changed.image->pixels.width(), 80);
    QVERIFY(loadImage(path, request, true).fromCache);

    // Rewritten with the same size (here, the same bytes): only the
    // modification time tells, and it is enough.
    QVERIFY(writeFile(path, jpegBytes(photoLike(80, 40, 2))));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.setFileTime(QDateTime::currentDateTime().addSecs(-3600), QFileDevice::FileModificationTime));
    file.close();
    const LoadResult touched = loadImage(path, request, true);
    QVERIFY(touched.image);
    QVERIFY(!touched.fromCache);
}

QTEST_GUILESS_MAIN(TestLoad)
#include "tst_load.moc"
