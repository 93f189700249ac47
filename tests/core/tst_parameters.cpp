// The parameter table (pipeline/parameters.h) and what loops over it:
// validation, the JSON report's writer and reader, the comparison and the
// arguments of an isolated run.
#include "customparams.h"
#include "measure/isolatedrun.h"
#include "measure/runcomparison.h"
#include "pipeline/parameters.h"
#include "reports/reportreader.h"
#include "reports/reportwriter.h"

#include <QJsonDocument>
#include <QSet>
#include <QtTest>

#include <cmath>

using namespace pixelperf;
using namespace pixelperf::testing;

class TestParameters : public QObject
{
    Q_OBJECT
private slots:
    void tableIsComplete();
    void customParamsChangeEveryRow();
    void validationNamesTheParameter_data();
    void validationNamesTheParameter();
    void reportKeepsEveryParameter();
    void comparisonListsEveryDifference();
    void isolatedRunPassesEveryParameter();
};

void TestParameters::tableIsComplete()
{
    // One row per id, in id order; keys unique within their group, fields
    // unique in the window; the defaults are valid.
    QSet<QString> keys, fields;
    for (int i = 0; i < ParamCount; ++i) {
        const ParamInfo &info = paramTable()[size_t(i)];
        QCOMPARE(int(info.id), i);
        const QString key
            = QLatin1String(info.group ? info.group : "") + QLatin1Char('/') + QLatin1String(info.key);
        QVERIFY2(!keys.contains(key), qPrintable(key));
        keys << key;
        QVERIFY(!fields.contains(QLatin1String(info.objectName)));
        fields << QLatin1String(info.objectName);
        QVERIFY(info.help && *info.help);
    }
    QCOMPARE(PipelineParams().validate(), QString());
    QCOMPARE(skippableStages(), QStringList({ "blur", "sharpen", "contrast", "brightness" }));
}

void TestParameters::customParamsChangeEveryRow()
{
    // The fixture the round trips below use: a new row of the table must
    // be given a value in it, or the trips would not carry it.
    QCOMPARE(paramsDiffering(customParams(), PipelineParams()).size(), ParamCount);
    QCOMPARE(customParams().validate(), QString());
}

void TestParameters::validationNamesTheParameter_data()
{
    QTest::addColumn<int>("param");
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("message");
    QTest::newRow("width 0") << int(ParamId::Width) << 0.0 << "output width 0 is out of range (1..20000)";
    QTest::newRow("blur NaN") << int(ParamId::BlurRadius) << double(NAN)
                              << "blur radius nan is out of range (0..50)";
    QTest::newRow("quality 101") << int(ParamId::Quality) << 101.0
                                 << "JPEG quality with balanced-quality on 101 is out of range (1..100)";
    QTest::newRow("jobs 257") << int(ParamId::Jobs) << 257.0 << "worker threads 257 is out of range (0..256)";
    QTest::newRow("cache -1") << int(ParamId::CacheMiB) << -1.0
                              << "the decode cache's size in MiB -1 is out of range (0..1048576)";
}

void TestParameters::validationNamesTheParameter()
{
    QFETCH(int, param);
    QFETCH(double, value);
    QFETCH(QString, message);
    PipelineParams p;
    setParamValue(p, ParamId(param), value);
    QCOMPARE(p.validate(), message);
}

void TestParameters::reportKeepsEveryParameter()
{
    // Written into a report and read back, every parameter is as it was;
    // without balanced-quality the report holds the quality saved at.
    for (bool balanced : { true, false }) {
        RunResult run;
        run.config.params = customParams();
        run.config.toggles.set(ToggleId::BalancedQuality, balanced);
        const QByteArray json = QJsonDocument(ReportWriter::toJson(run)).toJson();
        const LoadedReport back = readReport(json);
        QVERIFY2(back.error.isEmpty(), qPrintable(back.error));
        PipelineParams expected = customParams();
        if (!balanced) {
            expected.wastefulQuality = PipelineParams().wastefulQuality;
            expected.quality = PipelineParams().quality;
        }
        QCOMPARE(paramsDiffering(back.run.config.params, expected), QStringList());
        QCOMPARE(back.run.config.params.wastefulQuality, PipelineParams().wastefulQuality);
    }
}

void TestParameters::comparisonListsEveryDifference()
{
    RunResult a, b;
    a.config.toggles = b.config.toggles = ToggleSet::allOn();
    b.config.params = customParams();
    const RunComparison c = compareRuns(a, {}, b, {}, QStringLiteral("a"), QStringLiteral("b"));
    QCOMPARE(c.paramDifferences.size(), ParamCount);
    QVERIFY(c.paramDifferences.contains(QStringLiteral("resize_mode: stretch -> fit")));
    QVERIFY(c.paramDifferences.contains(QStringLiteral("sharpen stage: true -> false")));
    QCOMPARE(
        compareRuns(a, {}, a, {}, QStringLiteral("a"), QStringLiteral("a")).paramDifferences, QStringList());
}

void TestParameters::isolatedRunPassesEveryParameter()
{
    PipelineConfig c;
    c.inputDir = QStringLiteral("in");
    c.outputDir = QStringLiteral("out");
    c.params = customParams();
    const QStringList args = runArguments(c);
    for (const char *expected : { "--size 321x123", "--mode fit", "--blur 3.25", "--sharpen 0.5",
             "--contrast 2.5", "--brightness 0.75", "--quality 66", "--jobs 3", "--cache-mib 17",
             "--skip blur,sharpen,contrast,brightness" })
        QVERIFY2(args.join(QLatin1Char(' ')).contains(expected), qPrintable(expected));
    QVERIFY(args.contains(QStringLiteral("--recursive")));
    c.params = PipelineParams();
    const QString plain = runArguments(c).join(QLatin1Char(' '));
    QVERIFY(!plain.contains(QStringLiteral("--jobs")));
    QVERIFY(!plain.contains(QStringLiteral("--skip")));
    QVERIFY(!plain.contains(QStringLiteral("--recursive")));
}

QTEST_APPLESS_MAIN(TestParameters)
#include "tst_parameters.moc"
