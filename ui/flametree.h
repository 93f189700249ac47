// A profile's call tree as the flame graph and the caller/callee tables read
// it: node 0 is every sample, its children the stages (in pipeline order),
// then the frames from outermost in (by name, so a live graph does not
// reshuffle). Unlike core's callTree() it grows in place: a live run's
// profile, handed again with more samples, only adds counts and nodes, so
// node indices (the zoom, the selection) stay valid. A baseline (run A of a
// comparison) can be laid over the shape: each node then also carries A's
// samples on the same path, and A's paths that the shape lacks are listed.
#pragma once

#include "profiling/cpuprofile.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <map>
#include <vector>

namespace pixelperf {

struct FlameNode {
    int name = -1; // index into FlameTree::name()
    int parent = -1;
    int depth = 0; // 0 the root, 1 the stages, then frames
    int stage = -1; // the Stage under which the node is; -1 for the root and outside stages
    int64_t self = 0; // samples with this frame innermost
    int64_t total = 0; // samples through this frame
    int64_t baseSelf = 0; // the same for the baseline's samples on this path
    int64_t baseTotal = 0;
    std::vector<int> children; // stages in pipeline order, frames by name
};

// A path of the baseline that the shape lacks: the outermost missing frame
// with its callers (the stage first), and the baseline's samples through it.
struct VanishedFrame {
    QStringList path;
    int64_t samples = 0;
};

class FlameTree
{
public:
    FlameTree();

    // Takes the profile's folded stacks. When they only grew since the last
    // call (a live run) the new samples are added and every node keeps its
    // index; otherwise the tree is built anew and true is returned (indices
    // changed: look nodes up again by path()).
    bool setShape(const CpuProfile &profile);
    // Lays the baseline's samples over the shape (nullptr: none). Kept and
    // laid again over every later setShape().
    void setBaseline(const CpuProfile *profile);
    bool hasBaseline() const { return m_hasBaseline; }

    const std::vector<FlameNode> &nodes() const { return m_nodes; }
    const FlameNode &node(int index) const { return m_nodes[size_t(index)]; }
    const QString &name(int index) const { return m_names[size_t(m_nodes[size_t(index)].name)]; }
    int nameCount() const { return int(m_names.size()); }
    const QString &nameAt(int nameId) const { return m_names[size_t(nameId)]; }
    // The frames from the stage down to the node ("blur", "main", …); empty for the root.
    QStringList path(int index) const;
    // The node at that path, or -1.
    int find(const QStringList &path) const;
    // The stage node (depth 1) named so, or -1.
    int stageNode(const QString &stageName) const;
    // The baseline's frames that vanished from the shape, most samples first.
    const std::vector<VanishedFrame> &vanished() const { return m_vanished; }
    // Bumped by every change, so views know when to lay out again.
    int revision() const { return m_revision; }

private:
    void clear();
    int internName(const QString &name);
    int childOf(int parent, int nameId) const;
    int addChild(int parent, int nameId);
    void addStack(const QString &stack, int64_t count);
    void layBaseline();

    std::vector<FlameNode> m_nodes;
    std::vector<QString> m_names;
    QHash<QString, int> m_nameIds;
    QHash<quint64, int> m_childIds; // (parent, name) → node
    std::map<QString, int64_t> m_seen; // the folded stacks already added
    bool m_hasBaseline = false;
    std::map<QString, int64_t> m_baseline;
    std::vector<VanishedFrame> m_vanished;
    int m_revision = 0;
};

} // namespace pixelperf
