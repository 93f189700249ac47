#include "pipeline/pipelineconfig.h"

#include "pipeline/parameters.h"
#include "pipeline/stages/save.h"

#include <QDir>
#include <QFileInfo>
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

void PipelineConfig::setInputFiles(const QStringList &files)
{
    inputFiles.clear();
    for (const QString &file : files)
        inputFiles << QDir::cleanPath(QFileInfo(file).absoluteFilePath());
    inputDir = commonFolder(inputFiles);
}

QStringList PipelineConfig::inputFolders() const
{
    if (inputFiles.isEmpty())
        return { inputDir };
    QStringList folders;
    for (const QString &file : inputFiles) {
        const QString folder = QFileInfo(file).absolutePath();
        if (!folders.contains(folder))
            folders << folder;
    }
    return folders;
}

QString commonFolder(const QStringList &files)
{
    if (files.isEmpty())
        return {};
    QStringList common = QFileInfo(files.first()).absolutePath().split(QLatin1Char('/'));
    for (const QString &file : files) {
        const QStringList parts = QFileInfo(file).absolutePath().split(QLatin1Char('/'));
        qsizetype same = 0;
        while (same < common.size() && same < parts.size() && common[same] == parts[same])
            ++same;
        common.resize(same);
    }
    const QString folder = common.join(QLatin1Char('/'));
    return folder.isEmpty() ? QStringLiteral("/") : folder;
}

} // namespace pixelperf
