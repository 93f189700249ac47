#include "baselinevsoptimized.h"

#include "isolatedjobs.h"
#include "pipeline/pipeline.h"
#include "rundisplay.h"
#include "runhistorymodel.h"
#include "units.h"

namespace pixelperf {

BaselineVsOptimized::BaselineVsOptimized(
    IsolatedJobs *jobs, RunDisplay *display, RunHistoryModel *history, QObject *parent)
    : QObject(parent)
    , m_jobs(jobs)
    , m_display(display)
    , m_history(history)
{
    connect(m_jobs, &IsolatedJobs::progress, this, [this](int done, int total, const QString &label) {
        if (!isRunning())
            return;
        m_display->setProgress(done, total, tr("%v/%m runs"));
        emit status(tr("Baseline vs Optimized, each run in a fresh process: %1…").arg(label), 0);
    });
    connect(m_jobs, &IsolatedJobs::measured, this, &BaselineVsOptimized::onMeasured);
    connect(m_jobs, &IsolatedJobs::comparisonFinished, this, &BaselineVsOptimized::onFinished);
}

bool BaselineVsOptimized::isRunning() const
{
    return m_jobs->isComparing();
}

bool BaselineVsOptimized::start(
    const PipelineConfig &panel, const RepetitionPlan &panelPlan, QString *problem)
{
    std::vector<PipelineConfig> configs;
    for (const char *preset : { "baseline", "optimized" }) {
        PipelineConfig config = panel;
        config.preset = QLatin1String(preset);
        config.toggles = *presetToggles(config.preset);
        config.backgroundWorkers = false; // its own process: the window is not in it
        *problem = PipelineRun::preflight(config);
        if (!problem->isEmpty())
            return false;
        configs.push_back(config);
    }
    // Isolated and interleaved (B O B O …): what ran before in this window
    // cannot reach either configuration's figures, and drift favours neither.
    IsolationPlan plan;
    // Six rounds: with nine stages tested, the fewest for which a complete
    // separation passes Holm's correction (2/924 x 9 < 0.05).
    plan.rounds = std::max(6, panelPlan.repetitions);
    plan.warmups = panelPlan.warmups;
    if (!m_jobs->startComparison(configs, { QStringLiteral("baseline"), QStringLiteral("optimized") }, plan))
        return false;
    m_rounds = plan.rounds;
    m_measured[0] = m_measured[1] = 0;
    // The panel shows what runs: the baseline first.
    emit measuring(configs.front().toggles);
    m_display->setProgress(0, 0, tr("%v/%m runs"));
    emit status(tr("Baseline vs Optimized: starting…"), 0);
    return true;
}

void BaselineVsOptimized::onMeasured(int configuration, const RunResult &run)
{
    if (configuration < 0 || configuration > 1 || !isRunning())
        return;
    ++m_measured[configuration];
    // The dashboard and the panel show each measurement as it finishes.
    m_display->showMeasurement(run,
        tr("Baseline vs Optimized · %1, round %2 of %3 · %4 per image")
            .arg(configuration == 0 ? tr("baseline") : tr("optimized"))
            .arg(m_measured[configuration])
            .arg(m_rounds)
            .arg(formatMs(run.summary.msPerImage())));
    emit measuring(run.config.toggles);
}

void BaselineVsOptimized::onFinished(
    const std::vector<std::vector<RunResult>> &runs, const QString &error, bool cancelled)
{
    // What was measured is kept, cancelled or not: each configuration with
    // at least one measurement becomes a history entry carrying its rounds.
    int rows[2] = { -1, -1 };
    for (size_t c = 0; c < 2 && c < runs.size(); ++c) {
        if (runs[c].empty())
            continue;
        auto repeats = std::make_shared<const std::vector<RunResult>>(runs[c]);
        rows[c] = m_history->add(std::make_shared<const RunResult>(repeats->back()), repeats);
    }
    if (!error.isEmpty())
        emit status(tr("Baseline vs Optimized could not run: %1").arg(error), 0);
    else if (cancelled)
        emit status(tr("Baseline vs Optimized cancelled: what was measured is in the history"), 10000);
    else if (rows[0] >= 0 && rows[1] >= 0)
        emit status(
            tr("Baseline vs Optimized: %1 rounds each, every run in a fresh process; the comparison is open")
                .arg(m_rounds),
            0);
    emit finished(rows[0], rows[1], error, cancelled);
}

} // namespace pixelperf
