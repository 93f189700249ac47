// The offer to undo a deletion of stored runs: a line "Deleted 3 runs from
// the history — Undo" above the list for a few seconds, and an action
// (Edit ▸ Undo Delete, Ctrl+Z) enabled while it lasts. The runs are hidden
// everywhere at once (HistoryDatabase::deleteRuns); Undo restores them with
// their reports; when the offer ends (its time, the next deletion) they are
// purged. Closing the window ends it too (HistoryDatabase purges them).
#pragma once

#include <QList>
#include <QTimer>
#include <QWidget>

class QAction;
class QLabel;

namespace pixelperf {

class HistoryDatabase;

class UndoDeleteBar : public QWidget
{
    Q_OBJECT
public:
    static constexpr int DefaultTimeoutMs = 10000;

    explicit UndoDeleteBar(HistoryDatabase *database, QWidget *parent = nullptr);

    QAction *undoAction() const { return m_action; }
    bool isOffered() const { return !m_ids.isEmpty(); }
    QList<qint64> offered() const { return m_ids; }
    int timeoutMs() const { return m_timer.interval(); }
    void setTimeoutMs(int ms) { m_timer.setInterval(ms); }

    // Restores the runs offered; false when none is.
    bool undo();
    // Ends the offer: the runs offered are purged.
    void finish();

signals:
    void status(const QString &message, int timeoutMs);

private:
    void offer(const QList<qint64> &ids);
    void withdraw();

    HistoryDatabase *m_database;
    QLabel *m_label = nullptr;
    QAction *m_action = nullptr;
    QTimer m_timer;
    QList<qint64> m_ids;
};

} // namespace pixelperf
