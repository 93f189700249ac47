// SIGINT and SIGTERM to pixelperf-cli in the middle of a run: it stops within
// a second, exits 1, leaves only complete outputs under their final names,
// and still writes the report of what was done, marked cancelled.
#include "clirunner.h"
#include "pipeline/stages/load.h"
#include "testimages.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <sys/types.h>
#include <unistd.h>

using namespace pixelperf;
using namespace pixelperf::testing;

namespace {

constexpr int Images = 60;

QStringList entriesOf(const QString &dir)
{
    QStringList names
        = QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    names.sort();
    return names;
}

} // namespace

class TestCliCancel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void signalStopsTheRun_data();
    void signalStopsTheRun();

private:
    QTemporaryDir m_tmp;
    QString m_in;
};

void TestCliCancel::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    // Four pictures under sixty names: generating is slower than copying.
    const GenerateResult g = generateSamples(m_tmp.filePath("four"), 4, 640, 400, 21);
    QVERIFY2(g.error.isEmpty(), qPrintable(g.error));
    m_in = m_tmp.filePath("in");
    QVERIFY(QDir().mkpath(m_in));
    for (int i = 0; i < Images; ++i)
        QVERIFY(QFile::copy(g.written[i % g.written.size()],
            QDir(m_in).filePath(QStringLiteral("photo_%1.jpg").arg(i + 1, 3, 10, QLatin1Char('0')))));
}

void TestCliCancel::signalStopsTheRun_data()
{
    QTest::addColumn<int>("signal");
    QTest::addColumn<QStringList>("options");
    // To the whole process group, as a Ctrl+C at the terminal is sent.
    QTest::addColumn<bool>("group");
    // The baseline: one image at a time, about a second each at the default
    // 800x600 (most of it in the naive blur, which must notice the signal
    // mid-image). The parallel row keeps the naive blur on two workers.
    const QStringList baseline = { "--preset", "baseline" };
    const QStringList parallel
        = { "--preset", "optimized", "--off", "separable-blur,decode-cache", "--jobs", "2" };
    QTest::newRow("SIGINT, baseline") << int(SIGINT) << baseline << false;
    QTest::newRow("SIGTERM, baseline") << int(SIGTERM) << baseline << false;
    QTest::newRow("SIGINT, parallel naive blur") << int(SIGINT) << parallel << false;
    // Repetitions each in a fresh process: the signal reaches the parent,
    // which stops its child; the child's report of what it did is kept.
    QTest::newRow("SIGINT, repetitions in child processes")
        << int(SIGINT) << (baseline + QStringList { "--repeat", "2" }) << false;
    // The child is outside the terminal's group, or it would take the
    // parent's SIGTERM for a second interrupt and end without its report.
    QTest::newRow("Ctrl+C, repetitions in child processes")
        << int(SIGINT) << (baseline + QStringList { "--repeat", "2" }) << true;
}

void TestCliCancel::signalStopsTheRun()
{
    QFETCH(int, signal);
    QFETCH(QStringList, options);
    QFETCH(bool, group);
    const QString tag
        = QString::fromLatin1(QTest::currentDataTag()).replace(QRegularExpression("[^A-Za-z]+"), "-");
    const QString out = m_tmp.filePath("out-" + tag);
    const QString report = m_tmp.filePath("report-" + tag + ".json");

    QProcess cli;
    cli.setProgram(QStringLiteral(PIXELPERF_CLI_PATH));
    cli.setArguments(QStringList { "run", m_in, "-o", out, "--report", report, "--quiet" } + options);
    if (group)
        cli.setChildProcessModifier([] { ::setpgid(0, 0); }); // the terminal's group, without this test
    cli.start();
    QVERIFY(cli.waitForStarted());
    // Work has started once the first output is there.
    const QRegularExpression finalName(QStringLiteral("^processed_photo_\\d{3}\\.jpg$"));
    auto outputs = [&] {
        QStringList done;
        for (const QString &name : entriesOf(out))
            if (finalName.match(name).hasMatch())
                done << name;
        return done;
    };
    QTRY_VERIFY_WITH_TIMEOUT(!outputs().isEmpty() || cli.state() == QProcess::NotRunning, 60000 * TimeScale);
    QVERIFY2(cli.state() == QProcess::Running, "the run ended before it could be interrupted");

    QElapsedTimer stopping;
    stopping.start();
    QVERIFY(::kill(group ? -pid_t(cli.processId()) : pid_t(cli.processId()), signal) == 0);
    QVERIFY(cli.waitForFinished(10000 * TimeScale));
    const qint64 ms = stopping.elapsed();
    const QString err = QString::fromUtf8(cli.readAllStandardError());
    QCOMPARE(cli.exitStatus(), QProcess::NormalExit);
    QVERIFY2(cli.exitCode() == 1, qPrintable(err));
    QVERIFY2(ms < 1000 * TimeScale, qPrintable(QStringLiteral("took %1 ms to stop").arg(ms)));
    QVERIFY2(err.contains(QLatin1String("cancelled")), qPrintable(err));
    if (options.contains(QLatin1String("--repeat")))
        QVERIFY2(
            err.contains(QLatin1String("0 of 2 repetitions done, the last stopped after")), qPrintable(err));
    qInfo("stopped %lld ms after the signal", ms);

    // The report of what was done, marked cancelled.
    const QJsonObject j = readJsonFile(report);
    QVERIFY2(!j.isEmpty(), "no report written");
    const QJsonObject s = j.value("summary").toObject();
    QVERIFY(s.value("cancelled").toBool());
    QCOMPARE(s.value("images_total").toInt(), Images);
    const int ok = s.value("images_ok").toInt();
    QVERIFY(ok >= 1);
    QVERIFY2(ok < Images, "every image was done: the signal came too late to test anything");
    QCOMPARE(s.value("images_failed").toInt(), 0);
    QCOMPARE(s.value("images_cancelled").toInt(), Images - ok);
    int cancelled = 0;
    for (const QJsonValue &v : j.value("images").toArray()) {
        const QJsonObject im = v.toObject();
        if (im.value("ok").toBool()) {
            QVERIFY(QFileInfo::exists(im.value("output").toString()));
        } else {
            QVERIFY(im.value("cancelled").toBool());
            QVERIFY(im.value("output").toString().isEmpty());
            ++cancelled;
        }
    }
    QCOMPARE(cancelled, Images - ok);

    // Only complete outputs under their final names: no temporary file of an
    // interrupted save, no write probe; each one decodes in full.
    const QStringList entries = entriesOf(out);
    QCOMPARE(int(entries.size()), ok);
    for (const QString &name : entries) {
        QVERIFY2(finalName.match(name).hasMatch(), qPrintable(name));
        const LoadResult written = loadImage(QDir(out).filePath(name), LoadRequest {}, false);
        QVERIFY2(written.image, qPrintable(name + ": " + written.error));
        QCOMPARE(written.image->pixels.width(), 800);
    }
    // Nothing beside the report either (no temporary file of its own).
    for (const QString &name : entriesOf(m_tmp.path()))
        QVERIFY2(!name.startsWith(QLatin1String("report-")) || name.endsWith(QLatin1String(".json")),
            qPrintable(name));
}

QTEST_GUILESS_MAIN(TestCliCancel)
#include "tst_cli_cancel.moc"
