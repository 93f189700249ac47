// The run's compact records (measure/stagespan.h) at the edges of their
// ranges: what a report prints from them must be what was measured, to the
// resolution it prints, however long the run and however large the stage.
#include "measure/runrecorder.h"
#include "measure/runresult.h"
#include "reports/reportformats.h"

#include <QtTest>

using namespace pixelperf;

namespace {
constexpr int64_t Us = 1000;
constexpr int64_t Ms = 1000 * Us;
constexpr int64_t S = 1000 * Ms;
constexpr int64_t Hour = 3600 * S;
constexpr uint64_t GiB = uint64_t(1) << 30;

StageSpan span(int64_t start, int64_t end)
{
    StageSpan s;
    s.setImage(99999);
    s.setStage(Stage::Blur);
    s.setWorker(1);
    s.setTimes(start, end);
    return s;
}
} // namespace

class TestStageSpan : public QObject
{
    Q_OBJECT

private slots:
    void isCompact() { QCOMPARE(sizeof(StageSpan), size_t(24)); }

    void everyFieldBack()
    {
        for (int worker : { -1, 0, 1, 255, StageSpan::MaxWorker })
            for (int stage = 0; stage < StageCount; ++stage) {
                StageSpan s = span(5 * Ms + 7, 9 * Ms + 11);
                s.setWorker(worker);
                s.setStage(Stage(stage));
                s.setImage(worker < 0 ? -1 : 2000000000);
                s.setCpuNs(3 * Ms + 1);
                s.setBytesAllocated(123456789);
                s.setCopies(7);
                QCOMPARE(s.worker(), worker);
                QCOMPARE(s.stage(), Stage(stage));
                QCOMPARE(s.image(), worker < 0 ? -1 : 2000000000);
                QCOMPARE(s.startNs(), 5 * Ms + 7);
                QCOMPARE(s.endNs(), 9 * Ms + 11);
                QCOMPARE(s.cpuNs(), 3 * Ms + 1);
                QCOMPARE(s.bytesAllocated(), uint64_t(123456789));
                QCOMPARE(s.copies(), 7u);
            }
    }

    // Ten hours into a run the start is still exact to the ns, and so is a
    // short stage's duration.
    void spanTenHoursAfterTheStart()
    {
        const int64_t start = 10 * Hour + 123456789;
        const StageSpan s = span(start, start + 1234567);
        QCOMPARE(s.startNs(), start);
        QCOMPARE(s.durationNs(), int64_t(1234567));
        QCOMPARE(s.endNs(), start + 1234567);
        // Past 78 hours (2^48 ns) the start stops there; the duration holds.
        const StageSpan late = span(100 * Hour, 100 * Hour + 5 * Ms);
        QCOMPARE(late.startNs(), StageSpan::MaxStartNs);
        QCOMPARE(late.durationNs(), 5 * Ms);
    }

    void extremeTimesSaturate()
    {
        // A report read back may hold any values: no overflow, the longest
        // duration kept, a start before the run at the run's start.
        StageSpan s;
        s.setTimes(std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max());
        QCOMPARE(s.startNs(), int64_t(0));
        QVERIFY(s.durationNs() > int64_t(3600) * 1000000000);
        s.setTimes(std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min());
        QCOMPARE(s.durationNs(), int64_t(0));
        ImageRecord r;
        r.setStageMs(Stage::Load, 1e14); // past int64's nanoseconds
        QVERIFY(r.stageMs(Stage::Load) > 3600e3);
    }

    void zeroNsSpan()
    {
        const StageSpan s = span(42 * Ms, 42 * Ms);
        QCOMPARE(s.durationNs(), int64_t(0));
        QCOMPARE(s.endNs(), s.startNs());
        QCOMPARE(s.cpuNs(), int64_t(0));
        // An end before the start (never from one clock) is a 0-ns span.
        QCOMPARE(span(42 * Ms, 41 * Ms).durationNs(), int64_t(0));
    }

    // Durations are exact to the ns below 67 ms, then to the µs the CSV
    // prints (rounded down, so that a span never ends after it did), then
    // to the ms, then in seconds.
    void durationResolution_data()
    {
        QTest::addColumn<int64_t>("ns");
        QTest::addColumn<int64_t>("kept");
        QTest::newRow("1 ns") << int64_t(1) << int64_t(1);
        QTest::newRow("67.1 ms less 1 ns") << (int64_t(1) << 26) - 1 << (int64_t(1) << 26) - 1;
        QTest::newRow("100 ms and 999 ns") << 100 * Ms + 999 << 100 * Ms;
        QTest::newRow("66 s and 1 us") << 66 * S + Us + 5 << 66 * S + Us;
        QTest::newRow("2 h and 1 ms") << 2 * Hour + Ms + 5 << 2 * Hour + Ms;
        QTest::newRow("20 h") << 20 * Hour + 5 << 20 * Hour;
        QTest::newRow("negative") << int64_t(-5) << int64_t(0);
    }

    void durationResolution()
    {
        QFETCH(int64_t, ns);
        QFETCH(int64_t, kept);
        StageSpan s = span(Hour, Hour + ns);
        s.setCpuNs(ns);
        QCOMPARE(s.durationNs(), kept);
        QCOMPARE(s.cpuNs(), kept);
    }

    // Bytes are exact below 2 GiB; above, in whole KiB (rounded down); above
    // 2 TiB, 2 TiB less a KiB. The CSV and the JSON print what is kept.
    void bytesAboveFourGiB()
    {
        StageSpan s = span(0, Ms);
        s.setBytesAllocated(2 * GiB - 1);
        QCOMPARE(s.bytesAllocated(), 2 * GiB - 1);
        s.setBytesAllocated(5 * GiB + 1000);
        QCOMPARE(s.bytesAllocated(), 5 * GiB);
        s.setBytesAllocated(5 * GiB + 1024 + 3);
        QCOMPARE(s.bytesAllocated(), 5 * GiB + 1024);
        s.setBytesAllocated(3 * 1024 * GiB);
        QCOMPARE(s.bytesAllocated(), 2 * 1024 * GiB - 1024);

        RunResult run;
        s.setBytesAllocated(5 * GiB + 1000);
        run.spans.push_back(s);
        run.images.resize(100000);
        const QByteArray csv = runCsv(run);
        QVERIFY2(csv.contains(",5368709120,"), csv.constData());
    }

    void copiesAndWorkersAreCapped()
    {
        StageSpan s = span(0, Ms);
        s.setCopies(100000);
        QCOMPARE(s.copies(), StageSpan::MaxCopies);
        s.setWorker(100000);
        QCOMPARE(s.worker(), StageSpan::MaxWorker);
        s.setWorker(-7);
        QCOMPARE(s.worker(), -1);
        QCOMPARE(s.startNs(), int64_t(0));
        QCOMPARE(s.durationNs(), Ms);
    }

    // An image's stage times are its spans' durations, packed the same way.
    void imageStageTimes()
    {
        ImageRecord rec;
        for (int stage = 0; stage < StageCount; ++stage)
            QCOMPARE(rec.stageMs(Stage(stage)), -1.0);
        rec.setStageNs(Stage::Load, 1234567);
        QCOMPARE(rec.stageMs(Stage::Load), 1.234567);
        rec.setStageNs(Stage::Save, 0);
        QCOMPARE(rec.stageMs(Stage::Save), 0.0);
        rec.setStageMs(Stage::Blur, 2.5);
        QCOMPARE(rec.stageMs(Stage::Blur), 2.5);
        rec.setStageMs(Stage::Blur, -1);
        QCOMPARE(rec.stageMs(Stage::Blur), -1.0);
        rec.setStageMs(Stage::Resize, 1e300);
        QVERIFY(rec.stageMs(Stage::Resize) > 1e9);
    }
};

QTEST_GUILESS_MAIN(TestStageSpan)
#include "tst_stagespan.moc"
