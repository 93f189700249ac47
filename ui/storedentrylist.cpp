#include "storedentrylist.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace pixelperf {

namespace {

constexpr int IdRole = Qt::UserRole;
constexpr int OpenableRole = Qt::UserRole + 1;

} // namespace

StoredEntryList::StoredEntryList(const QString &name, const QStringList &headers, const QString &openText,
    const QString &openName, const QString &openToolTip, QWidget *parent)
    : QWidget(parent)
{
    setObjectName(name);
    m_view = new QTreeWidget(this);
    m_view->setObjectName(name + QStringLiteral("View"));
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setHeaderLabels(headers);
    m_view->header()->setStretchLastSection(true);
    m_open = new QPushButton(openText, this);
    m_open->setObjectName(openName);
    m_open->setToolTip(openToolTip);
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
    connect(m_view, &QTreeWidget::currentItemChanged, this, &StoredEntryList::updateButton);
    connect(m_open, &QPushButton::clicked, this,
        [this] { open(m_view->indexOfTopLevelItem(m_view->currentItem())); });
}

int StoredEntryList::count() const
{
    return m_view->topLevelItemCount();
}

int StoredEntryList::rowOf(qint64 id) const
{
    for (int row = 0; row < count(); ++row)
        if (m_view->topLevelItem(row)->data(0, IdRole).toLongLong() == id)
            return row;
    return -1;
}

QTreeWidgetItem *StoredEntryList::insert(int position, qint64 id, const QStringList &texts, bool openable)
{
    auto *item = new QTreeWidgetItem(texts);
    item->setData(0, IdRole, id);
    item->setData(0, OpenableRole, openable);
    if (!openable) // listed, greyed, and not opened
        for (int c = 0; c < item->columnCount(); ++c)
            item->setForeground(c, m_view->palette().brush(QPalette::Disabled, QPalette::Text));
    m_view->insertTopLevelItem(position, item);
    updateButton();
    return item;
}

void StoredEntryList::clear()
{
    m_view->clear();
    updateButton();
}

void StoredEntryList::updateButton()
{
    const QTreeWidgetItem *current = m_view->currentItem();
    m_open->setEnabled(current && current->data(0, OpenableRole).toBool());
}

bool StoredEntryList::open(int row)
{
    const QTreeWidgetItem *item = m_view->topLevelItem(row);
    if (!item || !item->data(0, OpenableRole).toBool())
        return false;
    return openEntry(*item, item->data(0, IdRole).toLongLong());
}

} // namespace pixelperf
