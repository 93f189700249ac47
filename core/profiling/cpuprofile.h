// A run's sampled call stacks as data: what the CLI exports, the reports
// summarise and a window can draw while the run goes and after it. Plain
// values, copied freely; the call tree and the top functions are derived.
#pragma once

#include "profiling/callstacksampler.h"

#include <QJsonObject>
#include <QString>

#include <map>
#include <vector>

namespace pixelperf {

// The first frame of every stack: the stage the thread was in, or this.
inline QString outsideStagesName()
{
    return QStringLiteral("outside stages");
}
// A frame that could not be named; "[unknown in libfoo.so]" when its module is known.
inline QString unknownFrameName()
{
    return QStringLiteral("[unknown]");
}

// One sample of this process's run, in time order.
struct ProfileSample {
    int64_t tNs = 0; // since the run started (the recorder's clock)
    int worker = -1; // the recorder's lane
    int image = -1; // the image the span was for; -1 outside stages
    int stage = -1; // a Stage; -1 outside stages
    int stack = -1; // index into CpuProfile::stacks
    int weight = 1; // sampling periods it stands for (RawSample::weight)
};

struct CpuProfile {
    SamplingMethod method = SamplingMethod::Off;
    QString note; // why sampling is off, or what it could not do
    int rateHz = 0;
    // Counts are in samples of one period (1/rateHz s of a worker's CPU
    // time) each; a late timer signal counts as the periods it stands for.
    int64_t samples = 0; // every sample taken (lost ones aside)
    int64_t symbolizedSamples = 0; // whose innermost frame has a name
    int64_t unknownFrames = 0; // frames shown as "[unknown…]"
    int64_t lostSamples = 0; // the kernel's ring was full (PERF_RECORD_LOST) or the handler's
    int runs = 0; // runs merged into it
    // Folded stacks: "stage;outermost;…;innermost" → samples.
    std::map<QString, int64_t> folded;
    // This process's samples and their distinct stacks ("outermost;…;innermost");
    // empty when the profile was read back from a report or merged.
    std::vector<QString> stacks;
    std::vector<ProfileSample> timeline;

    bool sampled() const { return method != SamplingMethod::Off; }
    double symbolizedShare() const { return samples > 0 ? double(symbolizedSamples) / double(samples) : 0; }
};

struct CallTreeNode {
    QString name;
    int64_t self = 0; // samples with this frame innermost
    int64_t total = 0; // samples through this frame
    int parent = -1;
    std::vector<int> children;
};

// nodes[0] is the root (every sample); its children are the stages, then
// the frames from outermost in. Children are in order of name.
struct CallTree {
    std::vector<CallTreeNode> nodes;
};
CallTree callTree(const CpuProfile &profile);

struct FunctionCost {
    QString name;
    int64_t self = 0; // samples with the function innermost
    int64_t total = 0; // samples with the function anywhere on the stack (once per sample)
};

struct StageFunctions {
    QString stage; // a stage name or outsideStagesName()
    int64_t samples = 0;
    std::vector<FunctionCost> top; // by self samples, then name
};

// Per stage (in pipeline order, then outside stages), its `count` functions
// with the most self samples.
std::vector<StageFunctions> topFunctionsByStage(const CpuProfile &profile, int count);

// Sums the profiles of several runs (all measured repetitions): counts and
// stacks add, the method is the first run's; the timelines are dropped.
CpuProfile mergeProfiles(const std::vector<const CpuProfile *> &profiles);

// "12034 samples at 1000 Hz of each worker's CPU time (perf_event), 99.1 %
// with a named innermost frame, 310 unknown frames, 0 lost"; when not
// sampled, why.
QString profileSummaryText(const CpuProfile &profile);

// "stage;frame;…;frame count" lines, the flamegraph.pl / inferno format.
QByteArray foldedStacks(const CpuProfile &profile);
// speedscope's file format: one "sampled" profile per stage, weights in
// milliseconds of CPU time (samples / rate).
QByteArray speedscopeJson(const CpuProfile &profile, const QString &name);

// The JSON report's "profile": the summary, the top functions per stage and
// the folded stacks (so a report read back, or a child's, still has them).
QJsonObject profileToJson(const CpuProfile &profile, int topCount = 10);
// Null when the object has no profile (reports from before it).
std::shared_ptr<CpuProfile> profileFromJson(const QJsonObject &object);

} // namespace pixelperf
