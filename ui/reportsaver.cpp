#include "reportsaver.h"

#include "jobtracker.h"
#include "pipeline/pathsafety.h"
#include "windowsettings.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>

namespace pixelperf {

namespace {

QString filterFor(ReportFormat format)
{
    switch (format) {
    case ReportFormat::Json:
        return ReportSaver::tr("JSON report (*.json)");
    case ReportFormat::Csv:
        return ReportSaver::tr("CSV, one row per image and stage (*.csv)");
    case ReportFormat::Markdown:
        return ReportSaver::tr("Markdown summary (*.md)");
    case ReportFormat::Trace:
        return ReportSaver::tr("Chrome trace for Perfetto (*.trace.json)");
    case ReportFormat::Stacks:
        return ReportSaver::tr("Sampled call stacks, folded for flame graphs (*.folded)");
    case ReportFormat::Speedscope:
        return ReportSaver::tr("Sampled call stacks for speedscope (*.speedscope.json)");
    case ReportFormat::Html:
        break;
    }
    return ReportSaver::tr("HTML report (*.html)");
}

} // namespace

ReportSaver::ReportSaver(WindowSettings *settings, QWidget *dialogParent)
    : QObject(dialogParent)
    , m_settings(settings)
    , m_dialogParent(dialogParent)
{ }

QString ReportSaver::choosePath(
    const QString &title, const QString &proposed, const QList<ReportFormat> &formats, ReportFormat preferred)
{
    QStringList filters;
    for (ReportFormat f : formats)
        filters << filterFor(f);
    QString filter = filterFor(formats.contains(preferred) ? preferred : formats.first());
    QString path = QFileDialog::getSaveFileName(m_dialogParent, title, proposed + reportSuffix(preferred),
        filters.join(QStringLiteral(";;")), &filter);
    if (path.isEmpty())
        return path;
    // The chosen filter decides when the name has no known suffix.
    if (!hasReportSuffix(path))
        path += reportSuffix(formats.value(int(filters.indexOf(filter)), ReportFormat::Html));
    return path;
}

QString ReportSaver::chooseRunPath(const QString &baseName, const QString &fallbackDir)
{
    const ReportFormat preferred = reportFormatFromKey(m_settings->exportFormat(WindowSettings::Export::Run));
    const QString proposed
        = QDir(m_settings->exportDir(WindowSettings::Export::Run, fallbackDir)).filePath(baseName);
    const QString path = choosePath(tr("Export Report"), proposed,
        { ReportFormat::Html, ReportFormat::Json, ReportFormat::Csv, ReportFormat::Markdown,
            ReportFormat::Trace, ReportFormat::Stacks, ReportFormat::Speedscope },
        preferred);
    if (!path.isEmpty())
        m_settings->setExport(WindowSettings::Export::Run, QFileInfo(path).absolutePath(),
            reportFormatKey(reportFormatOf(path)));
    return path;
}

QString ReportSaver::chooseAblationPath()
{
    ReportFormat preferred = reportFormatFromKey(m_settings->exportFormat(WindowSettings::Export::Ablation));
    if (preferred != ReportFormat::Json && preferred != ReportFormat::Markdown)
        preferred = ReportFormat::Html;
    const QString proposed = QDir(m_settings->exportDir(WindowSettings::Export::Ablation, QDir::homePath()))
                                 .filePath(QStringLiteral("pixelperf-ablation"));
    const QString path = choosePath(tr("Export the Ablation"), proposed,
        { ReportFormat::Html, ReportFormat::Markdown, ReportFormat::Json }, preferred);
    if (!path.isEmpty())
        m_settings->setExport(WindowSettings::Export::Ablation, QFileInfo(path).absolutePath(),
            reportFormatKey(reportFormatOf(path)));
    return path;
}

void ReportSaver::saveRun(const QString &path, std::shared_ptr<const RunResult> run,
    std::shared_ptr<const std::vector<RunResult>> repeats)
{
    // As the CLI: never onto an input or into the input folder.
    const QString problem = exportPathProblem(path, run->config);
    if (!problem.isEmpty()) {
        emit saved(path, problem);
        return;
    }
    if (!repeats)
        repeats = std::make_shared<const std::vector<RunResult>>();
    write(path, [path, run, repeats](QString *error) { return writeRunReport(path, *run, *repeats, error); });
}

void ReportSaver::saveAblation(const QString &path, AblationResult result)
{
    // As for a run's report: never onto an input, never through a link
    // there, and a folder that takes a file.
    const QString problem = exportPathProblem(path, result.config);
    if (!problem.isEmpty()) {
        emit saved(path, problem);
        return;
    }
    auto shared = std::make_shared<const AblationResult>(std::move(result));
    write(path, [path, shared](QString *error) { return writeAblationReport(path, *shared, error); });
}

void ReportSaver::write(const QString &path, std::function<bool(QString *)> writer)
{
    // One tracker per save: two exports in a row both finish and both report.
    auto *job = new JobTracker(this);
    // A writer that threw (out of memory on a huge run, say) is a failed save.
    connect(job, &JobTracker::failed, this, [this, job, path](const QString &message) {
        job->deleteLater();
        emit saved(path, message);
    });
    job->start(
        [writer](const JobControl &) {
            QString error;
            return writer(&error) ? QString() : error;
        },
        [this, job, path](const QString &error) {
            job->deleteLater();
            emit saved(path, error);
        });
}

} // namespace pixelperf
