#include "reports/flamegraphsvg.h"

#include "reports/stagecolors.h"

namespace pixelperf {

namespace {

constexpr double Width = 1200;
constexpr int RowHeight = 17;
constexpr int MaxDepth = 64;
constexpr double MinWidth = 0.5; // narrower frames are not drawn (their samples stay in the parent's width)

QString stageColour(const QString &name)
{
    const std::optional<Stage> stage = stageFromName(name);
    return stage ? stageHex(*stage) : QStringLiteral("#9e9e9e"); // outside stages
}

struct Layout {
    const CallTree &tree;
    double scale; // pixels per sample
    QString svg;
    int deepest = 0;
};

void drawNode(Layout &layout, int index, double x, int depth, const QString &colour)
{
    const CallTreeNode &node = layout.tree.nodes[size_t(index)];
    const double w = double(node.total) * layout.scale;
    if (w < MinWidth || depth >= MaxDepth)
        return;
    layout.deepest = std::max(layout.deepest, depth);
    const double all = double(layout.tree.nodes[0].total);
    const QString name = node.name.toHtmlEscaped();
    const int chars = int((w - 6) / 7);
    const QString label = chars < 3
        ? QString()
        : (node.name.size() <= chars ? node.name : node.name.left(chars - 1) + QChar(0x2026)).toHtmlEscaped();
    // Deeper frames are lighter, so neighbouring rows stay apart.
    const double opacity = 1.0 - 0.5 * double(depth % 6) / 6.0;
    layout.svg += QStringLiteral(
        "<g><title>%1: %2 % total, %3 % self (%4 samples)</title>"
        "<rect x=\"%5\" y=\"%6\" width=\"%7\" height=\"%8\" fill=\"%9\" fill-opacity=\"%10\"/>")
                      .arg(name)
                      .arg(100.0 * double(node.total) / all, 0, 'f', 1)
                      .arg(100.0 * double(node.self) / all, 0, 'f', 1)
                      .arg(node.total)
                      .arg(x, 0, 'f', 1)
                      .arg(depth * RowHeight)
                      .arg(w, 0, 'f', 1)
                      .arg(RowHeight - 1)
                      .arg(colour)
                      .arg(opacity, 0, 'f', 2);
    if (!label.isEmpty())
        layout.svg += QStringLiteral("<text x=\"%1\" y=\"%2\">%3</text>")
                          .arg(x + 3, 0, 'f', 1)
                          .arg(depth * RowHeight + RowHeight - 5)
                          .arg(label);
    layout.svg += QStringLiteral("</g>\n");
    double at = x;
    for (int child : node.children) {
        drawNode(layout, child, at, depth + 1, colour);
        at += double(layout.tree.nodes[size_t(child)].total) * layout.scale;
    }
}

} // namespace

QString flameGraphSection(const CpuProfile *profile)
{
    QString html = QStringLiteral("<h2>Where the CPU time went: sampled call stacks</h2>\n");
    if (!profile || !profile->sampled() || profile->samples == 0) {
        const QString why = !profile
            ? QStringLiteral("call stacks were not sampled (--no-sample or --no-profile)")
            : !profile->sampled() ? QStringLiteral("call stacks could not be sampled: %1").arg(profile->note)
                                  : QStringLiteral("no call-stack samples were taken");
        return html + QStringLiteral("<p>%1.</p>\n").arg(why.toHtmlEscaped());
    }
    html += QStringLiteral("<p>%1. Width = samples; the stages on top, callees below; hover a frame for its "
                           "share.</p>\n")
                .arg(profileSummaryText(*profile).toHtmlEscaped());
    const CallTree tree = callTree(*profile);
    Layout layout { tree, Width / double(tree.nodes[0].total), QString(), 0 };
    double at = 0;
    for (int stage : tree.nodes[0].children) {
        drawNode(layout, stage, at, 0, stageColour(tree.nodes[size_t(stage)].name));
        at += double(tree.nodes[size_t(stage)].total) * layout.scale;
    }
    const int height = (layout.deepest + 1) * RowHeight;
    html += QStringLiteral(
        "<svg class=\"flamegraph\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%1\" height=\"%2\" "
        "viewBox=\"0 0 %1 %2\" font-family=\"monospace\" font-size=\"11\">\n%3</svg>\n")
                .arg(Width)
                .arg(height)
                .arg(layout.svg);
    return html;
}

} // namespace pixelperf
