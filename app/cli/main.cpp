// pixelperf-cli: the headless front on the core (PRODUCT.md section 7).
#include "cliparser.h"

#include "ablation.h"
#include "environment.h"
#include "pipeline.h"
#include "reportformats.h"
#include "reportreader.h"
#include "reportwriter.h"
#include "runcomparison.h"
#include "samplegenerator.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFutureWatcher>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTimer>

#include <atomic>
#include <csignal>
#include <functional>
#include <cstdio>
#include <unistd.h>

using namespace pixelperf;

namespace {

std::atomic<PipelineRun *> g_activeRun { nullptr };
volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void onSignal(int)
{
    g_interrupted = 1;
    if (PipelineRun *run = g_activeRun.load())
        run->cancel();  // an atomic store: async-signal-safe
}

void err(const QString &text)
{
    std::fprintf(stderr, "%s\n", text.toLocal8Bit().constData());
}

void out(const QString &text)
{
    std::fprintf(stdout, "%s\n", text.toLocal8Bit().constData());
}

QString mib(double bytes)
{
    return QString::number(bytes / (1024.0 * 1024.0), 'f', 1) + QStringLiteral(" MiB");
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
                    .arg(pad(QLatin1String(stageName(st.stage)), 11),
                         pad(QString::number(st.count), 6, true),
                         pad(QString::number(st.totalMs, 'f', 1), 10, true),
                         pad(QString::number(st.meanMs, 'f', 2), 9, true),
                         pad(QString::number(st.medianMs, 'f', 2), 9, true),
                         pad(QString::number(st.p95Ms, 'f', 2), 9, true),
                         pad(QString::number(double(st.pixelBytesAllocated) / 1048576.0, 'f', 1), 10, true),
                         pad(QString::number(st.copies), 7, true)));
    }
    const RunSummary &s = r.summary;
    out(QStringLiteral("preset %1, %2 worker(s): %3 of %4 images ok, %5 failed%6")
                .arg(presetNameFor(r.config.toggles))
                .arg(s.workers)
                .arg(s.imagesOk)
                .arg(s.imagesTotal)
                .arg(s.imagesFailed)
                .arg(s.cancelled ? QStringLiteral(", cancelled") : QString()));
    out(QStringLiteral("wall %1 s, CPU %2 s (%3% of %4 workers), %5 images/s, peak RSS %6, "
                       "peak pixel buffers %7, in %8, out %9")
                .arg(s.wallMs / 1000.0, 0, 'f', 2)
                .arg(s.cpuMs / 1000.0, 0, 'f', 2)
                .arg(s.cpuUtilisation * 100.0, 0, 'f', 0)
                .arg(s.workers)
                .arg(s.imagesPerSecond, 0, 'f', 2)
                .arg(mib(double(s.peakRssBytes)), mib(double(s.peakPixelBytes)), mib(double(s.bytesIn)),
                     mib(double(s.bytesOut))));
}

// One run, with a live progress line on stderr when it is a terminal.
RunResult runOnce(const PipelineConfig &config, const QString &label, bool progress)
{
    PipelineRun run(config);
    g_activeRun.store(&run);
    if (g_interrupted)
        run.cancel();
    QFutureWatcher<void> watcher;
    QEventLoop loop;
    QObject::connect(&watcher, &QFutureWatcher<void>::finished, &loop, &QEventLoop::quit);
    QTimer ticker;
    SnapshotCursor cursor;
    auto tick = [&] {
        const ProfileSnapshot snap = run.recorder()->snapshot(&cursor);
        const double secs = double(snap.elapsedNs) / 1e9;
        std::fprintf(stderr, "\r%s %d/%d images, %d failed, %.1f s, %.1f images/s, RSS %s   ",
                     label.toLocal8Bit().constData(), snap.imagesDone, snap.imagesTotal, snap.imagesFailed,
                     secs, secs > 0 ? snap.imagesDone / secs : 0.0,
                     mib(double(snap.rssBytes)).toLocal8Bit().constData());
        std::fflush(stderr);
    };
    if (progress) {
        QObject::connect(&ticker, &QTimer::timeout, &loop, tick);
        ticker.start(200);
    }
    watcher.setFuture(run.start());
    if (!watcher.isFinished())
        loop.exec();
    run.wait();
    g_activeRun.store(nullptr);
    if (progress) {
        tick();
        std::fprintf(stderr, "\n");
    }
    return run.result();
}

int commandRun(const CliOptions &o)
{
    const QString problem = PipelineRun::preflight(o.config);
    if (!problem.isEmpty()) {
        err(QStringLiteral("pixelperf-cli: %1").arg(problem));
        return 2;
    }
    const bool progress = !o.quiet && isatty(STDERR_FILENO);
    std::vector<RunResult> measured;
    const int total = o.warmup + o.repeat;
    for (int i = 0; i < total && !g_interrupted; ++i) {
        const bool warm = i < o.warmup;
        const QString label = total == 1 ? QStringLiteral("pixelperf")
                : warm ? QStringLiteral("[warm-up %1/%2]").arg(i + 1).arg(o.warmup)
                       : QStringLiteral("[run %1/%2]").arg(i - o.warmup + 1).arg(o.repeat);
        RunResult r = runOnce(o.config, label, progress);
        if (!r.ok()) {
            err(QStringLiteral("pixelperf-cli: %1").arg(r.fatalError));
            return 2;
        }
        if (!warm || r.summary.cancelled)
            measured.push_back(std::move(r));
        if (measured.empty() == false && measured.back().summary.cancelled)
            break;
    }
    if (measured.empty()) {
        err(QStringLiteral("pixelperf-cli: cancelled during warm-up; nothing measured"));
        return 1;
    }
    const RunResult &last = measured.back();
    if (last.files.isEmpty())
        err(QStringLiteral("pixelperf-cli: no images (.jpg .jpeg .png .bmp .gif .webp) in %1").arg(o.config.inputDir));
    for (const ImageRecord &rec : last.images) {
        if (!rec.ok && !rec.cancelled)
            err(QStringLiteral("pixelperf-cli: %1: %2").arg(rec.path, rec.error));
    }
    if (last.summary.cancelled)
        err(QStringLiteral("pixelperf-cli: cancelled; %1 of %2 images processed, no partial outputs left")
                    .arg(last.summary.imagesOk)
                    .arg(last.summary.imagesTotal));
    if (!o.quiet)
        printSummary(last);
    const std::vector<std::pair<QString, std::function<QByteArray()>>> exports = {
        { o.reportPath, [&] { return QJsonDocument(ReportWriter::toJson(last, measured)).toJson(); } },
        { o.csvPath, [&] { return runCsv(last); } },
        { o.tracePath, [&] { return runTrace(last); } },
        { o.htmlPath, [&] { return runHtml(last, environmentJson(), measured); } },
        { o.mdPath, [&] { return runMarkdown(last, measured); } },
    };
    for (const auto &[path, bytes] : exports) {
        if (path.isEmpty())
            continue;
        QString error;
        if (!writeFileAtomically(path, bytes(), &error)) {
            err(QStringLiteral("pixelperf-cli: %1").arg(error));
            return 2;
        }
        if (!o.quiet)
            out(QStringLiteral("written: %1").arg(path));
    }
    return (last.summary.imagesFailed > 0 || last.summary.cancelled) ? 1 : 0;
}

int commandCompare(const CliOptions &o)
{
    const LoadedReport a = readReportFile(o.reports[0]);
    if (!a.error.isEmpty()) {
        err(QStringLiteral("pixelperf-cli: %1").arg(a.error));
        return 2;
    }
    const LoadedReport b = readReportFile(o.reports[1]);
    if (!b.error.isEmpty()) {
        err(QStringLiteral("pixelperf-cli: %1").arg(b.error));
        return 2;
    }
    const RunComparison c = compareRuns(a.run, a.repeats, b.run, b.repeats, QFileInfo(o.reports[0]).completeBaseName(),
                                        QFileInfo(o.reports[1]).completeBaseName());
    const QString md = comparisonMarkdown(c);
    std::fputs(md.toLocal8Bit().constData(), stdout);
    for (const auto &[path, bytes] : { std::make_pair(o.mdPath, md.toUtf8()), std::make_pair(o.htmlPath, comparisonHtml(c)) }) {
        if (path.isEmpty())
            continue;
        QString error;
        if (!writeFileAtomically(path, bytes, &error)) {
            err(QStringLiteral("pixelperf-cli: %1").arg(error));
            return 2;
        }
    }
    return 0;
}

int commandAblate(const CliOptions &o)
{
    const QString problem = PipelineRun::preflight(o.config);
    if (!problem.isEmpty()) {
        err(QStringLiteral("pixelperf-cli: %1").arg(problem));
        return 2;
    }
    const bool progress = !o.quiet && isatty(STDERR_FILENO);
    const AblationResult r = runAblation(o.config, o.repeat, [&](int done, int total, const QString &label) {
        if (progress) {
            std::fprintf(stderr, "\r[%d/%d] %s                    ", done + 1, total, label.toLocal8Bit().constData());
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
    if (r.cancelled) {
        err(QStringLiteral("pixelperf-cli: ablation cancelled"));
        return 1;
    }
    const QByteArray md = ablationMarkdown(r);
    if (!o.quiet)
        std::fputs(md.constData(), stdout);
    const std::vector<std::pair<QString, QByteArray>> files = {
        { o.reportPath, QJsonDocument(ablationJson(r)).toJson() }, { o.mdPath, md }, { o.htmlPath, ablationHtml(r) }
    };
    for (const auto &[path, bytes] : files) {
        if (path.isEmpty())
            continue;
        QString error;
        if (!writeFileAtomically(path, bytes, &error)) {
            err(QStringLiteral("pixelperf-cli: %1").arg(error));
            return 2;
        }
    }
    return 0;
}

int commandToggles()
{
    out(QStringLiteral("%1 %2 %3 %4").arg(pad(QStringLiteral("id"), 17), pad(QStringLiteral("stage"), 9),
                                          pad(QStringLiteral("output"), 8), QStringLiteral("on (optimized) / off (the inefficiency)")));
    for (const ToggleInfo &t : toggleTable()) {
        out(QStringLiteral("%1 %2 %3 on:  %4").arg(pad(QLatin1String(t.key), 17), pad(QLatin1String(t.stage), 9),
                                                  pad(t.changesOutput ? QStringLiteral("changes") : QStringLiteral("same"), 8),
                                                  QString::fromUtf8(t.onText)));
        out(QStringLiteral("%1 off: %2").arg(QString(17 + 1 + 9 + 1 + 8 + 1, QLatin1Char(' ')), QString::fromUtf8(t.offText)));
    }
    out(QString());
    for (const QString &preset : presetNames()) {
        QStringList on;
        for (const ToggleInfo &t : toggleTable())
            if (presetToggles(preset)->isOn(t.id))
                on << QLatin1String(t.key);
        out(QStringLiteral("preset %1: %2").arg(pad(preset, 15), on.isEmpty() ? QStringLiteral("(all off)") : on.join(QStringLiteral(", "))));
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
    out(QStringLiteral("wrote %1 images of %2x%3 to %4").arg(r.written.size()).arg(o.width).arg(o.height).arg(o.dir));
    return g_interrupted ? 1 : 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("pixelperf-cli"));
    QCoreApplication::setApplicationVersion(appVersion());
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);

    const CliParseResult parsed = parseCommandLine(app.arguments().mid(1));
    if (!parsed.error.isEmpty())
        return usageError(parsed.error);
    const CliOptions &o = parsed.options;
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
    case CliOptions::Command::Run:
        return commandRun(o);
    case CliOptions::Command::Compare:
        return commandCompare(o);
    case CliOptions::Command::Ablate:
        return commandAblate(o);
    }
    return 2;
}
