#include "storedablationslist.h"

#include "historydatabase.h"
#include "measure/ablation.h"

#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace pixelperf {

StoredAblationsList::StoredAblationsList(HistoryDatabase *database, QWidget *parent)
    : QWidget(parent)
    , m_database(database)
{
    setObjectName(QStringLiteral("storedAblations"));
    m_view = new QTreeWidget(this);
    m_view->setObjectName(QStringLiteral("storedAblationsView"));
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setHeaderLabels({ tr("#"), tr("Started"), tr("Folder"), tr("From"), tr("Rounds") });
    m_view->header()->setStretchLastSection(true);
    m_open = new QPushButton(tr("Open Chart"), this);
    m_open->setObjectName(QStringLiteral("openAblationButton"));
    m_open->setToolTip(tr("The picked ablation's tornado chart again (a double-click does the same)"));
    m_open->setEnabled(false);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_open);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(3);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);

    connect(m_view, &QTreeWidget::itemActivated, this,
        [this](QTreeWidgetItem *item) { open(m_view->indexOfTopLevelItem(item)); });
    connect(m_view, &QTreeWidget::currentItemChanged, this,
        [this](QTreeWidgetItem *current) { m_open->setEnabled(current != nullptr); });
    connect(m_open, &QPushButton::clicked, this,
        [this] { open(m_view->indexOfTopLevelItem(m_view->currentItem())); });
    connect(m_database, &HistoryDatabase::ablationStored, this,
        [this](const HistoryAblationEntry &e) { insert(0, e); });
    m_database->listAblations(this, [this](const std::vector<HistoryAblationEntry> &entries) {
        for (const HistoryAblationEntry &e : entries)
            insert(count(), e);
    });
}

int StoredAblationsList::count() const
{
    return m_view->topLevelItemCount();
}

void StoredAblationsList::insert(int position, const HistoryAblationEntry &e)
{
    auto *item = new QTreeWidgetItem({ QString::number(e.id),
        QLocale().toString(e.startedAt, QStringLiteral("yyyy-MM-dd HH:mm")), QFileInfo(e.folder).fileName(),
        e.preset, e.cancelled ? tr("%1, cancelled").arg(e.rounds) : QString::number(e.rounds) });
    item->setData(0, Qt::UserRole, e.id);
    item->setToolTip(2, QDir::toNativeSeparators(e.folder));
    m_view->insertTopLevelItem(position, item);
}

bool StoredAblationsList::open(int row)
{
    const QTreeWidgetItem *item = m_view->topLevelItem(row);
    if (!item)
        return false;
    return m_database->readAblation(this, item->data(0, Qt::UserRole).toLongLong(),
        [this](const AblationResult &r) { emit ablationRead(r); });
}

} // namespace pixelperf
