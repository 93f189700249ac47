#include "pipeline/parameters.h"

#include <cmath>
#include <type_traits>

namespace pixelperf {

namespace {

template <auto Member> double get(const PipelineParams &p)
{
    return double(p.*Member);
}

template <auto Member> void set(PipelineParams &p, double v)
{
    using T = std::remove_reference_t<decltype(p.*Member)>;
    if constexpr (std::is_same_v<T, bool>)
        p.*Member = v != 0;
    else if constexpr (std::is_same_v<T, double>)
        p.*Member = v;
    else
        p.*Member = T(int(std::lround(v)));
}

constexpr const char *Stages = "stages_enabled";
constexpr double Huge = 1 << 20;

} // namespace

const std::array<ParamInfo, ParamCount> &paramTable()
{
    using K = ParamKind;
    using P = PipelineParams;
    static const std::array<ParamInfo, ParamCount> table = { {
        { ParamId::Width, "width", nullptr, nullptr, "output width", "Output &size:", "paramWidth",
            "Output width in pixels", K::Integer, 1, 20000, " px", nullptr, get<&P::width>, set<&P::width> },
        { ParamId::Height, "height", nullptr, nullptr, "output height", nullptr, "paramHeight",
            "Output height in pixels", K::Integer, 1, 20000, " px", nullptr, get<&P::height>,
            set<&P::height> },
        { ParamId::ResizeMode, "resize_mode", nullptr, "--mode", "how the image fits the size",
            "Resize &mode:", "paramResizeMode",
            "stretch: to the size exactly; fit: inside it, keeping the aspect ratio; fill: covering it, "
            "cropped",
            K::Choice, 0, 2, nullptr, nullptr, get<&P::resizeMode>, set<&P::resizeMode> },
        { ParamId::BlurRadius, "blur_radius", nullptr, "--blur", "blur radius", "&Blur radius:", "paramBlur",
            "Gaussian sigma in pixels; 0 skips the blur stage", K::Real, 0, 50, " px", nullptr,
            get<&P::blurRadius>, set<&P::blurRadius> },
        { ParamId::Sharpen, "sharpen", nullptr, "--sharpen", "sharpen factor", "Sharpe&n:", "paramSharpen",
            "Pillow ImageEnhance.Sharpness factor (1 = unchanged)", K::Real, 0, 10, nullptr, nullptr,
            get<&P::sharpen>, set<&P::sharpen> },
        { ParamId::Contrast, "contrast", nullptr, "--contrast", "contrast factor",
            "C&ontrast:", "paramContrast", "Pillow ImageEnhance.Contrast factor (1 = unchanged)", K::Real, 0,
            10, nullptr, nullptr, get<&P::contrast>, set<&P::contrast> },
        { ParamId::Brightness, "brightness", nullptr, "--brightness", "brightness factor",
            "Br&ightness:", "paramBrightness", "Pillow ImageEnhance.Brightness factor (1 = unchanged)",
            K::Real, 0, 10, nullptr, nullptr, get<&P::brightness>, set<&P::brightness> },
        { ParamId::Quality, "quality", nullptr, "--quality", "JPEG quality with balanced-quality on",
            "JPEG &quality:", "paramQuality", "JPEG quality with balanced-quality on (off: 95)", K::Integer,
            1, 100, nullptr, nullptr, get<&P::quality>, set<&P::quality> },
        { ParamId::Jobs, "jobs", nullptr, "--jobs", "worker threads", "&Jobs:", "paramJobs",
            "Worker threads with parallel on (off: one)", K::Integer, 0, 256, nullptr, "the cores",
            get<&P::jobs>, set<&P::jobs> },
        { ParamId::Recursive, "recursive", nullptr, "--recursive",
            "process subfolders too (symlinked folders are not followed)", "Incl&ude subfolders",
            "paramRecursive",
            "Process the images of subfolders too, their outputs in matching subfolders (symlinked folders "
            "are "
            "not followed)",
            K::Switch, 0, 1, nullptr, nullptr, get<&P::recursive>, set<&P::recursive> },
        { ParamId::CacheMiB, "cache_mib", nullptr, "--cache-mib", "the decode cache's size in MiB",
            "&Decode cache:", "paramCacheMiB",
            "The decode cache's capacity with decode-cache on; the warm-ups fill it", K::Integer, 0, Huge,
            " MiB", nullptr, get<&P::cacheMiB>, set<&P::cacheMiB> },
        { ParamId::BlurStage, "blur", Stages, nullptr, "blur stage", "blur", "paramStageBlur",
            "Run the blur stage (off: skipped)", K::Switch, 0, 1, nullptr, nullptr, get<&P::blurEnabled>,
            set<&P::blurEnabled> },
        { ParamId::SharpenStage, "sharpen", Stages, nullptr, "sharpen stage", "sharpen", "paramStageSharpen",
            "Run the sharpen stage (off: skipped)", K::Switch, 0, 1, nullptr, nullptr,
            get<&P::sharpenEnabled>, set<&P::sharpenEnabled> },
        { ParamId::ContrastStage, "contrast", Stages, nullptr, "contrast stage", "contrast",
            "paramStageContrast", "Run the contrast stage (off: skipped)", K::Switch, 0, 1, nullptr, nullptr,
            get<&P::contrastEnabled>, set<&P::contrastEnabled> },
        { ParamId::BrightnessStage, "brightness", Stages, nullptr, "brightness stage", "brightness",
            "paramStageBrightness", "Run the brightness stage (off: skipped)", K::Switch, 0, 1, nullptr,
            nullptr, get<&P::brightnessEnabled>, set<&P::brightnessEnabled> },
    } };
    return table;
}

const ParamInfo &paramInfo(ParamId id)
{
    return paramTable()[size_t(id)];
}

const ParamInfo *paramFromCliOption(const QString &option)
{
    for (const ParamInfo &info : paramTable())
        if (info.cliOption && option == QLatin1String(info.cliOption))
            return &info;
    return nullptr;
}

QStringList paramChoices(ParamId id)
{
    if (id != ParamId::ResizeMode)
        return {};
    QStringList names;
    for (ResizeMode mode : { ResizeMode::Stretch, ResizeMode::Fit, ResizeMode::Fill })
        names << QLatin1String(resizeModeName(mode));
    return names;
}

QStringList skippableStages()
{
    QStringList stages;
    for (const ParamInfo &info : paramTable())
        if (info.group && QLatin1String(info.group) == QLatin1String(Stages))
            stages << QLatin1String(info.key);
    return stages;
}

double paramValue(const PipelineParams &params, ParamId id)
{
    return paramInfo(id).get(params);
}

void setParamValue(PipelineParams &params, ParamId id, double value)
{
    paramInfo(id).set(params, value);
}

double paramDefault(ParamId id)
{
    return paramValue(PipelineParams(), id);
}

double paramCliMin(const ParamInfo &info)
{
    return info.zeroText && info.min == 0 ? 1 : info.min;
}

QJsonValue paramJson(const PipelineParams &params, ParamId id)
{
    const double v = paramValue(params, id);
    switch (paramInfo(id).kind) {
    case ParamKind::Integer:
        return int(v);
    case ParamKind::Real:
        return v;
    case ParamKind::Choice:
        return paramChoices(id).value(int(v));
    case ParamKind::Switch:
        return v != 0;
    }
    return {};
}

double paramFromJson(const QJsonValue &value, ParamId id, double fallback)
{
    switch (paramInfo(id).kind) {
    case ParamKind::Integer:
        return value.toInt(int(fallback));
    case ParamKind::Real:
        return value.toDouble(fallback);
    case ParamKind::Choice: {
        const int index = paramChoices(id).indexOf(value.toString());
        return index >= 0 ? index : fallback;
    }
    case ParamKind::Switch:
        return value.toBool(fallback != 0);
    }
    return fallback;
}

double paramFromVariant(const QVariant &value, ParamId id, double fallback)
{
    if (!value.isValid())
        return fallback;
    bool ok = false;
    switch (paramInfo(id).kind) {
    case ParamKind::Integer: {
        const int v = value.toInt(&ok);
        return ok ? v : fallback;
    }
    case ParamKind::Real: {
        const double v = value.toDouble(&ok);
        return ok ? v : fallback;
    }
    case ParamKind::Choice: {
        const int index = paramChoices(id).indexOf(value.toString());
        return index >= 0 ? index : fallback;
    }
    case ParamKind::Switch:
        return value.toBool() ? 1 : 0;
    }
    return fallback;
}

QString paramText(double value, ParamId id)
{
    switch (paramInfo(id).kind) {
    case ParamKind::Choice:
        return paramChoices(id).value(int(value));
    case ParamKind::Switch:
        return value != 0 ? QStringLiteral("on") : QStringLiteral("off");
    default:
        return QString::number(value, 'g', 12);
    }
}

QString paramCliHelp(ParamId id)
{
    const ParamInfo &info = paramInfo(id);
    const double def = paramDefault(id);
    const QString name = QLatin1String(info.name);
    switch (info.kind) {
    case ParamKind::Switch:
        return name;
    case ParamKind::Choice:
        return QStringLiteral("%1 (default: %2)").arg(name, paramText(def, id));
    default:
        break;
    }
    const QString defText = def == 0 && info.zeroText
        ? QStringLiteral("default: %1").arg(QLatin1String(info.zeroText))
        : QStringLiteral("default %1").arg(paramText(def, id));
    return QStringLiteral("%1 (%2 to %3; %4)")
        .arg(name, paramText(paramCliMin(info), id), paramText(info.max, id), defText);
}

QString paramRangeError(const PipelineParams &params, ParamId id)
{
    const ParamInfo &info = paramInfo(id);
    if (info.kind != ParamKind::Integer && info.kind != ParamKind::Real)
        return {};
    const double v = paramValue(params, id);
    if (v >= info.min && v <= info.max) // false for NaN too
        return {};
    return QStringLiteral("%1 %2 is out of range (%3..%4)")
        .arg(QLatin1String(info.name), paramText(v, id), paramText(info.min, id), paramText(info.max, id));
}

} // namespace pixelperf
