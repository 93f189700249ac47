#include "pipeline/toggles.h"

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
        { ToggleId::NoCopies, "no-copies", "No defensive copies",
          "stages work in place or move buffers",
          "every stage deep-copies its input first", "all", false },
        { ToggleId::NoFormatChurn, "no-format-churn", "One pixel format",
          "one 24-bit RGB working format through the pipeline",
          "converts to 32-bit RGBA and back around every stage", "all", false },
        { ToggleId::ShrinkOnLoad, "shrink-on-load", "Shrink on load",
          "JPEG decoded at 1/2, 1/4 or 1/8 scale (DCT scaling) when the target allows",
          "full-size decode, then resize", "load", true },
        { ToggleId::Lanczos, "lanczos", "Lanczos resampling",
          "Lanczos-3 antialiased resampling",
          "nearest-neighbour resampling", "resize", true },
        { ToggleId::SeparableBlur, "separable-blur", "Separable blur",
          "Gaussian as two 1-D passes, O(r) per pixel",
          "naive 2-D convolution, O(r\u00b2) per pixel", "blur", false },
        { ToggleId::CachedKernels, "cached-kernels", "Cached kernels",
          "resize weights and blur kernels computed once and memoized",
          "resize weights computed afresh for every image, blur kernel for every row (same loops otherwise)",
          "resize", false },
        { ToggleId::FusedPointOps, "fused-point-ops", "Fused point operations",
          "contrast, brightness and convert in one lookup-table pass",
          "three separate full-image passes in floating point", "contrast", false },
        { ToggleId::Streaming, "streaming", "Streaming",
          "bounded in-flight work; each image's buffers freed right after save",
          "every decoded and processed image kept until the run ends", "all", false },
        { ToggleId::BalancedQuality, "balanced-quality", "Balanced JPEG quality",
          "JPEG quality 80 (or the quality parameter)",
          "JPEG quality 95", "save", true },
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

QStringList presetNames()
{
    return { QStringLiteral("baseline"), QStringLiteral("seed-optimized"),
             QStringLiteral("optimized") };
}

std::optional<ToggleSet> presetToggles(const QString &name)
{
    if (name == QLatin1String("baseline"))
        return ToggleSet::allOff();
    if (name == QLatin1String("optimized"))
        return ToggleSet::allOn();
    if (name == QLatin1String("seed-optimized")) {
        // What the Python demo's optimized version did.
        ToggleSet s;
        for (ToggleId id : { ToggleId::Parallel, ToggleId::NoCopies, ToggleId::Lanczos,
                             ToggleId::BalancedQuality, ToggleId::SingleScan,
                             ToggleId::NoFormatChurn, ToggleId::Streaming })
            s.set(id);
        return s;
    }
    return std::nullopt;
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
