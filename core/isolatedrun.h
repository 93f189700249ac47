// One configuration measured in a fresh process, as hyperfine and pyperf
// measure: `pixelperf-cli run` as a child, its JSON report read back. Nothing
// the parent (or an earlier configuration) did — its decode cache, its
// allocator's high-water mark, its memoized kernels — reaches the child's
// figures. The ablation and the window's Baseline vs Optimized use it.
#pragma once

#include "pipelineconfig.h"
#include "runresult.h"

#include <QString>
#include <QStringList>

#include <atomic>

namespace pixelperf {

// The `pixelperf-cli run` arguments (after "run") that reproduce `config`:
// input and output folders, toggles, every parameter, profiling.
QStringList runArguments(const PipelineConfig &config);

// pixelperf-cli beside the running program (the build or install folder),
// else the one on PATH.
QString defaultCliProgram();

struct IsolatedRun {
    RunResult run;     // the measured repetition
    QString error;     // the child could not run or its report could not be read
    bool cancelled = false;
    bool ok() const { return error.isEmpty() && !cancelled; }
};

// Runs `config` in a child process: `warmups` discarded passes (they fill
// the OS page cache, and with decode-cache on the child's decode cache),
// then one measured pass. `cancel` (polled every 50 ms) kills the child.
IsolatedRun runIsolated(const PipelineConfig &config, int warmups, const QString &program = defaultCliProgram(),
                        const std::atomic<bool> *cancel = nullptr);

} // namespace pixelperf
