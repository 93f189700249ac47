#include "history/historyschema.h"

#include <QSqlQuery>
#include <QVariant>

namespace pixelperf::history {

namespace {

// Each step takes the schema from version (its index) to version + 1. Steps
// are only ever appended: a database written by this version is migrated by
// the next one's new steps.
const char *const Version1[] = {
    "CREATE TABLE runs ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " started_at TEXT NOT NULL," // ISO 8601 with the UTC offset of the machine that ran it
    " started_at_utc TEXT NOT NULL," // ISO 8601 in UTC: sorts and filters
    " recorded_at TEXT NOT NULL,"
    " folder TEXT NOT NULL, preset TEXT NOT NULL, toggles TEXT NOT NULL, config_key TEXT NOT NULL,"
    " images INTEGER NOT NULL, images_failed INTEGER NOT NULL, repetitions INTEGER NOT NULL,"
    " cancelled INTEGER NOT NULL, ms_per_image REAL NOT NULL, images_per_second REAL NOT NULL,"
    " peak_rss_bytes INTEGER NOT NULL,"
    " app_version TEXT NOT NULL, git_revision TEXT NOT NULL, host TEXT NOT NULL,"
    " name TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '',"
    " config_json TEXT NOT NULL, environment_json TEXT NOT NULL, summary_json TEXT NOT NULL,"
    " report_json TEXT NOT NULL)",
    "CREATE INDEX runs_by_folder ON runs (folder, started_at_utc)",
    "CREATE INDEX runs_by_config ON runs (config_key, folder, started_at_utc)",
    "CREATE TABLE repetitions ("
    " run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE, repetition INTEGER NOT NULL,"
    " started_at TEXT NOT NULL, process_id INTEGER NOT NULL, cancelled INTEGER NOT NULL,"
    " images_ok INTEGER NOT NULL, wall_ms REAL NOT NULL, cpu_ms REAL NOT NULL, ms_per_image REAL NOT NULL,"
    " images_per_second REAL NOT NULL, peak_rss_bytes INTEGER NOT NULL, own_peak_rss_bytes INTEGER NOT NULL,"
    " summary_json TEXT NOT NULL, PRIMARY KEY (run_id, repetition))",
    "CREATE TABLE stage_stats ("
    " run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE, repetition INTEGER NOT NULL,"
    " stage TEXT NOT NULL, count INTEGER NOT NULL, total_ms REAL NOT NULL, mean_ms REAL NOT NULL,"
    " median_ms REAL NOT NULL, p95_ms REAL NOT NULL, max_ms REAL NOT NULL, cpu_ms REAL NOT NULL,"
    " pixel_bytes_allocated INTEGER NOT NULL, copies INTEGER NOT NULL, PRIMARY KEY (run_id, repetition, "
    "stage))",
    "CREATE TABLE memory_samples ("
    " run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE, repetition INTEGER NOT NULL,"
    " t_ms REAL NOT NULL, rss_bytes INTEGER NOT NULL, pixel_bytes_live INTEGER NOT NULL, cpu_ms REAL NOT "
    "NULL,"
    " images_done INTEGER NOT NULL)",
    "CREATE INDEX memory_by_run ON memory_samples (run_id, repetition)",
    "CREATE TABLE ablations ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, started_at TEXT NOT NULL, started_at_utc TEXT NOT NULL,"
    " folder TEXT NOT NULL, preset TEXT NOT NULL, rounds INTEGER NOT NULL, cancelled INTEGER NOT NULL,"
    " name TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '', report_json TEXT NOT NULL)",
    "CREATE TABLE comparisons ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, recorded_at TEXT NOT NULL, recorded_at_utc TEXT NOT NULL,"
    " label_a TEXT NOT NULL, label_b TEXT NOT NULL,"
    " run_a INTEGER REFERENCES runs (id) ON DELETE SET NULL, run_b INTEGER REFERENCES runs (id) ON DELETE "
    "SET NULL,"
    " source_a TEXT NOT NULL, source_b TEXT NOT NULL, speedup REAL NOT NULL, p REAL NOT NULL,"
    " verdict TEXT NOT NULL, markdown TEXT NOT NULL)",
    nullptr,
};

const char *const Version2[] = {
    // Soft delete: a deleted run leaves every list at once and is purged
    // when the window's offer to undo it ends. NULL: a live run; else when it
    // was deleted (ISO 8601 in UTC).
    "ALTER TABLE runs ADD COLUMN deleted_at TEXT",
    // A comparison of two stored runs is kept once per pair: found by its runs.
    "CREATE INDEX comparisons_by_runs ON comparisons (run_a, run_b)",
    nullptr,
};

const char *const *const Steps[] = { Version1, Version2 };
constexpr int StepCount = int(sizeof(Steps) / sizeof(Steps[0]));

} // namespace

int schemaVersion(QSqlDatabase &db, QString *error)
{
    // One statement, one snapshot: the version and the tables are read
    // together, so a history another process is creating at this moment
    // never looks like a file with tables and no version (someone else's).
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT (SELECT user_version FROM pragma_user_version), "
                               "(SELECT count(*) FROM sqlite_master WHERE type = 'table')"))
        || !q.next()) {
        *error = describeSqlError(q.lastError(), 0);
        return -1;
    }
    if (q.value(0).toInt() == 0 && q.value(1).toInt() > 0) {
        *error = QStringLiteral("holds tables of another program, not a PixelPerf history; left as it is");
        return -1;
    }
    return q.value(0).toInt();
}

bool migrate(QSqlDatabase &db, int targetVersion, int busyTimeoutMs, QString *error)
{
    Q_ASSERT(targetVersion <= StepCount);
    WriteTransaction tx(db);
    if (!tx.begin()) {
        *error = describeSqlError(tx.lastError(), busyTimeoutMs);
        return false;
    }
    const int from = schemaVersion(db, error); // again, under the lock: another process may have migrated it
    if (from < 0)
        return false;
    QSqlQuery q(db);
    for (int version = from; version < targetVersion; ++version) {
        for (const char *const *sql = Steps[version]; *sql; ++sql) {
            if (!q.exec(QString::fromLatin1(*sql))) {
                *error = QStringLiteral("migrating to schema version %1: %2")
                             .arg(version + 1)
                             .arg(describeSqlError(q.lastError(), 0));
                return false;
            }
        }
    }
    if (from < targetVersion && !q.exec(QStringLiteral("PRAGMA user_version = %1").arg(targetVersion))) {
        *error = describeSqlError(q.lastError(), 0);
        return false;
    }
    if (!tx.commit()) {
        *error = describeSqlError(tx.lastError(), busyTimeoutMs);
        return false;
    }
    return true;
}

void bindAll(QSqlQuery &q, const QVariantList &values)
{
    for (const QVariant &v : values)
        q.addBindValue(
            v.typeId() == QMetaType::QString && v.toString().isNull() ? QVariant(QStringLiteral("")) : v);
}

namespace {

// SQLite's primary result code: the low byte of an extended one
// (SQLITE_BUSY_RECOVERY is SQLITE_BUSY), as the QSQLITE driver may give it.
int primaryCode(const QSqlError &error)
{
    return error.nativeErrorCode().toInt() & 0xFF;
}

} // namespace

bool isLockedError(const QSqlError &error)
{
    const int code = primaryCode(error);
    return code == 5 || code == 6; // SQLITE_BUSY, SQLITE_LOCKED
}

QString describeSqlError(const QSqlError &error, int busyTimeoutMs)
{
    const int code = primaryCode(error);
    const QString detail = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    switch (code) {
    case 5: // SQLITE_BUSY
    case 6: // SQLITE_LOCKED
        return busyTimeoutMs > 0 ? QStringLiteral("is locked by another program (waited %1 s)")
                                       .arg(busyTimeoutMs / 1000.0, 0, 'f', 1)
                                 : QStringLiteral("is locked by another program");
    case 8: // SQLITE_READONLY
        return QStringLiteral("is read-only (%1)").arg(detail);
    case 11: // SQLITE_CORRUPT
    case 26: // SQLITE_NOTADB
        return QStringLiteral("is not an SQLite database or is damaged (%1); left as it is: move it away to "
                              "start a new history")
            .arg(detail);
    case 13: // SQLITE_FULL
        return QStringLiteral("cannot grow: the disk is full");
    case 14: // SQLITE_CANTOPEN
        return QStringLiteral("cannot be opened (%1)").arg(detail);
    default:
        return detail;
    }
}

WriteTransaction::~WriteTransaction()
{
    if (m_open)
        exec("ROLLBACK");
}

bool WriteTransaction::begin()
{
    m_open = exec("BEGIN IMMEDIATE");
    return m_open;
}

bool WriteTransaction::commit()
{
    if (!exec("COMMIT"))
        return false;
    m_open = false;
    return true;
}

bool WriteTransaction::exec(const char *sql)
{
    QSqlQuery q(m_db);
    if (q.exec(QString::fromLatin1(sql)))
        return true;
    m_error = q.lastError();
    return false;
}

} // namespace pixelperf::history
