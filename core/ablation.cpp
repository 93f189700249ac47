#include "ablation.h"

#include "environment.h"
#include "pipeline.h"
#include "reportwriter.h"
#include "stagecolors.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <algorithm>

namespace pixelperf {

namespace {

struct Measured {
    Spread wall;
    int64_t peakRss = 0;
    double ips = 0;
    int images = 0;
    QString error;
    bool cancelled = false;
};

QString mib(double bytes)
{
    return QString::number(bytes / 1048576.0, 'f', 1) + QStringLiteral(" MiB");
}

QString percent(double share)
{
    return QString::number(share * 100, 'f', 0) + QStringLiteral(" %");
}

} // namespace

AblationResult runAblation(const PipelineConfig &config, int repeat,
                           const std::function<bool(int, int, const QString &)> &progress)
{
    AblationResult result;
    result.config = config;
    std::vector<ToggleId> ablated;
    for (const ToggleInfo &t : toggleTable())
        if (config.isOn(t.id))
            ablated.push_back(t.id);
    const int perConfig = repeat + 1;
    const int total = perConfig * int(1 + ablated.size());
    int done = 0;

    auto measure = [&](const PipelineConfig &c, const QString &label) {
        Measured m;
        std::vector<double> walls, ips;
        std::vector<double> rss;
        for (int i = 0; i < perConfig; ++i) {
            if (progress && !progress(done, total, label)) {
                m.cancelled = true;
                return m;
            }
            ++done;
            const RunResult r = PipelineRun::runBlocking(c);
            if (!r.ok()) {
                m.error = r.fatalError;
                return m;
            }
            if (r.summary.cancelled) {
                m.cancelled = true;
                return m;
            }
            if (i == 0)
                continue;  // warm-up: caches, page cache, thread pool
            walls.push_back(r.summary.wallMs);
            ips.push_back(r.summary.imagesPerSecond);
            rss.push_back(double(r.summary.peakRssBytes));
            m.images = r.summary.imagesOk;
        }
        m.wall = spreadOf(walls);
        m.peakRss = int64_t(median(rss));
        m.ips = median(ips);
        return m;
    };

    const Measured all = measure(config, QStringLiteral("everything on"));
    if (!all.error.isEmpty() || all.cancelled) {
        result.error = all.error;
        result.cancelled = all.cancelled;
        return result;
    }
    result.wallMs = all.wall;
    result.peakRssBytes = all.peakRss;
    result.imagesPerSecond = all.ips;
    result.images = all.images;

    for (ToggleId id : ablated) {
        PipelineConfig c = config;
        c.toggles.set(id, false);
        const Measured m = measure(c, QStringLiteral("without %1").arg(QLatin1String(toggleInfo(id).key)));
        if (!m.error.isEmpty() || m.cancelled) {
            result.error = m.error;
            result.cancelled = m.cancelled;
            return result;
        }
        AblationEntry e;
        e.toggle = id;
        e.wallMs = m.wall;
        e.peakRssBytes = m.peakRss;
        e.slowdown = all.wall.median > 0 ? m.wall.median / all.wall.median : 1;
        result.entries.push_back(e);
    }

    double timeCost = 0, memoryCost = 0;
    for (const AblationEntry &e : result.entries) {
        timeCost += std::max(0.0, e.wallMs.median - all.wall.median);
        memoryCost += std::max<double>(0, double(e.peakRssBytes - all.peakRss));
    }
    for (AblationEntry &e : result.entries) {
        e.speedupShare = timeCost > 0 ? std::max(0.0, e.wallMs.median - all.wall.median) / timeCost : 0;
        e.memoryShare = memoryCost > 0 ? std::max<double>(0, double(e.peakRssBytes - all.peakRss)) / memoryCost : 0;
        const ToggleInfo &t = toggleInfo(e.toggle);
        // Differences within the run-to-run spread are not claimed.
        const double noise = std::max(all.wall.mad + e.wallMs.mad, 0.02 * all.wall.median);
        const bool timeMatters = e.wallMs.median - all.wall.median > noise;
        const bool memoryMatters = double(e.peakRssBytes - all.peakRss) > 2.0 * 1048576.0;
        QString s = QStringLiteral("`%1` (%2): ").arg(QLatin1String(t.key), QLatin1String(t.stage));
        if (timeMatters)
            s += QStringLiteral("without it the run takes %1 s instead of %2 s (%3x slower): %4 of the speedup")
                         .arg(e.wallMs.median / 1000, 0, 'f', 2)
                         .arg(all.wall.median / 1000, 0, 'f', 2)
                         .arg(e.slowdown, 0, 'f', 2)
                         .arg(percent(e.speedupShare));
        else
            s += QStringLiteral("no measurable time difference on this folder (%1 s vs %2 s)")
                         .arg(e.wallMs.median / 1000, 0, 'f', 2)
                         .arg(all.wall.median / 1000, 0, 'f', 2);
        if (memoryMatters)
            s += QStringLiteral("; peak RSS %1 instead of %2: %3 of the memory saving")
                         .arg(mib(double(e.peakRssBytes)), mib(double(all.peakRss)), percent(e.memoryShare));
        if (t.changesOutput)
            s += QStringLiteral(" (it also changes the output)");
        e.sentence = s + QLatin1Char('.');
    }
    std::stable_sort(result.entries.begin(), result.entries.end(),
                     [](const AblationEntry &a, const AblationEntry &b) { return a.speedupShare > b.speedupShare; });
    return result;
}

QJsonObject ablationJson(const AblationResult &r)
{
    auto spread = [](const Spread &s) {
        return QJsonObject { { "median", s.median }, { "min", s.min }, { "max", s.max }, { "mad", s.mad }, { "n", s.n } };
    };
    QJsonArray entries;
    for (const AblationEntry &e : r.entries)
        entries.append(QJsonObject { { "toggle", QLatin1String(toggleInfo(e.toggle).key) },
                                     { "stage", QLatin1String(toggleInfo(e.toggle).stage) },
                                     { "wall_ms", spread(e.wallMs) },
                                     { "slowdown", e.slowdown },
                                     { "speedup_share", e.speedupShare },
                                     { "peak_rss_bytes", double(e.peakRssBytes) },
                                     { "memory_share", e.memoryShare },
                                     { "sentence", e.sentence } });
    return QJsonObject {
        { "schema", "pixelperf-ablation/1" },
        { "tool", QJsonObject { { "name", "pixelperf" }, { "version", appVersion() } } },
        { "environment", environmentJson() },
        { "config", ReportWriter::configJson(r.config) },
        { "images", r.images },
        { "all_on", QJsonObject { { "wall_ms", spread(r.wallMs) }, { "peak_rss_bytes", double(r.peakRssBytes) },
                                  { "images_per_second", r.imagesPerSecond } } },
        { "method", "each toggle turned off in turn from the starting configuration; share = its extra wall time "
                    "(or peak RSS) over the sum of all toggles' extra wall time (or peak RSS); one warm-up per "
                    "configuration, medians over repetitions" },
        { "entries", entries },
    };
}

QByteArray ablationMarkdown(const AblationResult &r)
{
    QString md = QStringLiteral("### What each optimization bought (%1 images, %2)\n\n")
                         .arg(r.images)
                         .arg(presetNameFor(r.config.toggles));
    md += QStringLiteral("Everything on: %1 s wall, %2 images/s, peak RSS %3.\n\n")
                  .arg(r.wallMs.median / 1000, 0, 'f', 2)
                  .arg(r.imagesPerSecond, 0, 'f', 2)
                  .arg(mib(double(r.peakRssBytes)));
    md += QStringLiteral("| toggle | wall without (s) | slowdown | share of speedup | peak RSS without | share of memory saving |\n");
    md += QStringLiteral("|---|---:|---:|---:|---:|---:|\n");
    for (const AblationEntry &e : r.entries)
        md += QStringLiteral("| %1 | %2 | %3x | %4 | %5 | %6 |\n")
                      .arg(QLatin1String(toggleInfo(e.toggle).key))
                      .arg(e.wallMs.median / 1000, 0, 'f', 2)
                      .arg(e.slowdown, 0, 'f', 2)
                      .arg(percent(e.speedupShare), mib(double(e.peakRssBytes)), percent(e.memoryShare));
    md += QLatin1Char('\n');
    for (const AblationEntry &e : r.entries)
        md += QStringLiteral("- %1\n").arg(e.sentence);
    return md.toUtf8();
}

QByteArray ablationHtml(const AblationResult &r)
{
    // A tornado chart: speedup share to the left, memory share to the right.
    const int rowH = 26, mid = 420, half = 300, w = mid * 2, h = rowH * int(r.entries.size()) + 50;
    QString svg = QStringLiteral("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%1\" height=\"%2\" role=\"img\" "
                                 "aria-label=\"Share of speedup and memory saving per toggle\">")
                          .arg(w)
                          .arg(h);
    svg += QStringLiteral("<text x=\"%1\" y=\"16\" text-anchor=\"end\" font-size=\"12\">share of the speedup</text>"
                          "<text x=\"%2\" y=\"16\" font-size=\"12\">share of the memory saving</text>")
                   .arg(mid - 70)
                   .arg(mid + 70);
    int y = 26;
    for (const AblationEntry &e : r.entries) {
        const ToggleInfo &t = toggleInfo(e.toggle);
        const double lw = half * e.speedupShare, rw = half * e.memoryShare;
        svg += QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\" fill=\"#4e79a7\"/>")
                       .arg(mid - 60 - lw, 0, 'f', 1)
                       .arg(y)
                       .arg(lw, 0, 'f', 1)
                       .arg(rowH - 6);
        svg += QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\" fill=\"#f28e2b\"/>")
                       .arg(mid + 60)
                       .arg(y)
                       .arg(rw, 0, 'f', 1)
                       .arg(rowH - 6);
        svg += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"middle\" font-size=\"12\">%3</text>")
                       .arg(mid)
                       .arg(y + 15)
                       .arg(QLatin1String(t.key));
        svg += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"end\" font-size=\"11\">%3</text>")
                       .arg(mid - 64 - lw, 0, 'f', 1)
                       .arg(y + 15)
                       .arg(percent(e.speedupShare));
        svg += QStringLiteral("<text x=\"%1\" y=\"%2\" font-size=\"11\">%3</text>")
                       .arg(mid + 64 + rw, 0, 'f', 1)
                       .arg(y + 15)
                       .arg(percent(e.memoryShare));
        y += rowH;
    }
    svg += QStringLiteral("</svg>");
    QString html = QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>PixelPerf "
                                  "ablation</title><style>body{font-family:system-ui,sans-serif;margin:24px;max-width:"
                                  "980px;color:#222}</style></head><body>\n<h1>What each optimization bought</h1>\n");
    html += QStringLiteral("<p>%1 images; everything on: %2 s wall, %3 images/s, peak RSS %4.</p>\n")
                    .arg(r.images)
                    .arg(r.wallMs.median / 1000, 0, 'f', 2)
                    .arg(r.imagesPerSecond, 0, 'f', 2)
                    .arg(mib(double(r.peakRssBytes)));
    html += svg + QStringLiteral("\n<ul>\n");
    for (const AblationEntry &e : r.entries) {
        // The sentence is Markdown: its `toggle` becomes code, not backticks.
        QString sentence = e.sentence.toHtmlEscaped();
        sentence.replace(QRegularExpression(QStringLiteral("`([^`]*)`")), QStringLiteral("<code>\\1</code>"));
        html += QStringLiteral("<li>%1</li>\n").arg(sentence);
    }
    html += QStringLiteral("</ul>\n</body></html>\n");
    return html.toUtf8();
}

} // namespace pixelperf
