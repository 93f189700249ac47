// The run's time series (measure/series.h), on records whose answer is known:
// the rate window at any run length, throughput from image completion times,
// CPU over the workers, and the same series from a finished run as the
// dashboard and the reports read it.
#include "measure/runresult.h"
#include "measure/series.h"

#include <QtTest>

#include <cmath>

using namespace pixelperf;

namespace {

constexpr int64_t Ms = 1000000;

StageSpan span(int image, Stage stage, int64_t startMs, int64_t endMs)
{
    StageSpan s;
    s.setImage(image);
    s.setStage(stage);
    s.setWorker(image >= 0 ? image % 2 : -1);
    s.setTimes(startMs * Ms, endMs * Ms);
    return s;
}

ImageRecord image(int index, bool ok = true, bool cancelled = false)
{
    ImageRecord r;
    r.index = index;
    r.ok = ok;
    r.cancelled = cancelled;
    return r;
}

// One sample every 20 ms up to `endMs`; the process burns `cpuPerMs` ms of CPU
// per ms of wall time.
std::vector<MemorySample> samples(int64_t endMs, double cpuPerMs)
{
    std::vector<MemorySample> out;
    for (int64_t t = 0; t <= endMs; t += 20) {
        MemorySample m;
        m.tNs = t * Ms;
        m.rssBytes = (100 + t) << 20;
        m.pixelBytesLive = int64_t(8) << 20;
        m.cpuNs = int64_t(double(t) * cpuPerMs * double(Ms));
        out.push_back(m);
    }
    return out;
}

// A run of `count` images on 2 workers, one finishing every `everyMs`.
RunResult steadyRun(int count, int64_t everyMs)
{
    RunResult run;
    for (int i = 0; i < count; ++i) {
        const int64_t end = (i + 1) * everyMs;
        run.spans.push_back(span(i, Stage::Load, end - everyMs, end - everyMs / 2));
        run.spans.push_back(span(i, Stage::Save, end - everyMs / 2, end));
        run.images.push_back(image(i));
    }
    run.summary.wallMs = double(count * everyMs);
    run.summary.workers = 2;
    run.memory = samples(count * everyMs, 1.0);
    return run;
}

} // namespace

class TestSeries : public QObject
{
    Q_OBJECT
private slots:
    void windowIsAFractionOfTheRunBounded_data();
    void windowIsAFractionOfTheRunBounded();
    void completionIsTheLastSpanOfAFinishedImage();
    void completionsAsTheyComeMatchTheWhole();
    void steadyRateAtAnyRunLength_data();
    void steadyRateAtAnyRunLength();
    void burstsAreCountedWhereTheyHappen();
    void cpuIsOverTheWorkers();
    void memoryIsOnePointPerSample();
    void emptyRunHasNoRates();
};

void TestSeries::windowIsAFractionOfTheRunBounded_data()
{
    QTest::addColumn<double>("run");
    QTest::addColumn<double>("window");
    QTest::newRow("nothing yet") << 0.0 << 0.0;
    QTest::newRow("shorter than the minimum: the whole run") << 0.03 << 0.03;
    QTest::newRow("110 ms: the minimum") << 0.11 << 0.04;
    QTest::newRow("3 s: a tenth") << 3.0 << 0.3;
    QTest::newRow("10 min: the maximum") << 600.0 << 2.0;
}

void TestSeries::windowIsAFractionOfTheRunBounded()
{
    QFETCH(double, run);
    QFETCH(double, window);
    QCOMPARE(rateWindowSeconds(run), window);
}

void TestSeries::completionIsTheLastSpanOfAFinishedImage()
{
    // Spans out of order; a failed image finishes at its failing stage; a
    // cancelled one and one still running (no record yet) do not count.
    const std::vector<StageSpan> spans = { span(1, Stage::Save, 30, 45), span(-1, Stage::Scan, 0, 99),
        span(0, Stage::Load, 0, 10), span(1, Stage::Load, 0, 20), span(2, Stage::Load, 0, 5),
        span(3, Stage::Load, 0, 70), span(0, Stage::Blur, 10, 25) };
    const std::vector<ImageRecord> images = { image(1), image(0, false), image(2, false, true) };
    std::vector<double> done = completionSeconds(spans, images);
    std::sort(done.begin(), done.end());
    QCOMPARE(done.size(), size_t(2));
    QCOMPARE(done[0], 0.025);
    QCOMPARE(done[1], 0.045);
}

void TestSeries::completionsAsTheyComeMatchTheWhole()
{
    // A live run's records in pulls of any size give the completion times
    // of the whole, in order: here 300 images on 3 workers finishing out
    // of order, some failed or cancelled, one record pulled before its
    // spans.
    std::vector<StageSpan> spans;
    std::vector<ImageRecord> images;
    for (int i = 0; i < 300; ++i) {
        const int64_t start = (i * 37) % 400;
        spans.push_back(span(i, Stage::Load, start, start + 5 + i % 7));
        if (i % 11 != 0)
            spans.push_back(span(i, Stage::Save, start + 20, start + 25 + (i * 13) % 17));
        images.push_back(image(i, i % 11 != 0, i % 29 == 0));
    }
    std::vector<double> whole = completionSeconds(spans, images);
    std::sort(whole.begin(), whole.end());
    CompletionTimes live;
    size_t s = 0, im = 0;
    for (int pull = 1; s < spans.size() || im < images.size(); ++pull) {
        const size_t spanEnd = std::min(spans.size(), s + size_t(pull * 7 % 23));
        // Records a little ahead of spans: a record before its spans.
        const size_t imEnd = std::min(images.size(), im + size_t(pull * 5 % 13));
        live.addImages(std::vector<ImageRecord>(images.begin() + long(im), images.begin() + long(imEnd)));
        live.addSpans(std::vector<StageSpan>(spans.begin() + long(s), spans.begin() + long(spanEnd)));
        s = spanEnd;
        im = imEnd;
    }
    QCOMPARE(live.seconds(), whole);
    QVERIFY(whole.size() > 250);
}

void TestSeries::steadyRateAtAnyRunLength_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("everyMs");
    QTest::addColumn<double>("rate");
    QTest::newRow("110 ms, 11 images") << 11 << 10 << 100.0;
    QTest::newRow("3 s, 30 images") << 30 << 100 << 10.0;
    QTest::newRow("60 s, 300 images") << 300 << 200 << 5.0;
}

void TestSeries::steadyRateAtAnyRunLength()
{
    // Images finish at a steady pace: the line is flat at that rate from one
    // window after the start to the end, whatever the run's length.
    QFETCH(int, count);
    QFETCH(int, everyMs);
    QFETCH(double, rate);
    const RunResult run = steadyRun(count, everyMs);
    const RunSeries s = runSeries(run);
    const double runSeconds = run.summary.wallMs / 1000;
    QCOMPARE(s.windowSeconds, rateWindowSeconds(runSeconds));
    QVERIFY2(s.imagesPerSecond.size() >= 10, qPrintable(QString::number(s.imagesPerSecond.size())));
    QCOMPARE(s.imagesPerSecond.size(), s.cpuPercent.size());
    QVERIFY(std::abs(s.imagesPerSecond.front().x() - s.windowSeconds) < 1e-9);
    QVERIFY(std::abs(s.imagesPerSecond.back().x() - runSeconds) < 1e-9);
    // Within one image of the window's count.
    const double oneImage = 1 / s.windowSeconds;
    for (const QPointF &p : s.imagesPerSecond)
        QVERIFY2(std::abs(p.y() - rate) <= oneImage + 1e-9,
            qPrintable(QStringLiteral("%1 at %2 s").arg(p.y()).arg(p.x())));
}

void TestSeries::burstsAreCountedWhereTheyHappen()
{
    // 3 s; 10 images all finish at 1.0 s and none after: the rate is 10 per
    // window inside the window after 1.0 s and 0 elsewhere.
    RunResult run;
    for (int i = 0; i < 10; ++i) {
        run.spans.push_back(span(i, Stage::Save, 900, 1000));
        run.images.push_back(image(i));
    }
    run.summary.wallMs = 3000;
    run.summary.workers = 2;
    const RunSeries s = runSeries(run);
    QCOMPARE(s.windowSeconds, 0.3);
    double total = 0;
    for (const QPointF &p : s.imagesPerSecond) {
        const bool inside = p.x() >= 1.0 - 1e-9 && p.x() < 1.3 - 1e-9;
        QCOMPARE(p.y(), inside ? 10 / 0.3 : 0.0);
        total += p.y();
    }
    QVERIFY(total > 0);
    QVERIFY(s.cpuPercent.empty()); // no memory samples: no CPU to read
}

void TestSeries::cpuIsOverTheWorkers()
{
    // 1.5 ms of CPU per ms of wall time on 2 workers: 75 % of the workers,
    // whatever the machine's core count.
    RunResult run = steadyRun(30, 100);
    run.memory = samples(3000, 1.5);
    const RunSeries s = runSeries(run);
    QVERIFY(!s.cpuPercent.empty());
    for (const QPointF &p : s.cpuPercent)
        QVERIFY2(std::abs(p.y() - 75.0) < 1e-6, qPrintable(QString::number(p.y())));
    run.summary.workers = 1;
    QVERIFY(std::abs(runSeries(run).cpuPercent.back().y() - 150.0) < 1e-6);
}

void TestSeries::memoryIsOnePointPerSample()
{
    const RunResult run = steadyRun(5, 20);
    const RunSeries s = runSeries(run);
    QCOMPARE(s.rssMiB.size(), run.memory.size());
    QCOMPARE(s.pixelMiB.size(), run.memory.size());
    QCOMPARE(s.rssMiB[1], QPointF(0.02, 120.0));
    QCOMPARE(s.pixelMiB[1], QPointF(0.02, 8.0));
}

void TestSeries::emptyRunHasNoRates()
{
    const RunSeries s = runSeries(RunResult());
    QCOMPARE(s.windowSeconds, 0.0);
    QVERIFY(s.imagesPerSecond.empty());
    QVERIFY(s.cpuPercent.empty());
    QVERIFY(s.rssMiB.empty());
}

QTEST_APPLESS_MAIN(TestSeries)
#include "tst_series.moc"
