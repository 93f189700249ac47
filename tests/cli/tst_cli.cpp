// pixelperf-cli as a user (or a CI job) runs it: exit codes, messages, outputs
// and the JSON report.
#include "pipeline/toggles.h"
#include "samples/samplegenerator.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace pixelperf;

namespace {
struct CliRun {
    int exitCode = -1;
    QString out;
    QString err;
};

CliRun runCli(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(PIXELPERF_CLI_PATH), args);
    CliRun r;
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromLocal8Bit(p.readAllStandardOutput());
    r.err = QString::fromLocal8Bit(p.readAllStandardError());
    return r;
}

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}
} // namespace

class TestCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void goodFolder();
    void brokenFileExitsOne();
    void chosenFilesOnly();
    void missingFolderExitsTwo();
    void nonUtf8ArgumentRefused();
    void unwritableOutputExitsTwo();
    void outputEqualToInputRefused();
    void usageErrorExitsTwo();
    void presetsReachTheReport();
    void repeatsAreReported();
    void togglesListsEveryToggle();
    void generateWritesImages();
    void versionAndHelp();
    void exportsEveryFormat();
    void compareTwoReports();
    void ablateNamesEveryToggle();

private:
    QTemporaryDir m_tmp;
    QString m_good;
};

void TestCli::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    m_good = m_tmp.filePath(QStringLiteral("good"));
    const GenerateResult g = generateSamples(m_good, 4, 320, 200, 3);
    QVERIFY2(g.error.isEmpty(), qPrintable(g.error));
    QCOMPARE(g.written.size(), 4);
}

void TestCli::goodFolder()
{
    const QString outDir = m_tmp.filePath(QStringLiteral("good-out"));
    const QString report = m_tmp.filePath(QStringLiteral("good.json"));
    const CliRun r
        = runCli({ "run", m_good, "-o", outDir, "--size", "160x120", "--jobs", "2", "--report", report });
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QStringLiteral("4 of 4 images ok")), qPrintable(r.out));
    for (const char *stage :
        { "load", "resize", "blur", "sharpen", "contrast", "brightness", "convert", "save" })
        QVERIFY2(r.out.contains(QLatin1String(stage)), stage);

    const QStringList outputs = QDir(outDir).entryList(QDir::Files, QDir::Name);
    QCOMPARE(outputs,
        QStringList({ "processed_sample_001.jpg", "processed_sample_002.jpg", "processed_sample_003.jpg",
            "processed_sample_004.jpg" }));
    QImage first(QDir(outDir).filePath(outputs.first()));
    QCOMPARE(first.size(), QSize(160, 120));

    const QJsonObject j = readJson(report);
    QCOMPARE(j.value("schema").toString(), QStringLiteral("pixelperf-report/1"));
    QCOMPARE(j.value("tool").toObject().value("name").toString(), QStringLiteral("pixelperf"));
    QVERIFY(!j.value("tool").toObject().value("version").toString().isEmpty());
    const QJsonObject env = j.value("environment").toObject();
    for (const char *key : { "os", "cpu_model", "qt_version", "compiler", "build_type" })
        QVERIFY2(!env.value(QLatin1String(key)).toString().isEmpty(), key);
    QVERIFY(env.value("logical_cores").toInt() >= 1);

    const QJsonObject config = j.value("config").toObject();
    QCOMPARE(config.value("preset").toString(), QStringLiteral("optimized"));
    QCOMPARE(config.value("toggles").toObject().size(), ToggleCount);
    const QJsonObject params = config.value("params").toObject();
    QCOMPARE(params.value("width").toInt(), 160);
    QCOMPARE(params.value("height").toInt(), 120);
    QCOMPARE(params.value("blur_radius").toDouble(), 2.0);
    QCOMPARE(params.value("sharpen").toDouble(), 2.0);
    QCOMPARE(params.value("contrast").toDouble(), 1.5);
    QCOMPARE(params.value("brightness").toDouble(), 1.2);
    QCOMPARE(params.value("quality").toInt(), 80);
    QCOMPARE(params.value("jobs").toInt(), 2);

    const QJsonObject s = j.value("summary").toObject();
    QCOMPARE(s.value("images_total").toInt(), 4);
    QCOMPARE(s.value("images_ok").toInt(), 4);
    QCOMPARE(s.value("images_failed").toInt(), 0);
    QVERIFY(s.value("wall_ms").toDouble() > 0);
    QVERIFY(s.value("cpu_ms").toDouble() > 0);
    QVERIFY(s.value("images_per_second").toDouble() > 0);
    QVERIFY(s.value("peak_rss_bytes").toDouble() > 1e6);
    QCOMPARE(qint64(s.value("bytes_in").toDouble()),
        QFileInfo(QDir(m_good).filePath("sample_001.jpg")).size()
            + QFileInfo(QDir(m_good).filePath("sample_002.jpg")).size()
            + QFileInfo(QDir(m_good).filePath("sample_003.jpg")).size()
            + QFileInfo(QDir(m_good).filePath("sample_004.jpg")).size());
    QVERIFY(s.value("bytes_out").toDouble() > 0);

    const QJsonArray stages = j.value("stages").toArray();
    QStringList names;
    for (const QJsonValue &v : stages) {
        const QJsonObject st = v.toObject();
        names << st.value("name").toString();
        for (const char *key : { "count", "total_ms", "mean_ms", "median_ms", "p95_ms", "max_ms",
                 "pixel_bytes_allocated", "copies" })
            QVERIFY2(st.contains(QLatin1String(key)), key);
        QVERIFY(st.value("max_ms").toDouble() >= st.value("median_ms").toDouble());
        QCOMPARE(st.value("copies").toInt(), 0); // optimized: no-copies
        if (st.value("name").toString() != QLatin1String("scan"))
            QCOMPARE(st.value("count").toInt(), 4);
    }
    QCOMPARE(names,
        QStringList(
            { "scan", "load", "resize", "blur", "sharpen", "contrast", "brightness", "convert", "save" }));

    const QJsonArray images = j.value("images").toArray();
    QCOMPARE(images.size(), 4);
    for (const QJsonValue &v : images) {
        const QJsonObject im = v.toObject();
        QVERIFY(im.value("ok").toBool());
        QCOMPARE(im.value("width").toInt(), 160);
        QCOMPARE(im.value("height").toInt(), 120);
        QVERIFY(QFileInfo::exists(im.value("output").toString()));
        QVERIFY(im.value("path").toString().startsWith(QFileInfo(m_good).absoluteFilePath()));
        QCOMPARE(im.value("stage_ms").toObject().size(), 8);
    }
    const QJsonArray memory = j.value("memory").toArray();
    QVERIFY(memory.size() >= 2);
    for (const QJsonValue &v : memory) {
        QVERIFY(v.toObject().contains("t_ms"));
        QVERIFY(v.toObject().value("rss_bytes").toDouble() > 0);
        QVERIFY(v.toObject().contains("pixel_bytes_live"));
    }
    QVERIFY(!j.contains("repeats"));
}

void TestCli::brokenFileExitsOne()
{
    const QString dir = m_tmp.filePath(QStringLiteral("broken"));
    QVERIFY(generateSamples(dir, 2, 320, 200, 5).error.isEmpty());
    QFile junk(QDir(dir).filePath(QStringLiteral("holiday photo.jpg")));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("this is not a JPEG at all");
    junk.close();
    const QString report = m_tmp.filePath(QStringLiteral("broken.json"));
    const CliRun r = runCli({ "run", dir, "-o", m_tmp.filePath("broken-out"), "--size", "160x120", "--report",
        report, "--quiet" });
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QStringLiteral("holiday photo.jpg")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("load:")), qPrintable(r.err));
    const QJsonObject s = readJson(report).value("summary").toObject();
    QCOMPARE(s.value("images_ok").toInt(), 2);
    QCOMPARE(s.value("images_failed").toInt(), 1);
    bool found = false;
    for (const QJsonValue &v : readJson(report).value("images").toArray()) {
        const QJsonObject im = v.toObject();
        if (im.value("path").toString().endsWith(QStringLiteral("holiday photo.jpg"))) {
            found = true;
            QVERIFY(!im.value("ok").toBool());
            QVERIFY(!im.value("error").toString().isEmpty());
        }
    }
    QVERIFY(found);
    QCOMPARE(QDir(m_tmp.filePath("broken-out")).entryList(QDir::Files).size(), 2);
}

void TestCli::chosenFilesOnly()
{
    // run a.jpg b.jpg: those two of the folder's four, in that order; a
    // missing one named among them fails alone (exit 1), said on stderr.
    const QString second = QDir(m_good).filePath(QStringLiteral("sample_002.jpg"));
    const QString fourth = QDir(m_good).filePath(QStringLiteral("sample_004.jpg"));
    const QString missing = QDir(m_good).filePath(QStringLiteral("gone.jpg"));
    const QString out = m_tmp.filePath(QStringLiteral("chosen-out"));
    const QString report = m_tmp.filePath(QStringLiteral("chosen.json"));
    CliRun r = runCli({ "run", fourth, missing, second, "-o", out, "--size", "160x120", "--report", report });
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QStringLiteral("gone.jpg")) && r.err.contains(QStringLiteral("does not exist")),
        qPrintable(r.err));
    QVERIFY2(r.out.contains(QStringLiteral("2 of 3 images ok")), qPrintable(r.out));
    QCOMPARE(QDir(out).entryList(QDir::Files, QDir::Name),
        QStringList({ "processed_sample_002.jpg", "processed_sample_004.jpg" }));
    const QJsonObject j = readJson(report);
    QCOMPARE(j.value("config").toObject().value("input_files").toArray(),
        QJsonArray::fromStringList({ fourth, missing, second }));
    QCOMPARE(j.value("images").toArray().first().toObject().value("path").toString(), fourth);

    // A folder and files together, and --recursive with files: usage errors.
    r = runCli({ "run", m_good, second, "-o", out });
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("one INPUT_DIR or image files")), qPrintable(r.err));
    r = runCli({ "run", second, "--recursive", "-o", out });
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("--recursive")), qPrintable(r.err));
    // The output folder may not be an input file's folder.
    r = runCli({ "run", second, "-o", m_good });
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("folder of the input")), qPrintable(r.err));
}

void TestCli::missingFolderExitsTwo()
{
    const QString missing = m_tmp.filePath(QStringLiteral("no-such-folder"));
    const CliRun r = runCli({ "run", missing, "-o", m_tmp.filePath("x") });
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(missing) && r.err.contains(QStringLiteral("does not exist")), qPrintable(r.err));
    QVERIFY(!QFileInfo::exists(m_tmp.filePath("x")));
}

// Qt reads arguments as UTF-8: `-o` followed by Latin-1 bytes would make a
// folder of another name. Refused before anything is made.
void TestCli::nonUtf8ArgumentRefused()
{
    const QString parent = m_tmp.filePath(QStringLiteral("latin1"));
    QVERIFY(QDir().mkpath(parent));
    QProcess p;
    p.setWorkingDirectory(parent);
    // printf makes the byte 0xFE, which no QString argument can carry.
    p.start(QStringLiteral("sh"),
        { "-c", "exec \"$0\" run \"$1\" -o \"$(printf 'out\\376')\"", QStringLiteral(PIXELPERF_CLI_PATH),
            m_good });
    QVERIFY(p.waitForFinished(60000));
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QCOMPARE(p.exitCode(), 2);
    QVERIFY2(err.contains(QStringLiteral("argument 4 is not valid UTF-8")), qPrintable(err));
    QCOMPARE(QDir(parent).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList());
}

void TestCli::unwritableOutputExitsTwo()
{
    // A regular file where a folder should be: no one, root included, can
    // create a folder inside it.
    QFile blocker(m_tmp.filePath(QStringLiteral("blocker")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    const QString out = m_tmp.filePath(QStringLiteral("blocker/out"));
    const CliRun r = runCli({ "run", m_good, "-o", out });
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("output folder")), qPrintable(r.err));
}

void TestCli::outputEqualToInputRefused()
{
    const QStringList before = QDir(m_good).entryList(QDir::Files);
    const CliRun r = runCli({ "run", m_good, "-o", m_good });
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("is the input folder")), qPrintable(r.err));
    QCOMPARE(QDir(m_good).entryList(QDir::Files), before);
}

void TestCli::usageErrorExitsTwo()
{
    const CliRun r = runCli({ "run", m_good, "--preset", "warp-speed" });
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains(QStringLiteral("warp-speed")));
    QVERIFY(r.err.contains(QStringLiteral("--help")));
}

void TestCli::presetsReachTheReport()
{
    const QString report = m_tmp.filePath(QStringLiteral("baseline.json"));
    const CliRun r = runCli({ "run", m_good, "-o", m_tmp.filePath("baseline-out"), "--size", "160x120",
        "--preset", "baseline", "--report", report, "--quiet" });
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject j = readJson(report);
    // "baseline" is naive's old name: accepted, and the report names the preset as it is now.
    QCOMPARE(j.value("config").toObject().value("preset").toString(), QStringLiteral("naive"));
    const QJsonObject toggles = j.value("config").toObject().value("toggles").toObject();
    for (const ToggleInfo &t : toggleTable())
        QVERIFY2(!toggles.value(QLatin1String(t.key)).toBool(), t.key);
    QCOMPARE(j.value("config").toObject().value("params").toObject().value("quality").toInt(), 95);
    QCOMPARE(j.value("summary").toObject().value("workers").toInt(), 1);
    // Baseline copies every stage's input.
    for (const QJsonValue &v : j.value("stages").toArray()) {
        const QString name = v.toObject().value("name").toString();
        if (name == QLatin1String("blur") || name == QLatin1String("sharpen"))
            QCOMPARE(v.toObject().value("copies").toInt(), 4);
    }
}

void TestCli::repeatsAreReported()
{
    const QString report = m_tmp.filePath(QStringLiteral("repeat.json"));
    const CliRun r = runCli({ "run", m_good, "-o", m_tmp.filePath("repeat-out"), "--size", "160x120",
        "--repeat", "2", "--warmup", "1", "--report", report, "--quiet" });
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonArray repeats = readJson(report).value("repeats").toArray();
    QCOMPARE(repeats.size(), 2);
    for (const QJsonValue &v : repeats) {
        QCOMPARE(v.toObject().value("summary").toObject().value("images_ok").toInt(), 4);
        QVERIFY(!v.toObject().value("stages").toArray().isEmpty());
    }
    // The decode cache, filled by the warm-up, served the measured runs.
    for (const QJsonValue &v : readJson(report).value("images").toArray())
        QVERIFY(v.toObject().value("from_cache").toBool());
}

void TestCli::togglesListsEveryToggle()
{
    const CliRun r = runCli({ "toggles" });
    QCOMPARE(r.exitCode, 0);
    for (const ToggleInfo &t : toggleTable())
        QVERIFY2(r.out.contains(QLatin1String(t.key)), t.key);
    for (const QString &preset : presetNames())
        QVERIFY(r.out.contains(preset));
}

void TestCli::generateWritesImages()
{
    const QString dir = m_tmp.filePath(QStringLiteral("generated"));
    CliRun r = runCli({ "generate", dir, "--count", "2", "--size", "300x200" });
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QStringList files = QDir(dir).entryList(QDir::Files, QDir::Name);
    QCOMPARE(files, QStringList({ "sample_001.jpg", "sample_002.jpg" }));
    const QImage img(QDir(dir).filePath(files.first()));
    QCOMPARE(img.size(), QSize(300, 200));
    // Photo-like: many distinct colours, not a flat fill.
    QSet<QRgb> colours;
    for (int y = 0; y < img.height(); y += 4)
        for (int x = 0; x < img.width(); x += 4)
            colours.insert(img.pixel(x, y));
    QVERIFY2(colours.size() > 500, qPrintable(QString::number(colours.size())));
    // Never overwrites: a second call adds new names.
    r = runCli({ "generate", dir, "--count", "1", "--size", "300x200" });
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(QDir(dir).entryList(QDir::Files).size(), 3);
}

void TestCli::versionAndHelp()
{
    CliRun r = runCli({ "--version" });
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.startsWith(QStringLiteral("pixelperf-cli ")));
    r = runCli({ "--help" });
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(QStringLiteral("Exit codes")));
}

void TestCli::exportsEveryFormat()
{
    const QString base = m_tmp.filePath(QStringLiteral("export"));
    const CliRun r = runCli({ "run", m_good, "-o", m_tmp.filePath("export-out"), "--size", "160x120",
        "--quiet", "--report", base + ".json", "--csv", base + ".csv", "--trace", base + ".trace.json",
        "--html", base + ".html", "--md", base + ".md" });
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    for (const char *suffix : { ".json", ".csv", ".trace.json", ".html", ".md" })
        QVERIFY2(QFileInfo(base + QLatin1String(suffix)).size() > 100, suffix);
    QVERIFY(!QJsonDocument::fromJson([&] {
        QFile f(base + ".trace.json");
        f.open(QIODevice::ReadOnly);
        return f.readAll();
    }())
                 .object()
                 .value("traceEvents")
                 .toArray()
                 .isEmpty());
    // An export into a folder that does not exist: a clear message, exit 2.
    const CliRun bad = runCli({ "run", m_good, "-o", m_tmp.filePath("export-out"), "--size", "160x120",
        "--quiet", "--csv", m_tmp.filePath("no/such/dir/x.csv") });
    QCOMPARE(bad.exitCode, 2);
    QVERIFY2(bad.err.contains(QStringLiteral("x.csv")), qPrintable(bad.err));
}

void TestCli::compareTwoReports()
{
    const QString a = m_tmp.filePath(QStringLiteral("cmp-a.json")),
                  b = m_tmp.filePath(QStringLiteral("cmp-b.json"));
    QCOMPARE(runCli({ "run", m_good, "-o", m_tmp.filePath("cmp-out"), "--size", "160x120", "--quiet",
                        "--report", a })
                 .exitCode,
        0);
    QCOMPARE(runCli({ "run", m_good, "-o", m_tmp.filePath("cmp-out"), "--size", "160x120", "--quiet", "--off",
                        "lanczos", "--report", b })
                 .exitCode,
        0);
    const QString html = m_tmp.filePath(QStringLiteral("cmp.html"));
    const CliRun r = runCli({ "compare", a, b, "--html", html });
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(QStringLiteral("lanczos: on -> off")));
    QVERIFY(r.out.contains(QStringLiteral("| resize |")));
    QVERIFY(r.out.contains(QStringLiteral("Mann-Whitney")));
    QVERIFY(QFileInfo(html).size() > 0);
    // Not a report: exit 2 naming the file.
    const CliRun bad = runCli({ "compare", a, QDir(m_good).filePath("sample_001.jpg") });
    QCOMPARE(bad.exitCode, 2);
    QVERIFY2(bad.err.contains(QStringLiteral("sample_001.jpg")), qPrintable(bad.err));
}

void TestCli::ablateNamesEveryToggle()
{
    const QString report = m_tmp.filePath(QStringLiteral("ablate.json"));
    const CliRun r = runCli({ "ablate", m_good, "-o", m_tmp.filePath("ablate-out"), "--size", "96x64",
        "--report", report, "--quiet" });
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject j = readJson(report);
    QCOMPARE(j.value("schema").toString(), QStringLiteral("pixelperf-ablation/2"));
    const QJsonArray entries = j.value("entries").toArray();
    QCOMPARE(entries.size(), ToggleCount);
    QSet<QString> names;
    for (const QJsonValue &v : entries) {
        names.insert(v.toObject().value("toggle").toString());
        QVERIFY(!v.toObject().value("sentence").toString().isEmpty());
    }
    QCOMPARE(names.size(), ToggleCount);
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
