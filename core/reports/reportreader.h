// Loads a "pixelperf-report/1" JSON back into a RunResult, so a saved run can
// be compared with a live one and every chart redrawn from it.
#pragma once

#include "measure/runresult.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <vector>

namespace pixelperf {

struct LoadedReport {
    RunResult run;
    std::vector<RunResult> repeats;  // summaries and stages of each repetition
    QJsonObject environment;
    QString error;  // empty on success
};

LoadedReport readReport(const QByteArray &json);
LoadedReport readReportFile(const QString &path);

} // namespace pixelperf
