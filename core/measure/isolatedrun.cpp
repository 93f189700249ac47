#include "measure/isolatedrun.h"

#include "pipeline/parameters.h"

#include "reports/reportreader.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <algorithm>
#include <random>

#ifdef Q_OS_UNIX
#include <csignal>
#include <unistd.h>
#endif
#ifdef Q_OS_LINUX
#include <sys/prctl.h>
#endif

namespace pixelperf {

namespace {

// The child running now, for killIsolatedChild() (0: none).
std::atomic<qint64> g_child { 0 };

// Shortest text that reads back as the same double.
QString exact(double v)
{
    return QString::number(v, 'g', 17);
}

} // namespace

QStringList runArguments(const PipelineConfig &config)
{
    const PipelineParams &p = config.params;
    // Given files (absolute: none reads as an option): exactly those.
    QStringList args = config.inputFiles.isEmpty() ? QStringList { config.inputDir } : config.inputFiles;
    args << QStringLiteral("-o") << config.outputDir << QStringLiteral("--preset")
         << QStringLiteral("optimized");
    QStringList off;
    for (const ToggleInfo &t : toggleTable())
        if (!config.isOn(t.id))
            off << QLatin1String(t.key);
    if (!off.isEmpty())
        args << QStringLiteral("--off") << off.join(QLatin1Char(','));
    args << QStringLiteral("--size") << QStringLiteral("%1x%2").arg(p.width).arg(p.height);
    QStringList skip;
    for (const ParamInfo &info : paramTable()) {
        const double v = paramValue(p, info.id);
        if (info.group) { // a stage switch
            if (v == 0)
                skip << QLatin1String(info.key);
        } else if (!info.cliOption || (info.zeroText && v == 0)) {
            continue; // --size above; 0 (the default) has no option
        } else if (info.kind == ParamKind::Switch) {
            // --recursive lists a folder: a run on files has none to list.
            if (v != 0 && (info.id != ParamId::Recursive || config.inputFiles.isEmpty()))
                args << QLatin1String(info.cliOption);
        } else {
            args << QLatin1String(info.cliOption)
                 << (info.kind == ParamKind::Real ? exact(v) : paramJson(p, info.id).toVariant().toString());
        }
    }
    if (!skip.isEmpty())
        args << QStringLiteral("--skip") << skip.join(QLatin1Char(','));
    if (!config.profile)
        args << QStringLiteral("--no-profile");
    else if (config.sampleRateHz > 0)
        args << QStringLiteral("--sample-rate") << QString::number(config.sampleRateHz);
    else
        args << QStringLiteral("--no-sample");
    return args;
}

QString defaultCliProgram()
{
    const QString given = qEnvironmentVariable("PIXELPERF_CLI");
    if (!given.isEmpty())
        return given;
    const QString name = QStringLiteral("pixelperf-cli");
    if (QCoreApplication::instance()) {
        const QString beside = QDir(QCoreApplication::applicationDirPath()).filePath(name);
        if (QFileInfo(beside).isExecutable())
            return beside;
    }
    const QString onPath = QStandardPaths::findExecutable(name);
    return onPath.isEmpty() ? name : onPath;
}

IsolatedRun runIsolated(
    const PipelineConfig &config, int warmups, const QString &program, const std::atomic<bool> *cancel)
{
    IsolatedRun result;
    QTemporaryDir scratch;
    if (!scratch.isValid()) {
        result.error = QStringLiteral("cannot create a temporary folder for the report: %1")
                           .arg(scratch.errorString());
        return result;
    }
    const QString report = scratch.filePath(QStringLiteral("run.json"));
    QStringList args { QStringLiteral("run") };
    args << runArguments(config) << QStringLiteral("--warmup") << QString::number(warmups)
         << QStringLiteral("--repeat") << QStringLiteral("1") << QStringLiteral("--report") << report
         << QStringLiteral("--quiet")
         << QStringLiteral("--no-history"); // the parent keeps the run it is part of
    QProcess child;
    child.setProcessChannelMode(QProcess::SeparateChannels);
    child.setStandardOutputFile(QProcess::nullDevice());
#ifdef Q_OS_UNIX
    const pid_t parent = ::getpid();
    child.setChildProcessModifier([parent] {
        // A process group of its own: a Ctrl+C at the terminal reaches the
        // parent alone, which stops the child with one SIGTERM below. Both
        // signalled, the child took the SIGTERM for a second interrupt and
        // ended at once, without its report.
        ::setpgid(0, 0);
#ifdef Q_OS_LINUX
        // Outside the terminal's group, it is stopped, as by a cancel,
        // should the parent die first.
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent)
            ::_exit(125);
#endif
    });
#endif
    child.start(program, args);
    if (!child.waitForStarted(30000)) {
        result.error = QStringLiteral("cannot start %1: %2").arg(program, child.errorString());
        return result;
    }
    g_child.store(child.processId()); // forgotten as soon as it is reaped, on each way out below
    while (!child.waitForFinished(50)) {
        if (child.state() == QProcess::NotRunning)
            break;
        if (cancel && cancel->load(std::memory_order_relaxed)) {
            // The CLI cancels on SIGTERM, leaving no partial output, and
            // still reports what it did: that is kept, marked cancelled.
            child.terminate();
            if (!child.waitForFinished(10000)) {
                child.kill();
                child.waitForFinished(5000);
            }
            g_child.store(0); // reaped: its number may be another process's now
            result.cancelled = true;
            LoadedReport partial = readReportFile(report);
            if (partial.error.isEmpty())
                result.run = std::move(partial.run);
            return result;
        }
    }
    g_child.store(0);
    // A cancel that came as the child ended: a cancel, with what the child
    // reported, if anything.
    if (cancel && cancel->load(std::memory_order_relaxed)) {
        result.cancelled = true;
        LoadedReport partial = readReportFile(report);
        if (partial.error.isEmpty())
            result.run = std::move(partial.run);
        return result;
    }
    if (child.exitStatus() != QProcess::NormalExit) {
        result.error = QStringLiteral("%1 crashed (%2)").arg(program, child.errorString());
        return result;
    }
    // Exit 1: the run finished and some inputs failed; the report says which.
    if (child.exitCode() > 1) {
        const QString stderrText = QString::fromLocal8Bit(child.readAllStandardError()).trimmed();
        result.error = stderrText.isEmpty()
            ? QStringLiteral("%1 ended with exit code %2").arg(program).arg(child.exitCode())
            : stderrText.section(QLatin1Char('\n'), 0, 0).remove(QStringLiteral("pixelperf-cli: "));
        return result;
    }
    LoadedReport loaded = readReportFile(report);
    if (!loaded.error.isEmpty()) {
        result.error = loaded.error;
        return result;
    }
    result.run = std::move(loaded.run);
    result.run.config.profile = config.profile;
    result.run.config.sampleRateHz = config.sampleRateHz;
    result.cancelled = result.run.summary.cancelled;
    return result;
}

void killIsolatedChild()
{
#ifdef Q_OS_UNIX
    if (const qint64 pid = g_child.load(); pid > 0)
        ::kill(pid_t(pid), SIGKILL);
#endif
}

std::vector<int> interleavedSchedule(int configurations, const IsolationPlan &plan)
{
    std::vector<int> order;
    std::mt19937 rng(plan.seed);
    for (int round = 0; round < plan.rounds; ++round) {
        std::vector<int> block(size_t(std::max(0, configurations)));
        for (int i = 0; i < configurations; ++i)
            block[size_t(i)] = i;
        if (plan.order == RunOrder::Reverse)
            std::reverse(block.begin(), block.end());
        else if (plan.order == RunOrder::Shuffle)
            std::shuffle(block.begin(), block.end(), rng);
        order.insert(order.end(), block.begin(), block.end());
    }
    return order;
}

InterleavedRuns runInterleaved(const std::vector<PipelineConfig> &configs, const QStringList &labels,
    const IsolationPlan &plan, const std::function<bool(int, int, const QString &)> &progress,
    const std::atomic<bool> *cancel, IsolatedRunner runner,
    const std::function<void(int, const RunResult &)> &measured)
{
    if (!runner)
        runner = [cancel](const PipelineConfig &c, int warmups) {
            return runIsolated(c, warmups, defaultCliProgram(), cancel);
        };
    InterleavedRuns result;
    result.runs.resize(configs.size());
    const std::vector<int> schedule = interleavedSchedule(int(configs.size()), plan);
    result.planned = int(schedule.size());
    auto stopped = [&](int done, const QString &label) {
        return (progress && !progress(done, int(schedule.size()), label)) || (cancel && cancel->load());
    };
    if (schedule.empty())
        return result;
    if (stopped(0, QStringLiteral("reading the inputs once (not measured)"))) {
        result.cancelled = true;
        return result;
    }
    const IsolatedRun first = runner(configs[size_t(schedule.front())], 0);
    if (first.cancelled) {
        result.cancelled = true;
        return result;
    }
    if (!first.error.isEmpty()) {
        result.error = QStringLiteral("%1: %2").arg(labels.value(schedule.front()), first.error);
        return result;
    }
    for (int k = 0; k < int(schedule.size()); ++k) {
        const int which = schedule[size_t(k)];
        const int round = k / int(configs.size()) + 1;
        const QString label
            = QStringLiteral("%1 (round %2 of %3)").arg(labels.value(which)).arg(round).arg(plan.rounds);
        if (stopped(k, label)) {
            result.cancelled = true;
            break;
        }
        IsolatedRun r = runner(configs[size_t(which)], plan.warmups);
        if (r.cancelled) {
            result.cancelled = true;
            break;
        }
        if (!r.error.isEmpty()) {
            result.error = QStringLiteral("%1: %2").arg(labels.value(which), r.error);
            return result;
        }
        if (measured)
            measured(which, r.run);
        result.runs[size_t(which)].push_back(std::move(r.run));
        ++result.done;
    }
    return result;
}

} // namespace pixelperf
