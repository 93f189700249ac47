// HistoryStore's reads and edits: the list, one run, the trend. A run
// marked deleted (deleted_at set) is read by none of them.
#include "history/historystore.h"
#include "pipeline/toggles.h"

#include "history/historyschema.h"

#include <QJsonDocument>
#include <QSqlQuery>
#include <QVariant>

namespace pixelperf {

namespace {

const char RunColumns[]
    = "id, started_at, folder, preset, toggles, config_key, images, images_failed, repetitions, "
      "cancelled, ms_per_image, images_per_second, peak_rss_bytes, app_version, git_revision, "
      "host, name, note";

HistoryRunEntry runEntryFrom(const QSqlQuery &q)
{
    HistoryRunEntry e;
    e.id = q.value(0).toLongLong();
    e.startedAt = QDateTime::fromString(q.value(1).toString(), Qt::ISODateWithMs);
    e.folder = q.value(2).toString();
    e.preset = q.value(3).toString();
    e.toggles = q.value(4).toString();
    e.configKey = q.value(5).toString();
    e.images = q.value(6).toInt();
    e.imagesFailed = q.value(7).toInt();
    e.repetitions = q.value(8).toInt();
    e.cancelled = q.value(9).toBool();
    e.msPerImage = q.value(10).toDouble();
    e.imagesPerSecond = q.value(11).toDouble();
    e.peakRssBytes = q.value(12).toLongLong();
    e.appVersion = q.value(13).toString();
    e.gitRevision = q.value(14).toString();
    e.host = q.value(15).toString();
    e.name = q.value(16).toString();
    e.note = q.value(17).toString();
    return e;
}

QString inUtc(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

// A comparison's runs are links while they are live (a run being deleted is
// none, and is one again when the deletion is undone).
const char ComparisonSelect[]
    = "SELECT c.id, c.recorded_at, c.label_a, c.label_b, ra.id, rb.id, c.speedup, c.verdict, c.source_a, "
      "c.source_b FROM comparisons c "
      "LEFT JOIN runs ra ON ra.id = c.run_a AND ra.deleted_at IS NULL "
      "LEFT JOIN runs rb ON rb.id = c.run_b AND rb.deleted_at IS NULL";

// In ComparisonSelect's order, as HistoryComparisonEntry's members are.
HistoryComparisonEntry comparisonEntryFrom(const QSqlQuery &q)
{
    return { q.value(0).toLongLong(), QDateTime::fromString(q.value(1).toString(), Qt::ISODateWithMs),
        q.value(2).toString(), q.value(3).toString(), q.value(4).toLongLong(), q.value(5).toLongLong(),
        q.value(6).toDouble(), q.value(7).toString(), q.value(8).toString(), q.value(9).toString() };
}

} // namespace

std::optional<std::vector<HistoryRunEntry>> HistoryStore::listRuns(const HistoryFilter &filter)
{
    if (!isOpen())
        return std::nullopt;
    QStringList where { QStringLiteral("deleted_at IS NULL") };
    QVariantList binds;
    if (!filter.folder.isEmpty()) {
        where << QStringLiteral("folder = ?");
        binds << historyFolder(filter.folder);
    }
    if (canonicalPresetName(filter.preset) == QLatin1String("naive")) {
        // Runs kept before the all-off preset was renamed "naive" are
        // stored as "baseline": a filter on either name finds both.
        where << QStringLiteral("preset IN ('naive', 'baseline')");
    } else if (!filter.preset.isEmpty()) {
        where << QStringLiteral("preset = ?");
        binds << filter.preset;
    }
    if (filter.from.isValid()) {
        where << QStringLiteral("started_at_utc >= ?");
        binds << inUtc(filter.from);
    }
    if (filter.to.isValid()) {
        where << QStringLiteral("started_at_utc <= ?");
        binds << inUtc(filter.to);
    }
    QSqlQuery q(database());
    q.prepare(
        QStringLiteral("SELECT %1 FROM runs WHERE %2 ORDER BY started_at_utc DESC, id DESC LIMIT ? OFFSET ?")
            .arg(QLatin1String(RunColumns), where.join(QStringLiteral(" AND "))));
    for (const QVariant &v : binds)
        q.addBindValue(v);
    q.addBindValue(filter.limit > 0 ? filter.limit : -1);
    q.addBindValue(std::max(0, filter.offset));
    if (!q.exec())
        return fail(QStringLiteral("listing the runs"), q.lastError()), std::nullopt;
    std::vector<HistoryRunEntry> entries;
    while (q.next())
        entries.push_back(runEntryFrom(q));
    return entries;
}

std::optional<HistoryRunEntry> HistoryStore::runEntry(qint64 id)
{
    if (!isOpen())
        return std::nullopt;
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT %1 FROM runs WHERE id = ? AND deleted_at IS NULL")
                  .arg(QLatin1String(RunColumns)));
    q.addBindValue(id);
    if (!q.exec())
        return fail(QStringLiteral("reading run %1").arg(id), q.lastError()), std::nullopt;
    if (!q.next())
        return failWith(QStringLiteral("has no run %1").arg(id)), std::nullopt;
    return runEntryFrom(q);
}

std::optional<QStringList> HistoryStore::listFolders()
{
    if (!isOpen())
        return std::nullopt;
    QSqlQuery q(database());
    if (!q.exec(QStringLiteral("SELECT DISTINCT folder FROM runs WHERE deleted_at IS NULL ORDER BY folder")))
        return fail(QStringLiteral("listing the folders"), q.lastError()), std::nullopt;
    QStringList folders;
    while (q.next())
        folders << q.value(0).toString();
    return folders;
}

LoadedReport HistoryStore::readRun(qint64 id)
{
    LoadedReport r;
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT report_json FROM runs WHERE id = ? AND deleted_at IS NULL"));
    q.addBindValue(id);
    if (!isOpen() || !q.exec()) {
        fail(QStringLiteral("reading run %1").arg(id), q.lastError());
        r.error = m_error;
    } else if (!q.next()) {
        failWith(QStringLiteral("has no run %1 (pixelperf-cli history lists them)").arg(id));
        r.error = m_error;
    } else {
        r = readReport(q.value(0).toString().toUtf8());
        if (!r.error.isEmpty())
            r.error = QStringLiteral("history %1, run %2: %3").arg(m_path).arg(id).arg(r.error);
    }
    return r;
}

std::optional<std::vector<HistoryAblationEntry>> HistoryStore::listAblations(int limit)
{
    if (!isOpen())
        return std::nullopt;
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT id, started_at, folder, preset, rounds, cancelled, name FROM ablations "
                             "ORDER BY started_at_utc DESC, id DESC LIMIT ?"));
    q.addBindValue(limit > 0 ? limit : -1);
    if (!q.exec())
        return fail(QStringLiteral("listing the ablations"), q.lastError()), std::nullopt;
    std::vector<HistoryAblationEntry> entries;
    while (q.next())
        entries.push_back({ q.value(0).toLongLong(),
            QDateTime::fromString(q.value(1).toString(), Qt::ISODateWithMs), q.value(2).toString(),
            q.value(3).toString(), q.value(4).toInt(), q.value(5).toBool(), q.value(6).toString() });
    return entries;
}

std::optional<QJsonObject> HistoryStore::readAblation(qint64 id)
{
    if (!isOpen())
        return std::nullopt;
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT report_json FROM ablations WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec())
        return fail(QStringLiteral("reading ablation %1").arg(id), q.lastError()), std::nullopt;
    if (!q.next())
        return failWith(QStringLiteral("has no ablation %1").arg(id)), std::nullopt;
    return QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object();
}

std::optional<std::vector<HistoryComparisonEntry>> HistoryStore::listComparisons(int limit)
{
    if (!isOpen())
        return std::nullopt;
    QSqlQuery q(database());
    q.prepare(QStringLiteral("%1 ORDER BY c.recorded_at_utc DESC, c.id DESC LIMIT ?")
                  .arg(QLatin1String(ComparisonSelect)));
    q.addBindValue(limit > 0 ? limit : -1);
    if (!q.exec())
        return fail(QStringLiteral("listing the comparisons"), q.lastError()), std::nullopt;
    std::vector<HistoryComparisonEntry> entries;
    while (q.next())
        entries.push_back(comparisonEntryFrom(q));
    return entries;
}

std::optional<HistoryComparisonEntry> HistoryStore::comparisonEntry(qint64 id)
{
    if (!isOpen())
        return std::nullopt;
    QSqlQuery q(database());
    q.prepare(QStringLiteral("%1 WHERE c.id = ?").arg(QLatin1String(ComparisonSelect)));
    q.addBindValue(id);
    if (!q.exec())
        return fail(QStringLiteral("reading comparison %1").arg(id), q.lastError()), std::nullopt;
    if (!q.next())
        return failWith(QStringLiteral("has no comparison %1").arg(id)), std::nullopt;
    return comparisonEntryFrom(q);
}

bool HistoryStore::changeRuns(
    const QList<qint64> &ids, const QString &sql, const QVariantList &values, bool eachMustExist)
{
    if (!isOpen())
        return false;
    const QString what = ids.size() == 1 ? QStringLiteral("changing run %1").arg(ids.front())
                                         : QStringLiteral("changing %1 runs").arg(ids.size());
    QSqlDatabase db = database();
    history::WriteTransaction tx(db);
    if (!tx.begin())
        return fail(what, tx.lastError());
    QSqlQuery q(db);
    q.prepare(sql);
    for (qint64 id : ids) {
        history::bindAll(q, values + QVariantList { id });
        if (!q.exec())
            return fail(what, q.lastError());
        if (eachMustExist && q.numRowsAffected() != 1)
            return failWith(QStringLiteral("has no run %1").arg(id)); // rolled back: none changed
    }
    return tx.commit() || fail(what, tx.lastError());
}

bool HistoryStore::renameRun(qint64 id, const QString &name)
{
    return changeRuns(
        { id }, QStringLiteral("UPDATE runs SET name = ? WHERE id = ? AND deleted_at IS NULL"), { name });
}

bool HistoryStore::annotateRun(qint64 id, const QString &note)
{
    return changeRuns(
        { id }, QStringLiteral("UPDATE runs SET note = ? WHERE id = ? AND deleted_at IS NULL"), { note });
}

bool HistoryStore::deleteRuns(const QList<qint64> &ids)
{
    return changeRuns(ids,
        QStringLiteral("UPDATE runs SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL"),
        { inUtc(QDateTime::currentDateTimeUtc()) });
}

bool HistoryStore::restoreRuns(const QList<qint64> &ids)
{
    return changeRuns(
        ids, QStringLiteral("UPDATE runs SET deleted_at = NULL WHERE id = ? AND deleted_at IS NOT NULL"), {});
}

bool HistoryStore::purgeRuns(const QList<qint64> &ids)
{
    // Foreign keys cascade to the repetitions, stages and memory series; a
    // comparison keeps its row without the link (ON DELETE SET NULL).
    return changeRuns(
        ids, QStringLiteral("DELETE FROM runs WHERE id = ? AND deleted_at IS NOT NULL"), {}, false);
}

std::optional<int> HistoryStore::purgeRunsDeletedBefore(const QDateTime &before)
{
    if (!isOpen())
        return std::nullopt;
    const QString what = QStringLiteral("purging deleted runs");
    QSqlDatabase db = database();
    history::WriteTransaction tx(db);
    if (!tx.begin())
        return fail(what, tx.lastError()), std::nullopt;
    QSqlQuery q(db);
    q.prepare(QStringLiteral("DELETE FROM runs WHERE deleted_at IS NOT NULL AND deleted_at < ?"));
    q.addBindValue(inUtc(before));
    if (!q.exec())
        return fail(what, q.lastError()), std::nullopt;
    const int purged = q.numRowsAffected();
    if (!tx.commit())
        return fail(what, tx.lastError()), std::nullopt;
    return purged;
}

std::optional<std::vector<TrendPoint>> HistoryStore::trend(const QString &configKey, const QString &folder)
{
    if (!isOpen())
        return std::nullopt;
    QSqlQuery q(database());
    q.prepare(QStringLiteral(
        "SELECT r.id, r.started_at, r.app_version, r.git_revision, p.images_per_second, p.peak_rss_bytes "
        "FROM runs r JOIN repetitions p ON p.run_id = r.id "
        "WHERE r.config_key = ? AND r.folder = ? AND p.cancelled = 0 AND r.deleted_at IS NULL "
        "ORDER BY r.started_at_utc, r.id, p.repetition"));
    q.addBindValue(configKey);
    q.addBindValue(historyFolder(folder));
    if (!q.exec())
        return fail(QStringLiteral("reading the trend"), q.lastError()), std::nullopt;
    std::vector<TrendPoint> points;
    std::vector<double> ips, rss;
    auto finish = [&] {
        if (points.empty())
            return;
        points.back().imagesPerSecond = spreadOf(ips);
        points.back().peakRssBytes = spreadOf(rss);
        ips.clear();
        rss.clear();
    };
    while (q.next()) {
        if (points.empty() || points.back().runId != q.value(0).toLongLong()) {
            finish();
            points.push_back(
                { q.value(0).toLongLong(), QDateTime::fromString(q.value(1).toString(), Qt::ISODateWithMs),
                    q.value(2).toString(), q.value(3).toString(), {}, {} });
        }
        ips.push_back(q.value(4).toDouble());
        rss.push_back(q.value(5).toDouble());
    }
    finish();
    return points;
}

} // namespace pixelperf
