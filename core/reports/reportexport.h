// Which report a file name asks for, and its bytes: the one dispatch from a
// format (or a file's suffix) to the writer of that format, for a run and for
// an ablation. The window, the ablation dialog and the CLI all go through it.
#pragma once

#include "measure/ablation.h"
#include "measure/runresult.h"
#include "reports/reportwriter.h"

#include <QByteArray>
#include <QString>

#include <vector>

namespace pixelperf {

// Stacks and Speedscope are the run's sampled call stacks: folded stacks
// (flamegraph.pl, inferno) and speedscope's file format.
enum class ReportFormat { Html, Json, Csv, Markdown, Trace, Stacks, Speedscope };

// From the name's suffix: .trace.json, .speedscope.json, .json, .csv, .md,
// .folded; anything else HTML.
ReportFormat reportFormatOf(const QString &path);
// True when the name ends in one of the suffixes above (or .html).
bool hasReportSuffix(const QString &path);
// "html", "json", "csv", "md", "trace", "folded", "speedscope": how a format is remembered.
QString reportFormatKey(ReportFormat format);
// The inverse; HTML for an unknown key.
ReportFormat reportFormatFromKey(const QString &key);
// ".html", ".json", ".csv", ".md", ".trace.json", ".folded", ".speedscope.json".
QString reportSuffix(ReportFormat format);

// A run's report; `repeats` are every measured repetition (the JSON, HTML
// and Markdown keep them), `run` the last.
QByteArray runReport(ReportFormat format, const RunResult &run, const std::vector<RunResult> &repeats);
// The same bytes written to `sink`; JSON, CSV and the trace a record at a
// time, so that writing them takes memory bounded by a record, not the run.
void writeReport(
    ReportFormat format, const ByteSink &sink, const RunResult &run, const std::vector<RunResult> &repeats);
// An ablation as JSON, Markdown or HTML (CSV and trace: HTML).
QByteArray ablationReport(ReportFormat format, const AblationResult &result);

// The format follows the name; written atomically. False with *error set.
bool writeRunReport(
    const QString &path, const RunResult &run, const std::vector<RunResult> &repeats, QString *error);
// In the format given, whatever the name's suffix (the CLI's --csv FILE).
bool writeRunReport(const QString &path, ReportFormat format, const RunResult &run,
    const std::vector<RunResult> &repeats, QString *error);
bool writeAblationReport(const QString &path, const AblationResult &result, QString *error);

} // namespace pixelperf
