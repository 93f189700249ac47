// The parameter table: one row per field of PipelineParams a user sets (what
// the pipeline computes), read by validation, the CLI, the window's panel and
// settings, the JSON report (writer and reader) and the comparison, as the
// toggle table is for the schedule. The defaults are PipelineParams'.
#pragma once

#include "pipeline/pipelineconfig.h"

#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <array>

namespace pixelperf {

enum class ParamId {
    Width,
    Height,
    ResizeMode,
    BlurRadius,
    Sharpen,
    Contrast,
    Brightness,
    Quality,
    Jobs,
    Recursive,
    CacheMiB,
    BlurStage,
    SharpenStage,
    ContrastStage,
    BrightnessStage,
    Count_ // not a parameter: how many there are
};
constexpr int ParamCount = int(ParamId::Count_);

enum class ParamKind {
    Integer,
    Real,
    Choice, // one of paramChoices(), stored as its index
    Switch, // on or off, stored as 1 or 0
};

struct ParamInfo {
    ParamId id;
    const char *key; // stable id: JSON report and window settings
    const char *group; // the JSON object it sits in under "params", or nullptr
    const char *cliOption; // the CLI option that sets it alone, or nullptr (--size, --skip)
    const char *name; // in messages and --help: "blur radius"
    const char *label; // the window's label, with its Alt letter
    const char *objectName; // the window's field
    const char *help; // what it does, for a tooltip
    ParamKind kind;
    double min; // Integer, Real
    double max;
    const char *unit; // the window's suffix: " px"
    const char *zeroText; // Integer: what 0 means ("auto"), which the CLI does not take; or nullptr
    double (*get)(const PipelineParams &);
    void (*set)(PipelineParams &, double);
};

const std::array<ParamInfo, ParamCount> &paramTable();
const ParamInfo &paramInfo(ParamId id);
const ParamInfo *paramFromCliOption(const QString &option);

// A Choice's values, in index order ("stretch", "fit", "fill").
QStringList paramChoices(ParamId id);
// The stage a per-stage switch turns off ("blur"), for --skip; empty for others.
QStringList skippableStages();

double paramValue(const PipelineParams &params, ParamId id);
void setParamValue(PipelineParams &params, ParamId id, double value);
double paramDefault(ParamId id);
// The lowest value the CLI takes (a zeroText's 0 is not one).
double paramCliMin(const ParamInfo &info);

// The value as a report writes it (a number, a choice's name, a boolean)
// and back; a value of the wrong type reads as `fallback`.
QJsonValue paramJson(const PipelineParams &params, ParamId id);
double paramFromJson(const QJsonValue &value, ParamId id, double fallback);
// The same from a stored setting, where numbers may be text ("800").
double paramFromVariant(const QVariant &value, ParamId id, double fallback);
// "2", "1.5", "fit", "on": for messages and differences.
QString paramText(double value, ParamId id);
// "blur radius (0 to 50; default 2)": the CLI's help for its option.
QString paramCliHelp(ParamId id);
// Empty when in range, else "blur radius 60 is out of range (0..50)".
QString paramRangeError(const PipelineParams &params, ParamId id);

} // namespace pixelperf
