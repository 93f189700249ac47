// A page of the history panel listing entries kept in the history database
// (ablations, comparisons), newest first: flat rows and an Open button;
// opening a row (double-click, Enter, or Open) hands its id to openEntry(),
// which reads it back off the GUI thread. A row can be listed but not
// openable (its tooltip says why).
#pragma once

#include <QStringList>
#include <QWidget>

class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace pixelperf {

class StoredEntryList : public QWidget
{
    Q_OBJECT
public:
    QTreeWidget *view() const { return m_view; }
    int count() const;
    // -1 when the entry is not listed.
    int rowOf(qint64 id) const;
    // Opens the entry of `row`; false when there is none or it cannot be opened.
    bool open(int row);

protected:
    // `name`: the page's object name; its list is `name` + "View".
    StoredEntryList(const QString &name, const QStringList &headers, const QString &openText,
        const QString &openName, const QString &openToolTip, QWidget *parent);
    QTreeWidgetItem *insert(int position, qint64 id, const QStringList &texts, bool openable = true);
    void clear();
    virtual bool openEntry(const QTreeWidgetItem &item, qint64 id) = 0;

private:
    void updateButton();

    QTreeWidget *m_view = nullptr;
    QPushButton *m_open = nullptr;
};

} // namespace pixelperf
