// The per-stage kernels. Each stage's file holds both code paths of the
// toggle that concerns it, side by side, and the one function that picks.
#pragma once

#include "pipeline/pixelbuffer.h"
#include "pipeline/pipelineconfig.h"

#include <QString>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

namespace pixelperf {

struct Schedule;

// ---- resize (stages/resize.cpp) ----
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

// ---- blur (stages/blur.cpp) ----
// Normalised 1-D Gaussian with sigma; radius = ceil(3 sigma).
std::vector<double> gaussianKernel(double sigma);
PixelBuffer blurNaive(const PixelBuffer &src, double sigma, bool cachedKernel);
// In place (the image is taken and given back) unless the kernel is wide.
PixelBuffer blurSeparable(PixelBuffer img, double sigma, bool cachedKernel);
// `separable-blur` and `cached-kernels`: the choice.
PixelBuffer blurImage(PixelBuffer src, double sigma, const Schedule &schedule);
PixelBuffer blurStage(PixelBuffer &working, const PipelineParams &params, const Schedule &schedule);

// ---- sharpen (stages/sharpen.cpp) ----
// Pillow ImageEnhance.Sharpness, in place; border pixels unchanged.
void sharpenInPlace(PixelBuffer &img, double factor);
PixelBuffer sharpenStage(PixelBuffer &working, const PipelineParams &params, const Schedule &schedule);

// ---- contrast, brightness, convert (stages/pointops.cpp) ----
// Pillow's integer luma, L = (19595 R + 38470 G + 7471 B + 2^15) >> 16.
int lumaOf(int r, int g, int b);
// Rounded mean luma, as Pillow's ImageEnhance.Contrast computes it.
int meanLuma(const PixelBuffer &img);
uint8_t contrastValue(int v, int mean, double factor);
uint8_t brightnessValue(int v, double factor);
// Separate floating-point passes (fused-point-ops off).
PixelBuffer contrastFloat(const PixelBuffer &img, double factor);
PixelBuffer brightnessFloat(const PixelBuffer &img, double factor);
PixelBuffer convertToOutput(const PixelBuffer &img);
// One lookup table applied in place; a step whose do- flag is false is left
// out (its factor, and for contrast the mean, are then not used).
void applyPointLut(PixelBuffer &img, int mean, double contrast, bool doContrast,
                   double brightness, bool doBrightness);
// The stages, and `fused-point-ops`' choice: fused, contrast applies the
// brightness too (one table), brightness then has nothing left to do, and
// convert has nothing to do (the table writes the encoder's RGB); otherwise
// three floating-point passes. Each takes the working image and gives back
// the next one (the same, untouched, when it has no work).
PixelBuffer contrastStage(PixelBuffer &working, const PipelineParams &params, const Schedule &schedule);
PixelBuffer brightnessStage(PixelBuffer &working, const PipelineParams &params, const Schedule &schedule);
PixelBuffer convertStage(PixelBuffer &working, const PipelineParams &params, const Schedule &schedule);

// ---- shared by the 16-bit fixed-point passes (stages/fixedpoint.cpp) ----
// Bytes to 16-bit samples with `fractionBits` fractional bits (x << bits);
// at most 7, so 255 still fits.
void widenBytes(const uint8_t *src, int16_t *dst, size_t n, int fractionBits);

// ---- cancellation inside a stage (core/pipeline.cpp) ----
// The pipeline checks for a cancel between stages; the slow paths (naive
// blur, uncached Lanczos) can run for seconds on one image, so they also poll
// per row and return early, unfinished. The pipeline then drops that image.
// A worker thread sees its run's flag while a StageCancelScope is alive.
bool stageCancelRequested();
class StageCancelScope
{
public:
    explicit StageCancelScope(const std::atomic<bool> *flag);
    ~StageCancelScope();
    StageCancelScope(const StageCancelScope &) = delete;
    StageCancelScope &operator=(const StageCancelScope &) = delete;

private:
    const std::atomic<bool> *m_previous;
};

// ---- the hand-off between stages (stages/handoff.cpp) ----
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
