#include "storedcomparisonslist.h"

#include "historydatabase.h"

#include <QDir>
#include <QTreeWidgetItem>

namespace pixelperf {

namespace {

constexpr int RunARole = Qt::UserRole + 2;
constexpr int RunBRole = Qt::UserRole + 3;

} // namespace

StoredComparisonsList::StoredComparisonsList(HistoryDatabase *database, QWidget *parent)
    : StoredEntryList(QStringLiteral("storedComparisons"),
        { tr("#"), tr("Compared"), tr("A (reference)"), tr("B (candidate)"), tr("Speedup"), tr("Verdict") },
        tr("Open Comparison"), QStringLiteral("openComparisonButton"),
        tr("The two runs side by side again, read back from the history (a double-click does the same)"),
        parent)
    , m_database(database)
{
    connect(m_database, &HistoryDatabase::comparisonStored, this, [this](const HistoryComparisonEntry &e) {
        if (rowOf(e.id) < 0) // a pair kept already is listed already
            insertEntry(0, e);
    });
    connect(m_database, &HistoryDatabase::runsDeleted, this, &StoredComparisonsList::reload);
    connect(m_database, &HistoryDatabase::runsRestored, this, &StoredComparisonsList::reload);
    reload();
}

void StoredComparisonsList::reload()
{
    const quint64 generation = ++m_generation;
    m_database->listComparisons(this, [this, generation](const std::vector<HistoryComparisonEntry> &entries) {
        if (generation != m_generation)
            return;
        clear();
        for (const HistoryComparisonEntry &e : entries)
            insertEntry(count(), e);
    });
}

void StoredComparisonsList::insertEntry(int position, const HistoryComparisonEntry &e)
{
    const bool openable = e.runA > 0 && e.runB > 0;
    QTreeWidgetItem *item = insert(position, e.id,
        { QString::number(e.id), QLocale().toString(e.recordedAt, QStringLiteral("yyyy-MM-dd HH:mm")),
            e.labelA, e.labelB, QStringLiteral("%1×").arg(e.speedup, 0, 'f', 2), e.verdict },
        openable);
    item->setData(0, RunARole, e.runA);
    item->setData(0, RunBRole, e.runB);
    auto side = [](qint64 run, const QString &file) {
        return file.isEmpty() ? tr("run %1").arg(run) : QDir::toNativeSeparators(file);
    };
    QString tip;
    if (!e.sourceA.isEmpty() || !e.sourceB.isEmpty())
        tip = tr("Compared with a report file (pixelperf-cli compare): %1 and %2; only two runs of the "
                 "history open again here")
                  .arg(side(e.runA, e.sourceA), side(e.runB, e.sourceB));
    else if (!openable)
        tip = tr("A run of this comparison has been deleted from the history: it cannot be opened again");
    else
        tip = tr("Runs %1 and %2 of the history").arg(e.runA).arg(e.runB);
    for (int c = 0; c < item->columnCount(); ++c)
        item->setToolTip(c, tip);
}

bool StoredComparisonsList::openEntry(const QTreeWidgetItem &item, qint64)
{
    emit compareRequested(item.data(0, RunARole).toLongLong(), item.data(0, RunBRole).toLongLong());
    return true;
}

} // namespace pixelperf
