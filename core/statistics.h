// Robust statistics for repetitions and comparisons.
#pragma once

#include <QString>

#include <vector>

namespace pixelperf {

struct Spread {
    int n = 0;
    double median = 0;
    double min = 0;
    double max = 0;
    double mad = 0;  // median absolute deviation from the median (unscaled)
};

Spread spreadOf(std::vector<double> values);
double median(std::vector<double> values);

// Two-sided Mann-Whitney U test (Wilcoxon rank-sum) of "a and b come from the
// same distribution", with midranks for ties and the normal approximation
// with tie and continuity correction. Exact enough for n >= 4 per side; with
// fewer samples it never reports a difference (p = 1).
struct MannWhitney {
    double u = 0;       // U of sample a
    double z = 0;
    double p = 1;       // two-sided
};
MannWhitney mannWhitney(const std::vector<double> &a, const std::vector<double> &b);

enum class Verdict { Faster, Slower, WithinNoise, TooFewSamples };
const char *verdictName(Verdict v);

// B against A: B faster when its values are significantly lower (p < alpha, default 0.05)
// and the medians differ by more than 1 %; TooFewSamples below 4 per side.
Verdict compareSamples(const std::vector<double> &a, const std::vector<double> &b, double alpha = 0.05);

} // namespace pixelperf
