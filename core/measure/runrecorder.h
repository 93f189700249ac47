// The profiler, built into the pipeline. Workers append immutable records
// (stage spans, finished images); a sampler thread appends memory samples
// about every 20 ms. Readers take incremental snapshots at any time: each
// snapshot copies only what is new since the reader's cursor, under a lock
// held for microseconds, so the GUI never stalls the workers.
#pragma once

#include "measure/stagespan.h"
#include "pipeline/outputplan.h"
#include "pipeline/pipelineconfig.h"

#include <QString>

#include <array>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace pixelperf {

class CallStackSampler;
struct CpuProfile;

struct MemorySample {
    int64_t tNs = 0;
    int64_t rssBytes = 0;
    int64_t pixelBytesLive = 0; // the run's own: what was held at its start (the decode cache) left out
    int64_t cpuNs = 0; // process CPU time so far in the run
    int imagesDone = 0;
};

// One per image; its paths share the run's lists' strings (no copy).
struct ImageRecord {
    int index = -1;
    bool ok = false;
    bool cancelled = false;
    bool fromCache = false;
    QString path;
    QString error; // "<stage>: <reason>" when !ok
    int sourceWidth = 0;
    int sourceHeight = 0;
    int width = 0;
    int height = 0;
    int64_t bytesIn = 0;
    int64_t bytesOut = 0;
    int scaleDenominator = 1;

    ImageRecord() { m_stageTimes.fill(NotRun); }
    // A stage's wall time in ms, as its span has it (compactTime); < 0: the
    // stage did not run for this image.
    double stageMs(Stage stage) const;
    void setStageNs(Stage stage, int64_t ns);
    void setStageMs(Stage stage, double ms);
    // Where the image was written, as `plan` names it (derived when asked:
    // no string per image held); empty when nothing was written.
    QString output() const { return m_output ? m_output->pathFor(path) : QString(); }
    void setOutput(std::shared_ptr<const OutputPlan> plan) { m_output = std::move(plan); }
    const std::shared_ptr<const OutputPlan> &outputPlan() const { return m_output; }

private:
    static constexpr uint32_t NotRun = ~uint32_t(0);
    std::shared_ptr<const OutputPlan> m_output;
    std::array<uint32_t, StageCount> m_stageTimes;
};

struct SnapshotCursor {
    size_t spans = 0;
    size_t images = 0;
    size_t memory = 0;
};

struct ProfileSnapshot {
    int64_t elapsedNs = 0;
    int imagesTotal = 0; // known after the scan; 0 before
    int imagesDone = 0; // ok + failed (an image stopped by a cancel is neither)
    int imagesFailed = 0;
    int workers = 0;
    bool finished = false;
    bool cancelled = false;
    int64_t rssBytes = 0;
    int64_t peakRssBytes = 0;
    int64_t pixelBytesLive = 0;
    int64_t peakPixelBytes = 0;
    std::vector<StageSpan> spans; // new since the cursor
    std::vector<ImageRecord> images; // new since the cursor
    std::vector<MemorySample> memory; // new since the cursor
};

class RunRecorder
{
public:
    // sampleRateHz > 0 (with `profile`): the workers' call stacks are
    // sampled at that rate from their first image to finish().
    explicit RunRecorder(bool profile = true, int sampleRateHz = 0);
    ~RunRecorder();
    RunRecorder(const RunRecorder &) = delete;
    RunRecorder &operator=(const RunRecorder &) = delete;

    // t = 0; starts the memory sampler. `heldPixelBytes`: pixel buffers held
    // from before the run (the decode cache filled by warm-ups), left out
    // of the run's pixel-buffer figures and reported apart.
    void start(int workers, int64_t heldPixelBytes = 0);
    void setImagesTotal(int total);
    // Room for the run's records, known after the scan: `spans` (kept only
    // when profiling) and `images`.
    void reserve(size_t spans, size_t images);
    void finish(bool cancelled); // stops the sampler; takes a last sample
    int64_t nowNs() const; // since start(); 0 before
    int64_t elapsedNs() const; // the run's wall time so far, or in all once finished
    int workerId(); // this thread's lane, assigned (and sampled) on first use

    void addSpan(const StageSpan &span);
    void addImage(ImageRecord record);

    // What is new since `cursor`. Once the records were taken, only what
    // the recorder kept of them (takeSpans()) is there to read.
    ProfileSnapshot snapshot(SnapshotCursor *cursor) const;
    // A snapshot with the recorder's own cursor, for the one reader that
    // follows the run to its end (the window): the records taken after the
    // run leave what it has not read yet in the recorder for it.
    ProfileSnapshot follow() { return snapshot(&m_followed); }
    // Everything the recorder holds; for the report once the run is over.
    std::vector<StageSpan> spans() const;
    std::vector<ImageRecord> images() const;
    std::vector<MemorySample> memory() const;
    // The spans and images moved out once the run is over, no copy made.
    // `keepUnread`: the recorder keeps a copy of those a reader may still
    // ask for: those follow() has not returned yet (all of them when
    // nothing follows the run), the last moments of the run; else none.
    std::vector<StageSpan> takeSpans(bool keepUnread = false);
    std::vector<ImageRecord> takeImages(bool keepUnread = false);
    int64_t peakRssBytes() const;
    int64_t peakPixelBytes() const;
    int64_t heldPixelBytes() const { return m_heldPixelBytes.load(std::memory_order_relaxed); }
    // The sampled call stacks so far, attributed to stages and images (all
    // of them once finished); null when the run is not sampled.
    std::shared_ptr<const CpuProfile> cpuProfile() const;
    // The same, attributed with `spans` (the run's, once finished: a copy of
    // the recorder's would be the largest allocation of a long run).
    // `takeSamples`: the sampler's samples are moved in, not copied, and
    // the recorder keeps none (for the one reader of a finished run).
    std::shared_ptr<const CpuProfile> cpuProfile(
        const std::vector<StageSpan> &spans, bool takeSamples = false) const;

    // Lets go of what naming call stacks read (libdw's modules, the
    // program's DWARF): once a plan of runs is over (RepeatedRun), not
    // after each run, whose next would read them all again. The names found
    // stay known.
    static void releaseNaming();

    static int64_t currentRssBytes();
    static int64_t processCpuNs();
    static int64_t threadCpuNs();

private:
    void sampleLoop();
    void takeSample();
    void addWorkerThread(int lane);

    const bool m_profile;
    const uint64_t m_generation;
    // Steady-clock ns at start(); -1 before. Atomic: snapshot() reads it from
    // any thread, from before the run starts.
    std::atomic<int64_t> m_t0Ns { -1 };
    int64_t m_cpu0 = 0;
    std::atomic<int> m_nextWorker { 0 };
    std::atomic<int> m_imagesTotal { 0 };
    std::atomic<int> m_imagesDone { 0 };
    std::atomic<int> m_imagesFailed { 0 };
    std::atomic<bool> m_finished { false };
    std::atomic<bool> m_cancelled { false };
    std::atomic<int64_t> m_peakRss { 0 };
    std::atomic<int64_t> m_endNs { -1 };
    int m_workers = 0;
    // Set by start(); read by snapshots from other threads, which may come
    // before it.
    std::atomic<int64_t> m_heldPixelBytes { 0 };

    mutable std::mutex m_mutex;
    // Vectors reserved for the whole run (reserve()): handed over to the
    // result without a copy (takeSpans()), and without the deque's blocks
    // left behind in the allocator's free lists.
    std::vector<StageSpan> m_spans;
    std::vector<ImageRecord> m_images;
    // How many records were taken before the first one still held: the
    // cursors count every record of the run.
    size_t m_spansBase = 0;
    size_t m_imagesBase = 0;
    SnapshotCursor m_followed; // follow()'s, under m_mutex
    std::deque<MemorySample> m_memory;
    std::map<int, int> m_laneOfTid; // kernel thread id → worker lane

    // Made with the recorder, so any thread may read the pointer.
    const std::unique_ptr<CallStackSampler> m_stackSampler;

    std::mutex m_samplerMutex;
    std::condition_variable m_samplerWake;
    bool m_samplerStop = false;
    std::thread m_sampler;
};

} // namespace pixelperf
