#include "statistics.h"

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

MannWhitney mannWhitney(const std::vector<double> &a, const std::vector<double> &b)
{
    MannWhitney r;
    const size_t n1 = a.size(), n2 = b.size();
    if (n1 < 4 || n2 < 4)
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
    double tieTerm = 0;  // sum of t^3 - t over tie groups
    for (size_t i = 0; i < all.size();) {
        size_t j = i;
        while (j < all.size() && all[j].value == all[i].value)
            ++j;
        const double midrank = (double(i) + double(j) + 1) / 2;  // ranks are 1-based
        for (size_t k = i; k < j; ++k)
            if (all[k].fromA)
                rankSumA += midrank;
        const double t = double(j - i);
        tieTerm += t * t * t - t;
        i = j;
    }
    r.u = rankSumA - double(n1) * double(n1 + 1) / 2;
    const double mean = double(n1) * double(n2) / 2;
    const double variance = double(n1) * double(n2) / 12 * ((n + 1) - tieTerm / (n * (n - 1)));
    if (variance <= 0)
        return r;
    const double diff = r.u - mean;
    const double corrected = diff == 0 ? 0 : (std::fabs(diff) - 0.5) * (diff > 0 ? 1 : -1);
    r.z = corrected / std::sqrt(variance);
    r.p = std::min(1.0, std::erfc(std::fabs(r.z) / std::sqrt(2.0)));
    return r;
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
    }
    return "within noise";
}

Verdict compareSamples(const std::vector<double> &a, const std::vector<double> &b, double alpha)
{
    if (a.size() < 4 || b.size() < 4)
        return Verdict::TooFewSamples;
    const MannWhitney test = mannWhitney(a, b);
    const double ma = median(a), mb = median(b);
    if (test.p >= alpha || ma <= 0 || std::fabs(mb - ma) / ma < 0.01)
        return Verdict::WithinNoise;
    return mb < ma ? Verdict::Faster : Verdict::Slower;
}

} // namespace pixelperf
