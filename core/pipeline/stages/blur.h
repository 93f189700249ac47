// The blur stage (blur.cpp): the naive 2-D Gaussian and the separable one,
// and the choice between them (`separable-blur`, `cached-kernels`).
#pragma once

#include "pipeline/pipelineconfig.h"
#include "pipeline/pixelbuffer.h"

#include <vector>

namespace pixelperf {

struct Schedule;

// Normalised 1-D Gaussian with sigma; radius = ceil(3 sigma).
std::vector<double> gaussianKernel(double sigma);
PixelBuffer blurNaive(const PixelBuffer &src, double sigma, bool cachedKernel);
// In place (the image is taken and given back) unless the kernel is wide.
PixelBuffer blurSeparable(PixelBuffer img, double sigma, bool cachedKernel);
// `separable-blur` and `cached-kernels`: the choice.
PixelBuffer blurImage(PixelBuffer src, double sigma, const Schedule &schedule);
PixelBuffer blurStage(PixelBuffer &working, const PipelineParams &params, const Schedule &schedule);

} // namespace pixelperf
