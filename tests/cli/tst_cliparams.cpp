// The command line and the parameter table: what an isolated run passes to
// its child (runArguments) the parser reads back as the same parameters, and
// --help describes each parameter's option from the table.
#include "cliparser.h"
#include "clisyntax.h"
#include "customparams.h"
#include "measure/isolatedrun.h"

#include <QtTest>

using namespace pixelperf;
using namespace pixelperf::testing;

class TestCliParams : public QObject
{
    Q_OBJECT
private slots:
    void childReadsEveryParameter();
    void optionsFollowTheTable();
    void childRunsTheChosenFiles();
};

void TestCliParams::childReadsEveryParameter()
{
    for (const PipelineParams &params : { customParams(), PipelineParams() }) {
        PipelineConfig c;
        c.inputDir = QStringLiteral("in");
        c.outputDir = QStringLiteral("out");
        c.params = params;
        const CliParseResult r = parseCommandLine(QStringList { QStringLiteral("run") } + runArguments(c));
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(paramsDiffering(r.options.config.params, params), QStringList());
    }
}

void TestCliParams::optionsFollowTheTable()
{
    // Every parameter with an option of its own: run takes it, with the
    // table's description; --skip offers every per-stage switch.
    for (const ParamInfo &info : paramTable()) {
        if (!info.cliOption)
            continue;
        const CliOptionSpec *option
            = findCliOption(cliCommandBit(CliOptions::Command::Run), QLatin1String(info.cliOption));
        QVERIFY2(option, info.cliOption);
        QCOMPARE(option->help, paramCliHelp(info.id));
        QVERIFY(option->configures);
    }
    QCOMPARE(paramCliHelp(ParamId::BlurRadius), QStringLiteral("blur radius (0 to 50; default 2)"));
    QCOMPARE(paramCliHelp(ParamId::Jobs), QStringLiteral("worker threads (1 to 256; default: the cores)"));
    QCOMPARE(cliValueChoices(CliValueKind::StageList), skippableStages());
}

void TestCliParams::childRunsTheChosenFiles()
{
    // A run on chosen files in a child process: the same files, folder and
    // output; --recursive (a folder's) is not passed, so the child runs.
    PipelineConfig c;
    c.setInputFiles({ QStringLiteral("/data/a/x.jpg"), QStringLiteral("/data/b/y.png") });
    c.outputDir = QStringLiteral("/tmp/out");
    c.params = customParams();
    c.params.recursive = true;
    const CliParseResult r = parseCommandLine(QStringList { QStringLiteral("run") } + runArguments(c));
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.options.config.inputFiles, c.inputFiles);
    QCOMPARE(r.options.config.inputDir, QStringLiteral("/data"));
    QCOMPARE(r.options.config.outputDir, c.outputDir);
    QCOMPARE(paramsDiffering(r.options.config.params, c.params), QStringList { QStringLiteral("recursive") });
}

QTEST_APPLESS_MAIN(TestCliParams)
#include "tst_cliparams.moc"
