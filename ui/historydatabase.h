// The window's side of the run history (core's HistoryStore, SQLite): every
// call is a job of its own (JobTracker) that opens its own connection on a
// pool thread — a Qt SQL connection belongs to the thread that opened it —
// and hands a plain result back to the GUI thread. The job's tracker is a
// child of the part that asked, so a part gone gets nothing.
//
// The jobs run one at a time on a thread of their own, in the order asked:
// the window's connections never wait on each other, and the pool the runs
// use is never taken by a job waiting on the database.
//
// A database that cannot be used (locked past the busy timeout, read-only,
// corrupt, written by a newer PixelPerf) turns history off for the session:
// turnedOff() says once what and where, later calls do nothing, and the
// window works on. The user can turn it off too (WindowSettings::keepHistory).
//
// Deleting runs can be undone: deleteRuns() hides them at once (everywhere,
// the CLI too), restoreRuns() brings them back, purgeRuns() removes them for
// good. Runs deleted and neither restored nor purged when the window closes
// are purged then; any a window left behind (it crashed) are purged at the
// next start.
#pragma once

#include "history/historyentry.h"
#include "jobtracker.h"
#include "measure/runresult.h"
#include "reports/reportreader.h"

#include <QObject>
#include <QString>
#include <QThreadPool>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace pixelperf {

class HistoryStore;
class RunHistoryModel;
struct AblationResult;
struct RunComparison;

class HistoryDatabase : public QObject
{
    Q_OBJECT
public:
    // `path`: the database file (defaultHistoryPath() in the window).
    HistoryDatabase(const QString &path, bool on, QObject *parent = nullptr);
    // Waits for the jobs asked for: a run being stored is kept.
    ~HistoryDatabase() override;

    QString path() const { return m_path; }
    bool isOn() const { return m_on && m_problem.isEmpty(); }
    // Why history is off: a database that cannot be used, or the user's
    // choice; empty when it is on.
    QString offReason() const;
    // The user's switch; a database found unusable stays off.
    void setOn(bool on);

    // Runs deleted longer ago than this were left by a window that ended
    // without purging them: the next start purges them.
    static constexpr int LeftDeletedMs = 60 * 1000;

    // Every run the window adds to the session's list, except those read
    // back from a report or from this history, is stored as it arrives; its
    // row gets the stored id (RunHistoryModel::setStoredId).
    void recordRunsOf(RunHistoryModel *session);
    // `stored(id)` follows on the GUI thread once the run is kept.
    void storeRun(std::shared_ptr<const RunResult> result,
        std::shared_ptr<const std::vector<RunResult>> repeats, std::function<void(qint64)> stored = {});
    void storeAblation(const AblationResult &result);
    // Two stored runs compared; comparisonStored() follows (also when the
    // pair was kept already: the entry it has).
    void storeComparison(const RunComparison &comparison, qint64 runA, qint64 runB);

    // Reads and edits: `done` runs on the GUI thread with the result unless
    // `context` is gone; a failure to read or edit emits failed() and calls
    // nothing. False when history is off.
    bool listRuns(QObject *context, const HistoryFilter &filter,
        std::function<void(std::vector<HistoryRunEntry>)> done);
    bool listFolders(QObject *context, std::function<void(QStringList)> done);
    bool readRun(QObject *context, qint64 id, std::function<void(LoadedReport)> done);
    bool listAblations(QObject *context, std::function<void(std::vector<HistoryAblationEntry>)> done);
    bool readAblation(QObject *context, qint64 id, std::function<void(AblationResult)> done);
    bool listComparisons(QObject *context, std::function<void(std::vector<HistoryComparisonEntry>)> done);
    bool renameRun(qint64 id, const QString &name);
    bool annotateRun(qint64 id, const QString &note);
    // runsDeleted() follows; the runs wait for restoreRuns() or purgeRuns().
    bool deleteRuns(const QList<qint64> &ids);
    // runsRestored() follows.
    bool restoreRuns(const QList<qint64> &ids);
    bool purgeRuns(const QList<qint64> &ids);
    // Deleted, neither restored nor purged yet.
    QList<qint64> deletedRuns() const { return m_deleted; }
    bool trend(QObject *context, const QString &configKey, const QString &folder,
        std::function<void(std::vector<TrendPoint>)> done);

signals:
    void runStored(const pixelperf::HistoryRunEntry &entry);
    void ablationStored(const pixelperf::HistoryAblationEntry &entry);
    void comparisonStored(const pixelperf::HistoryComparisonEntry &entry);
    void runsDeleted(const QList<qint64> &ids);
    void runsRestored(const QList<qint64> &ids);
    // History has just been turned off, and why.
    void turnedOff(const QString &message);
    // A read or an edit failed (history stays on), with what and where.
    void failed(const QString &message);

private:
    // What a job hands back: the value, or why there is none and whether
    // the database itself could not be opened.
    template <typename T> struct Outcome {
        std::optional<T> value;
        QString error;
        bool unusable = false;
    };
    // `work(HistoryStore &)` returns std::optional<T> on a pool thread;
    // `done(T)` takes it on the GUI thread. `write`: a failure turns history
    // off (the runs that follow could not be kept either).
    template <typename T, typename Work>
    bool submit(
        QObject *context, bool write, Work work, std::function<void(T)> done, bool evenWhenOff = false);
    void turnOff(const QString &problem);
    // Restored or purged: no longer awaiting either.
    void settle(const QList<qint64> &ids);
    // What a window left deleted, at start; what this one did, at its end.
    void purgeLeftDeleted();
    void purgeDeletedNow();

    QThreadPool m_pool;
    QString m_path;
    bool m_on = true;
    QString m_problem; // the database cannot be used: why
    QList<qint64> m_deleted; // deleted, awaiting an undo or their purge
};

} // namespace pixelperf
