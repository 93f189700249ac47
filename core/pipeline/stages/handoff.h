// The hand-off between stages (handoff.cpp): what a stage works on and
// gives back (`no-copies`, `no-format-churn`).
#pragma once

#include "pipeline/pipelineconfig.h"
#include "pipeline/pixelbuffer.h"

#include <optional>

namespace pixelperf {

struct Schedule;

PixelBuffer toRgba(const PixelBuffer &rgb);
PixelBuffer toRgb(const PixelBuffer &rgba);
// What a stage works on: the working image moved (or, `no-copies` off,
// copied), in RGB (or, `no-format-churn` off, RGBA).
PixelBuffer stageInput(PixelBuffer &working, const Schedule &schedule);
// The same from an image the stage must not change (the decode, which the
// decode cache may share): nothing when the stage can read it as it is.
std::optional<PixelBuffer> sharedStageInput(const PixelBuffer &shared, const Schedule &schedule);
// What a stage gives back, in the working format (RGB).
PixelBuffer stageOutput(PixelBuffer result);

} // namespace pixelperf
