// Loads a "pixelperf-report/1" JSON back into a RunResult, so a saved run can
// be compared with a live one and every chart redrawn from it.
#pragma once

#include "measure/ablation.h"
#include "measure/runresult.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <vector>

namespace pixelperf {

struct LoadedReport {
    RunResult run;
    std::vector<RunResult> repeats; // summaries and stages of each repetition
    QJsonObject environment;
    QString error; // empty on success
};

LoadedReport readReport(const QByteArray &json);
// Why a file with this "schema" is not read: a newer version of the report,
// another PixelPerf file (an ablation), or not ours at all.
QString unsupportedSchemaText(const QString &schema);
// Reports above this size are refused unread: a bound on what `compare`
// reads, far above what a run of tens of thousands of images writes.
constexpr qint64 MaxReportBytes = qint64(256) << 20;
LoadedReport readReportFile(const QString &path);

// A "pixelperf-ablation/2" JSON (ablationJson) back into its result, so a
// stored ablation reopens its chart: the measures, shares and sentences as
// written. `error` is set when it is not one.
struct LoadedAblation {
    AblationResult result;
    QString error; // empty on success
};
LoadedAblation readAblation(const QJsonObject &json);

} // namespace pixelperf
