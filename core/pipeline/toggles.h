// The toggle table: one row per optimization, read by the CLI, the UI, the
// report and the tests. On = optimized, off = the inefficiency.
#pragma once

#include <QString>
#include <QStringList>

#include <array>
#include <bitset>
#include <optional>

namespace pixelperf {

enum class ToggleId {
    SingleScan,
    Parallel,
    NoCopies,
    NoFormatChurn,
    ShrinkOnLoad,
    Lanczos,
    SeparableBlur,
    CachedKernels,
    FusedPointOps,
    Streaming,
    BalancedQuality,
    DecodeCache,
    Count_ // not a toggle: how many there are
};
constexpr int ToggleCount = int(ToggleId::Count_);

struct ToggleInfo {
    ToggleId id;
    const char *key; // stable id: CLI, report, settings
    const char *title; // short human title
    const char *onText; // what "on" does
    const char *offText; // what "off" does (the inefficiency)
    const char *stage; // stage id it affects
    bool changesOutput;
};

const std::array<ToggleInfo, ToggleCount> &toggleTable();
const ToggleInfo &toggleInfo(ToggleId id);
std::optional<ToggleId> toggleFromKey(const QString &key);

class ToggleSet
{
public:
    bool isOn(ToggleId id) const { return m_bits.test(size_t(id)); }
    void set(ToggleId id, bool on = true) { m_bits.set(size_t(id), on); }
    bool operator==(const ToggleSet &o) const { return m_bits == o.m_bits; }
    bool operator!=(const ToggleSet &o) const { return m_bits != o.m_bits; }

    static ToggleSet allOn();
    static ToggleSet allOff();

private:
    std::bitset<ToggleCount> m_bits;
};

// Presets: "naive" (all off), "seed-baseline" and "seed-optimized" (the
// Python demo's two programs, each with the kernels the demo had) and
// "optimized" (all on). "baseline", the old name of "naive", is accepted
// wherever a preset is read, so older reports and scripts keep working.
QStringList presetNames();
std::optional<ToggleSet> presetToggles(const QString &name);
// The preset's current name: "naive" for "baseline"; other names unchanged.
QString canonicalPresetName(const QString &name);
// One line per preset saying what it is (the window's tooltip, help texts).
QString presetsDescription();
// The preset whose toggles equal these, or "custom".
QString presetNameFor(const ToggleSet &toggles);

} // namespace pixelperf
