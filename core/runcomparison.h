// Two runs side by side: per-stage and overall speedup with their spread, the
// memory difference, what differs in the configuration, and per stage a
// verdict on whether the difference is larger than the noise.
//
// Method: per stage, the samples are the stage's per-repetition totals when
// both runs have at least 4 repetitions, else its per-image times. Overall,
// the samples are the per-repetition wall times (at least 4 each), else there
// is no overall verdict. A two-sided Mann-Whitney U test at p < 0.05, plus a
// median difference of at least 1 %, decides "faster" or "slower"; otherwise
// "within noise".
#pragma once

#include "runresult.h"
#include "statistics.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace pixelperf {

struct StageComparison {
    Stage stage = Stage::Load;
    QString sampleKind;  // "repetitions" or "images"
    Spread a;            // ms
    Spread b;
    double speedup = 0;  // median(a) / median(b): > 1 means B is faster
    double p = 1;
    Verdict verdict = Verdict::TooFewSamples;
};

struct RunComparison {
    QString labelA;
    QString labelB;
    std::vector<StageComparison> stages;
    Spread wallA;        // ms, over repetitions (or the single run)
    Spread wallB;
    double speedup = 0;  // wall A / wall B (medians)
    double throughputRatio = 0;  // images/s B / A
    double p = 1;
    Verdict verdict = Verdict::TooFewSamples;
    int64_t peakRssDelta = 0;    // B - A
    int64_t peakPixelDelta = 0;
    QStringList toggleDifferences;  // "lanczos: on -> off"
    QStringList paramDifferences;   // "quality: 80 -> 95"
};

// `repsA`/`repsB`: the measured repetitions (may be empty: the run alone).
RunComparison compareRuns(const RunResult &a, const std::vector<RunResult> &repsA, const RunResult &b,
                          const std::vector<RunResult> &repsB, const QString &labelA = QStringLiteral("A"),
                          const QString &labelB = QStringLiteral("B"));

QString comparisonMarkdown(const RunComparison &c);
// A self-contained page: side-by-side bars per stage and the table.
QByteArray comparisonHtml(const RunComparison &c);

} // namespace pixelperf
