// The dashboard's data without a window: synthetic snapshots in, per-stage
// sums, memory and rate series and headline figures out.
#include "charts.h"
#include "dashboardmodel.h"

#include <QTest>

using namespace pixelperf;

namespace {

constexpr int64_t Ms = 1000000;

StageSpan span(int image, Stage stage, int worker, int64_t startMs, int64_t endMs)
{
    StageSpan s;
    s.setImage(image);
    s.setStage(stage);
    s.setWorker(worker);
    s.setTimes(startMs * Ms, endMs * Ms);
    return s;
}

MemorySample sample(int64_t tMs, int64_t rssMiB, int64_t pixelMiB, int64_t cpuMs, int done)
{
    MemorySample m;
    m.tNs = tMs * Ms;
    m.rssBytes = rssMiB << 20;
    m.pixelBytesLive = pixelMiB << 20;
    m.cpuNs = cpuMs * Ms;
    m.imagesDone = done;
    return m;
}

} // namespace

class TestDashboardModel : public QObject
{
    Q_OBJECT
private slots:
    void niceRangeIsRoundAndCovers_data();
    void niceRangeIsRoundAndCovers();
    void labelFormatsKeepTheirText();
    void emptyModel();
    void stageSumsAcrossSnapshots();
    void memorySeries();
    void ratesOverTrailingWindow();
    void headlineAndEta();
    void loadFinishedResult();
    void finishedRunSpansReadFromItsResult();
    void stageTotalsFromStats();
};

void TestDashboardModel::emptyModel()
{
    DashboardModel m;
    QVERIFY(m.isEmpty());
    QCOMPARE(m.stageTotals().totalMs(), 0.0);
    QVERIFY(m.rssMiB().empty());
    QCOMPARE(m.headline().etaSeconds, -1.0);
}

void TestDashboardModel::stageSumsAcrossSnapshots()
{
    DashboardModel m;
    ProfileSnapshot first;
    first.workers = 2;
    first.spans = { span(-1, Stage::Scan, -1, 0, 2), span(0, Stage::Load, 0, 2, 12),
        span(1, Stage::Load, 1, 2, 16), span(0, Stage::Resize, 0, 12, 20) };
    m.addSnapshot(first);
    ProfileSnapshot second; // only what is new since the first
    second.workers = 2;
    second.spans = { span(1, Stage::Resize, 1, 16, 22), span(0, Stage::Blur, 0, 20, 50),
        span(2, Stage::Load, 0, 50, 55) };
    m.addSnapshot(second);

    const StageTotals &t = m.stageTotals();
    QCOMPARE(t.ms[size_t(Stage::Scan)], 2.0);
    QCOMPARE(t.ms[size_t(Stage::Load)], 10.0 + 14.0 + 5.0);
    QCOMPARE(t.count[size_t(Stage::Load)], 3);
    QCOMPARE(t.ms[size_t(Stage::Resize)], 8.0 + 6.0);
    QCOMPARE(t.count[size_t(Stage::Resize)], 2);
    QCOMPARE(t.ms[size_t(Stage::Blur)], 30.0);
    QCOMPARE(t.ms[size_t(Stage::Save)], 0.0);
    QCOMPARE(t.count[size_t(Stage::Save)], 0);
    QCOMPARE(t.totalMs(), 2.0 + 29.0 + 14.0 + 30.0);
    QCOMPARE(t.maxMs(), 30.0);
    QCOMPARE(m.spans().size(), size_t(7));
    QCOMPARE(m.laneCount(), 2);
    QCOMPARE(m.elapsedNs(), 55 * Ms);
}

void TestDashboardModel::finishedRunSpansReadFromItsResult()
{
    // A run followed live ends: the charts read its spans from its result
    // (held once), the same spans in the same order as they arrived.
    DashboardModel m;
    ProfileSnapshot snap;
    snap.workers = 1;
    snap.spans
        = { span(0, Stage::Load, 0, 0, 5), span(0, Stage::Resize, 0, 5, 9), span(1, Stage::Load, 0, 9, 12) };
    m.addSnapshot(snap);
    m.adoptSpans(nullptr);
    QCOMPARE(m.spans().size(), size_t(3));

    auto result = std::make_shared<RunResult>();
    result->spans = snap.spans;
    m.adoptSpans(result);
    QCOMPARE(m.spans().size(), size_t(3));
    QCOMPARE(&m.spans()[0], &result->spans[0]); // not a copy
    std::vector<int64_t> starts;
    for (const StageSpan &s : m.spans())
        starts.push_back(s.startNs());
    QCOMPARE(starts, (std::vector<int64_t> { 0, 5 * Ms, 9 * Ms }));
    QCOMPARE(m.stageTotals().count[size_t(Stage::Load)], 2);
    QCOMPARE(m.imageBreakdown(0).stages[size_t(Stage::Resize)].spans, 1);
    const std::weak_ptr<RunResult> kept = result;
    result.reset();
    QVERIFY(!kept.expired()); // the model keeps what it reads alive
    QCOMPARE(m.spans()[2].image(), 1);
    m.reset();
    QVERIFY(kept.expired());
    QVERIFY(m.spans().empty());
}

void TestDashboardModel::memorySeries()
{
    DashboardModel m;
    ProfileSnapshot a;
    a.memory = { sample(0, 100, 0, 0, 0), sample(20, 120, 8, 30, 0) };
    m.addSnapshot(a);
    ProfileSnapshot b;
    b.memory = { sample(40, 150, 24, 70, 1) };
    m.addSnapshot(b);

    QCOMPARE(m.rssMiB().size(), size_t(3));
    QCOMPARE(m.pixelMiB().size(), size_t(3));
    QCOMPARE(m.rssMiB()[0], QPointF(0.0, 100.0));
    QCOMPARE(m.rssMiB()[1], QPointF(0.02, 120.0));
    QCOMPARE(m.rssMiB()[2], QPointF(0.04, 150.0));
    QCOMPARE(m.pixelMiB()[2], QPointF(0.04, 24.0));
    QCOMPARE(m.elapsedNs(), 40 * Ms);
}

void TestDashboardModel::ratesOverTrailingWindow()
{
    // One sample every 20 ms for 3 s; one image done every 100 ms on 2
    // workers, which burn one core's worth of CPU. Handed over in two
    // snapshots, as a live run does.
    ProfileSnapshot first, second;
    RunResult whole;
    for (int i = 0; i <= 150; ++i) {
        const int64_t t = i * 20;
        (t <= 1500 ? first : second).memory.push_back(sample(t, 100, 10, t, int(t / 100)));
    }
    for (int i = 0; i < 30; ++i) {
        ImageRecord im;
        im.index = i;
        im.ok = true;
        ProfileSnapshot &snap = i < 15 ? first : second;
        snap.spans.push_back(span(i, Stage::Save, i % 2, i * 100, (i + 1) * 100));
        snap.images.push_back(im);
    }
    first.workers = second.workers = 2;
    DashboardModel m;
    m.addSnapshot(first);
    m.addSnapshot(second);
    QVERIFY(!m.throughput().empty());
    QCOMPARE(m.throughput().size(), m.cpuPercent().size());
    // The window is a tenth of the run; once it is behind, 10 images/s
    // (within one image over the window) and 50 % of the 2 workers (not of
    // the 8 cores).
    QCOMPARE(m.rateWindowSeconds(), 0.3);
    QVERIFY(std::abs(m.throughput().front().x() - 0.3) < 1e-9);
    const QPointF lastRate = m.throughput().back();
    QVERIFY(std::abs(lastRate.x() - 3.0) < 1e-9);
    QVERIFY2(std::abs(lastRate.y() - 10.0) <= 1 / 0.3 + 1e-9, qPrintable(QString::number(lastRate.y())));
    QVERIFY(std::abs(m.cpuPercent().back().y() - 50.0) < 0.5);

    // The same series as the reports draw from the finished run.
    whole.spans = first.spans;
    whole.spans.insert(whole.spans.end(), second.spans.begin(), second.spans.end());
    whole.images = first.images;
    whole.images.insert(whole.images.end(), second.images.begin(), second.images.end());
    whole.memory = first.memory;
    whole.memory.insert(whole.memory.end(), second.memory.begin(), second.memory.end());
    whole.summary.wallMs = 3000;
    whole.summary.workers = 2;
    const RunSeries report = runSeries(whole);
    QCOMPARE(m.throughput(), report.imagesPerSecond);
    QCOMPARE(m.cpuPercent(), report.cpuPercent);
}

void TestDashboardModel::headlineAndEta()
{
    DashboardModel m;
    ProfileSnapshot snap;
    snap.elapsedNs = 2000 * Ms;
    snap.imagesTotal = 10;
    snap.imagesDone = 4;
    snap.imagesFailed = 1;
    snap.peakRssBytes = int64_t(300) << 20;
    snap.peakPixelBytes = int64_t(40) << 20;
    m.addSnapshot(snap);
    HeadlineFigures h = m.headline();
    QCOMPARE(h.imagesDone, 4);
    QCOMPARE(h.imagesTotal, 10);
    QCOMPARE(h.elapsedSeconds, 2.0);
    QCOMPARE(h.imagesPerSecond, 1.5); // the 3 that went well, over 2 s
    QCOMPARE(h.etaSeconds, 3.0); // 6 left at 2 images/s
    QCOMPARE(h.peakRssBytes, int64_t(300) << 20);
    QVERIFY(!h.finished);

    // Peaks never go down; a finished run has no ETA to wait for.
    ProfileSnapshot last;
    last.elapsedNs = 5000 * Ms;
    last.imagesTotal = 10;
    last.imagesDone = 10;
    last.peakRssBytes = int64_t(200) << 20;
    last.finished = true;
    m.addSnapshot(last);
    h = m.headline();
    QCOMPARE(h.peakRssBytes, int64_t(300) << 20);
    QVERIFY(h.finished);
    QCOMPARE(h.etaSeconds, 0.0);

    m.reset();
    QVERIFY(m.isEmpty());
    QCOMPARE(m.headline().imagesTotal, 0);
}

void TestDashboardModel::loadFinishedResult()
{
    RunResult r;
    r.spans = { span(-1, Stage::Scan, -1, 0, 1), span(0, Stage::Load, 0, 1, 9),
        span(0, Stage::Save, 0, 9, 12), span(1, Stage::Load, 1, 1, 5) };
    r.stages = computeStageStats(r.spans);
    r.memory = { sample(0, 50, 0, 0, 0), sample(20, 60, 4, 10, 2) };
    r.summary.imagesTotal = 2;
    r.summary.imagesOk = 2;
    r.summary.wallMs = 12;
    r.summary.workers = 2;
    r.summary.cancelled = true;
    r.summary.peakRssBytes = int64_t(60) << 20;

    DashboardModel m;
    m.loadResult(r);
    QVERIFY(!m.isEmpty());
    const StageTotals fromStats = StageTotals::fromStats(r.stages);
    for (int i = 0; i < StageCount; ++i) {
        QCOMPARE(m.stageTotals().ms[size_t(i)], fromStats.ms[size_t(i)]);
        QCOMPARE(m.stageTotals().count[size_t(i)], fromStats.count[size_t(i)]);
    }
    QCOMPARE(m.stageTotals().ms[size_t(Stage::Load)], 12.0);
    QCOMPARE(m.rssMiB().size(), size_t(2));
    QCOMPARE(m.laneCount(), 2);
    const HeadlineFigures h = m.headline();
    QVERIFY(h.finished);
    QVERIFY(h.cancelled);
    QCOMPARE(h.imagesDone, 2);
    QCOMPARE(h.peakRssBytes, int64_t(60) << 20);

    // A result the model shares (a run of the history): its spans are read
    // where they are, not copied, and the same figures come of them.
    auto shared = std::make_shared<RunResult>(r);
    DashboardModel viewed;
    viewed.loadResult(shared);
    QCOMPARE(viewed.spans().size(), r.spans.size());
    QCOMPARE(&viewed.spans()[0], &shared->spans[0]);
    QCOMPARE(viewed.stageTotals().ms, m.stageTotals().ms);
    QCOMPARE(viewed.laneCount(), m.laneCount());
    QCOMPARE(viewed.elapsedNs(), m.elapsedNs());
    QCOMPARE(viewed.imageBreakdown(0).stages[size_t(Stage::Save)].spans, 1);
    const std::weak_ptr<RunResult> kept = shared;
    shared.reset();
    QVERIFY(!kept.expired()); // the model keeps what it reads alive
    // Not shared: the model's own copy, which outlives the caller's.
    DashboardModel copied;
    {
        const RunResult gone = r;
        copied.loadResult(gone);
    }
    QCOMPARE(copied.spans()[1].durationNs(), 8 * Ms);
}

void TestDashboardModel::stageTotalsFromStats()
{
    StageStats blur;
    blur.stage = Stage::Blur;
    blur.count = 3;
    blur.totalMs = 42.5;
    const StageTotals t = StageTotals::fromStats({ blur });
    QCOMPARE(t.ms[size_t(Stage::Blur)], 42.5);
    QCOMPARE(t.count[size_t(Stage::Blur)], 3);
    QCOMPARE(t.totalMs(), 42.5);
}

void TestDashboardModel::niceRangeIsRoundAndCovers_data()
{
    QTest::addColumn<double>("max");
    QTest::addColumn<double>("top");
    QTest::addColumn<int>("ticks");
    QTest::addColumn<int>("decimals");
    QTest::newRow("nothing yet") << 0.0 << 1.0 << 2 << 0;
    QTest::newRow("0.37 s") << 0.37 << 0.4 << 5 << 1;
    QTest::newRow("0.037 s") << 0.037 << 0.04 << 5 << 2;
    QTest::newRow("exactly 100") << 100.0 << 100.0 << 6 << 0;
    QTest::newRow("just over 100") << 101.0 << 150.0 << 4 << 0;
    QTest::newRow("43 MiB") << 43.0 << 50.0 << 6 << 0;
    QTest::newRow("7 images/s") << 7.0 << 8.0 << 5 << 0;
    QTest::newRow("4,990 images/s") << 4990.0 << 5000.0 << 6 << 0;
    QTest::newRow("a hair over 100: no more than 5 steps") << 100.00000005 << 100.0 << 3 << 0;
    QTest::newRow("subnormal") << 4.94e-324 << 1.0 << 2 << 0;
    QTest::newRow("near the largest double") << 1.7e308 << 1.7e308 << 2 << 0;
}

void TestDashboardModel::niceRangeIsRoundAndCovers()
{
    // The live charts' axes: 0 to a round number at or above the data, with
    // ticks on round steps, so they change only when the data outgrows them.
    QFETCH(double, max);
    QFETCH(double, top);
    QFETCH(int, ticks);
    QFETCH(int, decimals);
    const NiceRange r = niceRange(max);
    QCOMPARE(r.top, top);
    QCOMPARE(r.tickCount, ticks);
    // Labels with as many decimals as the steps need: "5000", not "5000.0".
    QCOMPARE(r.decimals, decimals);
    QCOMPARE(
        labelFormatWithDecimals(QStringLiteral("%.1f"), r.decimals), QStringLiteral("%.%1f").arg(decimals));
    QVERIFY(r.top >= max * (1 - 1e-9)); // within a billionth of a step counts as on it
    QVERIFY(r.tickCount <= 6);
    QCOMPARE(niceRange(max * 0.999 + 1e-12).top <= r.top, true); // a little less never needs more
}

void TestDashboardModel::labelFormatsKeepTheirText()
{
    QCOMPARE(labelFormatWithDecimals(QStringLiteral("%.0f MiB"), 2), QStringLiteral("%.2f MiB"));
    QCOMPARE(labelFormatWithDecimals(QStringLiteral("%g"), 1), QStringLiteral("%g"));
    QCOMPARE(labelFormatWithDecimals(QStringLiteral("%d"), 1), QStringLiteral("%d"));
}

QTEST_GUILESS_MAIN(TestDashboardModel)
#include "tst_dashboardmodel.moc"
