// The pipeline's parallel paths and the profiler's snapshots under load:
// readers on other threads snapshot a run from the moment it starts while
// workers record into it, and cancel it from another thread. Meant to be
// run under ThreadSanitizer (scripts/sanitize.sh tsan); on its own it checks
// that what every reader sees is consistent.
#include "pipeline/pipeline.h"
#include "samples/samplegenerator.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtConcurrent/QtConcurrentRun>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <thread>

using namespace pixelperf;

namespace {
constexpr int64_t BackStepNs = 100 * 1000 * 1000; // generous for TSan's scheduling
} // namespace

class TestConcurrency : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void snapshotsFromTheStart_data();
    void snapshotsFromTheStart();
    void cancelFromAnotherThread();
    void backgroundWorkersRunAtLowerPriority_data();
    void backgroundWorkersRunAtLowerPriority();

private:
    PipelineConfig config(const QString &preset, const QString &out) const;

    QTemporaryDir m_tmp;
    QString m_in;
};

PipelineConfig TestConcurrency::config(const QString &preset, const QString &out) const
{
    PipelineConfig c;
    c.preset = preset;
    c.toggles = *presetToggles(preset);
    c.toggles.set(ToggleId::Parallel, true);
    c.inputDir = m_in;
    c.outputDir = m_tmp.filePath(out);
    c.params.width = 64;
    c.params.height = 48;
    c.params.jobs = 3;
    return c;
}

void TestConcurrency::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    m_in = m_tmp.filePath("in");
    const GenerateResult g = generateSamples(m_in, 12, 160, 100, 4);
    QVERIFY2(g.error.isEmpty(), qPrintable(g.error));
}

void TestConcurrency::snapshotsFromTheStart_data()
{
    QTest::addColumn<QString>("preset");
    QTest::newRow("optimized") << "optimized";
    // Every stage copies and churns formats: the most allocations to count.
    QTest::newRow("baseline, parallel") << "baseline";
}

void TestConcurrency::snapshotsFromTheStart()
{
    QFETCH(QString, preset);
    PipelineRun run(config(preset, "out-" + preset));
    const std::shared_ptr<RunRecorder> recorder = run.recorder();
    std::atomic<int> inconsistent { 0 };
    // Two readers, like the dashboard and the progress line, each with its
    // own cursor, from before the run starts until after it ends.
    auto reader = [&] {
        SnapshotCursor cursor;
        size_t spans = 0, images = 0;
        int lastDone = 0;
        int64_t lastElapsed = 0;
        bool finished = false;
        while (!finished) {
            const ProfileSnapshot s = recorder->snapshot(&cursor);
            spans += s.spans.size();
            images += s.images.size();
            // Counts only grow, each record arrives once, the clock only
            // goes forward: 0 before the start, then the time since, then the
            // end time (which a reader that read the clock a moment before
            // finish() stored it may already have passed: a step back of
            // microseconds, once).
            if (s.imagesDone < lastDone)
                inconsistent.fetch_add(1);
            if (s.imagesTotal > 0 && s.imagesDone > s.imagesTotal)
                inconsistent.fetch_add(2);
            if (images > size_t(12))
                inconsistent.fetch_add(4);
            if (s.elapsedNs < lastElapsed - BackStepNs)
                inconsistent.fetch_add(8);
            if (s.elapsedNs > int64_t(600) * 1000000000)
                inconsistent.fetch_add(16);
            lastDone = s.imagesDone;
            lastElapsed = s.elapsedNs;
            finished = s.finished; // every record was added before
        }
        if (images != 12 || spans == 0)
            inconsistent.fetch_add(1000);
    };
    std::thread a(reader);
    QFuture<RunResult> going = QtConcurrent::run([&run] { return run.run(); });
    std::thread b(reader);
    const RunResult r = going.result();
    a.join();
    b.join();
    QCOMPARE(inconsistent.load(), 0);
    QCOMPARE(r.summary.imagesOk, 12);
    QCOMPARE(int(r.images.size()), 12);
}

void TestConcurrency::cancelFromAnotherThread()
{
    // Naive blur on three workers (slow enough to be caught mid-image, where
    // the workers poll the flag), cancelled by a thread of its own at once,
    // racing with the scan and the workers' start.
    PipelineConfig c = config("optimized", "out-cancel");
    c.toggles.set(ToggleId::SeparableBlur, false);
    c.params.width = 800;
    c.params.height = 600;
    PipelineRun run(c);
    std::thread canceller([&] { run.cancel(); });
    const RunResult r = run.run();
    canceller.join();
    QVERIFY(r.ok());
    QVERIFY(r.summary.cancelled);
    QCOMPARE(r.summary.imagesTotal, 12);
    QCOMPARE(r.summary.imagesOk + r.summary.imagesCancelled, 12);
    QCOMPARE(r.summary.imagesFailed, 0);
    QCOMPARE(QDir(c.outputDir).entryList(QDir::Files | QDir::Hidden).size(), r.summary.imagesOk);
}

namespace {
// The nice value in a /proc/.../stat file (Linux), or -100 if unreadable.
int niceIn(const QString &statPath)
{
    QFile stat(statPath);
    if (!stat.open(QIODevice::ReadOnly))
        return -100; // the thread ended meanwhile
    const QByteArray line = stat.readAll();
    // Fields after the command name (in parentheses, may hold spaces): state
    // is field 3, nice field 19.
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    return fields.size() > 16 ? fields.at(16).toInt() : -100;
}

// The nice value of each of this process's threads.
QList<int> threadNiceValues()
{
    QList<int> values;
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        values << niceIn(tasks.filePath(tid + QStringLiteral("/stat")));
    return values;
}
} // namespace

void TestConcurrency::backgroundWorkersRunAtLowerPriority_data()
{
    QTest::addColumn<bool>("background");
    QTest::newRow("background (the window's runs)") << true;
    QTest::newRow("normal (the command line's)") << false;
}

void TestConcurrency::backgroundWorkersRunAtLowerPriority()
{
#ifndef Q_OS_LINUX
    QSKIP("thread priorities are read from /proc");
#else
    // While a run with backgroundWorkers goes, its workers are niced (so the
    // window's thread gets a core the moment it wakes); without, they are not.
    QFETCH(bool, background);
    const int base = niceIn(QStringLiteral("/proc/self/stat")); // the main thread's
    QVERIFY(base != -100);
    if (base + 5 > 19)
        QSKIP("already at the lowest priority");
    PipelineConfig c = config("optimized", background ? "out-bg" : "out-fg");
    c.toggles.set(ToggleId::SeparableBlur, false); // slow enough to be watched
    c.params.width = 400;
    c.params.height = 300;
    c.backgroundWorkers = background;
    // Unsampled: the thread that names sampled frames once the work runs out
    // is started by a worker and so shares its (lowered) priority, but it is
    // not a worker.
    c.sampleRateHz = 0;
    auto loweredNow = [base] {
        const QList<int> nice = threadNiceValues();
        return int(std::count(nice.begin(), nice.end(), base + 5));
    };
    // The previous row's workers end with its pool, but their threads can
    // still be listed for a moment after its run returned: gone first.
    QTRY_COMPARE(loweredNow(), 0);
    PipelineRun run(c);
    const QFuture<RunResult> future = QtConcurrent::run([&run] { return run.run(); });
    int lowered = 0;
    while (!future.isFinished())
        lowered = std::max(lowered, loweredNow());
    QVERIFY(future.result().ok());
    QCOMPARE(future.result().summary.imagesOk, 12);
    if (background)
        QCOMPARE(lowered, c.params.jobs); // every worker, and nothing else
    else
        QCOMPARE(lowered, 0);
#endif
}

QTEST_GUILESS_MAIN(TestConcurrency)
#include "tst_concurrency.moc"
