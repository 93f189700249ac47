// How numbers read in the window: bytes, durations, rates.
#pragma once

#include <QString>

#include <cstdint>

namespace pixelperf {

QString formatBytes(int64_t bytes); // "812 B", "4.2 KiB", "12.6 MiB", "1.3 GiB"
QString formatSeconds(double seconds); // "85 ms", "4.21 s", "2 min 05 s"
QString formatMs(double ms); // "0.42 ms", "12.3 ms", "1,204 ms"

} // namespace pixelperf
