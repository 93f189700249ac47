// How a run executes, resolved once from its toggles and parameters. The
// algorithm (what each stage computes) is the parameters'; the schedule is
// which implementation each stage runs. Each stage's entry point takes it
// and, in that stage's file, picks one of its two implementations: a new
// toggle touches the toggle table, this struct and one stage file.
#pragma once

#include "pipeline/pipelineconfig.h"
#include "pipeline/stages/load.h"

namespace pixelperf {

struct Schedule {
    int workers = 1; // parallel: the run's worker threads (pipeline.cpp)
    bool streaming = true; // streaming: buffers freed after each save (pipeline.cpp)
    bool singleScan = true; // single-scan (stages/scan.cpp)
    bool defensiveCopies = false; // no-copies off: each stage copies its input (stages/handoff.cpp)
    bool formatChurn = false; // no-format-churn off: RGBA around each stage (stages/handoff.cpp)
    bool shrinkOnLoad = true; // shrink-on-load (stages/load.cpp)
    DecodeCacheUse decodeCache = DecodeCacheUse::None; // decode-cache (stages/load.cpp)
    bool lanczos = true; // lanczos (stages/resize.cpp)
    bool cachedKernels = true; // cached-kernels (stages/resize.cpp, stages/blur.cpp)
    bool separableBlur = true; // separable-blur (stages/blur.cpp)
    bool fusedPointOps = true; // fused-point-ops (stages/pointops.cpp)
    int jpegQuality = 80; // balanced-quality (stages/save.cpp)

    // `fillDecodeCache`: the run adds what it decodes to the decode cache
    // (false: it only reads it, as RepeatedRun's measured runs do).
    static Schedule of(const PipelineConfig &config, bool fillDecodeCache = true);
};

} // namespace pixelperf
