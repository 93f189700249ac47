// The statistics behind repetitions and comparisons, on samples whose answer
// is known.
#include "statistics.h"

#include <QtTest>

#include <cmath>

using namespace pixelperf;

class TestStatistics : public QObject
{
    Q_OBJECT
private slots:
    void spreadByHand();
    void mannWhitneyByHand();
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
    // U = 15 - 5*6/2 = 0; mean 12.5, variance 5*5*11/12 = 22.92;
    // z = (0 - 12.5 + 0.5) / 4.787 = -2.507, p = erfc(2.507 / sqrt 2) = 0.0122.
    const MannWhitney t = mannWhitney({ 1, 2, 3, 4, 5 }, { 6, 7, 8, 9, 10 });
    QCOMPARE(t.u, 0.0);
    QVERIFY(std::fabs(t.z + 2.507) < 0.01);
    QVERIFY(std::fabs(t.p - 0.0122) < 0.001);
    // Identical samples (all ties): no evidence at all.
    QCOMPARE(mannWhitney({ 5, 5, 5, 5 }, { 5, 5, 5, 5 }).p, 1.0);
    // Too few samples: never a difference.
    QCOMPARE(mannWhitney({ 1, 2, 3 }, { 7, 8, 9 }).p, 1.0);
}

void TestStatistics::verdicts_data()
{
    QTest::addColumn<double>("shift");   // multiplicative change of B
    QTest::addColumn<double>("noise");   // relative jitter
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
        const double jitter = 1.0 + noise * std::sin(i * 12.9898) ;
        a.push_back(100.0 * jitter);
        b.push_back(100.0 * shift * (1.0 + noise * std::sin((i + 7) * 12.9898)));
    }
    QCOMPARE(int(compareSamples(a, b)), expected);
}

QTEST_GUILESS_MAIN(TestStatistics)
#include "tst_statistics.moc"
