#include "reports/units.h"

namespace pixelperf {

QString mibText(double bytes)
{
    return QString::number(bytes / 1048576.0, 'f', 1) + QStringLiteral(" MiB");
}

} // namespace pixelperf
