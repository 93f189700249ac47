// The JSON report, schema "pixelperf-report/1" (PRODUCT.md section 7).
#pragma once

#include "measure/runresult.h"

#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

#include <functional>
#include <vector>

namespace pixelperf {

// Where a report written piece by piece goes: a file (AtomicFileWriter) or
// a buffer.
using ByteSink = std::function<void(QByteArrayView)>;

class ReportWriter
{
public:
    // `repeats`: every measured repetition (empty or one: no "repeats").
    static QJsonObject toJson(const RunResult &run, const std::vector<RunResult> &repeats = {});
    // Whether a report holds the run's per-image records and spans, or
    // leaves them out (written empty) and keeps everything else.
    enum class Records { Kept, LeftOut };
    // The same report written to `sink` a record at a time: memory bounded
    // by the largest record, not by the folder.
    static void streamJson(const ByteSink &sink, const RunResult &run,
        const std::vector<RunResult> &repeats = {}, Records records = Records::Kept);
    // The report without its per-image, per-sample and per-span arrays.
    static QJsonObject headJson(const RunResult &run, const std::vector<RunResult> &repeats = {});
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
