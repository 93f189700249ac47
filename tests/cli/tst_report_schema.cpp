// Every report pixelperf-cli writes validates against the JSON Schema in
// docs/pixelperf-report.schema.json: a run (single, repeated in one process
// and in fresh ones, with a failed image, without profiling) and an
// ablation. The validator here implements the part of JSON Schema (2020-12)
// the schema uses, and refuses a keyword it does not implement, so the
// schema cannot say more than is checked.
#include "clirunner.h"
#include "samples/samplegenerator.h"

#include <QDir>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace pixelperf;
using testing::describe;
using testing::readJsonFile;
using testing::runCli;

namespace {

class SchemaValidator
{
public:
    explicit SchemaValidator(const QJsonObject &root)
        : m_root(root)
    { }
    // Every violation, with where it is ("/summary/wall_ms: ...").
    QStringList validate(const QJsonValue &value) const
    {
        QStringList errors;
        check(m_root, value, QString(), &errors);
        return errors;
    }

private:
    static bool hasType(const QJsonValue &v, const QString &type)
    {
        if (type == QLatin1String("integer"))
            return v.isDouble() && std::floor(v.toDouble()) == v.toDouble();
        static const QMap<QString, QJsonValue::Type> types { { "object", QJsonValue::Object },
            { "array", QJsonValue::Array }, { "string", QJsonValue::String },
            { "number", QJsonValue::Double }, { "boolean", QJsonValue::Bool }, { "null", QJsonValue::Null } };
        return types.value(type, QJsonValue::Undefined) == v.type();
    }

    QJsonObject resolve(const QString &ref) const
    {
        QJsonValue at = m_root;
        for (const QString &part : ref.mid(2).split(QLatin1Char('/')))
            at = at.toObject().value(part);
        return at.toObject();
    }

    void checkObject(
        const QJsonObject &schema, const QJsonObject &o, const QString &path, QStringList *errors) const
    {
        for (const QJsonValue &name : schema.value(QLatin1String("required")).toArray())
            if (!o.contains(name.toString()))
                *errors << QStringLiteral("%1: '%2' is missing").arg(path, name.toString());
        const QJsonObject properties = schema.value(QLatin1String("properties")).toObject();
        const QJsonValue additional = schema.value(QLatin1String("additionalProperties"));
        for (auto it = o.begin(); it != o.end(); ++it) {
            const QString at = path + QLatin1Char('/') + it.key();
            if (properties.contains(it.key()))
                check(properties.value(it.key()).toObject(), it.value(), at, errors);
            else if (additional.isObject())
                check(additional.toObject(), it.value(), at, errors);
            else if (additional.isBool() && !additional.toBool())
                *errors << QStringLiteral("%1: not allowed").arg(at);
        }
    }

    void checkArray(
        const QJsonObject &schema, const QJsonArray &a, const QString &path, QStringList *errors) const
    {
        if (a.size() < schema.value(QLatin1String("minItems")).toInt(0))
            *errors << QStringLiteral("%1: fewer than %2 items")
                           .arg(path)
                           .arg(schema.value(QLatin1String("minItems")).toInt());
        const QJsonArray prefix = schema.value(QLatin1String("prefixItems")).toArray();
        for (int i = 0; i < a.size(); ++i) {
            const QString at = QStringLiteral("%1/%2").arg(path).arg(i);
            if (i < prefix.size())
                check(prefix[i].toObject(), a[i], at, errors);
            else if (schema.contains(QLatin1String("items")))
                check(schema.value(QLatin1String("items")).toObject(), a[i], at, errors);
        }
    }

    void checkKeywords(const QJsonObject &schema, const QString &path, QStringList *errors) const
    {
        static const QStringList known { "$schema", "$id", "$defs", "$ref", "title", "description", "type",
            "const", "enum", "required", "properties", "additionalProperties", "items", "prefixItems",
            "minItems", "minimum", "maximum", "oneOf", "allOf" };
        for (const QString &key : schema.keys())
            if (!known.contains(key))
                *errors << QStringLiteral("%1: the schema uses '%2', which this validator does not implement")
                               .arg(path, key);
    }

    void check(const QJsonObject &schema, const QJsonValue &v, const QString &path, QStringList *errors) const
    {
        checkKeywords(schema, path, errors);
        if (schema.contains(QLatin1String("$ref")))
            check(resolve(schema.value(QLatin1String("$ref")).toString()), v, path, errors);
        for (const QJsonValue &sub : schema.value(QLatin1String("allOf")).toArray())
            check(sub.toObject(), v, path, errors);
        if (schema.contains(QLatin1String("oneOf"))) {
            int matching = 0;
            QStringList why;
            for (const QJsonValue &sub : schema.value(QLatin1String("oneOf")).toArray()) {
                QStringList subErrors;
                check(sub.toObject(), v, path, &subErrors);
                matching += subErrors.isEmpty() ? 1 : 0;
                why << subErrors.mid(0, 5);
            }
            if (matching != 1)
                *errors << QStringLiteral("%1: matches %2 of oneOf (%3)")
                               .arg(path)
                               .arg(matching)
                               .arg(why.join("; "));
        }
        const QJsonValue type = schema.value(QLatin1String("type"));
        if (!type.isUndefined()) {
            const QJsonArray types = type.isArray() ? type.toArray() : QJsonArray { type };
            if (std::none_of(types.begin(), types.end(),
                    [&](const QJsonValue &t) { return hasType(v, t.toString()); }))
                *errors << QStringLiteral("%1: not of type %2")
                               .arg(path,
                                   QString::fromUtf8(QJsonDocument(types).toJson(QJsonDocument::Compact)));
        }
        if (schema.contains(QLatin1String("const")) && schema.value(QLatin1String("const")) != v)
            *errors
                << QStringLiteral("%1: not %2").arg(path, schema.value(QLatin1String("const")).toString());
        if (schema.contains(QLatin1String("enum"))
            && !schema.value(QLatin1String("enum")).toArray().contains(v))
            *errors << QStringLiteral("%1: '%2' is not one of the values allowed")
                           .arg(path, v.toVariant().toString());
        if (v.isDouble() && schema.contains(QLatin1String("minimum"))
            && v.toDouble() < schema.value(QLatin1String("minimum")).toDouble())
            *errors << QStringLiteral("%1: below the minimum").arg(path);
        if (v.isDouble() && schema.contains(QLatin1String("maximum"))
            && v.toDouble() > schema.value(QLatin1String("maximum")).toDouble())
            *errors << QStringLiteral("%1: above the maximum").arg(path);
        if (v.isObject())
            checkObject(schema, v.toObject(), path, errors);
        if (v.isArray())
            checkArray(schema, v.toArray(), path, errors);
    }

    QJsonObject m_root;
};

} // namespace

class TestReportSchema : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void everyReportValidates_data();
    void everyReportValidates();
    void validatorRejectsWhatTheSchemaForbids();
    void runReportSummarisesEveryRepetition();

private:
    QTemporaryDir m_tmp;
    QString m_in;
    QJsonObject m_schema;
};

void TestReportSchema::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    m_schema = readJsonFile(QStringLiteral(PIXELPERF_SOURCE_DIR "/docs/pixelperf-report.schema.json"));
    QVERIFY(!m_schema.isEmpty());
    m_in = m_tmp.filePath(QStringLiteral("in"));
    QVERIFY(generateSamples(m_in, 2, 200, 140, 3).error.isEmpty());
    QFile broken(QDir(m_in).filePath(QStringLiteral("broken.jpg")));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("not a JPEG");
}

void TestReportSchema::everyReportValidates_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::newRow("run") << QStringList { "run" } << 1; // 1: the broken image
    QTest::newRow("run --repeat in one process")
        << QStringList { "run", "--repeat", "2", "--same-process", "--warmup", "1" } << 1;
    QTest::newRow("run --repeat in fresh processes") << QStringList { "run", "--repeat", "2" } << 1;
    QTest::newRow("run --no-profile") << QStringList { "run", "--no-profile", "--preset", "baseline" } << 1;
    QTest::newRow("ablate") << QStringList { "ablate", "--repeat", "1", "--size", "64x48" } << 0;
}

void TestReportSchema::everyReportValidates()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    const QString report
        = m_tmp.filePath(QString::fromLatin1(QTest::currentDataTag()) + QStringLiteral(".json"));
    QStringList args { arguments.first(), m_in, QStringLiteral("-o"), m_tmp.filePath(QStringLiteral("out")),
        QStringLiteral("--report"), report, QStringLiteral("--no-history"), QStringLiteral("-q") };
    args << arguments.mid(1);
    const testing::ProgramRun r = runCli(args);
    QVERIFY2(r.exitCode == exitCode, describe(r).constData());
    const QJsonObject json = readJsonFile(report);
    QVERIFY(!json.isEmpty());
    const QStringList errors = SchemaValidator(m_schema).validate(json);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.mid(0, 20).join(QLatin1Char('\n'))));
}

void TestReportSchema::validatorRejectsWhatTheSchemaForbids()
{
    const QString report = m_tmp.filePath(QStringLiteral("base.json"));
    QCOMPARE(
        runCli({ QStringLiteral("run"), m_in, QStringLiteral("-o"), m_tmp.filePath(QStringLiteral("out")),
                   QStringLiteral("--report"), report, QStringLiteral("--no-history"), QStringLiteral("-q") })
            .exitCode,
        1);
    const QJsonObject good = readJsonFile(report);
    const SchemaValidator validator(m_schema);
    QVERIFY(validator.validate(good).isEmpty());
    QJsonObject newer = good;
    newer.insert(QStringLiteral("schema"), QStringLiteral("pixelperf-report/2"));
    QVERIFY(!validator.validate(newer).isEmpty());
    QJsonObject noSummary = good;
    noSummary.remove(QStringLiteral("summary"));
    QVERIFY(validator.validate(noSummary).join(' ').contains(QStringLiteral("'summary' is missing")));
    QJsonObject badStage = good;
    QJsonArray stages = badStage.value(QStringLiteral("stages")).toArray();
    QJsonObject first = stages[0].toObject();
    first.insert(QStringLiteral("name"), QStringLiteral("upscale"));
    first.insert(QStringLiteral("total_ms"), QStringLiteral("12"));
    stages[0] = first;
    badStage.insert(QStringLiteral("stages"), stages);
    const QString errors = validator.validate(badStage).join(' ');
    QVERIFY2(errors.contains(QStringLiteral("/stages/0/name"))
            && errors.contains(QStringLiteral("/stages/0/total_ms")),
        qPrintable(errors));
}

void TestReportSchema::runReportSummarisesEveryRepetition()
{
    const QString report = m_tmp.filePath(QStringLiteral("summary.json"));
    const testing::ProgramRun r
        = runCli({ QStringLiteral("run"), m_in, QStringLiteral("-o"), m_tmp.filePath(QStringLiteral("out")),
            QStringLiteral("--report"), report, QStringLiteral("--repeat"), QStringLiteral("3"),
            QStringLiteral("--same-process"), QStringLiteral("--no-history"), QStringLiteral("-q") });
    QCOMPARE(r.exitCode, 1);
    const QJsonObject json = readJsonFile(report);
    const QJsonObject summary = json.value(QStringLiteral("repetitions_summary")).toObject();
    QCOMPARE(summary.value(QStringLiteral("n")).toInt(), 3);
    const QJsonObject wall = summary.value(QStringLiteral("wall_ms")).toObject();
    const QJsonArray times = wall.value(QStringLiteral("times")).toArray();
    QCOMPARE(times.size(), 3);
    const QJsonArray repeats = json.value(QStringLiteral("repeats")).toArray();
    double sum = 0;
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(
            times[i].toDouble(), repeats[i][QStringLiteral("summary")][QStringLiteral("wall_ms")].toDouble());
        sum += times[i].toDouble();
    }
    QCOMPARE(wall.value(QStringLiteral("mean")).toDouble(), sum / 3);
    QVERIFY(wall.value(QStringLiteral("stddev")).isDouble());
    QVERIFY(wall.value(QStringLiteral("min")).toDouble() <= wall.value(QStringLiteral("median")).toDouble());
    // The environment as pyperf and Google Benchmark record it.
    const QJsonObject env = json.value(QStringLiteral("environment")).toObject();
    QVERIFY2(QRegularExpression(
                 QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d)$"))
                 .match(env.value(QStringLiteral("started_at")).toString())
                 .hasMatch(),
        qPrintable(env.value(QStringLiteral("started_at")).toString()));
    QVERIFY(!env.value(QStringLiteral("host_name")).toString().isEmpty());
    QVERIFY(env.value(QStringLiteral("physical_cores")).toInt() >= 1);
    QVERIFY(env.value(QStringLiteral("physical_cores")).toInt()
        <= env.value(QStringLiteral("logical_cores")).toInt());
    QCOMPARE(env.value(QStringLiteral("load_average")).toArray().size(), 3);
    QVERIFY(env.contains(QStringLiteral("cpu_frequency_governor")));
    QVERIFY(env.value(QStringLiteral("libjpeg_turbo_version")).toString().contains(QLatin1Char('.')));
}

QTEST_GUILESS_MAIN(TestReportSchema)
#include "tst_report_schema.moc"
