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
    for (const RunResult *r : measuredRepetitions(reps))
        for (const StageStats &s : r->stages)
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
    for (const RunResult *r : measuredRepetitions(reps))
        v.push_back(r->summary.wallMs);
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
    const bool byRepetition = measuredRepetitions(repsA).size() >= 4 && measuredRepetitions(repsB).size() >= 4;
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
    const QString a = c.labelA.toHtmlEscaped(), b = c.labelB.toHtmlEscaped();
    const bool perRepetition = !c.stages.empty() && c.stages.front().sampleKind == QLatin1String("repetitions");
    const QString what = perRepetition ? QStringLiteral("median total ms per repetition")
                                       : QStringLiteral("median ms per image");
    auto ms = [](double v) { return QString::number(v, 'f', v < 10 ? 2 : 1); };
    auto verdictClass = [](Verdict v) {
        return v == Verdict::Faster ? QStringLiteral("faster")
            : v == Verdict::Slower  ? QStringLiteral("slower")
                                    : QStringLiteral("noise");
    };
    // Bars per stage: A faded above B solid, in the stage's colour. Each stage
    // has its own scale (its slower run spans the width): stage times differ
    // by orders of magnitude, and on one scale every bar but the largest is a
    // sliver. The numbers carry the magnitudes.
    const int rowH = 42, labelW = 90, barW = 440, w = labelW + barW + 260;
    const int h = rowH * int(c.stages.size()) + 34;
    QString svg = QStringLiteral("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%1\" height=\"%2\" role=\"img\" "
                                 "aria-label=\"%3 per stage, A and B\">")
                          .arg(w)
                          .arg(h)
                          .arg(what);
    int y = 8;
    for (const StageComparison &s : c.stages) {
        const QString color = stageHex(s.stage);
        const double scale = std::max(s.a.median, s.b.median);
        const double la = scale > 0 ? barW * s.a.median / scale : 0, lb = scale > 0 ? barW * s.b.median / scale : 0;
        svg += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"end\" font-size=\"13\">%3</text>")
                       .arg(labelW - 8)
                       .arg(y + 21)
                       .arg(QLatin1String(stageName(s.stage)));
        svg += QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"15\" fill=\"%4\" fill-opacity=\"0.35\"/>"
                              "<text x=\"%5\" y=\"%6\" font-size=\"11\">%7: %8 ms</text>")
                       .arg(labelW)
                       .arg(y)
                       .arg(std::max(1.0, la), 0, 'f', 1)
                       .arg(color)
                       .arg(labelW + la + 5, 0, 'f', 1)
                       .arg(y + 12)
                       .arg(a, ms(s.a.median));
        svg += QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"15\" fill=\"%4\"/>"
                              "<text x=\"%5\" y=\"%6\" font-size=\"11\">%7: %8 ms · <tspan class=\"%9\">%10x, %11</tspan>"
                              "</text>")
                       .arg(labelW)
                       .arg(y + 17)
                       .arg(std::max(1.0, lb), 0, 'f', 1)
                       .arg(color)
                       .arg(labelW + lb + 5, 0, 'f', 1)
                       .arg(y + 29)
                       .arg(b, ms(s.b.median), verdictClass(s.verdict))
                       .arg(s.speedup, 0, 'f', 2)
                       .arg(QLatin1String(verdictName(s.verdict)));
        y += rowH;
    }
    svg += QStringLiteral("<text x=\"%1\" y=\"%2\" font-size=\"11\" fill=\"#666\">%3 (faded: %4, solid: %5); "
                          "each stage on its own scale</text></svg>")
                   .arg(labelW)
                   .arg(h - 8)
                   .arg(what, a, b);

    QString html = QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>PixelPerf "
                                  "comparison: %1 vs %2</title><style>body{font-family:system-ui,sans-serif;margin:24px;"
                                  "max-width:980px;color:#222}table{border-collapse:collapse;margin:8px 0 20px}"
                                  "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f2f2f2}"
                                  "td:first-child,th:first-child{text-align:left}.faster{color:#1a7f37;font-weight:bold}"
                                  ".slower{color:#b42318;font-weight:bold}.noise{color:#666}tspan.faster{fill:#1a7f37}"
                                  "tspan.slower{fill:#b42318}tspan.noise{fill:#666}.figures b{font-size:20px}"
                                  "ul{padding-left:20px}svg{max-width:100%}</style></head><body>\n"
                                  "<h1>%1 vs %2</h1>\n")
                           .arg(a, b);
    html += QStringLiteral("<p class=\"figures\"><b>%1x</b> as fast by wall time (%2 ms vs %3 ms, median of %4 and %5 "
                           "runs) · <b>%6x</b> the throughput · verdict: <span class=\"%7\">%8</span></p>\n")
                    .arg(c.speedup, 0, 'f', 2)
                    .arg(c.wallA.median, 0, 'f', 1)
                    .arg(c.wallB.median, 0, 'f', 1)
                    .arg(c.wallA.n)
                    .arg(c.wallB.n)
                    .arg(c.throughputRatio, 0, 'f', 2)
                    .arg(verdictClass(c.verdict), QLatin1String(verdictName(c.verdict)));
    html += QStringLiteral("<p>%1 against %2: peak RSS %3%4, peak pixel buffers %5%6.</p>\n")
                    .arg(b, a, c.peakRssDelta >= 0 ? QStringLiteral("+") : QString(), mib(c.peakRssDelta),
                         c.peakPixelDelta >= 0 ? QStringLiteral("+") : QString(), mib(c.peakPixelDelta));
    html += QStringLiteral("<h2>Time per stage</h2>\n") + svg;
    html += QStringLiteral("\n<table><tr><th>stage</th><th>%1 ms, median (MAD)</th><th>%2 ms, median (MAD)</th>"
                           "<th>speedup</th><th>p</th><th>verdict</th></tr>\n")
                    .arg(a, b);
    for (const StageComparison &s : c.stages)
        html += QStringLiteral("<tr><td><span style=\"color:%1\">■</span> %2</td><td>%3 (%4)</td><td>%5 (%6)</td>"
                               "<td>%7x</td><td>%8</td><td class=\"%9\">%10</td></tr>\n")
                        .arg(stageHex(s.stage), QLatin1String(stageName(s.stage)), ms(s.a.median), ms(s.a.mad),
                             ms(s.b.median), ms(s.b.mad))
                        .arg(s.speedup, 0, 'f', 2)
                        .arg(s.p < 0.001 ? QStringLiteral("&lt;0.001") : QString::number(s.p, 'f', 3),
                             verdictClass(s.verdict), QLatin1String(verdictName(s.verdict)));
    html += QStringLiteral("<tr><td><b>whole run</b></td><td>%1 (%2)</td><td>%3 (%4)</td><td>%5x</td><td>%6</td>"
                           "<td class=\"%7\">%8</td></tr>\n</table>\n")
                    .arg(ms(c.wallA.median), ms(c.wallA.mad), ms(c.wallB.median), ms(c.wallB.mad))
                    .arg(c.speedup, 0, 'f', 2)
                    .arg(c.p < 0.001 ? QStringLiteral("&lt;0.001") : QString::number(c.p, 'f', 3),
                         verdictClass(c.verdict), QLatin1String(verdictName(c.verdict)));
    html += QStringLiteral("<p style=\"color:#666\">Samples per stage: %1. Verdicts: two-sided Mann-Whitney U test, "
                           "p &lt; 0.05, and a median difference of at least 1 %; 4 or more samples a side.</p>\n")
                    .arg(perRepetition ? QStringLiteral("the stage's total in each repetition")
                                       : QStringLiteral("the stage's time for each image"));
    auto list = [](const QString &title, const QStringList &items) {
        if (items.isEmpty())
            return QString();
        QString out = QStringLiteral("<h2>%1</h2><ul>").arg(title);
        for (const QString &item : items)
            out += QStringLiteral("<li><code>%1</code></li>").arg(item.toHtmlEscaped());
        return out + QStringLiteral("</ul>\n");
    };
    html += list(QStringLiteral("Toggles that differ"), c.toggleDifferences);
    html += list(QStringLiteral("Parameters that differ"), c.paramDifferences);
    html += QStringLiteral("</body></html>\n");
    return html.toUtf8();
}

} // namespace pixelperf
