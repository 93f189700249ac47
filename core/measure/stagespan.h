// One stage of one image on one worker, as the run records it: 24 bytes,
// since a run of 100,000 small images holds 800,000 of them until its
// reports are written. Times and sizes are packed (compactTime, compactBytes);
// what they keep is what the reports print (the CSV's microseconds; bytes
// exactly below 2 GiB).
#pragma once

#include "pipeline/pipelineconfig.h"

#include <cstdint>

namespace pixelperf {

// A duration in 28 bits: a 26-bit count of ns, µs, ms or s, the finest unit
// it fits in. Exact to the ns below 67 ms, to the µs (rounded down) below
// 67 s, to the ms below 18.6 hours; longer is held in seconds (up to two
// years; beyond, two years). Negative is 0.
namespace compactTime {
constexpr int Bits = 28;
constexpr uint32_t pack(int64_t ns);
constexpr int64_t unpack(uint32_t packed);
} // namespace compactTime

// A byte count in 32 bits: exact below 2 GiB, in KiB (rounded down) from
// there to 2 TiB; beyond, 2 TiB less a KiB.
namespace compactBytes {
constexpr uint32_t pack(uint64_t bytes);
constexpr uint64_t unpack(uint32_t packed);
} // namespace compactBytes

struct StageSpan {
    // The start, ns since the run started, held to the ns up to 78 hours
    // (2^48 ns); a span starting later is placed at 78 hours.
    static constexpr int64_t MaxStartNs = (int64_t(1) << 48) - 1;
    static constexpr uint32_t MaxCopies = 255; // more are counted as 255
    static constexpr int MaxWorker = 510; // lanes 0..510; -1: the controller

    int64_t startNs() const { return int64_t(m_start & StartMask); }
    int64_t durationNs() const { return compactTime::unpack(m_times & TimeMask); }
    int64_t endNs() const { return startNs() + durationNs(); }
    int64_t cpuNs() const { return compactTime::unpack((m_times >> CpuShift) & TimeMask); }
    uint64_t bytesAllocated() const { return compactBytes::unpack(m_bytes); }
    uint32_t copies() const { return uint32_t((m_times & CopiesMask) >> CopiesShift); }
    int image() const { return m_image; } // index into the run's file list; -1 for run-level (scan)
    // lane, 0..jobs-1; -1: controller
    int worker() const { return int((m_start & WorkerMask) >> WorkerShift) - 1; }
    Stage stage() const { return Stage((m_start & StageMask) >> StageShift); }

    // The end is kept as the duration from the start (a start past the cap
    // keeps its duration).
    void setTimes(int64_t startNs, int64_t endNs);
    void setCpuNs(int64_t ns);
    void setBytesAllocated(uint64_t bytes) { m_bytes = compactBytes::pack(bytes); }
    void setCopies(uint32_t copies);
    void setImage(int image) { m_image = image; }
    void setWorker(int worker);
    void setStage(Stage stage);

private:
    // m_start: start ns (48 bits) | worker + 1 (9 bits) | stage (4 bits)
    static constexpr uint64_t StartMask = uint64_t(MaxStartNs);
    static constexpr int WorkerShift = 48;
    static constexpr uint64_t WorkerMask = uint64_t(0x1ff) << WorkerShift;
    static constexpr int StageShift = 57;
    static constexpr uint64_t StageMask = uint64_t(0xf) << StageShift;
    // m_times: duration (28 bits) | CPU (28 bits) | copies (8 bits)
    static constexpr uint64_t TimeMask = (uint64_t(1) << compactTime::Bits) - 1;
    static constexpr int CpuShift = compactTime::Bits;
    static constexpr int CopiesShift = 2 * compactTime::Bits;
    static constexpr uint64_t CopiesMask = uint64_t(0xff) << CopiesShift;

    uint64_t m_start = 0;
    uint64_t m_times = 0;
    int32_t m_image = -1;
    uint32_t m_bytes = 0;
};
static_assert(sizeof(StageSpan) == 24, "a span stays compact: a run holds one per image and stage");

namespace compactTime {
constexpr uint32_t pack(int64_t ns)
{
    constexpr int64_t limit = int64_t(1) << (Bits - 2);
    int64_t v = ns < 0 ? 0 : ns;
    uint32_t unit = 0;
    while (v >= limit && unit < 3) {
        v /= 1000;
        ++unit;
    }
    if (v >= limit)
        v = limit - 1;
    return (unit << (Bits - 2)) | uint32_t(v);
}

constexpr int64_t unpack(uint32_t packed)
{
    constexpr int64_t scale[4] = { 1, 1000, 1000000, 1000000000 };
    const uint32_t unit = (packed >> (Bits - 2)) & 3;
    return int64_t(packed & ((uint32_t(1) << (Bits - 2)) - 1)) * scale[unit];
}
} // namespace compactTime

namespace compactBytes {
constexpr uint32_t pack(uint64_t bytes)
{
    constexpr uint64_t kibFlag = uint64_t(1) << 31;
    if (bytes < kibFlag)
        return uint32_t(bytes);
    const uint64_t kib = bytes / 1024;
    return uint32_t(kibFlag | (kib < kibFlag ? kib : kibFlag - 1));
}

constexpr uint64_t unpack(uint32_t packed)
{
    constexpr uint32_t kibFlag = uint32_t(1) << 31;
    return (packed & kibFlag) ? uint64_t(packed & ~kibFlag) * 1024 : uint64_t(packed);
}
} // namespace compactBytes

} // namespace pixelperf
