// The other export formats of a run (PRODUCT.md section 5). JSON lives in
// ReportWriter. Each function returns the file's bytes.
#pragma once

#include "pipeline/atomicfile.h"
#include "measure/runresult.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <vector>

namespace pixelperf {

// One row per image and stage.
QByteArray runCsv(const RunResult &run);
// Chrome Trace Event JSON: one track per worker, spans named by stage with
// the file as an argument, memory as counter tracks. Opens in Perfetto and
// chrome://tracing.
QByteArray runTrace(const RunResult &run);
// A short summary for an issue or pull request.
QByteArray runMarkdown(const RunResult &run, const std::vector<RunResult> &repeats = {});
// One self-contained page: inline SVG charts, tables, toggles, parameters,
// the machine. No external URL.
QByteArray runHtml(const RunResult &run, const QJsonObject &environment,
                   const std::vector<RunResult> &repeats = {});


} // namespace pixelperf
