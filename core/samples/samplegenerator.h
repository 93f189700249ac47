// Photo-like synthetic images for machines with no photos and no network:
// a graded sky, a sun glow, layered textured hills, soft-edged shapes, film
// grain and a vignette. Deterministic for a seed.
#pragma once

#include "pipeline/pixelbuffer.h"

#include <QString>
#include <QStringList>

#include <functional>

namespace pixelperf {

PixelBuffer generateSampleImage(int width, int height, uint32_t seed);

struct GenerateResult {
    QStringList written;
    QString error; // the first failure; generation stops there
};

// Writes `count` JPEGs (quality 92) named sample_NNN.jpg into `dir`, creating
// it; existing files are never overwritten (the next free number is used).
// `progress(done)` may return false to stop.
GenerateResult generateSamples(const QString &dir, int count, int width, int height, uint32_t seed = 1,
    const std::function<bool(int)> &progress = {});

} // namespace pixelperf
