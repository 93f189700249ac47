#include "measure/ablation.h"

#include "reports/units.h"

#include "measure/environment.h"
#include "pipeline/pipeline.h"
#include "reports/reportwriter.h"
#include "reports/stagecolors.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace pixelperf {

namespace {

const char *orderName(RunOrder order)
{
    switch (order) {
    case RunOrder::Forward:
        return "forward";
    case RunOrder::Reverse:
        return "reverse";
    case RunOrder::Shuffle:
        return "shuffle";
    }
    return "forward";
}

QString percent(double share)
{
    return QString::number(share * 100, 'f', 0) + QStringLiteral(" %");
}

QString msText(double ms)
{
    return QString::number(ms, 'f', ms < 10 ? 2 : 1) + QStringLiteral(" ms");
}

QString cancelledText(const AblationResult &r)
{
    return QStringLiteral("Cancelled after %1 of %2 runs; the figures are what was measured.")
        .arg(r.runsDone)
        .arg(r.runsPlanned);
}

// What every toggle is measured against.
QString referenceText(const AblationResult &r)
{
    return QStringLiteral(
        "Everything on: %1 per image (± %2 over %3 rounds), peak RSS %4 (%5 without the decode "
        "cache).")
        .arg(msText(r.all.msPerImage.median), msText(robustSigma(r.all.msPerImage)))
        .arg(r.all.rounds)
        .arg(mibText(double(r.all.peakRssBytes)), mibText(double(r.all.ownPeakRssBytes)));
}

AblationMeasure summarise(const std::vector<RunResult> &runs)
{
    AblationMeasure m;
    std::vector<double> perImage, own, rss, cache;
    for (const RunResult &r : runs) {
        if (r.summary.imagesOk <= 0)
            continue;
        perImage.push_back(r.summary.msPerImage());
        own.push_back(double(r.summary.ownPeakRssBytes()));
        rss.push_back(double(r.summary.peakRssBytes));
        cache.push_back(double(r.summary.decodeCacheBytes));
        m.imagesFromCache = r.summary.imagesFromCache;
        m.images = r.summary.imagesOk;
    }
    m.rounds = int(perImage.size());
    m.msPerImage = spreadOf(perImage);
    m.ownPeakRssBytes = int64_t(median(own));
    m.peakRssBytes = int64_t(median(rss));
    m.decodeCacheBytes = int64_t(median(cache));
    return m;
}

// Beyond the noise: larger than MinimumEffect of the reference and than
// twice the two sides' combined robust sigma.
double timeNoise(const AblationMeasure &all, const AblationMeasure &without)
{
    const double sa = robustSigma(all.msPerImage), sb = robustSigma(without.msPerImage);
    return std::max(MinimumEffect * all.msPerImage.median, 2.0 * std::sqrt(sa * sa + sb * sb));
}

double memoryNoise(const AblationMeasure &all)
{
    return std::max(2.0 * 1048576.0, MinimumEffect * double(all.ownPeakRssBytes));
}

} // namespace

// One sentence per toggle: its figures, what is claimed and why.
static QString sentenceFor(const AblationEntry &e, const AblationMeasure &all)
{
    const double extra = e.without.msPerImage.median - all.msPerImage.median;
    const ToggleInfo &t = toggleInfo(e.toggle);
    QString s = QStringLiteral("`%1` (%2): ").arg(QLatin1String(t.key), QLatin1String(t.stage));
    const QString figures = QStringLiteral("%1 per image without it, %2 with everything on")
                                .arg(msText(e.without.msPerImage.median), msText(all.msPerImage.median));
    if (!e.slowdown.spreadKnown) {
        s += QStringLiteral("%1; one round, so the noise is unknown and nothing is claimed").arg(figures);
    } else if (e.timeClaimed) {
        s += QStringLiteral("%1 (%2 ± %3x slower): %4 of the speedup")
                 .arg(figures)
                 .arg(e.slowdown.value, 0, 'f', 2)
                 .arg(e.slowdown.spread, 0, 'f', 2)
                 .arg(percent(e.speedupShare));
    } else if (e.timeCostsToKeep) {
        s += QStringLiteral("%1: turning it off made the run faster (%2 ± %3x the time), beyond the noise")
                 .arg(figures)
                 .arg(e.slowdown.value, 0, 'f', 2)
                 .arg(e.slowdown.spread, 0, 'f', 2);
    } else if (std::fabs(extra) < MinimumEffect * all.msPerImage.median) {
        s += QStringLiteral("no time difference beyond %1 % (%2)")
                 .arg(MinimumEffect * 100, 0, 'f', 0)
                 .arg(figures);
    } else {
        s += QStringLiteral("%1, but the rounds' spread (± %2 and ± %3 per image) is as large as the "
                            "difference, so it is not claimed")
                 .arg(
                     figures, msText(robustSigma(e.without.msPerImage)), msText(robustSigma(all.msPerImage)));
    }
    if (e.memoryClaimed)
        s += QStringLiteral("; peak RSS %1 instead of %2: %3 of the memory saving")
                 .arg(mibText(double(e.without.ownPeakRssBytes)), mibText(double(all.ownPeakRssBytes)),
                     percent(e.memoryShare));
    if (e.toggle == ToggleId::DecodeCache)
        s += all.imagesFromCache > 0
            ? QStringLiteral(" (measured on a re-run: the warm-up filled the cache and %1 of %2 images were "
                             "served from it; the %3 it holds are not in the peak RSS compared)")
                  .arg(all.imagesFromCache)
                  .arg(all.images)
                  .arg(mibText(double(all.decodeCacheBytes)))
            : QStringLiteral(" (no image was served from the cache: it serves re-runs, and the runs here "
                             "had no warm-up to fill it; with warm-ups it is measured on a re-run)");
    if (t.changesOutput)
        s += QStringLiteral(" (it also changes the output)");
    return s + QLatin1Char('.');
}

AblationResult runAblation(const PipelineConfig &config, const IsolationPlan &plan,
    const std::function<bool(int, int, const QString &)> &progress, const std::atomic<bool> *cancel,
    IsolatedRunner runner)
{
    AblationResult result;
    result.config = config;
    result.config.sampleRateHz = 0; // no stacks sampled: each timed alike, window and CLI
    result.plan = plan;
    std::vector<PipelineConfig> configs { result.config };
    QStringList labels { QStringLiteral("everything on") };
    std::vector<ToggleId> ablated;
    for (const ToggleInfo &t : toggleTable()) {
        if (!config.isOn(t.id))
            continue;
        ablated.push_back(t.id);
        PipelineConfig c = result.config;
        c.toggles.set(t.id, false);
        configs.push_back(c);
        labels << QStringLiteral("without %1").arg(QLatin1String(t.key));
    }
    InterleavedRuns runs = runInterleaved(configs, labels, plan, progress, cancel, std::move(runner));
    result.runsPlanned = runs.planned;
    result.runsDone = runs.done;
    result.cancelled = runs.cancelled;
    result.error = runs.error;
    if (!result.error.isEmpty())
        return result;
    const std::vector<std::vector<RunResult>> &measured = runs.runs;

    result.all = summarise(measured[0]);
    if (result.all.rounds == 0) {
        // Nothing to attribute against: cancelled first, or no image of the
        // folder could be processed.
        if (!result.cancelled)
            result.error
                = QStringLiteral("no image of %1 could be processed with everything on").arg(config.inputDir);
        return result;
    }
    for (size_t i = 0; i < ablated.size(); ++i) {
        AblationEntry e;
        e.toggle = ablated[i];
        e.without = summarise(measured[i + 1]);
        if (e.without.rounds == 0)
            continue; // cancelled before it was measured
        e.slowdown = ratioOf(e.without.msPerImage, result.all.msPerImage);
        const double extra = e.without.msPerImage.median - result.all.msPerImage.median;
        // One round says nothing of the noise: figures, no claims.
        const bool noiseKnown = e.slowdown.spreadKnown;
        e.timeClaimed = noiseKnown && extra > timeNoise(result.all, e.without);
        e.timeCostsToKeep = noiseKnown && -extra > timeNoise(result.all, e.without);
        e.memoryClaimed = noiseKnown
            && double(e.without.ownPeakRssBytes - result.all.ownPeakRssBytes) > memoryNoise(result.all);
        result.entries.push_back(e);
    }

    double timeCost = 0, memoryCost = 0;
    for (const AblationEntry &e : result.entries) {
        if (e.timeClaimed)
            timeCost += e.without.msPerImage.median - result.all.msPerImage.median;
        if (e.memoryClaimed)
            memoryCost += double(e.without.ownPeakRssBytes - result.all.ownPeakRssBytes);
    }
    const AblationMeasure &all = result.all;
    for (AblationEntry &e : result.entries) {
        const double extra = e.without.msPerImage.median - all.msPerImage.median;
        const double extraMemory = double(e.without.ownPeakRssBytes - all.ownPeakRssBytes);
        e.speedupShare = e.timeClaimed && timeCost > 0 ? extra / timeCost : 0;
        e.memoryShare = e.memoryClaimed && memoryCost > 0 ? extraMemory / memoryCost : 0;
        e.sentence = sentenceFor(e, all);
    }
    std::stable_sort(
        result.entries.begin(), result.entries.end(), [](const AblationEntry &a, const AblationEntry &b) {
            // What is within the noise is not ranked: it keeps the table's order.
            if (a.speedupShare != b.speedupShare)
                return a.speedupShare > b.speedupShare;
            return a.memoryShare > b.memoryShare;
        });
    return result;
}

QString sentenceHtml(const QString &sentence)
{
    // The sentence is Markdown: its `toggle` becomes code, not backticks.
    QString html = sentence.toHtmlEscaped();
    html.replace(QRegularExpression(QStringLiteral("`([^`]*)`")), QStringLiteral("<code>\\1</code>"));
    return html;
}

QString ablationMethod(const AblationResult &r)
{
    return QStringLiteral(
        "Each configuration ran in a fresh process (%1 warm-up(s), then the measured pass; one "
        "discarded run first read the inputs into the OS page cache), %2 rounds, configurations "
        "interleaved in %3 order; figures are medians over the rounds, per image. A toggle's share is its "
        "extra time per image (or extra peak RSS, without the "
        "decode cache the warm-up filled) over the sum of all claimed extras; a difference under "
        "%4 % or within twice the rounds' combined spread is not claimed.")
        .arg(r.plan.warmups)
        .arg(r.plan.rounds)
        .arg(r.plan.order == RunOrder::Shuffle ? QStringLiteral("shuffled (seed %1)").arg(r.plan.seed)
                                               : QLatin1String(orderName(r.plan.order)))
        .arg(MinimumEffect * 100, 0, 'f', 0);
}

QJsonObject ablationJson(const AblationResult &r)
{
    auto spread = [](const Spread &s) {
        return QJsonObject { { "median", s.median }, { "min", s.min }, { "max", s.max }, { "mad", s.mad },
            { "n", s.n } };
    };
    auto measure = [&](const AblationMeasure &m) {
        return QJsonObject { { "ms_per_image", spread(m.msPerImage) },
            { "peak_rss_bytes", double(m.peakRssBytes) }, { "own_peak_rss_bytes", double(m.ownPeakRssBytes) },
            { "decode_cache_bytes", double(m.decodeCacheBytes) }, { "images_from_cache", m.imagesFromCache },
            { "images", m.images }, { "rounds", m.rounds } };
    };
    QJsonArray entries;
    for (const AblationEntry &e : r.entries)
        entries.append(QJsonObject { { "toggle", QLatin1String(toggleInfo(e.toggle).key) },
            { "stage", QLatin1String(toggleInfo(e.toggle).stage) }, { "without", measure(e.without) },
            { "slowdown", e.slowdown.value }, { "slowdown_spread", e.slowdown.spread },
            { "time_claimed", e.timeClaimed }, { "memory_claimed", e.memoryClaimed },
            { "speedup_share", e.speedupShare }, { "memory_share", e.memoryShare },
            { "sentence", e.sentence } });
    const char *order = orderName(r.plan.order);
    return QJsonObject {
        { "schema", "pixelperf-ablation/2" },
        { "tool", QJsonObject { { "name", "pixelperf" }, { "version", appVersion() } } },
        { "environment", environmentJson() },
        { "config", ReportWriter::configJson(r.config) },
        { "plan",
            QJsonObject { { "rounds", r.plan.rounds }, { "warmups", r.plan.warmups }, { "order", order },
                { "seed", double(r.plan.seed) } } },
        { "runs_done", r.runsDone },
        { "runs_planned", r.runsPlanned },
        { "cancelled", r.cancelled },
        { "all_on", measure(r.all) },
        { "method", ablationMethod(r) },
        { "entries", entries },
    };
}

QByteArray ablationMarkdown(const AblationResult &r)
{
    QString md = QStringLiteral("### What each optimization bought (%1 images, %2)\n\n")
                     .arg(r.all.images)
                     .arg(presetNameFor(r.config.toggles));
    if (r.cancelled)
        md += QStringLiteral("> Note: %1\n\n").arg(cancelledText(r));
    md += referenceText(r) + QStringLiteral("\n\n");
    md += QStringLiteral("| toggle | ms per image without | slowdown | share of speedup | peak RSS without | "
                         "share of memory saving |\n");
    md += QStringLiteral("|---|---:|---:|---:|---:|---:|\n");
    for (const AblationEntry &e : r.entries)
        md += QStringLiteral("| %1 | %2 | %3 ± %4x | %5 | %6 | %7 |\n")
                  .arg(QLatin1String(toggleInfo(e.toggle).key))
                  .arg(e.without.msPerImage.median, 0, 'f', 2)
                  .arg(e.slowdown.value, 0, 'f', 2)
                  .arg(e.slowdown.spread, 0, 'f', 2)
                  .arg(e.timeClaimed ? percent(e.speedupShare) : QStringLiteral("not claimed"),
                      mibText(double(e.without.ownPeakRssBytes)),
                      e.memoryClaimed ? percent(e.memoryShare) : QStringLiteral("not claimed"));
    md += QLatin1Char('\n');
    for (const AblationEntry &e : r.entries)
        md += QStringLiteral("- %1\n").arg(e.sentence);
    md += QStringLiteral("\n%1\n").arg(ablationMethod(r));
    return md.toUtf8();
}

QByteArray ablationHtml(const AblationResult &r)
{
    // A tornado chart: speedup share to the left, memory share to the right.
    const int rowH = 26, mid = 420, half = 300, w = mid * 2, h = rowH * int(r.entries.size()) + 50;
    QString svg
        = QStringLiteral("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%1\" height=\"%2\" role=\"img\" "
                         "aria-label=\"Share of speedup and memory saving per toggle\">")
              .arg(w)
              .arg(h);
    svg += QStringLiteral(
        "<text x=\"%1\" y=\"16\" text-anchor=\"end\" font-size=\"12\">share of the speedup</text>"
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
    QString html
        = QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>PixelPerf "
                         "ablation</title><style>body{font-family:system-ui,sans-serif;margin:24px;max-width:"
                         "980px;color:#222}</style></head><body>\n<h1>What each optimization bought</h1>\n");
    if (r.cancelled)
        html += QStringLiteral("<p><b>%1</b></p>\n").arg(cancelledText(r).toHtmlEscaped());
    html += QStringLiteral("<p>%1 images. %2</p>\n").arg(r.all.images).arg(referenceText(r).toHtmlEscaped());
    html += svg + QStringLiteral("\n<ul>\n");
    for (const AblationEntry &e : r.entries)
        html += QStringLiteral("<li>%1</li>\n").arg(sentenceHtml(e.sentence));
    html += QStringLiteral("</ul>\n<p style=\"color:#666\">%1</p>\n</body></html>\n")
                .arg(ablationMethod(r).toHtmlEscaped());
    return html.toUtf8();
}

} // namespace pixelperf
