// The blur stage (stages/blur.cpp): the kernel, the separable passes against
// the naive 2-D convolution, and the cached kernel against the uncached one.
#include "pipeline/schedule.h"
#include "pipeline/stages/blur.h"
#include "testimages.h"

#include <QtTest>

#include <array>
#include <cmath>

using namespace pixelperf;
using namespace pixelperf::testing;

class TestBlur : public QObject
{
    Q_OBJECT

private slots:
    void gaussianKernelShape_data();
    void gaussianKernelShape();
    void blurSeparableMatchesNaive_data();
    void blurSeparableMatchesNaive();
    void blurKeepsConstant_data();
    void blurKeepsConstant();
    void blurSpreadsPointSymmetrically_data();
    void blurSpreadsPointSymmetrically();
    void blurCachedKernelIdentical();
};

void TestBlur::gaussianKernelShape_data()
{
    QTest::addColumn<double>("sigma");
    QTest::addColumn<int>("radius");
    // radius = ceil(3 sigma)
    QTest::newRow("0.5") << 0.5 << 2;
    QTest::newRow("1") << 1.0 << 3;
    QTest::newRow("2") << 2.0 << 6;
    QTest::newRow("2.1") << 2.1 << 7; // ceil(6.3)
    QTest::newRow("3.5") << 3.5 << 11; // ceil(10.5)
}

void TestBlur::gaussianKernelShape()
{
    QFETCH(double, sigma);
    QFETCH(int, radius);
    const std::vector<double> k = gaussianKernel(sigma);
    QCOMPARE(int(k.size()), 2 * radius + 1);
    double sum = 0;
    for (double v : k)
        sum += v;
    QVERIFY(std::abs(sum - 1.0) < 1e-12);
    for (int i = 0; i < radius; ++i) {
        QCOMPARE(k[size_t(i)], k[size_t(2 * radius - i)]);
        QVERIFY(k[size_t(i)] < k[size_t(i + 1)]);
        // Gaussian: neighbouring taps at distance d, d-1 from the centre are in
        // ratio exp(-(d^2 - (d-1)^2) / (2 sigma^2)).
        const int d = radius - i;
        const double ratio = std::exp(-(double(d) * d - double(d - 1) * (d - 1)) / (2 * sigma * sigma));
        QVERIFY(std::abs(k[size_t(i)] / k[size_t(i + 1)] - ratio) < 1e-9);
    }
}

void TestBlur::blurSeparableMatchesNaive_data()
{
    QTest::addColumn<double>("sigma");
    QTest::addColumn<int>("channels");
    for (int channels : { 3, 4 })
        for (double sigma : { 1.0, 2.0, 3.5, 10.0, 12.0 }) // 10: the last narrow; 12: wide
            QTest::addRow("sigma %g, %d channels", sigma, channels) << sigma << channels;
}

void TestBlur::blurSeparableMatchesNaive()
{
    QFETCH(double, sigma);
    QFETCH(int, channels);
    // The two paths of `separable-blur` compute the same sums with the same
    // rounded 16-bit terms: identical bytes.
    const PixelBuffer src = channels == 4 ? photoLikeRgba(96, 64) : photoLike(96, 64);
    const PixelBuffer naive = blurNaive(src, sigma, true);
    const PixelBuffer separable = blurSeparable(src.clone(), sigma, true);
    QCOMPARE(naive.width(), 96);
    QCOMPARE(naive.channels(), channels);
    QCOMPARE(separable.channels(), channels);
    const int diff = maxAbsDiff(naive, separable);
    QVERIFY2(diff == 0, qPrintable(QStringLiteral("max difference %1").arg(diff)));
    // And it really blurred: a photo with grain is not left unchanged.
    QVERIFY(maxAbsDiff(src, separable) > 5);
}

void TestBlur::blurKeepsConstant_data()
{
    QTest::addColumn<bool>("separable");
    QTest::addColumn<int>("channels");
    QTest::newRow("naive 3") << false << 3;
    QTest::newRow("separable 3") << true << 3;
    QTest::newRow("naive 4") << false << 4;
    QTest::newRow("separable 4") << true << 4;
}

void TestBlur::blurKeepsConstant()
{
    QFETCH(bool, separable);
    QFETCH(int, channels);
    // Edges are extended, weights sum to 1: a constant image stays constant,
    // border pixels included.
    const int value[4] = { 10, 128, 255, 0 };
    const PixelBuffer src = makeBuffer(20, 15, channels, [&](int, int, int c) { return value[c]; });
    for (double sigma : { 0.7, 2.0, 5.0 }) {
        const PixelBuffer dst
            = separable ? blurSeparable(src.clone(), sigma, true) : blurNaive(src, sigma, true);
        QCOMPARE(maxAbsDiff(src, dst), 0);
    }
    if (!separable)
        return; // the naive path computes the same numbers (blurSeparableMatchesNaive)
    // Every grey level, from a near-identity kernel (its centre weight at
    // the 16-bit limit) to the largest radius the settings allow (151 taps,
    // the most rounded terms).
    for (double sigma : { 0.1, 2.0, 12.5, 50.0 }) {
        for (int level = 0; level < 256; ++level) {
            const PixelBuffer flat = makeBuffer(5, 4, channels, [&](int, int, int) { return level; });
            QCOMPARE(maxAbsDiff(flat, blurSeparable(flat.clone(), sigma, true)), 0);
        }
    }
}

void TestBlur::blurSpreadsPointSymmetrically_data()
{
    QTest::addColumn<bool>("separable");
    QTest::newRow("naive") << false;
    QTest::newRow("separable") << true;
}

void TestBlur::blurSpreadsPointSymmetrically()
{
    QFETCH(bool, separable);
    // One 255 pixel at the centre of a 21x21 black image, sigma 2 (radius 6,
    // so the spread stays inside). The response is 255 k(dx) k(dy):
    // k(0) = 1 / sum_{i=-6..6} exp(-i^2/8) = 1 / 5.00812 = 0.199676, so the
    // centre is 255 * 0.199676^2 = 10.17 -> 10; one step along an axis
    // k(1) = exp(-1/8) k(0) = 0.176213, 255 * 0.199676 * 0.176213 = 8.97 -> 9.
    const int c = 10;
    const PixelBuffer src
        = makeBuffer(21, 21, 3, [&](int x, int y, int) { return x == c && y == c ? 255 : 0; });
    const PixelBuffer dst = separable ? blurSeparable(src.clone(), 2.0, true) : blurNaive(src, 2.0, true);
    QCOMPARE(px(dst, c, c), 10);
    QVERIFY(std::abs(px(dst, c + 1, c) - 9) <= 1);
    int total = 0;
    for (int y = 0; y < 21; ++y) {
        for (int x = 0; x < 21; ++x) {
            const int dx = x - c, dy = y - c;
            // Mirror symmetric in each axis, exactly.
            QCOMPARE(px(dst, x, y), px(dst, c - dx, y));
            QCOMPARE(px(dst, x, y), px(dst, x, c - dy));
            // Transposed: within a rounding (the two passes round differently).
            QVERIFY(std::abs(px(dst, x, y) - px(dst, y, x)) <= 1);
            // Channels treated alike.
            QCOMPARE(px(dst, x, y, 1), px(dst, x, y, 0));
            // Nothing beyond the radius.
            if (std::abs(dx) > 6 || std::abs(dy) > 6)
                QCOMPARE(px(dst, x, y), 0);
            total += px(dst, x, y);
        }
    }
    // Falls off with distance along an axis.
    for (int d = 1; d <= 6; ++d)
        QVERIFY(px(dst, c + d, c) <= px(dst, c + d - 1, c));
    // The light is spread, not lost: 255 in total, give or take the
    // rounding of 169 small values.
    QVERIFY2(std::abs(total - 255) <= 40, qPrintable(QString::number(total)));
}

void TestBlur::blurCachedKernelIdentical()
{
    // `cached-kernels` only changes when the kernel is built, never the result.
    const PixelBuffer src = photoLike(48, 40);
    QVERIFY(sameBytes(blurSeparable(src.clone(), 2.0, true), blurSeparable(src.clone(), 2.0, false)));
    QVERIFY(sameBytes(blurNaive(src, 2.0, true), blurNaive(src, 2.0, false)));
    PipelineConfig naive;
    naive.toggles.set(ToggleId::SeparableBlur, false);
    QVERIFY(sameBytes(blurImage(src.clone(), 2.0, Schedule::of(naive)), blurNaive(src, 2.0, true)));
    QVERIFY(sameBytes(
        blurImage(src.clone(), 2.0, Schedule::of(PipelineConfig())), blurSeparable(src.clone(), 2.0, true)));
}

QTEST_GUILESS_MAIN(TestBlur)
#include "tst_blur.moc"
