// 2,000 small images through pixelperf-cli, with the optimized and the
// baseline presets in streaming mode: memory must not grow with the number
// of images. The report's memory samples carry images_done, so the RSS after
// the first 100 images is read from the run itself. CTest label `long`.
//
// The growth is read up to the sample taken as the run ends. The sampled
// frames are named after it: libdw's tables (a fixed 1-5 MiB a process,
// whatever the number of images) had been in it while the naming started
// as the first worker ran out of images.
#include "clirunner.h"
#include "samples/samplegenerator.h"

#include <QDir>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace pixelperf;
using namespace pixelperf::testing;

namespace {

constexpr int Images = 2000;
// Allowed growth from image 100 to the end. The profiler's own records (a
// span per stage and a record per image, about 1 kB an image) are part of
// it by design: they are the report.
constexpr double FewMiB = 4.0;

} // namespace

class TestLongRun : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void noMemoryGrowth_data();
    void noMemoryGrowth();

private:
    QTemporaryDir m_tmp;
    QString m_in;
};

void TestLongRun::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    const GenerateResult g = generateSamples(m_tmp.filePath("seed"), 20, 64, 48, 5);
    QVERIFY2(g.error.isEmpty(), qPrintable(g.error));
    m_in = m_tmp.filePath("in");
    QVERIFY(QDir().mkpath(m_in));
    for (int i = 0; i < Images; ++i)
        QVERIFY(QFile::copy(g.written[i % g.written.size()],
            QDir(m_in).filePath(QStringLiteral("img_%1.jpg").arg(i, 4, 10, QLatin1Char('0')))));
}

void TestLongRun::noMemoryGrowth_data()
{
    QTest::addColumn<QStringList>("options");
    // One worker: 2,000 tiny images on two take about 0.2 s, barely ten
    // memory samples; on one, twice that.
    QTest::newRow("optimized") << QStringList { "--preset", "optimized", "--jobs", "1" };
    QTest::newRow("baseline, streaming") << QStringList { "--preset", "baseline", "--on", "streaming" };
}

void TestLongRun::noMemoryGrowth()
{
    QFETCH(QStringList, options);
    const QString tag = QString::number(QTest::currentDataTag()[0] == 'o' ? 1 : 2);
    const QString out = m_tmp.filePath("out" + tag);
    const QString report = m_tmp.filePath("report" + tag + ".json");
    const ProgramRun r = runCli(
        QStringList { "run", m_in, "-o", out, "--size", "64x48", "--report", report, "--quiet" } + options);
    QVERIFY2(r.exitCode == 0, describe(r).constData());
    const QJsonObject j = readJsonFile(report);
    QCOMPARE(j.value("summary").toObject().value("images_ok").toInt(), Images);
    QCOMPARE(QDir(out).entryList(QDir::Files).size(), Images);

    const QJsonArray memory = j.value("memory").toArray();
    QVERIFY(memory.size() > 10);
    double after100 = -1;
    for (const QJsonValue &v : memory) {
        const QJsonObject m = v.toObject();
        if (m.value("images_done").toInt() >= 100) {
            after100 = m.value("rss_bytes").toDouble();
            break;
        }
    }
    QVERIFY2(after100 > 0, "no memory sample after 100 images");
    const QJsonObject last = memory.last().toObject();
    QCOMPARE(last.value("images_done").toInt(), Images);
    const double end = last.value("rss_bytes").toDouble();
    const double growthMiB = (end - after100) / 1048576.0;
    qInfo("RSS after 100 images %.1f MiB, at the end %.1f MiB (%+.2f MiB); wall %.1f s", after100 / 1048576.0,
        end / 1048576.0, growthMiB, j.value("summary").toObject().value("wall_ms").toDouble() / 1000.0);
    QVERIFY2(growthMiB < FewMiB, qPrintable(QStringLiteral("RSS grew %1 MiB").arg(growthMiB)));
    // Streaming frees every image's buffers after its save.
    QCOMPARE(last.value("pixel_bytes_live").toDouble(), 0.0);
}

QTEST_GUILESS_MAIN(TestLongRun)
#include "tst_longrun.moc"
