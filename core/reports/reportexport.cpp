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

void writeReport(
    ReportFormat format, const ByteSink &sink, const RunResult &run, const std::vector<RunResult> &repeats)
{
    // JSON, CSV and the trace grow with the folder: written a record at a
    // time. The others are of bounded size.
    switch (format) {
    case ReportFormat::Json:
        return ReportWriter::streamJson(sink, run, repeats);
    case ReportFormat::Csv:
        return streamCsv(sink, run, repeats);
    case ReportFormat::Trace:
        return streamTrace(sink, run, repeats);
    case ReportFormat::Markdown:
        return sink(runMarkdown(run, repeats));
    case ReportFormat::Stacks:
    case ReportFormat::Speedscope: {
        const std::shared_ptr<const CpuProfile> stacks = measuredProfile(run, repeats);
        const CpuProfile profile = stacks ? *stacks : CpuProfile();
        return sink(format == ReportFormat::Stacks ? foldedStacks(profile)
                                                   : speedscopeJson(profile, run.config.preset));
    }
    case ReportFormat::Html:
        break;
    }
    streamHtml(sink, run, environmentOf(run), repeats);
}

QByteArray runReport(ReportFormat format, const RunResult &run, const std::vector<RunResult> &repeats)
{
    QByteArray out;
    writeReport(
        format, [&out](QByteArrayView bytes) { out.append(bytes); }, run, repeats);
    return out;
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
    return writeRunReport(path, reportFormatOf(path), run, repeats, error);
}

bool writeRunReport(const QString &path, ReportFormat format, const RunResult &run,
    const std::vector<RunResult> &repeats, QString *error)
{
    AtomicFileWriter file(path, AtomicFileWriter::Existing::WriteThrough);
    writeReport(
        format, [&file](QByteArrayView bytes) { file.write(bytes); }, run, repeats);
    if (file.commit())
        return true;
    *error = file.error();
    return finish(false, error);
}

bool writeAblationReport(const QString &path, const AblationResult &result, QString *error)
{
    return finish(writeReportFile(path, ablationReport(reportFormatOf(path), result), error), error);
}

} // namespace pixelperf
