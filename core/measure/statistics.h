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
    double mad = 0; // median absolute deviation from the median (unscaled)
};

Spread spreadOf(std::vector<double> values);
double median(std::vector<double> values);

// The arithmetic mean and the sample standard deviation (n - 1), as
// hyperfine and pyperf report them beside the median; stddev 0 below two values.
struct Moments {
    double mean = 0;
    double stddev = 0;
};
Moments momentsOf(const std::vector<double> &values);

// A robust standard deviation: the MAD scaled to agree with the standard
// deviation of normally distributed values (x 1.4826).
double robustSigma(const Spread &s);

// The ratio of two medians, a / b, with its spread propagated from each
// side's robust sigma as hyperfine does ("1.52 ± 0.03"): 0 spread when a
// side has a single value (nothing is known of its noise).
struct Ratio {
    double value = 0;
    double spread = 0;
    bool spreadKnown = false;
};
Ratio ratioOf(const Spread &a, const Spread &b);

// Two-sided Mann-Whitney U test (Wilcoxon rank-sum) of "a and b come from the
// same distribution", with midranks for ties. For up to 50 values in all the
// p-value is exact (the permutation distribution of the rank sum, ties
// included); above, the normal approximation with tie and continuity
// correction. Below 3 values a side it never reports a difference (p = 1).
struct MannWhitney {
    double u = 0; // U of sample a
    double z = 0;
    double p = 1; // two-sided
    bool exact = false;
};
MannWhitney mannWhitney(const std::vector<double> &a, const std::vector<double> &b);

// The smallest two-sided p-value the rank test can give for these sample
// sizes (every value of one side below every value of the other): 2 /
// C(n1+n2, n1) where the p-value is exact. A family of m tests corrected by
// Holm can find nothing when m times this is not below alpha.
double smallestPossibleP(int n1, int n2);

// Holm's step-down correction of p-values for the number of tests: the
// adjusted p-values, in the input's order, each to be compared with alpha.
std::vector<double> holmAdjust(const std::vector<double> &p);

enum class Verdict { Faster, Slower, WithinNoise, TooFewSamples, NotCompared };
const char *verdictName(Verdict v);

// The smallest difference of medians a verdict claims, relative to A's:
// for runs measured interleaved (drift cancels), and for runs measured one
// after the other, between which a machine drifts (up to 10 % between two
// back-to-back runs of one configuration on the development VM).
constexpr double MinimumEffect = 0.05;
constexpr double SeparateRunsMinimumEffect = 0.10;
// The fewest independent samples (repetitions) a side for a verdict.
constexpr int MinimumSamples = 4;

// B against A, given the (corrected) p-value of their test: B faster when its
// values are significantly lower (p < alpha) and the medians differ by at
// least MinimumEffect; TooFewSamples below MinimumSamples a side.
Verdict verdictOf(const std::vector<double> &a, const std::vector<double> &b, double p, double alpha = 0.05,
    double minimumEffect = MinimumEffect);
// The same with the samples' own uncorrected test.
Verdict compareSamples(const std::vector<double> &a, const std::vector<double> &b, double alpha = 0.05);

} // namespace pixelperf
