#include "history/historystore.h"

#include "history/historyschema.h"
#include "measure/ablation.h"
#include "measure/environment.h"
#include "measure/runcomparison.h"
#include "reports/reportwriter.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QThread>
#include <QUrl>
#include <QVariant>

#include <atomic>

#include <sys/statvfs.h>

namespace pixelperf {

using history::bindAll;
using history::describeSqlError;
using history::WriteTransaction;

namespace {

QString withOffset(const QDateTime &t)
{
    return t.toOffsetFromUtc(t.offsetFromUtc()).toString(Qt::ISODateWithMs);
}

QString inUtc(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

QString compactJson(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// The run's JSON report as its file has it, made a record at a time: the
// document's tree is never built. A run of more than
// HistoryStore::FullReportImages images keeps its summary only: its report
// is about 1 KB an image as text, and storing it costs several times that
// at once (the text, its UTF-16 copy, SQLite's own), some 340 MiB for
// 100,000 images, more than the rest of the window holds.
QString reportText(const RunResult &last, const std::vector<RunResult> &repeats)
{
    QByteArray bytes;
    const auto append = [&bytes](QByteArrayView piece) { bytes.append(piece); };
    // Left out by the writer, not by a copy of the run that names each
    // field to keep: a field added to RunResult later reaches the history
    // with no change here (a repetition's records are never written).
    ReportWriter::streamJson(append, last, repeats,
        HistoryStore::keepsRecordsOf(last) ? ReportWriter::Records::Kept : ReportWriter::Records::LeftOut);
    return QString::fromUtf8(bytes);
}

// The figures of a run over its measured repetitions (all but the cancelled;
// the run alone when it has none).
struct RunFigures {
    Spread msPerImage;
    Spread imagesPerSecond;
    Spread peakRss;
};

RunFigures figuresOf(const RunResult &last, const std::vector<RunResult> &repeats)
{
    std::vector<const RunResult *> runs = measuredRepetitions(repeats);
    if (runs.empty())
        runs.push_back(&last);
    std::vector<double> ms, ips, rss;
    for (const RunResult *r : runs) {
        ms.push_back(r->summary.msPerImage());
        ips.push_back(r->summary.imagesPerSecond);
        rss.push_back(double(r->summary.peakRssBytes));
    }
    return { spreadOf(ms), spreadOf(ips), spreadOf(rss) };
}

} // namespace

QString defaultHistoryPath()
{
    const QString fromEnvironment = qEnvironmentVariable("PIXELPERF_DB");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    // The window's AppDataLocation (organisation PixelPerf, application
    // pixelperf), spelled out so that pixelperf-cli, whose application name
    // differs, finds the same file.
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + QStringLiteral("/PixelPerf/pixelperf/history.sqlite");
}

HistoryStore::~HistoryStore()
{
    close();
}

void HistoryStore::close()
{
    if (m_connection.isEmpty())
        return;
    QSqlDatabase::database(m_connection, false).close();
    QSqlDatabase::removeDatabase(m_connection);
    m_connection.clear();
}

QSqlDatabase HistoryStore::database() const
{
    return QSqlDatabase::database(m_connection, false);
}

namespace {

bool onReadOnlyFileSystem(const QString &path)
{
    struct statvfs fs {
    };
    return ::statvfs(QFile::encodeName(path).constData(), &fs) == 0 && (fs.f_flag & ST_RDONLY);
}

} // namespace

bool HistoryStore::failWith(const QString &message)
{
    m_error = QStringLiteral("history %1 %2").arg(m_path, message);
    return false;
}

bool HistoryStore::fail(const QString &what, const QSqlError &error)
{
    return failWith(QStringLiteral("%1 (%2)").arg(describeSqlError(error, m_busyTimeoutMs), what));
}

bool HistoryStore::open(const QString &path, Access access, int busyTimeoutMs)
{
    Q_ASSERT(m_connection.isEmpty());
    m_path = QFileInfo(path).absoluteFilePath();
    m_busyTimeoutMs = busyTimeoutMs;
    m_error.clear();
    m_olderSchema = false;
    const QFileInfo file(m_path);
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return failWith(QStringLiteral("cannot be used: Qt SQL's SQLite driver is not installed "
                                       "(Debian: libqt6sql6-sqlite)"));
    if (file.isDir())
        return failWith(QStringLiteral("is a folder, not a history file"));
    if (access == Access::ReadOnly && !file.exists())
        return failWith(QStringLiteral("does not exist: no run has been stored there yet"));
    if (access == Access::ReadWrite && file.exists()) {
        // Write permission for nobody: the user made it read-only (root
        // could still write it; we do not).
        const auto writable = QFileDevice::WriteOwner | QFileDevice::WriteGroup | QFileDevice::WriteOther;
        if (!file.isWritable() || !(file.permissions() & writable))
            return failWith(QStringLiteral("is read-only"));
    }
    if (access == Access::ReadWrite && !QDir().mkpath(file.absolutePath()))
        return failWith(
            QStringLiteral("cannot be created: cannot create the folder %1").arg(file.absolutePath()));
    if (!openConnection(access) || !checkSchema(access)) {
        close();
        return false;
    }
    return true;
}

bool HistoryStore::openConnection(Access access)
{
    static std::atomic<int> serial { 0 };
    m_connection = QStringLiteral("pixelperf-history-%1").arg(++serial);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    // Read from a read-only file system (a mounted backup, a CD): SQLite
    // cannot make the shared-memory file a WAL database is read through,
    // and nobody can be writing there; it is read as immutable.
    const bool immutable = access == Access::ReadOnly && onReadOnlyFileSystem(m_path);
    // Immutable reads the database file alone: runs still in a write-ahead
    // log left beside it (a copy taken while PixelPerf was writing) would be
    // missing without a word.
    if (immutable && QFileInfo(m_path + QStringLiteral("-wal")).size() > 0)
        return failWith(QStringLiteral("cannot be read in full: it is on a read-only file system with a "
                                       "write-ahead log (%1-wal) beside it, which only a writable copy can "
                                       "take in; copy both somewhere writable")
                            .arg(QFileInfo(m_path).fileName()));
    db.setDatabaseName(immutable ? QStringLiteral("file:%1?immutable=1")
                                       .arg(QString::fromUtf8(QUrl::toPercentEncoding(m_path, "/")))
                                 : m_path);
    db.setConnectOptions(
        QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1%2%3")
            .arg(m_busyTimeoutMs)
            .arg(access == Access::ReadOnly ? QStringLiteral(";QSQLITE_OPEN_READONLY") : QString())
            .arg(immutable ? QStringLiteral(";QSQLITE_OPEN_URI") : QString()));
    if (!db.open())
        return fail(QStringLiteral("opening it"), db.lastError());
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA foreign_keys = ON")))
        return fail(QStringLiteral("opening it"), q.lastError());
    return true;
}

bool HistoryStore::checkSchema(Access access)
{
    QSqlDatabase db = database();
    QString error;
    const int version = history::schemaVersion(db, &error);
    if (version < 0) // someone else's database is refused here, before switching it to WAL would change it
        return failWith(error);
    if (version > SchemaVersion)
        return failWith(
            QStringLiteral("has schema version %1, newer than this PixelPerf's (%2): a newer PixelPerf "
                           "wrote it; left as it is")
                .arg(version)
                .arg(SchemaVersion));
    if (access == Access::ReadOnly && version == 0)
        return failWith(QStringLiteral("holds no history yet: no run has been stored there"));
    m_olderSchema = version < SchemaVersion;
    if (access == Access::ReadOnly)
        return version == SchemaVersion
            || failWith(QStringLiteral("has schema version %1; open it once for writing to migrate it to %2")
                            .arg(version)
                            .arg(SchemaVersion));
    // WAL: readers do not block the writer, and a crash leaves no half-written run.
    // The switch upgrades the lock its own read of the schema holds, and
    // where another process is switching the same new file at that moment
    // SQLite answers "busy" at once rather than wait (waiting could
    // deadlock): it is tried again, as a new statement, until the busy
    // timeout. Three runs started together on a new history lost one to it.
    QSqlQuery q(db);
    QElapsedTimer waited;
    waited.start();
    while (!q.exec(QStringLiteral("PRAGMA journal_mode = WAL"))) {
        if (!history::isLockedError(q.lastError()) || waited.elapsed() >= m_busyTimeoutMs)
            return fail(QStringLiteral("switching it to WAL"), q.lastError());
        q.finish();
        QThread::msleep(5);
    }
    q.finish(); // a statement left active would lock the tables a migration creates
    if (version < SchemaVersion && !history::migrate(db, SchemaVersion, m_busyTimeoutMs, &error))
        return failWith(error);
    return true;
}

std::optional<qint64> HistoryStore::addRun(
    const RunResult &last, const std::vector<RunResult> &repeats, const QString &name)
{
    if (!isOpen())
        return std::nullopt;
    QSqlDatabase db = database();
    WriteTransaction tx(db);
    if (!tx.begin())
        return fail(QStringLiteral("storing the run"), tx.lastError()), std::nullopt;
    const QJsonObject environment = environmentOf(last);
    const RunFigures figures = figuresOf(last, repeats);
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO runs (started_at, started_at_utc, recorded_at, folder, preset, "
                             "toggles, config_key, images, "
                             "images_failed, repetitions, cancelled, ms_per_image, images_per_second, "
                             "peak_rss_bytes, app_version, "
                             "git_revision, host, name, config_json, environment_json, summary_json, "
                             "report_json) VALUES (?, ?, ?, ?, "
                             "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    const QVariantList values {
        withOffset(last.startedAt),
        inUtc(last.startedAt),
        inUtc(QDateTime::currentDateTimeUtc()),
        historyFolder(last.config.inputDir),
        presetNameFor(last.config.toggles),
        configurationText(last.config),
        configurationKey(last.config),
        last.summary.imagesOk,
        last.summary.imagesFailed,
        int(std::max<size_t>(1, repeats.size())),
        last.summary.cancelled,
        figures.msPerImage.median,
        figures.imagesPerSecond.median,
        qint64(figures.peakRss.median),
        appVersion(),
        gitRevision(),
        environment.value(QLatin1String("host_name")).toString(),
        name,
        compactJson(ReportWriter::configJson(last.config)),
        compactJson(environment),
        compactJson(ReportWriter::summaryJson(last.summary)),
        reportText(last, repeats),
    };
    bindAll(q, values);
    if (!q.exec())
        return fail(QStringLiteral("storing the run"), q.lastError()), std::nullopt;
    const qint64 id = q.lastInsertId().toLongLong();
    if (repeats.empty() && !insertRepetition(id, 0, last))
        return std::nullopt;
    for (size_t i = 0; i < repeats.size(); ++i)
        if (!insertRepetition(id, int(i), repeats[i]))
            return std::nullopt;
    if (!tx.commit())
        return fail(QStringLiteral("storing the run"), tx.lastError()), std::nullopt;
    return id;
}

// One repetition's summary, its stage statistics and its memory series.
bool HistoryStore::insertRepetition(qint64 runId, int index, const RunResult &run)
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral("INSERT INTO repetitions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    const RunSummary &s = run.summary;
    bindAll(q,
        QVariantList { runId, index, withOffset(run.startedAt), run.processId, s.cancelled, s.imagesOk,
            s.wallMs, s.cpuMs, s.msPerImage(), s.imagesPerSecond, qint64(s.peakRssBytes),
            qint64(s.ownPeakRssBytes()), compactJson(ReportWriter::summaryJson(s)) });
    if (!q.exec())
        return fail(QStringLiteral("storing repetition %1").arg(index + 1), q.lastError());
    q.prepare(QStringLiteral("INSERT INTO stage_stats VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const StageStats &st : run.stages) {
        bindAll(q,
            QVariantList { runId, index, QLatin1String(stageName(st.stage)), st.count, st.totalMs, st.meanMs,
                st.medianMs, st.p95Ms, st.maxMs, st.cpuMs, qint64(st.pixelBytesAllocated),
                qint64(st.copies) });
        if (!q.exec())
            return fail(QStringLiteral("storing the stage statistics"), q.lastError());
    }
    q.prepare(QStringLiteral("INSERT INTO memory_samples VALUES (?, ?, ?, ?, ?, ?, ?)"));
    for (const MemorySample &m : run.memory) {
        bindAll(q,
            QVariantList { runId, index, double(m.tNs) / 1e6, qint64(m.rssBytes), qint64(m.pixelBytesLive),
                double(m.cpuNs) / 1e6, m.imagesDone });
        if (!q.exec())
            return fail(QStringLiteral("storing the memory series"), q.lastError());
    }
    return true;
}

// One INSERT in its own transaction; the new row's id.
std::optional<qint64> HistoryStore::insertRow(const QString &what, const QString &sql,
    const QVariantList &values, const QString &existing, const QVariantList &existingValues)
{
    if (!isOpen())
        return std::nullopt;
    QSqlDatabase db = database();
    WriteTransaction tx(db);
    if (!tx.begin())
        return fail(what, tx.lastError()), std::nullopt;
    QSqlQuery q(db);
    if (!existing.isEmpty()) {
        q.prepare(existing);
        bindAll(q, existingValues);
        if (!q.exec())
            return fail(what, q.lastError()), std::nullopt;
        if (q.next())
            return q.value(0).toLongLong(); // nothing written: the transaction ends unchanged
        q.finish();
    }
    q.prepare(sql);
    bindAll(q, values);
    if (!q.exec())
        return fail(what, q.lastError()), std::nullopt;
    if (!tx.commit())
        return fail(what, tx.lastError()), std::nullopt;
    return q.lastInsertId().toLongLong();
}

std::optional<qint64> HistoryStore::addAblation(const AblationResult &r)
{
    const QDateTime now = QDateTime::currentDateTime();
    return insertRow(QStringLiteral("storing the ablation"),
        QStringLiteral("INSERT INTO ablations (started_at, started_at_utc, folder, preset, rounds, "
                       "cancelled, report_json) VALUES (?, ?, ?, ?, ?, ?, ?)"),
        { withOffset(now), inUtc(now), historyFolder(r.config.inputDir), configurationText(r.config),
            r.plan.rounds, r.cancelled, compactJson(ablationJson(r)) });
}

std::optional<qint64> HistoryStore::addComparison(
    const RunComparison &c, const HistorySource &a, const HistorySource &b)
{
    const QDateTime now = QDateTime::currentDateTime();
    auto runId = [](const HistorySource &s) { return s.runId > 0 ? QVariant(s.runId) : QVariant(); };
    const bool stored = a.runId > 0 && b.runId > 0;
    return insertRow(QStringLiteral("storing the comparison"),
        QStringLiteral("INSERT INTO comparisons (recorded_at, recorded_at_utc, label_a, label_b, run_a, "
                       "run_b, source_a, source_b, speedup, p, verdict, markdown) VALUES (?, ?, ?, ?, "
                       "?, ?, ?, ?, ?, ?, ?, ?)"),
        { withOffset(now), inUtc(now), c.labelA, c.labelB, runId(a), runId(b), a.file, b.file, c.speedup, c.p,
            QLatin1String(verdictName(c.verdict)), comparisonMarkdown(c) },
        stored ? QStringLiteral("SELECT id FROM comparisons WHERE (run_a = ? AND run_b = ?) OR (run_a = ? "
                                "AND run_b = ?) ORDER BY id LIMIT 1")
               : QString(),
        { a.runId, b.runId, b.runId, a.runId });
}

} // namespace pixelperf
