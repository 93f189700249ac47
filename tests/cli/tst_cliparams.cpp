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

QTEST_APPLESS_MAIN(TestCliParams)
#include "tst_cliparams.moc"
