// Warm-ups and repetitions: the warm-ups are run and discarded, every
// measured repetition is kept, progress names the run going, and a cancel at
// any moment stops the runs and keeps the cancelled one.
#include "pipeline/repeatedrun.h"
#include "samples/samplegenerator.h"

#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace pixelperf;

class TestRepeatedRun : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void warmupsAreDiscarded();
    void eachRepetitionSaysWhenItStarted();
    void progressLabels_data();
    void progressLabels();
    void invalidPlanOrFolderIsAnError();
    void cancelDuringTheSecondRepetition();
    void cancelBeforeStartKeepsACancelledRun();

private:
    PipelineConfig config(const QString &out) const;
    QTemporaryDir m_tmp;
    QString m_in;
};

PipelineConfig TestRepeatedRun::config(const QString &out) const
{
    PipelineConfig c;
    c.inputDir = m_in;
    c.outputDir = m_tmp.filePath(out);
    c.params.width = 96;
    c.params.height = 64;
    c.params.jobs = 2;
    return c;
}

void TestRepeatedRun::initTestCase()
{
    m_in = m_tmp.filePath(QStringLiteral("in"));
    QVERIFY(generateSamples(m_in, 3, 160, 120, 5).error.isEmpty());
}

void TestRepeatedRun::warmupsAreDiscarded()
{
    PipelineConfig c = config(QStringLiteral("warm"));
    RepeatedRun runs(c, RepetitionPlan { 1, 3 });
    QCOMPARE(runs.progress().run, -1);
    QVERIFY(!runs.currentRecorder());
    runs.start().waitForFinished();
    runs.wait();
    const RepeatedRunResult r = runs.result();
    QVERIFY2(r.ok(), qPrintable(r.fatalError));
    QVERIFY(!r.cancelled);
    QCOMPARE(r.warmupsDone, 1);
    QCOMPARE(int(r.runs.size()), 3);
    for (const RunResult &run : r.runs) {
        QVERIFY(!run.summary.cancelled);
        QCOMPARE(run.summary.imagesOk, 3);
    }
    QCOMPARE(r.last(), &r.runs.back());
    // The repetitions are distinct runs, each with its own clock.
    QVERIFY(r.runs[0].startedAt <= r.runs[1].startedAt);
    QVERIFY(r.runs[1].startedAt <= r.runs[2].startedAt);
    const RepetitionProgress p = runs.progress();
    QCOMPARE(p.run, 3);
    QCOMPARE(p.label(), QStringLiteral("repetition 3 of 3"));
    QVERIFY(runs.currentRecorder());
}

void TestRepeatedRun::eachRepetitionSaysWhenItStarted()
{
    // The machine is read once for the plan; the time in each repetition's
    // environment (its report's environment.started_at) is its own start.
    const RepeatedRunResult r
        = RepeatedRun::runBlocking(config(QStringLiteral("started")), RepetitionPlan { 1, 3 });
    QVERIFY2(r.ok(), qPrintable(r.fatalError));
    QCOMPARE(int(r.runs.size()), 3);
    const auto startedAt = [](const RunResult &run) {
        return QDateTime::fromString(
            run.environment.value(QStringLiteral("started_at")).toString(), Qt::ISODateWithMs);
    };
    const auto withoutTime = [](QJsonObject environment) {
        environment.remove(QStringLiteral("started_at"));
        return environment;
    };
    for (const RunResult &run : r.runs) {
        QVERIFY(startedAt(run).isValid());
        QCOMPARE(startedAt(run), run.startedAt);
        QCOMPARE(withoutTime(run.environment), withoutTime(r.runs.front().environment));
    }
    QVERIFY(startedAt(r.runs.front()) < startedAt(r.runs.back()));
}

void TestRepeatedRun::progressLabels_data()
{
    QTest::addColumn<int>("run");
    QTest::addColumn<bool>("warmup");
    QTest::addColumn<int>("number");
    QTest::addColumn<int>("of");
    QTest::addColumn<QString>("label");
    QTest::newRow("warm-up") << 1 << true << 2 << 2 << QStringLiteral("warm-up 2 of 2");
    QTest::newRow("repetition") << 2 << false << 1 << 3 << QStringLiteral("repetition 1 of 3");
    QTest::newRow("not started") << -1 << false << 0 << 0 << QString();
}

void TestRepeatedRun::progressLabels()
{
    QFETCH(int, run);
    QFETCH(bool, warmup);
    QFETCH(int, number);
    QFETCH(int, of);
    QFETCH(QString, label);
    RepetitionProgress p;
    p.run = run;
    p.warmup = warmup;
    p.number = number;
    p.of = of;
    QCOMPARE(p.label(), label);
}

void TestRepeatedRun::invalidPlanOrFolderIsAnError()
{
    RepeatedRunResult r = RepeatedRun::runBlocking(config(QStringLiteral("bad")), RepetitionPlan { 0, 0 });
    QVERIFY(!r.ok());
    QVERIFY(r.runs.empty());
    QVERIFY(!r.last());
    const RepetitionPlan negative { -1, 2 };
    QVERIFY(!negative.validate().isEmpty());
    const RepetitionPlan single { 0, 1 };
    QVERIFY(single.validate().isEmpty());

    PipelineConfig missing = config(QStringLiteral("missing-out"));
    missing.inputDir = m_tmp.filePath(QStringLiteral("no such folder"));
    r = RepeatedRun::runBlocking(missing, RepetitionPlan { 1, 3 });
    QVERIFY(!r.ok());
    QVERIFY(r.runs.empty());
}

void TestRepeatedRun::cancelDuringTheSecondRepetition()
{
    // The baseline's naive blur on a larger output: long enough to cancel.
    PipelineConfig c = config(QStringLiteral("cancel"));
    c.toggles = ToggleSet();
    c.params.width = 640;
    c.params.height = 480;
    c.params.blurRadius = 3;
    RepeatedRun runs(c, RepetitionPlan { 0, 3 });
    QFuture<void> future = runs.start();
    // Once the second repetition has begun its first image, cancel.
    QTRY_VERIFY_WITH_TIMEOUT(runs.progress().number == 2 && !runs.currentRecorder()->spans().empty(), 60000);
    runs.cancel();
    future.waitForFinished();
    runs.wait();
    const RepeatedRunResult r = runs.result();
    QVERIFY(r.ok());
    QVERIFY(r.cancelled);
    QCOMPARE(int(r.runs.size()), 2);
    QVERIFY(!r.runs[0].summary.cancelled);
    QCOMPARE(r.runs[0].summary.imagesOk, 3);
    QVERIFY(r.runs[1].summary.cancelled);
    QVERIFY(r.runs[1].summary.imagesOk < 3);
    QCOMPARE(runs.progress().number, 2); // no third repetition started
}

void TestRepeatedRun::cancelBeforeStartKeepsACancelledRun()
{
    RepeatedRun runs(config(QStringLiteral("early")), RepetitionPlan { 2, 3 });
    runs.cancel();
    runs.start().waitForFinished();
    runs.wait();
    const RepeatedRunResult r = runs.result();
    QVERIFY(r.ok());
    QVERIFY(r.cancelled);
    QCOMPARE(r.warmupsDone, 0);
    QCOMPARE(int(r.runs.size()), 1);
    QVERIFY(r.last()->summary.cancelled);
    QCOMPARE(r.last()->summary.imagesOk, 0);
}

QTEST_GUILESS_MAIN(TestRepeatedRun)
#include "tst_repeatedrun.moc"
