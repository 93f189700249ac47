#include "reports/reportsummary.h"

#include "measure/statistics.h"

#include <QJsonArray>

namespace pixelperf {

namespace {

QJsonObject distributionJson(const std::vector<double> &values, const char *arrayKey)
{
    const Spread spread = spreadOf(values);
    const Moments moments = momentsOf(values);
    QJsonArray array;
    for (double v : values)
        array.append(v);
    return QJsonObject {
        { QStringLiteral("mean"), moments.mean },
        // As hyperfine writes it: null for a single value, whose spread is unknown.
        { QStringLiteral("stddev"), values.size() > 1 ? QJsonValue(moments.stddev) : QJsonValue() },
        { QStringLiteral("median"), spread.median },
        { QStringLiteral("min"), spread.min },
        { QStringLiteral("max"), spread.max },
        { QLatin1String(arrayKey), array },
    };
}

} // namespace

QJsonObject repetitionsSummaryJson(const RunResult &last, const std::vector<RunResult> &repeats)
{
    std::vector<const RunResult *> runs = measuredRepetitions(repeats);
    if (repeats.empty() && !last.summary.cancelled)
        runs.push_back(&last);
    std::vector<double> wall, throughput, perImage, rss;
    for (const RunResult *r : runs) {
        wall.push_back(r->summary.wallMs);
        throughput.push_back(r->summary.imagesPerSecond);
        perImage.push_back(r->summary.msPerImage());
        rss.push_back(double(r->summary.peakRssBytes));
    }
    const int all = repeats.empty() ? 1 : int(repeats.size());
    return QJsonObject {
        { QStringLiteral("n"), int(runs.size()) },
        { QStringLiteral("cancelled"), all - int(runs.size()) },
        { QStringLiteral("wall_ms"), distributionJson(wall, "times") },
        { QStringLiteral("images_per_second"), distributionJson(throughput, "values") },
        { QStringLiteral("ms_per_image"), distributionJson(perImage, "values") },
        { QStringLiteral("peak_rss_bytes"), distributionJson(rss, "values") },
    };
}

} // namespace pixelperf
