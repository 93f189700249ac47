#include "pipeline/pipelineconfig.h"

#include "pipeline/stages/save.h"

#include <QThread>

namespace pixelperf {

const char *stageName(Stage stage)
{
    static const char *names[StageCount] = { "scan",     "load",       "resize",
                                             "blur",     "sharpen",    "contrast",
                                             "brightness", "convert", "save" };
    return names[int(stage)];
}

std::optional<Stage> stageFromName(const QString &name)
{
    for (int i = 0; i < StageCount; ++i) {
        if (name == QLatin1String(stageName(Stage(i))))
            return Stage(i);
    }
    return std::nullopt;
}

const std::array<Stage, 8> &imageStages()
{
    static const std::array<Stage, 8> stages = { Stage::Load,     Stage::Resize,
                                                 Stage::Blur,     Stage::Sharpen,
                                                 Stage::Contrast, Stage::Brightness,
                                                 Stage::Convert,  Stage::Save };
    return stages;
}

const char *resizeModeName(ResizeMode mode)
{
    switch (mode) {
    case ResizeMode::Stretch:
        return "stretch";
    case ResizeMode::Fit:
        return "fit";
    case ResizeMode::Fill:
        return "fill";
    }
    return "stretch";
}

int PipelineParams::effectiveJobs() const
{
    return jobs > 0 ? jobs : qMax(1, QThread::idealThreadCount());
}

int PipelineParams::saveQuality(const ToggleSet &toggles) const
{
    return jpegQuality(*this, toggles.isOn(ToggleId::BalancedQuality));
}

QString PipelineParams::validate() const
{
    if (width < 1 || height < 1 || width > 20000 || height > 20000)
        return QStringLiteral("output size %1x%2 is out of range (1..20000 per side)")
                .arg(width)
                .arg(height);
    if (!(blurRadius >= 0 && blurRadius <= 50))  // NaN too
        return QStringLiteral("blur radius %1 is out of range (0..50)").arg(blurRadius);
    if (!(sharpen >= 0 && sharpen <= 10))  // NaN too
        return QStringLiteral("sharpen factor %1 is out of range (0..10)").arg(sharpen);
    if (!(contrast >= 0 && contrast <= 10))  // NaN too
        return QStringLiteral("contrast factor %1 is out of range (0..10)").arg(contrast);
    if (!(brightness >= 0 && brightness <= 10))  // NaN too
        return QStringLiteral("brightness factor %1 is out of range (0..10)").arg(brightness);
    if (quality < 1 || quality > 100)
        return QStringLiteral("JPEG quality %1 is out of range (1..100)").arg(quality);
    if (jobs < 0 || jobs > 256)
        return QStringLiteral("jobs %1 is out of range (1..256)").arg(jobs);
    if (cacheMiB < 0)
        return QStringLiteral("cache size must not be negative");
    return {};
}

} // namespace pixelperf
