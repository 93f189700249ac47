#include "chartaxes.h"

#include <QValueAxis>

#include <cmath>

namespace pixelperf {

NiceRange niceRange(double max, int maxIntervals)
{
    if (!(max > 0) || !std::isfinite(max))
        return {};
    const double rough = max / maxIntervals;
    double step = std::pow(10.0, std::floor(std::log10(rough)));
    for (double f : { 1.0, 2.0, 5.0, 10.0 }) {
        if (f * step >= rough * (1 - 1e-9)) {
            step *= f;
            break;
        }
    }
    const int intervals = std::max(1, int(std::ceil(max / step - 1e-9)));
    return { intervals * step, intervals + 1 };
}

QValueAxis *newValueAxis(const QString &title, const QString &format)
{
    auto *axis = new QValueAxis;
    axis->setTitleText(title);
    axis->setLabelFormat(format);
    axis->setRange(0, 1);
    axis->setTickCount(5);
    return axis;
}

void setNiceRange(QValueAxis *axis, double max)
{
    const NiceRange r = niceRange(max);
    if (axis->min() != 0 || axis->max() != r.top)
        axis->setRange(0, r.top);
    if (axis->tickCount() != r.tickCount)
        axis->setTickCount(r.tickCount);
}

} // namespace pixelperf
