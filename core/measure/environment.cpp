#include "measure/environment.h"

#include <QFile>
#include <QSysInfo>
#include <QThread>

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

QJsonObject environmentJson()
{
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
    };
}

} // namespace pixelperf
