// One configuration measured in a fresh process, as hyperfine and pyperf
// measure: `pixelperf-cli run` as a child, its JSON report read back. Nothing
// the parent (or an earlier configuration) did — its decode cache, its
// allocator's high-water mark, its memoized kernels — reaches the child's
// figures. The ablation and the window's Baseline vs Optimized use it.
#pragma once

#include "measure/runresult.h"
#include "pipeline/pipelineconfig.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <vector>

namespace pixelperf {

// The `pixelperf-cli run` arguments (after "run") that reproduce `config`:
// input and output folders, toggles, every parameter, profiling.
QStringList runArguments(const PipelineConfig &config);

// $PIXELPERF_CLI when set, else pixelperf-cli beside the running program
// (the build or install folder), else the one on PATH.
QString defaultCliProgram();

struct IsolatedRun {
    RunResult run; // the measured repetition; when cancelled, what the child reported (maybe nothing)
    QString error; // the child could not run or its report could not be read
    bool cancelled = false;
    bool ok() const { return error.isEmpty() && !cancelled; }
};

// Runs `config` in a child process: `warmups` discarded passes (they fill
// the OS page cache, and with decode-cache on the child's decode cache),
// then one measured pass. `cancel` (polled every 50 ms) kills the child.
// The child is in a process group of its own (a Ctrl+C at the terminal
// reaches the caller, whose cancel stops it with one SIGTERM, its report
// kept) and is sent SIGTERM if the caller dies (Linux).
IsolatedRun runIsolated(const PipelineConfig &config, int warmups,
    const QString &program = defaultCliProgram(), const std::atomic<bool> *cancel = nullptr);

// Kills the child runIsolated is waiting for, if any, at once: for a second
// Ctrl+C. Async-signal-safe.
void killIsolatedChild();

// Several configurations measured isolated and interleaved, as hyperfine
// and pyperf measure: each measurement its own process, the configurations
// in rounds (A B C … A B C …) so that drift on a busy machine favours none.
enum class RunOrder { Forward, Reverse, Shuffle };

struct IsolationPlan {
    int rounds = 3; // measurements per configuration
    int warmups = 0; // unmeasured passes in each measured process first
    RunOrder order = RunOrder::Forward;
    uint32_t seed = 1; // Shuffle: each round's order comes from it
};

// The order the configurations run in: `rounds` blocks, each a permutation
// of 0..configurations-1.
std::vector<int> interleavedSchedule(int configurations, const IsolationPlan &plan);

// One measurement of a configuration; the default runs it in a fresh process.
using IsolatedRunner = std::function<IsolatedRun(const PipelineConfig &config, int warmups)>;

struct InterleavedRuns {
    std::vector<std::vector<RunResult>> runs; // per configuration, in the order measured
    QString error; // "<label>: <reason>" of the first that could not run
    bool cancelled = false;
    int done = 0;
    int planned = 0;
};

// Runs the schedule: first one discarded run of the first configuration
// (it reads the inputs into the OS page cache, so the first measurement is
// not the only one from disk), then the rounds. progress(done, total, label)
// before each; returning false stops, as does `cancel` (which also stops the
// child going). `measured`, when set, gets each measurement as it finishes.
InterleavedRuns runInterleaved(const std::vector<PipelineConfig> &configs, const QStringList &labels,
    const IsolationPlan &plan, const std::function<bool(int, int, const QString &)> &progress = {},
    const std::atomic<bool> *cancel = nullptr, IsolatedRunner runner = {},
    const std::function<void(int configuration, const RunResult &)> &measured = {});

} // namespace pixelperf
