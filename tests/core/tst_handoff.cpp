// The hand-off between stages (stages/handoff.cpp): the RGBA round trip of
// no-format-churn off loses nothing.
#include "pipeline/stages/handoff.h"
#include "testimages.h"

#include <QtTest>

#include <array>
#include <cmath>

using namespace pixelperf;
using namespace pixelperf::testing;

class TestHandoff : public QObject
{
    Q_OBJECT

private slots:
    void formatChurnRoundTripLossless();
};

void TestHandoff::formatChurnRoundTripLossless()
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

QTEST_GUILESS_MAIN(TestHandoff)
#include "tst_handoff.moc"
