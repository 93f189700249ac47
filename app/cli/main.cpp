// pixelperf-cli: the headless front on the core (PRODUCT.md section 7).
#include "cliparser.h"
#include "historycommands.h"

#include "reports/units.h"

#include "measure/ablation.h"
#include "measure/environment.h"
#include "measure/isolatedrun.h"
#include "measure/runcomparison.h"
#include "pipeline/allocator.h"
#include "pipeline/pathsafety.h"
#include "pipeline/pipeline.h"
#include "pipeline/repeatedrun.h"
#include "reports/reportexport.h"
#include "reports/reportformats.h"
#include "reports/reportreader.h"
#include "reports/reportwriter.h"
#include "samples/sampledownloader.h"
#include "samples/samplegenerator.h"
#include "samples/samplemanifest.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QSet>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <poll.h>
#include <unistd.h>

using namespace pixelperf;

namespace {

std::atomic<RepeatedRun *> g_activeRun { nullptr };
volatile std::sig_atomic_t g_interrupted = 0;
std::atomic<bool> g_stop { false }; // the same, for code that polls an atomic (the ablation's child)

extern "C" void onSignal(int signal)
{
    if (g_interrupted) {
        // A second Ctrl+C (or SIGTERM): the person does not want to wait for
        // the current images to stop; only completed outputs are under their
        // names, temporary files may be left. write and _exit are
        // async-signal-safe.
        static const char message[] = "\npixelperf-cli: second interrupt, exiting at once\n";
        (void)!write(STDERR_FILENO, message, sizeof message - 1);
        killIsolatedChild(); // a repetition's process, outside the terminal's group
        _exit(128 + signal);
    }
    g_interrupted = 1;
    g_stop.store(true); // lock-free: async-signal-safe
    if (RepeatedRun *runs = g_activeRun.load())
        runs->cancel(); // an atomic store: async-signal-safe
}

void err(const QString &text)
{
    std::fprintf(stderr, "%s\n", text.toLocal8Bit().constData());
}

void out(const QString &text)
{
    std::fprintf(stdout, "%s\n", text.toLocal8Bit().constData());
}

int usageError(const QString &message)
{
    err(QStringLiteral("pixelperf-cli: %1").arg(message));
    err(QStringLiteral("Try 'pixelperf-cli --help'."));
    return 2;
}

QString pad(const QString &s, int width, bool right = false)
{
    return right ? s.rightJustified(width) : s.leftJustified(width);
}

void printSummary(const RunResult &r)
{
    out(QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8")
            .arg(pad(QStringLiteral("stage"), 11), pad(QStringLiteral("count"), 6, true),
                pad(QStringLiteral("total ms"), 10, true), pad(QStringLiteral("mean ms"), 9, true),
                pad(QStringLiteral("median"), 9, true), pad(QStringLiteral("p95"), 9, true),
                pad(QStringLiteral("alloc MiB"), 10, true), pad(QStringLiteral("copies"), 7, true)));
    for (const StageStats &st : r.stages) {
        out(QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8")
                .arg(pad(QLatin1String(stageName(st.stage)), 11), pad(QString::number(st.count), 6, true),
                    pad(QString::number(st.totalMs, 'f', 1), 10, true),
                    pad(QString::number(st.meanMs, 'f', 2), 9, true),
                    pad(QString::number(st.medianMs, 'f', 2), 9, true),
                    pad(QString::number(st.p95Ms, 'f', 2), 9, true),
                    pad(QString::number(double(st.pixelBytesAllocated) / 1048576.0, 'f', 1), 10, true),
                    pad(QString::number(st.copies), 7, true)));
    }
    const RunSummary &s = r.summary;
    const QString notProcessed = s.imagesCancelled > 0 && !s.cancelled
        ? QStringLiteral(", %1 not processed").arg(s.imagesCancelled)
        : QString();
    out(QStringLiteral("preset %1, %2 worker(s): %3 of %4 images ok, %5 failed%6%7")
            .arg(presetNameFor(r.config.toggles))
            .arg(s.workers)
            .arg(s.imagesOk)
            .arg(s.imagesTotal)
            .arg(s.imagesFailed)
            .arg(notProcessed, s.cancelled ? QStringLiteral(", cancelled") : QString()));
    out(QStringLiteral("wall %1 s, CPU %2 s (%3% of %4 workers), %5 images/s, peak RSS %6, "
                       "peak pixel buffers %7, in %8, out %9")
            .arg(s.wallMs / 1000.0, 0, 'f', 2)
            .arg(s.cpuMs / 1000.0, 0, 'f', 2)
            .arg(s.cpuUtilisation * 100.0, 0, 'f', 0)
            .arg(s.workers)
            .arg(s.imagesPerSecond, 0, 'f', 2)
            .arg(mibText(double(s.peakRssBytes)), mibText(double(s.peakPixelBytes)),
                mibText(double(s.bytesIn)), mibText(double(s.bytesOut))));
    if (const QString cache = decodeCacheNote(r); !cache.isEmpty())
        out(cache);
}

// Each requested export (an empty path: not requested), built only when
// asked for and written atomically. One that cannot be written (a disk that
// filled during the run) is named on stderr and the others are still
// written; false when any failed.
using ExportWriter = std::function<bool(const QString &path, QString *error)>;
using Export = std::pair<QString, ExportWriter>;
bool writeExports(const std::vector<Export> &exports, bool announce)
{
    bool all = true;
    for (const auto &[path, write] : exports) {
        if (path.isEmpty())
            continue;
        QString error;
        if (!write(path, &error)) {
            err(QStringLiteral("pixelperf-cli: %1").arg(error));
            all = false;
            continue;
        }
        if (announce)
            out(QStringLiteral("written: %1").arg(path));
    }
    return all;
}

// An export made whole in memory first (of bounded size: a comparison, an
// ablation).
ExportWriter bytesOf(std::function<QByteArray()> bytes)
{
    return [bytes = std::move(bytes)](
               const QString &path, QString *error) { return writeReportFile(path, bytes(), error); };
}

// A run's report in `format`, streamed to its file.
ExportWriter runExport(ReportFormat format, const RunResult &run, const std::vector<RunResult> &repeats)
{
    return [format, &run, &repeats](const QString &path, QString *error) {
        return writeRunReport(path, format, run, repeats, error);
    };
}

// The warm-ups and repetitions, with a live progress line per run on stderr
// when it is a terminal.
RepeatedRunResult runRepeated(const PipelineConfig &config, RepetitionPlan plan, bool progress)
{
    RepeatedRun runs(config, plan);
    g_activeRun.store(&runs);
    if (g_interrupted)
        runs.cancel();
    QFutureWatcher<void> watcher;
    QEventLoop loop;
    QObject::connect(&watcher, &QFutureWatcher<void>::finished, &loop, &QEventLoop::quit);
    QTimer ticker;
    std::shared_ptr<RunRecorder> recorder;
    RepetitionProgress shown;
    SnapshotCursor cursor;
    auto print = [&] {
        const ProfileSnapshot snap = recorder->snapshot(&cursor);
        if (snap.elapsedNs <= 0)
            return; // made, not started yet
        const double secs = double(snap.elapsedNs) / 1e9;
        const QString label = shown.totalRuns == 1
            ? QStringLiteral("pixelperf")
            : QStringLiteral("[%1 %2/%3]")
                  .arg(shown.warmup ? QStringLiteral("warm-up") : QStringLiteral("run"))
                  .arg(shown.number)
                  .arg(shown.of);
        std::fprintf(stderr, "\r%s %d/%d images, %d failed, %.1f s, %.1f images/s, RSS %s   ",
            label.toLocal8Bit().constData(), snap.imagesDone, snap.imagesTotal, snap.imagesFailed, secs,
            secs > 0 ? snap.imagesDone / secs : 0.0,
            mibText(double(snap.rssBytes)).toLocal8Bit().constData());
        std::fflush(stderr);
    };
    // One line per run: the finished run's last figures, then a new line.
    auto tick = [&] {
        RepetitionProgress now;
        std::shared_ptr<RunRecorder> current = runs.currentRecorder(&now);
        if (recorder && now.run != shown.run) {
            print();
            std::fprintf(stderr, "\n");
        }
        if (now.run != shown.run) {
            recorder = std::move(current);
            shown = now;
            cursor = {};
        }
        if (recorder)
            print();
    };
    if (progress) {
        QObject::connect(&ticker, &QTimer::timeout, &loop, tick);
        ticker.start(200);
    }
    watcher.setFuture(runs.start());
    if (!watcher.isFinished())
        loop.exec();
    runs.wait();
    g_activeRun.store(nullptr);
    if (progress) {
        tick();
        if (recorder)
            std::fprintf(stderr, "\n");
    }
    return runs.takeResult(); // the records move: a copy would hold them twice
}

// `--repeat N` (N > 1): each repetition a child process of its own, as
// pyperf runs its worker processes. Repetitions in one process share its
// memory layout, its threads' placement and its allocator's state, and two
// processes differ in them by a few per cent: samples from one process are
// not independent of that, and a comparison of two runs would find
// differences between processes, not configurations. Warm-ups run in each
// child before its measured pass.
RepeatedRunResult runRepeatedIsolated(const CliOptions &o, bool progress)
{
    RepeatedRunResult result;
    const QString self = QCoreApplication::applicationFilePath();
    for (int k = 1; k <= o.repeat; ++k) {
        if (g_interrupted) {
            result.cancelled = true;
            break;
        }
        if (progress) {
            std::fprintf(stderr, "\r\033[K[run %d/%d in a fresh process] ...", k, o.repeat);
            std::fflush(stderr);
        }
        IsolatedRun r = runIsolated(o.config, o.warmup, self, &g_stop);
        if (!r.error.isEmpty()) {
            result.fatalError = r.error;
            break;
        }
        result.warmupsDone += r.cancelled ? 0 : o.warmup;
        // Cancelled: what the child reported, when it got as far as a report.
        const bool hasRun = !r.cancelled || !r.run.files.isEmpty();
        if (hasRun) {
            r.run.summary.cancelled = r.run.summary.cancelled || r.cancelled;
            if (progress) {
                const RunSummary &s = r.run.summary;
                std::fprintf(stderr,
                    "\r\033[K[run %d/%d in a fresh process] %d/%d images, %.2f s, %.1f images/s, "
                    "peak RSS %s\n",
                    k, o.repeat, s.imagesOk + s.imagesFailed, s.imagesTotal, s.wallMs / 1000.0,
                    s.imagesPerSecond, mibText(double(s.peakRssBytes)).toLocal8Bit().constData());
            }
            result.runs.push_back(std::move(r.run));
        }
        if (r.cancelled || (hasRun && result.runs.back().summary.cancelled)) {
            result.cancelled = true;
            break;
        }
    }
    if (progress)
        std::fprintf(stderr, "\r\033[K");
    return result;
}

// Preflight of the run and of every export path asked for, so that a report
// that could not be written, or would land on an input, stops the run before
// any work rather than after it.
QString runProblem(const CliOptions &o, const QStringList &exports)
{
    const QString problem = PipelineRun::preflight(o.config);
    if (!problem.isEmpty())
        return problem;
    for (const QString &path : exports) {
        if (!path.isEmpty()) {
            const QString exportProblem = exportPathProblem(path, o.config);
            if (!exportProblem.isEmpty())
                return exportProblem;
        }
    }
    return {};
}

int commandRun(const CliOptions &o)
{
    const QString problem = runProblem(
        o, { o.reportPath, o.csvPath, o.tracePath, o.htmlPath, o.mdPath, o.stacksPath, o.speedscopePath });
    if (!problem.isEmpty()) {
        err(QStringLiteral("pixelperf-cli: %1").arg(problem));
        return 2;
    }
    const bool progress = !o.quiet && isatty(STDERR_FILENO);
    const RepeatedRunResult result = o.repeat > 1 && !o.sameProcess
        ? runRepeatedIsolated(o, progress)
        : runRepeated(o.config, RepetitionPlan { o.warmup, o.repeat, false }, progress);
    if (!result.ok()) {
        err(QStringLiteral("pixelperf-cli: %1").arg(result.fatalError));
        return 2;
    }
    if (!result.last()) {
        err(QStringLiteral("pixelperf-cli: cancelled before the first run had done anything"));
        return 1;
    }
    // Cancelled: the cancelled run is the last one, a warm-up included.
    const std::vector<RunResult> &measured = result.runs;
    const RunResult &last = *result.last();
    if (last.files.isEmpty())
        err(QStringLiteral("pixelperf-cli: no images (.jpg .jpeg .png .bmp .gif .webp) in %1")
                .arg(o.config.inputDir));
    // Outside a cancel, an image that was not processed is named like a
    // failed one: none is skipped in silence.
    for (const ImageRecord &rec : last.images) {
        if (!rec.ok && (!rec.cancelled || !last.summary.cancelled))
            err(QStringLiteral("pixelperf-cli: %1: %2").arg(rec.path, rec.error));
    }
    // Cancelled between two repetitions, the last run is whole: the cancel
    // is the plan's.
    const bool cancelled = result.cancelled || last.summary.cancelled;
    if (cancelled && o.repeat > 1) {
        const auto whole = std::count_if(
            measured.begin(), measured.end(), [](const RunResult &r) { return !r.summary.cancelled; });
        err(QStringLiteral("pixelperf-cli: cancelled; %1 of %2 repetitions done%3, no partial outputs left")
                .arg(whole)
                .arg(o.repeat)
                .arg(last.summary.cancelled ? QStringLiteral(", the last stopped after %1 of %2 images")
                                                  .arg(last.summary.imagesOk)
                                                  .arg(last.summary.imagesTotal)
                                            : QString()));
    } else if (cancelled) {
        err(QStringLiteral("pixelperf-cli: cancelled; %1 of %2 images processed, no partial outputs left")
                .arg(last.summary.imagesOk)
                .arg(last.summary.imagesTotal));
    }
    if (!o.quiet)
        printSummary(last);
    const std::shared_ptr<const CpuProfile> stacks = measuredProfile(last, measured);
    if (stacks && (!o.quiet || !stacks->sampled()))
        (stacks->sampled() ? out : err)(QStringLiteral("call stacks: %1").arg(profileSummaryText(*stacks)));
    const bool written = writeExports(
        {
            { o.reportPath, runExport(ReportFormat::Json, last, measured) },
            { o.csvPath, runExport(ReportFormat::Csv, last, measured) },
            { o.tracePath, runExport(ReportFormat::Trace, last, measured) },
            { o.htmlPath, runExport(ReportFormat::Html, last, measured) },
            { o.mdPath, runExport(ReportFormat::Markdown, last, measured) },
            { o.stacksPath, runExport(ReportFormat::Stacks, last, measured) },
            { o.speedscopePath, runExport(ReportFormat::Speedscope, last, measured) },
        },
        !o.quiet);
    storeRunInHistory(o, last, measured);
    if (!written)
        return 2;
    return (last.summary.imagesOk < last.summary.imagesTotal || cancelled) ? 1 : 0;
}

int commandCompare(const CliOptions &o)
{
    HistorySource sourceA, sourceB;
    const LoadedReport a = loadComparedSide(o, 0, &sourceA);
    if (!a.error.isEmpty()) {
        err(QStringLiteral("pixelperf-cli: %1").arg(a.error));
        return 2;
    }
    const LoadedReport b = loadComparedSide(o, 1, &sourceB);
    if (!b.error.isEmpty()) {
        err(QStringLiteral("pixelperf-cli: %1").arg(b.error));
        return 2;
    }
    const auto [labelA, labelB] = comparedLabels(o);
    const RunComparison c = compareRuns(a.run, a.repeats, b.run, b.repeats, labelA, labelB);
    const QString md = comparisonMarkdown(c);
    std::fputs(md.toLocal8Bit().constData(), stdout);
    if (!writeExports({ { o.mdPath, bytesOf([&] { return md.toUtf8(); }) },
                          { o.htmlPath, bytesOf([&] { return comparisonHtml(c); }) } },
            false))
        return 2;
    storeComparisonInHistory(o, c, sourceA, sourceB);
    return regressionGate(o, c, a, b);
}

int commandAblate(const CliOptions &o)
{
    const QString problem = runProblem(o, { o.reportPath, o.htmlPath, o.mdPath });
    if (!problem.isEmpty()) {
        err(QStringLiteral("pixelperf-cli: %1").arg(problem));
        return 2;
    }
    const bool progress = !o.quiet && isatty(STDERR_FILENO);
    IsolationPlan plan;
    plan.rounds = o.repeat == 1 && !o.repeatGiven ? 3 : o.repeat;
    plan.order = o.ablationOrder == CliOptions::AblationOrderReverse ? RunOrder::Reverse
        : o.ablationOrder == CliOptions::AblationOrderShuffle        ? RunOrder::Shuffle
                                                                     : RunOrder::Forward;
    plan.seed = o.seed;
    plan.warmups = o.warmup;
    const AblationResult r = runAblation(
        o.config, plan,
        [&](int done, int total, const QString &label) {
            if (progress) {
                std::fprintf(stderr, "\r\033[K[%d/%d] %s", done + 1, total, label.toLocal8Bit().constData());
                std::fflush(stderr);
            }
            return !g_interrupted;
        },
        &g_stop,
        [self = QCoreApplication::applicationFilePath()](const PipelineConfig &c, int warmups) {
            return runIsolated(c, warmups, self, &g_stop); // this very program, not another on PATH
        });
    if (progress)
        std::fprintf(stderr, "\n");
    if (!r.error.isEmpty()) {
        err(QStringLiteral("pixelperf-cli: %1").arg(r.error));
        return 2;
    }
    if (r.cancelled && r.entries.empty()) {
        err(QStringLiteral("pixelperf-cli: ablation cancelled after %1 of %2 runs")
                .arg(r.runsDone)
                .arg(r.runsPlanned));
        return 1;
    }
    if (r.cancelled)
        err(QStringLiteral("pixelperf-cli: ablation cancelled after %1 of %2 runs; what was measured follows")
                .arg(r.runsDone)
                .arg(r.runsPlanned));
    const QByteArray md = ablationMarkdown(r);
    if (!o.quiet)
        std::fputs(md.constData(), stdout);
    storeAblationInHistory(o, r);
    if (!writeExports({ { o.reportPath, bytesOf([&] { return ablationReport(ReportFormat::Json, r); }) },
                          { o.mdPath, bytesOf([&] { return md; }) },
                          { o.htmlPath, bytesOf([&] { return ablationReport(ReportFormat::Html, r); }) } },
            false))
        return 2;
    return r.cancelled ? 1 : 0;
}

int commandToggles()
{
    out(QStringLiteral("%1 %2 %3 %4")
            .arg(pad(QStringLiteral("id"), 17), pad(QStringLiteral("stage"), 9),
                pad(QStringLiteral("output"), 8), QStringLiteral("on (optimized) / off (the inefficiency)")));
    for (const ToggleInfo &t : toggleTable()) {
        out(QStringLiteral("%1 %2 %3 on:  %4")
                .arg(pad(QLatin1String(t.key), 17), pad(QLatin1String(t.stage), 9),
                    pad(t.changesOutput ? QStringLiteral("changes") : QStringLiteral("same"), 8),
                    QString::fromUtf8(t.onText)));
        out(QStringLiteral("%1 off: %2")
                .arg(QString(17 + 1 + 9 + 1 + 8 + 1, QLatin1Char(' ')), QString::fromUtf8(t.offText)));
    }
    out(QString());
    for (const QString &preset : presetNames()) {
        QStringList on;
        for (const ToggleInfo &t : toggleTable())
            if (presetToggles(preset)->isOn(t.id))
                on << QLatin1String(t.key);
        out(QStringLiteral("preset %1: %2")
                .arg(pad(preset, 15),
                    on.isEmpty() ? QStringLiteral("(all off)") : on.join(QStringLiteral(", "))));
    }
    return 0;
}

int commandGenerate(const CliOptions &o)
{
    const bool progress = isatty(STDERR_FILENO);
    const GenerateResult r = generateSamples(o.dir, o.count, o.width, o.height, o.seed, [&](int done) {
        if (progress) {
            std::fprintf(stderr, "\rgenerating %d/%d", done, o.count);
            std::fflush(stderr);
        }
        return !g_interrupted;
    });
    if (progress)
        std::fprintf(stderr, "\n");
    if (!r.error.isEmpty()) {
        err(QStringLiteral("pixelperf-cli: %1").arg(r.error));
        return 2;
    }
    out(QStringLiteral("wrote %1 images of %2x%3 to %4")
            .arg(r.written.size())
            .arg(o.width)
            .arg(o.height)
            .arg(o.dir));
    return g_interrupted ? 1 : 0;
}

QString kib(qint64 bytes)
{
    return bytes >= 1024 * 1024 ? mibText(double(bytes))
                                : QStringLiteral("%1 KiB").arg((bytes + 1023) / 1024);
}

// Downloads a sample manifest's photos: one line per file on stderr as each
// ends (and a live line when stderr is a terminal), failures named with their
// reason at the end, a summary on stdout.
// Reads the manifest (a URL or a file), acting on Ctrl+C; the exit code
// when it cannot be used (1 cancelled, 2 unusable), else 0 with *manifest.
int loadManifest(const CliOptions &o, QTimer &interruptPoll, ManifestResult *manifest)
{
    QEventLoop loop;
    SampleManifestLoader loader;
    loader.setAllowPlainHttp(o.allowPlainHttp);
    loader.setTimeoutMs(o.timeoutSeconds * 1000);
    QObject::connect(&loader, &SampleManifestLoader::finished, &loop, [&](const ManifestResult &r) {
        *manifest = r;
        loop.quit();
    });
    QObject::connect(&interruptPoll, &QTimer::timeout, &loop, [&] {
        if (g_interrupted) {
            loader.abort();
            loop.quit();
        }
    });
    loader.load(o.manifest);
    loop.exec();
    if (g_interrupted) {
        err(QStringLiteral("pixelperf-cli: cancelled while reading the manifest"));
        return 1;
    }
    if (!manifest->ok()) {
        err(QStringLiteral("pixelperf-cli: %1").arg(manifest->error));
        return 2;
    }
    for (const QString &skipped : std::as_const(manifest->skipped))
        err(QStringLiteral("pixelperf-cli: %1: %2 (skipped)").arg(manifest->manifest.location, skipped));
    return 0;
}

// "[3/12] done     name (412.0 KiB; credit)", and the other final states.
QString downloadLine(const SampleFileStatus &f, const QString &counter)
{
    switch (f.state) {
    case SampleState::Done: {
        const QString credit = f.entry.credit();
        return QStringLiteral("%1 done     %2 (%3%4)")
            .arg(counter, f.fileName, kib(f.received),
                credit.isEmpty() ? QString() : QStringLiteral("; ") + credit);
    }
    case SampleState::Skipped:
        return QStringLiteral("%1 skipped  %2: %3").arg(counter, f.fileName, f.error);
    case SampleState::Failed:
        return QStringLiteral("%1 FAILED   %2: %3").arg(counter, f.fileName, f.error);
    default:
        return QStringLiteral("%1 cancelled %2").arg(counter, f.fileName);
    }
}

// Each file's final state as a line on stderr, and the live progress line
// when stderr is a terminal; Ctrl+C cancels.
void reportDownloads(SampleDownloader &downloader, QEventLoop &loop, QTimer &interruptPoll, bool live)
{
    auto reported = std::make_shared<QSet<int>>();
    QObject::connect(
        &downloader, &SampleDownloader::fileChanged, &loop, [&downloader, reported, live](int index) {
            const SampleFileStatus f = downloader.file(index);
            if (!isFinal(f.state) || reported->contains(index))
                return;
            reported->insert(index);
            if (live)
                std::fprintf(stderr, "\r\033[K");
            err(downloadLine(f, QStringLiteral("[%1/%2]").arg(reported->size()).arg(downloader.count())));
        });
    if (live) {
        QObject::connect(&downloader, &SampleDownloader::overallProgress, &loop,
            [](int finishedFiles, int totalFiles, qint64 received, qint64) {
                std::fprintf(stderr, "\rdownloading: %d/%d files, %s received   ", finishedFiles, totalFiles,
                    kib(received).toLocal8Bit().constData());
                std::fflush(stderr);
            });
    }
    QObject::connect(&downloader, &SampleDownloader::finished, &loop, &QEventLoop::quit);
    QObject::connect(&interruptPoll, &QTimer::timeout, &loop, [&downloader] {
        if (g_interrupted && downloader.isRunning())
            downloader.cancel();
    });
}

int commandDownload(const CliOptions &o)
{
    const bool live = isatty(STDERR_FILENO);
    QTimer interruptPoll; // the signal handler only sets a flag; act on it here
    interruptPoll.start(100);
    ManifestResult manifest;
    if (const int rc = loadManifest(o, interruptPoll, &manifest))
        return rc;
    QList<SampleEntry> entries = manifest.manifest.entries;
    if (o.downloadCount > 0 && o.downloadCount < entries.size())
        entries = entries.mid(0, o.downloadCount);

    QEventLoop loop;
    SampleDownloader downloader;
    SampleDownloadOptions options;
    options.destDir = o.destDir;
    options.allowPlainHttp = o.allowPlainHttp;
    options.stallTimeoutMs = o.timeoutSeconds * 1000;
    downloader.setOptions(options);
    reportDownloads(downloader, loop, interruptPoll, live);

    const QString location = manifest.manifest.location == defaultManifestLocation()
        ? QStringLiteral("the built-in list")
        : manifest.manifest.location;
    out(QStringLiteral("downloading %1 of the %2 images of %3 into %4")
            .arg(entries.size())
            .arg(manifest.manifest.entries.size())
            .arg(location, o.destDir));
    std::fflush(stdout); // before the per-file lines on stderr
    QString error;
    if (!downloader.start(entries, &error)) {
        err(QStringLiteral("pixelperf-cli: %1").arg(error));
        return 2;
    }
    loop.exec();
    if (live)
        std::fprintf(stderr, "\r\033[K");

    const SampleDownloadSummary s = downloader.summary();
    for (const SampleFileStatus &f : downloader.files())
        if (f.state == SampleState::Failed)
            err(QStringLiteral("pixelperf-cli: %1 (%2): %3")
                    .arg(f.fileName, f.entry.url.toDisplayString(), f.error));
    out(QStringLiteral(
        "%1 images in %2: %3 downloaded, %4 already there (kept, never overwritten), %5 failed%6")
            .arg(s.total)
            .arg(o.destDir)
            .arg(s.done)
            .arg(s.skipped)
            .arg(s.failed)
            .arg(s.cancelled > 0 ? QStringLiteral(", %1 cancelled").arg(s.cancelled) : QString()));
    if (s.done + s.skipped == 0 && s.failed > 0)
        err(QStringLiteral(
            "pixelperf-cli: no network? 'pixelperf-cli generate DIR' makes photo-like samples offline"));
    return s.allArrived() && manifest.skipped.isEmpty() ? 0 : 1;
}

int runCommand(const CliOptions &o)
{
    switch (o.command) {
    case CliOptions::Command::Help:
        std::fputs(cliUsage().toLocal8Bit().constData(), stdout);
        return 0;
    case CliOptions::Command::Version:
        out(QStringLiteral("pixelperf-cli %1%2 (Qt %3)")
                .arg(appVersion(),
                    gitRevision().isEmpty() ? QString() : QStringLiteral(" rev ") + gitRevision(),
                    QString::fromLatin1(qVersion())));
        return 0;
    case CliOptions::Command::Toggles:
        return commandToggles();
    case CliOptions::Command::Generate:
        return commandGenerate(o);
    case CliOptions::Command::Download:
        return commandDownload(o);
    case CliOptions::Command::Run:
        return commandRun(o);
    case CliOptions::Command::Compare:
        return commandCompare(o);
    case CliOptions::Command::Ablate:
        return commandAblate(o);
    case CliOptions::Command::History:
        return commandHistory(o);
    }
    return 2;
}

// Everything printed reached standard output: a full disk (/dev/full) is an
// error and said so; a reader that left (EPIPE: `| head -1`) is not a
// failure of the run and is not reported.
bool stdoutWritten()
{
    errno = 0;
    const bool flushed = std::fflush(stdout) == 0;
    if (flushed && !std::ferror(stdout))
        return true;
    // The error may have come with an earlier write, its errno since lost: a
    // pipe whose reader has gone polls as an error on its writing end.
    pollfd fd { STDOUT_FILENO, POLLOUT, 0 };
    const bool readerGone = errno == EPIPE || (flushed && poll(&fd, 1, 0) == 1 && (fd.revents & POLLERR));
    if (readerGone)
        return true;
    std::fprintf(stderr, "pixelperf-cli: cannot write to standard output: %s\n",
        errno ? std::strerror(errno) : "write error");
    return false;
}

} // namespace

int main(int argc, char **argv)
{
    keepFreedMemoryDuringRuns();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("pixelperf-cli"));
    QCoreApplication::setApplicationVersion(appVersion());
    // Under a file-size limit (ulimit -f) a save then fails with "File too
    // large", reported for that image, instead of the signal killing the run.
    std::signal(SIGXFSZ, SIG_IGN);
    // `run ... | head -1`: the reader leaving must not kill the run before
    // its report is written; writes to stdout fail instead (checked at exit).
    std::signal(SIGPIPE, SIG_IGN);

    // Qt reads the arguments as UTF-8 and has no way back to other bytes: a
    // path in another system's encoding would name another file or folder
    // (`-o` would make one), so it is refused, shown as Qt reads it.
    for (int i = 1; i < argc; ++i) {
        const QByteArray raw(argv[i]);
        if (!raw.isValidUtf8())
            return usageError(
                QStringLiteral("argument %1 is not valid UTF-8 (%2, with %3 for the bytes that "
                               "are not): PixelPerf would reach another file or folder; use a name in UTF-8")
                    .arg(i)
                    .arg(QFile::decodeName(raw))
                    .arg(QChar(QChar::ReplacementCharacter)));
    }
    const CliParseResult parsed = parseCommandLine(app.arguments().mid(1));
    if (!parsed.error.isEmpty())
        return usageError(parsed.error);
    const CliOptions &o = parsed.options;
    // Only the commands that act on a signal catch it (stopping at the next
    // image, writing what was done); the others end at once, as by default.
    if (o.command != CliOptions::Command::Compare) {
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
    }
    const int code = runCommand(o);
    return stdoutWritten() ? code : std::max(code, 2);
}
