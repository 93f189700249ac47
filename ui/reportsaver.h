// Where reports go: asks for a file name (the last folder and format offered
// again, the filter's suffix added when the name has none) and writes the
// report off the GUI thread through core's one dispatch by suffix
// (reports/reportexport.h). Each save reports back with saved().
#pragma once

#include "measure/ablation.h"
#include "measure/runresult.h"
#include "reports/reportexport.h"

#include <QObject>

#include <functional>
#include <memory>
#include <vector>

class QWidget;

namespace pixelperf {

class WindowSettings;

class ReportSaver : public QObject
{
    Q_OBJECT
public:
    // Dialogs open over `dialogParent`.
    ReportSaver(WindowSettings *settings, QWidget *dialogParent);

    // A file dialog for a run's report named `baseName`; empty when cancelled.
    QString chooseRunPath(const QString &baseName, const QString &fallbackDir);
    QString chooseAblationPath();

    // Writes off the GUI thread; saved() follows.
    void saveRun(const QString &path, std::shared_ptr<const RunResult> run,
        std::shared_ptr<const std::vector<RunResult>> repeats);
    void saveAblation(const QString &path, AblationResult result);

signals:
    // An empty error: written.
    void saved(const QString &path, const QString &error);

private:
    QString choosePath(const QString &title, const QString &proposed, const QList<ReportFormat> &formats,
        ReportFormat preferred);
    void write(const QString &path, std::function<bool(QString *)> writer);

    WindowSettings *m_settings;
    QWidget *m_dialogParent;
};

} // namespace pixelperf
