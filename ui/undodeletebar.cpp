#include "undodeletebar.h"

#include "historydatabase.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace pixelperf {

UndoDeleteBar::UndoDeleteBar(HistoryDatabase *database, QWidget *parent)
    : QWidget(parent)
    , m_database(database)
{
    setObjectName(QStringLiteral("undoDeleteBar"));
    m_label = new QLabel(this);
    m_label->setObjectName(QStringLiteral("undoDeleteText"));
    auto *undo = new QPushButton(tr("Undo"), this);
    undo->setObjectName(QStringLiteral("undoDeleteButton"));
    undo->setToolTip(tr("Bring the runs back, with their reports (Ctrl+Z)"));
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_label, 1);
    row->addWidget(undo);
    m_action = new QAction(tr("&Undo Delete"), this);
    m_action->setObjectName(QStringLiteral("actionUndoDelete"));
    m_action->setShortcut(QKeySequence::Undo);
    m_action->setEnabled(false);
    m_timer.setSingleShot(true);
    m_timer.setInterval(DefaultTimeoutMs);
    connect(&m_timer, &QTimer::timeout, this, &UndoDeleteBar::finish);
    connect(undo, &QPushButton::clicked, this, &UndoDeleteBar::undo);
    connect(m_action, &QAction::triggered, this, &UndoDeleteBar::undo);
    connect(m_database, &HistoryDatabase::runsDeleted, this, &UndoDeleteBar::offer);
    connect(m_database, &HistoryDatabase::runsRestored, this, [this](const QList<qint64> &ids) {
        emit status(tr("Restored %n run(s) to the history", nullptr, int(ids.size())), 5000);
    });
    hide();
}

void UndoDeleteBar::offer(const QList<qint64> &ids)
{
    finish(); // one offer at a time: the one before ends here
    m_ids = ids;
    const QString text = tr("Deleted %n run(s) from the history", nullptr, int(ids.size()));
    m_label->setText(text + QStringLiteral(" —"));
    m_action->setText(tr("&Undo Delete of %n Run(s)", nullptr, int(ids.size())));
    m_action->setEnabled(true);
    show();
    m_timer.start();
    emit status(
        tr("%1 — Edit ▸ Undo (Ctrl+Z) brings them back for %2 s").arg(text).arg(m_timer.interval() / 1000),
        m_timer.interval());
}

bool UndoDeleteBar::undo()
{
    if (!isOffered())
        return false;
    const QList<qint64> ids = m_ids;
    withdraw();
    if (!m_database->restoreRuns(ids)) {
        emit status(tr("Cannot undo: history is off (%1)").arg(m_database->offReason()), 10000);
        return false;
    }
    return true;
}

void UndoDeleteBar::finish()
{
    if (!isOffered())
        return;
    const QList<qint64> ids = m_ids;
    withdraw();
    m_database->purgeRuns(ids);
}

void UndoDeleteBar::withdraw()
{
    m_timer.stop();
    m_ids.clear();
    m_action->setEnabled(false);
    m_action->setText(tr("&Undo Delete"));
    hide();
}

} // namespace pixelperf
