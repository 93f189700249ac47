#include "pipeline/pipeline.h"

#include "measure/environment.h"
#include "pipeline/atomicfile.h"
#include "pipeline/decodecache.h"
#include "pipeline/outputplan.h"
#include "pipeline/pathsafety.h"
#include "pipeline/stages/blur.h"
#include "pipeline/stages/cancel.h"
#include "pipeline/stages/load.h"
#include "pipeline/stages/pointops.h"
#include "pipeline/stages/resize.h"
#include "pipeline/stages/save.h"
#include "pipeline/stages/scan.h"
#include "pipeline/stages/sharpen.h"
#include "pipeline/workorder.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QTemporaryFile>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cerrno>
#include <exception>
#include <new>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace pixelperf {

PipelineRun::PipelineRun(
    PipelineConfig config, bool fillDecodeCache, std::shared_ptr<std::atomic<bool>> cancelFlag)
    : m_config(std::move(config))
    , m_schedule(Schedule::of(m_config, fillDecodeCache))
    , m_recorder(std::make_shared<RunRecorder>(m_config.profile, m_config.sampleRateHz))
    , m_cancelFlag(cancelFlag ? std::move(cancelFlag) : std::make_shared<std::atomic<bool>>(false))
    , m_cancel(*m_cancelFlag)
{
    m_workers.setMaxThreadCount(m_schedule.workers);
    m_workers.setExpiryTimeout(-1);
}

PipelineRun::~PipelineRun() = default;

namespace {

// Why the run's input cannot be read: its folder, or, given its files, that
// there are none (a missing or unreadable file fails alone, at its load).
QString inputProblem(const PipelineConfig &config)
{
    if (!config.inputFiles.isEmpty())
        return {};
    const QFileInfo in(config.inputDir);
    if (config.inputDir.isEmpty())
        return QStringLiteral("no input folder given");
    if (!in.exists())
        return QStringLiteral("input folder %1 does not exist").arg(config.inputDir);
    if (!in.isDir())
        return QStringLiteral("input %1 is not a folder").arg(config.inputDir);
    if (!in.isReadable() || !in.isExecutable())
        return QStringLiteral("input folder %1 cannot be read (permission denied)").arg(config.inputDir);
    return {};
}

// Compared once the output folder exists, by device and inode: "in/x/..", a
// symlink or a bind mount of an input folder are all that folder. Given
// files, each one's folder is an input folder.
QString outputOnInputProblem(const PipelineConfig &config)
{
    if (config.inputFiles.isEmpty()) {
        if (sameFileOrFolder(config.outputDir, config.inputDir))
            return QStringLiteral("output folder %1 is the input folder; choose another so inputs "
                                  "are never overwritten")
                .arg(config.outputDir);
        return {};
    }
    for (const QString &file : config.inputFiles)
        if (sameFileOrFolder(config.outputDir, QFileInfo(file).absolutePath()))
            return QStringLiteral("output folder %1 is the folder of the input %2; choose another so "
                                  "inputs are never overwritten")
                .arg(config.outputDir, file);
    return {};
}

} // namespace

QString PipelineRun::preflight(const PipelineConfig &config)
{
    const QString paramError = config.params.validate();
    if (!paramError.isEmpty())
        return paramError;
    if (const QString error = inputProblem(config); !error.isEmpty())
        return error;
    if (config.outputDir.isEmpty())
        return QStringLiteral("no output folder given");
    const QFileInfo out(config.outputDir);
    if (out.exists() && !out.isDir())
        return QStringLiteral("output %1 exists and is not a folder").arg(config.outputDir);
    if (const QString error = makeFolder(config.outputDir, QStringLiteral("output folder")); !error.isEmpty())
        return error;
    if (const QString error = outputOnInputProblem(config); !error.isEmpty())
        return error;
    QTemporaryFile probe(
        QDir(out.absoluteFilePath()).filePath(QStringLiteral(".pixelperf-write-test-XXXXXX")));
    if (!probe.open())
        return QStringLiteral("output folder %1 is not writable: %2")
            .arg(config.outputDir, probe.errorString());
    return {};
}

namespace {

// JPEG, PNG and BMP are written in their own format; the formats we cannot
// write (GIF, WebP) are saved as PNG.
bool writtenInItsFormat(QStringView suffix)
{
    for (const char *kept : { "jpg", "jpeg", "png", "bmp" }) {
        if (suffix.compare(QLatin1String(kept), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QStringView suffixOf(QStringView path)
{
    const qsizetype dot = path.lastIndexOf(QLatin1Char('.'));
    return dot > path.lastIndexOf(QLatin1Char('/')) ? path.mid(dot + 1) : QStringView();
}

// A file name is at most 255 bytes (NAME_MAX, UTF-8 here). "processed_"
// and a number make a name longer than its input's: the name is cut to fit
// (fittedFileName), its suffix kept.
constexpr qsizetype MaxNameBytes = 255;

// Whether an input's output name may have to be cut (and so may meet
// another's): its name is long enough that it might not fit.
bool mayNeedCutting(const QString &path)
{
    const qsizetype nameLength = path.size() - path.lastIndexOf(QLatin1Char('/')) - 1;
    return (nameLength + 10) * 3 > MaxNameBytes;
}

} // namespace

QString PipelineRun::outputNameFor(const QString &fileName)
{
    const QFileInfo info(fileName);
    const QString tail
        = QLatin1Char('.') + (writtenInItsFormat(info.suffix()) ? info.suffix() : QStringLiteral("png"));
    return fittedFileName(QStringLiteral("processed_") + info.completeBaseName(), tail);
}

void PipelineRun::planOutputs()
{
    auto plan = std::make_shared<OutputPlan>(m_config);
    m_outputDir = QDir(QFileInfo(m_config.outputDir).absoluteFilePath()).absolutePath();
    m_folders.setRoot(m_outputDir);
    // The names are derived as each image is saved; only those that had to
    // be numbered are kept. A folder's images written in their own format
    // keep names as distinct as their paths: only one saved as PNG, or
    // given files (from several folders), can meet another's name. Without
    // them, 100,000 names need not be made (21 MiB at once) to find none.
    const bool mayMeet = !m_config.inputFiles.isEmpty()
        || std::any_of(m_files.cbegin(), m_files.cend(),
            [](const QString &file) { return !writtenInItsFormat(suffixOf(file)) || mayNeedCutting(file); });
    QSet<QString> taken;
    for (qsizetype i = 0; mayMeet && i < m_files.size(); ++i) {
        const QString first = plan->derivedPathFor(m_files.at(i));
        QString candidate = first;
        // Two inputs mapping to one name (a.gif and a.png): number the later,
        // each number on the first name (a-3, not a-2-3).
        const QFileInfo c(first);
        for (int n = 2; taken.contains(candidate); ++n)
            candidate = c.dir().filePath(
                fittedFileName(c.completeBaseName(), QStringLiteral("-%1.%2").arg(n).arg(c.suffix())));
        if (candidate != first)
            plan->rename(m_files.at(i), candidate);
        taken.insert(std::move(candidate));
    }
    m_outputPlan = std::move(plan);
}

RunResult PipelineRun::run()
{
    // What the decode cache holds now was decoded before this run (by its
    // warm-ups): memory held across runs, reported apart from the run's own.
    const int64_t cacheHeld = DecodeCache::instance().sizeBytes();
    // Before the clock starts: reading it is not the run's work. A plan of
    // repetitions gives its own, taken once as it started; the time in it
    // is made this run's own below.
    const bool sharedEnvironment = !m_environment.isEmpty();
    QJsonObject environment = sharedEnvironment ? m_environment : environmentNow();
    m_recorder->start(m_schedule.workers, cacheHeld);
    m_cpuStartNs = RunRecorder::processCpuNs();
    const QDateTime startedAt = QDateTime::currentDateTime();
    const QString fatal = scan();
    if (fatal.isEmpty())
        processImages();
    m_recorder->finish(m_cancel.load());
    {
        std::lock_guard<std::mutex> lock(m_retainedMutex);
        m_retained.clear(); // streaming off: only now is anything freed
    }
    // The pooled pixel buffers go back to the system before the result is
    // assembled: the process's peak is then its images' work, not that plus
    // the records and what assembling them allocates. After the
    // recorder's end, so the run's wall time does not include it.
    pixelaccounting::releaseFreeMemory();
    RunResult result = collect(fatal, cacheHeld);
    result.startedAt = startedAt;
    result.environment = sharedEnvironment ? environmentStartedAt(std::move(environment), startedAt)
                                           : std::move(environment);
    return result;
}

// The scan, as a span of its own on the controller's lane; the reason the
// run cannot go on, or nothing.
QString PipelineRun::scan()
{
    const QString problem = preflight(m_config);
    if (!problem.isEmpty())
        return problem;
    StageSpan span;
    span.setStage(Stage::Scan);
    const int64_t start = m_recorder->nowNs();
    const int64_t cpu0 = RunRecorder::threadCpuNs();
    const ScanResult scan = scanStage(m_config, m_schedule);
    span.setTimes(start, m_recorder->nowNs());
    span.setCpuNs(RunRecorder::threadCpuNs() - cpu0);
    m_recorder->addSpan(span);
    // After the span: comparing is not the scan's work (and when the lists
    // share their strings already, a pointer compare).
    m_files = scan.files == m_config.listedFiles ? m_config.listedFiles : scan.files;
    m_listings = scan.listings;
    return scan.error;
}

namespace {

bool stageEnabled(Stage stage, const PipelineParams &p)
{
    switch (stage) {
    case Stage::Blur:
        return p.blurEnabled && p.blurRadius > 0;
    case Stage::Sharpen:
        return p.sharpenEnabled;
    case Stage::Contrast:
        return p.contrastEnabled;
    case Stage::Brightness:
        return p.brightnessEnabled;
    default:
        return true;
    }
}

} // namespace

// Every image through the stages on the workers; returns when they are done.
void PipelineRun::processImages()
{
    planOutputs();
    m_recorder->setImagesTotal(int(m_files.size()));
    const auto enabled = std::count_if(imageStages().begin(), imageStages().end(),
        [this](Stage stage) { return stageEnabled(stage, m_config.params); });
    m_recorder->reserve(size_t(m_files.size()) * size_t(enabled), size_t(m_files.size()));
    prepareLoadStage(m_config.params, m_schedule);
    m_order = workOrder(m_files, m_schedule.workers);
    m_next.store(0);
    for (int i = 0; i < m_schedule.workers; ++i)
        (void)QtConcurrent::run(&m_workers, [this] { workerLoop(); });
    m_workers.waitForDone();
}

// The record of the run: every image (those never started marked so), the
// spans, memory and the summary.
RunResult PipelineRun::collect(QString fatal, int64_t cacheHeld)
{
    RunResult result;
    result.config = m_config;
    // The caller's listing was a hint for the scan, not part of the record:
    // a result kept after its folder changed holds no second list for it.
    // (Assigned, not clear()ed: clearing a shared list allocates an empty
    // one as large, 2.4 MiB at 100,000 files.)
    result.config.listedFiles = QStringList();
    result.processId = QCoreApplication::applicationPid();
    result.fatalError = std::move(fatal);
    result.files = m_files;
    // Moved, not copied: a reader following the run (the window) finds
    // what it has not read yet left in the recorder for it.
    result.spans = m_recorder->takeSpans(m_liveRecords);
    result.memory = m_recorder->memory();
    result.stages = computeStageStats(result.spans);
    result.images = inFileOrder(m_recorder->takeImages(m_liveRecords));
    summarise(result, cacheHeld);
    result.profile = m_recorder->cpuProfile(result.spans, !m_liveRecords);
    return result;
}

std::vector<ImageRecord> PipelineRun::inFileOrder(std::vector<ImageRecord> recorded) const
{
    // Sorted where they are: when every image was recorded (a run not
    // cancelled) they are the result, with no second vector of them.
    std::sort(recorded.begin(), recorded.end(),
        [](const ImageRecord &a, const ImageRecord &b) { return a.index < b.index; });
    bool whole = recorded.size() == size_t(m_files.size());
    for (size_t i = 0; whole && i < recorded.size(); ++i)
        whole = recorded[i].index == int(i);
    if (whole)
        return recorded;
    std::vector<ImageRecord> images(size_t(m_files.size()));
    for (int i = 0; i < m_files.size(); ++i) {
        images[size_t(i)].index = i;
        images[size_t(i)].path = m_files.at(i);
        images[size_t(i)].cancelled = true;
        images[size_t(i)].error = QStringLiteral("cancelled before it started");
    }
    for (ImageRecord &rec : recorded)
        images[size_t(rec.index)] = std::move(rec);
    return images;
}

void PipelineRun::summarise(RunResult &result, int64_t cacheHeld) const
{
    RunSummary &s = result.summary;
    s.imagesTotal = int(m_files.size());
    for (const ImageRecord &rec : result.images) {
        if (rec.ok)
            ++s.imagesOk;
        else if (rec.cancelled)
            ++s.imagesCancelled;
        else
            ++s.imagesFailed;
        s.bytesIn += rec.bytesIn;
        s.bytesOut += rec.bytesOut;
        if (rec.fromCache && !rec.cancelled)
            ++s.imagesFromCache;
    }
    s.decodeCacheBytes = cacheHeld;
    s.wallMs = double(m_recorder->elapsedNs()) / 1e6;
    s.cpuMs = double(RunRecorder::processCpuNs() - m_cpuStartNs) / 1e6;
    const int jobs = m_schedule.workers;
    s.workers = jobs;
    s.cpuUtilisation = s.wallMs > 0 ? s.cpuMs / (s.wallMs * jobs) : 0;
    s.imagesPerSecond = s.wallMs > 0 ? s.imagesOk / (s.wallMs / 1000.0) : 0;
    s.peakRssBytes = m_recorder->peakRssBytes();
    s.peakPixelBytes = m_recorder->peakPixelBytes();
    s.directoryListings = m_listings;
    s.cancelled = m_cancel.load();
}

namespace {

// How much lower than normal the workers of a run with backgroundWorkers are
// scheduled: nice 5 weighs a third of nice 0, enough for a waking GUI thread
// to preempt them, little enough that they keep their share of a busy machine.
constexpr int WorkerNice = 5;

// Lowers the calling thread's priority. The workers are the run's own pool,
// whose threads end with the run, so nothing needs restoring.
void lowerThreadPriority()
{
#ifdef Q_OS_LINUX
    const auto tid = id_t(syscall(SYS_gettid));
    errno = 0;
    const int current = getpriority(PRIO_PROCESS, tid);
    if (errno == 0)
        (void)setpriority(PRIO_PROCESS, tid, std::min(19, current + WorkerNice)); // best effort
#endif
}

// Runs `work` (returning an error, empty on success) and turns an exception
// into an error: a buffer that cannot be allocated under a memory limit
// (ulimit -v) fails one image with the reason, and its worker goes on. Left
// to escape, it would end the worker and leave its images unprocessed.
template <typename Work> QString errorOrException(Work &&work)
{
    try {
        return work();
    } catch (const std::bad_alloc &) {
        return QStringLiteral("out of memory: a buffer could not be allocated (a memory limit such as "
                              "ulimit -v, or images too large for this many workers)");
    } catch (const std::exception &e) {
        return QStringLiteral("internal error: %1").arg(QString::fromLocal8Bit(e.what()));
    } catch (...) {
        return QStringLiteral("internal error: an unknown exception");
    }
}

} // namespace

void PipelineRun::workerLoop()
{
    const StageCancelScope cancelScope(&m_cancel); // the slow kernels poll it per row
    if (m_config.backgroundWorkers)
        lowerThreadPriority();
    for (;;) {
        if (m_cancel.load(std::memory_order_relaxed))
            return;
        const int next = m_next.fetch_add(1);
        if (next >= int(m_order.size()))
            return;
        const int index = m_order[size_t(next)];
        // processImage catches what its stages throw; what is left (keeping
        // or recording the result) still ends as a failed image, not a
        // worker gone.
        const QString error = errorOrException([&] {
            processImage(index);
            return QString();
        });
        if (!error.isEmpty()) {
            ImageRecord rec;
            rec.index = index;
            rec.path = m_files.at(index);
            rec.error = error;
            (void)errorOrException([&] {
                m_recorder->addImage(std::move(rec));
                return QString();
            });
        }
    }
}

// Per-image state passed from stage to stage.
struct PipelineRun::ImageWork {
    std::shared_ptr<const DecodedImage> decoded;
    PixelBuffer pixels; // the working image once resized
};

QString PipelineRun::runStage(Stage stage, ImageRecord &rec, ImageWork &work)
{
    const PipelineParams &p = m_config.params;
    const Schedule &schedule = m_schedule;
    switch (stage) {
    case Stage::Load: {
        LoadResult r = loadStage(rec.path, p, schedule);
        if (!r.error.isEmpty())
            return r.error;
        rec.bytesIn = r.bytesRead;
        rec.fromCache = r.fromCache;
        rec.sourceWidth = r.image->sourceWidth;
        rec.sourceHeight = r.image->sourceHeight;
        rec.scaleDenominator = r.image->scaleDenominator;
        work.decoded = std::move(r.image);
        return {};
    }
    case Stage::Resize:
        work.pixels = resizeStage(work.decoded->pixels, p, schedule);
        // Streaming: the full-size decode is not needed any more.
        if (schedule.streaming)
            work.decoded.reset();
        rec.width = work.pixels.width();
        rec.height = work.pixels.height();
        return {};
    case Stage::Blur:
        work.pixels = blurStage(work.pixels, p, schedule);
        return {};
    case Stage::Sharpen:
        work.pixels = sharpenStage(work.pixels, p, schedule);
        return {};
    case Stage::Contrast:
        work.pixels = contrastStage(work.pixels, p, schedule);
        return {};
    case Stage::Brightness:
        work.pixels = brightnessStage(work.pixels, p, schedule);
        return {};
    case Stage::Convert:
        work.pixels = convertStage(work.pixels, p, schedule);
        return {};
    case Stage::Save: {
        const QString out = m_outputPlan->pathFor(rec.path);
        const QString dir = QFileInfo(out).absolutePath();
        // A subfolder of a recursive run that already exists in the output
        // folder as a link elsewhere (into the inputs, say) is not followed,
        // nor is anything created through it: checked the first time an
        // image goes into it.
        if (const QString error = m_folders.make(dir); !error.isEmpty())
            return error;
        SaveResult r = saveStage(work.pixels, out, schedule);
        // Its folder deleted since it was made (by the user, mid-run): made
        // and checked again, as the first time, and the image saved there.
        if (!r.error.isEmpty() && !QFileInfo::exists(dir)) {
            m_folders.forgetAll();
            if (const QString error = m_folders.make(m_outputDir); !error.isEmpty())
                return error;
            if (const QString error = m_folders.make(dir); !error.isEmpty())
                return error;
            r = saveStage(work.pixels, out, schedule);
        }
        if (!r.error.isEmpty())
            return r.error;
        rec.setOutput(m_outputPlan);
        rec.bytesOut = r.bytesWritten;
        return {};
    }
    case Stage::Scan:
        break;
    }
    return {};
}

void PipelineRun::processImage(int index)
{
    const PipelineParams &p = m_config.params;
    const bool profile = m_config.profile;

    ImageRecord rec;
    rec.index = index;
    rec.path = m_files.at(index);
    ImageWork work;
    const int worker = m_recorder->workerId();

    for (Stage stage : imageStages()) {
        if (m_cancel.load(std::memory_order_relaxed)) {
            rec.cancelled = true;
            rec.error = QStringLiteral("cancelled before %1").arg(QLatin1String(stageName(stage)));
            break;
        }
        if (!stageEnabled(stage, p))
            continue;
        StageCounters counters;
        QString error;
        if (profile) {
            StageSpan span;
            span.setImage(index);
            span.setStage(stage);
            span.setWorker(worker);
            const int64_t start = m_recorder->nowNs();
            const int64_t cpu0 = RunRecorder::threadCpuNs();
            {
                pixelaccounting::StageScope scope(&counters);
                error = errorOrException([&] { return runStage(stage, rec, work); });
            }
            span.setTimes(start, m_recorder->nowNs());
            span.setCpuNs(RunRecorder::threadCpuNs() - cpu0);
            span.setBytesAllocated(counters.bytesAllocated);
            span.setCopies(counters.copies);
            m_recorder->addSpan(span);
            rec.setStageNs(stage, span.durationNs());
        } else {
            error = errorOrException([&] { return runStage(stage, rec, work); });
        }
        if (!error.isEmpty()) {
            // A cancel inside a long decode ends it with an error: a cancel.
            rec.cancelled = m_cancel.load(std::memory_order_relaxed);
            rec.error = rec.cancelled
                ? QStringLiteral("cancelled during %1").arg(QLatin1String(stageName(stage)))
                : QStringLiteral("%1: %2").arg(QLatin1String(stageName(stage)), error);
            break;
        }
    }
    rec.ok = rec.error.isEmpty();

    if (!m_schedule.streaming) {
        // `streaming` off: this image's decoded and processed buffers stay
        // alive until the whole run ends; memory grows with the folder.
        std::lock_guard<std::mutex> lock(m_retainedMutex);
        m_retained.push_back(
            { std::move(work.decoded), std::make_shared<PixelBuffer>(std::move(work.pixels)) });
    }
    m_recorder->addImage(std::move(rec));
}

} // namespace pixelperf
