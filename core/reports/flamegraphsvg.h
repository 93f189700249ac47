// A static flame graph (icicle: the stages on top, callees below) of a
// sampled profile as inline SVG, for the HTML report: width = samples,
// colour = the stage's colour, hover (<title>) names the function with its
// self and total share.
#pragma once

#include "profiling/cpuprofile.h"

#include <QString>

namespace pixelperf {

// An HTML section: a heading, the profile's summary line and the SVG; a
// line saying why when the run was not sampled.
QString flameGraphSection(const CpuProfile *profile);

} // namespace pixelperf
