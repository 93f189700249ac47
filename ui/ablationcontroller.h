// "What did each optimization buy?" in the window: starts the ablation
// (each configuration in a child process, through IsolatedJobs), shows each
// configuration on the dashboard as it is measured, cancels with what was
// measured kept, and opens the result, which is kept in the history
// (resultKept()); Run ▸ Last Ablation Result reopens this session's latest,
// the history panel's Ablations page any earlier one (showResult()).
#pragma once

#include "dashboardmodel.h"
#include "measure/ablation.h"

#include <QObject>
#include <QPointer>

#include <optional>

class QAction;
class QPushButton;
class QWidget;

namespace pixelperf {

class AblationDialog;
class DashboardView;
class IsolatedJobs;
class ReportSaver;

class AblationController : public QObject
{
    Q_OBJECT
public:
    AblationController(IsolatedJobs *jobs, DashboardView *dashboard, ReportSaver *saver, QWidget *window);

    // Starts from the optimized preset with the panel's parameters and
    // folder, `rounds` rounds, `warmups` unmeasured passes in each process.
    // False when a job is going.
    bool start(const PipelineConfig &panel, int rounds, int warmups);
    void cancel();
    bool isRunning() const;
    AblationDialog *dialog() const;
    // Opens the latest result again; null when there is none.
    AblationDialog *showLastResult();
    // A result read back from the history, in the dialog.
    AblationDialog *showResult(const AblationResult &result);
    QPushButton *cancelButton() const { return m_cancel; }
    QAction *reopenAction() const { return m_reopen; }

signals:
    void status(const QString &message, int timeoutMs);
    void progress(int done, int total);
    // The configuration being measured: the panel can show it.
    void measuring(const pixelperf::ToggleSet &toggles);
    void finished(bool cancelled);
    // A result worth keeping (something was measured): for the history.
    void resultKept(const pixelperf::AblationResult &result);

private:
    void onProgress(int done, int total, const QString &label);
    void onMeasured(int configuration, const RunResult &run);
    void onFinished(const AblationResult &result);
    // "everything on" or "without lanczos" for a configuration measured.
    QString configurationName(const ToggleSet &toggles) const;
    // The toggles of a measurement by its progress label.
    ToggleSet togglesOf(const QString &label) const;

    IsolatedJobs *m_jobs;
    DashboardView *m_dashboard;
    ReportSaver *m_saver;
    QWidget *m_window;
    QPushButton *m_cancel = nullptr;
    QAction *m_reopen = nullptr;
    DashboardModel m_measured; // the configuration measured last
    PipelineConfig m_config;
    int m_done = 0;
    int m_total = 0;
    std::optional<AblationResult> m_last;
    QPointer<AblationDialog> m_dialog;
    bool m_dialogShowsLast = false; // else a result read back from the history
};

} // namespace pixelperf
