#include "cliparser.h"

#include <QtTest>

using namespace pixelperf;

class TestCliParser : public QObject
{
    Q_OBJECT
private slots:
    void usageErrors_data();
    void usageErrors();
    void presetsAndToggles();
    void parameters();
    void defaults();
    void imageFiles();
    void generate();
    void download();
};

void TestCliParser::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("nothing") << QStringList {} << "no command";
    QTest::newRow("unknown command") << QStringList { "frobnicate" } << "frobnicate";
    QTest::newRow("run without folder") << QStringList { "run" } << "INPUT_DIR";
    QTest::newRow("two folders") << QStringList { "run", "a", "b" } << "one INPUT_DIR";
    QTest::newRow("a folder and an image")
        << QStringList { "run", "a", "b.jpg" } << "one INPUT_DIR or image files";
    QTest::newRow("recursive on images") << QStringList { "run", "a.jpg", "--recursive" } << "--recursive";
    QTest::newRow("images from unrelated folders, no -o")
        << QStringList { "run", "/home/u/Photos/a.jpg", "/home/u/Downloads/b.jpg" } << "-o OUTPUT_DIR";
    QTest::newRow("unknown option") << QStringList { "run", "a", "--fast" } << "--fast";
    QTest::newRow("missing value") << QStringList { "run", "a", "--jobs" } << "needs a value";
    QTest::newRow("bad jobs") << QStringList { "run", "a", "--jobs", "zero" } << "--jobs";
    QTest::newRow("jobs out of range") << QStringList { "run", "a", "--jobs", "0" } << "1 to 256";
    QTest::newRow("bad size") << QStringList { "run", "a", "--size", "800" } << "WxH";
    QTest::newRow("zero size") << QStringList { "run", "a", "--size", "0x600" } << "WxH";
    QTest::newRow("bad preset") << QStringList { "run", "a", "--preset", "turbo" } << "turbo";
    QTest::newRow("bad toggle") << QStringList { "run", "a", "--off", "parallel,warp" } << "warp";
    QTest::newRow("bad quality") << QStringList { "run", "a", "--quality", "101" } << "--quality";
    QTest::newRow("bad mode") << QStringList { "run", "a", "--mode", "crop" } << "stretch, fit or fill";
    QTest::newRow("bad skip") << QStringList { "run", "a", "--skip", "save" } << "save";
    QTest::newRow("toggles takes no args") << QStringList { "toggles", "x" } << "no arguments";
    QTest::newRow("generate needs dir") << QStringList { "generate" } << "DIR";
    // Found by fuzz_cliargs: accepted, then "cannot create folder" with no name.
    QTest::newRow("generate into an empty name") << QStringList { "generate", "" } << "DIR";
    QTest::newRow("run option on generate")
        << QStringList { "generate", "d", "--preset", "baseline" } << "--preset";
    QTest::newRow("flag given a value") << QStringList { "run", "a", "--recursive=no" } << "takes no value";
    QTest::newRow("csv is not ablate's") << QStringList { "ablate", "a", "--csv", "x.csv" } << "--csv";
    QTest::newRow("version after a command") << QStringList { "run", "a", "--version" } << "--version";
    // Issue 20: which of --on X and --off X wins is not the order's to say;
    // an option where a value belongs is a forgotten value, not a folder
    // named "--quiet"; an empty report path would write nothing, silently.
    QTest::newRow("a toggle both on and off") << QStringList { "run", "a", "--off=streaming", "--on",
        "parallel,streaming" } << "both --on and --off";
    QTest::newRow("an option taken as a value")
        << QStringList { "run", "a", "-o", "--quiet" } << "needs a value";
    QTest::newRow("an empty report path") << QStringList { "run", "a", "--report", "" } << "not an empty one";
}

void TestCliParser::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    const CliParseResult r = parseCommandLine(args);
    QVERIFY2(!r.error.isEmpty(), "expected a usage error");
    QVERIFY2(r.error.contains(mentions), qPrintable(r.error));
}

void TestCliParser::presetsAndToggles()
{
    CliParseResult r = parseCommandLine({ "run", "in", "--preset", "baseline", "--on", "parallel,lanczos" });
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QVERIFY(r.options.config.isOn(ToggleId::Parallel));
    QVERIFY(r.options.config.isOn(ToggleId::Lanczos));
    QVERIFY(!r.options.config.isOn(ToggleId::SeparableBlur));
    QCOMPARE(r.options.config.preset, QStringLiteral("custom"));

    // --off applies after the preset.
    r = parseCommandLine({ "run", "in", "--off=streaming" });
    QVERIFY(r.error.isEmpty());
    QVERIFY(!r.options.config.isOn(ToggleId::Streaming));

    r = parseCommandLine({ "run", "in", "--preset", "seed-optimized" });
    QCOMPARE(r.options.config.toggles, *presetToggles("seed-optimized"));
    QCOMPARE(r.options.config.preset, QStringLiteral("seed-optimized"));
}

void TestCliParser::parameters()
{
    const CliParseResult r = parseCommandLine({ "run", "in", "-o", "out", "--size", "640x480", "--jobs", "3",
        "--quality=70", "--blur", "1.5", "--sharpen", "1", "--contrast", "1.2", "--brightness", "0.9",
        "--mode", "fill", "--recursive", "--skip", "sharpen,brightness", "--repeat", "3", "--warmup", "1",
        "--report", "r.json", "--quiet", "--no-profile" });
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    const CliOptions &o = r.options;
    QCOMPARE(o.config.outputDir, QStringLiteral("out"));
    QCOMPARE(o.config.params.width, 640);
    QCOMPARE(o.config.params.height, 480);
    QCOMPARE(o.config.params.jobs, 3);
    QCOMPARE(o.config.params.quality, 70);
    QCOMPARE(o.config.params.blurRadius, 1.5);
    QCOMPARE(o.config.params.sharpen, 1.0);
    QCOMPARE(o.config.params.contrast, 1.2);
    QCOMPARE(o.config.params.brightness, 0.9);
    QCOMPARE(o.config.params.resizeMode, ResizeMode::Fill);
    QVERIFY(o.config.params.recursive);
    QVERIFY(!o.config.params.sharpenEnabled);
    QVERIFY(!o.config.params.brightnessEnabled);
    QVERIFY(o.config.params.blurEnabled);
    QCOMPARE(o.repeat, 3);
    QCOMPARE(o.warmup, 1);
    QCOMPARE(o.reportPath, QStringLiteral("r.json"));
    QVERIFY(o.quiet);
    QVERIFY(!o.config.profile);
    QCOMPARE(o.config.params.cacheMiB, 256);
}

void TestCliParser::defaults()
{
    const CliParseResult r = parseCommandLine({ "run", "/data/photos" });
    QVERIFY(r.error.isEmpty());
    QCOMPARE(r.options.config.toggles, ToggleSet::allOn());
    QCOMPARE(r.options.config.params.width, 800);
    QCOMPARE(r.options.config.params.height, 600);
    QCOMPARE(r.options.config.params.saveQuality(r.options.config.toggles), 80);
    QCOMPARE(r.options.config.outputDir, QStringLiteral("/data/photos-processed"));
    // The toggle's capacity as given: which runs fill the cache is the
    // repetition plan's rule (warm-ups only), not the parser's.
    QCOMPARE(r.options.config.params.cacheMiB, 256);
}

void TestCliParser::imageFiles()
{
    // Image files in place of the folder: exactly those, in their order,
    // shown under the deepest folder that holds them; the default output
    // folder beside it. A file named like an image need not exist yet.
    CliParseResult r
        = parseCommandLine({ "run", "/data/photos/b.jpg", "/data/photos/2024/a.PNG", "--jobs", "2" });
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.options.config.inputFiles, QStringList({ "/data/photos/b.jpg", "/data/photos/2024/a.PNG" }));
    QCOMPARE(r.options.config.inputDir, QStringLiteral("/data/photos"));
    QCOMPARE(r.options.config.outputDir, QStringLiteral("/data/photos-processed"));
    r = parseCommandLine({ "ablate", "/data/photos/b.jpg", "-o", "/tmp/out" });
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.options.config.inputFiles, QStringList({ "/data/photos/b.jpg" }));
    QCOMPARE(r.options.config.outputDir, QStringLiteral("/tmp/out"));
    // One folder (named like anything) is a folder's run, as before.
    r = parseCommandLine({ "run", "/data/photos" });
    QVERIFY(r.options.config.inputFiles.isEmpty());
}

void TestCliParser::generate()
{
    const CliParseResult r
        = parseCommandLine({ "generate", "dir", "--count", "3", "--size", "320x200", "--seed", "9" });
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.options.command, CliOptions::Command::Generate);
    QCOMPARE(r.options.dir, QStringLiteral("dir"));
    QCOMPARE(r.options.count, 3);
    QCOMPARE(r.options.width, 320);
    QCOMPARE(r.options.seed, 9u);
}

void TestCliParser::download()
{
    CliParseResult r = parseCommandLine({ "download", "--dest", "out" });
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.options.command, CliOptions::Command::Download);
    QCOMPARE(r.options.destDir, QStringLiteral("out"));
    QCOMPARE(r.options.downloadCount, 0); // all
    QVERIFY(r.options.manifest.isEmpty()); // the environment or the bundled list decide
    QVERIFY(!r.options.allowPlainHttp);
    QCOMPARE(r.options.timeoutSeconds, 30);

    r = parseCommandLine({ "download", "--dest=d", "--count", "3", "--manifest", "https://e.org/m.json",
        "--allow-http", "--timeout", "5" });
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.options.downloadCount, 3);
    QCOMPARE(r.options.manifest, QStringLiteral("https://e.org/m.json"));
    QVERIFY(r.options.allowPlainHttp);
    QCOMPARE(r.options.timeoutSeconds, 5);

    QVERIFY(parseCommandLine({ "download" }).error.contains("--dest"));
    QVERIFY(parseCommandLine({ "download", "d" }).error.contains("--dest DIR"));
    QVERIFY(parseCommandLine({ "download", "--dest", "d", "--count", "-1" }).error.contains("--count"));
    QVERIFY(parseCommandLine({ "download", "--dest", "d", "--manifest", "" }).error.contains("--manifest"));
    QVERIFY(parseCommandLine({ "download", "--dest", "d", "--seed", "1" }).error.contains("--seed"));
    QVERIFY(parseCommandLine({ "generate", "d", "--manifest", "m.json" }).error.contains("--manifest"));
    QVERIFY(cliUsage().contains("pixelperf-cli download --dest DIR"));
}

QTEST_GUILESS_MAIN(TestCliParser)
#include "tst_cliparser.moc"
