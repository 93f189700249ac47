// compare's regression gate as CI uses it: --fail-if-slower exits 1 on a
// real slowdown (the naive blur, --off separable-blur), naming the stage
// (six repetitions a side: enough for per-stage verdicts after Holm's), and
// 0 on two runs of one configuration (A/A), with the memory gate too. It
// times runs: alone, not under the sanitizers (label timing).
#include "clirunner.h"
#include "samples/samplegenerator.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace pixelperf;
using testing::describe;
using testing::ProgramRun;
using testing::runCli;

class TestCliGate : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void slowdownFailsTheGate();
    void aaPairPassesTheGate();
    void tooFewRepetitionsDoNotFail();

private:
    ProgramRun measure(const QString &report, const QStringList &more, int repeat = 6) const;
    QTemporaryDir m_tmp;
    QString m_photos;
};

ProgramRun TestCliGate::measure(const QString &report, const QStringList &more, int repeat) const
{
    return runCli(QStringList { QStringLiteral("run"), m_photos, QStringLiteral("-o"),
                      m_tmp.filePath(QStringLiteral("out")), QStringLiteral("--repeat"),
                      QString::number(repeat), QStringLiteral("--report"), m_tmp.filePath(report),
                      QStringLiteral("--no-history"), QStringLiteral("-q") }
        + more);
}

void TestCliGate::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    m_photos = m_tmp.filePath(QStringLiteral("photos"));
    const GenerateResult g = generateSamples(m_photos, 4, 1280, 800, 21);
    QVERIFY2(g.error.isEmpty(), qPrintable(g.error));
    const ProgramRun a = measure(QStringLiteral("a.json"), {});
    QVERIFY2(a.exitCode == 0, describe(a).constData());
}

void TestCliGate::slowdownFailsTheGate()
{
    const ProgramRun b
        = measure(QStringLiteral("slow.json"), { QStringLiteral("--off"), QStringLiteral("separable-blur") });
    QVERIFY2(b.exitCode == 0, describe(b).constData());
    const ProgramRun gate = runCli({ QStringLiteral("compare"), m_tmp.filePath(QStringLiteral("a.json")),
        m_tmp.filePath(QStringLiteral("slow.json")), QStringLiteral("--fail-if-slower"), QStringLiteral("5"),
        QStringLiteral("--no-history") });
    QVERIFY2(gate.exitCode == 1, describe(gate).constData());
    QVERIFY2(gate.err.contains(QStringLiteral("regression: slow is")), describe(gate).constData());
    QVERIFY2(gate.err.contains(QStringLiteral("stages: blur +")), describe(gate).constData());
    QVERIFY2(gate.out.contains(QStringLiteral("separable-blur: on -> off")), describe(gate).constData());
    // The other way round it is a speedup: no regression.
    const ProgramRun reverse = runCli({ QStringLiteral("compare"),
        m_tmp.filePath(QStringLiteral("slow.json")), m_tmp.filePath(QStringLiteral("a.json")),
        QStringLiteral("--fail-if-slower"), QStringLiteral("5"), QStringLiteral("--no-history") });
    QVERIFY2(reverse.exitCode == 0 && !reverse.err.contains(QStringLiteral("regression")),
        describe(reverse).constData());
}

void TestCliGate::aaPairPassesTheGate()
{
    // Two runs of one configuration made one after the other: a shared
    // machine can drift between them now and then (see tst_cli_integrity),
    // so up to three attempts; a gate that fails an A/A pair every time fails.
    QString attempts;
    for (int attempt = 1; attempt <= 3; ++attempt) {
        const ProgramRun b = measure(QStringLiteral("aa.json"), {});
        QVERIFY2(b.exitCode == 0, describe(b).constData());
        const ProgramRun gate = runCli({ QStringLiteral("compare"), m_tmp.filePath(QStringLiteral("a.json")),
            m_tmp.filePath(QStringLiteral("aa.json")), QStringLiteral("--fail-if-slower"),
            QStringLiteral("5"), QStringLiteral("--fail-if-more-memory"), QStringLiteral("5"),
            QStringLiteral("--no-history") });
        if (gate.exitCode == 0 && !gate.err.contains(QStringLiteral("no verdict")))
            return;
        attempts += QStringLiteral("attempt %1: %2\n").arg(attempt).arg(QString::fromUtf8(describe(gate)));
    }
    QFAIL(qPrintable(attempts));
}

void TestCliGate::tooFewRepetitionsDoNotFail()
{
    const ProgramRun one = measure(
        QStringLiteral("one.json"), { QStringLiteral("--off"), QStringLiteral("separable-blur") }, 1);
    QVERIFY2(one.exitCode == 0, describe(one).constData());
    const ProgramRun gate = runCli({ QStringLiteral("compare"), m_tmp.filePath(QStringLiteral("a.json")),
        m_tmp.filePath(QStringLiteral("one.json")), QStringLiteral("--fail-if-slower"), QStringLiteral("5"),
        QStringLiteral("--no-history") });
    QVERIFY2(gate.exitCode == 0, describe(gate).constData());
    QVERIFY2(gate.err.contains(QStringLiteral("--fail-if-slower: no verdict (6 and 1 measured repetitions")),
        describe(gate).constData());
}

QTEST_GUILESS_MAIN(TestCliGate)
#include "tst_cli_gate.moc"
