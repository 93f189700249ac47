// The JSON report, schema "pixelperf-report/1" (PRODUCT.md section 7).
#pragma once

#include "measure/runresult.h"

#include <QJsonObject>
#include <QString>

#include <vector>

namespace pixelperf {

class ReportWriter
{
public:
    // `repeats`: every measured repetition (empty or one: no "repeats").
    static QJsonObject toJson(const RunResult &run, const std::vector<RunResult> &repeats = {});
    static QJsonObject configJson(const PipelineConfig &config);
    // The parameters as the run used them (its workers, its JPEG quality),
    // one key per row of the parameter table.
    static QJsonObject paramsJson(const PipelineConfig &config);
    static QJsonObject summaryJson(const RunSummary &summary);
    static QJsonArray stagesJson(const std::vector<StageStats> &stages);
    // Written atomically; false with *error set on failure.
    static bool writeJson(const QString &path, const QJsonObject &report, QString *error);
};

} // namespace pixelperf
