#include "measure/runcomparison.h"

#include "pipeline/parameters.h"

#include "reports/units.h"

#include "reports/reportwriter.h"
#include "reports/stagecolors.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonObject>
#include <QSet>

#include <cmath>

namespace pixelperf {

namespace {

// The per-image samples of a stage: one per measured repetition (its total
// over the images that ran it), or one per image of a single run. Scan runs
// once per run; its time is spread over the run's images.
double stagePerImage(const RunResult &r, Stage stage)
{
    for (const StageStats &s : r.stages)
        if (s.stage == stage && s.count > 0) {
            if (stage == Stage::Scan)
                return r.summary.imagesTotal > 0 ? s.totalMs / r.summary.imagesTotal : s.totalMs;
            return s.totalMs / s.count;
        }
    // No stage statistics (a report that kept only its images): from them.
    double total = 0;
    int count = 0;
    for (const ImageRecord &im : r.images)
        if (im.stageMs(stage) >= 0) {
            total += im.stageMs(stage);
            ++count;
        }
    return count > 0 ? total / count : -1;
}

std::vector<double> repetitionSamples(const std::vector<RunResult> &reps, Stage stage)
{
    std::vector<double> v;
    for (const RunResult *r : measuredRepetitions(reps)) {
        const double x = stagePerImage(*r, stage);
        if (x >= 0)
            v.push_back(x);
    }
    return v;
}

std::vector<double> imageSamples(const RunResult &run, Stage stage)
{
    std::vector<double> v;
    if (stage == Stage::Scan) {
        const double x = stagePerImage(run, stage);
        if (x >= 0)
            v.push_back(x);
        return v;
    }
    for (const ImageRecord &im : run.images)
        if (im.stageMs(stage) >= 0)
            v.push_back(im.stageMs(stage));
    return v;
}

std::vector<double> msPerImage(const RunResult &run, const std::vector<RunResult> &reps)
{
    std::vector<double> v;
    for (const RunResult *r : measuredRepetitions(reps))
        if (r->summary.imagesOk > 0)
            v.push_back(r->summary.msPerImage());
    if (v.empty() && run.summary.imagesOk > 0)
        v.push_back(run.summary.msPerImage());
    return v;
}

QString signedMib(int64_t bytes)
{
    return (bytes >= 0 ? QStringLiteral("+") : QString()) + mibText(bytes);
}

QString times(const Ratio &r)
{
    if (r.value <= 0)
        return QStringLiteral("–");
    return r.spreadKnown ? QStringLiteral("%1 ± %2x").arg(r.value, 0, 'f', 2).arg(r.spread, 0, 'f', 2)
                         : QStringLiteral("%1x").arg(r.value, 0, 'f', 2);
}

bool sameFiles(const RunResult &a, const RunResult &b)
{
    if (a.files.size() != b.files.size())
        return false;
    const QDir da(a.config.inputDir), db(b.config.inputDir);
    for (int i = 0; i < a.files.size(); ++i)
        if (da.relativeFilePath(a.files[i]) != db.relativeFilePath(b.files[i]))
            return false;
    // A folder that is not here (reports from another machine) compares by
    // the path the report gives.
    const QString ca = QFileInfo(a.config.inputDir).canonicalFilePath();
    const QString cb = QFileInfo(b.config.inputDir).canonicalFilePath();
    if (ca.isEmpty() || cb.isEmpty())
        return QDir::cleanPath(a.config.inputDir) == QDir::cleanPath(b.config.inputDir);
    return ca == cb;
}

// The processes a run's measured repetitions ran in; {0} when a report did
// not say.
QSet<qint64> processesOf(const RunResult &run, const std::vector<RunResult> &reps)
{
    QSet<qint64> ids;
    for (const RunResult *r : measuredRepetitions(reps))
        ids.insert(r->processId);
    if (ids.isEmpty())
        ids.insert(run.processId);
    return ids;
}

// When a run's measured repetitions started and ended (ms since the epoch);
// {0, 0} when a report did not say.
std::pair<qint64, qint64> timeSpan(const RunResult &run, const std::vector<RunResult> &reps)
{
    std::vector<const RunResult *> all = measuredRepetitions(reps);
    if (all.empty())
        all.push_back(&run);
    qint64 first = 0, last = 0;
    for (const RunResult *r : all) {
        if (!r->startedAt.isValid())
            return { 0, 0 };
        const qint64 start = r->startedAt.toMSecsSinceEpoch();
        const qint64 end = start + qint64(r->summary.wallMs);
        first = first == 0 ? start : std::min(first, start);
        last = std::max(last, end);
    }
    return { first, last };
}

} // namespace

QString stageNote(const RunResult &run, Stage stage)
{
    const PipelineParams &p = run.config.params;
    const bool fused = run.config.isOn(ToggleId::FusedPointOps);
    switch (stage) {
    case Stage::Blur:
        if (!p.blurEnabled || p.blurRadius <= 0)
            return QStringLiteral("switched off");
        break;
    case Stage::Sharpen:
        if (!p.sharpenEnabled)
            return QStringLiteral("switched off");
        break;
    case Stage::Contrast:
        if (!p.contrastEnabled)
            return QStringLiteral("switched off");
        break;
    case Stage::Brightness:
        if (!p.brightnessEnabled)
            return QStringLiteral("switched off");
        if (fused && p.contrastEnabled)
            return QStringLiteral("fused into contrast");
        break;
    case Stage::Convert:
        if (fused)
            return p.contrastEnabled  ? QStringLiteral("fused into contrast")
                : p.brightnessEnabled ? QStringLiteral("fused into brightness")
                                      : QStringLiteral("no work (fused point ops)");
        break;
    case Stage::Load: {
        const RunSummary &s = run.summary;
        const int loaded = s.imagesOk + s.imagesFailed;
        if (s.imagesFromCache > 0 && s.imagesFromCache >= loaded)
            return QStringLiteral("served from the decode cache");
        if (s.imagesFromCache > 0)
            return QStringLiteral("%1 of %2 served from the decode cache").arg(s.imagesFromCache).arg(loaded);
        break;
    }
    default:
        break;
    }
    return QString();
}

QString RunComparison::headline() const
{
    if (ratio.value <= 0)
        return QStringLiteral("no images finished in one of the runs: no speedup");
    const bool faster = ratio.value >= 1;
    const double v = faster ? ratio.value : 1.0 / ratio.value;
    // The spread of the inverse, to first order: spread / value².
    const double spread = faster ? ratio.spread : ratio.spread / (ratio.value * ratio.value);
    const QString times = ratio.spreadKnown
        ? QStringLiteral("%1 ± %2").arg(v, 0, 'f', 2).arg(spread, 0, 'f', 2)
        : QString::number(v, 'f', 2);
    QString text = QStringLiteral("%1 is %2× %3 per image")
                       .arg(labelB, times, faster ? QStringLiteral("faster") : QStringLiteral("slower"));
    if (!ratio.spreadKnown)
        text += QStringLiteral(" (single runs: spread unknown)");
    if (verdict == Verdict::WithinNoise)
        text += QStringLiteral(": no significant difference");
    else if (verdict == Verdict::Faster || verdict == Verdict::Slower)
        text += QStringLiteral(" (significant)");
    else
        text += QStringLiteral(" (no verdict: see the notes)");
    return text;
}

namespace {

// The two sides of a comparison and what is known of how they were measured.
struct Sides {
    const RunResult &a;
    const std::vector<RunResult> &repsA;
    const RunResult &b;
    const std::vector<RunResult> &repsB;
    int nA = 0; // measured repetitions
    int nB = 0;
    bool enoughRepetitions = false;
    bool processesSampled = true; // the samples carry how processes differ
    bool byRepetition = false; // verdicts from per-repetition samples
};

Sides sidesOf(const RunResult &a, const std::vector<RunResult> &repsA, const RunResult &b,
    const std::vector<RunResult> &repsB)
{
    Sides s { a, repsA, b, repsB };
    s.nA = int(measuredRepetitions(repsA).size());
    s.nB = int(measuredRepetitions(repsB).size());
    s.enoughRepetitions = s.nA >= MinimumSamples && s.nB >= MinimumSamples;
    // Repetitions of one process each, in two processes: the difference
    // between processes (a few per cent) is in no sample, and would read as
    // a difference between the runs. Same process (the window's runs) or a
    // process per repetition (the CLI's default): the samples carry it.
    const QSet<qint64> processesA = processesOf(a, repsA), processesB = processesOf(b, repsB);
    const bool processUnknown = processesA.contains(0) || processesB.contains(0);
    const bool oneProcess = processesA.size() == 1 && processesB.size() == 1 && processesA == processesB;
    s.processesSampled = processUnknown || oneProcess || (processesA.size() > 1 && processesB.size() > 1);
    s.byRepetition = s.enoughRepetitions && s.processesSampled;
    return s;
}

// One stage's row, and its samples when it is to be tested.
StageComparison compareStage(const Sides &s, Stage stage, std::vector<double> *sa, std::vector<double> *sb)
{
    StageComparison sc;
    sc.stage = stage;
    *sa = s.byRepetition ? repetitionSamples(s.repsA, stage) : imageSamples(s.a, stage);
    *sb = s.byRepetition ? repetitionSamples(s.repsB, stage) : imageSamples(s.b, stage);
    sc.noteA = stageNote(s.a, stage);
    sc.noteB = stageNote(s.b, stage);
    // Work the other side did, missing here without a reason (a report
    // without that stage): said so.
    if (sc.noteA.isEmpty() && sa->empty() && !sb->empty())
        sc.noteA = QStringLiteral("did not run");
    if (sc.noteB.isEmpty() && sb->empty() && !sa->empty())
        sc.noteB = QStringLiteral("did not run");
    sc.sampleKind = s.byRepetition ? QStringLiteral("repetitions") : QStringLiteral("images");
    sc.a = spreadOf(*sa);
    sc.b = spreadOf(*sb);
    if (!sc.noteA.isEmpty() || !sc.noteB.isEmpty() || sa->empty() || sb->empty()) {
        sc.verdict = Verdict::NotCompared;
        return sc;
    }
    sc.ratio = ratioOf(sc.a, sc.b);
    // The spread of one run's images is how images differ, not noise.
    sc.ratio.spreadKnown = sc.ratio.spreadKnown && s.byRepetition;
    if (!sc.ratio.spreadKnown)
        sc.ratio.spread = 0;
    sc.speedup = sc.ratio.value;
    return sc;
}

// Every stage either run has, tested together: Holm over the stages tested
// (with nine at 0.05 each, an A/A comparison would otherwise find something
// one time in three).
void compareStages(const Sides &s, RunComparison &c)
{
    std::vector<size_t> tested; // indices into c.stages
    std::vector<double> raw;
    std::vector<std::pair<std::vector<double>, std::vector<double>>> samples;
    for (int i = 0; i < StageCount; ++i) {
        std::vector<double> sa, sb;
        StageComparison sc = compareStage(s, Stage(i), &sa, &sb);
        // A stage neither run did (a report without it) is not listed; one
        // switched off or fused away on a side is, with the reason.
        if (sa.empty() && sb.empty() && sc.noteA.isEmpty() && sc.noteB.isEmpty())
            continue;
        if (sc.verdict != Verdict::NotCompared && s.byRepetition) {
            tested.push_back(c.stages.size());
            raw.push_back(mannWhitney(sa, sb).p);
            samples.push_back({ std::move(sa), std::move(sb) });
        }
        c.stages.push_back(sc);
    }
    const std::vector<double> adjusted = holmAdjust(raw);
    // With few repetitions and many stages, even a complete separation
    // cannot pass the correction: that is "too few repetitions", not "within
    // noise" (a 400x faster blur is not noise).
    const bool decidable = double(tested.size()) * smallestPossibleP(s.nA, s.nB) < 0.05;
    for (size_t k = 0; k < tested.size(); ++k) {
        StageComparison &sc = c.stages[tested[k]];
        sc.p = adjusted[k];
        sc.verdict = decidable ? verdictOf(samples[k].first, samples[k].second, sc.p, 0.05, c.minimumEffect)
                               : Verdict::TooFewSamples;
    }
    if (tested.empty() || decidable)
        return;
    int needed = std::max(s.nA, s.nB);
    while (double(tested.size()) * smallestPossibleP(needed, needed) >= 0.05)
        ++needed;
    c.notes << QStringLiteral(
        "with %1 and %2 repetitions and %3 stages tested, no per-stage difference can pass "
        "Holm's correction (the smallest possible p is %4 x %3): per-stage verdicts need %5 "
        "repetitions a side")
                   .arg(s.nA)
                   .arg(s.nB)
                   .arg(tested.size())
                   .arg(smallestPossibleP(s.nA, s.nB), 0, 'f', 4)
                   .arg(needed);
}

QString samplingText(int rateHz)
{
    return rateHz > 0 ? QStringLiteral("%1 Hz").arg(rateHz) : QStringLiteral("off");
}

// What a reader must know before the figures.
void addNotes(const Sides &s, RunComparison &c)
{
    if (!c.sameImages)
        c.notes << QStringLiteral(
            "%1 and %2 processed different images (%3 and %4 finished): every figure is per "
            "image, and the per-image times depend on the images")
                       .arg(c.labelA, c.labelB)
                       .arg(c.imagesA)
                       .arg(c.imagesB);
    for (const auto &[label, run] :
        { std::pair<QString, const RunResult *>(c.labelA, &s.a), { c.labelB, &s.b } }) {
        if (const QString cache = decodeCacheNote(*run); !cache.isEmpty())
            c.notes << QStringLiteral("%1: %2").arg(label, cache);
    }
    if ((s.a.config.sampledRateHz() > 0) != (s.b.config.sampledRateHz() > 0))
        c.notes << QStringLiteral(
            "only %1 sampled its call stacks: sampling costs a little CPU time and memory, "
            "which is in its figures and not in the other's")
                       .arg(s.a.config.sampledRateHz() > 0 ? c.labelA : c.labelB);
    if (!c.interleaved && s.byRepetition)
        c.notes << QStringLiteral(
            "%1 and %2 were measured one after the other, not interleaved: a difference under %3 % "
            "is not claimed, since a machine drifts by that much between runs (Baseline vs "
            "Optimized and ablate interleave, and claim from %4 %)")
                       .arg(c.labelA, c.labelB)
                       .arg(SeparateRunsMinimumEffect * 100, 0, 'f', 0)
                       .arg(MinimumEffect * 100, 0, 'f', 0);
    if (s.enoughRepetitions && !s.processesSampled)
        c.notes << QStringLiteral(
            "the repetitions of %1 all ran in one process and those of %2 in another: how two "
            "processes differ (a few per cent) is in no sample, so no verdict; pixelperf-cli run "
            "--repeat runs each repetition in a fresh process")
                       .arg(c.labelA, c.labelB);
    else if (!s.byRepetition)
        c.notes << QStringLiteral(
            "verdicts need %1 or more measured repetitions a side (independent samples); "
            "the per-stage figures here are one run's per-image times")
                       .arg(MinimumSamples);
}

// The toggles and parameters that differ, "lanczos: on -> off".
void addDifferences(const RunResult &a, const RunResult &b, RunComparison &c)
{
    const int rateA = a.config.sampledRateHz(), rateB = b.config.sampledRateHz();
    if (rateA != rateB)
        c.paramDifferences
            << QStringLiteral("call-stack sampling: %1 -> %2").arg(samplingText(rateA), samplingText(rateB));
    for (const ToggleInfo &t : toggleTable()) {
        const bool va = a.config.isOn(t.id), vb = b.config.isOn(t.id);
        if (va != vb)
            c.toggleDifferences << QStringLiteral("%1: %2 -> %3")
                                       .arg(QLatin1String(t.key),
                                           va ? QStringLiteral("on") : QStringLiteral("off"),
                                           vb ? QStringLiteral("on") : QStringLiteral("off"));
    }
    // As the reports have them: the workers and quality each run had.
    const QJsonObject pa = ReportWriter::paramsJson(a.config), pb = ReportWriter::paramsJson(b.config);
    for (const ParamInfo &info : paramTable()) {
        const QJsonObject ga = info.group ? pa.value(QLatin1String(info.group)).toObject() : pa;
        const QJsonObject gb = info.group ? pb.value(QLatin1String(info.group)).toObject() : pb;
        const QJsonValue va = ga.value(QLatin1String(info.key)), vb = gb.value(QLatin1String(info.key));
        if (va == vb)
            continue;
        const QString name = info.group ? QLatin1String(info.name) : QLatin1String(info.key);
        c.paramDifferences
            << QStringLiteral("%1: %2 -> %3").arg(name, va.toVariant().toString(), vb.toVariant().toString());
    }
}

} // namespace

RunComparison compareRuns(const RunResult &a, const std::vector<RunResult> &repsA, const RunResult &b,
    const std::vector<RunResult> &repsB, const QString &labelA, const QString &labelB)
{
    RunComparison c;
    c.labelA = labelA;
    c.labelB = labelB;
    const std::pair<qint64, qint64> spanA = timeSpan(a, repsA), spanB = timeSpan(b, repsB);
    c.interleaved
        = spanA.first > 0 && spanB.first > 0 && spanA.first < spanB.second && spanB.first < spanA.second;
    c.minimumEffect = c.interleaved ? MinimumEffect : SeparateRunsMinimumEffect;
    const Sides sides = sidesOf(a, repsA, b, repsB);
    compareStages(sides, c);

    const std::vector<double> wa = msPerImage(a, repsA), wb = msPerImage(b, repsB);
    c.msPerImageA = spreadOf(wa);
    c.msPerImageB = spreadOf(wb);
    c.ratio = ratioOf(c.msPerImageA, c.msPerImageB);
    c.speedup = c.ratio.value;
    c.p = mannWhitney(wa, wb).p;
    c.independentSamples = sides.processesSampled;
    c.verdict
        = sides.processesSampled ? verdictOf(wa, wb, c.p, 0.05, c.minimumEffect) : Verdict::TooFewSamples;
    c.peakRssDelta = b.summary.peakRssBytes - a.summary.peakRssBytes;
    c.peakPixelDelta = b.summary.peakPixelBytes - a.summary.peakPixelBytes;
    c.ownPeakRssDelta = b.summary.ownPeakRssBytes() - a.summary.ownPeakRssBytes();
    c.decodeCacheDelta = b.summary.decodeCacheBytes - a.summary.decodeCacheBytes;
    c.imagesA = a.summary.imagesOk;
    c.imagesB = b.summary.imagesOk;
    c.sameImages = sameFiles(a, b);
    addNotes(sides, c);
    addDifferences(a, b, c);
    return c;
}

QString comparisonMethod()
{
    return QStringLiteral(
        "Figures are per image. Verdicts: independent repetitions only (%1 or more a side), "
        "two-sided Mann-Whitney U test (exact p for up to 50 values), Holm's correction over the "
        "stages tested, p < 0.05 and a difference of medians of at least %2 % (runs measured "
        "interleaved) or %3 % (one after the other). Spread: robust sigma (1.4826 x MAD) of each "
        "side, propagated to the ratio.")
        .arg(MinimumSamples)
        .arg(MinimumEffect * 100, 0, 'f', 0)
        .arg(SeparateRunsMinimumEffect * 100, 0, 'f', 0);
}

// The runs' own peak RSS difference, when the decode cache made the
// process's differ from it.
static QString ownRssText(const RunComparison &c)
{
    if (c.decodeCacheDelta == 0)
        return QString();
    return QStringLiteral(" (%1 without the decode cache held from warm-ups)")
        .arg(signedMib(c.ownPeakRssDelta));
}

static QString stageCell(const StageComparison &s, bool forA)
{
    const QString note = forA ? s.noteA : s.noteB;
    const Spread &v = forA ? s.a : s.b;
    if (v.n == 0)
        return note.isEmpty() ? QStringLiteral("–") : note;
    const QString figure = QStringLiteral("%1 (%2)").arg(v.median, 0, 'f', 2).arg(v.mad, 0, 'f', 2);
    return note.isEmpty() ? figure : QStringLiteral("%1, %2").arg(figure, note);
}

QString comparisonMarkdown(const RunComparison &c)
{
    QString md;
    md += QStringLiteral("## %1 vs %2\n\n").arg(c.labelA, c.labelB);
    for (const QString &note : c.notes)
        md += QStringLiteral("> Note: %1.\n").arg(note);
    if (!c.notes.isEmpty())
        md += QLatin1Char('\n');
    md += QStringLiteral("Overall: **%1** (%2 vs %3 ms per image, median of %4 and %5 runs; p %6).\n\n")
              .arg(c.headline())
              .arg(c.msPerImageA.median, 0, 'f', 2)
              .arg(c.msPerImageB.median, 0, 'f', 2)
              .arg(c.msPerImageA.n)
              .arg(c.msPerImageB.n)
              .arg(c.verdict == Verdict::TooFewSamples ? QStringLiteral("–")
                      : c.p < 0.001                    ? QStringLiteral("<0.001")
                                                       : QString::number(c.p, 'f', 3));
    md += QStringLiteral("Peak RSS %1%2, peak pixel buffers %3.\n\n")
              .arg(signedMib(c.peakRssDelta), ownRssText(c), signedMib(c.peakPixelDelta));
    if (!c.toggleDifferences.isEmpty())
        md += QStringLiteral("Toggles that differ: %1.\n\n")
                  .arg(c.toggleDifferences.join(QStringLiteral(", ")));
    if (!c.paramDifferences.isEmpty())
        md += QStringLiteral("Parameters that differ: %1.\n\n")
                  .arg(c.paramDifferences.join(QStringLiteral(", ")));
    md += QStringLiteral("| stage | %1 ms per image, median (MAD) | %2 ms per image, median (MAD) | speedup "
                         "| p (Holm) | verdict |\n")
              .arg(c.labelA, c.labelB);
    md += QStringLiteral("|---|---:|---:|---:|---:|---|\n");
    for (const StageComparison &s : c.stages) {
        const bool tested = s.verdict != Verdict::NotCompared && s.verdict != Verdict::TooFewSamples;
        md += QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 |\n")
                  .arg(QLatin1String(stageName(s.stage)), stageCell(s, true), stageCell(s, false),
                      s.verdict == Verdict::NotCompared ? QStringLiteral("–") : times(s.ratio),
                      !tested           ? QStringLiteral("–")
                          : s.p < 0.001 ? QStringLiteral("<0.001")
                                        : QString::number(s.p, 'f', 3),
                      QLatin1String(verdictName(s.verdict)));
    }
    md += QStringLiteral("\nSamples per stage: %1. %2\n")
              .arg(c.stages.empty() ? QStringLiteral("none") : c.stages.front().sampleKind,
                  comparisonMethod());
    return md;
}

static QString ms(double v)
{
    return QString::number(v, 'f', v < 10 ? 2 : 1);
}

static QString verdictClass(Verdict v)
{
    return v == Verdict::Faster ? QStringLiteral("faster")
        : v == Verdict::Slower  ? QStringLiteral("slower")
                                : QStringLiteral("noise");
}

// The comparison's per-stage bars as inline SVG.
static QString stageBarsSvg(const RunComparison &c, const QString &a, const QString &b, const QString &what)
{
    // Bars per stage: A faded above B solid, in the stage's colour. Each stage
    // has its own scale (its slower run spans the width): stage times differ
    // by orders of magnitude, and on one scale every bar but the largest is a
    // sliver. The numbers carry the magnitudes.
    const int rowH = 42, labelW = 90, barW = 440, w = labelW + barW + 260;
    const int h = rowH * int(c.stages.size()) + 34;
    QString svg
        = QStringLiteral("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%1\" height=\"%2\" role=\"img\" "
                         "aria-label=\"%3 per stage, A and B\">")
              .arg(w)
              .arg(h)
              .arg(what);
    int y = 8;
    for (const StageComparison &s : c.stages) {
        const QString color = stageHex(s.stage);
        const double scale = std::max(s.a.median, s.b.median);
        const double la = scale > 0 ? barW * s.a.median / scale : 0,
                     lb = scale > 0 ? barW * s.b.median / scale : 0;
        svg += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"end\" font-size=\"13\">%3</text>")
                   .arg(labelW - 8)
                   .arg(y + 21)
                   .arg(QLatin1String(stageName(s.stage)));
        svg += QStringLiteral(
            "<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"15\" fill=\"%4\" fill-opacity=\"0.35\"/>"
            "<text x=\"%5\" y=\"%6\" font-size=\"11\">%7: %8 ms</text>")
                   .arg(labelW)
                   .arg(y)
                   .arg(std::max(1.0, la), 0, 'f', 1)
                   .arg(color)
                   .arg(labelW + la + 5, 0, 'f', 1)
                   .arg(y + 12)
                   .arg(a, ms(s.a.median));
        svg += QStringLiteral(
            "<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"15\" fill=\"%4\"/>"
            "<text x=\"%5\" y=\"%6\" font-size=\"11\">%7: %8 ms · <tspan class=\"%9\">%10, %11</tspan>"
            "</text>")
                   .arg(labelW)
                   .arg(y + 17)
                   .arg(std::max(1.0, lb), 0, 'f', 1)
                   .arg(color)
                   .arg(labelW + lb + 5, 0, 'f', 1)
                   .arg(y + 29)
                   .arg(b, ms(s.b.median), verdictClass(s.verdict))
                   .arg(s.verdict == Verdict::NotCompared ? QStringLiteral("no ratio") : times(s.ratio))
                   .arg(s.verdict == Verdict::NotCompared
                           ? (s.noteA.isEmpty() ? QStringLiteral("%1: %2").arg(b, s.noteB.toHtmlEscaped())
                                                : QStringLiteral("%1: %2").arg(a, s.noteA.toHtmlEscaped()))
                           : QLatin1String(verdictName(s.verdict)));
        y += rowH;
    }
    svg += QStringLiteral("<text x=\"%1\" y=\"%2\" font-size=\"11\" fill=\"#666\">%3 (faded: %4, solid: %5); "
                          "each stage on its own scale</text></svg>")
               .arg(labelW)
               .arg(h - 8)
               .arg(what, a, b);
    return svg;
}

QByteArray comparisonHtml(const RunComparison &c)
{
    const QString a = c.labelA.toHtmlEscaped(), b = c.labelB.toHtmlEscaped();
    const bool perRepetition
        = !c.stages.empty() && c.stages.front().sampleKind == QLatin1String("repetitions");
    const QString what = perRepetition ? QStringLiteral("ms per image, median over repetitions")
                                       : QStringLiteral("median ms per image");
    const QString svg = stageBarsSvg(c, a, b, what);

    QString html = QStringLiteral(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>PixelPerf "
        "comparison: %1 vs %2</title><style>body{font-family:system-ui,sans-serif;margin:24px;"
        "max-width:980px;color:#222}table{border-collapse:collapse;margin:8px 0 20px}"
        "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f2f2f2}"
        "td:first-child,th:first-child{text-align:left}.faster{color:#1a7f37;font-weight:bold}"
        ".slower{color:#b42318;font-weight:bold}.noise{color:#666}tspan.faster{fill:#1a7f37}"
        "tspan.slower{fill:#b42318}tspan.noise{fill:#666}.figures b{font-size:20px}"
        "ul{padding-left:20px}svg{max-width:100%}</style></head><body>\n"
        "<h1>%1 vs %2</h1>\n")
                       .arg(a, b);
    for (const QString &note : c.notes)
        html += QStringLiteral("<p class=\"note\"><b>Note:</b> %1.</p>\n").arg(note.toHtmlEscaped());
    html += QStringLiteral(
        "<p class=\"figures\"><b>%1</b> (%2 vs %3 ms per image, median of %4 and %5 runs) · "
        "verdict: <span class=\"%6\">%7</span></p>\n")
                .arg(c.headline().toHtmlEscaped())
                .arg(c.msPerImageA.median, 0, 'f', 2)
                .arg(c.msPerImageB.median, 0, 'f', 2)
                .arg(c.msPerImageA.n)
                .arg(c.msPerImageB.n)
                .arg(verdictClass(c.verdict), QLatin1String(verdictName(c.verdict)));
    html += QStringLiteral("<p>%1 against %2: peak RSS %3%4, peak pixel buffers %5.</p>\n")
                .arg(b, a, signedMib(c.peakRssDelta), ownRssText(c).toHtmlEscaped(),
                    signedMib(c.peakPixelDelta));
    html += QStringLiteral("<h2>Time per stage</h2>\n") + svg;
    html += QStringLiteral(
        "\n<table><tr><th>stage</th><th>%1 ms per image, median (MAD)</th><th>%2 ms per image, "
        "median (MAD)</th><th>speedup</th><th>p (Holm)</th><th>verdict</th></tr>\n")
                .arg(a, b);
    auto pCell = [](double p, Verdict v) {
        if (v == Verdict::NotCompared || v == Verdict::TooFewSamples)
            return QStringLiteral("–");
        return p < 0.001 ? QStringLiteral("&lt;0.001") : QString::number(p, 'f', 3);
    };
    for (const StageComparison &s : c.stages)
        html += QStringLiteral("<tr><td><span style=\"color:%1\">■</span> %2</td><td>%3</td><td>%4</td>"
                               "<td>%5</td><td>%6</td><td class=\"%7\">%8</td></tr>\n")
                    .arg(stageHex(s.stage), QLatin1String(stageName(s.stage)),
                        stageCell(s, true).toHtmlEscaped(), stageCell(s, false).toHtmlEscaped(),
                        s.verdict == Verdict::NotCompared ? QStringLiteral("–") : times(s.ratio))
                    .arg(pCell(s.p, s.verdict), verdictClass(s.verdict),
                        QLatin1String(verdictName(s.verdict)));
    html += QStringLiteral(
        "<tr><td><b>whole run</b></td><td>%1 (%2)</td><td>%3 (%4)</td><td>%5</td><td>%6</td>"
        "<td class=\"%7\">%8</td></tr>\n</table>\n")
                .arg(ms(c.msPerImageA.median), ms(c.msPerImageA.mad), ms(c.msPerImageB.median),
                    ms(c.msPerImageB.mad), times(c.ratio))
                .arg(pCell(c.p, c.verdict), verdictClass(c.verdict), QLatin1String(verdictName(c.verdict)));
    html += QStringLiteral("<p style=\"color:#666\">Samples per stage: %1. %2</p>\n")
                .arg(perRepetition ? QStringLiteral("the stage's time per image in each repetition")
                                   : QStringLiteral("the stage's time for each image of one run"),
                    comparisonMethod().toHtmlEscaped());
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
