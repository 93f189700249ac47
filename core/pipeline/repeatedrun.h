// One configuration run W times as discarded warm-ups (page cache, decode
// cache, thread pools), then N measured times (PRODUCT.md section 3). The one
// loop behind `pixelperf-cli run --repeat N --warmup W` and the window's
// Repetitions and Warm-ups boxes.
//
// run() goes through the plan on the thread that calls it, one run after
// another (each run's images on its workers); start() does the same on a
// thread of this object, for a caller that must not block (the window, the
// CLI's progress line). While the runs go, which run it is and that run's
// recorder can be read from any thread; the result is complete once the
// future has finished.
#pragma once

#include "measure/runrecorder.h"
#include "measure/runresult.h"
#include "pipeline/pipelineconfig.h"

#include <QFuture>
#include <QThreadPool>

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace pixelperf {

struct RepetitionPlan {
    int warmups = 0;
    int repetitions = 1;
    // Whether a reader follows each run's spans and images live, through
    // its recorder's snapshots, to the end (the window). False (the CLI):
    // each run hands its records over to its result instead of copying
    // them, so that a run of 100,000 images holds them once.
    bool liveRecords = true;

    int totalRuns() const { return warmups + repetitions; }
    // Empty when fine.
    QString validate() const;
};

// Which run of the plan goes: run 0 .. totalRuns-1, the warm-ups first.
struct RepetitionProgress {
    int run = -1; // -1: none started yet
    int totalRuns = 0;
    bool warmup = false;
    int number = 0; // 1-based within its kind: warm-up 1 of W, repetition k of N
    int of = 0; // W for a warm-up, N for a repetition

    // "warm-up 1 of 2", "repetition 3 of 5"; empty before the first run.
    QString label() const;
};

struct RepeatedRunResult {
    // The measured repetitions in order. When the runs were cancelled, the
    // cancelled run (even a warm-up, even one cancelled before its scan) is
    // the last one, so what was done is kept.
    std::vector<RunResult> runs;
    // Which run of the plan (RepetitionProgress::run) the last of `runs`
    // is: the last run started, unless a later one could not start.
    int lastRun = -1;
    int warmupsDone = 0;
    bool cancelled = false;
    QString fatalError; // a run could not start or its scan failed

    bool ok() const { return fatalError.isEmpty(); }
    // What a report shows as the run: the last one; null only when the plan
    // was invalid or the first run could not start.
    const RunResult *last() const { return runs.empty() ? nullptr : &runs.back(); }
};

class RepeatedRun
{
public:
    RepeatedRun(PipelineConfig config, RepetitionPlan plan);
    ~RepeatedRun(); // cancels and waits
    RepeatedRun(const RepeatedRun &) = delete;
    RepeatedRun &operator=(const RepeatedRun &) = delete;

    // The whole plan on the calling thread; once per object.
    RepeatedRunResult run();
    // run() on a thread of this object; result()/takeResult() once it is over.
    QFuture<void> start();
    // Stops the run going after each worker's current stage and starts no
    // other. Safe from any thread and from a signal handler (one atomic store).
    void cancel() { m_cancel->store(true, std::memory_order_relaxed); }
    bool isCancelRequested() const { return m_cancel->load(std::memory_order_relaxed); }
    void wait();

    const PipelineConfig &config() const { return m_config; }
    const RepetitionPlan &plan() const { return m_plan; }
    RepetitionProgress progress() const;
    // The recorder of the run going (or of the last one); null before the
    // first. A new pointer means a new run: its snapshots start from zero.
    // `which`, when given, gets the progress that goes with it.
    std::shared_ptr<RunRecorder> currentRecorder(RepetitionProgress *which = nullptr) const;
    RepeatedRunResult result() const;
    // The result moved out (the records are not copied); empty after.
    RepeatedRunResult takeResult();

    static RepeatedRunResult runBlocking(const PipelineConfig &config, RepetitionPlan plan);

private:
    RepetitionProgress progressOf(int run) const;

    const PipelineConfig m_config;
    const RepetitionPlan m_plan;
    const std::shared_ptr<std::atomic<bool>> m_cancel;
    QThreadPool m_thread;

    mutable std::mutex m_mutex;
    int m_run = -1;
    std::shared_ptr<RunRecorder> m_recorder;
    RepeatedRunResult m_result;
};

} // namespace pixelperf
