// The statistics behind repetitions and comparisons, on samples whose answer
// is known.
#include "measure/statistics.h"

#include <QtTest>

#include <cmath>
#include <random>

using namespace pixelperf;

class TestStatistics : public QObject
{
    Q_OBJECT
private slots:
    void spreadByHand();
    void mannWhitneyByHand();
    void mannWhitneyExactWithTies();
    void mannWhitneyLargeSamplesApproximate();
    void holmByHand();
    void ratioSpreadByHand();
    void aaComparisonsFindNothing();
    void minimumEffectIsRequired();
    void verdicts_data();
    void verdicts();
};

void TestStatistics::spreadByHand()
{
    // Sorted: 1 2 3 4 100 -> median 3; |x - 3| = 2 1 0 1 97 -> sorted 0 1 1 2 97 -> MAD 1.
    const Spread s = spreadOf({ 4, 1, 100, 3, 2 });
    QCOMPARE(s.n, 5);
    QCOMPARE(s.median, 3.0);
    QCOMPARE(s.min, 1.0);
    QCOMPARE(s.max, 100.0);
    QCOMPARE(s.mad, 1.0);
    QCOMPARE(median({ 1, 2, 3, 4 }), 2.5);
    QCOMPARE(spreadOf({}).n, 0);
}

void TestStatistics::mannWhitneyByHand()
{
    // a = 1..5, b = 6..10: every a below every b, rank sum of a = 15,
    // U = 0. Exactly: of the C(10,5) = 252 equally likely splits, only this
    // one and its mirror are as extreme, so p = 2/252 = 0.00794 (the normal
    // approximation says 0.0122: too large by half at this size).
    const MannWhitney t = mannWhitney({ 1, 2, 3, 4, 5 }, { 6, 7, 8, 9, 10 });
    QCOMPARE(t.u, 0.0);
    QVERIFY(t.exact);
    QVERIFY(std::fabs(t.p - 2.0 / 252) < 1e-12);
    // Four a side, separated: 2/70. One swap (U = 1): 4/70.
    QVERIFY(std::fabs(mannWhitney({ 1, 2, 3, 4 }, { 5, 6, 7, 8 }).p - 2.0 / 70) < 1e-12);
    QVERIFY(std::fabs(mannWhitney({ 1, 2, 3, 5 }, { 4, 6, 7, 8 }).p - 4.0 / 70) < 1e-12);
    // Identical samples (all ties): no evidence at all.
    QCOMPARE(mannWhitney({ 5, 5, 5, 5 }, { 5, 5, 5, 5 }).p, 1.0);
    // Too few samples: never a difference.
    QCOMPARE(mannWhitney({ 1, 2 }, { 7, 8 }).p, 1.0);
    QVERIFY(std::fabs(smallestPossibleP(5, 5) - 2.0 / 252) < 1e-12);
    QVERIFY(std::fabs(smallestPossibleP(6, 6) - 2.0 / 924) < 1e-12);
    QCOMPARE(smallestPossibleP(2, 9), 1.0);
    // Three a side, separated: 2/20 = 0.1, never below 0.05.
    QVERIFY(std::fabs(mannWhitney({ 1, 2, 3 }, { 7, 8, 9 }).p - 0.1) < 1e-12);
}

void TestStatistics::mannWhitneyExactWithTies()
{
    // a = {1, 2, 2}, b = {2, 3, 4}: midranks 1, 3, 3 | 3, 5, 6; rank sum of
    // a = 7, 3.5 below the mean 10.5. Of the 20 ways to pick three of the
    // ranks {1, 3, 3, 3, 5, 6}, as far from the mean: {1, 3, 3} (sum 7) and
    // {3, 5, 6} (sum 14), three ways each -> p = 6/20.
    const MannWhitney t = mannWhitney({ 1, 2, 2 }, { 2, 3, 4 });
    QVERIFY(t.exact);
    QVERIFY2(std::fabs(t.p - 0.3) < 1e-12, qPrintable(QString::number(t.p)));
}

void TestStatistics::mannWhitneyLargeSamplesApproximate()
{
    // 30 a side (60 in all): the normal approximation. Interleaved values:
    // no difference, p near 1.
    std::vector<double> a, b;
    for (int i = 0; i < 30; ++i) {
        a.push_back(2 * i);
        b.push_back(2 * i + 1);
    }
    const MannWhitney t = mannWhitney(a, b);
    QVERIFY(!t.exact);
    QVERIFY(t.p > 0.8);
}

void TestStatistics::holmByHand()
{
    // p = 0.01, 0.04, 0.03 (m = 3): sorted 0.01 x3 = 0.03, 0.03 x2 = 0.06,
    // 0.04 x1 = 0.04 -> monotone 0.06; back in input order.
    const std::vector<double> adj = holmAdjust({ 0.01, 0.04, 0.03 });
    QCOMPARE(int(adj.size()), 3);
    QVERIFY(std::fabs(adj[0] - 0.03) < 1e-12);
    QVERIFY(std::fabs(adj[1] - 0.06) < 1e-12);
    QVERIFY(std::fabs(adj[2] - 0.06) < 1e-12);
    QVERIFY(holmAdjust({}).empty());
    QCOMPARE(holmAdjust({ 0.9, 0.8 })[0], 1.0); // capped at 1
}

void TestStatistics::ratioSpreadByHand()
{
    // 100 ms (MAD 2) against 50 ms (MAD 1): 2x, each side 2 % relative
    // noise x 1.4826 -> sqrt(2) x 2.965 % of 2 = 0.0839.
    Spread a, b;
    a.n = b.n = 5;
    a.median = 100;
    a.mad = 2;
    b.median = 50;
    b.mad = 1;
    const Ratio r = ratioOf(a, b);
    QCOMPARE(r.value, 2.0);
    QVERIFY(r.spreadKnown);
    QVERIFY(std::fabs(r.spread - 2.0 * std::sqrt(2.0) * 0.02 * 1.4826) < 1e-9);
    a.n = 1; // a single run: its noise is unknown
    QVERIFY(!ratioOf(a, b).spreadKnown);
}

void TestStatistics::aaComparisonsFindNothing()
{
    // 2,000 simulated comparisons of nine stages with 6 repetitions a side
    // (the fewest with which Holm's correction can pass: 9 x 2/924 < 0.05),
    // from a fixed seed. A/A, every sample from the same noisy
    // distribution: the share of comparisons that call any stage different
    // stays at or below alpha with the correction; without it (the old
    // rule) it is several times that. And the power it keeps: with one
    // stage really 3x slower, that stage is found nearly every time.
    std::mt19937 rng(12345);
    std::lognormal_distribution<double> noise(0.0, 0.3);
    int anyCorrected = 0, anyUncorrected = 0, shiftFound = 0;
    const int trials = 2000;
    for (int trial = 0; trial < trials; ++trial) {
        for (const double shift : { 1.0, 3.0 }) {
            std::vector<std::vector<double>> as, bs;
            std::vector<double> ps;
            for (int stage = 0; stage < 9; ++stage) {
                std::vector<double> a, b;
                for (int i = 0; i < 6; ++i) {
                    a.push_back(10 * noise(rng));
                    b.push_back(10 * noise(rng) * (stage == 0 ? shift : 1.0));
                }
                ps.push_back(mannWhitney(a, b).p);
                as.push_back(a);
                bs.push_back(b);
            }
            const std::vector<double> adjusted = holmAdjust(ps);
            bool corrected = false, uncorrected = false;
            for (int stage = 0; stage < 9; ++stage) {
                const Verdict v = verdictOf(as[size_t(stage)], bs[size_t(stage)], adjusted[size_t(stage)]);
                if (shift == 1.0) {
                    corrected |= v == Verdict::Faster || v == Verdict::Slower;
                    uncorrected |= ps[size_t(stage)] < 0.05;
                } else if (stage == 0 && v == Verdict::Slower) {
                    ++shiftFound;
                }
            }
            anyCorrected += corrected;
            anyUncorrected += uncorrected;
        }
    }
    QVERIFY2(anyCorrected <= trials * 0.05, qPrintable(QString::number(anyCorrected)));
    QVERIFY2(anyUncorrected > trials * 0.2, qPrintable(QString::number(anyUncorrected)));
    QVERIFY2(shiftFound > trials * 0.9, qPrintable(QString::number(shiftFound)));
}

void TestStatistics::minimumEffectIsRequired()
{
    // Perfectly separated (p = 2/252) but only 2 % apart: not claimed.
    const std::vector<double> a { 100, 100.1, 100.2, 100.3, 100.4 };
    const std::vector<double> b { 98, 98.1, 98.2, 98.3, 98.4 };
    QCOMPARE(int(compareSamples(a, b)), int(Verdict::WithinNoise));
    // 20 % apart: faster.
    const std::vector<double> c { 80, 80.1, 80.2, 80.3, 80.4 };
    QCOMPARE(int(compareSamples(a, c)), int(Verdict::Faster));
}

void TestStatistics::verdicts_data()
{
    QTest::addColumn<double>("shift"); // multiplicative change of B
    QTest::addColumn<double>("noise"); // relative jitter
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("expected");
    QTest::newRow("2x faster, 5% noise") << 0.5 << 0.05 << 20 << int(Verdict::Faster);
    QTest::newRow("30% slower, 5% noise") << 1.3 << 0.05 << 20 << int(Verdict::Slower);
    QTest::newRow("same, 10% noise") << 1.0 << 0.10 << 30 << int(Verdict::WithinNoise);
    QTest::newRow("0.5% faster, tiny noise") << 0.995 << 0.0001 << 30 << int(Verdict::WithinNoise);
    QTest::newRow("3 samples") << 0.5 << 0.01 << 3 << int(Verdict::TooFewSamples);
}

void TestStatistics::verdicts()
{
    QFETCH(double, shift);
    QFETCH(double, noise);
    QFETCH(int, n);
    QFETCH(int, expected);
    // Deterministic jitter: the same pattern in both samples, so "same"
    // really is the same distribution and the shifted one really differs.
    std::vector<double> a, b;
    for (int i = 0; i < n; ++i) {
        const double jitter = 1.0 + noise * std::sin(i * 12.9898);
        a.push_back(100.0 * jitter);
        b.push_back(100.0 * shift * (1.0 + noise * std::sin((i + 7) * 12.9898)));
    }
    QCOMPARE(int(compareSamples(a, b)), expected);
}

QTEST_GUILESS_MAIN(TestStatistics)
#include "tst_statistics.moc"
