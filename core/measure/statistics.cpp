#include "measure/statistics.h"

#include <algorithm>
#include <cmath>

namespace pixelperf {

double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    const size_t mid = v.size() / 2;
    std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(mid), v.end());
    const double upper = v[mid];
    if (v.size() % 2)
        return upper;
    const double lower = *std::max_element(v.begin(), v.begin() + std::ptrdiff_t(mid));
    return (lower + upper) / 2;
}

Spread spreadOf(std::vector<double> values)
{
    Spread s;
    s.n = int(values.size());
    if (values.empty())
        return s;
    s.min = *std::min_element(values.begin(), values.end());
    s.max = *std::max_element(values.begin(), values.end());
    s.median = median(values);
    for (double &v : values)
        v = std::fabs(v - s.median);
    s.mad = median(values);
    return s;
}

Moments momentsOf(const std::vector<double> &values)
{
    Moments m;
    if (values.empty())
        return m;
    for (double v : values)
        m.mean += v;
    m.mean /= double(values.size());
    if (values.size() < 2)
        return m;
    double squares = 0;
    for (double v : values)
        squares += (v - m.mean) * (v - m.mean);
    m.stddev = std::sqrt(squares / double(values.size() - 1));
    return m;
}

double robustSigma(const Spread &s)
{
    return 1.4826 * s.mad;
}

Ratio ratioOf(const Spread &a, const Spread &b)
{
    Ratio r;
    if (a.median <= 0 || b.median <= 0)
        return r;
    r.value = a.median / b.median;
    r.spreadKnown = a.n > 1 && b.n > 1;
    if (r.spreadKnown) {
        const double ra = robustSigma(a) / a.median, rb = robustSigma(b) / b.median;
        r.spread = r.value * std::sqrt(ra * ra + rb * rb);
    }
    return r;
}

namespace {

// The exact two-sided p-value of a rank sum: the share of all ways to pick
// n1 of the ranks whose sum is at least as far from its mean as the one
// observed. Ranks are doubled so that midranks are whole numbers.
double exactRankSumP(const std::vector<int> &doubledRanks, int n1, int observed)
{
    const int n = int(doubledRanks.size());
    int total = 0;
    for (int r : doubledRanks)
        total += r;
    // ways[k][s]: number of k-subsets of the ranks seen so far summing to s
    // (as doubles: C(50, 25) is about 1.3e14, exact in a double).
    std::vector<std::vector<double>> ways(size_t(n1) + 1, std::vector<double>(size_t(total) + 1, 0.0));
    ways[0][0] = 1;
    for (int i = 0; i < n; ++i) {
        const int r = doubledRanks[size_t(i)];
        for (int k = std::min(i + 1, n1); k >= 1; --k)
            for (int sum = total; sum >= r; --sum)
                ways[size_t(k)][size_t(sum)] += ways[size_t(k - 1)][size_t(sum - r)];
    }
    const double mean = double(total) * n1 / n;
    const double distance = std::fabs(observed - mean) - 1e-9;
    double extreme = 0, all = 0;
    for (int sum = 0; sum <= total; ++sum) {
        const double w = ways[size_t(n1)][size_t(sum)];
        all += w;
        if (std::fabs(sum - mean) >= distance)
            extreme += w;
    }
    return all > 0 ? std::min(1.0, extreme / all) : 1.0;
}

} // namespace

MannWhitney mannWhitney(const std::vector<double> &a, const std::vector<double> &b)
{
    MannWhitney r;
    const size_t n1 = a.size(), n2 = b.size();
    if (n1 < 3 || n2 < 3)
        return r;
    struct Item {
        double value;
        bool fromA;
    };
    std::vector<Item> all;
    all.reserve(n1 + n2);
    for (double v : a)
        all.push_back({ v, true });
    for (double v : b)
        all.push_back({ v, false });
    std::sort(all.begin(), all.end(), [](const Item &x, const Item &y) { return x.value < y.value; });
    const double n = double(n1 + n2);
    double rankSumA = 0;
    int doubledSumA = 0;
    std::vector<int> doubledRanks(all.size());
    double tieTerm = 0; // sum of t^3 - t over tie groups
    for (size_t i = 0; i < all.size();) {
        size_t j = i;
        while (j < all.size() && all[j].value == all[i].value)
            ++j;
        const int doubledMidrank = int(i + j + 1); // ranks are 1-based: midrank (i+1 + j) / 2
        for (size_t k = i; k < j; ++k) {
            doubledRanks[k] = doubledMidrank;
            if (all[k].fromA) {
                rankSumA += doubledMidrank / 2.0;
                doubledSumA += doubledMidrank;
            }
        }
        const double t = double(j - i);
        tieTerm += t * t * t - t;
        i = j;
    }
    r.u = rankSumA - double(n1) * double(n1 + 1) / 2;
    const double mean = double(n1) * double(n2) / 2;
    const double variance = double(n1) * double(n2) / 12 * ((n + 1) - tieTerm / (n * (n - 1)));
    if (variance <= 0)
        return r; // every value the same
    const double diff = r.u - mean;
    r.z = diff / std::sqrt(variance);
    if (n1 + n2 <= 50) {
        r.exact = true;
        r.p = exactRankSumP(doubledRanks, int(n1), doubledSumA);
        return r;
    }
    const double corrected = diff == 0 ? 0 : (std::fabs(diff) - 0.5) * (diff > 0 ? 1 : -1);
    r.z = corrected / std::sqrt(variance);
    r.p = std::min(1.0, std::erfc(std::fabs(r.z) / std::sqrt(2.0)));
    return r;
}

double smallestPossibleP(int n1, int n2)
{
    if (n1 < 3 || n2 < 3)
        return 1;
    if (n1 + n2 > 50)
        return 0; // the normal approximation: as small as the data make it
    double combinations = 1; // C(n1 + n2, n1)
    for (int i = 1; i <= n1; ++i)
        combinations = combinations * (n2 + i) / i;
    return std::min(1.0, 2.0 / combinations);
}

std::vector<double> holmAdjust(const std::vector<double> &p)
{
    const size_t m = p.size();
    std::vector<size_t> order(m);
    for (size_t i = 0; i < m; ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t x, size_t y) { return p[x] < p[y]; });
    std::vector<double> adjusted(m, 1.0);
    double running = 0;
    for (size_t k = 0; k < m; ++k) {
        running = std::max(running, std::min(1.0, double(m - k) * p[order[k]]));
        adjusted[order[k]] = running;
    }
    return adjusted;
}

const char *verdictName(Verdict v)
{
    switch (v) {
    case Verdict::Faster:
        return "faster";
    case Verdict::Slower:
        return "slower";
    case Verdict::WithinNoise:
        return "within noise";
    case Verdict::TooFewSamples:
        return "too few samples";
    case Verdict::NotCompared:
        return "not compared";
    }
    return "within noise";
}

Verdict verdictOf(
    const std::vector<double> &a, const std::vector<double> &b, double p, double alpha, double minimumEffect)
{
    if (int(a.size()) < MinimumSamples || int(b.size()) < MinimumSamples)
        return Verdict::TooFewSamples;
    const double ma = median(a), mb = median(b);
    if (p >= alpha || ma <= 0 || std::fabs(mb - ma) / ma < minimumEffect)
        return Verdict::WithinNoise;
    return mb < ma ? Verdict::Faster : Verdict::Slower;
}

Verdict compareSamples(const std::vector<double> &a, const std::vector<double> &b, double alpha)
{
    return verdictOf(a, b, mannWhitney(a, b).p, alpha);
}

} // namespace pixelperf
