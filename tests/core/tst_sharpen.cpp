// The sharpen stage (stages/sharpen.cpp) against Pillow's arithmetic worked
// out by hand.
#include "pipeline/stages/sharpen.h"
#include "testimages.h"

#include <QtTest>

#include <array>
#include <cmath>

using namespace pixelperf;
using namespace pixelperf::testing;

namespace {

// A 3x3 image, all channels equal: centre `centre`, the 8 neighbours as given
// row by row (top row, middle left, middle right, bottom row).
PixelBuffer neighbourhood(int centre, const std::array<int, 8> &n)
{
    const int v[9] = { n[0], n[1], n[2], n[3], centre, n[4], n[5], n[6], n[7] };
    return makeBuffer(3, 3, 3, [&](int x, int y, int) { return v[y * 3 + x]; });
}

} // namespace

class TestSharpen : public QObject
{
    Q_OBJECT

private slots:
    void sharpenLeavesBorder_data();
    void sharpenLeavesBorder();
    void sharpenInteriorPixel_data();
    void sharpenInteriorPixel();
    void sharpenSmoothIsRoundedThirteenth();
};

void TestSharpen::sharpenLeavesBorder_data()
{
    QTest::addColumn<double>("factor");
    QTest::addColumn<int>("channels");
    QTest::newRow("2.0 rgb") << 2.0 << 3;
    QTest::newRow("0.5 rgb") << 0.5 << 3;
    QTest::newRow("2.0 rgba") << 2.0 << 4;
}

void TestSharpen::sharpenLeavesBorder()
{
    QFETCH(double, factor);
    QFETCH(int, channels);
    const PixelBuffer original = channels == 4 ? photoLikeRgba(16, 12) : photoLike(16, 12);
    PixelBuffer img = original.clone();
    sharpenInPlace(img, factor);
    int interiorChanged = 0;
    for (int y = 0; y < 12; ++y) {
        for (int x = 0; x < 16; ++x) {
            const bool border = x == 0 || y == 0 || x == 15 || y == 11;
            for (int c = 0; c < channels; ++c) {
                if (border)
                    QCOMPARE(px(img, x, y, c), px(original, x, y, c));
                else
                    interiorChanged += px(img, x, y, c) != px(original, x, y, c);
            }
        }
    }
    QVERIFY(interiorChanged > 0);
    // Images with no interior are returned as they are.
    const PixelBuffer thin = makeBuffer(2, 5, 3, [](int x, int y, int c) { return x * 90 + y * 20 + c; });
    PixelBuffer thinCopy = thin.clone();
    sharpenInPlace(thinCopy, factor);
    QCOMPARE(maxAbsDiff(thin, thinCopy), 0);
}

void TestSharpen::sharpenInteriorPixel_data()
{
    QTest::addColumn<double>("factor");
    QTest::addColumn<int>("centre");
    QTest::addColumn<QList<int>>("neighbours");
    QTest::addColumn<int>("expected");
    // smooth = round((sum of the 8 neighbours + 5 centre) / 13);
    // out = clamp(round(f centre + (1 - f) smooth)).
    // 8*80 + 5*100 = 1140, 1140/13 = 87.69 -> 88; f=2: 200 - 88 = 112.
    QTest::newRow("f2 flat") << 2.0 << 100 << QList<int> { 80, 80, 80, 80, 80, 80, 80, 80 } << 112;
    // f=0.5: (100 + 88) / 2 = 94.
    QTest::newRow("f0.5 flat") << 0.5 << 100 << QList<int> { 80, 80, 80, 80, 80, 80, 80, 80 } << 94;
    // 10+20+...+80 = 360, + 5*201 = 1365, /13 = 105 exactly; f=0.5: (201 + 105)/2 = 153.
    QTest::newRow("f0.5 mixed") << 0.5 << 201 << QList<int> { 10, 20, 30, 40, 50, 60, 70, 80 } << 153;
    // Same neighbourhood, f=2: 402 - 105 = 297 -> clamped to 255.
    QTest::newRow("f2 clamp high") << 2.0 << 201 << QList<int> { 10, 20, 30, 40, 50, 60, 70, 80 } << 255;
    // 8*200 + 5*10 = 1650, /13 = 126.92 -> 127; f=2: 20 - 127 = -107 -> 0.
    QTest::newRow("f2 clamp low") << 2.0 << 10 << QList<int> { 200, 200, 200, 200, 200, 200, 200, 200 } << 0;
    // Neighbours 0,255,0,255,255,0,255,0 = 1020, + 5*128 = 1660,
    // /13 = 127.69 -> 128; f=2: 256 - 128 = 128.
    QTest::newRow("f2 checker") << 2.0 << 128 << QList<int> { 0, 255, 0, 255, 255, 0, 255, 0 } << 128;
    // f=1: the image itself.
    QTest::newRow("f1 identity") << 1.0 << 37 << QList<int> { 1, 2, 3, 4, 5, 6, 7, 250 } << 37;
    // f=0: smooth itself. 1+2+3+4+5+6+7+250 = 278, + 5*37 = 463, /13 = 35.6 -> 36.
    QTest::newRow("f0 smooth") << 0.0 << 37 << QList<int> { 1, 2, 3, 4, 5, 6, 7, 250 } << 36;
    // f=1.5: 1.5*100 - 0.5*88 = 150 - 44 = 106.
    QTest::newRow("f1.5") << 1.5 << 100 << QList<int> { 80, 80, 80, 80, 80, 80, 80, 80 } << 106;
    // The largest factor the settings allow: 10*100 - 9*88 = 208; and with
    // 8*100 + 5*80 = 1200, /13 = 92.3 -> 92: 10*80 - 9*92 = -28 -> 0.
    QTest::newRow("f10") << 10.0 << 100 << QList<int> { 80, 80, 80, 80, 80, 80, 80, 80 } << 208;
    QTest::newRow("f10 down") << 10.0 << 80 << QList<int> { 100, 100, 100, 100, 100, 100, 100, 100 } << 0;
}

void TestSharpen::sharpenInteriorPixel()
{
    QFETCH(double, factor);
    QFETCH(int, centre);
    QFETCH(QList<int>, neighbours);
    QFETCH(int, expected);
    std::array<int, 8> n {};
    std::copy(neighbours.begin(), neighbours.end(), n.begin());
    PixelBuffer img = neighbourhood(centre, n);
    sharpenInPlace(img, factor);
    for (int c = 0; c < 3; ++c)
        QCOMPARE(px(img, 1, 1, c), expected);
    // The 8 border pixels are the input's.
    QCOMPARE(px(img, 0, 0), n[0]);
    QCOMPARE(px(img, 2, 1), n[4]);
    QCOMPARE(px(img, 2, 2), n[7]);
}

void TestSharpen::sharpenSmoothIsRoundedThirteenth()
{
    // The kernel divides by 13 as ((sum + 6) * 5042) >> 16. Check it against
    // round-half-up(sum / 13) = floor((2 sum + 13) / 26) for every reachable
    // sum 0..3315 (13 * 255), through the kernel: with f = 0 the output is the
    // smoothed value itself. One 3x3 block per sum, side by side, so the
    // blocks' centres (x = 3k + 1, y = 1) see only their own block.
    constexpr int MaxSum = 13 * 255;
    const int blocks = MaxSum + 1;
    PixelBuffer img(3 * blocks, 3, 3);
    for (int s = 0; s < blocks; ++s) {
        // centre e and neighbours with 5 e + sum(neighbours) = s.
        const int e = std::min(255, s / 5);
        int rest = s - 5 * e; // 0..2040 = 8 * 255
        int values[9];
        values[4] = e;
        for (int i : { 0, 1, 2, 3, 5, 6, 7, 8 }) {
            values[i] = std::min(255, rest);
            rest -= values[i];
        }
        QCOMPARE(rest, 0);
        for (int y = 0; y < 3; ++y)
            for (int x = 0; x < 3; ++x)
                for (int c = 0; c < 3; ++c)
                    img.row(y)[(3 * s + x) * 3 + c] = uint8_t(values[y * 3 + x]);
    }
    sharpenInPlace(img, 0.0);
    for (int s = 0; s < blocks; ++s) {
        const int expected = (2 * s + 13) / 26;
        if (px(img, 3 * s + 1, 1) != expected)
            QFAIL(qPrintable(QStringLiteral("sum %1: smooth %2, expected %3")
                                 .arg(s)
                                 .arg(px(img, 3 * s + 1, 1))
                                 .arg(expected)));
    }
}

QTEST_GUILESS_MAIN(TestSharpen)
#include "tst_sharpen.moc"
