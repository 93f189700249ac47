#include "isolatedrun.h"

#include "reportreader.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

namespace pixelperf {

namespace {

// Shortest text that reads back as the same double.
QString exact(double v)
{
    return QString::number(v, 'g', 17);
}

} // namespace

QStringList runArguments(const PipelineConfig &config)
{
    const PipelineParams &p = config.params;
    QStringList args { config.inputDir, QStringLiteral("-o"), config.outputDir, QStringLiteral("--preset"),
                       QStringLiteral("optimized") };
    QStringList off;
    for (const ToggleInfo &t : toggleTable())
        if (!config.isOn(t.id))
            off << QLatin1String(t.key);
    if (!off.isEmpty())
        args << QStringLiteral("--off") << off.join(QLatin1Char(','));
    args << QStringLiteral("--size") << QStringLiteral("%1x%2").arg(p.width).arg(p.height);
    args << QStringLiteral("--mode") << QLatin1String(resizeModeName(p.resizeMode));
    args << QStringLiteral("--quality") << QString::number(p.quality);
    args << QStringLiteral("--blur") << exact(p.blurRadius);
    args << QStringLiteral("--sharpen") << exact(p.sharpen);
    args << QStringLiteral("--contrast") << exact(p.contrast);
    args << QStringLiteral("--brightness") << exact(p.brightness);
    args << QStringLiteral("--cache-mib") << QString::number(p.cacheMiB);
    if (p.jobs > 0)
        args << QStringLiteral("--jobs") << QString::number(p.jobs);
    QStringList skip;
    if (!p.blurEnabled)
        skip << QStringLiteral("blur");
    if (!p.sharpenEnabled)
        skip << QStringLiteral("sharpen");
    if (!p.contrastEnabled)
        skip << QStringLiteral("contrast");
    if (!p.brightnessEnabled)
        skip << QStringLiteral("brightness");
    if (!skip.isEmpty())
        args << QStringLiteral("--skip") << skip.join(QLatin1Char(','));
    if (p.recursive)
        args << QStringLiteral("--recursive");
    if (!config.profile)
        args << QStringLiteral("--no-profile");
    return args;
}

QString defaultCliProgram()
{
    const QString name = QStringLiteral("pixelperf-cli");
    if (QCoreApplication::instance()) {
        const QString beside = QDir(QCoreApplication::applicationDirPath()).filePath(name);
        if (QFileInfo(beside).isExecutable())
            return beside;
    }
    const QString onPath = QStandardPaths::findExecutable(name);
    return onPath.isEmpty() ? name : onPath;
}

IsolatedRun runIsolated(const PipelineConfig &config, int warmups, const QString &program,
                        const std::atomic<bool> *cancel)
{
    IsolatedRun result;
    QTemporaryDir scratch;
    if (!scratch.isValid()) {
        result.error = QStringLiteral("cannot create a temporary folder for the report: %1").arg(scratch.errorString());
        return result;
    }
    const QString report = scratch.filePath(QStringLiteral("run.json"));
    QStringList args { QStringLiteral("run") };
    args << runArguments(config) << QStringLiteral("--warmup") << QString::number(warmups) << QStringLiteral("--repeat")
         << QStringLiteral("1") << QStringLiteral("--report") << report << QStringLiteral("--quiet");
    QProcess child;
    child.setProcessChannelMode(QProcess::SeparateChannels);
    child.setStandardOutputFile(QProcess::nullDevice());
    child.start(program, args);
    if (!child.waitForStarted(30000)) {
        result.error = QStringLiteral("cannot start %1: %2").arg(program, child.errorString());
        return result;
    }
    while (!child.waitForFinished(50)) {
        if (child.state() == QProcess::NotRunning)
            break;
        if (cancel && cancel->load(std::memory_order_relaxed)) {
            child.terminate();  // the CLI cancels on SIGTERM, leaving no partial output
            if (!child.waitForFinished(5000)) {
                child.kill();
                child.waitForFinished(5000);
            }
            result.cancelled = true;
            return result;
        }
    }
    // Exit 1: the run finished and some inputs failed; the report says which.
    if (child.exitStatus() != QProcess::NormalExit || child.exitCode() > 1) {
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
    result.cancelled = result.run.summary.cancelled;
    return result;
}

} // namespace pixelperf
