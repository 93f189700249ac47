#include "pipeline/toggles.h"

#include <vector>

namespace pixelperf {

const std::array<ToggleInfo, ToggleCount> &toggleTable()
{
    static const std::array<ToggleInfo, ToggleCount> table = { {
        { ToggleId::SingleScan, "single-scan", "Single directory scan",
            "one directory listing, filtered by a set of extensions",
            "one full directory listing per extension", "scan", false },
        { ToggleId::Parallel, "parallel", "Parallel images",
            "images processed concurrently on a thread pool of 'jobs' workers",
            "one image at a time on one thread", "all", false },
        { ToggleId::NoCopies, "no-copies", "No defensive copies", "stages work in place or move buffers",
            "every stage deep-copies its input first", "all", false },
        { ToggleId::NoFormatChurn, "no-format-churn", "One pixel format",
            "one 24-bit RGB working format through the pipeline",
            "converts to 32-bit RGBA and back around every stage", "all", false },
        { ToggleId::ShrinkOnLoad, "shrink-on-load", "Shrink on load",
            "JPEG decoded at 1/2, 1/4 or 1/8 scale (DCT scaling) when the target allows",
            "full-size decode, then resize", "load", true },
        { ToggleId::Lanczos, "lanczos", "Lanczos resampling", "Lanczos-3 antialiased resampling",
            "nearest-neighbour resampling", "resize", true },
        { ToggleId::SeparableBlur, "separable-blur", "Separable blur",
            "Gaussian as two 1-D passes, O(r) per pixel", "naive 2-D convolution, O(r\u00b2) per pixel",
            "blur", false },
        { ToggleId::CachedKernels, "cached-kernels", "Cached kernels",
            "resize weights and blur kernels computed once and memoized",
            "resize weights computed afresh for every image, blur kernel for every row (same loops "
            "otherwise)",
            "resize", false },
        { ToggleId::FusedPointOps, "fused-point-ops", "Fused point operations",
            "contrast, brightness and convert in one lookup-table pass",
            "three separate full-image passes in floating point", "contrast", false },
        { ToggleId::Streaming, "streaming", "Streaming",
            "bounded in-flight work; each image's buffers freed right after save",
            "every decoded and processed image kept until the run ends", "all", false },
        { ToggleId::BalancedQuality, "balanced-quality", "Balanced JPEG quality",
            "JPEG quality 80 (or the quality parameter)", "JPEG quality 95", "save", true },
        { ToggleId::DecodeCache, "decode-cache", "Decode cache",
            "decoded inputs kept in a size-bounded LRU cache for the next run",
            "every run decodes every file again", "load", false },
    } };
    return table;
}

const ToggleInfo &toggleInfo(ToggleId id)
{
    return toggleTable()[size_t(id)];
}

std::optional<ToggleId> toggleFromKey(const QString &key)
{
    for (const ToggleInfo &info : toggleTable()) {
        if (key == QLatin1String(info.key))
            return info.id;
    }
    return std::nullopt;
}

ToggleSet ToggleSet::allOn()
{
    ToggleSet s;
    for (const ToggleInfo &info : toggleTable())
        s.set(info.id);
    return s;
}

ToggleSet ToggleSet::allOff()
{
    return ToggleSet();
}

namespace {

struct PresetInfo {
    const char *name;
    const char *description;
    std::vector<ToggleId> on; // on top of SeedKernels (seed presets only)
};

// The kernels Pillow already had in both of the demo's programs: its blur is
// separable and its filters are built once. The seed presets keep them on,
// so that they compare with the demo on what the demo did, not on kernels it
// never had (that is what "naive" shows).
constexpr ToggleId SeedKernels[]
    = { ToggleId::SeparableBlur, ToggleId::CachedKernels, ToggleId::NoFormatChurn };

const std::array<PresetInfo, 4> &presetTable()
{
    static const std::array<PresetInfo, 4> table = { {
        { "naive", "every toggle off: every inefficiency, including naive kernels", {} },
        { "seed-baseline",
            "the Python demo's original program: directory scans per extension, a copy per stage, one image "
            "at a time, nearest-neighbour resize, quality 95, nothing freed until the end; efficient kernels "
            "as the demo had",
            {} },
        { "seed-optimized",
            "the Python demo's optimized program: seed-baseline with parallel, no-copies, lanczos, "
            "balanced-quality, single-scan and streaming",
            { ToggleId::Parallel, ToggleId::NoCopies, ToggleId::Lanczos, ToggleId::BalancedQuality,
                ToggleId::SingleScan, ToggleId::Streaming } },
        { "optimized", "every toggle on", {} },
    } };
    return table;
}

} // namespace

QStringList presetNames()
{
    QStringList names;
    for (const PresetInfo &preset : presetTable())
        names << QLatin1String(preset.name);
    return names;
}

QString canonicalPresetName(const QString &name)
{
    return name == QLatin1String("baseline") ? QStringLiteral("naive") : name;
}

std::optional<ToggleSet> presetToggles(const QString &name)
{
    const QString canonical = canonicalPresetName(name);
    if (canonical == QLatin1String("naive"))
        return ToggleSet::allOff();
    if (canonical == QLatin1String("optimized"))
        return ToggleSet::allOn();
    for (const PresetInfo &preset : presetTable()) {
        if (canonical != QLatin1String(preset.name))
            continue;
        ToggleSet s;
        for (ToggleId id : SeedKernels)
            s.set(id);
        for (ToggleId id : preset.on)
            s.set(id);
        return s;
    }
    return std::nullopt;
}

QString presetsDescription()
{
    QStringList lines;
    for (const PresetInfo &preset : presetTable())
        lines << QStringLiteral("%1: %2").arg(QLatin1String(preset.name), QLatin1String(preset.description));
    lines << QStringLiteral("custom: any other combination (\"baseline\" is accepted for naive)");
    return lines.join(QLatin1Char('\n'));
}

QString presetNameFor(const ToggleSet &toggles)
{
    for (const QString &name : presetNames()) {
        if (presetToggles(name) == toggles)
            return name;
    }
    return QStringLiteral("custom");
}

} // namespace pixelperf
