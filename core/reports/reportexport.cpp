#include "reports/reportexport.h"

#include "measure/environment.h"
#include "pipeline/atomicfile.h"
#include "profiling/cpuprofile.h"
#include "reports/reportformats.h"
#include "reports/reportwriter.h"

#include <QJsonDocument>

#include <iterator>

namespace pixelperf {

namespace {

struct FormatName {
    ReportFormat format;
    const char *key;
    const char *suffix;
};

// .trace.json and .speedscope.json before .json: the longer suffix wins;
// HTML last, the fallback.
constexpr FormatName Formats[] = {
    { ReportFormat::Trace, "trace", ".trace.json" },
    { ReportFormat::Speedscope, "speedscope", ".speedscope.json" },
    { ReportFormat::Stacks, "folded", ".folded" },
    { ReportFormat::Json, "json", ".json" },
    { ReportFormat::Csv, "csv", ".csv" },
    { ReportFormat::Markdown, "md", ".md" },
    { ReportFormat::Html, "html", ".html" },
};

const FormatName &nameOf(ReportFormat format)
{
    for (const FormatName &f : Formats) {
        if (f.format == format)
            return f;
    }
    return Formats[std::size(Formats) - 1];
}

const FormatName *matchSuffix(const QString &path)
{
    const QString lower = path.toLower();
    for (const FormatName &f : Formats) {
        if (lower.endsWith(QLatin1String(f.suffix)))
            return &f;
    }
    return nullptr;
}

bool finish(bool ok, QString *error)
{
    if (!ok && error && error->isEmpty())
        *error = QStringLiteral("unknown error");
    return ok;
}

} // namespace

ReportFormat reportFormatOf(const QString &path)
{
    const FormatName *f = matchSuffix(path);
    return f ? f->format : ReportFormat::Html;
}

bool hasReportSuffix(const QString &path)
{
    return matchSuffix(path) != nullptr;
}

QString reportFormatKey(ReportFormat format)
{
    return QLatin1String(nameOf(format).key);
}

ReportFormat reportFormatFromKey(const QString &key)
{
    for (const FormatName &f : Formats) {
        if (key == QLatin1String(f.key))
            return f.format;
    }
    return ReportFormat::Html;
}

QString reportSuffix(ReportFormat format)
{
    return QLatin1String(nameOf(format).suffix);
}

QByteArray runReport(ReportFormat format, const RunResult &run, const std::vector<RunResult> &repeats)
{
    switch (format) {
    case ReportFormat::Json:
        return QJsonDocument(ReportWriter::toJson(run, repeats)).toJson(QJsonDocument::Indented);
    case ReportFormat::Csv:
        return runCsv(run, repeats);
    case ReportFormat::Markdown:
        return runMarkdown(run, repeats);
    case ReportFormat::Trace:
        return runTrace(run, repeats);
    case ReportFormat::Stacks:
    case ReportFormat::Speedscope: {
        const std::shared_ptr<const CpuProfile> stacks = measuredProfile(run, repeats);
        const CpuProfile profile = stacks ? *stacks : CpuProfile();
        return format == ReportFormat::Stacks ? foldedStacks(profile)
                                              : speedscopeJson(profile, run.config.preset);
    }
    case ReportFormat::Html:
        break;
    }
    return runHtml(run, environmentOf(run), repeats);
}

QByteArray ablationReport(ReportFormat format, const AblationResult &result)
{
    switch (format) {
    case ReportFormat::Json:
        return QJsonDocument(ablationJson(result)).toJson(QJsonDocument::Indented);
    case ReportFormat::Markdown:
        return ablationMarkdown(result);
    default:
        return ablationHtml(result);
    }
}

bool writeRunReport(
    const QString &path, const RunResult &run, const std::vector<RunResult> &repeats, QString *error)
{
    return finish(writeFileAtomically(path, runReport(reportFormatOf(path), run, repeats), error), error);
}

bool writeAblationReport(const QString &path, const AblationResult &result, QString *error)
{
    return finish(writeFileAtomically(path, ablationReport(reportFormatOf(path), result), error), error);
}

} // namespace pixelperf
