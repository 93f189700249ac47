// The window's one helper for long work: a result reaches its owner on the
// GUI thread, a superseded or dropped job's result never does, nor does any
// result once the owner is gone; progress and stop requests go through.
#include "jobtracker.h"

#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>

#include <memory>
#include <new>
#include <stdexcept>

using namespace pixelperf;

class TestJobTracker : public QObject
{
    Q_OBJECT
private slots:
    void resultArrivesOnTheGuiThread();
    void supersededJobIsDropped();
    void droppedJobNeverArrives();
    void goneOwnerGetsNothing();
    void progressAndStopGoThrough();
    void throwingWorkFails();
};

void TestJobTracker::throwingWorkFails()
{
    // Work that throws ends its job with failed(), never done(): the owner
    // can say what happened and unlock; the tracker takes the next job.
    QObject owner;
    auto *tracker = new JobTracker(&owner);
    QSignalSpy failed(tracker, &JobTracker::failed);
    int delivered = 0;
    tracker->start([](const JobControl &) -> int { throw std::bad_alloc(); }, [&](int) { ++delivered; });
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("not enough memory"));
    QVERIFY(!tracker->isRunning());
    tracker->startStreaming<int>(
        [](const JobControl &, const std::function<void(int)> &publish) -> int {
            publish(1); // a part, then the work throws
            throw std::runtime_error("disk on fire");
        },
        [](int) {}, [&](int) { ++delivered; });
    QTRY_COMPARE(failed.count(), 2);
    QCOMPARE(failed.at(1).at(0).toString(), QStringLiteral("disk on fire"));
    tracker->start([](const JobControl &) { return 7; }, [&](int r) { delivered = r; });
    QTRY_COMPARE(delivered, 7);
    QCOMPARE(failed.count(), 2);
}

void TestJobTracker::resultArrivesOnTheGuiThread()
{
    QObject owner;
    auto *tracker = new JobTracker(&owner);
    QThread *worker = nullptr;
    QThread *deliveredOn = nullptr;
    int result = 0;
    tracker->start(
        [&worker](const JobControl &) {
            worker = QThread::currentThread();
            return 42;
        },
        [&](int r) {
            deliveredOn = QThread::currentThread();
            result = r;
        });
    QVERIFY(tracker->isRunning());
    QTRY_COMPARE(result, 42);
    QVERIFY(!tracker->isRunning());
    QCOMPARE(deliveredOn, QThread::currentThread());
    QVERIFY(worker && worker != QThread::currentThread());
}

void TestJobTracker::supersededJobIsDropped()
{
    QObject owner;
    auto *tracker = new JobTracker(&owner);
    auto gate = std::make_shared<QSemaphore>();
    QList<int> delivered;
    tracker->start(
        [gate](const JobControl &) {
            gate->acquire(); // the first job ends after the second
            return 1;
        },
        [&](int r) { delivered << r; });
    tracker->start([](const JobControl &) { return 2; }, [&](int r) { delivered << r; });
    QTRY_COMPARE(delivered, QList<int> { 2 });
    gate->release();
    QThreadPool::globalInstance()->waitForDone();
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
    QCOMPARE(delivered, QList<int> { 2 });
}

void TestJobTracker::droppedJobNeverArrives()
{
    QObject owner;
    auto *tracker = new JobTracker(&owner);
    auto gate = std::make_shared<QSemaphore>();
    bool delivered = false;
    tracker->start(
        [gate](const JobControl &) {
            gate->acquire();
            return 1;
        },
        [&](int) { delivered = true; });
    tracker->drop();
    QVERIFY(!tracker->isRunning());
    gate->release();
    QThreadPool::globalInstance()->waitForDone();
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
    QVERIFY(!delivered);
}

void TestJobTracker::goneOwnerGetsNothing()
{
    auto owner = std::make_unique<QObject>();
    auto *tracker = new JobTracker(owner.get());
    auto gate = std::make_shared<QSemaphore>();
    auto delivered = std::make_shared<bool>(false);
    tracker->start(
        [gate](const JobControl &) {
            gate->acquire();
            return 1;
        },
        [delivered](int) { *delivered = true; });
    owner.reset();
    gate->release();
    QThreadPool::globalInstance()->waitForDone();
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
    QVERIFY(!*delivered);
}

void TestJobTracker::progressAndStopGoThrough()
{
    QObject owner;
    auto *tracker = new JobTracker(&owner);
    QSignalSpy progress(tracker, &JobTracker::progress);
    auto reported = std::make_shared<QSemaphore>();
    auto resume = std::make_shared<QSemaphore>();
    bool stopped = false;
    bool done = false;
    tracker->start(
        [reported, resume](const JobControl &job) {
            job.setProgress(3, 10);
            reported->release();
            resume->acquire(); // the work's next check comes after the stop
            return job.stopRequested();
        },
        [&](bool sawStop) {
            stopped = sawStop;
            done = true;
        });
    reported->acquire();
    tracker->stop();
    resume->release();
    QTRY_VERIFY(done);
    QVERIFY(stopped);
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last().at(0).toInt(), 3);
    QCOMPARE(progress.last().at(1).toInt(), 10);
}

QTEST_GUILESS_MAIN(TestJobTracker)
#include "tst_jobtracker.moc"
