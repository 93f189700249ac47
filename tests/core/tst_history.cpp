// The run history (core/history): a run stored and read back as it was,
// the list's filters and paging, rename/annotate/delete, the trend; and
// every database a user can hand it that cannot be used (locked, read-only,
// damaged, from a newer version, someone else's), each with a message
// saying what and where, the file left as it was.
#include "history/historystore.h"
#include "measure/ablation.h"
#include "measure/runcomparison.h"
#include "pipeline/pipeline.h"
#include "reports/reportwriter.h"
#include "samples/samplegenerator.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtConcurrent>
#include <QtTest>

using namespace pixelperf;

class TestHistory : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void runIsStoredAndReadBackAsItWas();
    void listFiltersAndPages();
    void renameAnnotateDelete();
    void trendFollowsOneConfigurationOnOneFolder();
    void ablationAndComparisonAreKept();
    void lockedDatabaseSaysSo();
    void readOnlyDatabaseIsNotWritten();
    void damagedDatabaseIsLeftAsItIs();
    void newerSchemaIsLeftAsItIs();
    void foreignDatabaseIsLeftAsItIs();
    void threadsWritingAtOnceLoseNothing();

private:
    PipelineConfig config(bool separableBlur) const;
    QString dbPath(const QString &name) const { return m_tmp.filePath(name); }
    QTemporaryDir m_tmp;
    QString m_in;
    std::vector<RunResult> m_repeats; // three repetitions of the optimized preset
};

namespace {

QByteArray fileHash(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

// A connection of the test's own, as another program would have.
struct RawConnection {
    explicit RawConnection(const QString &path)
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        db.open();
    }
    ~RawConnection()
    {
        QSqlDatabase::database(name, false).close();
        QSqlDatabase::removeDatabase(name);
    }
    bool exec(const QString &sql)
    {
        QSqlQuery q(QSqlDatabase::database(name));
        return q.exec(sql);
    }
    QString name = QStringLiteral("test-raw-%1").arg(quintptr(this));
};

} // namespace

PipelineConfig TestHistory::config(bool separableBlur) const
{
    PipelineConfig c;
    c.inputDir = m_in;
    c.outputDir = m_tmp.filePath(QStringLiteral("out"));
    c.params.width = 96;
    c.params.height = 64;
    c.params.jobs = 2;
    c.toggles.set(ToggleId::SeparableBlur, separableBlur);
    return c;
}

void TestHistory::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    m_in = m_tmp.filePath(QStringLiteral("in"));
    QVERIFY(generateSamples(m_in, 3, 160, 120, 7).error.isEmpty());
    for (int i = 0; i < 3; ++i)
        m_repeats.push_back(PipelineRun::runBlocking(config(true)));
    QCOMPARE(m_repeats.back().summary.imagesOk, 3);
    QVERIFY(!m_repeats.back().memory.empty());
}

void TestHistory::runIsStoredAndReadBackAsItWas()
{
    HistoryStore store;
    QVERIFY2(store.open(dbPath(QStringLiteral("roundtrip/history.sqlite"))), qPrintable(store.error()));
    const std::optional<qint64> id = store.addRun(m_repeats.back(), m_repeats, QStringLiteral("first"));
    QVERIFY2(id, qPrintable(store.error()));

    const LoadedReport back = store.readRun(*id);
    QVERIFY2(back.error.isEmpty(), qPrintable(back.error));
    // The report made again from what was read equals the report of the run.
    QCOMPARE(ReportWriter::toJson(back.run, back.repeats), ReportWriter::toJson(m_repeats.back(), m_repeats));
    QCOMPARE(back.run.memory.size(), m_repeats.back().memory.size());
    QCOMPARE(back.repeats.size(), size_t(3));

    const std::optional<HistoryRunEntry> entry = store.runEntry(*id);
    QVERIFY(entry);
    std::vector<double> msPerImage;
    for (const RunResult &r : m_repeats)
        msPerImage.push_back(r.summary.msPerImage());
    QCOMPARE(entry->msPerImage, median(msPerImage));
    QCOMPARE(entry->folder, QFileInfo(m_in).absoluteFilePath());
    QCOMPARE(entry->preset, QStringLiteral("optimized"));
    QCOMPARE(entry->toggles, QStringLiteral("optimized"));
    QCOMPARE(entry->images, 3);
    QCOMPARE(entry->repetitions, 3);
    QCOMPARE(entry->name, QStringLiteral("first"));
    QCOMPARE(entry->startedAt, m_repeats.back().startedAt);

    // A second connection (another process would have one) sees it: committed.
    HistoryStore reader;
    QVERIFY(reader.open(store.path(), HistoryStore::Access::ReadOnly));
    QCOMPARE(reader.listRuns()->size(), size_t(1));
    QVERIFY(!store.readRun(*id + 1).error.isEmpty());
}

void TestHistory::listFiltersAndPages()
{
    HistoryStore store;
    QVERIFY(store.open(dbPath(QStringLiteral("list.sqlite"))));
    RunResult other = m_repeats.back();
    other.config.inputDir = m_tmp.filePath(QStringLiteral("elsewhere"));
    RunResult slow = PipelineRun::runBlocking(config(false));
    for (int i = 0; i < 3; ++i) {
        QVERIFY(store.addRun(m_repeats[size_t(i)], {}));
        QVERIFY(store.addRun(other, {}));
    }
    QVERIFY(store.addRun(slow, {}));
    QCOMPARE(store.listRuns()->size(), size_t(7));
    HistoryFilter byFolder;
    byFolder.folder = m_in;
    QCOMPARE(store.listRuns(byFolder)->size(), size_t(4));
    HistoryFilter byPreset;
    byPreset.preset = QStringLiteral("custom");
    const auto custom = store.listRuns(byPreset);
    QCOMPARE(custom->size(), size_t(1));
    QCOMPARE(custom->front().toggles, QStringLiteral("optimized, off: separable-blur"));
    // Newest first, in pages.
    HistoryFilter page;
    page.limit = 3;
    page.offset = 3;
    const auto second = store.listRuns(page);
    QCOMPARE(second->size(), size_t(3));
    const auto all = store.listRuns();
    QCOMPARE(second->front().id, (*all)[3].id);
    QVERIFY(all->front().startedAt >= all->back().startedAt);
    HistoryFilter future;
    future.from = QDateTime::currentDateTime().addDays(1);
    QVERIFY(store.listRuns(future)->empty());
}

void TestHistory::renameAnnotateDelete()
{
    HistoryStore store;
    QVERIFY(store.open(dbPath(QStringLiteral("edit.sqlite"))));
    const qint64 id = *store.addRun(m_repeats.back(), m_repeats);
    QVERIFY(store.renameRun(id, QStringLiteral("before the fix")));
    QVERIFY(store.annotateRun(id, QStringLiteral("laptop on battery")));
    QCOMPARE(store.runEntry(id)->name, QStringLiteral("before the fix"));
    QCOMPARE(store.runEntry(id)->note, QStringLiteral("laptop on battery"));
    QVERIFY(!store.renameRun(id + 100, QStringLiteral("x")));
    QVERIFY2(store.error().contains(QStringLiteral("has no run")), qPrintable(store.error()));
    QVERIFY(store.deleteRun(id));
    QVERIFY(store.listRuns()->empty());
    // Its repetitions, stages and memory went with it.
    RawConnection raw(store.path());
    QSqlQuery q(QSqlDatabase::database(raw.name));
    QVERIFY(q.exec(
        QStringLiteral("SELECT (SELECT count(*) FROM repetitions) + (SELECT count(*) FROM stage_stats) "
                       "+ (SELECT count(*) FROM memory_samples)")));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), 0);
}

void TestHistory::trendFollowsOneConfigurationOnOneFolder()
{
    HistoryStore store;
    QVERIFY(store.open(dbPath(QStringLiteral("trend.sqlite"))));
    QVERIFY(store.addRun(m_repeats.back(), m_repeats));
    QVERIFY(store.addRun(PipelineRun::runBlocking(config(false)), {})); // another configuration
    QVERIFY(store.addRun(m_repeats.front(), {}));
    const QString key = store.listRuns()->back().configKey;
    QCOMPARE(key, configurationKey(config(true)));
    const std::optional<std::vector<TrendPoint>> points = store.trend(key, m_in);
    QVERIFY(points);
    QCOMPARE(points->size(), size_t(2));
    // Oldest first: the single run started before the last of the three repetitions.
    QCOMPARE(points->front().imagesPerSecond.n, 1);
    QCOMPARE(points->front().imagesPerSecond.median, m_repeats.front().summary.imagesPerSecond);
    QCOMPARE(points->back().imagesPerSecond.n, 3);
    QCOMPARE(points->back().startedAt, m_repeats.back().startedAt);
    QVERIFY(points->back().imagesPerSecond.min <= points->back().imagesPerSecond.median);
    QVERIFY(points->back().imagesPerSecond.median <= points->back().imagesPerSecond.max);
    QVERIFY(store.trend(key, m_tmp.filePath(QStringLiteral("elsewhere")))->empty());
}

void TestHistory::ablationAndComparisonAreKept()
{
    HistoryStore store;
    QVERIFY(store.open(dbPath(QStringLiteral("kinds.sqlite"))));
    const qint64 a = *store.addRun(m_repeats.back(), m_repeats);
    AblationResult ablation;
    ablation.config = config(true);
    ablation.plan.rounds = 2;
    const std::optional<qint64> ablationId = store.addAblation(ablation);
    QVERIFY2(ablationId, qPrintable(store.error()));
    QCOMPARE(store.listAblations()->front().rounds, 2);
    QCOMPARE(store.readAblation(*ablationId)->value(QStringLiteral("schema")).toString(),
        QStringLiteral("pixelperf-ablation/2"));
    const RunComparison c = compareRuns(
        m_repeats.back(), m_repeats, m_repeats.back(), m_repeats, QStringLiteral("x"), QStringLiteral("y"));
    QVERIFY(store.addComparison(c, { a, {} }, { 0, QStringLiteral("/tmp/b.json") }));
    const auto comparisons = store.listComparisons();
    QCOMPARE(comparisons->size(), size_t(1));
    QCOMPARE(comparisons->front().runA, a);
    QCOMPARE(comparisons->front().runB, 0);
    QCOMPARE(comparisons->front().labelB, QStringLiteral("y"));
    // Deleting a compared run keeps the comparison, without its link.
    QVERIFY(store.deleteRun(a));
    QCOMPARE(store.listComparisons()->front().runA, 0);
}

void TestHistory::lockedDatabaseSaysSo()
{
    const QString path = dbPath(QStringLiteral("locked.sqlite"));
    {
        HistoryStore create;
        QVERIFY(create.open(path));
    }
    RawConnection other(path);
    QVERIFY(other.exec(QStringLiteral("BEGIN IMMEDIATE"))); // another program is writing
    HistoryStore store;
    QElapsedTimer waited;
    waited.start();
    const bool stored
        = store.open(path, HistoryStore::Access::ReadWrite, 300) && store.addRun(m_repeats.back(), {});
    QVERIFY(!stored);
    QVERIFY2(
        store.error().contains(QStringLiteral("is locked by another program")), qPrintable(store.error()));
    QVERIFY2(store.error().contains(path), qPrintable(store.error()));
    QVERIFY(waited.elapsed() >= 250); // it waited for the other writer first
    // Readers are not blocked by a writer (WAL).
    HistoryStore reader;
    QVERIFY2(reader.open(path, HistoryStore::Access::ReadOnly), qPrintable(reader.error()));
    QVERIFY(reader.listRuns());
    QVERIFY(other.exec(QStringLiteral("ROLLBACK")));
    HistoryStore after;
    QVERIFY2(after.open(path, HistoryStore::Access::ReadWrite, 300) && after.addRun(m_repeats.back(), {}),
        qPrintable(after.error()));
}

void TestHistory::readOnlyDatabaseIsNotWritten()
{
    const QString path = dbPath(QStringLiteral("readonly.sqlite"));
    {
        HistoryStore create;
        QVERIFY(create.open(path));
        QVERIFY(create.addRun(m_repeats.back(), {}));
    }
    QVERIFY(QFile::setPermissions(
        path, QFileDevice::ReadOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther));
    const QByteArray before = fileHash(path);
    HistoryStore store;
    QVERIFY(!store.open(path));
    QVERIFY2(store.error().contains(QStringLiteral("is read-only")), qPrintable(store.error()));
    QVERIFY2(store.error().contains(path), qPrintable(store.error()));
    QCOMPARE(fileHash(path), before);
    // It can still be read.
    HistoryStore reader;
    QVERIFY2(reader.open(path, HistoryStore::Access::ReadOnly), qPrintable(reader.error()));
    QCOMPARE(reader.listRuns()->size(), size_t(1));
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

void TestHistory::damagedDatabaseIsLeftAsItIs()
{
    const QString path = dbPath(QStringLiteral("damaged.sqlite"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray("this was a history once, then a text editor saved over it\n").repeated(200));
    f.close();
    const QByteArray before = fileHash(path);
    for (HistoryStore::Access access : { HistoryStore::Access::ReadWrite, HistoryStore::Access::ReadOnly }) {
        HistoryStore store;
        QVERIFY(!store.open(path, access));
        QVERIFY2(store.error().contains(QStringLiteral("is not an SQLite database or is damaged")),
            qPrintable(store.error()));
        QVERIFY2(store.error().contains(path), qPrintable(store.error()));
    }
    QCOMPARE(fileHash(path), before);
}

void TestHistory::newerSchemaIsLeftAsItIs()
{
    const QString path = dbPath(QStringLiteral("newer.sqlite"));
    {
        HistoryStore create;
        QVERIFY(create.open(path));
    }
    {
        RawConnection newer(path);
        QVERIFY(newer.exec(QStringLiteral("PRAGMA user_version = %1").arg(HistoryStore::SchemaVersion + 1)));
    }
    HistoryStore store;
    QVERIFY(!store.open(path));
    QVERIFY2(store.error().contains(QStringLiteral("has schema version %1, newer than this PixelPerf's (%2)")
                                        .arg(HistoryStore::SchemaVersion + 1)
                                        .arg(HistoryStore::SchemaVersion)),
        qPrintable(store.error()));
    RawConnection check(path);
    QSqlQuery q(QSqlDatabase::database(check.name));
    QVERIFY(q.exec(QStringLiteral("PRAGMA user_version")) && q.next());
    QCOMPARE(q.value(0).toInt(), HistoryStore::SchemaVersion + 1);
}

void TestHistory::foreignDatabaseIsLeftAsItIs()
{
    const QString path = dbPath(QStringLiteral("foreign.sqlite"));
    {
        RawConnection foreign(path);
        QVERIFY(foreign.exec(QStringLiteral("CREATE TABLE contacts (name TEXT)")));
    }
    const QByteArray before = fileHash(path);
    HistoryStore store;
    QVERIFY(!store.open(path));
    QVERIFY2(store.error().contains(QStringLiteral("not a PixelPerf history")), qPrintable(store.error()));
    QCOMPARE(fileHash(path), before);
}

void TestHistory::threadsWritingAtOnceLoseNothing()
{
    const QString path = dbPath(QStringLiteral("threads.sqlite"));
    constexpr int Threads = 4;
    constexpr int RunsEach = 8;
    const RunResult run = m_repeats.back();
    QThreadPool pool;
    pool.setMaxThreadCount(Threads);
    QList<QFuture<QString>> writers;
    for (int t = 0; t < Threads; ++t) {
        writers << QtConcurrent::run(&pool, [&] {
            HistoryStore store; // a connection of this thread's own
            if (!store.open(path))
                return store.error();
            for (int i = 0; i < RunsEach; ++i)
                if (!store.addRun(run, m_repeats))
                    return store.error();
            return QString();
        });
    }
    for (QFuture<QString> &w : writers)
        QVERIFY2(w.result().isEmpty(), qPrintable(w.result()));
    HistoryStore store;
    QVERIFY(store.open(path, HistoryStore::Access::ReadOnly));
    QCOMPARE(store.listRuns()->size(), size_t(Threads * RunsEach));
}

QTEST_GUILESS_MAIN(TestHistory)
#include "tst_history.moc"
