#include "ablationcontroller.h"

#include "ablationdialog.h"
#include "dashboardview.h"
#include "isolatedjobs.h"
#include "pipeline/toggles.h"
#include "units.h"

#include <QAction>
#include <QPushButton>

namespace pixelperf {

AblationController::AblationController(
    IsolatedJobs *jobs, DashboardView *dashboard, ReportSaver *saver, QWidget *window)
    : QObject(window)
    , m_jobs(jobs)
    , m_dashboard(dashboard)
    , m_saver(saver)
    , m_window(window)
{
    m_cancel = new QPushButton(tr("Cancel"), window);
    m_cancel->setObjectName(QStringLiteral("ablationCancel"));
    m_cancel->setToolTip(tr("Stop the ablation now; what was measured is kept and shown"));
    m_cancel->hide();
    connect(m_cancel, &QPushButton::clicked, this, &AblationController::cancel);

    m_reopen = new QAction(tr("&Last Ablation Result"), this);
    m_reopen->setObjectName(QStringLiteral("actionLastAblation"));
    m_reopen->setToolTip(tr("Open the latest ablation's chart again"));
    m_reopen->setEnabled(false);
    connect(m_reopen, &QAction::triggered, this, [this] { showLastResult(); });

    connect(m_jobs, &IsolatedJobs::progress, this, [this](int done, int total, const QString &label) {
        if (m_jobs->isAblating())
            onProgress(done, total, label);
    });
    connect(m_jobs, &IsolatedJobs::measured, this, &AblationController::onMeasured);
    connect(m_jobs, &IsolatedJobs::ablationFinished, this, &AblationController::onFinished);
}

AblationDialog *AblationController::dialog() const
{
    return m_dialog;
}

bool AblationController::isRunning() const
{
    return m_jobs->isAblating();
}

bool AblationController::start(const PipelineConfig &panel, int rounds, int warmups)
{
    PipelineConfig config = panel;
    config.preset = QStringLiteral("optimized");
    config.toggles = *presetToggles(config.preset);
    // Each configuration in its own pixelperf-cli process, interleaved in
    // rounds: what ran before in this window cannot reach the figures.
    IsolationPlan plan;
    plan.rounds = rounds;
    plan.warmups = warmups; // with warm-ups, decode-cache is measured on a re-run
    if (!m_jobs->startAblation(config, plan))
        return false;
    emit measuring(config.toggles);
    m_config = config;
    m_done = m_total = 0;
    m_cancel->setEnabled(true);
    m_cancel->show();
    emit progress(0, 0);
    emit status(tr("What did each optimization buy? Starting…"), 0);
    return true;
}

void AblationController::cancel()
{
    if (!isRunning() || m_jobs->isStopping())
        return;
    m_jobs->stop();
    m_cancel->setEnabled(false);
    emit status(tr("Cancelling the ablation… what was measured is kept"), 0);
}

QString AblationController::configurationName(const ToggleSet &toggles) const
{
    for (const ToggleInfo &info : toggleTable()) {
        if (m_config.toggles.isOn(info.id) && !toggles.isOn(info.id))
            return tr("without %1").arg(QLatin1String(info.key));
    }
    return tr("everything on");
}

ToggleSet AblationController::togglesOf(const QString &label) const
{
    // "without lanczos (round 2 of 3)": the starting point, that toggle off.
    ToggleSet toggles = m_config.toggles;
    for (const ToggleInfo &info : toggleTable()) {
        if (label.startsWith(QStringLiteral("without %1 ").arg(QLatin1String(info.key))))
            toggles.set(info.id, false);
    }
    return toggles;
}

void AblationController::onProgress(int done, int total, const QString &label)
{
    m_done = done;
    m_total = total;
    emit progress(done, total);
    emit measuring(togglesOf(label)); // the panel shows the configuration going
    emit status(tr("What did each optimization buy? Run %1 of %2, each in a fresh process: %3…")
                    .arg(done + 1)
                    .arg(total)
                    .arg(label),
        0);
    m_dashboard->setTitle(
        tr("Ablation · measuring %1 (run %2 of %3)%4")
            .arg(label)
            .arg(done + 1)
            .arg(total)
            .arg(m_dashboard->model() == &m_measured ? tr(" · charts: the run before") : QString()));
}

void AblationController::onMeasured(int configuration, const RunResult &run)
{
    if (configuration != -1 || !isRunning())
        return;
    // The dashboard shows each configuration as its process finishes.
    m_measured.loadResult(run);
    m_dashboard->setModel(&m_measured);
    m_dashboard->setImageNames(run.files);
    m_dashboard->setTitle(tr("Ablation · %1 measured: %2 per image, peak RSS %3 · next: run %4 of %5")
                              .arg(configurationName(run.config.toggles), formatMs(run.summary.msPerImage()),
                                  formatBytes(run.summary.peakRssBytes))
                              .arg(std::min(m_done + 2, m_total))
                              .arg(m_total));
}

void AblationController::onFinished(const AblationResult &r)
{
    m_cancel->hide();
    // Nothing measured to attribute against: no result to keep.
    if (r.cancelled && r.entries.empty() && r.all.rounds == 0) {
        emit status(tr("Ablation cancelled after %1 of %2 runs: too little measured to attribute anything")
                        .arg(r.runsDone)
                        .arg(r.runsPlanned),
            10000);
        emit finished(true);
        return;
    }
    if (!r.error.isEmpty()) {
        emit status(tr("The ablation could not run: %1").arg(r.error), 0);
        emit finished(false);
        return;
    }
    if (m_dialog)
        m_dialog->close(); // the previous result's
    m_dialogShowsLast = false;
    m_last = r;
    m_reopen->setEnabled(true);
    showLastResult();
    emit resultKept(r);
    emit status((r.cancelled ? tr("Ablation cancelled: %n toggle(s) measured on %1 image(s), shown", nullptr,
                     int(r.entries.size()))
                             : tr("Ablation done: %n toggle(s) measured on %1 image(s)", nullptr,
                                 int(r.entries.size())))
                    .arg(r.all.images),
        0);
    emit finished(r.cancelled);
}

AblationDialog *AblationController::showLastResult()
{
    if (!m_last)
        return nullptr;
    if (m_dialog && m_dialogShowsLast) {
        m_dialog->show();
        m_dialog->raise();
        return m_dialog;
    }
    showResult(*m_last);
    m_dialogShowsLast = true;
    return m_dialog;
}

AblationDialog *AblationController::showResult(const AblationResult &result)
{
    if (m_dialog)
        m_dialog->close(); // another result's
    m_dialog = new AblationDialog(result, m_saver, m_window);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_dialogShowsLast = false;
    m_dialog->show();
    m_dialog->raise();
    return m_dialog;
}

} // namespace pixelperf
