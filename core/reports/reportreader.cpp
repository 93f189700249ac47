#include "reports/reportreader.h"

#include "pipeline/outputplan.h"
#include "pipeline/parameters.h"
#include "reports/units.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>
#include <limits>

namespace pixelperf {

namespace {

// A number from the file as an integer, rounded to the nearest: times are
// written in milliseconds with a fraction, and truncating 3.687 ms * 1e6
// would read back 3686999 ns. Converting a double outside the integer's
// range (or NaN) is undefined behaviour, and a report can hold anything:
// out-of-range values are clamped.
template <typename T> T clampTo(double v)
{
    constexpr double lo = double(std::numeric_limits<T>::min());
    constexpr double hi = double(std::numeric_limits<T>::max());
    if (std::isnan(v))
        return 0;
    v = std::round(v);
    if (v <= lo)
        return std::numeric_limits<T>::min();
    if (v >= hi)
        return std::numeric_limits<T>::max();
    return T(v);
}

RunSummary summaryFrom(const QJsonObject &o)
{
    RunSummary s;
    s.imagesTotal = o.value(QLatin1String("images_total")).toInt();
    s.imagesOk = o.value(QLatin1String("images_ok")).toInt();
    s.imagesFailed = o.value(QLatin1String("images_failed")).toInt();
    s.imagesCancelled = o.value(QLatin1String("images_cancelled")).toInt();
    s.wallMs = o.value(QLatin1String("wall_ms")).toDouble();
    s.cpuMs = o.value(QLatin1String("cpu_ms")).toDouble();
    s.cpuUtilisation = o.value(QLatin1String("cpu_utilisation")).toDouble();
    s.imagesPerSecond = o.value(QLatin1String("images_per_second")).toDouble();
    s.peakRssBytes = clampTo<int64_t>(o.value(QLatin1String("peak_rss_bytes")).toDouble());
    s.peakPixelBytes = clampTo<int64_t>(o.value(QLatin1String("peak_pixel_bytes")).toDouble());
    s.bytesIn = clampTo<int64_t>(o.value(QLatin1String("bytes_in")).toDouble());
    s.bytesOut = clampTo<int64_t>(o.value(QLatin1String("bytes_out")).toDouble());
    s.workers = o.value(QLatin1String("workers")).toInt();
    s.directoryListings = o.value(QLatin1String("directory_listings")).toInt();
    s.imagesFromCache = o.value(QLatin1String("images_from_cache")).toInt();
    s.decodeCacheBytes = clampTo<int64_t>(o.value(QLatin1String("decode_cache_bytes")).toDouble());
    s.cancelled = o.value(QLatin1String("cancelled")).toBool();
    return s;
}

bool stagesFrom(const QJsonArray &a, std::vector<StageStats> *out, QString *error)
{
    for (const QJsonValue &v : a) {
        const QJsonObject o = v.toObject();
        const std::optional<Stage> stage = stageFromName(o.value(QLatin1String("name")).toString());
        if (!stage) {
            *error = QStringLiteral("unknown stage '%1'").arg(o.value(QLatin1String("name")).toString());
            return false;
        }
        StageStats st;
        st.stage = *stage;
        st.count = o.value(QLatin1String("count")).toInt();
        st.totalMs = o.value(QLatin1String("total_ms")).toDouble();
        st.meanMs = o.value(QLatin1String("mean_ms")).toDouble();
        st.medianMs = o.value(QLatin1String("median_ms")).toDouble();
        st.p95Ms = o.value(QLatin1String("p95_ms")).toDouble();
        st.maxMs = o.value(QLatin1String("max_ms")).toDouble();
        st.cpuMs = o.value(QLatin1String("cpu_ms")).toDouble();
        st.pixelBytesAllocated
            = clampTo<uint64_t>(o.value(QLatin1String("pixel_bytes_allocated")).toDouble());
        st.copies = clampTo<uint64_t>(o.value(QLatin1String("copies")).toDouble());
        out->push_back(st);
    }
    return true;
}

bool configFrom(const QJsonObject &o, PipelineConfig *c, QString *error)
{
    c->preset = o.value(QLatin1String("preset")).toString();
    c->inputDir = o.value(QLatin1String("input_dir")).toString();
    // Reports from before runs on chosen files have none: a folder's run.
    c->inputFiles.clear();
    for (const QJsonValue &file : o.value(QLatin1String("input_files")).toArray())
        c->inputFiles << file.toString();
    c->outputDir = o.value(QLatin1String("output_dir")).toString();
    c->profile = o.value(QLatin1String("profile")).toBool(true);
    // Reports from before the sampler: nothing was sampled.
    c->sampleRateHz = o.value(QLatin1String("sample_rate_hz")).toInt(0);
    const QJsonObject toggles = o.value(QLatin1String("toggles")).toObject();
    c->toggles = ToggleSet();
    for (auto it = toggles.begin(); it != toggles.end(); ++it) {
        const std::optional<ToggleId> id = toggleFromKey(it.key());
        if (!id) {
            *error = QStringLiteral("unknown toggle '%1'").arg(it.key());
            return false;
        }
        c->toggles.set(*id, it.value().toBool());
    }
    const QJsonObject p = o.value(QLatin1String("params")).toObject();
    PipelineParams &pp = c->params;
    const int quality = pp.quality;
    for (const ParamInfo &info : paramTable()) {
        const QJsonObject in = info.group ? p.value(QLatin1String(info.group)).toObject() : p;
        setParamValue(
            pp, info.id, paramFromJson(in.value(QLatin1String(info.key)), info.id, paramValue(pp, info.id)));
    }
    // The report has the quality the run saved at: the parameter's with
    // balanced-quality on, the wasteful one's without.
    if (!c->toggles.isOn(ToggleId::BalancedQuality)) {
        pp.wastefulQuality = pp.quality;
        pp.quality = quality;
    }
    return true;
}

void imagesFrom(const QJsonArray &images, RunResult *run)
{
    // The outputs as the run's plan derives them; a name it does not derive
    // (numbered, or from another version) is kept as the report gives it.
    auto outputs = std::make_shared<OutputPlan>(run->config);
    std::vector<size_t> written;
    for (int i = 0; i < images.size(); ++i) {
        const QJsonObject im = images[i].toObject();
        ImageRecord rec;
        rec.index = i;
        rec.path = im.value(QLatin1String("path")).toString();
        rec.ok = im.value(QLatin1String("ok")).toBool();
        rec.error = im.value(QLatin1String("error")).toString();
        rec.cancelled = im.value(QLatin1String("cancelled")).toBool();
        rec.sourceWidth = im.value(QLatin1String("source_width")).toInt();
        rec.sourceHeight = im.value(QLatin1String("source_height")).toInt();
        rec.width = im.value(QLatin1String("width")).toInt();
        rec.height = im.value(QLatin1String("height")).toInt();
        rec.scaleDenominator = im.value(QLatin1String("scale_denominator")).toInt(1);
        rec.fromCache = im.value(QLatin1String("from_cache")).toBool();
        rec.bytesIn = clampTo<int64_t>(im.value(QLatin1String("bytes_in")).toDouble());
        rec.bytesOut = clampTo<int64_t>(im.value(QLatin1String("bytes_out")).toDouble());
        if (const QString output = im.value(QLatin1String("output")).toString(); !output.isEmpty()) {
            if (outputs->derivedPathFor(rec.path) != output)
                outputs->rename(rec.path, output);
            written.push_back(run->images.size());
        }
        const QJsonObject stageMs = im.value(QLatin1String("stage_ms")).toObject();
        for (auto it = stageMs.begin(); it != stageMs.end(); ++it) {
            if (const std::optional<Stage> st = stageFromName(it.key()))
                rec.setStageMs(*st, it.value().toDouble());
        }
        run->files << rec.path;
        run->images.push_back(rec);
    }
    for (const size_t i : written)
        run->images[i].setOutput(outputs);
}

void memoryFrom(const QJsonArray &memory, RunResult *run)
{
    for (const QJsonValue &v : memory) {
        const QJsonObject m = v.toObject();
        MemorySample s;
        s.tNs = clampTo<int64_t>(m.value(QLatin1String("t_ms")).toDouble() * 1e6);
        s.rssBytes = clampTo<int64_t>(m.value(QLatin1String("rss_bytes")).toDouble());
        s.pixelBytesLive = clampTo<int64_t>(m.value(QLatin1String("pixel_bytes_live")).toDouble());
        s.cpuNs = clampTo<int64_t>(m.value(QLatin1String("cpu_ms")).toDouble() * 1e6);
        s.imagesDone = m.value(QLatin1String("images_done")).toInt();
        run->memory.push_back(s);
    }
}

bool spansFrom(const QJsonArray &spans, RunResult *run, QString *error)
{
    for (const QJsonValue &v : spans) {
        const QJsonArray a = v.toArray();
        const std::optional<Stage> st = stageFromName(a.at(1).toString());
        if (a.size() < 8 || !st) {
            *error = QStringLiteral("malformed span entry");
            return false;
        }
        StageSpan s;
        s.setImage(a.at(0).toInt());
        s.setStage(*st);
        s.setWorker(a.at(2).toInt());
        const int64_t start = clampTo<int64_t>(a.at(3).toDouble() * 1e6);
        s.setTimes(start, clampTo<int64_t>(double(start) + a.at(4).toDouble() * 1e6));
        s.setCpuNs(clampTo<int64_t>(a.at(5).toDouble() * 1e6));
        s.setBytesAllocated(clampTo<uint64_t>(a.at(6).toDouble()));
        s.setCopies(clampTo<uint32_t>(a.at(7).toDouble()));
        run->spans.push_back(s);
    }
    return true;
}

bool repeatsFrom(
    const QJsonArray &repeats, const PipelineConfig &config, std::vector<RunResult> *out, QString *error)
{
    for (const QJsonValue &v : repeats) {
        RunResult rep;
        rep.config = config;
        rep.summary = summaryFrom(v.toObject().value(QLatin1String("summary")).toObject());
        rep.startedAt = QDateTime::fromString(
            v.toObject().value(QLatin1String("started_at")).toString(), Qt::ISODateWithMs);
        rep.processId = qint64(v.toObject().value(QLatin1String("process_id")).toDouble());
        if (!stagesFrom(v.toObject().value(QLatin1String("stages")).toArray(), &rep.stages, error))
            return false;
        out->push_back(rep);
    }
    return true;
}

Spread spreadFrom(const QJsonObject &o)
{
    auto number = [&o](const char *key) { return o.value(QLatin1String(key)).toDouble(); };
    return { o.value(QLatin1String("n")).toInt(), number("median"), number("min"), number("max"),
        number("mad") };
}

AblationMeasure ablationMeasureFrom(const QJsonObject &o)
{
    AblationMeasure m;
    m.msPerImage = spreadFrom(o.value(QLatin1String("ms_per_image")).toObject());
    m.peakRssBytes = clampTo<int64_t>(o.value(QLatin1String("peak_rss_bytes")).toDouble());
    m.ownPeakRssBytes = clampTo<int64_t>(o.value(QLatin1String("own_peak_rss_bytes")).toDouble());
    m.decodeCacheBytes = clampTo<int64_t>(o.value(QLatin1String("decode_cache_bytes")).toDouble());
    m.imagesFromCache = o.value(QLatin1String("images_from_cache")).toInt();
    m.images = o.value(QLatin1String("images")).toInt();
    m.rounds = o.value(QLatin1String("rounds")).toInt();
    return m;
}

bool ablationEntriesFrom(const QJsonArray &entries, std::vector<AblationEntry> *out, QString *error)
{
    for (const QJsonValue &v : entries) {
        const QJsonObject o = v.toObject();
        const std::optional<ToggleId> id = toggleFromKey(o.value(QLatin1String("toggle")).toString());
        if (!id) {
            *error = QStringLiteral("unknown toggle '%1'").arg(o.value(QLatin1String("toggle")).toString());
            return false;
        }
        AblationEntry e;
        e.toggle = *id;
        e.without = ablationMeasureFrom(o.value(QLatin1String("without")).toObject());
        e.slowdown.value = o.value(QLatin1String("slowdown")).toDouble();
        e.slowdown.spread = o.value(QLatin1String("slowdown_spread")).toDouble();
        e.slowdown.spreadKnown = o.contains(QLatin1String("slowdown_spread"));
        e.timeClaimed = o.value(QLatin1String("time_claimed")).toBool();
        e.memoryClaimed = o.value(QLatin1String("memory_claimed")).toBool();
        e.speedupShare = o.value(QLatin1String("speedup_share")).toDouble();
        e.memoryShare = o.value(QLatin1String("memory_share")).toDouble();
        e.sentence = o.value(QLatin1String("sentence")).toString();
        out->push_back(e);
    }
    return true;
}

} // namespace

LoadedAblation readAblation(const QJsonObject &o)
{
    LoadedAblation loaded;
    const QString schema = o.value(QLatin1String("schema")).toString();
    if (schema != QLatin1String("pixelperf-ablation/2")) {
        loaded.error = QStringLiteral("not an ablation PixelPerf can read (schema '%1', expected "
                                      "'pixelperf-ablation/2')")
                           .arg(schema);
        return loaded;
    }
    AblationResult &r = loaded.result;
    if (!configFrom(o.value(QLatin1String("config")).toObject(), &r.config, &loaded.error))
        return loaded;
    const QJsonObject plan = o.value(QLatin1String("plan")).toObject();
    r.plan.rounds = plan.value(QLatin1String("rounds")).toInt();
    r.plan.warmups = plan.value(QLatin1String("warmups")).toInt();
    const QString order = plan.value(QLatin1String("order")).toString();
    r.plan.order = order == QLatin1String("reverse") ? RunOrder::Reverse
        : order == QLatin1String("shuffle")          ? RunOrder::Shuffle
                                                     : RunOrder::Forward;
    r.plan.seed = uint32_t(plan.value(QLatin1String("seed")).toDouble());
    r.runsDone = o.value(QLatin1String("runs_done")).toInt();
    r.runsPlanned = o.value(QLatin1String("runs_planned")).toInt();
    r.cancelled = o.value(QLatin1String("cancelled")).toBool();
    r.all = ablationMeasureFrom(o.value(QLatin1String("all_on")).toObject());
    ablationEntriesFrom(o.value(QLatin1String("entries")).toArray(), &r.entries, &loaded.error);
    return loaded;
}

QString unsupportedSchemaText(const QString &schema)
{
    // A later version of our own format, or another of our reports: said so, not "not a report".
    if (schema.startsWith(QLatin1String("pixelperf-report/")))
        return QStringLiteral("report schema '%1' is a version this PixelPerf cannot read (it reads "
                              "'pixelperf-report/1'): a newer PixelPerf wrote it")
            .arg(schema);
    if (schema.startsWith(QLatin1String("pixelperf-")))
        return QStringLiteral("a PixelPerf '%1' file, not a run report ('pixelperf-report/1')").arg(schema);
    return QStringLiteral("not a PixelPerf report (schema is '%1', expected 'pixelperf-report/1')")
        .arg(schema);
}

LoadedReport readReport(const QByteArray &json)
{
    LoadedReport r;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (doc.isNull()) {
        r.error = QStringLiteral("not valid JSON: %1 at byte %2")
                      .arg(parseError.errorString())
                      .arg(parseError.offset);
        return r;
    }
    const QJsonObject o = doc.object();
    if (o.value(QLatin1String("schema")).toString() != QLatin1String("pixelperf-report/1")) {
        r.error = unsupportedSchemaText(o.value(QLatin1String("schema")).toString());
        return r;
    }
    RunResult &run = r.run;
    run.startedAt = QDateTime::fromString(o.value(QLatin1String("started_at")).toString(), Qt::ISODateWithMs);
    run.processId = qint64(o.value(QLatin1String("process_id")).toDouble());
    run.fatalError = o.value(QLatin1String("error")).toString();
    r.environment = o.value(QLatin1String("environment")).toObject();
    run.environment = r.environment;
    if (!configFrom(o.value(QLatin1String("config")).toObject(), &run.config, &r.error))
        return r;
    run.summary = summaryFrom(o.value(QLatin1String("summary")).toObject());
    run.profile = profileFromJson(o.value(QLatin1String("profile")).toObject());
    if (!stagesFrom(o.value(QLatin1String("stages")).toArray(), &run.stages, &r.error))
        return r;

    imagesFrom(o.value(QLatin1String("images")).toArray(), &run);
    memoryFrom(o.value(QLatin1String("memory")).toArray(), &run);
    if (!spansFrom(o.value(QLatin1String("spans")).toArray(), &run, &r.error))
        return r;
    repeatsFrom(o.value(QLatin1String("repeats")).toArray(), run.config, &r.repeats, &r.error);
    return r;
}

LoadedReport readReportFile(const QString &path)
{
    LoadedReport r;
    // A FIFO or a device (/dev/zero) would block or never end: only regular
    // files are read, and no more than the cap.
    const QFileInfo info(path);
    if (info.exists() && !info.isFile()) {
        r.error = QStringLiteral("%1 is not a regular file (a folder, a device or a pipe); a report is a "
                                 ".json file")
                      .arg(path);
        return r;
    }
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        r.error = QStringLiteral("cannot open %1: %2").arg(path, f.errorString());
        return r;
    }
    // read(n) allocates n bytes up front: the file's size, and one more to
    // see one that grows past the cap.
    const QByteArray bytes = f.read(std::min(f.size(), MaxReportBytes) + 1);
    if (bytes.size() > MaxReportBytes) {
        r.error = QStringLiteral("%1 is larger than %2, the limit for a report; not read")
                      .arg(path, mibText(double(MaxReportBytes)));
        return r;
    }
    r = readReport(bytes);
    if (!r.error.isEmpty())
        r.error = QStringLiteral("%1: %2").arg(path, r.error);
    return r;
}

} // namespace pixelperf
