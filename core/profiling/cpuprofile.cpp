#include "profiling/cpuprofile.h"

#include "pipeline/pipelineconfig.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <limits>
#include <set>

namespace pixelperf {

namespace {

// Counts read from a report are the file's: a crafted or damaged one may
// hold any int64, and merging must not overflow.
template <typename T> T addSaturating(T a, T b)
{
    T sum;
    if (!__builtin_add_overflow(a, b, &sum))
        return sum;
    return b > 0 ? std::numeric_limits<T>::max() : std::numeric_limits<T>::min();
}

// A count from a report: at least 0.
int64_t countOf(const QJsonValue &value)
{
    return std::max<int64_t>(0, value.toInteger());
}

} // namespace

namespace {

// The stage order of reports: scan, load … save, then outside stages.
int stageRank(const QString &name)
{
    const std::optional<Stage> stage = stageFromName(name);
    return stage ? int(*stage) : StageCount;
}

int childNamed(CallTree &tree, int parent, const QString &name)
{
    for (int child : tree.nodes[size_t(parent)].children)
        if (tree.nodes[size_t(child)].name == name)
            return child;
    CallTreeNode node;
    node.name = name;
    node.parent = parent;
    tree.nodes.push_back(node);
    const int index = int(tree.nodes.size()) - 1;
    tree.nodes[size_t(parent)].children.push_back(index);
    return index;
}

} // namespace

CallTree callTree(const CpuProfile &profile)
{
    CallTree tree;
    tree.nodes.push_back(CallTreeNode { QStringLiteral("all"), 0, 0, -1, {} });
    for (const auto &[stack, count] : profile.folded) {
        int at = 0;
        tree.nodes[0].total += count;
        for (const QString &frame : stack.split(QLatin1Char(';'))) {
            at = childNamed(tree, at, frame);
            tree.nodes[size_t(at)].total += count;
        }
        tree.nodes[size_t(at)].self += count;
    }
    for (CallTreeNode &node : tree.nodes)
        std::sort(node.children.begin(), node.children.end(), [&](int a, int b) {
            const CallTreeNode &x = tree.nodes[size_t(a)], &y = tree.nodes[size_t(b)];
            return node.parent < 0 ? stageRank(x.name) < stageRank(y.name) : x.name < y.name;
        });
    return tree;
}

std::vector<StageFunctions> topFunctionsByStage(const CpuProfile &profile, int count)
{
    std::map<QString, std::map<QString, FunctionCost>> costs;
    std::map<QString, int64_t> stageSamples;
    for (const auto &[stack, samples] : profile.folded) {
        const QStringList frames = stack.split(QLatin1Char(';'));
        const QString &stage = frames.first();
        stageSamples[stage] += samples;
        std::map<QString, FunctionCost> &functions = costs[stage];
        if (frames.size() > 1)
            functions[frames.last()].self += samples;
        const std::set<QString> onStack(frames.begin() + 1, frames.end());
        for (const QString &name : onStack)
            functions[name].total += samples;
    }
    std::vector<StageFunctions> result;
    for (auto &[stage, functions] : costs) {
        StageFunctions s { stage, stageSamples[stage], {} };
        for (auto &[name, cost] : functions) {
            cost.name = name;
            s.top.push_back(cost);
        }
        std::sort(s.top.begin(), s.top.end(), [](const FunctionCost &a, const FunctionCost &b) {
            return a.self != b.self ? a.self > b.self : a.name < b.name;
        });
        if (int(s.top.size()) > count)
            s.top.resize(size_t(count));
        result.push_back(std::move(s));
    }
    std::stable_sort(result.begin(), result.end(), [](const StageFunctions &a, const StageFunctions &b) {
        return stageRank(a.stage) < stageRank(b.stage);
    });
    return result;
}

CpuProfile mergeProfiles(const std::vector<const CpuProfile *> &profiles)
{
    CpuProfile merged;
    for (const CpuProfile *p : profiles) {
        if (!p)
            continue;
        if (merged.runs == 0) {
            merged.method = p->method;
            merged.rateHz = p->rateHz;
            merged.note = p->note;
        }
        merged.runs = addSaturating(merged.runs, std::max(1, p->runs));
        merged.samples = addSaturating(merged.samples, p->samples);
        merged.symbolizedSamples = addSaturating(merged.symbolizedSamples, p->symbolizedSamples);
        merged.unknownFrames = addSaturating(merged.unknownFrames, p->unknownFrames);
        merged.lostSamples = addSaturating(merged.lostSamples, p->lostSamples);
        for (const auto &[stack, count] : p->folded) {
            int64_t &total = merged.folded[stack];
            total = addSaturating(total, count);
        }
    }
    return merged;
}

QString profileSummaryText(const CpuProfile &profile)
{
    if (!profile.sampled())
        return QStringLiteral("not sampled: %1").arg(profile.note);
    QString text
        = QStringLiteral("%1 samples at %2 Hz of each worker's CPU time (%3), %4 % with a named innermost "
                         "frame, %5 unknown frames, %6 lost")
              .arg(profile.samples)
              .arg(profile.rateHz)
              .arg(QLatin1String(samplingMethodKey(profile.method)))
              .arg(100.0 * profile.symbolizedShare(), 0, 'f', 1)
              .arg(profile.unknownFrames)
              .arg(profile.lostSamples);
    if (profile.runs > 1)
        text += QStringLiteral(", over %1 runs").arg(profile.runs);
    if (!profile.note.isEmpty())
        text += QStringLiteral(" (%1)").arg(profile.note);
    return text;
}

QByteArray foldedStacks(const CpuProfile &profile)
{
    QByteArray out;
    for (const auto &[stack, count] : profile.folded)
        out += stack.toUtf8() + ' ' + QByteArray::number(qlonglong(count)) + '\n';
    return out;
}

QByteArray speedscopeJson(const CpuProfile &profile, const QString &name)
{
    struct StageSamples {
        QJsonArray samples;
        QJsonArray weights;
        double total = 0;
    };
    QJsonArray frames;
    std::map<QString, int> frameIndex;
    std::map<QString, StageSamples> perStage;
    const double msPerSample = profile.rateHz > 0 ? 1000.0 / profile.rateHz : 1.0;
    for (const auto &[stack, count] : profile.folded) {
        const QStringList names = stack.split(QLatin1Char(';'));
        QJsonArray indices; // root first, as speedscope reads a sampled stack
        for (const QString &frame : names.mid(1)) {
            auto [it, added] = frameIndex.emplace(frame, int(frames.size()));
            if (added)
                frames.append(QJsonObject { { QStringLiteral("name"), frame } });
            indices.append(it->second);
        }
        StageSamples &s = perStage[names.first()];
        s.samples.append(indices);
        s.weights.append(double(count) * msPerSample);
        s.total += double(count) * msPerSample;
    }
    std::vector<QString> stages;
    for (const auto &entry : perStage)
        stages.push_back(entry.first);
    std::stable_sort(stages.begin(), stages.end(),
        [](const QString &a, const QString &b) { return stageRank(a) < stageRank(b); });
    QJsonArray profiles;
    for (const QString &stage : stages) {
        const StageSamples &s = perStage[stage];
        profiles.append(QJsonObject { { QStringLiteral("type"), QStringLiteral("sampled") },
            { QStringLiteral("name"), stage }, { QStringLiteral("unit"), QStringLiteral("milliseconds") },
            { QStringLiteral("startValue"), 0 }, { QStringLiteral("endValue"), s.total },
            { QStringLiteral("samples"), s.samples }, { QStringLiteral("weights"), s.weights } });
    }
    const QJsonObject file {
        { QStringLiteral("$schema"), QStringLiteral("https://www.speedscope.app/file-format-schema.json") },
        { QStringLiteral("shared"), QJsonObject { { QStringLiteral("frames"), frames } } },
        { QStringLiteral("profiles"), profiles },
        { QStringLiteral("name"), name },
        { QStringLiteral("activeProfileIndex"), 0 },
        { QStringLiteral("exporter"), QStringLiteral("pixelperf") },
    };
    return QJsonDocument(file).toJson(QJsonDocument::Compact);
}

QJsonObject profileToJson(const CpuProfile &profile, int topCount)
{
    QJsonObject stages;
    for (const StageFunctions &s : topFunctionsByStage(profile, topCount)) {
        QJsonArray top;
        for (const FunctionCost &f : s.top)
            top.append(QJsonObject { { QStringLiteral("function"), f.name },
                { QStringLiteral("self_samples"), qint64(f.self) },
                { QStringLiteral("total_samples"), qint64(f.total) } });
        stages[s.stage] = QJsonObject { { QStringLiteral("samples"), qint64(s.samples) },
            { QStringLiteral("top_self"), top } };
    }
    QJsonArray folded;
    for (const auto &[stack, count] : profile.folded)
        folded.append(QJsonArray { stack, qint64(count) });
    return QJsonObject {
        { QStringLiteral("method"), QLatin1String(samplingMethodKey(profile.method)) },
        { QStringLiteral("note"), profile.note },
        { QStringLiteral("rate_hz"), profile.rateHz },
        { QStringLiteral("runs"), profile.runs },
        { QStringLiteral("samples"), qint64(profile.samples) },
        { QStringLiteral("symbolized_samples"), qint64(profile.symbolizedSamples) },
        { QStringLiteral("unknown_frames"), qint64(profile.unknownFrames) },
        { QStringLiteral("lost_samples"), qint64(profile.lostSamples) },
        { QStringLiteral("stages"), stages },
        { QStringLiteral("folded"), folded },
    };
}

std::shared_ptr<CpuProfile> profileFromJson(const QJsonObject &object)
{
    if (!object.contains(QStringLiteral("method")))
        return nullptr;
    auto profile = std::make_shared<CpuProfile>();
    profile->method = samplingMethodFromKey(object.value(QStringLiteral("method")).toString());
    profile->note = object.value(QStringLiteral("note")).toString();
    profile->rateHz = object.value(QStringLiteral("rate_hz")).toInt();
    profile->runs = object.value(QStringLiteral("runs")).toInt(1);
    profile->samples = countOf(object.value(QStringLiteral("samples")));
    profile->symbolizedSamples = countOf(object.value(QStringLiteral("symbolized_samples")));
    profile->unknownFrames = countOf(object.value(QStringLiteral("unknown_frames")));
    profile->lostSamples = countOf(object.value(QStringLiteral("lost_samples")));
    for (const QJsonValue &line : object.value(QStringLiteral("folded")).toArray()) {
        const QJsonArray pair = line.toArray();
        const QString stack = pair.at(0).toString();
        if (!stack.isEmpty() && pair.at(1).toInteger() > 0) {
            int64_t &total = profile->folded[stack];
            total = addSaturating<int64_t>(total, pair.at(1).toInteger());
        }
    }
    return profile;
}

} // namespace pixelperf
