// One run of the pipeline over a folder: scan, then every image through the
// stages on a QThreadPool of `jobs` workers (one, with `parallel` off).
// run() executes on the thread that calls it (the scan there, the images on
// the workers) and returns the record; meanwhile the recorder can be
// snapshotted, and the run cancelled, from any thread.
#pragma once

#include "measure/runrecorder.h"
#include "measure/runresult.h"
#include "pipeline/pathsafety.h"
#include "pipeline/pipelineconfig.h"
#include "pipeline/pixelbuffer.h"
#include "pipeline/schedule.h"

#include <QThreadPool>

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace pixelperf {

struct DecodedImage;
class OutputPlan;

class PipelineRun
{
public:
    // `fillDecodeCache` (decode-cache on): whether this run adds what it
    // decodes to the cache, or only reads it (RepeatedRun's measured runs).
    // `cancelFlag`, when given, is shared with the owner (a RepeatedRun):
    // raising it stops this run as cancel() would.
    explicit PipelineRun(PipelineConfig config, bool fillDecodeCache = true,
        std::shared_ptr<std::atomic<bool>> cancelFlag = {});
    ~PipelineRun();
    PipelineRun(const PipelineRun &) = delete;
    PipelineRun &operator=(const PipelineRun &) = delete;

    // What would stop this configuration from starting: a missing input
    // folder, an output folder that cannot be written, bad parameters.
    // Creates the output folder when missing. Empty when fine.
    static QString preflight(const PipelineConfig &config);
    // Where a processed image goes, relative paths mirrored under the output.
    static QString outputNameFor(const QString &fileName);

    // Runs to the end on the calling thread; once per object.
    RunResult run();
    // Workers stop after their current stage; what was done is kept.
    // Safe to call from any thread, and from a signal handler.
    void cancel() { m_cancel.store(true, std::memory_order_relaxed); }
    bool isCancelRequested() const { return m_cancel.load(std::memory_order_relaxed); }

    // run() moves the recorder's spans and images into its result. True (by
    // default): the recorder keeps a copy of those a reader may still ask
    // for (RunRecorder::takeSpans): those its follow() has not returned, or
    // all when nothing follows the run. False: no reader takes snapshots of
    // them after the run.
    void setLiveRecords(bool live) { m_liveRecords = live; }
    // The environment the result carries, with this run's start time
    // (environmentNow() as the run starts when none is given).
    void setEnvironment(const QJsonObject &environment) { m_environment = environment; }

    const PipelineConfig &config() const { return m_config; }
    std::shared_ptr<RunRecorder> recorder() const { return m_recorder; }

    static RunResult runBlocking(const PipelineConfig &config) { return PipelineRun(config).run(); }

private:
    QString scan();
    void processImages();
    RunResult collect(QString fatal, int64_t cacheHeld);
    void summarise(RunResult &result, int64_t cacheHeld) const;
    // One record per file, in file order; those never started marked so.
    std::vector<ImageRecord> inFileOrder(std::vector<ImageRecord> recorded) const;
    void workerLoop();
    // One stage of one image: the stage file's entry point, given the
    // schedule. An empty string, or why the image failed there.
    struct ImageWork;
    QString runStage(Stage stage, ImageRecord &rec, ImageWork &work);
    void processImage(int index);
    void planOutputs();

    const PipelineConfig m_config;
    const Schedule m_schedule; // resolved once from m_config
    std::shared_ptr<RunRecorder> m_recorder;
    const std::shared_ptr<std::atomic<bool>> m_cancelFlag;
    std::atomic<bool> &m_cancel; // *m_cancelFlag
    std::atomic<int> m_next { 0 }; // into m_order
    std::vector<int> m_order; // indices into m_files, in the order the workers take them
    QThreadPool m_workers;

    // Often the caller's listing, shared: read through at() and const
    // iterators only (a non-const [] would copy it, from every worker at once).
    QStringList m_files;
    std::shared_ptr<const OutputPlan> m_outputPlan; // planOutputs()'s
    QString m_outputDir; // absolute, as the outputs are spelt
    OutputFolders m_folders; // below m_outputDir, made as the first output goes in
    int m_listings = 0;
    bool m_liveRecords = true;
    QJsonObject m_environment;
    int64_t m_cpuStartNs = 0;

    // With `streaming` off: every image's buffers, held until the run ends.
    struct Retained {
        std::shared_ptr<const DecodedImage> decoded;
        std::shared_ptr<PixelBuffer> processed;
    };
    std::mutex m_retainedMutex;
    std::vector<Retained> m_retained;
};

} // namespace pixelperf
