// GUI tests never read or write the user's settings, folders or run
// history: QSettings and QStandardPaths point into a temporary folder for the
// whole test, under an organization and application of its own, and the
// history database (PIXELPERF_DB) is a file there. One per test program, built in
// initTestCase(); clear() before each test starts from no settings.
#pragma once

#include <QCoreApplication>
#include <QFile>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>

namespace pixelperf::test {

class IsolatedSettings
{
public:
    // False when the temporary folder could not be made.
    bool setUp(const QString &applicationName)
    {
        QStandardPaths::setTestModeEnabled(true);
        if (!m_home.isValid())
            return false;
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_home.path());
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_home.path());
        QCoreApplication::setOrganizationName(QStringLiteral("PixelPerfTest"));
        QCoreApplication::setApplicationName(applicationName);
        qputenv("PIXELPERF_DB", QFile::encodeName(historyPath()));
        return true;
    }
    void clear() { QSettings().clear(); }
    QString path() const { return m_home.path(); }
    QString historyPath() const { return m_home.filePath(QStringLiteral("history.sqlite")); }

private:
    QTemporaryDir m_home;
};

} // namespace pixelperf::test
