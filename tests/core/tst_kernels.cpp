// The per-stage kernels on small images, against values worked out by hand
// (each computation is written beside its expectation), and the two code
// paths of every toggle against each other.
#include "imagebytes.h"
#include "pipeline/schedule.h"
#include "pipeline/stages/resize.h"
#include "pipeline/stages/blur.h"
#include "pipeline/stages/sharpen.h"
#include "pipeline/stages/pointops.h"
#include "pipeline/stages/handoff.h"
#include "pipeline/stages/load.h"
#include "testimages.h"

#include <QtTest>

#include <cmath>

using namespace pixelperf;
using namespace pixelperf::testing;

Q_DECLARE_METATYPE(pixelperf::ResizeMode)

namespace {

// A 4-channel photo-like image whose alpha varies, so a kernel that treats
// the fourth channel differently (or mixes it into RGB) shows up.
PixelBuffer photoLikeRgba(int w, int h, uint32_t seed = 7)
{
    const PixelBuffer rgb = photoLike(w, h, seed);
    return makeBuffer(w, h, 4,
        [&](int x, int y, int c) { return c < 3 ? int(rgb.row(y)[x * 3 + c]) : (x * 37 + y * 11) % 256; });
}

bool sameBytes(const PixelBuffer &a, const PixelBuffer &b)
{
    return a.width() == b.width() && a.height() == b.height() && a.channels() == b.channels()
        && std::memcmp(a.data(), b.data(), a.byteSize()) == 0;
}

int px(const PixelBuffer &b, int x, int y, int c = 0)
{
    return b.row(y)[x * b.channels() + c];
}

// A 3x3 image, all channels equal: centre `centre`, the 8 neighbours as given
// row by row (top row, middle left, middle right, bottom row).
PixelBuffer neighbourhood(int centre, const std::array<int, 8> &n)
{
    const int v[9] = { n[0], n[1], n[2], n[3], centre, n[4], n[5], n[6], n[7] };
    return makeBuffer(3, 3, 3, [&](int x, int y, int) { return v[y * 3 + x]; });
}

} // namespace

class TestKernels : public QObject
{
    Q_OBJECT

private slots:
    void resizeNearestPicksCentreSamples_data();
    void resizeNearestPicksCentreSamples();
    void resizeLanczosKeepsConstant_data();
    void resizeLanczosKeepsConstant();
    void resizeLanczosDownscalesRampSmoothly();
    void resizeLanczosCachedWeightsIdentical_data();
    void resizeLanczosCachedWeightsIdentical();
    void planResizeSizesAndBoxes_data();
    void planResizeSizesAndBoxes();

    void gaussianKernelShape_data();
    void gaussianKernelShape();
    void blurSeparableMatchesNaive_data();
    void blurSeparableMatchesNaive();
    void blurKeepsConstant_data();
    void blurKeepsConstant();
    void blurSpreadsPointSymmetrically_data();
    void blurSpreadsPointSymmetrically();
    void blurCachedKernelIdentical();

    void sharpenLeavesBorder_data();
    void sharpenLeavesBorder();
    void sharpenInteriorPixel_data();
    void sharpenInteriorPixel();
    void sharpenSmoothIsRoundedThirteenth();

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
    void formatChurnRoundTripLossless();

    void exifOrientationFromPayload_data();
    void exifOrientationFromPayload();
    void orientMapsCorners_data();
    void orientMapsCorners();
};

// ---- resize ----

void TestKernels::resizeNearestPicksCentreSamples_data()
{
    QTest::addColumn<int>("srcW");
    QTest::addColumn<int>("srcH");
    QTest::addColumn<int>("dstW");
    QTest::addColumn<int>("dstH");
    QTest::addColumn<QList<int>>("xs"); // source column of each output column
    QTest::addColumn<QList<int>>("ys"); // source row of each output row
    // Output pixel x samples source column floor((x + 0.5) * srcW / dstW).
    // 4 -> 2, scale 2: floor(0.5*2)=1, floor(1.5*2)=3.
    QTest::newRow("4x4->2x2") << 4 << 4 << 2 << 2 << QList<int> { 1, 3 } << QList<int> { 1, 3 };
    // 5 -> 2, scale 2.5: floor(1.25)=1, floor(3.75)=3; 3 -> 2, scale 1.5:
    // floor(0.75)=0, floor(2.25)=2.
    QTest::newRow("5x3->2x2") << 5 << 3 << 2 << 2 << QList<int> { 1, 3 } << QList<int> { 0, 2 };
    // 2 -> 5, scale 0.4: floor(0.2)=0, floor(0.6)=0, floor(1.0)=1, floor(1.4)=1,
    // floor(1.8)=1.
    QTest::newRow("2x2->5x5") << 2 << 2 << 5 << 5 << QList<int> { 0, 0, 1, 1, 1 }
                              << QList<int> { 0, 0, 1, 1, 1 };
    // 7 -> 3, scale 7/3: floor(1.1667)=1, floor(3.5)=3, floor(5.8333)=5.
    QTest::newRow("7x1->3x1") << 7 << 1 << 3 << 1 << QList<int> { 1, 3, 5 } << QList<int> { 0 };
}

void TestKernels::resizeNearestPicksCentreSamples()
{
    QFETCH(int, srcW);
    QFETCH(int, srcH);
    QFETCH(int, dstW);
    QFETCH(int, dstH);
    QFETCH(QList<int>, xs);
    QFETCH(QList<int>, ys);
    for (int channels : { 3, 4 }) {
        // Every source pixel tells where it came from: (x, y, 7[, 200]).
        const PixelBuffer src = makeBuffer(srcW, srcH, channels, [](int x, int y, int c) {
            return c == 0 ? x : c == 1 ? y : c == 2 ? 7 : 200;
        });
        const PixelBuffer dst = resizeNearest(src, planResize(srcW, srcH, dstW, dstH, ResizeMode::Stretch));
        QCOMPARE(dst.width(), dstW);
        QCOMPARE(dst.height(), dstH);
        QCOMPARE(dst.channels(), channels);
        for (int y = 0; y < dstH; ++y) {
            for (int x = 0; x < dstW; ++x) {
                QCOMPARE(px(dst, x, y, 0), xs[x]);
                QCOMPARE(px(dst, x, y, 1), ys[y]);
                QCOMPARE(px(dst, x, y, 2), 7);
                if (channels == 4)
                    QCOMPARE(px(dst, x, y, 3), 200);
            }
        }
    }
}

void TestKernels::resizeLanczosKeepsConstant_data()
{
    QTest::addColumn<int>("srcW");
    QTest::addColumn<int>("srcH");
    QTest::addColumn<int>("dstW");
    QTest::addColumn<int>("dstH");
    QTest::addColumn<int>("channels");
    QTest::newRow("down 3") << 37 << 23 << 11 << 7 << 3;
    QTest::newRow("down x, up y") << 37 << 23 << 11 << 40 << 3;
    QTest::newRow("up 4ch") << 9 << 6 << 31 << 17 << 4;
    QTest::newRow("same size") << 16 << 16 << 16 << 16 << 3;
}

void TestKernels::resizeLanczosKeepsConstant()
{
    QFETCH(int, srcW);
    QFETCH(int, srcH);
    QFETCH(int, dstW);
    QFETCH(int, dstH);
    QFETCH(int, channels);
    // Normalised weights summing to 2^22 (within taps/2 of rounding): a
    // constant v comes back as v, including 0 and 255 (no overshoot).
    const int value[4] = { 0, 128, 255, 77 };
    const PixelBuffer src = makeBuffer(srcW, srcH, channels, [&](int, int, int c) { return value[c]; });
    for (bool cached : { true, false }) {
        const PixelBuffer dst
            = resizeLanczos(src, planResize(srcW, srcH, dstW, dstH, ResizeMode::Stretch), cached);
        QCOMPARE(dst.width(), dstW);
        QCOMPARE(dst.height(), dstH);
        for (int y = 0; y < dstH; ++y)
            for (int x = 0; x < dstW; ++x)
                for (int c = 0; c < channels; ++c)
                    QCOMPARE(px(dst, x, y, c), value[c]);
    }
}

void TestKernels::resizeLanczosDownscalesRampSmoothly()
{
    // A horizontal ramp v(x) = 4x, 64 wide, to 32 wide. Output x covers source
    // [2x, 2x + 2), centred at 2x + 1, i.e. between pixels 2x and 2x + 1 whose
    // values are 8x and 8x + 4. A symmetric normalised filter reproduces a
    // linear function, so away from the edges out(x) = 8x + 2.
    // Source mean = 4 * 31.5 = 126; the two middle outputs (x = 15, 16) are
    // 122 and 130, whose mean is 126.
    const PixelBuffer src = makeBuffer(64, 4, 3, [](int x, int, int) { return 4 * x; });
    const PixelBuffer dst = resizeLanczos(src, planResize(64, 4, 32, 4, ResizeMode::Stretch), true);
    QCOMPARE(dst.width(), 32);
    for (int y = 0; y < 4; ++y) {
        for (int x = 1; x < 32; ++x)
            QVERIFY2(px(dst, x, y) >= px(dst, x - 1, y),
                qPrintable(QStringLiteral("not monotonic at x=%1: %2 < %3")
                               .arg(x)
                               .arg(px(dst, x, y))
                               .arg(px(dst, x - 1, y))));
        for (int x = 3; x < 29; ++x)
            QVERIFY2(std::abs(px(dst, x, y) - (8 * x + 2)) <= 1,
                qPrintable(QStringLiteral("x=%1: %2, expected %3").arg(x).arg(px(dst, x, y)).arg(8 * x + 2)));
    }
    QVERIFY(std::abs(px(dst, 15, 0) - 122) <= 1);
    QVERIFY(std::abs(px(dst, 16, 0) - 130) <= 1);
    QVERIFY(std::abs((px(dst, 15, 0) + px(dst, 16, 0)) / 2.0 - 126.0) <= 1.0);
}

void TestKernels::resizeLanczosCachedWeightsIdentical_data()
{
    QTest::addColumn<int>("srcW");
    QTest::addColumn<int>("srcH");
    QTest::addColumn<int>("dstW");
    QTest::addColumn<int>("dstH");
    QTest::addColumn<int>("mode");
    QTest::addColumn<int>("channels");
    QTest::newRow("down stretch") << 101 << 77 << 40 << 33 << int(ResizeMode::Stretch) << 3;
    QTest::newRow("up stretch 4ch") << 33 << 20 << 70 << 50 << int(ResizeMode::Stretch) << 4;
    QTest::newRow("fill box") << 120 << 60 << 50 << 50 << int(ResizeMode::Fill) << 3;
    // The banded path (both axes narrow) with a last band of one row, and
    // with fewer rows than one band; the others: a wide axis each way, and
    // an identity vertical axis.
    QTest::newRow("bands, last of one row") << 90 << 300 << 37 << 129 << int(ResizeMode::Stretch) << 3;
    QTest::newRow("bands 4ch, under one band") << 21 << 19 << 13 << 5 << int(ResizeMode::Stretch) << 4;
    QTest::newRow("wide x") << 600 << 50 << 12 << 40 << int(ResizeMode::Stretch) << 3;
    QTest::newRow("wide y") << 50 << 600 << 40 << 12 << int(ResizeMode::Stretch) << 3;
    QTest::newRow("identity y") << 100 << 50 << 61 << 50 << int(ResizeMode::Stretch) << 3;
}

void TestKernels::resizeLanczosCachedWeightsIdentical()
{
    QFETCH(int, srcW);
    QFETCH(int, srcH);
    QFETCH(int, dstW);
    QFETCH(int, dstH);
    QFETCH(int, mode);
    QFETCH(int, channels);
    const PixelBuffer src = channels == 4 ? photoLikeRgba(srcW, srcH) : photoLike(srcW, srcH);
    const ResizePlan plan = planResize(srcW, srcH, dstW, dstH, ResizeMode(mode));
    // Twice cached: the second call takes the memoized weights.
    const PixelBuffer cold = resizeLanczos(src, plan, true);
    const PixelBuffer warm = resizeLanczos(src, plan, true);
    const PixelBuffer uncached = resizeLanczos(src, plan, false);
    QVERIFY(sameBytes(cold, uncached));
    QVERIFY(sameBytes(warm, uncached));
    // Both are the vectorised loops; the scalar textbook form agrees.
    QVERIFY(sameBytes(resizeLanczosReference(src, plan), uncached));
    // And the picking function routes the toggle to the same result.
    ToggleSet lanczosOnly;
    lanczosOnly.set(ToggleId::Lanczos);
    PipelineConfig config;
    config.toggles = lanczosOnly;
    QVERIFY(sameBytes(resizeImage(src, plan, Schedule::of(config)), uncached));
    config.toggles = ToggleSet::allOff();
    QVERIFY(sameBytes(resizeImage(src, plan, Schedule::of(config)), resizeNearest(src, plan)));
}

void TestKernels::planResizeSizesAndBoxes_data()
{
    QTest::addColumn<int>("srcW");
    QTest::addColumn<int>("srcH");
    QTest::addColumn<int>("w");
    QTest::addColumn<int>("h");
    QTest::addColumn<ResizeMode>("mode");
    QTest::addColumn<int>("outW");
    QTest::addColumn<int>("outH");
    QTest::addColumn<QRectF>("box"); // x, y, width, height in source pixels

    // Stretch: exactly the requested size, from the whole source.
    QTest::newRow("stretch") << 400 << 300 << 200 << 100 << ResizeMode::Stretch << 200 << 100
                             << QRectF(0, 0, 400, 300);
    // Fit, wider source (4:3 into 1:1): width 200, height round(200 / (4/3)) = 150.
    QTest::newRow("fit wide") << 400 << 300 << 200 << 200 << ResizeMode::Fit << 200 << 150
                              << QRectF(0, 0, 400, 300);
    // Fit, taller source (3:4 into 1:1): height 200, width round(200 * 3/4) = 150.
    QTest::newRow("fit tall") << 300 << 400 << 200 << 200 << ResizeMode::Fit << 150 << 200
                              << QRectF(0, 0, 300, 400);
    // Fit, 2:1 into 3:2: width 300, height round(300 / 2) = 150.
    QTest::newRow("fit 2:1 into 3:2")
        << 1000 << 500 << 300 << 200 << ResizeMode::Fit << 300 << 150 << QRectF(0, 0, 1000, 500);
    // Fit, same aspect: the requested size.
    QTest::newRow("fit same aspect") << 800 << 600 << 400 << 300 << ResizeMode::Fit << 400 << 300
                                     << QRectF(0, 0, 800, 600);
    // Fit rounds: 1001x1000 into 100x100 -> 100 x round(100 * 1000/1001 = 99.9) = 100.
    QTest::newRow("fit rounds") << 1001 << 1000 << 100 << 100 << ResizeMode::Fit << 100 << 100
                                << QRectF(0, 0, 1001, 1000);
    // Fill, wider source 4:3 into 1:1: keep full height 300, width 300 * 1 = 300,
    // centred: x0 = (400 - 300) / 2 = 50.
    QTest::newRow("fill wide") << 400 << 300 << 200 << 200 << ResizeMode::Fill << 200 << 200
                               << QRectF(50, 0, 300, 300);
    // Fill, taller source 3:4 into 1:1: full width 300, y0 = (400 - 300) / 2 = 50.
    QTest::newRow("fill tall") << 300 << 400 << 200 << 200 << ResizeMode::Fill << 200 << 200
                               << QRectF(0, 50, 300, 300);
    // Fill, 2:1 into 3:2: width 500 * 1.5 = 750, x0 = (1000 - 750) / 2 = 125.
    QTest::newRow("fill 2:1 into 3:2")
        << 1000 << 500 << 300 << 200 << ResizeMode::Fill << 300 << 200 << QRectF(125, 0, 750, 500);
    // Fill, 1:2 into 3:2: height 500 / 1.5 = 333.33, y0 = (1000 - 333.33) / 2 = 333.33.
    QTest::newRow("fill 1:2 into 3:2") << 500 << 1000 << 300 << 200 << ResizeMode::Fill << 300 << 200
                                       << QRectF(0, 1000.0 / 3, 500, 1000.0 / 3);
}

void TestKernels::planResizeSizesAndBoxes()
{
    QFETCH(int, srcW);
    QFETCH(int, srcH);
    QFETCH(int, w);
    QFETCH(int, h);
    QFETCH(ResizeMode, mode);
    QFETCH(int, outW);
    QFETCH(int, outH);
    QFETCH(QRectF, box);
    const ResizePlan plan = planResize(srcW, srcH, w, h, mode);
    QCOMPARE(plan.width, outW);
    QCOMPARE(plan.height, outH);
    QVERIFY(std::abs(plan.box.x0 - box.left()) < 1e-9);
    QVERIFY(std::abs(plan.box.y0 - box.top()) < 1e-9);
    QVERIFY(std::abs(plan.box.x1 - box.right()) < 1e-9);
    QVERIFY(std::abs(plan.box.y1 - box.bottom()) < 1e-9);
    // Fill never distorts: the box has the output's aspect ratio.
    if (mode == ResizeMode::Fill)
        QVERIFY(std::abs((plan.box.x1 - plan.box.x0) / (plan.box.y1 - plan.box.y0) - double(w) / h) < 1e-9);
}

// ---- blur ----

void TestKernels::gaussianKernelShape_data()
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

void TestKernels::gaussianKernelShape()
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

void TestKernels::blurSeparableMatchesNaive_data()
{
    QTest::addColumn<double>("sigma");
    QTest::addColumn<int>("channels");
    for (int channels : { 3, 4 })
        for (double sigma : { 1.0, 2.0, 3.5, 10.0, 12.0 })  // 10: the last narrow; 12: wide
            QTest::addRow("sigma %g, %d channels", sigma, channels) << sigma << channels;
}

void TestKernels::blurSeparableMatchesNaive()
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

void TestKernels::blurKeepsConstant_data()
{
    QTest::addColumn<bool>("separable");
    QTest::addColumn<int>("channels");
    QTest::newRow("naive 3") << false << 3;
    QTest::newRow("separable 3") << true << 3;
    QTest::newRow("naive 4") << false << 4;
    QTest::newRow("separable 4") << true << 4;
}

void TestKernels::blurKeepsConstant()
{
    QFETCH(bool, separable);
    QFETCH(int, channels);
    // Edges are extended, weights sum to 1: a constant image stays constant,
    // border pixels included.
    const int value[4] = { 10, 128, 255, 0 };
    const PixelBuffer src = makeBuffer(20, 15, channels, [&](int, int, int c) { return value[c]; });
    for (double sigma : { 0.7, 2.0, 5.0 }) {
        const PixelBuffer dst = separable ? blurSeparable(src.clone(), sigma, true) : blurNaive(src, sigma, true);
        QCOMPARE(maxAbsDiff(src, dst), 0);
    }
    if (!separable)
        return;  // the naive path computes the same numbers (blurSeparableMatchesNaive)
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

void TestKernels::blurSpreadsPointSymmetrically_data()
{
    QTest::addColumn<bool>("separable");
    QTest::newRow("naive") << false;
    QTest::newRow("separable") << true;
}

void TestKernels::blurSpreadsPointSymmetrically()
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

void TestKernels::blurCachedKernelIdentical()
{
    // `cached-kernels` only changes when the kernel is built, never the result.
    const PixelBuffer src = photoLike(48, 40);
    QVERIFY(sameBytes(blurSeparable(src.clone(), 2.0, true), blurSeparable(src.clone(), 2.0, false)));
    QVERIFY(sameBytes(blurNaive(src, 2.0, true), blurNaive(src, 2.0, false)));
    PipelineConfig naive;
    naive.toggles.set(ToggleId::SeparableBlur, false);
    QVERIFY(sameBytes(blurImage(src.clone(), 2.0, Schedule::of(naive)), blurNaive(src, 2.0, true)));
    QVERIFY(sameBytes(blurImage(src.clone(), 2.0, Schedule::of(PipelineConfig())), blurSeparable(src.clone(), 2.0, true)));
}

// ---- sharpen ----

void TestKernels::sharpenLeavesBorder_data()
{
    QTest::addColumn<double>("factor");
    QTest::addColumn<int>("channels");
    QTest::newRow("2.0 rgb") << 2.0 << 3;
    QTest::newRow("0.5 rgb") << 0.5 << 3;
    QTest::newRow("2.0 rgba") << 2.0 << 4;
}

void TestKernels::sharpenLeavesBorder()
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

void TestKernels::sharpenInteriorPixel_data()
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

void TestKernels::sharpenInteriorPixel()
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

void TestKernels::sharpenSmoothIsRoundedThirteenth()
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

// ---- point operations ----

void TestKernels::lumaMatchesPillow_data()
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

void TestKernels::lumaMatchesPillow()
{
    QFETCH(int, r);
    QFETCH(int, g);
    QFETCH(int, b);
    QFETCH(int, luma);
    QCOMPARE(lumaOf(r, g, b), luma);
}

void TestKernels::meanLumaRounds_data()
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

void TestKernels::meanLumaRounds()
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

void TestKernels::contrastValueByHand_data()
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

void TestKernels::contrastValueByHand()
{
    QFETCH(int, v);
    QFETCH(int, mean);
    QFETCH(double, factor);
    QFETCH(int, expected);
    QCOMPARE(int(contrastValue(v, mean, factor)), expected);
}

void TestKernels::brightnessValueByHand_data()
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

void TestKernels::brightnessValueByHand()
{
    QFETCH(int, v);
    QFETCH(double, factor);
    QFETCH(int, expected);
    QCOMPARE(int(brightnessValue(v, factor)), expected);
}

void TestKernels::pointLutEqualsFloatPasses_data()
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

void TestKernels::pointLutEqualsFloatPasses()
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

void TestKernels::convertDropsAlpha()
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

void TestKernels::formatChurnRoundTripLossless()
{
    const PixelBuffer rgb = photoLike(33, 21);
    const PixelBuffer rgba = toRgba(rgb);
    QCOMPARE(rgba.channels(), 4);
    for (int y = 0; y < 21; ++y)
        for (int x = 0; x < 33; ++x) {
            for (int c = 0; c < 3; ++c)
                QCOMPARE(px(rgba, x, y, c), px(rgb, x, y, c));
            QCOMPARE(px(rgba, x, y, 3), 255);
        }
    QVERIFY(sameBytes(toRgb(rgba), rgb));
}

// ---- orientation ----

void TestKernels::exifOrientationFromPayload_data()
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

void TestKernels::exifOrientationFromPayload()
{
    QFETCH(QByteArray, payload);
    QFETCH(int, orientation);
    QCOMPARE(exifOrientation(reinterpret_cast<const uint8_t *>(payload.constData()), size_t(payload.size())),
        orientation);
}

void TestKernels::orientMapsCorners_data()
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

void TestKernels::orientMapsCorners()
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

QTEST_GUILESS_MAIN(TestKernels)
#include "tst_kernels.moc"
