// The contrast, brightness and convert stages (pointops.cpp): separate
// floating-point passes or one fused table (`fused-point-ops`).
#pragma once

#include "pipeline/pipelineconfig.h"
#include "pipeline/pixelbuffer.h"

#include <cstdint>

namespace pixelperf {

struct Schedule;

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
void applyPointLut(
    PixelBuffer &img, int mean, double contrast, bool doContrast, double brightness, bool doBrightness);
// The stages, and `fused-point-ops`' choice: fused, contrast applies the
// brightness too (one table), brightness then has nothing left to do, and
// convert has nothing to do (the table writes the encoder's RGB); otherwise
// three floating-point passes. Each takes the working image and gives back
// the next one (the same, untouched, when it has no work).
PixelBuffer contrastStage(PixelBuffer &working, const PipelineParams &params, const Schedule &schedule);
PixelBuffer brightnessStage(PixelBuffer &working, const PipelineParams &params, const Schedule &schedule);
PixelBuffer convertStage(PixelBuffer &working, const PipelineParams &params, const Schedule &schedule);

} // namespace pixelperf
