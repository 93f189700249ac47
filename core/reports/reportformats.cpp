#include "reports/reportformats.h"

#include "reports/flamegraphsvg.h"

#include "reports/units.h"

#include "measure/environment.h"
#include "measure/series.h"
#include "measure/statistics.h"
#include "reports/stagecolors.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRectF>

#include <algorithm>
#include <cmath>
#include <utility>

namespace pixelperf {

namespace {

QString csvField(const QString &s)
{
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) && !s.contains(QLatin1Char('\n')))
        return s;
    QString q = s;
    q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

QString num(double v, int decimals = 3)
{
    return QString::number(v, 'f', decimals);
}

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

// Milliseconds with the decimals a reader needs: 0.02 ms stays visible.
QString msText(double ms)
{
    return num(ms, ms < 1 ? 2 : 1);
}

// A round axis step (1, 2 or 5 times a power of ten) giving about `ticks`
// intervals up to `max`.
double niceStep(double max, int ticks)
{
    const double raw = max / ticks;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : { 1.0, 2.0, 5.0 })
        if (raw <= m * magnitude)
            return m * magnitude;
    return 10 * magnitude;
}

// Decimals that tell apart the ticks of a step.
int stepDecimals(double step)
{
    return step >= 1 ? 0 : int(std::ceil(-std::log10(step) - 1e-9));
}

// Which repetition `run` is among `repeats`, 1-based, and how many there are
// (a single run: 1 of 1). Matched by start time; not found: the last.
std::pair<int, int> repetitionOf(const RunResult &run, const std::vector<RunResult> &repeats)
{
    const int total = std::max<int>(1, int(repeats.size()));
    for (size_t i = 0; i < repeats.size(); ++i)
        if (repeats[i].startedAt == run.startedAt && repeats[i].processId == run.processId)
            return { int(i) + 1, total };
    return { total, total };
}

} // namespace

namespace {

// Gathers rows and hands them to the sink a chunk at a time.
class ChunkedSink
{
public:
    explicit ChunkedSink(const ByteSink &sink)
        : m_sink(sink)
    { }
    ~ChunkedSink() { flush(); }
    ChunkedSink(const ChunkedSink &) = delete;
    ChunkedSink &operator=(const ChunkedSink &) = delete;
    void addText(const QString &text) { add(text.toUtf8()); }
    void add(QByteArrayView bytes)
    {
        m_chunk.append(bytes);
        if (m_chunk.size() >= (64 << 10))
            flush();
    }
    void flush()
    {
        if (!m_chunk.isEmpty())
            m_sink(m_chunk);
        m_chunk.clear();
    }

private:
    const ByteSink &m_sink;
    QByteArray m_chunk;
};

QByteArray intoBytes(const std::function<void(const ByteSink &)> &write)
{
    QByteArray out;
    write([&out](QByteArrayView bytes) { out.append(bytes); });
    return out;
}

} // namespace

void streamCsv(const ByteSink &sink, const RunResult &run, const std::vector<RunResult> &repeats)
{
    const auto [repetition, repetitions] = repetitionOf(run, repeats);
    ChunkedSink out(sink);
    out.add(
        QByteArrayLiteral("image,path,stage,worker,start_ms,duration_ms,cpu_ms,pixel_bytes_allocated,copies,"
                          "image_ok,image_error,repetition,repetitions\n"));
    // The images' spans in image and stage order, sorted as indices: a copy
    // of the spans would double the largest record of a run.
    std::vector<uint32_t> order;
    for (size_t i = 0; i < run.spans.size(); ++i)
        if (run.spans[i].image() >= 0)
            order.push_back(uint32_t(i));
    std::stable_sort(order.begin(), order.end(), [&run](uint32_t a, uint32_t b) {
        const StageSpan &x = run.spans[a], &y = run.spans[b];
        return x.image() != y.image() ? x.image() < y.image() : int(x.stage()) < int(y.stage());
    });
    for (const uint32_t i : order) {
        const StageSpan &s = run.spans[i];
        const ImageRecord *im = s.image() < int(run.images.size()) ? &run.images[size_t(s.image())] : nullptr;
        out.addText(QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8,%9,%10,%11,%12,%13\n")
                        .arg(s.image())
                        .arg(csvField(im ? im->path : QString()))
                        .arg(QLatin1String(stageName(s.stage())))
                        .arg(s.worker())
                        .arg(num(double(s.startNs()) / 1e6))
                        .arg(num(double(s.durationNs()) / 1e6))
                        .arg(num(double(s.cpuNs()) / 1e6))
                        .arg(s.bytesAllocated())
                        .arg(s.copies())
                        .arg(im && im->ok ? 1 : 0)
                        .arg(csvField(im ? im->error : QString()))
                        .arg(repetition)
                        .arg(repetitions));
    }
}

QByteArray runCsv(const RunResult &run, const std::vector<RunResult> &repeats)
{
    return intoBytes([&](const ByteSink &sink) { streamCsv(sink, run, repeats); });
}

namespace {

// The trace's events, one at a time: the track names, a complete event per
// span, the counters per memory sample.
void traceEvents(const RunResult &run, const std::function<void(const QJsonObject &)> &event)
{
    const int pid = 1;
    event(QJsonObject { { "name", "process_name" }, { "ph", "M" }, { "pid", pid },
        { "args",
            QJsonObject {
                { "name", QStringLiteral("pixelperf %1").arg(presetNameFor(run.config.toggles)) } } } });
    QSet<int> workers;
    for (const StageSpan &s : run.spans)
        workers.insert(s.worker());
    for (int w : workers) {
        const QString name = w < 0 ? QStringLiteral("controller (scan)") : QStringLiteral("worker %1").arg(w);
        event(QJsonObject { { "name", "thread_name" }, { "ph", "M" }, { "pid", pid }, { "tid", w + 1 },
            { "args", QJsonObject { { "name", name } } } });
        event(QJsonObject { { "name", "thread_sort_index" }, { "ph", "M" }, { "pid", pid }, { "tid", w + 1 },
            { "args", QJsonObject { { "sort_index", w + 1 } } } });
    }
    for (const StageSpan &s : run.spans) {
        QJsonObject args { { "cpu_ms", double(s.cpuNs()) / 1e6 },
            { "pixel_bytes_allocated", double(s.bytesAllocated()) }, { "copies", double(s.copies()) } };
        if (s.image() >= 0 && s.image() < int(run.images.size())) {
            args.insert("file", run.images[size_t(s.image())].path);
            args.insert("image", s.image());
        }
        event(QJsonObject { { "name", QLatin1String(stageName(s.stage())) }, { "cat", "stage" },
            { "ph", "X" }, { "ts", double(s.startNs()) / 1e3 }, { "dur", double(s.durationNs()) / 1e3 },
            { "pid", pid }, { "tid", s.worker() + 1 }, { "args", args } });
    }
    for (const MemorySample &m : run.memory) {
        event(QJsonObject { { "name", "memory (MiB)" }, { "ph", "C" }, { "ts", double(m.tNs) / 1e3 },
            { "pid", pid },
            { "args",
                QJsonObject { { "rss", double(m.rssBytes) / 1048576.0 },
                    { "pixel buffers", double(m.pixelBytesLive) / 1048576.0 } } } });
        event(QJsonObject { { "name", "images done" }, { "ph", "C" }, { "ts", double(m.tNs) / 1e3 },
            { "pid", pid }, { "args", QJsonObject { { "images", m.imagesDone } } } });
    }
}

} // namespace

void streamTrace(const ByteSink &sink, const RunResult &run, const std::vector<RunResult> &repeats)
{
    const auto [repetition, repetitions] = repetitionOf(run, repeats);
    const QJsonObject head { { "displayTimeUnit", "ms" },
        { "otherData",
            QJsonObject { { "tool", QStringLiteral("pixelperf %1").arg(appVersion()) },
                { "input_dir", run.config.inputDir }, { "repetition", repetition },
                { "repetitions", repetitions },
                { "covers",
                    QStringLiteral("repetition %1 of %2; the JSON report "
                                   "has every repetition's statistics")
                        .arg(repetition)
                        .arg(repetitions) } } } };
    // The head's members, then the events one by one: a trace of 100,000
    // images is never a whole document in memory.
    QByteArray text = QJsonDocument(head).toJson(QJsonDocument::Compact);
    text.chop(1); // the closing brace
    ChunkedSink out(sink);
    out.add(text + QByteArrayLiteral(",\"traceEvents\":["));
    bool first = true;
    traceEvents(run, [&](const QJsonObject &event) {
        if (!first)
            out.add(QByteArrayView(","));
        first = false;
        out.add(QJsonDocument(event).toJson(QJsonDocument::Compact));
    });
    out.add(QByteArrayView("]}"));
}

QByteArray runTrace(const RunResult &run, const std::vector<RunResult> &repeats)
{
    return intoBytes([&](const ByteSink &sink) { streamTrace(sink, run, repeats); });
}

QByteArray runMarkdown(const RunResult &run, const std::vector<RunResult> &repeats)
{
    const RunSummary &s = run.summary;
    QStringList on;
    for (const ToggleInfo &t : toggleTable())
        if (run.config.isOn(t.id))
            on << QLatin1String(t.key);
    QString md;
    md += QStringLiteral("### PixelPerf run: %1\n\n").arg(presetNameFor(run.config.toggles));
    md += QStringLiteral(
        "%1 of %2 images ok, %3 failed%4 · %5 workers · wall %6 s · CPU %7 s · **%8 images/s** · "
        "peak RSS %9\n\n")
              .arg(s.imagesOk)
              .arg(s.imagesTotal)
              .arg(s.imagesFailed)
              .arg(s.cancelled ? QStringLiteral(" (cancelled)") : QString())
              .arg(s.workers)
              .arg(num(s.wallMs / 1000, 2))
              .arg(num(s.cpuMs / 1000, 2))
              .arg(num(s.imagesPerSecond, 2))
              .arg(mibText(double(s.peakRssBytes)));
    if (const QString cache = decodeCacheNote(run); !cache.isEmpty())
        md += QStringLiteral("Note, %1.\n\n").arg(cache);
    md += QStringLiteral(
        "Toggles on: %1. Output %2x%3, blur %4, sharpen %5, contrast %6, brightness %7, quality %8.\n\n")
              .arg(on.isEmpty() ? QStringLiteral("none") : on.join(QStringLiteral(", ")))
              .arg(run.config.params.width)
              .arg(run.config.params.height)
              .arg(run.config.params.blurRadius)
              .arg(run.config.params.sharpen)
              .arg(run.config.params.contrast)
              .arg(run.config.params.brightness)
              .arg(run.config.params.saveQuality(run.config.toggles));
    double total = 0;
    for (const StageStats &st : run.stages)
        total += st.totalMs;
    md += QStringLiteral(
        "| stage | count | total ms | mean ms | median ms | p95 ms | share | alloc MiB | copies |\n");
    md += QStringLiteral("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (const StageStats &st : run.stages) {
        md += QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 | %7 % | %8 | %9 |\n")
                  .arg(QLatin1String(stageName(st.stage)))
                  .arg(st.count)
                  .arg(num(st.totalMs, 1))
                  .arg(num(st.meanMs, 2))
                  .arg(num(st.medianMs, 2))
                  .arg(num(st.p95Ms, 2))
                  .arg(num(total > 0 ? 100 * st.totalMs / total : 0, 1))
                  .arg(num(double(st.pixelBytesAllocated) / 1048576.0, 1))
                  .arg(st.copies);
    }
    if (repeats.size() > 1) {
        std::vector<double> ips, wall;
        for (const RunResult &r : repeats) {
            ips.push_back(r.summary.imagesPerSecond);
            wall.push_back(r.summary.wallMs);
        }
        const Spread si = spreadOf(ips), sw = spreadOf(wall);
        md += QStringLiteral(
            "\n%1 repetitions: images/s median %2 (min %3, max %4, MAD %5); wall ms median %6 "
            "(MAD %7).\n")
                  .arg(repeats.size())
                  .arg(num(si.median, 2))
                  .arg(num(si.min, 2))
                  .arg(num(si.max, 2))
                  .arg(num(si.mad, 2))
                  .arg(num(sw.median, 1))
                  .arg(num(sw.mad, 1));
    }
    int failed = 0;
    for (const ImageRecord &im : run.images) {
        if (!im.ok && !im.cancelled) {
            if (failed++ == 0)
                md += QStringLiteral("\nFailed inputs:\n\n");
            md += QStringLiteral("- `%1`: %2\n").arg(QFileInfo(im.path).fileName(), im.error);
        }
    }
    return md.toUtf8();
}

namespace {

// (seconds, value) as the charts take them: (ms, value).
std::vector<std::pair<double, double>> inMs(const std::vector<QPointF> &points)
{
    std::vector<std::pair<double, double>> out;
    out.reserve(points.size());
    for (const QPointF &p : points)
        out.emplace_back(p.x() * 1000, p.y());
    return out;
}

// A horizontal bar per stage: total ms.
QString stageBarsSvg(const RunResult &run)
{
    const int rowH = 24, labelW = 90, barW = 560, w = labelW + barW + 90;
    const int h = rowH * int(run.stages.size()) + 30;
    double maxMs = 0;
    for (const StageStats &st : run.stages)
        maxMs = std::max(maxMs, st.totalMs);
    QString svg = QStringLiteral("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%1\" height=\"%2\" "
                                 "role=\"img\" aria-label=\"Time per stage\">")
                      .arg(w)
                      .arg(h);
    int y = 5;
    for (const StageStats &st : run.stages) {
        const double len = maxMs > 0 ? barW * st.totalMs / maxMs : 0;
        svg += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"end\" font-size=\"13\">%3</text>")
                   .arg(labelW - 8)
                   .arg(y + 16)
                   .arg(QLatin1String(stageName(st.stage)));
        svg += QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\" fill=\"%5\"/>")
                   .arg(labelW)
                   .arg(y + 3)
                   .arg(num(std::max(1.0, len), 1))
                   .arg(rowH - 6)
                   .arg(stageHex(st.stage));
        svg += QStringLiteral("<text x=\"%1\" y=\"%2\" font-size=\"12\">%3 ms</text>")
                   .arg(num(labelW + len + 6, 1))
                   .arg(y + 16)
                   .arg(msText(st.totalMs));
        y += rowH;
    }
    svg += QStringLiteral("<text x=\"%1\" y=\"%2\" font-size=\"11\" fill=\"#666\">total time per stage, "
                          "summed over images (ms)</text></svg>")
               .arg(labelW)
               .arg(h - 6);
    return svg;
}

// Lines over time with axes: series of (t_ms, value).
// A chart's <svg> opening, its title and its two axis lines around `plot`.
QString chartFrameSvg(const QString &title, int w, int h, const QRectF &plot)
{
    QString svg
        = QStringLiteral("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%1\" height=\"%2\" role=\"img\" "
                         "aria-label=\"%3\">")
              .arg(w)
              .arg(h)
              .arg(esc(title));
    svg += QStringLiteral("<text x=\"%1\" y=\"16\" font-size=\"13\" font-weight=\"bold\">%2</text>")
               .arg(plot.left())
               .arg(esc(title));
    svg += QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%1\" y2=\"%3\" stroke=\"#999\"/>")
               .arg(plot.left())
               .arg(plot.top())
               .arg(plot.bottom());
    svg += QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\" stroke=\"#999\"/>")
               .arg(plot.left())
               .arg(plot.bottom())
               .arg(plot.right());
    return svg;
}

QString lineChartSvg(const QString &title, const QString &unit,
    const std::vector<std::pair<QString, std::vector<std::pair<double, double>>>> &series,
    const QStringList &colors)
{
    const int w = 700, h = 240, left = 60, right = 20, top = 28, bottom = 36;
    double maxT = 0, maxV = 0;
    for (const auto &s : series)
        for (const auto &p : s.second) {
            maxT = std::max(maxT, p.first);
            maxV = std::max(maxV, p.second);
        }
    if (maxT <= 0)
        maxT = 1;
    if (maxV <= 0)
        maxV = 1;
    // Round ticks; the value axis ends on a tick above the largest value, so
    // a flat line at the maximum does not sit on the frame.
    const double vStep = niceStep(maxV, 4);
    maxV = vStep * std::floor(maxV / vStep + 1);
    const double tStep = niceStep(maxT / 1000, 5) * 1000;
    const double pw = w - left - right, ph = h - top - bottom;
    QString svg = chartFrameSvg(title, w, h, QRectF(left, top, pw, ph));
    for (double v = 0; v <= maxV * 1.0001; v += vStep) {
        const double y = top + ph - ph * v / maxV;
        svg += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"end\" font-size=\"10\">%3</text>")
                   .arg(left - 4)
                   .arg(num(y + 3, 1))
                   .arg(num(v, stepDecimals(vStep)));
        if (v > 0)
            svg += QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\" stroke=\"#eee\"/>")
                       .arg(left + 1)
                       .arg(num(y, 1))
                       .arg(left + pw);
    }
    for (double t = 0; t <= maxT * 1.0001; t += tStep) {
        svg += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"middle\" font-size=\"10\">%3</text>")
                   .arg(num(left + pw * t / maxT, 1))
                   .arg(top + ph + 14)
                   .arg(num(t / 1000, stepDecimals(tStep / 1000)));
    }
    svg += QStringLiteral(
        "<text x=\"%1\" y=\"%2\" text-anchor=\"middle\" font-size=\"11\" fill=\"#666\">time (s)</text>")
               .arg(left + pw / 2)
               .arg(h - 4);
    svg += QStringLiteral(
        "<text x=\"12\" y=\"%1\" font-size=\"11\" fill=\"#666\" transform=\"rotate(-90 12 %1)\" "
        "text-anchor=\"middle\">%2</text>")
               .arg(top + ph / 2)
               .arg(esc(unit));
    int legendX = left + 200;
    for (size_t i = 0; i < series.size(); ++i) {
        QString points;
        for (const auto &p : series[i].second)
            points += QStringLiteral("%1,%2 ").arg(
                num(left + pw * p.first / maxT, 1), num(top + ph - ph * p.second / maxV, 1));
        const QString color = colors.value(int(i), QStringLiteral("#333"));
        svg += QStringLiteral("<polyline fill=\"none\" stroke=\"%1\" stroke-width=\"1.5\" points=\"%2\"/>")
                   .arg(color, points.trimmed());
        svg += QStringLiteral(
            "<rect x=\"%1\" y=\"7\" width=\"12\" height=\"10\" fill=\"%2\"/><text x=\"%3\" y=\"16\" "
            "font-size=\"12\">%4</text>")
                   .arg(legendX)
                   .arg(color)
                   .arg(legendX + 16)
                   .arg(esc(series[i].first));
        legendX += 30 + int(series[i].first.size()) * 7;
    }
    svg += QStringLiteral("</svg>");
    return svg;
}

// One lane per worker; each stage a coloured span.
// Spans narrower than a pixel are merged visually: every stride-th span is
// drawn, so that the page of a run of 100,000 images stays a few MiB.
constexpr size_t TimelineMaxSpans = 20000;
size_t timelineStride(size_t spans)
{
    return std::max<size_t>(1, spans / TimelineMaxSpans);
}

// Says so under the timeline when it does not draw every span.
QString timelineNote(const RunResult &run)
{
    const size_t stride = timelineStride(run.spans.size());
    if (stride <= 1)
        return {};
    return QStringLiteral(
        "<p class=\"note\">The timeline draws one span in %1 (%2 of %3 spans), so that "
        "this page stays small; the JSON report, the CSV and the trace have every span.</p>\n")
        .arg(stride)
        .arg((run.spans.size() + stride - 1) / stride)
        .arg(run.spans.size());
}

// Written to `out` a rectangle at a time: with 20,000 of them, the page's
// largest part.
void timelineSvg(ChunkedSink &out, const RunResult &run)
{
    int maxWorker = 0;
    double endMs = 0;
    for (const StageSpan &s : run.spans) {
        maxWorker = std::max(maxWorker, int(s.worker()));
        endMs = std::max(endMs, double(s.endNs()) / 1e6);
    }
    const int lanes = maxWorker + 2; // controller lane (-1) + workers
    const int laneH = 22, left = 90, w = 800, pw = w - left - 10;
    const int h = lanes * laneH + 40;
    if (endMs <= 0)
        endMs = 1;
    out.addText(
        QStringLiteral("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%1\" height=\"%2\" role=\"img\" "
                       "aria-label=\"Timeline per worker\">")
            .arg(w)
            .arg(h));
    for (int lane = 0; lane < lanes; ++lane) {
        const QString label = lane == 0 ? QStringLiteral("scan") : QStringLiteral("worker %1").arg(lane - 1);
        out.addText(QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"end\" font-size=\"12\">%3</text>")
                        .arg(left - 6)
                        .arg(lane * laneH + 15)
                        .arg(label));
    }
    const size_t stride = timelineStride(run.spans.size());
    for (size_t i = 0; i < run.spans.size(); i += stride) {
        const StageSpan &s = run.spans[i];
        const double x = left + pw * (double(s.startNs()) / 1e6) / endMs;
        const double wd = std::max(0.5, pw * (double(s.durationNs()) / 1e6) / endMs);
        // "blur of IMG_0042.jpg: 12.31 ms"; the scan is of no image.
        const QString what = s.image() >= 0 && s.image() < run.files.size()
            ? QStringLiteral("%1 of %2")
                  .arg(QLatin1String(stageName(s.stage())), esc(QFileInfo(run.files[s.image()]).fileName()))
            : QString::fromLatin1(stageName(s.stage()));
        out.addText(QStringLiteral(
            "<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\" fill=\"%5\"><title>%6: %7 ms</title></rect>")
                        .arg(num(x, 1))
                        .arg((s.worker() + 1) * laneH + 2)
                        .arg(num(wd, 1))
                        .arg(laneH - 4)
                        .arg(stageHex(s.stage()))
                        .arg(what, num(double(s.durationNs()) / 1e6, 2)));
    }
    int lx = left;
    for (int i = 0; i < StageCount; ++i) {
        out.addText(QStringLiteral(
            "<rect x=\"%1\" y=\"%2\" width=\"10\" height=\"10\" fill=\"%3\"/><text x=\"%4\" y=\"%5\" "
            "font-size=\"11\">%6</text>")
                        .arg(lx)
                        .arg(lanes * laneH + 24)
                        .arg(stageHex(Stage(i)))
                        .arg(lx + 13)
                        .arg(lanes * laneH + 33)
                        .arg(QLatin1String(stageName(Stage(i)))));
        lx += 78;
    }
    const double step = niceStep(endMs / 1000, 6) * 1000;
    for (double t = 0; t <= endMs * 1.0001; t += step) {
        const double x = left + pw * t / endMs;
        out.addText(
            QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%1\" y2=\"%3\" stroke=\"#999\"/>"
                           "<text x=\"%1\" y=\"%4\" text-anchor=\"middle\" font-size=\"10\">%5</text>")
                .arg(num(x, 1))
                .arg(lanes * laneH)
                .arg(lanes * laneH + 4)
                .arg(lanes * laneH + 14)
                .arg(num(t / 1000, stepDecimals(step / 1000))));
    }
    out.addText(QStringLiteral(
        "<text x=\"%1\" y=\"%2\" text-anchor=\"end\" font-size=\"10\" fill=\"#666\">s</text></svg>")
                    .arg(left - 6)
                    .arg(lanes * laneH + 14));
}

} // namespace

namespace {

// The wall times and rates of the repetitions, in order.
void repetitionFigures(
    const std::vector<RunResult> &repeats, std::vector<double> *walls, std::vector<double> *rates)
{
    for (const RunResult &r : repeats) {
        walls->push_back(r.summary.wallMs);
        rates->push_back(r.summary.imagesPerSecond);
    }
}

// The page's head, title and headline figures.
QString htmlHeader(const RunResult &run)
{
    const RunSummary &s = run.summary;
    QString html;
    html += QStringLiteral(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
        "<title>PixelPerf report: %1</title><style>"
        "body{font-family:system-ui,sans-serif;margin:24px;max-width:980px;color:#222}"
        "table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #ccc;padding:3px 8px;"
        "text-align:right}th{background:#f2f2f2}td:first-child,th:first-child{text-align:left}"
        ".figures span{display:inline-block;margin-right:22px}.figures b{font-size:20px}"
        ".on{color:#1a7f37}.off{color:#b42318}h2{margin-top:28px}svg{max-width:100%}"
        ".wide{overflow-x:auto}.reps{font-size:12px}.reps td,.reps th{white-space:nowrap;padding:2px 5px}"
        "</style></head><body>\n")
                .arg(esc(presetNameFor(run.config.toggles)));
    // A run on chosen files names how many, not only the folder above them.
    const QString input = run.config.inputFiles.isEmpty()
        ? run.config.inputDir
        : QStringLiteral("%1 chosen files in %2").arg(run.config.inputFiles.size()).arg(run.config.inputDir);
    html += QStringLiteral("<h1>PixelPerf run: %1</h1>\n<p>%2 · %3</p>\n")
                .arg(esc(presetNameFor(run.config.toggles)), esc(input),
                    esc(run.startedAt.toString(Qt::ISODate)));
    html += QStringLiteral(
        "<p class=\"figures\"><span><b>%1/%2</b> images ok</span><span><b>%3</b> failed</span>"
        "<span><b>%4 s</b> wall</span><span><b>%5</b> images/s</span><span><b>%6</b> peak RSS</span>"
        "<span><b>%7 %</b> CPU of %8 workers</span>%9</p>\n")
                .arg(s.imagesOk)
                .arg(s.imagesTotal)
                .arg(s.imagesFailed)
                .arg(num(s.wallMs / 1000, 2))
                .arg(num(s.imagesPerSecond, 2))
                .arg(mibText(double(s.peakRssBytes)))
                .arg(num(s.cpuUtilisation * 100, 0))
                .arg(s.workers)
                .arg(s.cancelled ? QStringLiteral("<span><b>cancelled</b></span>") : QString());
    if (const QString cache = decodeCacheNote(run); !cache.isEmpty())
        html += QStringLiteral("<p class=\"note\">Note, %1.</p>\n").arg(cache.toHtmlEscaped());
    return html;
}

// What the repetitions measured, in one sentence.
QString htmlRepetitionSummary(const std::vector<RunResult> &repeats)
{
    std::vector<double> walls, rates;
    repetitionFigures(repeats, &walls, &rates);
    const Spread wall = spreadOf(walls);
    return QStringLiteral("<p>Measured %1 times: wall <b>%2 s</b> median (%3 to %4 s, MAD %5 s), %6 images/s "
                          "median. The figures, charts and tables below are the last repetition's; "
                          "each repetition is listed under Repetitions further down.</p>\n")
        .arg(repeats.size())
        .arg(num(wall.median / 1000, 2), num(wall.min / 1000, 2), num(wall.max / 1000, 2),
            num(wall.mad / 1000, 3), num(median(rates), 2));
}

QString htmlStageTable(const RunResult &run)
{
    QString html;
    html += QStringLiteral("<h2>Time per stage</h2>\n") + stageBarsSvg(run);
    html += QStringLiteral(
        "<table><tr><th>stage</th><th>count</th><th>total ms</th><th>mean ms</th><th>median ms</th>"
        "<th>p95 ms</th><th>max ms</th><th>CPU ms</th><th>alloc MiB</th><th>copies</th></tr>\n");
    for (const StageStats &st : run.stages)
        html += QStringLiteral(
            "<tr><td><span style=\"color:%1\">■</span> %2</td><td>%3</td><td>%4</td><td>%5</td>"
            "<td>%6</td><td>%7</td><td>%8</td><td>%9</td><td>%10</td><td>%11</td></tr>\n")
                    .arg(stageHex(st.stage), QLatin1String(stageName(st.stage)))
                    .arg(st.count)
                    .arg(msText(st.totalMs))
                    .arg(num(st.meanMs, 2))
                    .arg(num(st.medianMs, 2))
                    .arg(num(st.p95Ms, 2))
                    .arg(num(st.maxMs, 2))
                    .arg(num(st.cpuMs, 1))
                    .arg(num(double(st.pixelBytesAllocated) / 1048576.0, 1))
                    .arg(st.copies);
    html += QStringLiteral("</table>\n");
    return html;
}

void htmlCharts(ChunkedSink &out, const RunResult &run, const std::vector<RunResult> &repeats)
{
    QString html;
    const RunSeries series = runSeries(run);
    const double windowMs = series.windowSeconds * 1000;
    const auto rss = inMs(series.rssMiB), pixels = inMs(series.pixelMiB), ips = inMs(series.imagesPerSecond),
               cpu = inMs(series.cpuPercent);
    html += QStringLiteral("<h2>Memory over time</h2>\n")
        + lineChartSvg(QStringLiteral("Memory"), QStringLiteral("MiB"),
            { { QStringLiteral("RSS"), rss }, { QStringLiteral("live pixel buffers"), pixels } },
            { QStringLiteral("#4e79a7"), QStringLiteral("#e15759") });
    html += QStringLiteral("<h2>Throughput and CPU</h2>\n")
        + lineChartSvg(QStringLiteral("Throughput"), QStringLiteral("images/s"),
            { { QStringLiteral("images/s over %1 ms").arg(num(windowMs, 0)), ips } },
            { QStringLiteral("#59a14f") })
        + lineChartSvg(QStringLiteral("CPU utilisation"), QStringLiteral("% of workers"),
            { { QStringLiteral("CPU % over %1 ms").arg(num(windowMs, 0)), cpu } },
            { QStringLiteral("#f28e2b") });
    out.addText(html + QStringLiteral("<h2>Timeline</h2>\n"));
    timelineSvg(out, run);
    out.addText(timelineNote(run) + flameGraphSection(measuredProfile(run, repeats).get()));
}

// Each repetition's total per stage, with the medians and spreads.
QString htmlRepetitionTable(const RunResult &run, const std::vector<RunResult> &repeats)
{
    std::vector<double> walls, rates;
    repetitionFigures(repeats, &walls, &rates);
    std::vector<Stage> stages;
    for (const StageStats &st : run.stages)
        stages.push_back(st.stage);
    QString html
        = QStringLiteral("<h2 id=\"repetitions\">Repetitions</h2><div class=\"wide\"><table class=\"reps\">"
                         "<tr><th rowspan=\"2\">#</th><th rowspan=\"2\">wall ms</th>"
                         "<th rowspan=\"2\">images/s</th><th rowspan=\"2\">peak RSS</th>"
                         "<th colspan=\"%1\" style=\"text-align:center\">total ms per stage</th></tr><tr>")
              .arg(stages.size());
    for (Stage st : stages)
        html += QStringLiteral("<th><span style=\"color:%1\">■</span> %2</th>")
                    .arg(stageHex(st), QLatin1String(stageName(st)));
    html += QStringLiteral("</tr>\n");
    auto stageTotal = [](const RunResult &r, Stage stage) {
        for (const StageStats &st : r.stages)
            if (st.stage == stage)
                return st.totalMs;
        return 0.0;
    };
    for (size_t i = 0; i < repeats.size(); ++i) {
        const RunSummary &rs = repeats[i].summary;
        html += QStringLiteral("<tr><td>%1%2</td><td>%3</td><td>%4</td><td>%5</td>")
                    .arg(i + 1)
                    .arg(rs.cancelled ? QStringLiteral(" (cancelled)") : QString())
                    .arg(num(rs.wallMs, 1), num(rs.imagesPerSecond, 2), mibText(double(rs.peakRssBytes)));
        for (Stage st : stages)
            html += QStringLiteral("<td>%1</td>").arg(msText(stageTotal(repeats[i], st)));
        html += QStringLiteral("</tr>\n");
    }
    std::vector<double> peaks;
    for (const RunResult &r : repeats)
        peaks.push_back(double(r.summary.peakRssBytes));
    // Median and spread on two rows: one "median (MAD)" cell per column
    // would make the table wider than the page.
    const Spread wallSpread = spreadOf(walls), rateSpread = spreadOf(rates), peakSpread = spreadOf(peaks);
    html += QStringLiteral("<tr><th>median</th><th>%1</th><th>%2</th><th>%3</th>")
                .arg(num(wallSpread.median, 1), num(rateSpread.median, 2), mibText(peakSpread.median));
    QString madRow = QStringLiteral("<tr><th>MAD</th><th>%1</th><th>%2</th><th>%3</th>")
                         .arg(num(wallSpread.mad, 1), num(rateSpread.mad, 2), mibText(peakSpread.mad));
    for (Stage st : stages) {
        std::vector<double> totals;
        for (const RunResult &r : repeats)
            totals.push_back(stageTotal(r, st));
        const Spread sp = spreadOf(totals);
        html += QStringLiteral("<th>%1</th>").arg(msText(sp.median));
        madRow += QStringLiteral("<th>%1</th>").arg(msText(sp.mad));
    }
    html += QStringLiteral("</tr>\n") + madRow;
    html += QStringLiteral("</tr>\n</table></div>\n");
    return html;
}

QString htmlToggleTable(const RunResult &run)
{
    QString html;
    html += QStringLiteral("<h2>Toggles</h2><table><tr><th>toggle</th><th>state</th><th>stage</th><th "
                           "style=\"text-align:left\">what it does</th></tr>\n");
    for (const ToggleInfo &t : toggleTable()) {
        const bool on = run.config.isOn(t.id);
        html += QStringLiteral(
            "<tr><td>%1</td><td class=\"%2\">%2</td><td>%3</td><td style=\"text-align:left\">%4</td></tr>\n")
                    .arg(QLatin1String(t.key), on ? QStringLiteral("on") : QStringLiteral("off"),
                        QLatin1String(t.stage), esc(QString::fromUtf8(on ? t.onText : t.offText)));
    }
    html += QStringLiteral("</table>\n");
    return html;
}

QString htmlParameterTable(const RunResult &run)
{
    const PipelineParams &p = run.config.params;
    return QStringLiteral(
        "<h2>Parameters</h2><table><tr><th>size</th><td>%1x%2 (%3)</td></tr><tr><th>blur "
        "radius</th><td>%4</td></tr>"
        "<tr><th>sharpen</th><td>%5</td></tr><tr><th>contrast</th><td>%6</td></tr><tr><th>brightness</th>"
        "<td>%7</td></tr><tr><th>JPEG "
        "quality</th><td>%8</td></tr><tr><th>jobs</th><td>%9</td></tr></table>\n")
        .arg(p.width)
        .arg(p.height)
        .arg(QLatin1String(resizeModeName(p.resizeMode)))
        .arg(p.blurRadius)
        .arg(p.sharpen)
        .arg(p.contrast)
        .arg(p.brightness)
        .arg(p.saveQuality(run.config.toggles))
        .arg(run.summary.workers);
}

QString htmlMachineTable(const QJsonObject &environment)
{
    QString html;
    html += QStringLiteral("<h2>Machine</h2><table>\n");
    for (auto it = environment.begin(); it != environment.end(); ++it)
        html += QStringLiteral("<tr><th>%1</th><td style=\"text-align:left\">%2</td></tr>\n")
                    .arg(esc(it.key()),
                        it.key().endsWith(QLatin1String("_bytes"))
                            ? QStringLiteral("%1 GiB").arg(num(it.value().toDouble() / (1 << 30), 1))
                            : esc(it.value().toVariant().toString()));
    html += QStringLiteral("</table>\n");
    return html;
}

QString htmlFailedTable(const RunResult &run)
{
    // Listed up to a bound: a folder of 100,000 unreadable files would
    // otherwise make a page of 100,000 rows. The JSON report and the CSV
    // name every one.
    constexpr int MaxRows = 1000;
    QString failed;
    int count = 0;
    for (const ImageRecord &im : run.images)
        if (!im.ok && !im.cancelled && ++count <= MaxRows)
            failed += QStringLiteral("<tr><td>%1</td><td style=\"text-align:left\">%2</td></tr>\n")
                          .arg(esc(im.path), esc(im.error));
    if (failed.isEmpty())
        return failed;
    const QString more = count > MaxRows
        ? QStringLiteral("<p class=\"note\">The first %1 of %2 failed inputs; the JSON report and the CSV "
                         "have every one.</p>\n")
              .arg(MaxRows)
              .arg(count)
        : QString();
    return QStringLiteral("<h2>Failed inputs</h2><table><tr><th>file</th><th>reason</th></tr>\n") + failed
        + QStringLiteral("</table>\n") + more;
}

} // namespace

void streamHtml(const ByteSink &sink, const RunResult &run, const QJsonObject &environment,
    const std::vector<RunResult> &repeats)
{
    ChunkedSink out(sink);
    QString html = htmlHeader(run);
    if (repeats.size() > 1)
        html += htmlRepetitionSummary(repeats);
    out.addText(html + htmlStageTable(run));
    htmlCharts(out, run, repeats);
    html = repeats.size() > 1 ? htmlRepetitionTable(run, repeats) : QString();
    html += htmlToggleTable(run) + htmlParameterTable(run) + htmlMachineTable(environment)
        + htmlFailedTable(run);
    html += QStringLiteral("<p style=\"color:#666\">PixelPerf %1</p></body></html>\n").arg(esc(appVersion()));
    out.addText(html);
}

QByteArray runHtml(
    const RunResult &run, const QJsonObject &environment, const std::vector<RunResult> &repeats)
{
    return intoBytes([&](const ByteSink &sink) { streamHtml(sink, run, environment, repeats); });
}
} // namespace pixelperf
