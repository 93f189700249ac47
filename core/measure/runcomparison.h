// Two runs side by side: per-stage and overall speedup with their spread, the
// memory difference, what differs in the configuration, and per stage a
// verdict on whether the difference is larger than the noise.
//
// Like with like: every figure is per image (a run of 44 images and one of
// 11 compare by their time per image, and the comparison says the image sets
// differ). A stage that did no work of its own in a run (fused into another,
// served from the decode cache, switched off) is labelled, not given a ratio.
//
// Verdicts: the samples are independent repetitions only (a stage's time per
// image in each measured repetition; overall, each repetition's wall time
// per image), at least MinimumSamples a side. A two-sided Mann-Whitney U test
// (exact p for small samples), Holm's correction over the stages tested, and
// a difference of medians of at least MinimumEffect (runs measured
// interleaved) or SeparateRunsMinimumEffect (one after the other) decide
// "faster" or "slower"; otherwise "within noise". Fewer repetitions: ratios, no verdict.
#pragma once

#include "measure/runresult.h"
#include "measure/statistics.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace pixelperf {

struct StageComparison {
    Stage stage = Stage::Load;
    QString sampleKind; // "repetitions" (independent samples) or "images" (one run: no verdict)
    Spread a; // ms per image
    Spread b;
    double speedup = 0; // median(a) / median(b): > 1 means B is faster; 0 when not compared
    Ratio ratio; // speedup with its spread
    double p = 1; // Holm-adjusted over the stages tested
    Verdict verdict = Verdict::TooFewSamples;
    // Why a side has no ratio: "fused into contrast", "served from the decode
    // cache", "skipped"; empty when the stage did its own work there.
    QString noteA;
    QString noteB;
};

struct RunComparison {
    QString labelA;
    QString labelB;
    std::vector<StageComparison> stages;
    Spread msPerImageA; // wall ms per image, over the measured repetitions (or the single run)
    Spread msPerImageB;
    double speedup = 0; // per image, A / B (medians): > 1 means B is faster
    Ratio ratio; // speedup with its spread
    double p = 1;
    Verdict verdict = Verdict::TooFewSamples;
    int64_t peakRssDelta = 0; // B - A
    int64_t peakPixelDelta = 0;
    int64_t decodeCacheDelta = 0; // B - A, memory held from warm-ups (in the RSS delta)
    int64_t ownPeakRssDelta = 0; // B - A, peak RSS without the decode cache held from warm-ups
    int imagesA = 0;
    int imagesB = 0;
    bool sameImages = true; // same folder and file list
    // The two runs' repetitions overlap in time (measured interleaved, as
    // Baseline vs Optimized does): drift cancels, and MinimumEffect applies;
    // one after the other, SeparateRunsMinimumEffect does.
    bool interleaved = false;
    // The repetitions are samples of how processes differ (each in a fresh
    // process, or both sides in one): only then is a verdict drawn, on time
    // or on memory.
    bool independentSamples = true;
    double minimumEffect = SeparateRunsMinimumEffect;
    QStringList notes; // what a reader must know first (different images, cache, single runs)
    QStringList toggleDifferences; // "lanczos: on -> off"
    QStringList paramDifferences; // "quality: 80 -> 95"

    // "1.52 ± 0.03× faster" / "1.10× slower (single runs: spread unknown)".
    QString headline() const;
};

// Why `stage` did no work of its own in `run` (see StageComparison), or empty.
QString stageNote(const RunResult &run, Stage stage);

// `repsA`/`repsB`: the measured repetitions (may be empty: the run alone).
RunComparison compareRuns(const RunResult &a, const std::vector<RunResult> &repsA, const RunResult &b,
    const std::vector<RunResult> &repsB, const QString &labelA = QStringLiteral("A"),
    const QString &labelB = QStringLiteral("B"));

QString comparisonMarkdown(const RunComparison &c);
// How the figures and verdicts are computed, in one paragraph.
QString comparisonMethod();
// A self-contained page: side-by-side bars per stage and the table.
QByteArray comparisonHtml(const RunComparison &c);

} // namespace pixelperf
