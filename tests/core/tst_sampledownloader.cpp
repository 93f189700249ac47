// The sample downloader against a real HTTP server on 127.0.0.1: good
// images, every kind of failure, cancel, retry and the four-at-once limit.
// After each case: the right files exist, nothing temporary or partial is
// left, and each failure is reported on its own row.
#include "httpfixture.h"
#include "imagebytes.h"
#include "samples/sampledownloader.h"
#include "testimages.h"

#include <QCryptographicHash>
#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace pixelperf;
using namespace pixelperf::testing;

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Every entry in `dir`, hidden ones included, sorted.
QStringList listing(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot | QDir::System, QDir::Name);
}

SampleEntry entry(const QUrl &url, const QString &name = {}, const QByteArray &sha = {})
{
    SampleEntry e;
    e.url = url;
    e.fileName = name.isEmpty() ? sanitizeSampleFileName(url.fileName()) : name;
    e.sha256 = sha;
    return e;
}

QByteArray sha256Hex(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

} // namespace

class TestSampleDownloader : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();

    void allGoodArrive();
    void failures_data();
    void failures();
    void redirectIsFollowed();
    void matchingSha256IsKept();
    void cancelInTheMiddle();
    void cancelWhileQueued();
    void destroyedMidwayLeavesNothing();
    void existingFileIsNeverOverwritten();
    void linkAtTheNameNeverWrittenThrough();
    void sameNameTwiceGetsNumbered();
    void suffixComesFromTheContent();
    void retryFailed();
    void plainHttpRefusedBeyondLoopback();
    void atMostFourAtOnce();
    void progressIsReported();
    void unusableDestinationRefused();

private:
    // Runs `entries` to the end; the downloader stays for inspection.
    bool run(const QList<SampleEntry> &entries);
    SampleDownloadOptions options() const;

    HttpFixture m_server;
    QByteArray m_good1, m_good2, m_png, m_big;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SampleDownloader> m_downloader;
};

SampleDownloadOptions TestSampleDownloader::options() const
{
    SampleDownloadOptions o;
    o.destDir = m_dir->filePath(QStringLiteral("samples"));
    o.stallTimeoutMs = 400; // short, so the stall cases finish quickly
    o.maxBytes = 256 * 1024;
    return o;
}

bool TestSampleDownloader::run(const QList<SampleEntry> &entries)
{
    m_downloader->setOptions(options());
    QSignalSpy finished(m_downloader.get(), &SampleDownloader::finished);
    QString error;
    if (!m_downloader->start(entries, &error)) {
        qWarning("start: %s", qPrintable(error));
        return false;
    }
    if (!finished.wait(10000))
        return false;
    return finished.size() == 1 && !m_downloader->isRunning();
}

void TestSampleDownloader::initTestCase()
{
    QVERIFY(m_server.listen());
    m_good1 = jpegBytes(photoLike(96, 64, 1), 90);
    m_good2 = jpegBytes(photoLike(80, 60, 2), 90);
    m_png = qtEncode(QImage(40, 30, QImage::Format_RGB32), "PNG");
    m_big = jpegBytes(photoLike(400, 300, 3), 98); // ~100 KB, under the 256 KiB test cap
    QVERIFY(m_good1.size() > 1000 && !m_png.isEmpty() && m_big.size() > 20000);
    QByteArray tooBig = m_big;
    while (tooBig.size() <= 300 * 1024)
        tooBig += m_big; // a valid JPEG followed by junk: over the cap either way

    m_server.setRoute("/good1.jpg", imageRoute(m_good1));
    m_server.setRoute("/good2.jpg", imageRoute(m_good2));
    m_server.setRoute("/picture", imageRoute(m_png, "image/png"));
    m_server.setRoute("/missing.jpg", statusRoute(404, "Not Found"));
    m_server.setRoute("/broken.jpg", statusRoute(500, "Internal Server Error"));
    // A 200 KiB header line, then the whole body and silence: Qt keeps no
    // header and waits for a close (it read as a timeout).
    HttpRoute hugeHeader = imageRoute(m_good1);
    hugeHeader.extraHeader = "X-Padding: " + QByteArray(200 << 10, 'a');
    hugeHeader.mode = HttpRoute::Mode::StallAfter;
    hugeHeader.sendBytes = m_good1.size();
    m_server.setRoute("/huge-header.jpg", hugeHeader);
    m_server.setRoute("/moved.jpg", redirectRoute("/good1.jpg", 301));
    m_server.setRoute("/loop-a.jpg", redirectRoute("/loop-b.jpg"));
    m_server.setRoute("/loop-b.jpg", redirectRoute("/loop-a.jpg"));
    for (int i = 1; i <= 9; ++i)
        m_server.setRoute("/hop" + QByteArray::number(i) + ".jpg",
            redirectRoute("/hop" + QByteArray::number(i + 1) + ".jpg", 307));
    m_server.setRoute("/to-plain-http.jpg", redirectRoute("http://example.invalid/photo.jpg"));
    m_server.setRoute("/stall.jpg", modeRoute(HttpRoute::Mode::Stall));
    m_server.setRoute("/stall-mid.jpg", modeRoute(HttpRoute::Mode::StallAfter, m_big, 5000));
    m_server.setRoute("/cut.jpg", modeRoute(HttpRoute::Mode::CutShort, m_big, m_big.size() / 2));
    m_server.setRoute("/truncated.jpg", imageRoute(m_big.left(m_big.size() / 2)));
    HttpRoute page = imageRoute("<!doctype html><html><body>Please log in</body></html>", "text/html");
    m_server.setRoute("/page.jpg", page);
    m_server.setRoute("/huge.jpg", imageRoute(tooBig));
    m_server.setRoute("/huge-unknown-length.jpg", modeRoute(HttpRoute::Mode::NoLength, tooBig));
    m_server.setRoute("/slow.jpg", modeRoute(HttpRoute::Mode::StallAfter, m_big, m_big.size() / 3));
    // A byte every 40 ms: never silent for the stall timeout, and hours for
    // a photo (issue 20).
    m_server.setRoute("/dribble.jpg", modeRoute(HttpRoute::Mode::Trickle, m_good1, 1));
}

void TestSampleDownloader::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_downloader = std::make_unique<SampleDownloader>();
    m_server.resetHits();
}

void TestSampleDownloader::cleanup()
{
    m_downloader.reset();
    m_server.closeAll();
    m_dir.reset();
}

void TestSampleDownloader::allGoodArrive()
{
    QVERIFY(run({ entry(m_server.url("/good1.jpg")), entry(m_server.url("/good2.jpg")),
        entry(m_server.url("/picture"), QStringLiteral("picture.png")) }));
    const QString dest = options().destDir;
    QCOMPARE(listing(dest), (QStringList { "good1.jpg", "good2.jpg", "picture.png" }));
    QCOMPARE(readAll(dest + "/good1.jpg"), m_good1);
    QCOMPARE(readAll(dest + "/good2.jpg"), m_good2);
    QCOMPARE(readAll(dest + "/picture.png"), m_png);
    const SampleDownloadSummary s = m_downloader->summary();
    QVERIFY(s.allArrived());
    QCOMPARE(s.done, 3);
    for (const SampleFileStatus &f : m_downloader->files()) {
        QCOMPARE(f.state, SampleState::Done);
        QVERIFY2(f.error.isEmpty(), qPrintable(f.error));
        QCOMPARE(f.attempts, 1);
        QCOMPARE(f.path, QDir(dest).filePath(f.fileName));
    }
}

void TestSampleDownloader::failures_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("sha256");
    QTest::addColumn<QString>("reason");
    QTest::newRow("404") << "/missing.jpg" << QByteArray() << "HTTP 404 Not Found";
    QTest::newRow("500") << "/broken.jpg" << QByteArray() << "HTTP 500 Internal Server Error";
    QTest::newRow("redirect loop") << "/loop-a.jpg" << QByteArray() << "redirect loop";
    QTest::newRow("too many redirects") << "/hop1.jpg" << QByteArray() << "more than 5 redirects";
    QTest::newRow("redirect to plain http") << "/to-plain-http.jpg" << QByteArray() << "plain HTTP";
    QTest::newRow("stall before headers") << "/stall.jpg" << QByteArray() << "timed out: no data for 0.4 s";
    QTest::newRow("stall mid-body") << "/stall-mid.jpg" << QByteArray() << "timed out";
    QTest::newRow("a byte at a time") << "/dribble.jpg" << QByteArray() << "under the minimum of 1024 bytes";
    QTest::newRow("cut short of Content-Length") << "/cut.jpg" << QByteArray() << "closed after";
    QTest::newRow("truncated image") << "/truncated.jpg" << QByteArray() << "truncated JPEG";
    QTest::newRow("html page") << "/page.jpg" << QByteArray() << "the server sent text/html";
    QTest::newRow("over the cap (Content-Length)") << "/huge.jpg" << QByteArray() << "too large";
    QTest::newRow("over the cap (no length)") << "/huge-unknown-length.jpg" << QByteArray() << "too large";
    QTest::newRow("oversized header")
        << "/huge-header.jpg" << QByteArray() << "response header could not be read";
    QTest::newRow("sha256 mismatch") << "/good2.jpg" << QByteArray(64, 'a') << "sha256 mismatch";
}

void TestSampleDownloader::failures()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, sha256);
    QFETCH(QString, reason);
    QVERIFY(run({ entry(m_server.url("/good1.jpg")),
        entry(m_server.url(path), QStringLiteral("bad.jpg"), sha256), entry(m_server.url("/good2.jpg")) }));
    const QString dest = options().destDir;
    // The good ones arrived, the bad one left nothing behind: no file, no .part.
    QCOMPARE(listing(dest), (QStringList { "good1.jpg", "good2.jpg" }));
    const SampleFileStatus bad = m_downloader->file(1);
    QCOMPARE(bad.state, SampleState::Failed);
    QVERIFY2(bad.error.contains(reason), qPrintable(bad.error));
    QVERIFY(bad.path.isEmpty());
    QCOMPARE(m_downloader->file(0).state, SampleState::Done);
    QCOMPARE(m_downloader->file(2).state, SampleState::Done);
    const SampleDownloadSummary s = m_downloader->summary();
    QCOMPARE(s.failed, 1);
    QCOMPARE(s.done, 2);
    QVERIFY(!s.allArrived());
}

void TestSampleDownloader::redirectIsFollowed()
{
    QVERIFY(run({ entry(m_server.url("/moved.jpg")) }));
    QCOMPARE(m_downloader->file(0).state, SampleState::Done);
    QCOMPARE(listing(options().destDir), QStringList { "moved.jpg" });
    QCOMPARE(readAll(options().destDir + "/moved.jpg"), m_good1);
    QCOMPARE(m_server.hits("/moved.jpg"), 1);
    QCOMPARE(m_server.hits("/good1.jpg"), 1);
}

void TestSampleDownloader::matchingSha256IsKept()
{
    QVERIFY(run({ entry(m_server.url("/good2.jpg"), {}, sha256Hex(m_good2)) }));
    QCOMPARE(m_downloader->file(0).state, SampleState::Done);
    QCOMPARE(readAll(options().destDir + "/good2.jpg"), m_good2);
}

void TestSampleDownloader::cancelInTheMiddle()
{
    m_downloader->setOptions([&] {
        SampleDownloadOptions o = options();
        o.stallTimeoutMs = 60000; // only the cancel may end these
        return o;
    }());
    QSignalSpy finished(m_downloader.get(), &SampleDownloader::finished);
    QList<SampleEntry> entries { entry(m_server.url("/slow.jpg")), entry(m_server.url("/stall.jpg")) };
    for (int i = 0; i < 4; ++i)
        entries << entry(m_server.url("/stall.jpg"), QStringLiteral("queued-%1.jpg").arg(i));
    QVERIFY(m_downloader->start(entries));
    // Part of the body is on disk (in the temporary file) when we cancel.
    QTRY_VERIFY(m_downloader->file(0).received > 0);
    QCOMPARE(m_downloader->file(0).state, SampleState::Downloading);
    QVERIFY(listing(options().destDir).first().endsWith(".part"));
    m_downloader->cancel();
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.size(), 1);
    for (const SampleFileStatus &f : m_downloader->files())
        QCOMPARE(f.state, SampleState::Cancelled);
    QCOMPARE(listing(options().destDir), QStringList());
    QCOMPARE(m_downloader->summary().cancelled, 6);
}

void TestSampleDownloader::cancelWhileQueued()
{
    SampleDownloadOptions o = options();
    o.maxConcurrent = 1;
    o.stallTimeoutMs = 60000;
    m_downloader->setOptions(o);
    QSignalSpy finished(m_downloader.get(), &SampleDownloader::finished);
    QVERIFY(m_downloader->start({ entry(m_server.url("/stall.jpg")), entry(m_server.url("/good1.jpg")) }));
    QCOMPARE(m_downloader->file(1).state, SampleState::Queued);
    QTRY_COMPARE(m_server.hits("/stall.jpg"), 1);
    m_downloader->cancel();
    QVERIFY(finished.wait(5000));
    QCOMPARE(m_downloader->file(1).state, SampleState::Cancelled);
    QCOMPARE(m_server.hits("/good1.jpg"), 0);
    QCOMPARE(listing(o.destDir), QStringList());
}

void TestSampleDownloader::destroyedMidwayLeavesNothing()
{
    SampleDownloadOptions o = options();
    o.stallTimeoutMs = 60000;
    m_downloader->setOptions(o);
    QVERIFY(m_downloader->start({ entry(m_server.url("/slow.jpg")), entry(m_server.url("/stall.jpg")) }));
    QTRY_VERIFY(m_downloader->file(0).received > 0);
    QCOMPARE(listing(o.destDir).size(), 2); // the two .part files
    m_downloader.reset(); // e.g. the dialog closed with the app
    QCOMPARE(listing(o.destDir), QStringList());
}

void TestSampleDownloader::existingFileIsNeverOverwritten()
{
    const QString dest = options().destDir;
    QVERIFY(QDir().mkpath(dest));
    QVERIFY(writeFile(dest + "/good1.jpg", "mine, not yours"));
    QVERIFY(run({ entry(m_server.url("/good1.jpg")), entry(m_server.url("/good2.jpg")) }));
    const SampleFileStatus skipped = m_downloader->file(0);
    QCOMPARE(skipped.state, SampleState::Skipped);
    QVERIFY2(skipped.error.contains("never overwritten"), qPrintable(skipped.error));
    QCOMPARE(readAll(dest + "/good1.jpg"), QByteArray("mine, not yours"));
    QCOMPARE(m_server.hits("/good1.jpg"), 0); // skipped before any transfer
    QCOMPARE(m_downloader->file(1).state, SampleState::Done);
    QVERIFY(m_downloader->summary().allArrived()); // a skipped file is there
    QCOMPARE(listing(dest), (QStringList { "good1.jpg", "good2.jpg" }));
}

void TestSampleDownloader::linkAtTheNameNeverWrittenThrough()
{
    // good1.jpg is a link to a file that does not exist, elsewhere: the
    // download must neither create that file nor replace the link.
    const QString dest = options().destDir;
    QVERIFY(QDir().mkpath(dest));
    const QString elsewhere = m_dir->filePath(QStringLiteral("elsewhere.jpg"));
    QVERIFY(QFile::link(elsewhere, dest + "/good1.jpg"));
    QVERIFY(run({ entry(m_server.url("/good1.jpg")), entry(m_server.url("/good2.jpg")) }));
    QVERIFY(!QFileInfo::exists(elsewhere));
    QVERIFY(QFileInfo(dest + "/good1.jpg").isSymLink());
    const SampleFileStatus kept = m_downloader->file(0);
    QCOMPARE(kept.state, SampleState::Skipped);
    QVERIFY2(kept.error.contains("never written through"), qPrintable(kept.error));
    QCOMPARE(m_downloader->file(1).state, SampleState::Done);
    QCOMPARE(listing(dest), (QStringList { "good1.jpg", "good2.jpg" }));
}

void TestSampleDownloader::sameNameTwiceGetsNumbered()
{
    QVERIFY(run({ entry(m_server.url("/good1.jpg"), QStringLiteral("photo.jpg")),
        entry(m_server.url("/good2.jpg"), QStringLiteral("photo.jpg")),
        entry(m_server.url("/good1.jpg"), QStringLiteral("PHOTO.jpg")) }));
    QCOMPARE(listing(options().destDir), (QStringList { "PHOTO-3.jpg", "photo-2.jpg", "photo.jpg" }));
    QCOMPARE(m_downloader->file(1).fileName, QStringLiteral("photo-2.jpg"));
    QCOMPARE(readAll(options().destDir + "/photo-2.jpg"), m_good2);
}

void TestSampleDownloader::suffixComesFromTheContent()
{
    // "/picture" has no extension: the name gets the one of what arrived.
    QVERIFY(run({ entry(m_server.url("/picture")) }));
    QCOMPARE(m_downloader->file(0).state, SampleState::Done);
    QCOMPARE(m_downloader->file(0).fileName, QStringLiteral("picture.png"));
    QCOMPARE(listing(options().destDir), QStringList { "picture.png" });
}

void TestSampleDownloader::retryFailed()
{
    m_server.setRoute("/flaky.jpg", statusRoute(503, "Service Unavailable"));
    QVERIFY(run({ entry(m_server.url("/flaky.jpg")), entry(m_server.url("/good1.jpg")) }));
    QCOMPARE(m_downloader->file(0).state, SampleState::Failed);
    QVERIFY(m_downloader->file(0).error.contains("503"));

    m_server.setRoute("/flaky.jpg", imageRoute(m_good2));
    QSignalSpy finished(m_downloader.get(), &SampleDownloader::finished);
    QVERIFY(m_downloader->retryFailed());
    QCOMPARE(m_downloader->file(0).state, SampleState::Downloading);
    QVERIFY(finished.wait(5000));
    QCOMPARE(m_downloader->file(0).state, SampleState::Done);
    QCOMPARE(m_downloader->file(0).attempts, 2);
    QCOMPARE(m_downloader->file(1).attempts, 1); // what arrived is not fetched again
    QCOMPARE(m_server.hits("/good1.jpg"), 1);
    QVERIFY(m_downloader->summary().allArrived());
    QCOMPARE(listing(options().destDir), (QStringList { "flaky.jpg", "good1.jpg" }));
    QVERIFY(!m_downloader->retryFailed()); // nothing left to retry
}

void TestSampleDownloader::plainHttpRefusedBeyondLoopback()
{
    QVERIFY(run({ entry(QUrl(QStringLiteral("http://example.invalid/photo.jpg"))),
        entry(m_server.url("/good1.jpg")) }));
    const SampleFileStatus refused = m_downloader->file(0);
    QCOMPARE(refused.state, SampleState::Failed);
    QVERIFY2(refused.error.contains("plain HTTP"), qPrintable(refused.error));
    QCOMPARE(refused.attempts, 0); // no connection was tried
    QCOMPARE(m_downloader->file(1).state, SampleState::Done); // loopback http is fine
}

void TestSampleDownloader::atMostFourAtOnce()
{
    QList<SampleEntry> entries;
    for (int i = 0; i < 10; ++i) {
        const QByteArray path = "/held-" + QByteArray::number(i) + ".jpg";
        m_server.setRoute(path, modeRoute(HttpRoute::Mode::Held, m_good1));
        entries << entry(m_server.url(QString::fromLatin1(path)));
    }
    m_downloader->setOptions(options());
    QSignalSpy finished(m_downloader.get(), &SampleDownloader::finished);
    QVERIFY(m_downloader->start(entries));
    // The server holds each request until released: 4, 4, then the last 2.
    for (const int wave : { 4, 4, 2 }) {
        QTRY_COMPARE(m_server.held(), wave);
        m_server.releaseHeld();
    }
    QVERIFY(finished.wait(5000));
    QCOMPARE(m_server.peakHeld(), 4);
    QCOMPARE(m_downloader->summary().done, 10);
    QCOMPARE(listing(options().destDir).size(), 10);
}

void TestSampleDownloader::progressIsReported()
{
    m_downloader->setOptions(options());
    QSignalSpy fileProgress(m_downloader.get(), &SampleDownloader::fileProgress);
    QSignalSpy overall(m_downloader.get(), &SampleDownloader::overallProgress);
    QSignalSpy changed(m_downloader.get(), &SampleDownloader::fileChanged);
    QSignalSpy finished(m_downloader.get(), &SampleDownloader::finished);
    QVERIFY(m_downloader->start({ entry(m_server.url("/good1.jpg")), entry(m_server.url("/missing.jpg")) }));
    QVERIFY(finished.wait(5000));
    QVERIFY(!fileProgress.isEmpty());
    bool sawWhole = false;
    for (const QList<QVariant> &args : std::as_const(fileProgress))
        if (args.at(0).toInt() == 0 && args.at(1).toLongLong() == m_good1.size()
            && args.at(2).toLongLong() == m_good1.size())
            sawWhole = true;
    QVERIFY(sawWhole);
    const QList<QVariant> last = overall.last();
    QCOMPARE(last.at(0).toInt(), 2); // finished files (one done, one failed)
    QCOMPARE(last.at(1).toInt(), 2);
    QCOMPARE(last.at(2).toLongLong(), qint64(m_good1.size()));
    QVERIFY(!changed.isEmpty());
    QCOMPARE(m_downloader->file(0).received, qint64(m_good1.size()));
    QCOMPARE(m_downloader->file(0).total, qint64(m_good1.size()));
}

void TestSampleDownloader::unusableDestinationRefused()
{
    QVERIFY(writeFile(m_dir->filePath("a-file"), "x"));
    SampleDownloadOptions o = options();
    o.destDir = m_dir->filePath("a-file/samples");
    m_downloader->setOptions(o);
    QString error;
    QVERIFY(!m_downloader->start({ entry(m_server.url("/good1.jpg")) }, &error));
    QVERIFY2(error.contains("cannot create folder"), qPrintable(error));
    QVERIFY(!m_downloader->isRunning());
    QCOMPARE(m_server.totalHits(), 0);
}

QTEST_GUILESS_MAIN(TestSampleDownloader)
#include "tst_sampledownloader.moc"
