// One run of the pipeline over a folder: scan, then every image through the
// stages on a QThreadPool of `jobs` workers (one, with `parallel` off).
// start() returns at once; the recorder can be snapshotted from any thread
// while the run goes; result() is complete once the future has finished.
#pragma once

#include "pipeline/pipelineconfig.h"
#include "pipeline/pixelbuffer.h"
#include "measure/runrecorder.h"
#include "measure/runresult.h"
#include "pipeline/schedule.h"

#include <QFuture>
#include <QThreadPool>

#include <atomic>
#include <memory>
#include <mutex>

namespace pixelperf {

struct DecodedImage;

class PipelineRun
{
public:
    explicit PipelineRun(PipelineConfig config);
    // With a cancel flag shared with its owner (a RepeatedRun): raising it
    // stops this run as cancel() would, with no pointer to the run needed.
    PipelineRun(PipelineConfig config, std::shared_ptr<std::atomic<bool>> cancelFlag);
    ~PipelineRun();  // cancels a run still going and waits
    PipelineRun(const PipelineRun &) = delete;
    PipelineRun &operator=(const PipelineRun &) = delete;

    // What would stop this configuration from starting: a missing input
    // folder, an output folder that cannot be written, bad parameters.
    // Creates the output folder when missing. Empty when fine.
    static QString preflight(const PipelineConfig &config);
    // Where a processed image goes, relative paths mirrored under the output.
    static QString outputNameFor(const QString &fileName);

    QFuture<void> start();
    // Workers stop after their current stage; what was done is kept.
    // Safe to call from any thread, and from a signal handler.
    void cancel() { m_cancel.store(true, std::memory_order_relaxed); }
    bool isCancelRequested() const { return m_cancel.load(std::memory_order_relaxed); }
    void wait();

    const PipelineConfig &config() const { return m_config; }
    std::shared_ptr<RunRecorder> recorder() const { return m_recorder; }
    RunResult result() const;

    // Convenience: run to the end on the calling thread's behalf.
    static RunResult runBlocking(const PipelineConfig &config);

private:
    void execute();
    void workerLoop();
    // One stage of one image: the stage file's entry point, given the
    // schedule. An empty string, or why the image failed there.
    struct ImageWork;
    QString runStage(Stage stage, ImageRecord &rec, ImageWork &work);
    void processImage(int index);
    void planOutputs();

    const PipelineConfig m_config;
    const Schedule m_schedule;  // resolved once from m_config
    std::shared_ptr<RunRecorder> m_recorder;
    const std::shared_ptr<std::atomic<bool>> m_cancelFlag;
    std::atomic<bool> &m_cancel;  // *m_cancelFlag
    std::atomic<int> m_next { 0 };
    QThreadPool m_controller;
    QThreadPool m_workers;
    QFuture<void> m_future;

    QStringList m_files;
    QStringList m_outputs;
    int m_listings = 0;
    int64_t m_cpuStartNs = 0;

    // With `streaming` off: every image's buffers, held until the run ends.
    struct Retained {
        std::shared_ptr<const DecodedImage> decoded;
        std::shared_ptr<PixelBuffer> processed;
    };
    std::mutex m_retainedMutex;
    std::vector<Retained> m_retained;

    mutable std::mutex m_resultMutex;
    RunResult m_result;
};

} // namespace pixelperf
