#include "storedablationslist.h"

#include "historydatabase.h"
#include "measure/ablation.h"

#include <QDir>
#include <QFileInfo>
#include <QTreeWidgetItem>

namespace pixelperf {

StoredAblationsList::StoredAblationsList(HistoryDatabase *database, QWidget *parent)
    : StoredEntryList(QStringLiteral("storedAblations"),
        { tr("#"), tr("Started"), tr("Folder"), tr("From"), tr("Rounds") }, tr("Open Chart"),
        QStringLiteral("openAblationButton"),
        tr("The picked ablation's tornado chart again (a double-click does the same)"), parent)
    , m_database(database)
{
    connect(m_database, &HistoryDatabase::ablationStored, this,
        [this](const HistoryAblationEntry &e) { insertEntry(0, e); });
    m_database->listAblations(this, [this](const std::vector<HistoryAblationEntry> &entries) {
        for (const HistoryAblationEntry &e : entries)
            insertEntry(count(), e);
    });
}

void StoredAblationsList::insertEntry(int position, const HistoryAblationEntry &e)
{
    QTreeWidgetItem *item = insert(position, e.id,
        { QString::number(e.id), QLocale().toString(e.startedAt, QStringLiteral("yyyy-MM-dd HH:mm")),
            QFileInfo(e.folder).fileName(), e.preset,
            e.cancelled ? tr("%1, cancelled").arg(e.rounds) : QString::number(e.rounds) });
    item->setToolTip(2, QDir::toNativeSeparators(e.folder));
}

bool StoredAblationsList::openEntry(const QTreeWidgetItem &, qint64 id)
{
    return m_database->readAblation(this, id, [this](const AblationResult &r) { emit ablationRead(r); });
}

} // namespace pixelperf
