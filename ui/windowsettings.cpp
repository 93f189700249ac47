#include "windowsettings.h"

#include <QMainWindow>
#include <QScreen>
#include <QSettings>
#include <QSplitter>

namespace pixelperf {

namespace {

const QString GeometryKey = QStringLiteral("window/geometry");
const QString StateKey = QStringLiteral("window/state");
const QString LastFolderKey = QStringLiteral("lastFolder");
const QString RecentKey = QStringLiteral("recentFolders");
const QString ExportDirKey = QStringLiteral("export/dir");
const QString ExportFormatKey = QStringLiteral("export/format");
const QString AblationDirKey = QStringLiteral("ablation/exportDir");
const QString AblationFormatKey = QStringLiteral("ablation/exportFormat");
const QString ReportDirKey = QStringLiteral("reports/lastDir");
const QString KeepHistoryKey = QStringLiteral("history/keep");

QString text(const QString &key, const QString &fallback = {})
{
    return QSettings().value(key, fallback).toString();
}

} // namespace

WindowSettings::WindowSettings(QObject *parent)
    : QObject(parent)
{ }

void WindowSettings::restoreWindow(QMainWindow *window, const QList<QSplitter *> &splitters) const
{
    QSettings s;
    if (!window->restoreGeometry(s.value(GeometryKey).toByteArray())) {
        QSize size(1600, 1000);
        if (const QScreen *screen = window->screen())
            size = size.boundedTo(screen->availableGeometry().size() * 0.95);
        window->resize(size);
    }
    window->restoreState(s.value(StateKey).toByteArray());
    for (QSplitter *splitter : splitters)
        splitter->restoreState(s.value(QStringLiteral("window/") + splitter->objectName()).toByteArray());
}

void WindowSettings::saveWindow(const QMainWindow *window, const QList<QSplitter *> &splitters)
{
    QSettings s;
    s.setValue(GeometryKey, window->saveGeometry());
    s.setValue(StateKey, window->saveState());
    for (const QSplitter *splitter : splitters)
        s.setValue(QStringLiteral("window/") + splitter->objectName(), splitter->saveState());
}

QString WindowSettings::lastFolder() const
{
    return text(LastFolderKey);
}

QStringList WindowSettings::recentFolders() const
{
    QStringList recent = QSettings().value(RecentKey).toStringList();
    recent.removeAll(QString());
    while (recent.size() > MaxRecentFolders)
        recent.removeLast();
    return recent;
}

void WindowSettings::addRecentFolder(const QString &dir)
{
    QStringList recent = recentFolders();
    recent.removeAll(dir);
    recent.prepend(dir);
    while (recent.size() > MaxRecentFolders)
        recent.removeLast();
    QSettings s;
    s.setValue(LastFolderKey, dir);
    s.setValue(RecentKey, recent);
    emit recentFoldersChanged(recent);
}

void WindowSettings::clearRecentFolders()
{
    QSettings().setValue(RecentKey, QStringList());
    emit recentFoldersChanged({});
}

QString WindowSettings::exportDir(Export kind, const QString &fallback) const
{
    return text(kind == Export::Run ? ExportDirKey : AblationDirKey, fallback);
}

QString WindowSettings::exportFormat(Export kind) const
{
    return text(kind == Export::Run ? ExportFormatKey : AblationFormatKey, QStringLiteral("html"));
}

void WindowSettings::setExport(Export kind, const QString &dir, const QString &format)
{
    QSettings s;
    s.setValue(kind == Export::Run ? ExportDirKey : AblationDirKey, dir);
    s.setValue(kind == Export::Run ? ExportFormatKey : AblationFormatKey, format);
}

QString WindowSettings::reportDir(const QString &fallback) const
{
    return text(ReportDirKey, fallback);
}

void WindowSettings::setReportDir(const QString &dir)
{
    QSettings().setValue(ReportDirKey, dir);
}

bool WindowSettings::keepHistory() const
{
    return QSettings().value(KeepHistoryKey, true).toBool();
}

void WindowSettings::setKeepHistory(bool keep)
{
    if (keep == keepHistory())
        return;
    QSettings().setValue(KeepHistoryKey, keep);
    emit keepHistoryChanged(keep);
}

} // namespace pixelperf
