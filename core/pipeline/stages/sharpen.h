// The sharpen stage (sharpen.cpp).
#pragma once

#include "pipeline/pipelineconfig.h"
#include "pipeline/pixelbuffer.h"

namespace pixelperf {

struct Schedule;

// Pillow ImageEnhance.Sharpness, in place; border pixels unchanged.
void sharpenInPlace(PixelBuffer &img, double factor);
PixelBuffer sharpenStage(PixelBuffer &working, const PipelineParams &params, const Schedule &schedule);

} // namespace pixelperf
