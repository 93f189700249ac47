// The resize stage (resize.cpp): nearest-neighbour and Lanczos, and the
// choice between them (`lanczos`, `cached-kernels`).
#pragma once

#include "pipeline/pipelineconfig.h"
#include "pipeline/pixelbuffer.h"

namespace pixelperf {

struct Schedule;

// Source region in source pixels (may be fractional), Pillow's "box".
struct SourceBox {
    double x0, y0, x1, y1;
};
// Output size and source box for a target size and mode.
struct ResizePlan {
    int width;
    int height;
    SourceBox box;
};
ResizePlan planResize(int srcWidth, int srcHeight, int width, int height, ResizeMode mode);

PixelBuffer resizeNearest(const PixelBuffer &src, const ResizePlan &plan);
// cachedWeights: weights computed once per (geometry) and memoized, or
// recomputed for every row.
PixelBuffer resizeLanczos(const PixelBuffer &src, const ResizePlan &plan, bool cachedWeights);
// The same arithmetic as scalar textbook loops, every weight computed where
// it is used: the reference the tests hold resizeLanczos to.
PixelBuffer resizeLanczosReference(const PixelBuffer &src, const ResizePlan &plan);
// `lanczos` and `cached-kernels`: the choice.
PixelBuffer resizeImage(const PixelBuffer &src, const ResizePlan &plan, const Schedule &schedule);
// The stage: the decode (shared, not changed) to the working image.
PixelBuffer resizeStage(const PixelBuffer &decoded, const PipelineParams &params, const Schedule &schedule);

} // namespace pixelperf
