// The run history: every run, ablation and comparison, kept across sessions
// in an SQLite database (Qt SQL's QSQLITE driver), for the CLI's `history`
// and `compare RUN_ID`, and for a history panel (list with filters and
// paging, one run read back, rename, annotate, delete that can be undone, a
// trend series).
//
// Writes are transactions (BEGIN IMMEDIATE: a writer waits for another up to
// the busy timeout, instead of failing half-way); the journal is WAL, so
// readers never block a writer and two processes writing at once both land.
// A database that cannot be used (locked past the timeout, read-only,
// corrupt, written by a newer PixelPerf) is an error value with what and
// where: the caller goes on with history off.
//
// Qt SQL connections belong to the thread that opened them: a HistoryStore
// is used on the thread that opened it; another thread opens its own.
#pragma once

#include "history/historyentry.h"
#include "reports/reportreader.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QSqlError>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace pixelperf {

struct AblationResult;
struct RunComparison;

class HistoryStore
{
public:
    enum class Access { ReadWrite, ReadOnly };
    static constexpr int SchemaVersion = 2;
    static constexpr int DefaultBusyTimeoutMs = 5000;

    HistoryStore() = default;
    ~HistoryStore();
    HistoryStore(const HistoryStore &) = delete;
    HistoryStore &operator=(const HistoryStore &) = delete;

    // Opens `path` (ReadWrite: creates it and its folder when absent, and
    // migrates an older schema). False with error() set when it cannot be used.
    bool open(
        const QString &path, Access access = Access::ReadWrite, int busyTimeoutMs = DefaultBusyTimeoutMs);
    bool isOpen() const { return !m_connection.isEmpty(); }
    QString path() const { return m_path; }
    // What went wrong last, with the database's path: for stderr or a status line.
    QString error() const { return m_error; }
    // The last open() for reading failed on a schema older than this
    // PixelPerf's: opening it once for writing migrates it.
    bool foundOlderSchema() const { return m_olderSchema; }

    // `repeats`: every repetition the run made (the report's); empty: `last` alone.
    // A run of more than FullReportImages images is kept without its files,
    // per-image records and spans (its figures, stage statistics, memory
    // series and call stacks are kept): its report file has them.
    std::optional<qint64> addRun(
        const RunResult &last, const std::vector<RunResult> &repeats, const QString &name = QString());
    static constexpr int FullReportImages = 10000;
    static bool keepsRecordsOf(const RunResult &run) { return run.files.size() <= FullReportImages; }
    std::optional<qint64> addAblation(const AblationResult &result);
    // The runs' ids when they came from this history (0: a report file). Two
    // stored runs are kept once whichever is A: a pair kept already gives
    // the id it has.
    std::optional<qint64> addComparison(
        const RunComparison &comparison, const HistorySource &a, const HistorySource &b);

    // Newest first. nullopt (error() set) when the database cannot be read.
    std::optional<std::vector<HistoryRunEntry>> listRuns(const HistoryFilter &filter = {});
    std::optional<HistoryRunEntry> runEntry(qint64 id);
    // Every folder a stored run was made on, sorted: for a filter's choices.
    std::optional<QStringList> listFolders();
    // The stored report, read back as a report file is; error set when there is no such run.
    LoadedReport readRun(qint64 id);
    std::optional<std::vector<HistoryAblationEntry>> listAblations(int limit = 0);
    std::optional<QJsonObject> readAblation(qint64 id);
    // Newest first; a run deleted since (or being deleted) is no link (0).
    std::optional<std::vector<HistoryComparisonEntry>> listComparisons(int limit = 0);
    std::optional<HistoryComparisonEntry> comparisonEntry(qint64 id);

    bool renameRun(qint64 id, const QString &name);
    bool annotateRun(qint64 id, const QString &note);

    // Deleting is in two steps, so that it can be undone: deleteRuns() marks
    // the runs deleted (every read leaves them out at once: lists, reads,
    // the trend, the CLI's history), restoreRuns() brings them back as they
    // were, purgeRuns() removes them with their repetitions, stages and
    // memory series. Each is one transaction; false when one of the runs is
    // not there (for restoreRuns: not deleted, or purged already).
    bool deleteRuns(const QList<qint64> &ids);
    bool deleteRun(qint64 id) { return deleteRuns({ id }); }
    bool restoreRuns(const QList<qint64> &ids);
    // Only runs still marked deleted; a run restored meanwhile stays.
    bool purgeRuns(const QList<qint64> &ids);
    // Runs marked deleted before `before` (a window that ended before it
    // purged them); how many went.
    std::optional<int> purgeRunsDeletedBefore(const QDateTime &before);

    // One configuration (HistoryRunEntry::configKey) on one folder, oldest first.
    std::optional<std::vector<TrendPoint>> trend(const QString &configKey, const QString &folder);

private:
    void close();
    bool fail(const QString &what, const QSqlError &error);
    bool failWith(const QString &message);
    bool openConnection(Access access);
    bool checkSchema(Access access);
    // `existing`: a SELECT of a row that makes the insert needless (its id is
    // returned), read in the insert's transaction.
    std::optional<qint64> insertRow(const QString &what, const QString &sql, const QVariantList &values,
        const QString &existing = {}, const QVariantList &existingValues = {});
    // `sql` with `values` and then each id, in one transaction; false when
    // `eachMustExist` and a statement changed no row.
    bool changeRuns(
        const QList<qint64> &ids, const QString &sql, const QVariantList &values, bool eachMustExist = true);
    bool insertRepetition(qint64 runId, int index, const RunResult &run);
    QSqlDatabase database() const;

    QString m_connection; // the Qt SQL connection's name; empty when closed
    QString m_path;
    QString m_error;
    int m_busyTimeoutMs = DefaultBusyTimeoutMs;
    bool m_olderSchema = false;
};

// Where the history lives: $PIXELPERF_DB when set, else history.sqlite in
// the window's data location (QStandardPaths::AppDataLocation of
// PixelPerf/pixelperf), which the CLI shares.
QString defaultHistoryPath();

} // namespace pixelperf
