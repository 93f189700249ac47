// The sample manifest: its format, its errors, where it is read from (file,
// URL, environment, the bundled default), file-name sanitising and the
// HTTPS rule.
#include "httpfixture.h"
#include "imagebytes.h"
#include "samples/samplemanifest.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace pixelperf;
using namespace pixelperf::testing;

class TestSampleManifest : public QObject
{
    Q_OBJECT
private slots:
    void parsesObjectForm();
    void parsesBareList();
    void relativeUrlsResolveAgainstTheManifest();
    void oneBadEntrySkipped();
    void errors_data();
    void errors();
    void sanitize_data();
    void sanitize();
    void urlPolicy_data();
    void urlPolicy();
    void bundledDefault();
    void locationPrecedence();
    void loaderReadsFile();
    void loaderReadsUrl();
    void loaderReportsHttpError();
    void loaderRefusesPlainHttpElsewhere();
    void loaderChecksEachRedirect();
    void loaderReportsMissingFile();
};

void TestSampleManifest::parsesObjectForm()
{
    const ManifestResult r = parseSampleManifest(R"({
        "schema": "pixelperf-samples/1",
        "samples": [
          { "url": "https://example.org/a/Photo%20One.jpg", "license": "CC0", "author": "Ann",
            "source": "https://example.org/page" },
          { "url": "https://example.org/b.png", "name": "bee.png",
            "sha256": "ABCDEF0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789" }
        ] })");
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(r.manifest.entries.size(), 2);
    const SampleEntry &a = r.manifest.entries[0];
    QCOMPARE(a.url, QUrl("https://example.org/a/Photo%20One.jpg"));
    QCOMPARE(a.fileName, QStringLiteral("Photo_One.jpg"));
    QCOMPARE(a.license, QStringLiteral("CC0"));
    QCOMPARE(a.author, QStringLiteral("Ann"));
    QCOMPARE(a.source, QStringLiteral("https://example.org/page"));
    QVERIFY(a.sha256.isEmpty());
    const SampleEntry &b = r.manifest.entries[1];
    QCOMPARE(b.fileName, QStringLiteral("bee.png"));
    QCOMPARE(b.sha256, QByteArray("abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"));
}

void TestSampleManifest::parsesBareList()
{
    const ManifestResult r = parseSampleManifest(R"([ { "url": "https://example.org/x.jpg" } ])");
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(r.manifest.entries.size(), 1);
    QCOMPARE(r.manifest.entries[0].fileName, QStringLiteral("x.jpg"));
}

void TestSampleManifest::relativeUrlsResolveAgainstTheManifest()
{
    const ManifestResult r = parseSampleManifest(R"([ { "url": "img/x.jpg" }, { "url": "/y.jpg" } ])",
        QUrl("http://127.0.0.1:8080/lists/manifest.json"));
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(r.manifest.entries[0].url, QUrl("http://127.0.0.1:8080/lists/img/x.jpg"));
    QCOMPARE(r.manifest.entries[1].url, QUrl("http://127.0.0.1:8080/y.jpg"));
}

void TestSampleManifest::oneBadEntrySkipped()
{
    // Issue 20: one bad URL used to reject the whole manifest.
    const ManifestResult r = parseSampleManifest(
        R"([ { "url": "https://e.org/a.jpg" }, { "name": "b.jpg" }, { "url": "https://e.org/c.jpg" } ])", {},
        QStringLiteral("list.json"));
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(r.manifest.entries.size(), 2);
    QCOMPARE(r.skipped, QStringList { "entry 2: \"url\" is missing" });
}

void TestSampleManifest::errors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("not json") << QByteArray("{ samples: ") << "not valid JSON";
    QTest::newRow("empty") << QByteArray("") << "not valid JSON";
    QTest::newRow("no list") << QByteArray(R"({ "photos": [] })") << "\"samples\" list";
    QTest::newRow("empty list") << QByteArray("[]") << "no samples";
    QTest::newRow("unknown schema") << QByteArray(R"({ "schema": "other/2", "samples": [] })") << "other/2";
    QTest::newRow("entry not object")
        << QByteArray(R"([ "https://example.org/x.jpg" ])") << "entry 1: expected an object";
    QTest::newRow("missing url") << QByteArray(R"([ { "name": "b.jpg" } ])") << "entry 1: \"url\" is missing";
    QTest::newRow("no usable entry") << QByteArray(R"([ { "name": "a.jpg" }, { "url": 4 } ])")
                                     << "no usable entry (entry 1: \"url\" is missing";
    QTest::newRow("url not string") << QByteArray(R"([ { "url": 42 } ])") << "non-empty string";
    QTest::newRow("ftp") << QByteArray(R"([ { "url": "ftp://example.org/x.jpg" } ])") << "only https";
    QTest::newRow("file url") << QByteArray(R"([ { "url": "file:///etc/passwd" } ])") << "only https";
    QTest::newRow("relative without base") << QByteArray(R"([ { "url": "x.jpg" } ])") << "relative URL";
    QTest::newRow("short sha") << QByteArray(R"([ { "url": "https://e.org/a.jpg", "sha256": "abc" } ])")
                               << "64 hexadecimal";
    const QByteArray nonHex
        = "[ { \"url\": \"https://e.org/a.jpg\", \"sha256\": \"" + QByteArray(64, 'z') + "\" } ]";
    QTest::newRow("non-hex sha") << nonHex << "64 hexadecimal";
    QTest::newRow("name not string") << QByteArray(R"([ { "url": "https://e.org/a.jpg", "name": 3 } ])")
                                     << "\"name\" must be a string";
    QTest::newRow("license not string")
        << QByteArray(R"([ { "url": "https://e.org/a.jpg", "license": [] } ])")
        << "\"license\" must be a string";
}

void TestSampleManifest::errors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, mentions);
    const ManifestResult r = parseSampleManifest(json, {}, QStringLiteral("list.json"));
    QVERIFY(!r.ok());
    QVERIFY2(r.error.contains(mentions), qPrintable(r.error));
    QVERIFY2(r.error.startsWith("list.json: "), qPrintable(r.error));
    QVERIFY(r.manifest.entries.isEmpty());
}

void TestSampleManifest::sanitize_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::newRow("plain") << "photo.jpg"
                           << "photo.jpg";
    QTest::newRow("traversal") << "../../etc/passwd"
                               << "passwd";
    QTest::newRow("windows traversal") << "..\\..\\boot.ini"
                                       << "boot.ini";
    QTest::newRow("dot dot") << ".."
                             << "sample";
    QTest::newRow("hidden") << ".bashrc"
                            << "bashrc";
    QTest::newRow("empty") << ""
                           << "sample";
    QTest::newRow("spaces and symbols") << "my photo (1) & co!.jpg"
                                        << "my_photo_1_co_.jpg";
    QTest::newRow("accents") << "Domhütte – Été.jpg"
                             << "Domhutte_Ete.jpg";
    QTest::newRow("control chars") << QString("a\nb\tc\x01.jpg") << "a_b_c_.jpg";
    QTest::newRow("nul device") << "NUL.jpg"
                                << "sample-NUL.jpg";
    QTest::newRow("com port") << "com1"
                              << "sample-com1";
    QTest::newRow("trailing dots") << "photo.jpg..."
                                   << "photo.jpg";
    QTest::newRow("only odd") << "???"
                              << "sample";
    QTest::newRow("long") << QString(300, 'a') + ".jpeg" << QString(115, 'a') + ".jpeg";
    QTest::newRow("long, cut on a dot") << QString(119, 'a') + ".." + QString(20, 'b') << QString(119, 'a');
}

void TestSampleManifest::sanitize()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    QCOMPARE(sanitizeSampleFileName(in), out);
}

void TestSampleManifest::urlPolicy_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("allowPlainHttp");
    QTest::addColumn<bool>("ok");
    QTest::newRow("https") << "https://upload.wikimedia.org/x.jpg" << false << true;
    QTest::newRow("http remote") << "http://upload.wikimedia.org/x.jpg" << false << false;
    QTest::newRow("http remote allowed") << "http://upload.wikimedia.org/x.jpg" << true << true;
    QTest::newRow("http 127.0.0.1") << "http://127.0.0.1:8000/x.jpg" << false << true;
    QTest::newRow("http 127.1.2.3") << "http://127.1.2.3/x.jpg" << false << true;
    QTest::newRow("http localhost") << "http://localhost/x.jpg" << false << true;
    QTest::newRow("http ::1") << "http://[::1]:8000/x.jpg" << false << true;
    QTest::newRow("http 10.0.0.1") << "http://10.0.0.1/x.jpg" << false << false;
    QTest::newRow("localhost lookalike") << "http://localhost.example.com/x.jpg" << false << false;
    QTest::newRow("ftp") << "ftp://example.org/x.jpg" << true << false;
}

void TestSampleManifest::urlPolicy()
{
    QFETCH(QString, url);
    QFETCH(bool, allowPlainHttp);
    QFETCH(bool, ok);
    const QString problem = checkDownloadUrl(QUrl(url), allowPlainHttp);
    QCOMPARE(problem.isEmpty(), ok);
}

void TestSampleManifest::bundledDefault()
{
    const ManifestResult r = readSampleManifestFile(defaultManifestLocation());
    QVERIFY2(r.ok(), qPrintable(r.error));
    QVERIFY(r.manifest.entries.size() >= 10);
    QSet<QString> names;
    for (const SampleEntry &e : r.manifest.entries) {
        QCOMPARE(e.url.scheme(), QStringLiteral("https"));
        QCOMPARE(e.url.host(), QStringLiteral("upload.wikimedia.org"));
        QVERIFY2(!e.license.isEmpty() && !e.author.isEmpty(), qPrintable(e.url.toString()));
        QVERIFY(e.fileName.endsWith(".jpg"));
        QCOMPARE(sanitizeSampleFileName(e.fileName), e.fileName);
        names.insert(e.fileName);
    }
    QCOMPARE(names.size(), r.manifest.entries.size());
}

void TestSampleManifest::locationPrecedence()
{
    qunsetenv(kManifestEnvVar);
    QCOMPARE(effectiveManifestLocation(), defaultManifestLocation());
    QCOMPARE(effectiveManifestLocation("/tmp/mine.json"), QStringLiteral("/tmp/mine.json"));
    qputenv(kManifestEnvVar, "https://example.org/list.json");
    QCOMPARE(effectiveManifestLocation(), QStringLiteral("https://example.org/list.json"));
    QCOMPARE(effectiveManifestLocation("  "), QStringLiteral("https://example.org/list.json"));
    QCOMPARE(effectiveManifestLocation("/tmp/mine.json"), QStringLiteral("/tmp/mine.json")); // given wins
    qunsetenv(kManifestEnvVar);
    QVERIFY(isRemoteManifest("HTTPS://example.org/x.json"));
    QVERIFY(!isRemoteManifest("/home/me/x.json"));
    QVERIFY(!isRemoteManifest(defaultManifestLocation()));
}

void TestSampleManifest::loaderReadsFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("mine.json");
    const QByteArray json
        = R"([ { "url": "https://example.org/1.jpg" }, { "url": "https://example.org/2.jpg" } ])";
    QVERIFY(writeFile(path, json));
    // Through the environment variable, as a user would set it.
    qputenv(kManifestEnvVar, path.toLocal8Bit());
    SampleManifestLoader loader;
    QSignalSpy finished(&loader, &SampleManifestLoader::finished);
    loader.load({});
    QCOMPARE(finished.size(), 0); // never from inside load()
    QVERIFY(finished.wait(5000));
    qunsetenv(kManifestEnvVar);
    const ManifestResult r = finished.first().first().value<ManifestResult>();
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(r.manifest.entries.size(), 2);
    QCOMPARE(r.manifest.location, path);
}

void TestSampleManifest::loaderReadsUrl()
{
    HttpFixture server;
    QVERIFY(server.listen());
    HttpRoute list = imageRoute(R"({ "samples": [ { "url": "photos/a.jpg", "author": "A" },
                                                  { "url": "https://example.org/b.jpg" } ] })",
        "application/json");
    server.setRoute("/lists/manifest.json", list);
    server.setRoute("/moved.json", redirectRoute("/lists/manifest.json"));
    SampleManifestLoader loader;
    QSignalSpy finished(&loader, &SampleManifestLoader::finished);
    loader.load(server.url("/moved.json").toString());
    QVERIFY(finished.wait(5000));
    const ManifestResult r = finished.first().first().value<ManifestResult>();
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(r.manifest.entries.size(), 2);
    // Relative to where the manifest ended up, after the redirect.
    QCOMPARE(r.manifest.entries[0].url, server.url("/lists/photos/a.jpg"));
    QCOMPARE(r.manifest.entries[0].author, QStringLiteral("A"));
}

void TestSampleManifest::loaderReportsHttpError()
{
    HttpFixture server;
    QVERIFY(server.listen());
    SampleManifestLoader loader;
    QSignalSpy finished(&loader, &SampleManifestLoader::finished);
    loader.load(server.url("/nothing.json").toString());
    QVERIFY(finished.wait(5000));
    const ManifestResult r = finished.first().first().value<ManifestResult>();
    QVERIFY(!r.ok());
    QVERIFY2(r.error.contains("HTTP 404"), qPrintable(r.error));
}

void TestSampleManifest::loaderRefusesPlainHttpElsewhere()
{
    SampleManifestLoader loader;
    QSignalSpy finished(&loader, &SampleManifestLoader::finished);
    loader.load(QStringLiteral("http://example.invalid/list.json"));
    QVERIFY(finished.wait(5000));
    const ManifestResult r = finished.first().first().value<ManifestResult>();
    QVERIFY2(r.error.contains("plain HTTP"), qPrintable(r.error));
}

void TestSampleManifest::loaderChecksEachRedirect()
{
    // Loopback may use plain HTTP; a redirect from there to a plain-HTTP host
    // elsewhere is checked like a first URL would be (issue 20).
    HttpFixture server;
    QVERIFY(server.listen());
    server.setRoute("/away.json", redirectRoute("http://example.invalid/list.json"));
    SampleManifestLoader loader;
    QSignalSpy finished(&loader, &SampleManifestLoader::finished);
    loader.load(server.url("/away.json").toString());
    QVERIFY(finished.wait(5000));
    const ManifestResult r = finished.first().first().value<ManifestResult>();
    QVERIFY(!r.ok());
    QVERIFY2(
        r.error.contains("redirected to http://example.invalid/list.json") && r.error.contains("plain HTTP"),
        qPrintable(r.error));
}

void TestSampleManifest::loaderReportsMissingFile()
{
    SampleManifestLoader loader;
    QSignalSpy finished(&loader, &SampleManifestLoader::finished);
    loader.load(QStringLiteral("/nonexistent/dir/list.json"));
    QVERIFY(finished.wait(5000));
    const ManifestResult r = finished.first().first().value<ManifestResult>();
    QVERIFY2(r.error.contains("cannot read manifest /nonexistent/dir/list.json"), qPrintable(r.error));
}

QTEST_GUILESS_MAIN(TestSampleManifest)
#include "tst_samplemanifest.moc"
