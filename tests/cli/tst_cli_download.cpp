// `pixelperf-cli download` against a real HTTP server on 127.0.0.1 (run by
// this test's event loop, so the CLI runs asynchronously): exit codes 0, 1
// and 2, failures named with their reason, existing files kept, the
// manifest from --manifest or PIXELPERF_SAMPLES_MANIFEST, Ctrl+C.
#include "httpfixture.h"
#include "imagebytes.h"
#include "testimages.h"

#include <QDir>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using namespace pixelperf::testing;

namespace {

struct CliRun {
    int exitCode = -1;
    QString out;
    QString err;
};

QStringList listing(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

} // namespace

class TestCliDownload : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void allArriveExitsZero();
    void someFailExitsOneAndNamesThem();
    void secondRunKeepsExistingFiles();
    void countTakesTheFirstN();
    void manifestFromTheEnvironment();
    void plainHttpElsewhereIsRefused();
    void usageErrorsExitTwo_data();
    void usageErrorsExitTwo();
    void unusableManifestExitsTwo_data();
    void unusableManifestExitsTwo();
    void interruptCancelsCleanly();

private:
    // Starts the CLI and keeps this event loop (and so the server) running until it ends.
    CliRun run(
        const QStringList &args, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment());
    QString writeManifest(const QString &name, const QByteArray &json);
    QByteArray manifestOf(const QStringList &paths) const;

    HttpFixture m_server;
    QTemporaryDir m_tmp;
    QByteArray m_good1, m_good2;
};

CliRun TestCliDownload::run(const QStringList &args, const QProcessEnvironment &env)
{
    QProcess p;
    p.setProcessEnvironment(env);
    QSignalSpy finished(&p, &QProcess::finished);
    p.start(QStringLiteral(PIXELPERF_CLI_PATH), args);
    CliRun r;
    if (!finished.wait(60000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromLocal8Bit(p.readAllStandardOutput());
    r.err = QString::fromLocal8Bit(p.readAllStandardError());
    return r;
}

QString TestCliDownload::writeManifest(const QString &name, const QByteArray &json)
{
    const QString path = m_tmp.filePath(name);
    return writeFile(path, json) ? path : QString();
}

QByteArray TestCliDownload::manifestOf(const QStringList &paths) const
{
    QByteArray json = "{ \"schema\": \"pixelperf-samples/1\", \"samples\": [";
    for (int i = 0; i < paths.size(); ++i)
        json += QByteArray(i ? ", " : " ") + "{ \"url\": \"" + m_server.url(paths[i]).toEncoded()
            + "\", \"author\": \"Test\", \"license\": \"CC0\" }";
    return json + " ] }";
}

void TestCliDownload::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    QVERIFY(m_server.listen());
    m_good1 = jpegBytes(photoLike(96, 64, 11));
    m_good2 = jpegBytes(photoLike(64, 96, 12));
    m_server.setRoute("/good1.jpg", imageRoute(m_good1));
    m_server.setRoute("/good2.jpg", imageRoute(m_good2));
    m_server.setRoute("/missing.jpg", statusRoute(404, "Not Found"));
    m_server.setRoute("/page.jpg", imageRoute("<html><body>sign in</body></html>", "text/html"));
    m_server.setRoute("/stall.jpg", modeRoute(HttpRoute::Mode::Stall));
    m_server.setRoute(
        "/manifest.json", imageRoute(manifestOf({ "/good1.jpg", "/good2.jpg" }), "application/json"));
}

void TestCliDownload::allArriveExitsZero()
{
    const QString manifest = writeManifest("good.json", manifestOf({ "/good1.jpg", "/good2.jpg" }));
    const QString dest = m_tmp.filePath("all-good");
    const CliRun r = run({ "download", "--dest", dest, "--manifest", manifest });
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(listing(dest), (QStringList { "good1.jpg", "good2.jpg" }));
    QVERIFY2(r.out.contains("2 downloaded, 0 already there"), qPrintable(r.out));
    QVERIFY2(r.err.contains("done     good1.jpg"), qPrintable(r.err));
    QVERIFY2(r.err.contains("Test, CC0"), qPrintable(r.err)); // attribution shown
}

void TestCliDownload::someFailExitsOneAndNamesThem()
{
    const QString manifest = writeManifest(
        "mixed.json", manifestOf({ "/good1.jpg", "/missing.jpg", "/page.jpg", "/stall.jpg", "/good2.jpg" }));
    const QString dest = m_tmp.filePath("mixed");
    const CliRun r = run({ "download", "--dest", dest, "--manifest", manifest, "--timeout", "1" });
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(listing(dest), (QStringList { "good1.jpg", "good2.jpg" })); // nothing partial either
    QVERIFY2(r.err.contains(
                 QRegularExpression("pixelperf-cli: missing.jpg \\(http://127.0.0.1:\\d+/missing.jpg\\): "
                                    "HTTP 404 Not Found")),
        qPrintable(r.err));
    QVERIFY2(r.err.contains("pixelperf-cli: page.jpg") && r.err.contains("the server sent text/html"),
        qPrintable(r.err));
    QVERIFY2(r.err.contains("pixelperf-cli: stall.jpg") && r.err.contains("timed out: no data for 1 s"),
        qPrintable(r.err));
    QVERIFY2(r.out.contains("2 downloaded, 0 already there (kept, never overwritten), 3 failed"),
        qPrintable(r.out));
}

void TestCliDownload::secondRunKeepsExistingFiles()
{
    const QString manifest = writeManifest("again.json", manifestOf({ "/good1.jpg", "/good2.jpg" }));
    const QString dest = m_tmp.filePath("again");
    QVERIFY(QDir().mkpath(dest));
    QVERIFY(writeFile(dest + "/good1.jpg", "my own file"));
    m_server.resetHits();
    const CliRun r = run({ "download", "--dest", dest, "--manifest", manifest });
    QVERIFY2(r.exitCode == 0, qPrintable(r.err)); // a kept file counts as there
    QVERIFY2(r.err.contains("skipped  good1.jpg: already there"), qPrintable(r.err));
    QVERIFY2(r.out.contains("1 downloaded, 1 already there"), qPrintable(r.out));
    QFile mine(dest + "/good1.jpg");
    QVERIFY(mine.open(QIODevice::ReadOnly));
    QCOMPARE(mine.readAll(), QByteArray("my own file"));
    QCOMPARE(m_server.hits("/good1.jpg"), 0);
}

void TestCliDownload::countTakesTheFirstN()
{
    const QString manifest
        = writeManifest("count.json", manifestOf({ "/good2.jpg", "/good1.jpg", "/missing.jpg" }));
    const QString dest = m_tmp.filePath("count");
    const CliRun r = run({ "download", "--dest", dest, "--manifest", manifest, "--count", "1" });
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(listing(dest), QStringList { "good2.jpg" });
    QVERIFY2(r.out.contains("downloading 1 of the 3 images"), qPrintable(r.out));
}

void TestCliDownload::manifestFromTheEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("PIXELPERF_SAMPLES_MANIFEST", m_server.url("/manifest.json").toString());
    const QString dest = m_tmp.filePath("from-env");
    const CliRun r = run({ "download", "--dest", dest }, env);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(listing(dest), (QStringList { "good1.jpg", "good2.jpg" }));
    QVERIFY2(r.out.contains(m_server.url("/manifest.json").toString()), qPrintable(r.out));
}

void TestCliDownload::plainHttpElsewhereIsRefused()
{
    const QString manifest = writeManifest("plain.json",
        R"([ { "url": "http://example.invalid/photo.jpg" }, { "url": "https://example.invalid/ok.jpg" } ])");
    const QString dest = m_tmp.filePath("plain");
    const CliRun r = run({ "download", "--dest", dest, "--manifest", manifest, "--count", "1" });
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("plain HTTP to example.invalid refused"), qPrintable(r.err));
    QCOMPARE(listing(dest), QStringList());
}

void TestCliDownload::usageErrorsExitTwo_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("no dest") << QStringList { "download" } << "--dest";
    QTest::newRow("positional dir") << QStringList { "download", "somewhere" } << "--dest DIR";
    QTest::newRow("bad count") << QStringList { "download", "--dest", "d", "--count", "0" } << "--count";
    QTest::newRow("bad timeout") << QStringList { "download", "--dest", "d", "--timeout", "never" }
                                 << "--timeout";
    QTest::newRow("unknown option") << QStringList { "download", "--dest", "d", "--fast" } << "--fast";
}

void TestCliDownload::usageErrorsExitTwo()
{
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    const CliRun r = run(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(mentions), qPrintable(r.err));
}

void TestCliDownload::unusableManifestExitsTwo_data()
{
    QTest::addColumn<QString>("manifest");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("missing file") << m_tmp.filePath("nothing-here.json") << "cannot read manifest";
    QTest::newRow("not json") << writeManifest("broken.json", "{ nope") << "not valid JSON";
    QTest::newRow("entry without url")
        << writeManifest("nourl.json", R"([ { "name": "x.jpg" } ])") << "entry 1: \"url\" is missing";
    QTest::newRow("404 url") << m_server.url("/no-manifest.json").toString() << "HTTP 404";
}

void TestCliDownload::unusableManifestExitsTwo()
{
    QFETCH(QString, manifest);
    QFETCH(QString, mentions);
    const QString dest = m_tmp.filePath("unusable");
    const CliRun r = run({ "download", "--dest", dest, "--manifest", manifest });
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(mentions), qPrintable(r.err));
    QVERIFY(!QFileInfo::exists(dest)); // nothing was started
}

void TestCliDownload::interruptCancelsCleanly()
{
    const QString manifest = writeManifest("interrupt.json", manifestOf({ "/stall.jpg", "/good1.jpg" }));
    const QString dest = m_tmp.filePath("interrupted");
    m_server.resetHits();
    QProcess p;
    QSignalSpy finished(&p, &QProcess::finished);
    p.start(QStringLiteral(PIXELPERF_CLI_PATH), { "download", "--dest", dest, "--manifest", manifest });
    QTRY_COMPARE_WITH_TIMEOUT(m_server.hits("/stall.jpg"), 1, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(dest + "/good1.jpg"), 20000);
    ::kill(pid_t(p.processId()), SIGINT);
    QVERIFY(finished.wait(20000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 1);
    const QString err = QString::fromLocal8Bit(p.readAllStandardError());
    QVERIFY2(err.contains("cancelled"), qPrintable(err));
    QCOMPARE(listing(dest), QStringList { "good1.jpg" }); // the stalled one left no .part
}

QTEST_GUILESS_MAIN(TestCliDownload)
#include "tst_cli_download.moc"
