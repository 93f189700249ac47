// The resize stage (stages/resize.cpp) on small images: nearest and Lanczos
// against values worked out by hand, cached and uncached weights against each
// other, and the plan of each resize mode.
#include "pipeline/schedule.h"
#include "pipeline/stages/resize.h"
#include "testimages.h"

#include <QtTest>

#include <array>
#include <cmath>

using namespace pixelperf;
using namespace pixelperf::testing;

Q_DECLARE_METATYPE(pixelperf::ResizeMode)

class TestResize : public QObject
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
};

void TestResize::resizeNearestPicksCentreSamples_data()
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

void TestResize::resizeNearestPicksCentreSamples()
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

void TestResize::resizeLanczosKeepsConstant_data()
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

void TestResize::resizeLanczosKeepsConstant()
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

void TestResize::resizeLanczosDownscalesRampSmoothly()
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

void TestResize::resizeLanczosCachedWeightsIdentical_data()
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

void TestResize::resizeLanczosCachedWeightsIdentical()
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

void TestResize::planResizeSizesAndBoxes_data()
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

void TestResize::planResizeSizesAndBoxes()
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

QTEST_GUILESS_MAIN(TestResize)
#include "tst_resize.moc"
