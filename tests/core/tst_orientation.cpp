// EXIF orientation at load (stages/load.cpp): read from the payload and
// applied to the pixels.
#include "imagebytes.h"
#include "pipeline/stages/load.h"
#include "testimages.h"

#include <QtTest>

#include <array>
#include <cmath>

using namespace pixelperf;
using namespace pixelperf::testing;

class TestOrientation : public QObject
{
    Q_OBJECT

private slots:
    void exifOrientationFromPayload_data();
    void exifOrientationFromPayload();
    void orientMapsCorners_data();
    void orientMapsCorners();
};

void TestOrientation::exifOrientationFromPayload_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("orientation");
    for (bool bigEndian : { false, true })
        for (int o = 1; o <= 8; ++o)
            QTest::addRow("%s %d", bigEndian ? "big-endian" : "little-endian", o)
                << exifPayload(o, bigEndian) << o;
    // Anything unreadable means "as stored" (1).
    QTest::newRow("out of range 9") << exifPayload(9, false) << 1;
    QTest::newRow("zero") << exifPayload(0, true) << 1;
    QTest::newRow("not Exif") << QByteArray("Exiv\0\0", 6) + exifPayload(6, false).mid(6) << 1;
    QTest::newRow("bad byte order") << QByteArray("Exif\0\0XX", 8) + exifPayload(6, false).mid(8) << 1;
    QTest::newRow("cut in the IFD") << exifPayload(6, false).left(24) << 1;
    QTest::newRow("too short") << QByteArray("Exif\0\0II", 8) << 1;
    QByteArray badOffset = exifPayload(6, false);
    badOffset[6 + 4] = char(0xF0); // IFD offset far beyond the payload
    QTest::newRow("IFD offset past end") << badOffset << 1;
}

void TestOrientation::exifOrientationFromPayload()
{
    QFETCH(QByteArray, payload);
    QFETCH(int, orientation);
    QCOMPARE(exifOrientation(reinterpret_cast<const uint8_t *>(payload.constData()), size_t(payload.size())),
        orientation);
}

void TestOrientation::orientMapsCorners_data()
{
    QTest::addColumn<int>("orientation");
    QTest::addColumn<int>("width");
    QTest::addColumn<QList<int>>("grid"); // pixel ids, row by row
    // Stored 3x2 image:  1 2 3
    //                    4 5 6
    // What a viewer shows for each EXIF orientation (the transform that
    // makes it upright):
    QTest::newRow("1 as is") << 1 << 3 << QList<int> { 1, 2, 3, 4, 5, 6 };
    QTest::newRow("2 mirror") << 2 << 3 << QList<int> { 3, 2, 1, 6, 5, 4 };
    QTest::newRow("3 rotate 180") << 3 << 3 << QList<int> { 6, 5, 4, 3, 2, 1 };
    QTest::newRow("4 flip") << 4 << 3 << QList<int> { 4, 5, 6, 1, 2, 3 };
    // 5: transpose (mirror, then rotate 90 counter-clockwise).
    QTest::newRow("5 transpose") << 5 << 2 << QList<int> { 1, 4, 2, 5, 3, 6 };
    // 6: rotate 90 clockwise: the left column (1, 4) becomes the top row, read
    // right to left: 4 1.
    QTest::newRow("6 rotate cw") << 6 << 2 << QList<int> { 4, 1, 5, 2, 6, 3 };
    // 7: transverse (mirror, then rotate 90 clockwise).
    QTest::newRow("7 transverse") << 7 << 2 << QList<int> { 6, 3, 5, 2, 4, 1 };
    // 8: rotate 90 counter-clockwise: the top row (1 2 3) becomes the left
    // column, read bottom to top.
    QTest::newRow("8 rotate ccw") << 8 << 2 << QList<int> { 3, 6, 2, 5, 1, 4 };
}

void TestOrientation::orientMapsCorners()
{
    QFETCH(int, orientation);
    QFETCH(int, width);
    QFETCH(QList<int>, grid);
    for (int channels : { 3, 4 }) {
        PixelBuffer src
            = makeBuffer(3, 2, channels, [](int x, int y, int c) { return (y * 3 + x + 1) * (c + 1); });
        const PixelBuffer dst = orient(std::move(src), orientation);
        QCOMPARE(dst.width(), width);
        QCOMPARE(dst.height(), 6 / width);
        QCOMPARE(dst.channels(), channels);
        for (int y = 0; y < dst.height(); ++y)
            for (int x = 0; x < dst.width(); ++x)
                for (int c = 0; c < channels; ++c)
                    QCOMPARE(px(dst, x, y, c), grid[y * width + x] * (c + 1));
    }
}

QTEST_GUILESS_MAIN(TestOrientation)
#include "tst_orientation.moc"
