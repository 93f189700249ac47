#include "pipeline/pipelineconfig.h"

#include "pipeline/parameters.h"
#include "pipeline/stages/save.h"

#include <QThread>

namespace pixelperf {

const char *stageName(Stage stage)
{
    static const char *names[StageCount]
        = { "scan", "load", "resize", "blur", "sharpen", "contrast", "brightness", "convert", "save" };
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
    static const std::array<Stage, 8> stages = { Stage::Load, Stage::Resize, Stage::Blur, Stage::Sharpen,
        Stage::Contrast, Stage::Brightness, Stage::Convert, Stage::Save };
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
    for (const ParamInfo &info : paramTable())
        if (const QString error = paramRangeError(*this, info.id); !error.isEmpty())
            return error;
    return {};
}

} // namespace pixelperf
