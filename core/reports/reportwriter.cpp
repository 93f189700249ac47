#include "reports/reportwriter.h"
#include "reports/reportsummary.h"

#include "pipeline/parameters.h"
#include "pipeline/schedule.h"

#include "measure/environment.h"
#include "measure/statistics.h"
#include "pipeline/atomicfile.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace pixelperf {

QJsonObject ReportWriter::paramsJson(const PipelineConfig &config)
{
    // What the run did, as its schedule says: the workers it had, the
    // quality it saved at.
    const Schedule schedule = Schedule::of(config);
    PipelineParams asRun = config.params;
    asRun.quality = schedule.jpegQuality;
    asRun.jobs = schedule.workers;
    QJsonObject params;
    QHash<QString, QJsonObject> groups;
    for (const ParamInfo &info : paramTable()) {
        if (info.group)
            groups[QLatin1String(info.group)].insert(QLatin1String(info.key), paramJson(asRun, info.id));
        else
            params.insert(QLatin1String(info.key), paramJson(asRun, info.id));
    }
    for (auto it = groups.begin(); it != groups.end(); ++it)
        params.insert(it.key(), it.value());
    return params;
}

QJsonObject ReportWriter::configJson(const PipelineConfig &config)
{
    QJsonObject toggles;
    for (const ToggleInfo &info : toggleTable())
        toggles.insert(QLatin1String(info.key), config.isOn(info.id));
    const QJsonObject params = paramsJson(config);
    QJsonObject json {
        { QStringLiteral("preset"), presetNameFor(config.toggles) },
        { QStringLiteral("toggles"), toggles },
        { QStringLiteral("params"), params },
        { QStringLiteral("input_dir"), config.inputDir },
        { QStringLiteral("output_dir"), config.outputDir },
        { QStringLiteral("profile"), config.profile },
        // 0: no call stacks sampled (they cost CPU: a sampled run and an
        // unsampled one are not alike).
        { QStringLiteral("sample_rate_hz"), config.sampledRateHz() },
    };
    // A run on chosen files: which, in their order (a folder's run has none).
    if (!config.inputFiles.isEmpty())
        json.insert(QStringLiteral("input_files"), QJsonArray::fromStringList(config.inputFiles));
    return json;
}

QJsonObject ReportWriter::summaryJson(const RunSummary &s)
{
    return QJsonObject {
        { QStringLiteral("images_total"), s.imagesTotal },
        { QStringLiteral("images_ok"), s.imagesOk },
        { QStringLiteral("images_failed"), s.imagesFailed },
        { QStringLiteral("images_cancelled"), s.imagesCancelled },
        { QStringLiteral("wall_ms"), s.wallMs },
        { QStringLiteral("cpu_ms"), s.cpuMs },
        { QStringLiteral("cpu_utilisation"), s.cpuUtilisation },
        { QStringLiteral("images_per_second"), s.imagesPerSecond },
        { QStringLiteral("peak_rss_bytes"), double(s.peakRssBytes) },
        { QStringLiteral("peak_pixel_bytes"), double(s.peakPixelBytes) },
        { QStringLiteral("bytes_in"), double(s.bytesIn) },
        { QStringLiteral("bytes_out"), double(s.bytesOut) },
        { QStringLiteral("workers"), s.workers },
        { QStringLiteral("directory_listings"), s.directoryListings },
        { QStringLiteral("images_from_cache"), s.imagesFromCache },
        { QStringLiteral("decode_cache_bytes"), double(s.decodeCacheBytes) },
        { QStringLiteral("cancelled"), s.cancelled },
    };
}

QJsonArray ReportWriter::stagesJson(const std::vector<StageStats> &stages)
{
    QJsonArray out;
    for (const StageStats &st : stages) {
        out.append(QJsonObject {
            { QStringLiteral("name"), QLatin1String(stageName(st.stage)) },
            { QStringLiteral("count"), st.count },
            { QStringLiteral("total_ms"), st.totalMs },
            { QStringLiteral("mean_ms"), st.meanMs },
            { QStringLiteral("median_ms"), st.medianMs },
            { QStringLiteral("p95_ms"), st.p95Ms },
            { QStringLiteral("max_ms"), st.maxMs },
            { QStringLiteral("cpu_ms"), st.cpuMs },
            { QStringLiteral("pixel_bytes_allocated"), double(st.pixelBytesAllocated) },
            { QStringLiteral("copies"), double(st.copies) },
        });
    }
    return out;
}

namespace {

QJsonObject imageJson(const ImageRecord &rec)
{
    QJsonObject stageMs;
    for (int i = 0; i < StageCount; ++i) {
        if (rec.stageMs(Stage(i)) >= 0)
            stageMs.insert(QLatin1String(stageName(Stage(i))), rec.stageMs(Stage(i)));
    }
    return QJsonObject {
        { QStringLiteral("path"), rec.path },
        { QStringLiteral("ok"), rec.ok },
        { QStringLiteral("error"), rec.ok ? QJsonValue() : QJsonValue(rec.error) },
        { QStringLiteral("cancelled"), rec.cancelled },
        { QStringLiteral("source_width"), rec.sourceWidth },
        { QStringLiteral("source_height"), rec.sourceHeight },
        { QStringLiteral("width"), rec.width },
        { QStringLiteral("height"), rec.height },
        { QStringLiteral("scale_denominator"), rec.scaleDenominator },
        { QStringLiteral("from_cache"), rec.fromCache },
        { QStringLiteral("bytes_in"), double(rec.bytesIn) },
        { QStringLiteral("bytes_out"), double(rec.bytesOut) },
        { QStringLiteral("output"), rec.outputPlan() ? QJsonValue(rec.output()) : QJsonValue() },
        { QStringLiteral("stage_ms"), stageMs },
    };
}

QJsonObject memoryJson(const MemorySample &m)
{
    return QJsonObject {
        { QStringLiteral("t_ms"), double(m.tNs) / 1e6 },
        { QStringLiteral("rss_bytes"), double(m.rssBytes) },
        { QStringLiteral("pixel_bytes_live"), double(m.pixelBytesLive) },
        { QStringLiteral("cpu_ms"), double(m.cpuNs) / 1e6 },
        { QStringLiteral("images_done"), m.imagesDone },
    };
}

QJsonArray spanJson(const StageSpan &s)
{
    return QJsonArray { s.image(), QLatin1String(stageName(s.stage())), s.worker(), double(s.startNs()) / 1e6,
        double(s.durationNs()) / 1e6, double(s.cpuNs()) / 1e6, double(s.bytesAllocated()),
        double(s.copies()) };
}

// The report's three arrays that grow with the folder, in the order they are
// written: one entry per image, per memory sample, per span.
template <typename Record, typename ToJson>
QJsonArray arrayJson(const std::vector<Record> &records, ToJson toJson)
{
    QJsonArray out;
    for (const Record &r : records)
        out.append(toJson(r));
    return out;
}

template <typename Record, typename ToJson>
void streamArray(const ByteSink &sink, const char *key, const std::vector<Record> &records, ToJson toJson)
{
    sink(QByteArrayLiteral(",\n    \"") + key + QByteArrayLiteral("\": ["));
    const char *separator = "\n        ";
    for (const Record &r : records) {
        sink(separator);
        sink(QJsonDocument(toJson(r)).toJson(QJsonDocument::Compact));
        separator = ",\n        ";
    }
    sink(records.empty() ? QByteArrayLiteral("]") : QByteArrayLiteral("\n    ]"));
}

QJsonArray repeatsJson(const std::vector<RunResult> &repeats)
{
    QJsonArray reps;
    for (size_t i = 0; i < repeats.size(); ++i) {
        reps.append(QJsonObject { { QStringLiteral("index"), int(i) },
            { QStringLiteral("started_at"), repeats[i].startedAt.toString(Qt::ISODateWithMs) },
            { QStringLiteral("process_id"), double(repeats[i].processId) },
            { QStringLiteral("summary"), ReportWriter::summaryJson(repeats[i].summary) },
            { QStringLiteral("stages"), ReportWriter::stagesJson(repeats[i].stages) } });
    }
    return reps;
}

QJsonObject repeatStatsJson(const std::vector<RunResult> &repeats)
{
    // Median, min, max and MAD over the measured repetitions (not the
    // cancelled), overall and per stage.
    auto spreadJson = [](const std::vector<double> &values) {
        const Spread s = spreadOf(values);
        return QJsonObject { { QStringLiteral("median"), s.median }, { QStringLiteral("min"), s.min },
            { QStringLiteral("max"), s.max }, { QStringLiteral("mad"), s.mad },
            { QStringLiteral("n"), s.n } };
    };
    std::vector<double> wall, ips, rss;
    std::array<std::vector<double>, StageCount> stageTotals;
    for (const RunResult *r : measuredRepetitions(repeats)) {
        wall.push_back(r->summary.wallMs);
        ips.push_back(r->summary.imagesPerSecond);
        rss.push_back(double(r->summary.peakRssBytes));
        for (const StageStats &st : r->stages)
            stageTotals[size_t(st.stage)].push_back(st.totalMs);
    }
    QJsonArray stageSpreads;
    for (int i = 0; i < StageCount; ++i) {
        if (stageTotals[size_t(i)].empty())
            continue;
        QJsonObject o = spreadJson(stageTotals[size_t(i)]);
        o.insert(QStringLiteral("name"), QLatin1String(stageName(Stage(i))));
        stageSpreads.append(o);
    }
    return QJsonObject { { QStringLiteral("wall_ms"), spreadJson(wall) },
        { QStringLiteral("images_per_second"), spreadJson(ips) },
        { QStringLiteral("peak_rss_bytes"), spreadJson(rss) },
        { QStringLiteral("stage_total_ms"), stageSpreads } };
}

} // namespace

QJsonObject ReportWriter::headJson(const RunResult &run, const std::vector<RunResult> &repeats)
{
    QJsonObject report {
        { QStringLiteral("schema"), QStringLiteral("pixelperf-report/1") },
        { QStringLiteral("tool"),
            QJsonObject { { QStringLiteral("name"), QStringLiteral("pixelperf") },
                { QStringLiteral("version"), appVersion() },
                { QStringLiteral("git_revision"), gitRevision() } } },
        { QStringLiteral("started_at"), run.startedAt.toString(Qt::ISODateWithMs) },
        { QStringLiteral("process_id"), double(run.processId) },
        { QStringLiteral("environment"), environmentOf(run) },
        { QStringLiteral("config"), configJson(run.config) },
        { QStringLiteral("summary"), summaryJson(run.summary) },
        { QStringLiteral("stages"), stagesJson(run.stages) },
        { QStringLiteral("span_fields"),
            QJsonArray { QStringLiteral("image"), QStringLiteral("stage"), QStringLiteral("worker"),
                QStringLiteral("start_ms"), QStringLiteral("duration_ms"), QStringLiteral("cpu_ms"),
                QStringLiteral("pixel_bytes_allocated"), QStringLiteral("copies") } },
    };
    if (!run.fatalError.isEmpty())
        report.insert(QStringLiteral("error"), run.fatalError);
    report.insert(QStringLiteral("repetitions_summary"), repetitionsSummaryJson(run, repeats));
    if (const std::shared_ptr<const CpuProfile> profile = measuredProfile(run, repeats))
        report.insert(QStringLiteral("profile"), profileToJson(*profile));
    if (repeats.size() > 1) {
        report.insert(QStringLiteral("repeats"), repeatsJson(repeats));
        report.insert(QStringLiteral("repeat_stats"), repeatStatsJson(repeats));
    }
    return report;
}

QJsonObject ReportWriter::toJson(const RunResult &run, const std::vector<RunResult> &repeats)
{
    QJsonObject report = headJson(run, repeats);
    report.insert(QStringLiteral("images"), arrayJson(run.images, imageJson));
    report.insert(QStringLiteral("memory"), arrayJson(run.memory, memoryJson));
    report.insert(QStringLiteral("spans"), arrayJson(run.spans, spanJson));
    return report;
}

void ReportWriter::streamJson(
    const ByteSink &sink, const RunResult &run, const std::vector<RunResult> &repeats, Records records)
{
    // Everything but the three arrays that grow with the folder, as
    // QJsonDocument indents it; then those arrays entry by entry, so that
    // the report of 100,000 images is never a whole document in memory.
    QByteArray head = QJsonDocument(headJson(run, repeats)).toJson(QJsonDocument::Indented);
    head.chop(QByteArrayView("\n}\n").size());
    sink(head);
    const bool kept = records == Records::Kept;
    const std::vector<ImageRecord> noImages;
    const std::vector<StageSpan> noSpans;
    streamArray(sink, "images", kept ? run.images : noImages, imageJson);
    streamArray(sink, "memory", run.memory, memoryJson);
    streamArray(sink, "spans", kept ? run.spans : noSpans, spanJson);
    sink("\n}\n");
}

bool ReportWriter::writeJson(const QString &path, const QJsonObject &report, QString *error)
{
    return writeReportFile(path, QJsonDocument(report).toJson(QJsonDocument::Indented), error);
}

} // namespace pixelperf
