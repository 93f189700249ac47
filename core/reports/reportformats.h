// The other export formats of a run (PRODUCT.md section 5). JSON lives in
// ReportWriter. Each function returns the file's bytes.
#pragma once

#include "measure/runresult.h"
#include "pipeline/atomicfile.h"
#include "reports/reportwriter.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <vector>

namespace pixelperf {

// One row per image and stage. Spans are kept for one repetition (`run`,
// normally the last of `repeats`): the last two columns say which
// (`repetition` of `repetitions`, 1-based).
QByteArray runCsv(const RunResult &run, const std::vector<RunResult> &repeats = {});
// The same rows written to `sink` as they are made.
void streamCsv(const ByteSink &sink, const RunResult &run, const std::vector<RunResult> &repeats = {});
// Chrome Trace Event JSON: one track per worker, spans named by stage with
// the file as an argument, memory as counter tracks. Opens in Perfetto and
// chrome://tracing. Of one repetition, as the CSV: otherData says which.
QByteArray runTrace(const RunResult &run, const std::vector<RunResult> &repeats = {});
// The same trace written to `sink` an event at a time.
void streamTrace(const ByteSink &sink, const RunResult &run, const std::vector<RunResult> &repeats = {});
// A short summary for an issue or pull request.
QByteArray runMarkdown(const RunResult &run, const std::vector<RunResult> &repeats = {});
// One self-contained page: inline SVG charts, tables, toggles, parameters,
// the machine. No external URL.
QByteArray runHtml(
    const RunResult &run, const QJsonObject &environment, const std::vector<RunResult> &repeats = {});
// The same page written to `sink` a part at a time (the timeline a
// rectangle at a time).
void streamHtml(const ByteSink &sink, const RunResult &run, const QJsonObject &environment,
    const std::vector<RunResult> &repeats = {});

} // namespace pixelperf
