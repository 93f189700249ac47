#include "flametree.h"

#include "pipeline/pipelineconfig.h"

#include <algorithm>

namespace pixelperf {

namespace {

quint64 childKey(int parent, int nameId)
{
    return (quint64(quint32(parent)) << 32) | quint32(nameId);
}

// Stages in pipeline order (outside stages last), frames by name.
int stageRank(const QString &name)
{
    const std::optional<Stage> stage = stageFromName(name);
    return stage ? int(*stage) : StageCount;
}

// What the live profile added since `seen`, or false when a stack lost
// samples or vanished (another profile: build anew).
bool grownBy(const std::map<QString, int64_t> &seen, const std::map<QString, int64_t> &now,
    std::vector<std::pair<const QString *, int64_t>> *added)
{
    auto old = seen.begin();
    for (const auto &[stack, count] : now) {
        if (old != seen.end() && old->first < stack)
            return false;
        int64_t before = 0;
        if (old != seen.end() && old->first == stack)
            before = (old++)->second;
        if (count < before)
            return false;
        if (count > before)
            added->emplace_back(&stack, count - before);
    }
    return old == seen.end();
}

} // namespace

FlameTree::FlameTree()
{
    clear();
}

void FlameTree::clear()
{
    m_nodes.clear();
    m_names.clear();
    m_nameIds.clear();
    m_childIds.clear();
    m_seen.clear();
    m_nodes.push_back(FlameNode { internName(QStringLiteral("all")), -1, 0, -1, 0, 0, 0, 0, {} });
}

bool FlameTree::setShape(const CpuProfile &profile)
{
    std::vector<std::pair<const QString *, int64_t>> added;
    const bool grown = grownBy(m_seen, profile.folded, &added);
    if (grown && added.empty())
        return false;
    if (!grown) {
        clear();
        for (const auto &[stack, count] : profile.folded)
            addStack(stack, count);
    } else {
        for (const auto &[stack, count] : added)
            addStack(*stack, count);
    }
    m_seen = profile.folded;
    if (m_hasBaseline)
        layBaseline();
    ++m_revision;
    return !grown;
}

void FlameTree::setBaseline(const CpuProfile *profile)
{
    m_hasBaseline = profile != nullptr;
    m_baseline = profile ? profile->folded : std::map<QString, int64_t> {};
    layBaseline();
    ++m_revision;
}

int FlameTree::internName(const QString &name)
{
    auto it = m_nameIds.constFind(name);
    if (it != m_nameIds.constEnd())
        return it.value();
    m_names.push_back(name);
    m_nameIds.insert(name, int(m_names.size()) - 1);
    return int(m_names.size()) - 1;
}

int FlameTree::childOf(int parent, int nameId) const
{
    return m_childIds.value(childKey(parent, nameId), -1);
}

int FlameTree::addChild(int parent, int nameId)
{
    const int found = childOf(parent, nameId);
    if (found >= 0)
        return found;
    FlameNode node;
    node.name = nameId;
    node.parent = parent;
    node.depth = m_nodes[size_t(parent)].depth + 1;
    if (parent == 0) {
        const std::optional<Stage> stage = stageFromName(m_names[size_t(nameId)]);
        node.stage = stage ? int(*stage) : -1;
    } else {
        node.stage = m_nodes[size_t(parent)].stage;
    }
    const int index = int(m_nodes.size());
    m_nodes.push_back(node);
    m_childIds.insert(childKey(parent, nameId), index);
    // Keep the siblings in order as they come, so indices never move.
    std::vector<int> &siblings = m_nodes[size_t(parent)].children;
    const QString &name = m_names[size_t(nameId)];
    const auto before = [&](int sibling) {
        const QString &other = m_names[size_t(m_nodes[size_t(sibling)].name)];
        return parent == 0
            ? stageRank(other) < stageRank(name) || (stageRank(other) == stageRank(name) && other < name)
            : other < name;
    };
    siblings.insert(std::partition_point(siblings.begin(), siblings.end(), before), index);
    return index;
}

void FlameTree::addStack(const QString &stack, int64_t count)
{
    int at = 0;
    m_nodes[0].total += count;
    for (const QStringView frame : QStringView(stack).split(QLatin1Char(';'))) {
        at = addChild(at, internName(frame.toString()));
        m_nodes[size_t(at)].total += count;
    }
    m_nodes[size_t(at)].self += count;
}

void FlameTree::layBaseline()
{
    for (FlameNode &node : m_nodes)
        node.baseSelf = node.baseTotal = 0;
    std::map<QStringList, int64_t> vanished;
    for (const auto &[stack, count] : m_baseline) {
        int at = 0;
        m_nodes[0].baseTotal += count;
        QStringList path;
        for (const QStringView frame : QStringView(stack).split(QLatin1Char(';'))) {
            path.append(frame.toString());
            const auto id = m_nameIds.constFind(path.last());
            const int child = id == m_nameIds.constEnd() ? -1 : childOf(at, id.value());
            if (child < 0) {
                vanished[path] += count;
                at = -1;
                break;
            }
            at = child;
            m_nodes[size_t(at)].baseTotal += count;
        }
        if (at >= 0)
            m_nodes[size_t(at)].baseSelf += count;
    }
    m_vanished.clear();
    for (auto &[path, samples] : vanished)
        m_vanished.push_back(VanishedFrame { path, samples });
    std::stable_sort(m_vanished.begin(), m_vanished.end(),
        [](const VanishedFrame &a, const VanishedFrame &b) { return a.samples > b.samples; });
}

QStringList FlameTree::path(int index) const
{
    QStringList path;
    for (int at = index; at > 0; at = m_nodes[size_t(at)].parent)
        path.prepend(name(at));
    return path;
}

int FlameTree::find(const QStringList &path) const
{
    int at = 0;
    for (const QString &frame : path) {
        const auto id = m_nameIds.constFind(frame);
        at = id == m_nameIds.constEnd() ? -1 : childOf(at, id.value());
        if (at < 0)
            return -1;
    }
    return at;
}

int FlameTree::stageNode(const QString &stageName) const
{
    return stageName.isEmpty() ? -1 : find(QStringList { stageName });
}

} // namespace pixelperf
