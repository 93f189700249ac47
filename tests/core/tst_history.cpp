// The run history (core/history): a run stored and read back as it was (a
// run of more than 10,000 images as its summary),
// the list's filters and paging, rename/annotate/delete, a deletion hidden
// at once and then undone or purged, a comparison of two stored runs kept
// once, the trend, a database of the previous schema migrated; and
// every database a user can hand it that cannot be used (locked, read-only,
// damaged, from a newer version, someone else's), each with a message
// saying what and where, the file left as it was.
#include "history/historyschema.h"
#include "history/historystore.h"
#include "measure/ablation.h"
#include "measure/runcomparison.h"
#include "pipeline/pipeline.h"
#include "reports/reportwriter.h"
#include "samples/samplegenerator.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
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
    void hugeRunIsKeptAsItsSummary();
    void hugeRunKeepsEverySummaryField();
    void listFiltersAndPages();
    void renameAnnotateDelete();
    void deletionIsHiddenThenUndoneOrPurged();
    void trendFollowsOneConfigurationOnOneFolder();
    void ablationAndComparisonAreKept();
    void comparisonOfTwoStoredRunsIsKeptOnce();
    void previousSchemaIsMigrated();
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

int countOf(const QString &path, const QString &sql)
{
    RawConnection raw(path);
    QSqlQuery q(QSqlDatabase::database(raw.name));
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toInt();
}

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

void TestHistory::hugeRunIsKeptAsItsSummary()
{
    HistoryStore store;
    QVERIFY2(store.open(dbPath(QStringLiteral("huge/history.sqlite"))), qPrintable(store.error()));
    RunResult huge = m_repeats.back();
    while (huge.files.size() <= HistoryStore::FullReportImages)
        huge.files << QDir(m_in).filePath(QStringLiteral("more_%1.jpg").arg(huge.files.size()));
    const std::optional<qint64> id = store.addRun(huge, {});
    QVERIFY2(id, qPrintable(store.error()));
    const LoadedReport back = store.readRun(*id);
    QVERIFY2(back.error.isEmpty(), qPrintable(back.error));
    QVERIFY(back.run.files.isEmpty());
    QVERIFY(back.run.images.empty());
    QVERIFY(back.run.spans.empty());
    QCOMPARE(back.run.summary.imagesOk, huge.summary.imagesOk);
    QCOMPARE(back.run.summary.wallMs, huge.summary.wallMs);
    QCOMPARE(back.run.stages.size(), huge.stages.size());
    QCOMPARE(back.run.stages.front().totalMs, huge.stages.front().totalMs);
    QCOMPARE(back.run.memory.size(), huge.memory.size());
    QCOMPARE(store.runEntry(*id)->msPerImage, huge.summary.msPerImage());

    // At the limit, the run is kept whole.
    huge.files.removeLast();
    const std::optional<qint64> whole = store.addRun(huge, {});
    QVERIFY2(whole, qPrintable(store.error()));
    const LoadedReport full = store.readRun(*whole);
    QVERIFY2(full.error.isEmpty(), qPrintable(full.error));
    QCOMPARE(full.run.spans.size(), huge.spans.size());
    QCOMPARE(full.run.images.size(), huge.images.size());
    QCOMPARE(ReportWriter::toJson(full.run, {}), ReportWriter::toJson(huge, {}));
}

void TestHistory::hugeRunKeepsEverySummaryField()
{
    // A run kept as its summary loses its per-image records and spans, and
    // nothing else: its report read back is the run's own report, those two
    // arrays empty, whatever fields a run has.
    HistoryStore store;
    QVERIFY2(store.open(dbPath(QStringLiteral("huge-fields/history.sqlite"))), qPrintable(store.error()));
    std::vector<RunResult> repeats = m_repeats;
    for (RunResult &r : repeats)
        while (r.files.size() <= HistoryStore::FullReportImages)
            r.files << QDir(m_in).filePath(QStringLiteral("more_%1.jpg").arg(r.files.size()));
    RunResult &last = repeats.back();
    QVERIFY(!HistoryStore::keepsRecordsOf(last));
    QVERIFY(!last.images.empty() && !last.spans.empty() && !last.memory.empty());
    QVERIFY(last.processId != 0 && !last.environment.isEmpty() && last.startedAt.isValid());
    const std::optional<qint64> id = store.addRun(last, repeats);
    QVERIFY2(id, qPrintable(store.error()));
    const LoadedReport back = store.readRun(*id);
    QVERIFY2(back.error.isEmpty(), qPrintable(back.error));

    QJsonObject expected = ReportWriter::toJson(last, repeats);
    expected.insert(QStringLiteral("images"), QJsonArray());
    expected.insert(QStringLiteral("spans"), QJsonArray());
    QCOMPARE(ReportWriter::toJson(back.run, back.repeats), expected);
    QCOMPARE(back.repeats.size(), repeats.size());
    QCOMPARE(back.run.memory.size(), last.memory.size());
    QCOMPARE(back.environment, last.environment);
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
    QVERIFY(store.purgeRuns({ id }));
    // Its repetitions, stages and memory went with it.
    QCOMPARE(
        countOf(store.path(),
            QStringLiteral("SELECT (SELECT count(*) FROM runs) + (SELECT count(*) FROM repetitions) "
                           "+ (SELECT count(*) FROM stage_stats) + (SELECT count(*) FROM memory_samples)")),
        0);
}

void TestHistory::deletionIsHiddenThenUndoneOrPurged()
{
    HistoryStore store;
    QVERIFY(store.open(dbPath(QStringLiteral("undo.sqlite"))));
    const qint64 a = *store.addRun(m_repeats.back(), m_repeats, QStringLiteral("kept"));
    const qint64 b = *store.addRun(m_repeats.front(), {});
    const RunComparison c = compareRuns(
        m_repeats.back(), m_repeats, m_repeats.front(), {}, QStringLiteral("a"), QStringLiteral("b"));
    QVERIFY(store.addComparison(c, { a, {} }, { b, {} }));
    const QString key = store.runEntry(a)->configKey;

    // Deleted: no read finds them, in this connection or another (the CLI's).
    QVERIFY2(store.deleteRuns({ a, b }), qPrintable(store.error()));
    QVERIFY(store.listRuns()->empty());
    QVERIFY(store.listFolders()->isEmpty());
    QVERIFY(!store.runEntry(a));
    QVERIFY(store.readRun(a).error.contains(QStringLiteral("has no run %1").arg(a)));
    QVERIFY(store.trend(key, m_in)->empty());
    QVERIFY(!store.renameRun(a, QStringLiteral("x")));
    QCOMPARE(store.listComparisons()->front().runA, 0);
    QCOMPARE(store.listComparisons()->front().runB, 0);
    {
        HistoryStore reader;
        QVERIFY(reader.open(store.path(), HistoryStore::Access::ReadOnly));
        QVERIFY(reader.listRuns()->empty());
    }
    QVERIFY(!store.deleteRuns({ a })); // once is enough

    // Undone: as they were, their reports whole, the comparison's links back.
    QVERIFY2(store.restoreRuns({ a, b }), qPrintable(store.error()));
    QCOMPARE(store.listRuns()->size(), size_t(2));
    QCOMPARE(store.runEntry(a)->name, QStringLiteral("kept"));
    const LoadedReport back = store.readRun(a);
    QVERIFY2(back.error.isEmpty(), qPrintable(back.error));
    QCOMPARE(ReportWriter::toJson(back.run, back.repeats), ReportWriter::toJson(m_repeats.back(), m_repeats));
    QCOMPARE(store.trend(key, m_in)->size(), size_t(2));
    QCOMPARE(store.listComparisons()->front().runA, a);
    QVERIFY(!store.restoreRuns({ a })); // not deleted

    // Purged: only what is still deleted goes, with its rows; the comparison stays.
    QVERIFY(store.deleteRuns({ a }));
    QVERIFY(store.purgeRuns({ a, b }));
    QCOMPARE(store.listRuns()->size(), size_t(1));
    QCOMPARE(store.listRuns()->front().id, b);
    QVERIFY(!store.restoreRuns({ a }));
    QCOMPARE(
        countOf(store.path(), QStringLiteral("SELECT count(*) FROM repetitions WHERE run_id = %1").arg(a)),
        0);
    QCOMPARE(store.listComparisons()->size(), size_t(1));
    QCOMPARE(store.listComparisons()->front().runA, 0);
    QCOMPARE(store.listComparisons()->front().runB, b);

    // What a window left deleted is purged once it is older than asked.
    QVERIFY(store.deleteRuns({ b }));
    QCOMPARE(*store.purgeRunsDeletedBefore(QDateTime::currentDateTime().addSecs(-60)), 0);
    QCOMPARE(*store.purgeRunsDeletedBefore(QDateTime::currentDateTime().addSecs(1)), 1);
    QCOMPARE(countOf(store.path(), QStringLiteral("SELECT count(*) FROM runs")), 0);
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

void TestHistory::comparisonOfTwoStoredRunsIsKeptOnce()
{
    HistoryStore store;
    QVERIFY(store.open(dbPath(QStringLiteral("once.sqlite"))));
    const qint64 a = *store.addRun(m_repeats.back(), m_repeats);
    const qint64 b = *store.addRun(m_repeats.front(), {});
    const RunComparison ab = compareRuns(
        m_repeats.back(), m_repeats, m_repeats.front(), {}, QStringLiteral("a"), QStringLiteral("b"));
    const RunComparison ba = compareRuns(
        m_repeats.front(), {}, m_repeats.back(), m_repeats, QStringLiteral("b"), QStringLiteral("a"));
    const std::optional<qint64> first = store.addComparison(ab, { a, {} }, { b, {} });
    QVERIFY2(first, qPrintable(store.error()));
    QCOMPARE(store.addComparison(ab, { a, {} }, { b, {} }), first);
    QCOMPARE(store.addComparison(ba, { b, {} }, { a, {} }), first); // swapped: the same pair
    const std::optional<HistoryComparisonEntry> entry = store.comparisonEntry(*first);
    QVERIFY(entry);
    QCOMPARE(entry->runA, a);
    QCOMPARE(entry->runB, b);
    QCOMPARE(entry->labelA, QStringLiteral("a"));
    QCOMPARE(entry->speedup, ab.speedup);
    // A report file is no run of the history: each comparison with one is kept.
    QVERIFY(store.addComparison(ab, { a, {} }, { 0, QStringLiteral("/tmp/b.json") }));
    QVERIFY(store.addComparison(ab, { a, {} }, { 0, QStringLiteral("/tmp/b.json") }));
    QCOMPARE(store.listComparisons()->size(), size_t(3));
    QCOMPARE(store.listComparisons()->front().sourceB, QStringLiteral("/tmp/b.json"));
}

void TestHistory::previousSchemaIsMigrated()
{
    // A history as the previous version wrote it: its schema (the first
    // migration step alone, which a version never changes once released),
    // one run and a comparison.
    const QString path = dbPath(QStringLiteral("version1.sqlite"));
    const QString report = QString::fromUtf8(
        QJsonDocument(ReportWriter::toJson(m_repeats.back(), m_repeats)).toJson(QJsonDocument::Compact));
    {
        RawConnection old(path);
        QSqlDatabase db = QSqlDatabase::database(old.name);
        QString error;
        QVERIFY2(history::migrate(db, 1, 0, &error), qPrintable(error));
        QSqlQuery q(db);
        q.prepare(QStringLiteral(
            "INSERT INTO runs (started_at, started_at_utc, recorded_at, folder, preset, toggles, config_key, "
            "images, images_failed, repetitions, cancelled, ms_per_image, images_per_second, peak_rss_bytes, "
            "app_version, git_revision, host, name, config_json, environment_json, summary_json, "
            "report_json) "
            "VALUES ('2024-05-01T10:00:00.000+02:00', '2024-05-01T08:00:00.000Z', "
            "'2024-05-01T08:00:05.000Z', "
            "?, 'optimized', 'optimized', 'k', 3, 0, 3, 0, 4.5, 220.0, 50000000, '0.9', '', 'host', "
            "'from version 1', '{}', '{}', '{}', ?)"));
        q.addBindValue(QFileInfo(m_in).absoluteFilePath());
        q.addBindValue(report);
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        QVERIFY(old.exec(QStringLiteral(
            "INSERT INTO comparisons (recorded_at, recorded_at_utc, label_a, label_b, run_a, run_b, "
            "source_a, "
            "source_b, speedup, p, verdict, markdown) VALUES ('2024-05-01T10:01:00.000+02:00', "
            "'2024-05-01T08:01:00.000Z', 'run 1', 'b', 1, NULL, '', '/tmp/b.json', 1.5, 0.01, 'faster', "
            "'')")));
    }
    QCOMPARE(countOf(path, QStringLiteral("SELECT user_version FROM pragma_user_version")), 1);

    // Read-only, it is not changed: the message says how to migrate it.
    HistoryStore reader;
    QVERIFY(!reader.open(path, HistoryStore::Access::ReadOnly));
    QVERIFY(reader.foundOlderSchema());
    QVERIFY2(reader.error().contains(QStringLiteral("has schema version 1")), qPrintable(reader.error()));

    HistoryStore store;
    QVERIFY2(store.open(path), qPrintable(store.error()));
    QCOMPARE(countOf(path, QStringLiteral("SELECT user_version FROM pragma_user_version")),
        HistoryStore::SchemaVersion);
    const std::vector<HistoryRunEntry> runs = *store.listRuns();
    QCOMPARE(runs.size(), size_t(1));
    QCOMPARE(runs.front().name, QStringLiteral("from version 1"));
    const LoadedReport back = store.readRun(runs.front().id);
    QVERIFY2(back.error.isEmpty(), qPrintable(back.error));
    QCOMPARE(back.repeats.size(), m_repeats.size());
    QCOMPARE(store.listComparisons()->front().runA, runs.front().id);
    // What the new version adds works on it: a deletion undone, a pair kept once.
    QVERIFY(store.deleteRun(runs.front().id));
    QVERIFY(store.listRuns()->empty());
    QVERIFY(store.restoreRuns({ runs.front().id }));
    QCOMPARE(store.listRuns()->size(), size_t(1));
    const qint64 second = *store.addRun(m_repeats.front(), {});
    const RunComparison c = compareRuns(
        m_repeats.back(), m_repeats, m_repeats.front(), {}, QStringLiteral("a"), QStringLiteral("b"));
    const std::optional<qint64> kept = store.addComparison(c, { runs.front().id, {} }, { second, {} });
    QVERIFY2(kept, qPrintable(store.error()));
    QCOMPARE(store.addComparison(c, { second, {} }, { runs.front().id, {} }), kept);
    // Opened again, it is not migrated twice.
    HistoryStore again;
    QVERIFY2(again.open(path, HistoryStore::Access::ReadOnly), qPrintable(again.error()));
    QCOMPARE(again.listComparisons()->size(), size_t(2));
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
