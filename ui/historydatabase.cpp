#include "historydatabase.h"

#include "history/historystore.h"
#include "measure/ablation.h"
#include "measure/runcomparison.h"
#include "runhistorymodel.h"

#include <QDir>
#include <QPointer>

namespace pixelperf {

HistoryDatabase::HistoryDatabase(const QString &path, bool on, QObject *parent)
    : QObject(parent)
    , m_path(path)
    , m_on(on)
{
    m_pool.setMaxThreadCount(1);
    purgeLeftDeleted();
}

HistoryDatabase::~HistoryDatabase()
{
    m_pool.waitForDone();
    purgeDeletedNow();
}

void HistoryDatabase::purgeLeftDeleted()
{
    const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-LeftDeletedMs);
    submit<int>(
        this, false, [before](HistoryStore &store) { return store.purgeRunsDeletedBefore(before); }, {},
        true);
}

void HistoryDatabase::purgeDeletedNow()
{
    // At the window's end, on its thread: no job is left to hand it to, and
    // the runs deleted are to go as the user was told.
    if (m_deleted.isEmpty() || !m_problem.isEmpty())
        return;
    HistoryStore store;
    if (!store.open(m_path) || !store.purgeRuns(m_deleted))
        qWarning("%s", qPrintable(store.error()));
    m_deleted.clear();
}

QString HistoryDatabase::offReason() const
{
    if (!m_problem.isEmpty())
        return m_problem;
    return m_on ? QString() : tr("turned off: runs are not kept (%1)").arg(QDir::toNativeSeparators(m_path));
}

void HistoryDatabase::setOn(bool on)
{
    m_on = on;
}

void HistoryDatabase::turnOff(const QString &problem)
{
    if (!m_problem.isEmpty())
        return;
    m_problem = problem;
    emit turnedOff(problem);
}

template <typename T, typename Work>
bool HistoryDatabase::submit(
    QObject *context, bool write, Work work, std::function<void(T)> done, bool evenWhenOff)
{
    // `evenWhenOff`: what the user was told will happen to runs already
    // kept (deleted runs purged) happens with "Keep runs" unticked too.
    if (!m_problem.isEmpty() || (!m_on && !evenWhenOff))
        return false;
    auto *job = new JobTracker(context ? context : this);
    job->setPool(&m_pool);
    // A query that threw (out of memory on a huge history, say) is one
    // failed query; the database itself may be fine.
    connect(job, &JobTracker::failed, this, [this, job](const QString &message) {
        job->deleteLater();
        emit failed(message);
    });
    job->start(
        [path = m_path, work = std::move(work)](const JobControl &) {
            Outcome<T> out;
            HistoryStore store;
            if (!store.open(path)) {
                out.unusable = true;
            } else {
                out.value = work(store);
            }
            if (!out.value)
                out.error = store.error();
            return out;
        },
        [this, job, write, done = std::move(done)](const Outcome<T> &out) {
            job->deleteLater();
            if (out.value) {
                if (done)
                    done(*out.value);
            } else if (out.unusable || write) {
                turnOff(out.error);
            } else {
                emit failed(out.error);
            }
        });
    return true;
}

void HistoryDatabase::recordRunsOf(RunHistoryModel *session)
{
    // The session's rows are only ever appended: a row's number stays its own.
    QPointer<RunHistoryModel> model(session);
    connect(session, &QAbstractItemModel::rowsInserted, this,
        [this, model](const QModelIndex &, int first, int last) {
            for (int row = first; row <= last; ++row) {
                const RunEntry &e = model->entry(row);
                if (!e.isLoaded())
                    storeRun(e.result, e.repeats, [model, row](qint64 id) {
                        if (model)
                            model->setStoredId(row, id);
                    });
            }
        });
}

void HistoryDatabase::storeRun(std::shared_ptr<const RunResult> result,
    std::shared_ptr<const std::vector<RunResult>> repeats, std::function<void(qint64)> stored)
{
    // The result and its repetitions are immutable and shared: the job reads
    // them where they are.
    submit<HistoryRunEntry>(
        this, true,
        [result, repeats](HistoryStore &store) -> std::optional<HistoryRunEntry> {
            const std::optional<qint64> id = store.addRun(*result, RunEntry::repetitionsOf(repeats.get()));
            return id ? store.runEntry(*id) : std::nullopt;
        },
        std::function<void(HistoryRunEntry)>([this, stored](const HistoryRunEntry &e) {
            if (stored)
                stored(e.id);
            emit runStored(e);
        }));
}

void HistoryDatabase::storeComparison(const RunComparison &comparison, qint64 runA, qint64 runB)
{
    // A run of the session may have been deleted from the history since it
    // was stored: its comparison is then not kept (nothing to link to), and
    // that is no fault of the database, which stays on.
    using Kept = std::optional<HistoryComparisonEntry>;
    submit<Kept>(
        this, false,
        [comparison, runA, runB](HistoryStore &store) -> std::optional<Kept> {
            if (!store.runEntry(runA) || !store.runEntry(runB))
                return Kept();
            const std::optional<qint64> id = store.addComparison(comparison, { runA, {} }, { runB, {} });
            if (!id)
                return std::nullopt;
            const Kept entry = store.comparisonEntry(*id);
            return entry ? std::optional<Kept>(entry) : std::nullopt;
        },
        std::function<void(Kept)>([this](const Kept &e) {
            if (e)
                emit comparisonStored(*e);
        }));
}

void HistoryDatabase::storeAblation(const AblationResult &result)
{
    submit<HistoryAblationEntry>(
        this, true,
        [result](HistoryStore &store) -> std::optional<HistoryAblationEntry> {
            const std::optional<qint64> id = store.addAblation(result);
            if (!id)
                return std::nullopt;
            const auto entries = store.listAblations();
            for (const HistoryAblationEntry &e : entries.value_or(std::vector<HistoryAblationEntry>()))
                if (e.id == *id)
                    return e;
            return std::nullopt;
        },
        std::function<void(HistoryAblationEntry)>(
            [this](const HistoryAblationEntry &e) { emit ablationStored(e); }));
}

bool HistoryDatabase::listRuns(
    QObject *context, const HistoryFilter &filter, std::function<void(std::vector<HistoryRunEntry>)> done)
{
    return submit<std::vector<HistoryRunEntry>>(
        context, false, [filter](HistoryStore &store) { return store.listRuns(filter); }, std::move(done));
}

bool HistoryDatabase::listFolders(QObject *context, std::function<void(QStringList)> done)
{
    return submit<QStringList>(
        context, false, [](HistoryStore &store) { return store.listFolders(); }, std::move(done));
}

bool HistoryDatabase::readRun(QObject *context, qint64 id, std::function<void(LoadedReport)> done)
{
    return submit<LoadedReport>(
        context, false,
        [id](HistoryStore &store) -> std::optional<LoadedReport> {
            LoadedReport report = store.readRun(id);
            return report.error.isEmpty() ? std::optional(std::move(report)) : std::nullopt;
        },
        std::move(done));
}

bool HistoryDatabase::listAblations(
    QObject *context, std::function<void(std::vector<HistoryAblationEntry>)> done)
{
    return submit<std::vector<HistoryAblationEntry>>(
        context, false, [](HistoryStore &store) { return store.listAblations(); }, std::move(done));
}

bool HistoryDatabase::readAblation(QObject *context, qint64 id, std::function<void(AblationResult)> done)
{
    return submit<AblationResult>(
        context, false,
        [id](HistoryStore &store) -> std::optional<AblationResult> {
            const std::optional<QJsonObject> json = store.readAblation(id);
            if (!json)
                return std::nullopt;
            LoadedAblation loaded = pixelperf::readAblation(*json);
            if (!loaded.error.isEmpty())
                return std::nullopt;
            return std::move(loaded.result);
        },
        std::move(done));
}

bool HistoryDatabase::renameRun(qint64 id, const QString &name)
{
    return submit<bool>(this, false,
        [id, name](
            HistoryStore &store) { return store.renameRun(id, name) ? std::optional(true) : std::nullopt; },
        {});
}

bool HistoryDatabase::annotateRun(qint64 id, const QString &note)
{
    return submit<bool>(this, false,
        [id, note](
            HistoryStore &store) { return store.annotateRun(id, note) ? std::optional(true) : std::nullopt; },
        {});
}

bool HistoryDatabase::listComparisons(
    QObject *context, std::function<void(std::vector<HistoryComparisonEntry>)> done)
{
    return submit<std::vector<HistoryComparisonEntry>>(
        context, false, [](HistoryStore &store) { return store.listComparisons(); }, std::move(done));
}

bool HistoryDatabase::deleteRuns(const QList<qint64> &ids)
{
    return submit<bool>(
        this, false,
        [ids](HistoryStore &store) { return store.deleteRuns(ids) ? std::optional(true) : std::nullopt; },
        std::function<void(bool)>([this, ids](bool) {
            m_deleted += ids;
            emit runsDeleted(ids);
        }));
}

void HistoryDatabase::settle(const QList<qint64> &ids)
{
    m_deleted.removeIf([&ids](qint64 id) { return ids.contains(id); });
}

bool HistoryDatabase::restoreRuns(const QList<qint64> &ids)
{
    return submit<bool>(
        this, false,
        [ids](HistoryStore &store) { return store.restoreRuns(ids) ? std::optional(true) : std::nullopt; },
        std::function<void(bool)>([this, ids](bool) {
            settle(ids);
            emit runsRestored(ids);
        }),
        true);
}

bool HistoryDatabase::purgeRuns(const QList<qint64> &ids)
{
    return submit<bool>(
        this, false,
        [ids](HistoryStore &store) { return store.purgeRuns(ids) ? std::optional(true) : std::nullopt; },
        std::function<void(bool)>([this, ids](bool) { settle(ids); }), true);
}

bool HistoryDatabase::trend(QObject *context, const QString &configKey, const QString &folder,
    std::function<void(std::vector<TrendPoint>)> done)
{
    return submit<std::vector<TrendPoint>>(
        context, false, [configKey, folder](HistoryStore &store) { return store.trend(configKey, folder); },
        std::move(done));
}

} // namespace pixelperf
