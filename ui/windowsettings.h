// The window's remembered state, typed: geometry and splitters, the folders
// opened last, where and in which format reports were exported and read.
// One place names the keys; each setter writes through at once, so a crash
// loses nothing. The toggle panel keeps its own part (TogglePanel::saveSettings).
#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

class QMainWindow;
class QSplitter;

namespace pixelperf {

class WindowSettings : public QObject
{
    Q_OBJECT
public:
    static constexpr int MaxRecentFolders = 8;

    explicit WindowSettings(QObject *parent = nullptr);

    // The window's geometry, its bars and its splitters (each under its
    // objectName); a first start gets most of the screen.
    void restoreWindow(QMainWindow *window, const QList<QSplitter *> &splitters) const;
    void saveWindow(const QMainWindow *window, const QList<QSplitter *> &splitters);

    QString lastFolder() const;
    // Newest first, at most MaxRecentFolders, no empty entries.
    QStringList recentFolders() const;
    // Opened now: first in the list, and the last folder.
    void addRecentFolder(const QString &dir);
    void clearRecentFolders();

    // Where the last report of a kind went and its format key ("html",
    // "json", …): a run's report and the ablation's are remembered apart.
    enum class Export { Run, Ablation };
    QString exportDir(Export kind, const QString &fallback) const;
    QString exportFormat(Export kind) const;
    void setExport(Export kind, const QString &dir, const QString &format);
    // The folder of the last report opened.
    QString reportDir(const QString &fallback) const;
    void setReportDir(const QString &dir);

    // Whether the window stores its runs in the history database (on unless
    // the user turned it off in the history panel).
    bool keepHistory() const;
    void setKeepHistory(bool keep);

signals:
    void recentFoldersChanged(const QStringList &folders);
    void keepHistoryChanged(bool keep);
};

} // namespace pixelperf
