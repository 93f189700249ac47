// Contrast, brightness and convert (stages/pointops.cpp): Pillow's luma and
// rounding by hand, and the fused table against the floating-point passes.
#include "pipeline/stages/pointops.h"
#include "testimages.h"

#include <QtTest>

#include <array>
#include <cmath>

using namespace pixelperf;
using namespace pixelperf::testing;

class TestPointOps : public QObject
{
    Q_OBJECT

private slots:
    void lumaMatchesPillow_data();
    void lumaMatchesPillow();
    void meanLumaRounds_data();
    void meanLumaRounds();
    void contrastValueByHand_data();
    void contrastValueByHand();
    void brightnessValueByHand_data();
    void brightnessValueByHand();
    void pointLutEqualsFloatPasses_data();
    void pointLutEqualsFloatPasses();
    void convertDropsAlpha();
};

void TestPointOps::lumaMatchesPillow_data()
{
    QTest::addColumn<int>("r");
    QTest::addColumn<int>("g");
    QTest::addColumn<int>("b");
    QTest::addColumn<int>("luma");
    // Pillow: L = (19595 R + 38470 G + 7471 B + 32768) >> 16.
    QTest::newRow("red") << 255 << 0 << 0 << 76; // 5029493 >> 16 = 76.7 -> 76
    QTest::newRow("green") << 0 << 255 << 0 << 150; // 9842618 >> 16 = 150.2 -> 150
    QTest::newRow("blue") << 0 << 0 << 255 << 29; // 1937873 >> 16 = 29.6 -> 29
    QTest::newRow("white") << 255 << 255 << 255 << 255; // (255 * 65536 + 32768) >> 16
    QTest::newRow("black") << 0 << 0 << 0 << 0;
    QTest::newRow("grey 77") << 77 << 77 << 77 << 77;
    // 100*19595 + 150*38470 + 200*7471 + 32768 = 9256968 -> 141.25 -> 141
    QTest::newRow("mixed") << 100 << 150 << 200 << 141;
}

void TestPointOps::lumaMatchesPillow()
{
    QFETCH(int, r);
    QFETCH(int, g);
    QFETCH(int, b);
    QFETCH(int, luma);
    QCOMPARE(lumaOf(r, g, b), luma);
}

void TestPointOps::meanLumaRounds_data()
{
    QTest::addColumn<QList<int>>("greys"); // one grey pixel each: luma = value
    QTest::addColumn<int>("mean");
    // Pillow: int(mean + 0.5), i.e. halves round up.
    QTest::newRow("100.5 -> 101") << QList<int> { 100, 101 } << 101;
    QTest::newRow("100.33 -> 100") << QList<int> { 100, 100, 101 } << 100;
    QTest::newRow("100.67 -> 101") << QList<int> { 100, 101, 101 } << 101;
    QTest::newRow("0.25 -> 0") << QList<int> { 0, 0, 0, 1 } << 0;
    QTest::newRow("254.5 -> 255") << QList<int> { 254, 255 } << 255;
}

void TestPointOps::meanLumaRounds()
{
    QFETCH(QList<int>, greys);
    QFETCH(int, mean);
    for (int channels : { 3, 4 }) {
        const PixelBuffer img = makeBuffer(
            int(greys.size()), 1, channels, [&](int x, int, int c) { return c < 3 ? greys[x] : 0; });
        QCOMPARE(meanLuma(img), mean);
    }
    // Over rows too: the same values as a column.
    const PixelBuffer column = makeBuffer(1, int(greys.size()), 3, [&](int, int y, int) { return greys[y]; });
    QCOMPARE(meanLuma(column), mean);
}

void TestPointOps::contrastValueByHand_data()
{
    QTest::addColumn<int>("v");
    QTest::addColumn<int>("mean");
    QTest::addColumn<double>("factor");
    QTest::addColumn<int>("expected");
    // out = mean + f (v - mean), clamped to 0..255, rounded to nearest.
    QTest::newRow("at mean") << 128 << 128 << 1.5 << 128;
    QTest::newRow("above") << 200 << 128 << 1.5 << 236; // 128 + 1.5*72
    QTest::newRow("below") << 100 << 128 << 1.5 << 86; // 128 - 1.5*28
    QTest::newRow("clamp low") << 0 << 128 << 1.5 << 0; // 128 - 192 = -64
    QTest::newRow("clamp high") << 255 << 128 << 1.5 << 255; // 318.5
    QTest::newRow("reduce") << 200 << 100 << 0.5 << 150; // 100 + 50
    QTest::newRow("flatten") << 17 << 90 << 0.0 << 90;
    QTest::newRow("round up") << 104 << 100 << 1.2 << 105; // 104.8
    QTest::newRow("round down") << 102 << 100 << 1.1 << 102; // 102.2
}

void TestPointOps::contrastValueByHand()
{
    QFETCH(int, v);
    QFETCH(int, mean);
    QFETCH(double, factor);
    QFETCH(int, expected);
    QCOMPARE(int(contrastValue(v, mean, factor)), expected);
}

void TestPointOps::brightnessValueByHand_data()
{
    QTest::addColumn<int>("v");
    QTest::addColumn<double>("factor");
    QTest::addColumn<int>("expected");
    // out = v f, clamped, rounded to nearest.
    QTest::newRow("1.2") << 200 << 1.2 << 240;
    QTest::newRow("clamp") << 250 << 1.2 << 255; // 300
    QTest::newRow("black") << 0 << 1.2 << 0;
    QTest::newRow("half") << 100 << 0.5 << 50;
    QTest::newRow("round") << 104 << 1.2 << 125; // 124.8
    QTest::newRow("off") << 173 << 0.0 << 0;
    QTest::newRow("identity") << 173 << 1.0 << 173;
}

void TestPointOps::brightnessValueByHand()
{
    QFETCH(int, v);
    QFETCH(double, factor);
    QFETCH(int, expected);
    QCOMPARE(int(brightnessValue(v, factor)), expected);
}

void TestPointOps::pointLutEqualsFloatPasses_data()
{
    QTest::addColumn<double>("contrast");
    QTest::addColumn<double>("brightness");
    QTest::newRow("defaults") << 1.5 << 1.2;
    QTest::newRow("softer, darker") << 0.7 << 0.8;
    QTest::newRow("strong") << 3.0 << 2.5;
    // Factors fixed point cannot hold exactly, and the settings' limits.
    QTest::newRow("1.3, 1.1") << 1.3 << 1.1;
    QTest::newRow("0.37, 3.3") << 0.37 << 3.3;
    QTest::newRow("10, 10") << 10.0 << 10.0;
    QTest::newRow("0, 0") << 0.0 << 0.0;
}

void TestPointOps::pointLutEqualsFloatPasses()
{
    QFETCH(double, contrast);
    QFETCH(double, brightness);
    // `fused-point-ops` on: one table; off: contrast, brightness and convert as
    // three floating-point passes. Same numbers, byte for byte.
    const PixelBuffer src = photoLike(120, 80);
    const PixelBuffer passes = convertToOutput(brightnessFloat(contrastFloat(src, contrast), brightness));
    PixelBuffer fused = src.clone();
    applyPointLut(fused, meanLuma(src), contrast, true, brightness, true);
    QVERIFY(sameBytes(fused, passes));
    // Each step alone too.
    PixelBuffer contrastOnly = src.clone();
    applyPointLut(contrastOnly, meanLuma(src), contrast, true, brightness, false);
    QVERIFY(sameBytes(contrastOnly, contrastFloat(src, contrast)));
    PixelBuffer brightnessOnly = src.clone();
    applyPointLut(brightnessOnly, -1, contrast, false, brightness, true);
    QVERIFY(sameBytes(brightnessOnly, brightnessFloat(src, brightness)));
    // And it did something.
    QVERIFY(maxAbsDiff(src, fused) > 10);
}

void TestPointOps::convertDropsAlpha()
{
    const PixelBuffer rgba = photoLikeRgba(9, 7);
    const PixelBuffer rgb = convertToOutput(rgba);
    QCOMPARE(rgb.channels(), 3);
    QCOMPARE(rgb.width(), 9);
    QCOMPARE(rgb.height(), 7);
    for (int y = 0; y < 7; ++y)
        for (int x = 0; x < 9; ++x)
            for (int c = 0; c < 3; ++c)
                QCOMPARE(px(rgb, x, y, c), px(rgba, x, y, c));
    // RGB in, the same RGB out, in a new buffer.
    const PixelBuffer again = convertToOutput(rgb);
    QVERIFY(sameBytes(again, rgb));
    QVERIFY(again.data() != rgb.data());
}

QTEST_GUILESS_MAIN(TestPointOps)
#include "tst_pointops.moc"
