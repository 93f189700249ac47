// pixelperf-cli and its run history: runs kept and listed, compare by run id
// and with labels, comparisons kept and listed, a history of the previous
// schema migrated, two runs writing one database at once, and databases that
// cannot be used (locked, read-only, damaged, newer): a message naming the
// file, the run completes, its exit code unchanged; `history` exits 2.
#include "clirunner.h"
#include "history/historyschema.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace pixelperf::testing;

class TestCliHistory : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void runsAreKeptAndListed();
    void compareTakesRunIdsAndLabels();
    void comparisonsAreKeptAndListed();
    void previousSchemaIsMigratedToList();
    void memoryGateNeedsRepetitionsInProcessesOfTheirOwn();
    void twoRunsAtOnceLoseNothing();
    void unusableDatabase_data();
    void unusableDatabase();
    void readOnlyFileSystemAndFolder();

private:
    QStringList run(const QString &db, const QStringList &more = {}) const;
    QJsonArray history(const QString &db, const QStringList &more = {}) const;
    QTemporaryDir m_tmp;
    QString m_in;
};

namespace {

QByteArray fileHash(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256)
                                       : QByteArray();
}

} // namespace

QStringList TestCliHistory::run(const QString &db, const QStringList &more) const
{
    return QStringList { QStringLiteral("run"), m_in, QStringLiteral("-o"),
        m_tmp.filePath(QStringLiteral("out")), QStringLiteral("--size"), QStringLiteral("120x80"),
        QStringLiteral("--db"), db }
    + more;
}

QJsonArray TestCliHistory::history(const QString &db, const QStringList &more) const
{
    const ProgramRun r = runCli(
        QStringList { QStringLiteral("history"), QStringLiteral("--db"), db, QStringLiteral("--json") }
        + more);
    if (r.exitCode != 0)
        qWarning("%s", describe(r).constData());
    return QJsonDocument::fromJson(r.out.toUtf8()).array();
}

void TestCliHistory::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    m_in = m_tmp.filePath(QStringLiteral("in"));
    const ProgramRun g = runCli({ QStringLiteral("generate"), m_in, QStringLiteral("--count"),
        QStringLiteral("3"), QStringLiteral("--size"), QStringLiteral("240x160") });
    QVERIFY2(g.exitCode == 0, describe(g).constData());
}

void TestCliHistory::runsAreKeptAndListed()
{
    const QString db = m_tmp.filePath(QStringLiteral("listed/history.sqlite")); // its folder is made
    const ProgramRun none
        = runCli({ QStringLiteral("history"), QStringLiteral("--db"), db, QStringLiteral("--json") });
    QVERIFY2(none.exitCode == 0 && none.out.trimmed() == QLatin1String("[]")
            && none.err.contains(QStringLiteral("no run kept yet")),
        describe(none).constData());
    const ProgramRun first = runCli(
        run(db, { QStringLiteral("--repeat"), QStringLiteral("2"), QStringLiteral("--same-process") }));
    QVERIFY2(first.exitCode == 0, describe(first).constData());
    QVERIFY2(first.out.contains(QStringLiteral("stored: run 1 in %1").arg(db)), describe(first).constData());
    const ProgramRun baseline
        = runCli(run(db, { QStringLiteral("--preset"), QStringLiteral("baseline"), QStringLiteral("-q") }));
    QVERIFY2(baseline.exitCode == 0 && baseline.out.isEmpty(), describe(baseline).constData());
    const ProgramRun kept = runCli(run(db, { QStringLiteral("--no-history") }));
    QVERIFY2(kept.exitCode == 0 && !kept.out.contains(QStringLiteral("stored:")), describe(kept).constData());

    const QJsonArray all = history(db);
    QCOMPARE(all.size(), 2); // newest first; --no-history kept nothing
    QCOMPARE(all[0][QStringLiteral("preset")].toString(), QStringLiteral("naive")); // kept under today's name
    // The old name finds it too (and runs kept under the old name).
    QCOMPARE(history(db, { QStringLiteral("--preset"), QStringLiteral("baseline") }).size(), 1);
    QCOMPARE(history(db, { QStringLiteral("--preset"), QStringLiteral("naive") }).size(), 1);
    const QJsonObject optimized = all[1].toObject();
    QCOMPARE(optimized[QStringLiteral("id")].toInt(), 1);
    QCOMPARE(optimized[QStringLiteral("folder")].toString(), QDir(m_in).absolutePath());
    QCOMPARE(optimized[QStringLiteral("images")].toInt(), 3);
    QCOMPARE(optimized[QStringLiteral("repetitions")].toInt(), 2);
    QVERIFY(optimized[QStringLiteral("ms_per_image")].toDouble() > 0);
    QVERIFY(optimized[QStringLiteral("peak_rss_bytes")].toDouble() > 0);
    QCOMPARE(history(db, { QStringLiteral("--preset"), QStringLiteral("optimized") }).size(), 1);
    QCOMPARE(history(db, { QStringLiteral("--limit"), QStringLiteral("1") }).size(), 1);
    QCOMPARE(history(db, { QStringLiteral("--folder"), m_tmp.path() }).size(), 0);

    const ProgramRun text = runCli({ QStringLiteral("history"), QStringLiteral("--db"), db });
    QVERIFY2(text.exitCode == 0, describe(text).constData());
    QVERIFY2(text.out.contains(QDir(m_in).absolutePath()) && text.out.contains(QStringLiteral("ms/image")),
        describe(text).constData());
}

void TestCliHistory::compareTakesRunIdsAndLabels()
{
    const QString db = m_tmp.filePath(QStringLiteral("compare.sqlite"));
    QDir(m_tmp.path()).mkpath(QStringLiteral("a"));
    QDir(m_tmp.path()).mkpath(QStringLiteral("b"));
    const QString a = m_tmp.filePath(QStringLiteral("a/r.json")),
                  b = m_tmp.filePath(QStringLiteral("b/r.json"));
    QCOMPARE(runCli(run(db, { QStringLiteral("--report"), a })).exitCode, 0);
    QCOMPARE(
        runCli(run(db, { QStringLiteral("--off"), QStringLiteral("lanczos"), QStringLiteral("--report"), b }))
            .exitCode,
        0);

    // Two files of one name are told apart; --label names them.
    const ProgramRun files = runCli({ QStringLiteral("compare"), a, b, QStringLiteral("--no-history") });
    QVERIFY2(files.exitCode == 0 && files.out.contains(QStringLiteral("r (A)"))
            && files.out.contains(QStringLiteral("r (B)")),
        describe(files).constData());
    const ProgramRun labelled = runCli({ QStringLiteral("compare"), a, b, QStringLiteral("--label"),
        QStringLiteral("A=main"), QStringLiteral("--label=B=topic"), QStringLiteral("--db"), db });
    QVERIFY2(labelled.exitCode == 0 && labelled.out.contains(QStringLiteral("main"))
            && labelled.out.contains(QStringLiteral("topic")),
        describe(labelled).constData());

    // A run of the history by its id, against a file.
    const ProgramRun byId
        = runCli({ QStringLiteral("compare"), QStringLiteral("1"), b, QStringLiteral("--db"), db });
    QVERIFY2(byId.exitCode == 0 && byId.out.contains(QStringLiteral("run 1"))
            && byId.out.contains(QStringLiteral("lanczos: on -> off")),
        describe(byId).constData());
    const ProgramRun missing
        = runCli({ QStringLiteral("compare"), QStringLiteral("99"), b, QStringLiteral("--db"), db });
    QCOMPARE(missing.exitCode, 2);
    QVERIFY2(missing.err.contains(QStringLiteral("has no run 99")) && missing.err.contains(db),
        describe(missing).constData());
    const ProgramRun badLabel
        = runCli({ QStringLiteral("compare"), a, b, QStringLiteral("--label"), QStringLiteral("C=x") });
    QCOMPARE(badLabel.exitCode, 2);
}

void TestCliHistory::comparisonsAreKeptAndListed()
{
    const QString db = m_tmp.filePath(QStringLiteral("comparisons.sqlite"));
    const QString file = m_tmp.filePath(QStringLiteral("comparisons-b.json"));
    QCOMPARE(runCli(run(db, { QStringLiteral("-q") })).exitCode, 0);
    QCOMPARE(runCli(run(db, { QStringLiteral("-q"), QStringLiteral("--report"), file })).exitCode, 0);
    auto compare = [&](const QString &a, const QString &b) {
        const ProgramRun r = runCli({ QStringLiteral("compare"), a, b, QStringLiteral("--db"), db });
        QVERIFY2(r.exitCode == 0, describe(r).constData());
    };
    // Two runs of the history: kept once, whichever is A; a file: each time.
    compare(QStringLiteral("1"), QStringLiteral("2"));
    compare(QStringLiteral("1"), QStringLiteral("2"));
    compare(QStringLiteral("2"), QStringLiteral("1"));
    compare(QStringLiteral("1"), file);
    const QJsonArray all = history(db, { QStringLiteral("--comparisons") });
    QCOMPARE(all.size(), 2);
    const QJsonObject withFile = all[0].toObject(), ofRuns = all[1].toObject(); // newest first
    QCOMPARE(ofRuns[QStringLiteral("run_a")].toInt(), 1);
    QCOMPARE(ofRuns[QStringLiteral("run_b")].toInt(), 2);
    QCOMPARE(ofRuns[QStringLiteral("label_a")].toString(), QStringLiteral("run 1"));
    QVERIFY(ofRuns[QStringLiteral("speedup")].toDouble() > 0);
    QVERIFY(!ofRuns[QStringLiteral("verdict")].toString().isEmpty());
    QVERIFY(withFile[QStringLiteral("run_b")].isNull());
    QCOMPARE(withFile[QStringLiteral("source_b")].toString(), QFileInfo(file).absoluteFilePath());
    QCOMPARE(history(db, { QStringLiteral("--comparisons"), QStringLiteral("--limit"), QStringLiteral("1") })
                 .size(),
        1);
    // The runs' list is unchanged by it.
    QCOMPARE(history(db).size(), 2);

    const ProgramRun text
        = runCli({ QStringLiteral("history"), QStringLiteral("--db"), db, QStringLiteral("--comparisons") });
    QVERIFY2(text.exitCode == 0 && text.out.contains(QStringLiteral("speedup"))
            && text.out.contains(QStringLiteral("run 2")) && text.out.contains(QFileInfo(file).fileName()),
        describe(text).constData());
    const ProgramRun filtered = runCli({ QStringLiteral("history"), QStringLiteral("--db"), db,
        QStringLiteral("--comparisons"), QStringLiteral("--folder"), m_in });
    QVERIFY2(filtered.exitCode == 2 && filtered.err.contains(QStringLiteral("--folder")),
        describe(filtered).constData());
}

void TestCliHistory::previousSchemaIsMigratedToList()
{
    // A history of the previous schema version, as that version left it.
    const QString db = m_tmp.filePath(QStringLiteral("version1.sqlite"));
    const QString connection = QStringLiteral("version1");
    {
        QSqlDatabase old = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        old.setDatabaseName(db);
        QVERIFY(old.open());
        QString error;
        QVERIFY2(pixelperf::history::migrate(old, 1, 0, &error), qPrintable(error));
        old.close();
    }
    QSqlDatabase::removeDatabase(connection);
    // history reads it (migrated first), and a run is kept in it.
    const ProgramRun listed
        = runCli({ QStringLiteral("history"), QStringLiteral("--db"), db, QStringLiteral("--json") });
    QVERIFY2(listed.exitCode == 0 && QJsonDocument::fromJson(listed.out.toUtf8()).isArray()
            && QJsonDocument::fromJson(listed.out.toUtf8()).array().isEmpty(),
        describe(listed).constData());
    QCOMPARE(runCli(run(db, { QStringLiteral("-q") })).exitCode, 0);
    QCOMPARE(history(db).size(), 1);
}

void TestCliHistory::memoryGateNeedsRepetitionsInProcessesOfTheirOwn()
{
    // Four repetitions a side, each side in one process: the repetitions
    // carry nothing of how two processes differ, so no memory verdict, as
    // none on time; the gate does not fail.
    const QString db = m_tmp.filePath(QStringLiteral("memgate.sqlite"));
    const QString a = m_tmp.filePath(QStringLiteral("memgate-a.json")),
                  b = m_tmp.filePath(QStringLiteral("memgate-b.json"));
    for (const QString &report : { a, b })
        QCOMPARE(
            runCli(run(db,
                       { QStringLiteral("--repeat"), QStringLiteral("4"), QStringLiteral("--same-process"),
                           QStringLiteral("--quiet"), QStringLiteral("--report"), report }))
                .exitCode,
            0);
    const ProgramRun gate = runCli({ QStringLiteral("compare"), a, b, QStringLiteral("--no-history"),
        QStringLiteral("--fail-if-more-memory"), QStringLiteral("0") });
    QVERIFY2(gate.exitCode == 0, describe(gate).constData());
    QVERIFY2(
        gate.err.contains(QStringLiteral("--fail-if-more-memory: no verdict")), describe(gate).constData());
}

void TestCliHistory::twoRunsAtOnceLoseNothing()
{
    const QString db = m_tmp.filePath(QStringLiteral("together.sqlite"));
    constexpr int Runs = 3;
    std::vector<std::unique_ptr<QProcess>> processes;
    for (int i = 0; i < Runs; ++i) {
        auto p = std::make_unique<QProcess>();
        p->start(QStringLiteral(PIXELPERF_CLI_PATH),
            QStringList { QStringLiteral("run"), m_in, QStringLiteral("-o"),
                m_tmp.filePath(QStringLiteral("together-%1").arg(i)), QStringLiteral("--size"),
                QStringLiteral("120x80"), QStringLiteral("--db"), db, QStringLiteral("--repeat"),
                QStringLiteral("3"), QStringLiteral("--same-process"), QStringLiteral("-q") });
        processes.push_back(std::move(p));
    }
    for (auto &p : processes) {
        QVERIFY(p->waitForFinished(120000));
        const QByteArray said = p->readAllStandardError();
        QVERIFY2(p->exitCode() == 0 && said.isEmpty(),
            qPrintable(QStringLiteral("exit %1: %2").arg(p->exitCode()).arg(QString::fromLocal8Bit(said))));
    }
    const QJsonArray all = history(db);
    QCOMPARE(all.size(), Runs);
    for (const QJsonValue &v : all)
        QCOMPARE(v[QStringLiteral("repetitions")].toInt(), 3);
}

void TestCliHistory::unusableDatabase_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("message");
    QTest::newRow("locked") << "locked"
                            << "is locked by another program";
    QTest::newRow("read-only") << "read-only"
                               << "is read-only";
    QTest::newRow("damaged") << "damaged"
                             << "is not an SQLite database or is damaged";
    QTest::newRow("newer") << "newer"
                           << "newer than this PixelPerf's";
}

void TestCliHistory::unusableDatabase()
{
    QFETCH(QString, kind);
    QFETCH(QString, message);
    const QString db = m_tmp.filePath(kind + QStringLiteral(".sqlite"));
    if (kind == QLatin1String("damaged")) {
        QFile f(db);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(8192, 'x'));
    } else {
        QCOMPARE(runCli(run(db, { QStringLiteral("-q") })).exitCode, 0);
    }
    const QString connection = QStringLiteral("other-program");
    {
        QSqlDatabase other = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        other.setDatabaseName(db);
        QVERIFY(other.open());
    }
    QSqlQuery other(QSqlDatabase::database(connection));
    if (kind == QLatin1String("locked"))
        QVERIFY(other.exec(QStringLiteral("BEGIN IMMEDIATE"))); // another program writing, past the wait
    if (kind == QLatin1String("newer"))
        QVERIFY(other.exec(QStringLiteral("PRAGMA user_version = 999")));
    if (kind == QLatin1String("newer")) {
        // Closed, as the newer program that wrote it would be: its changes are in the file itself.
        other = QSqlQuery();
        QSqlDatabase::database(connection, false).close();
    }
    if (kind == QLatin1String("read-only"))
        QVERIFY(QFile::setPermissions(db, QFileDevice::ReadOwner | QFileDevice::ReadGroup));
    const QByteArray before = fileHash(db);

    const QString report = m_tmp.filePath(kind + QStringLiteral(".json"));
    const ProgramRun r = runCli(run(db, { QStringLiteral("--report"), report }));
    QVERIFY2(r.exitCode == 0, describe(r).constData()); // the run completed: its exit code is the run's
    QVERIFY2(r.err.contains(message) && r.err.contains(db) && r.err.contains(QStringLiteral("history off")),
        describe(r).constData());
    QVERIFY2(
        r.out.contains(QStringLiteral("3 of 3 images ok")) && QFile::exists(report), describe(r).constData());
    QCOMPARE(fileHash(db), before);

    const ProgramRun listed = runCli({ QStringLiteral("history"), QStringLiteral("--db"), db });
    if (kind == QLatin1String("damaged") || kind == QLatin1String("newer")) {
        QCOMPARE(listed.exitCode, 2);
        QVERIFY2(listed.err.contains(message), describe(listed).constData());
    } else {
        // Locked for writing or read-only: still readable.
        QVERIFY2(listed.exitCode == 0 && listed.out.contains(QDir(m_in).absolutePath()),
            describe(listed).constData());
    }
    if (kind == QLatin1String("locked"))
        QVERIFY(other.exec(QStringLiteral("ROLLBACK")));
    other.finish();
    other = QSqlQuery();
    QSqlDatabase::database(connection, false).close();
    QSqlDatabase::removeDatabase(connection);
    QFile::setPermissions(db, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

// A history on a read-only file system (a mounted backup) is still listed:
// SQLite cannot make the file a WAL database is read through, so it is read
// as immutable. A folder given as the history is named as one.
void TestCliHistory::readOnlyFileSystemAndFolder()
{
    const ProgramRun folder = runCli({ QStringLiteral("history"), QStringLiteral("--db"), m_tmp.path() });
    QCOMPARE(folder.exitCode, 2);
    QVERIFY2(
        folder.err.contains(QStringLiteral("is a folder, not a history file")), describe(folder).constData());

    const QString source = m_tmp.filePath(QStringLiteral("backup"));
    const QString mounted = m_tmp.filePath(QStringLiteral("mounted"));
    QVERIFY(QDir().mkpath(source) && QDir().mkpath(mounted));
    QCOMPARE(runCli(run(source + QStringLiteral("/history.sqlite"), { QStringLiteral("-q") })).exitCode, 0);
    const QString unshare = QStandardPaths::findExecutable(QStringLiteral("unshare"));
    if (unshare.isEmpty())
        QSKIP("no unshare here");
    // `history` on a read-only bind mount of `source`, in a mount namespace
    // of its own, so the mount goes with it.
    auto listMounted = [&] {
        return runProgram(unshare,
            { QStringLiteral("-m"), QStringLiteral("sh"), QStringLiteral("-c"),
                QStringLiteral(
                    "mount --bind \"$1\" \"$2\" && mount -o remount,bind,ro \"$2\" || exit 99; shift 2; "
                    "exec \"$@\""),
                QStringLiteral("sh"), source, mounted, QStringLiteral(PIXELPERF_CLI_PATH),
                QStringLiteral("history"), QStringLiteral("--db"),
                mounted + QStringLiteral("/history.sqlite") });
    };
    const ProgramRun r = listMounted();
    if (r.exitCode == 99 || r.err.contains(QStringLiteral("unshare")))
        QSKIP("cannot mount here (needs root and mount namespaces)");
    QVERIFY2(r.exitCode == 0 && r.out.contains(QDir(m_in).absolutePath()), describe(r).constData());

    // With a write-ahead log beside it (a copy taken while PixelPerf wrote),
    // reading the file alone would miss runs: refused, and said why.
    QFile wal(source + QStringLiteral("/history.sqlite-wal"));
    QVERIFY(wal.open(QIODevice::WriteOnly) && wal.write(QByteArray(4096, '\0')) == 4096);
    wal.close();
    const ProgramRun withLog = listMounted();
    QVERIFY2(withLog.exitCode == 2 && withLog.err.contains(QStringLiteral("write-ahead log")),
        describe(withLog).constData());
}

QTEST_GUILESS_MAIN(TestCliHistory)
#include "tst_cli_history.moc"
