#include "runcomparison.h"

#include "reportwriter.h"
#include "stagecolors.h"

#include <QJsonObject>

#include <cmath>

namespace pixelperf {

namespace {

std::vector<double> repetitionStageTotals(const std::vector<RunResult> &reps, Stage stage)
{
    std::vector<double> v;
    for (const RunResult &r : reps)
        for (const StageStats &s : r.stages)
            if (s.stage == stage)
                v.push_back(s.totalMs);
    return v;
}

std::vector<double> imageStageTimes(const RunResult &run, Stage stage)
{
    std::vector<double> v;
    for (const ImageRecord &im : run.images)
        if (im.stageMs[size_t(stage)] >= 0)
            v.push_back(im.stageMs[size_t(stage)]);
    return v;
}

std::vector<double> walls(const RunResult &run, const std::vector<RunResult> &reps)
{
    std::vector<double> v;
    for (const RunResult &r : reps)
        v.push_back(r.summary.wallMs);
    if (v.empty())
        v.push_back(run.summary.wallMs);
    return v;
}

QString mib(int64_t bytes)
{
    return QString::number(double(bytes) / 1048576.0, 'f', 1) + QStringLiteral(" MiB");
}

} // namespace

RunComparison compareRuns(const RunResult &a, const std::vector<RunResult> &repsA, const RunResult &b,
                          const std::vector<RunResult> &repsB, const QString &labelA, const QString &labelB)
{
    RunComparison c;
    c.labelA = labelA;
    c.labelB = labelB;
    const bool byRepetition = repsA.size() >= 4 && repsB.size() >= 4;
    for (int i = 0; i < StageCount; ++i) {
        const Stage stage = Stage(i);
        std::vector<double> sa, sb;
        if (byRepetition) {
            sa = repetitionStageTotals(repsA, stage);
            sb = repetitionStageTotals(repsB, stage);
        } else {
            sa = imageStageTimes(a, stage);
            sb = imageStageTimes(b, stage);
        }
        if (sa.empty() && sb.empty())
            continue;
        StageComparison sc;
        sc.stage = stage;
        sc.sampleKind = byRepetition ? QStringLiteral("repetitions") : QStringLiteral("images");
        sc.a = spreadOf(sa);
        sc.b = spreadOf(sb);
        sc.speedup = sc.b.median > 0 ? sc.a.median / sc.b.median : 0;
        sc.p = mannWhitney(sa, sb).p;
        sc.verdict = compareSamples(sa, sb);
        c.stages.push_back(sc);
    }
    const std::vector<double> wa = walls(a, repsA), wb = walls(b, repsB);
    c.wallA = spreadOf(wa);
    c.wallB = spreadOf(wb);
    c.speedup = c.wallB.median > 0 ? c.wallA.median / c.wallB.median : 0;
    c.throughputRatio = a.summary.imagesPerSecond > 0 ? b.summary.imagesPerSecond / a.summary.imagesPerSecond : 0;
    c.p = mannWhitney(wa, wb).p;
    c.verdict = compareSamples(wa, wb);
    c.peakRssDelta = b.summary.peakRssBytes - a.summary.peakRssBytes;
    c.peakPixelDelta = b.summary.peakPixelBytes - a.summary.peakPixelBytes;
    for (const ToggleInfo &t : toggleTable()) {
        const bool va = a.config.isOn(t.id), vb = b.config.isOn(t.id);
        if (va != vb)
            c.toggleDifferences << QStringLiteral("%1: %2 -> %3")
                                           .arg(QLatin1String(t.key), va ? QStringLiteral("on") : QStringLiteral("off"),
                                                vb ? QStringLiteral("on") : QStringLiteral("off"));
    }
    const QJsonObject pa = ReportWriter::configJson(a.config).value(QLatin1String("params")).toObject();
    const QJsonObject pb = ReportWriter::configJson(b.config).value(QLatin1String("params")).toObject();
    for (auto it = pa.begin(); it != pa.end(); ++it) {
        const QJsonValue other = pb.value(it.key());
        if (other != it.value() && !it.value().isObject())
            c.paramDifferences << QStringLiteral("%1: %2 -> %3")
                                          .arg(it.key(), it.value().toVariant().toString(), other.toVariant().toString());
    }
    return c;
}

QString comparisonMarkdown(const RunComparison &c)
{
    QString md;
    md += QStringLiteral("## %1 vs %2\n\n").arg(c.labelA, c.labelB);
    md += QStringLiteral("Overall: %1 is **%2x** as fast by wall time (%3 ms vs %4 ms, median), "
                         "%5x the throughput; verdict: %6.\n\n")
                  .arg(c.labelB)
                  .arg(c.speedup, 0, 'f', 2)
                  .arg(c.wallA.median, 0, 'f', 1)
                  .arg(c.wallB.median, 0, 'f', 1)
                  .arg(c.throughputRatio, 0, 'f', 2)
                  .arg(QLatin1String(verdictName(c.verdict)));
    md += QStringLiteral("Peak RSS %1%2, peak pixel buffers %3%4.\n\n")
                  .arg(c.peakRssDelta >= 0 ? QStringLiteral("+") : QString(), mib(c.peakRssDelta),
                       c.peakPixelDelta >= 0 ? QStringLiteral("+") : QString(), mib(c.peakPixelDelta));
    if (!c.toggleDifferences.isEmpty())
        md += QStringLiteral("Toggles that differ: %1.\n\n").arg(c.toggleDifferences.join(QStringLiteral(", ")));
    if (!c.paramDifferences.isEmpty())
        md += QStringLiteral("Parameters that differ: %1.\n\n").arg(c.paramDifferences.join(QStringLiteral(", ")));
    md += QStringLiteral("| stage | %1 median ms (MAD) | %2 median ms (MAD) | speedup | p | verdict |\n")
                  .arg(c.labelA, c.labelB);
    md += QStringLiteral("|---|---:|---:|---:|---:|---|\n");
    for (const StageComparison &s : c.stages) {
        md += QStringLiteral("| %1 | %2 (%3) | %4 (%5) | %6x | %7 | %8 |\n")
                      .arg(QLatin1String(stageName(s.stage)))
                      .arg(s.a.median, 0, 'f', 2)
                      .arg(s.a.mad, 0, 'f', 2)
                      .arg(s.b.median, 0, 'f', 2)
                      .arg(s.b.mad, 0, 'f', 2)
                      .arg(s.speedup, 0, 'f', 2)
                      .arg(s.p < 0.001 ? QStringLiteral("<0.001") : QString::number(s.p, 'f', 3))
                      .arg(QLatin1String(verdictName(s.verdict)));
    }
    md += QStringLiteral("\nSamples per stage: %1. Verdicts: two-sided Mann-Whitney U test, p < 0.05, and a "
                         "median difference of at least 1 %.\n")
                  .arg(c.stages.empty() ? QStringLiteral("none") : c.stages.front().sampleKind);
    return md;
}

QByteArray comparisonHtml(const RunComparison &c)
{
    // Bars side by side per stage: A faded, B solid, both in the stage's colour.
    double maxMs = 0;
    for (const StageComparison &s : c.stages)
        maxMs = std::max({ maxMs, s.a.median, s.b.median });
    const int rowH = 40, labelW = 90, barW = 520, w = labelW + barW + 120;
    const int h = rowH * int(c.stages.size()) + 40;
    QString svg = QStringLiteral("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%1\" height=\"%2\" role=\"img\" "
                                 "aria-label=\"Median ms per stage, A and B\">")
                          .arg(w)
                          .arg(h);
    int y = 8;
    for (const StageComparison &s : c.stages) {
        const QString color = stageHex(s.stage);
        const double la = maxMs > 0 ? barW * s.a.median / maxMs : 0, lb = maxMs > 0 ? barW * s.b.median / maxMs : 0;
        svg += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"end\" font-size=\"13\">%3</text>")
                       .arg(labelW - 8)
                       .arg(y + 22)
                       .arg(QLatin1String(stageName(s.stage)));
        svg += QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"15\" fill=\"%4\" fill-opacity=\"0.4\"/>"
                              "<text x=\"%5\" y=\"%6\" font-size=\"11\">%7 %8 ms</text>")
                       .arg(labelW)
                       .arg(y)
                       .arg(std::max(1.0, la), 0, 'f', 1)
                       .arg(color)
                       .arg(labelW + la + 5, 0, 'f', 1)
                       .arg(y + 12)
                       .arg(c.labelA.toHtmlEscaped())
                       .arg(s.a.median, 0, 'f', 2);
        svg += QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"15\" fill=\"%4\"/>"
                              "<text x=\"%5\" y=\"%6\" font-size=\"11\">%7 %8 ms (%9x, %10)</text>")
                       .arg(labelW)
                       .arg(y + 17)
                       .arg(std::max(1.0, lb), 0, 'f', 1)
                       .arg(color)
                       .arg(labelW + lb + 5, 0, 'f', 1)
                       .arg(y + 29)
                       .arg(c.labelB.toHtmlEscaped())
                       .arg(s.b.median, 0, 'f', 2)
                       .arg(s.speedup, 0, 'f', 2)
                       .arg(QLatin1String(verdictName(s.verdict)));
        y += rowH;
    }
    svg += QStringLiteral("<text x=\"%1\" y=\"%2\" font-size=\"11\" fill=\"#666\">median ms per image and stage "
                          "(faded: %3, solid: %4)</text></svg>")
                   .arg(labelW)
                   .arg(h - 8)
                   .arg(c.labelA.toHtmlEscaped(), c.labelB.toHtmlEscaped());
    QString md = comparisonMarkdown(c).toHtmlEscaped();
    QString html = QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>PixelPerf "
                                  "comparison</title><style>body{font-family:system-ui,sans-serif;margin:24px;"
                                  "max-width:980px;color:#222}pre{white-space:pre-wrap;background:#f6f6f6;padding:12px}"
                                  "</style></head><body>\n<h1>%1 vs %2</h1>\n")
                           .arg(c.labelA.toHtmlEscaped(), c.labelB.toHtmlEscaped());
    html += svg + QStringLiteral("\n<pre>") + md + QStringLiteral("</pre>\n</body></html>\n");
    return html.toUtf8();
}

} // namespace pixelperf
