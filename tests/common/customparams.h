// Parameters with every field of the parameter table away from its default,
// for the tests that carry parameters somewhere and back (report, CLI,
// window, settings): a field that does not survive the trip shows.
#pragma once

#include "pipeline/parameters.h"

#include <QString>

namespace pixelperf::testing {

inline PipelineParams customParams()
{
    PipelineParams p;
    p.width = 321;
    p.height = 123;
    p.resizeMode = ResizeMode::Fit;
    p.blurRadius = 3.25;
    p.sharpen = 0.5;
    p.contrast = 2.5;
    p.brightness = 0.75;
    p.quality = 66;
    p.jobs = 3;
    p.recursive = true;
    p.cacheMiB = 17;
    p.blurEnabled = false;
    p.contrastEnabled = false;
    p.sharpenEnabled = false;
    p.brightnessEnabled = false;
    return p;
}

// The parameters of `a` that differ from `b`, by key: empty when equal.
inline QStringList paramsDiffering(const PipelineParams &a, const PipelineParams &b)
{
    QStringList keys;
    for (const ParamInfo &info : paramTable())
        if (paramValue(a, info.id) != paramValue(b, info.id))
            keys << QLatin1String(info.key);
    return keys;
}

} // namespace pixelperf::testing
