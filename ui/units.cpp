#include "units.h"

#include <QLocale>

#include <cmath>

namespace pixelperf {

QString formatBytes(int64_t bytes)
{
    const double b = double(bytes);
    if (std::llabs(bytes) < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    if (std::fabs(b) < 1024.0 * 1024.0)
        return QStringLiteral("%1 KiB").arg(b / 1024.0, 0, 'f', 1);
    if (std::fabs(b) < 1024.0 * 1024.0 * 1024.0)
        return QStringLiteral("%1 MiB").arg(b / (1024.0 * 1024.0), 0, 'f', 1);
    return QStringLiteral("%1 GiB").arg(b / (1024.0 * 1024.0 * 1024.0), 0, 'f', 2);
}

QString formatSeconds(double seconds)
{
    if (seconds < 0)
        return QStringLiteral("–");
    if (seconds < 1.0)
        return QStringLiteral("%1 ms").arg(std::lround(seconds * 1000.0));
    if (seconds < 60.0)
        return QStringLiteral("%1 s").arg(seconds, 0, 'f', seconds < 10 ? 2 : 1);
    const long total = std::lround(seconds);
    return QStringLiteral("%1 min %2 s").arg(total / 60).arg(total % 60, 2, 10, QLatin1Char('0'));
}

QString formatMs(double ms)
{
    if (ms < 1.0)
        return QStringLiteral("%1 ms").arg(ms, 0, 'f', 2);
    if (ms < 100.0)
        return QStringLiteral("%1 ms").arg(ms, 0, 'f', 1);
    return QStringLiteral("%1 ms").arg(QLocale::system().toString(qlonglong(std::llround(ms))));
}

} // namespace pixelperf
