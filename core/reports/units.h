// How every report, summary line and message writes a size: "12.3 MiB".
#pragma once

#include <QString>

namespace pixelperf {

QString mibText(double bytes);

} // namespace pixelperf
