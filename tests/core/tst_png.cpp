// PNG in and out (load's and save's libspng path): every layout decodes to
// the pixels Qt's reader gives, damaged files fail alone with a reason, and
// what save writes reads back exactly.
#include "badinputs.h"
#include "imagebytes.h"
#include "pipeline/pipeline.h"
#include "pipeline/stages/load.h"
#include "pipeline/stages/save.h"
#include "pngbytes.h"
#include "testimages.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

using namespace pixelperf;
using namespace pixelperf::testing;

namespace {

// The first pixel where the two differ, or empty.
QString firstDifference(const PixelBuffer &ours, const QImage &theirs)
{
    if (ours.width() != theirs.width() || ours.height() != theirs.height() || ours.channels() != 3)
        return QStringLiteral("size %1x%2x%3 against Qt's %4x%5")
            .arg(ours.width())
            .arg(ours.height())
            .arg(ours.channels())
            .arg(theirs.width())
            .arg(theirs.height());
    for (int y = 0; y < ours.height(); ++y) {
        const uchar *q = theirs.constScanLine(y);
        for (int x = 0; x < ours.width() * 3; ++x) {
            if (ours.row(y)[x] != q[x])
                return QStringLiteral("pixel (%1,%2) channel %3: %4, Qt's reader %5")
                    .arg(x / 3)
                    .arg(y)
                    .arg(x % 3)
                    .arg(ours.row(y)[x])
                    .arg(q[x]);
        }
    }
    return {};
}

// A photo with an alpha ramp that reaches 0 and 255 (straight alpha).
QImage photoWithAlpha(int w, int h)
{
    const PixelBuffer rgba = photoLikeRgba(w, h);
    QImage image(w, h, QImage::Format_ARGB32);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const uint8_t *p = rgba.row(y) + 4 * x;
            image.setPixel(x, y, qRgba(p[0], p[1], p[2], p[3]));
        }
    return image;
}

// 16 bits a channel, values spread over the whole range (not multiples of
// 257, so the rounding to 8 bits is exercised).
QImage sixteenBit(int w, int h, QImage::Format format)
{
    QImage image(w, h, format);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            image.setPixelColor(x, y,
                QColor::fromRgba64(quint16(x * 977 + y * 131), quint16(x * 53 + y * 4099),
                    quint16((x * y * 31 + 7) * 97), quint16(x * 1543 + y * 61)));
    return image;
}

// Every 16-bit grey value once, in a 256x256 image.
QImage everyGrey16()
{
    QImage image(256, 256, QImage::Format_Grayscale16);
    for (int y = 0; y < 256; ++y)
        for (int x = 0; x < 256; ++x)
            reinterpret_cast<quint16 *>(image.scanLine(y))[x] = quint16(y * 256 + x);
    return image;
}

// A sample in [0, 2^depth) that varies in x, y and channel.
auto varied(int depth)
{
    return [depth](int x, int y, int c) { return (x * 37 + y * 101 + c * 59 + x * y) % (1 << depth); };
}

PipelineConfig pngRun(const QString &in, const QString &out)
{
    PipelineConfig c;
    c.preset = QStringLiteral("optimized");
    c.toggles = *presetToggles(c.preset);
    c.inputDir = in;
    c.outputDir = out;
    c.params.width = 64;
    c.params.height = 48;
    c.params.jobs = 2;
    return c;
}

} // namespace

class TestPng : public QObject
{
    Q_OBJECT

private slots:
    void decodesAsQtReads_data();
    void decodesAsQtReads();
    void sixteenBitRoundsToNearest();
    void damagedPngRefusedWithReason_data();
    void damagedPngRefusedWithReason();
    void budgetFromTheHeader();
    void damagedPngFailsAloneInABatch();
    void saveRoundTrips_data();
    void saveRoundTrips();

private:
    QTemporaryDir m_dir;
};

void TestPng::decodesAsQtReads_data()
{
    QTest::addColumn<QByteArray>("png");
    QTest::addColumn<int>("colourType"); // what the file must be, so the row tests what it says
    QTest::addColumn<int>("bitDepth");

    const QImage photo = toQImage(photoLike(61, 47));
    QTest::newRow("RGB 8-bit") << qtEncode(photo, "png") << 2 << 8;
    QTest::newRow("RGBA 8-bit, alpha 0 to 255") << qtEncode(photoWithAlpha(61, 47), "png") << 6 << 8;
    QTest::newRow("grey 8-bit") << qtEncode(photo.convertToFormat(QImage::Format_Grayscale8), "png") << 0
                                << 8;
    QTest::newRow("palette with transparent entries")
        << palettePngWithAlpha(33, 21, qRgb(200, 10, 10)) << 3 << 8;
    QTest::newRow("RGBA 16-bit") << qtEncode(sixteenBit(37, 29, QImage::Format_RGBA64), "png") << 6 << 16;
    QTest::newRow("RGB 16-bit") << qtEncode(sixteenBit(37, 29, QImage::Format_RGBX64), "png") << 2 << 16;
    QTest::newRow("grey 16-bit, every value") << qtEncode(everyGrey16(), "png") << 0 << 16;

    // Written by hand: what Qt's writer does not make.
    const QList<QRgb> palette { qRgb(255, 0, 0), qRgb(0, 128, 255), qRgb(17, 34, 51), qRgb(250, 250, 5),
        qRgb(0, 0, 0), qRgb(90, 10, 200), qRgb(1, 2, 3), qRgb(128, 128, 128), qRgb(255, 255, 255),
        qRgb(60, 70, 80), qRgb(200, 100, 50), qRgb(5, 250, 125), qRgb(33, 66, 99), qRgb(99, 66, 33),
        qRgb(210, 0, 120), qRgb(12, 140, 12) };
    for (bool interlaced : { false, true }) {
        const char *how = interlaced ? ", interlaced" : "";
        for (int depth : { 1, 2, 4 })
            QTest::newRow(qPrintable(QStringLiteral("grey %1-bit%2").arg(depth).arg(how)))
                << handMadePng(29, 19, { 0, depth, interlaced }, varied(depth)) << 0 << depth;
        QTest::newRow(qPrintable(QStringLiteral("palette 4-bit%1").arg(how)))
            << handMadePng(29, 19, { 3, 4, interlaced }, varied(4), palette) << 3 << 4;
        QTest::newRow(qPrintable(QStringLiteral("grey + alpha 8-bit%1").arg(how)))
            << handMadePng(29, 19, { 4, 8, interlaced }, varied(8)) << 4 << 8;
        QTest::newRow(qPrintable(QStringLiteral("grey + alpha 16-bit%1").arg(how)))
            << handMadePng(29, 19, { 4, 16, interlaced }, varied(16)) << 4 << 16;
        QTest::newRow(qPrintable(QStringLiteral("RGB 8-bit%1").arg(how)))
            << handMadePng(29, 19, { 2, 8, interlaced }, varied(8)) << 2 << 8;
        QTest::newRow(qPrintable(QStringLiteral("RGBA 16-bit%1").arg(how)))
            << handMadePng(29, 19, { 6, 16, interlaced }, varied(16)) << 6 << 16;
        // A tRNS colour key: the key's pixels become transparent in Qt's
        // image; alpha is dropped either way, the colour stays.
        QTest::newRow(qPrintable(QStringLiteral("RGB with a colour key%1").arg(how))) << handMadePng(
            29, 19, { 2, 8, interlaced }, [](int x, int, int) { return x % 3 == 0 ? 7 : x * 8; }, {},
            QByteArray("\0\7\0\7\0\7", 6)) << 2 << 8;
    }
    // Images smaller than Adam7's 8x8 cell: some passes are empty.
    QTest::newRow("1x1, interlaced") << handMadePng(1, 1, { 2, 8, true }, varied(8)) << 2 << 8;
    QTest::newRow("3x2, interlaced") << handMadePng(3, 2, { 6, 8, true }, varied(8)) << 6 << 8;
    QTest::newRow("photo, interlaced") << handMadePng(161, 97, { 2, 8, true }, [&](int x, int y, int c) {
        return int(photo.constScanLine(y % 47)[(x % 61) * 3 + c]);
    }) << 2 << 8;
}

void TestPng::decodesAsQtReads()
{
    QFETCH(QByteArray, png);
    QFETCH(int, colourType);
    QFETCH(int, bitDepth);
    QCOMPARE(pngColourType(png), colourType);
    QCOMPARE(pngBitDepth(png), bitDepth);
    QImage qt = QImage::fromData(png);
    QVERIFY2(!qt.isNull(), "Qt's reader cannot read the test's file");
    qt.convertTo(QImage::Format_RGB888);
    const LoadResult r = decodeImage(png, LoadRequest {});
    QVERIFY2(r.image, qPrintable(r.error));
    const QString difference = firstDifference(r.image->pixels, qt);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
}

void TestPng::sixteenBitRoundsToNearest()
{
    // 8-bit n is 16-bit n * 257: each 16-bit value goes to the nearest 8-bit
    // one. Taking the high byte (libspng's own 8-bit output) would give
    // 201, 3 and 212 for the first three.
    const int values[][2] = { { 51528, 200 }, { 1000, 4 }, { 54321, 211 }, { 383, 1 }, { 128, 0 }, { 129, 1 },
        { 32895, 128 }, { 65535, 255 }, { 0, 0 } };
    const int n = int(std::size(values));
    const QByteArray png = handMadePng(n, 1, { 0, 16, false }, [&](int x, int, int) { return values[x][0]; });
    const LoadResult r = decodeImage(png, LoadRequest {});
    QVERIFY2(r.image, qPrintable(r.error));
    for (int x = 0; x < n; ++x) {
        for (int c = 0; c < 3; ++c)
            QCOMPARE(px(r.image->pixels, x, 0, c), values[x][1]);
    }
}

void TestPng::damagedPngRefusedWithReason_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QStringList>("mentions"); // words the reason must contain (any case)

    const QByteArray png = qtEncode(toQImage(photoLike(160, 120)), "png");
    const qsizetype idat = pngChunkAt(png, "IDAT");
    QVERIFY(idat > 0);
    QTest::newRow("cut in the image data") << png.left(idat + 8 + 500) << QStringList { "PNG", "truncated" };
    QTest::newRow("cut after the header") << png.left(idat) << QStringList { "PNG", "truncated" };
    QByteArray badCrc = png;
    badCrc[idat + 8 + 100] = char(badCrc[idat + 8 + 100] ^ 0x55);
    QTest::newRow("image data damaged (CRC)") << badCrc << QStringList { "damaged PNG", "checksum" };
    // Damaged inside the compressed stream, its CRC made right again: only
    // inflating finds it.
    const QByteArray raw = QByteArray(160 * 3 + 1, '\0').repeated(120);
    QByteArray stream = qCompress(raw, 6).mid(4);
    stream[2] = char(0xFF); // an invalid block type
    QTest::newRow("compressed data damaged") << handMadePng(160, 120, { 2, 8, false }, varied(8)).left(8 + 25)
            + pngChunkBytes("IDAT", stream)
            + pngChunkBytes("IEND", {}) << QStringList { "damaged PNG" };
    // A row whose filter type byte is 9 (there are five).
    QByteArray badFilter = raw;
    badFilter[0] = char(9);
    QTest::newRow("unknown filter type") << handMadePng(160, 120, { 2, 8, false }, varied(8)).left(8 + 25)
            + pngChunkBytes("IDAT", qCompress(badFilter, 6).mid(4))
            + pngChunkBytes("IEND", {}) << QStringList { "damaged PNG" };
    QByteArray badHeader = png;
    badHeader[8 + 8 + 9] = char(5); // colour type 5 does not exist
    badHeader.replace(8 + 8 + 13, 4, QByteArray(4, '\0'));
    putBigEndian32(badHeader, 8 + 8 + 13, crc32(badHeader.constData() + 12, 17));
    QTest::newRow("invalid colour type") << badHeader << QStringList { "damaged PNG", "color type" };
}

void TestPng::damagedPngRefusedWithReason()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QStringList, mentions);
    const LoadResult r = decodeImage(bytes, LoadRequest {});
    QVERIFY(!r.image);
    for (const QString &word : mentions)
        QVERIFY2(r.error.contains(word, Qt::CaseInsensitive),
            qPrintable(QStringLiteral("reason \"%1\" does not mention \"%2\"").arg(r.error, word)));
}

void TestPng::budgetFromTheHeader()
{
    // 200x100 is 20,000 pixels: refused under a budget one below, read at it.
    const QByteArray png = handMadePng(200, 100, { 2, 8, true }, varied(8));
    LoadRequest request;
    request.maxPixels = 19999;
    const LoadResult refused = decodeImage(png, request);
    QVERIFY(!refused.image);
    QVERIFY2(
        refused.error.contains(QLatin1String("200x100")) && refused.error.contains(QLatin1String("limit")),
        qPrintable(refused.error));
    request.maxPixels = 20000;
    const LoadResult read = decodeImage(png, request);
    QVERIFY2(read.image, qPrintable(read.error));
}

void TestPng::damagedPngFailsAloneInABatch()
{
    const QString in = m_dir.filePath(QStringLiteral("batch"));
    QVERIFY(QDir().mkpath(in));
    const QByteArray good = qtEncode(toQImage(photoLike(160, 120)), "png");
    QVERIFY(writeFile(QDir(in).filePath(QStringLiteral("a.png")), good));
    QVERIFY(writeFile(QDir(in).filePath(QStringLiteral("b.png")), good.left(good.size() * 2 / 3)));
    QVERIFY(writeFile(
        QDir(in).filePath(QStringLiteral("c.png")), handMadePng(90, 70, { 6, 16, true }, varied(16))));
    const RunResult r = PipelineRun::runBlocking(pngRun(in, m_dir.filePath(QStringLiteral("batch-out"))));
    QCOMPARE(r.summary.imagesOk, 2);
    QCOMPARE(r.summary.imagesFailed, 1);
    for (const ImageRecord &rec : r.images) {
        if (QFileInfo(rec.path).fileName() == QLatin1String("b.png")) {
            QVERIFY(!rec.ok);
            QVERIFY2(rec.error.startsWith(QLatin1String("load: truncated PNG")), qPrintable(rec.error));
            continue;
        }
        QVERIFY2(rec.ok, qPrintable(rec.error));
        QCOMPARE(QFileInfo(rec.output()).suffix(), QStringLiteral("png"));
        const QImage written(rec.output());
        QCOMPARE(written.size(), QSize(64, 48));
    }
}

void TestPng::saveRoundTrips_data()
{
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<int>("channels");
    QTest::newRow("1x1") << 1 << 1 << 3;
    QTest::newRow("odd width, 7x5") << 7 << 5 << 3;
    QTest::newRow("photo, 800x600") << 800 << 600 << 3;
    QTest::newRow("RGBA, 33x17") << 33 << 17 << 4;
}

void TestPng::saveRoundTrips()
{
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(int, channels);
    const PixelBuffer pixels = channels == 4 ? photoLikeRgba(width, height) : photoLike(width, height);
    const QString path
        = m_dir.filePath(QStringLiteral("round-%1x%2x%3.png").arg(width).arg(height).arg(channels));
    const SaveResult saved = saveImage(pixels, path, 80);
    QVERIFY2(saved.error.isEmpty(), qPrintable(saved.error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QCOMPARE(saved.bytesWritten, int64_t(bytes.size()));
    QCOMPARE(pngColourType(bytes), channels == 4 ? 6 : 2);
    QCOMPARE(pngBitDepth(bytes), 8);
    // Qt's reader gets back exactly the pixels written.
    QImage qt = QImage::fromData(bytes);
    QVERIFY(!qt.isNull());
    QCOMPARE(qt.size(), QSize(width, height));
    qt.convertTo(channels == 4 ? QImage::Format_RGBA8888 : QImage::Format_RGB888);
    for (int y = 0; y < height; ++y)
        QVERIFY2(std::memcmp(qt.constScanLine(y), pixels.row(y), pixels.stride()) == 0,
            qPrintable(QStringLiteral("row %1 differs").arg(y)));
    if (channels == 3) {
        // And our reader too.
        const LoadResult back = decodeImage(bytes, LoadRequest {});
        QVERIFY2(back.image, qPrintable(back.error));
        QVERIFY(sameBytes(back.image->pixels, pixels));
    }
}

QTEST_GUILESS_MAIN(TestPng)
#include "tst_png.moc"
