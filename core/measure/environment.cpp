#include "measure/environment.h"

#include "measure/runresult.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QSet>
#include <QSysInfo>
#include <QThread>

#include <cstdio>
#include <cstdlib>
#include <jconfig.h>
#include <unistd.h>

namespace pixelperf {

QString appVersion()
{
    return QStringLiteral(PIXELPERF_VERSION);
}

QString gitRevision()
{
    return QStringLiteral(PIXELPERF_GIT_REVISION);
}

static QString cpuModel()
{
    QFile cpuinfo(QStringLiteral("/proc/cpuinfo"));
    if (cpuinfo.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> lines = cpuinfo.readAll().split('\n');
        for (const QByteArray &line : lines) {
            if (line.startsWith("model name")) {
                const int colon = line.indexOf(':');
                if (colon > 0)
                    return QString::fromUtf8(line.mid(colon + 1).trimmed());
            }
        }
    }
    return QSysInfo::currentCpuArchitecture();
}

static QString compilerName()
{
#if defined(__clang__)
    return QStringLiteral("clang " __clang_version__);
#elif defined(__GNUC__)
    return QStringLiteral("gcc " __VERSION__);
#else
    return QStringLiteral("unknown");
#endif
}

namespace {

// 1, 5 and 15 minutes; empty where unknown.
QJsonArray loadAverageNow()
{
    double load[3] = { 0, 0, 0 };
    if (getloadavg(load, 3) == 3)
        return QJsonArray { load[0], load[1], load[2] };
    return {};
}

// When the process started and the machine's load then (as pyperf records
// it): a busy machine at the start explains a slow run.
struct StartSnapshot {
    QDateTime at;
    QJsonArray loadAverage; // 1, 5 and 15 minutes; empty where unknown
};

const StartSnapshot &startSnapshot()
{
    static const StartSnapshot snapshot = [] {
        StartSnapshot s;
        s.at = QDateTime::currentDateTime();
        s.loadAverage = loadAverageNow();
        return s;
    }();
    return snapshot;
}
// Taken when the program loads, before any run.
const bool startSnapshotTaken = (startSnapshot(), true);

// Distinct (physical id, core id) pairs of /proc/cpuinfo; the logical count where it has none.
int physicalCores()
{
    QFile cpuinfo(QStringLiteral("/proc/cpuinfo"));
    QSet<QByteArray> cores;
    if (cpuinfo.open(QIODevice::ReadOnly)) {
        QByteArray package;
        for (const QByteArray &line : cpuinfo.readAll().split('\n')) {
            const QByteArray value = line.mid(line.indexOf(':') + 1).trimmed();
            if (line.startsWith("physical id"))
                package = value;
            else if (line.startsWith("core id"))
                cores.insert(package + '/' + value);
        }
    }
    return cores.isEmpty() ? QThread::idealThreadCount() : int(cores.size());
}

// "performance", "powersave"...; null where the kernel does not say (VMs, other systems).
QJsonValue frequencyGovernor()
{
    QFile file(QStringLiteral("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"));
    if (!file.open(QIODevice::ReadOnly))
        return QJsonValue::Null;
    return QString::fromLatin1(file.readAll().trimmed());
}

QString libjpegTurboVersion()
{
    const int v = LIBJPEG_TURBO_VERSION_NUMBER; // 2001005: 2.1.5
    return QStringLiteral("%1.%2.%3").arg(v / 1000000).arg(v / 1000 % 1000).arg(v % 1000);
}

// What does not change while the process lives (the machine, the build),
// read once: /proc/cpuinfo is parsed for a run's report, not for each run.
const QJsonObject &machineAndBuild()
{
    static const QJsonObject fixed = [] {
        const long pages = sysconf(_SC_PHYS_PAGES);
        const long pageSize = sysconf(_SC_PAGESIZE);
        return QJsonObject {
            { QStringLiteral("os"), QSysInfo::prettyProductName() },
            { QStringLiteral("kernel"), QSysInfo::kernelVersion() },
            { QStringLiteral("cpu_model"), cpuModel() },
            { QStringLiteral("logical_cores"), QThread::idealThreadCount() },
            { QStringLiteral("memory_bytes"), double(pages) * double(pageSize) },
            { QStringLiteral("qt_version"), QString::fromLatin1(qVersion()) },
            { QStringLiteral("compiler"), compilerName() },
            { QStringLiteral("compiler_flags"), QStringLiteral(PIXELPERF_CXX_FLAGS).simplified() },
            { QStringLiteral("build_type"), QStringLiteral(PIXELPERF_BUILD_TYPE) },
            { QStringLiteral("app_version"), appVersion() },
            { QStringLiteral("git_revision"), gitRevision() },
            { QStringLiteral("physical_cores"), physicalCores() },
            { QStringLiteral("qt_build_version"), QStringLiteral(QT_VERSION_STR) },
            { QStringLiteral("libjpeg_turbo_version"), libjpegTurboVersion() },
        };
    }();
    return fixed;
}

QJsonObject environmentAt(const QDateTime &at, const QJsonArray &loadAverage)
{
    // As Google Benchmark's context and pyperf's metadata record them; what
    // may change between two runs of one process is read each time.
    QJsonObject o = environmentStartedAt(machineAndBuild(), at);
    o.insert(QStringLiteral("host_name"), QSysInfo::machineHostName());
    o.insert(QStringLiteral("cpu_frequency_governor"), frequencyGovernor());
    o.insert(QStringLiteral("load_average"), loadAverage);
    return o;
}

} // namespace

QJsonObject environmentJson()
{
    Q_UNUSED(startSnapshotTaken);
    return environmentAt(startSnapshot().at, startSnapshot().loadAverage);
}

QJsonObject environmentNow()
{
    return environmentAt(QDateTime::currentDateTime(), loadAverageNow());
}

QJsonObject environmentStartedAt(QJsonObject environment, const QDateTime &at)
{
    environment.insert(
        QStringLiteral("started_at"), at.toOffsetFromUtc(at.offsetFromUtc()).toString(Qt::ISODateWithMs));
    return environment;
}

QJsonObject environmentOf(const RunResult &run)
{
    return run.environment.isEmpty() ? environmentJson() : run.environment;
}

} // namespace pixelperf
