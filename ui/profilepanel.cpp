#include "profilepanel.h"

#include "calltreemodel.h"
#include "flamegraphview.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTreeView>
#include <QVBoxLayout>

namespace pixelperf {

ProfilePanel::ProfilePanel(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("profilePanel"));
    // The tables under the graph: both get the panel's whole width (in a
    // window beside the toggles, side by side left the function names none).
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("profileSplitter"));
    splitter->addWidget(buildGraphs());
    splitter->addWidget(buildTables());
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({ 600, 400 });
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(buildControls());
    layout->addWidget(m_summary);
    layout->addWidget(splitter, 1);
    refresh();
}

QWidget *ProfilePanel::buildControls()
{
    auto *controls = new QWidget(this);
    m_mode = new QComboBox(controls);
    m_mode->setObjectName(QStringLiteral("profileMode"));
    m_mode->addItem(tr("This run"));
    m_mode->addItem(tr("Difference to the comparison run"));
    m_mode->setEnabled(false);
    m_mode->setToolTip(tr("The difference needs a comparison run (A) and this run (B)"));
    m_stage = new QComboBox(controls);
    m_stage->setObjectName(QStringLiteral("profileStage"));
    m_stage->setAccessibleName(tr("Stage filter"));
    m_search = new QLineEdit(controls);
    m_search->setObjectName(QStringLiteral("profileSearch"));
    m_search->setPlaceholderText(tr("Search functions"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search functions"));
    m_matches = new QLabel(controls);
    m_matches->setObjectName(QStringLiteral("profileMatches"));
    auto *reset = new QPushButton(tr("Reset zoom"), controls);
    reset->setObjectName(QStringLiteral("profileResetZoom"));
    // Two rows, so the panel fits beside the toggles in a 1,024 px window.
    auto *grid = new QGridLayout(controls);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(m_mode, 0, 0);
    grid->addWidget(new QLabel(tr("Stage:"), controls), 0, 1);
    grid->addWidget(m_stage, 0, 2, 1, 2);
    grid->addWidget(m_search, 1, 0);
    grid->addWidget(m_matches, 1, 1, 1, 2);
    grid->addWidget(reset, 1, 3);
    grid->setColumnStretch(0, 1);
    connect(m_mode, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
    connect(m_stage, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_runView->setSearch(text);
        m_diffView->setSearch(text);
        refreshMatches();
    });
    connect(reset, &QPushButton::clicked, this, [this] { activeView()->resetZoom(); });
    return controls;
}

QWidget *ProfilePanel::buildGraphs()
{
    auto *box = new QWidget(this);
    m_graphs = new QStackedWidget(box);
    m_runView = new FlameGraphView;
    m_diffView = new FlameGraphView;
    m_diffView->setObjectName(QStringLiteral("differentialFlameGraph"));
    for (FlameGraphView *view : { m_runView, m_diffView }) {
        auto *scroll = new QScrollArea(m_graphs);
        scroll->setWidgetResizable(true);
        scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        scroll->setWidget(view);
        m_graphs->addWidget(scroll);
        connect(view, &FlameGraphView::selectedNodeChanged, this, &ProfilePanel::selectNodeInTables);
    }
    m_vanishedTitle = new QLabel(tr("Only in A: these frames have no samples in B, so B's shape cannot show "
                                    "them (share of A's samples):"),
        box);
    m_vanishedTitle->setWordWrap(true);
    m_vanished = new QListWidget(box);
    m_vanished->setObjectName(QStringLiteral("vanishedFrames"));
    m_vanished->setMaximumHeight(110);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_graphs, 1);
    layout->addWidget(m_vanishedTitle);
    layout->addWidget(m_vanished);
    return box;
}

QTreeView *ProfilePanel::newTable(CallTreeModel *model, QSortFilterProxyModel *proxy, int sortColumn)
{
    proxy->setSourceModel(model);
    proxy->setSortRole(CallTreeModel::SortRole);
    auto *view = new QTreeView(this);
    view->setModel(proxy);
    view->setUniformRowHeights(true);
    view->setIndentation(12);
    view->setTextElideMode(Qt::ElideMiddle); // "pixelperf::blurNa…uble, bool)": the name and its end
    view->setSortingEnabled(true);
    view->sortByColumn(sortColumn, Qt::DescendingOrder);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->header()->setSectionResizeMode(CallTreeModel::FunctionColumn, QHeaderView::Stretch);
    view->header()->setStretchLastSection(false);
    for (int column = CallTreeModel::SelfColumn; column < CallTreeModel::ColumnCount; ++column)
        view->header()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    const bool topDown = model == m_topDownModel;
    connect(view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this, topDown](const QModelIndex &current) { tableRowChanged(current, topDown); });
    return view;
}

QWidget *ProfilePanel::buildTables()
{
    auto *tabs = new QTabWidget(this);
    m_topDownModel = new CallTreeModel(CallTreeModel::Direction::TopDown, this);
    m_bottomUpModel = new CallTreeModel(CallTreeModel::Direction::BottomUp, this);
    m_topDownProxy = new QSortFilterProxyModel(this);
    m_bottomUpProxy = new QSortFilterProxyModel(this);
    m_topDown = newTable(m_topDownModel, m_topDownProxy, CallTreeModel::TotalColumn);
    m_topDown->setObjectName(QStringLiteral("topDownTable"));
    m_bottomUp = newTable(m_bottomUpModel, m_bottomUpProxy, CallTreeModel::SelfColumn);
    m_bottomUp->setObjectName(QStringLiteral("bottomUpTable"));
    tabs->addTab(m_topDown, tr("Top-down"));
    tabs->addTab(m_bottomUp, tr("Bottom-up"));
    return tabs;
}

FlameGraphView *ProfilePanel::activeView() const
{
    return mode() == Mode::Difference ? m_diffView : m_runView;
}

ProfilePanel::Mode ProfilePanel::mode() const
{
    return m_mode->currentIndex() == 1 ? Mode::Difference : Mode::Run;
}

void ProfilePanel::setMode(Mode mode)
{
    if (mode == Mode::Difference && !m_mode->isEnabled())
        return;
    m_mode->setCurrentIndex(mode == Mode::Difference ? 1 : 0);
}

void ProfilePanel::setProfile(const CpuProfile &run)
{
    m_runView->setProfile(run);
    m_runSummary = profileSummaryText(run);
    refresh();
}

void ProfilePanel::setComparison(const CpuProfile &a, const CpuProfile &b)
{
    m_diffView->setComparison(a, b);
    m_diffSummary = tr("A: %1. B: %2. Red: the frame's share of samples grew from A to B; blue: it shrank.")
                        .arg(profileSummaryText(a), profileSummaryText(b));
    m_mode->setEnabled(true);
    refresh();
}

void ProfilePanel::clearComparison()
{
    m_diffView->setProfile(CpuProfile {});
    m_diffSummary.clear();
    m_mode->setCurrentIndex(0);
    m_mode->setEnabled(false);
    refresh();
}

void ProfilePanel::refresh()
{
    const bool difference = mode() == Mode::Difference;
    FlameGraphView *view = activeView();
    m_graphs->setCurrentIndex(difference ? 1 : 0);
    m_summary->setText(difference ? m_diffSummary : m_runSummary);
    refreshStages();
    const QString filter = m_stage->currentData().toString();
    m_runView->setStageFilter(filter);
    m_diffView->setStageFilter(filter);
    // The tables read the shown graph's tree: again only when it changed.
    if (view != m_tablesFrom || view->tree().revision() != m_tablesRevision || filter != m_tablesFilter) {
        m_tablesFrom = view;
        m_tablesRevision = view->tree().revision();
        m_tablesFilter = filter;
        m_topDownModel->setTree(&view->tree(), filter);
        m_bottomUpModel->setTree(&view->tree(), filter);
    }
    refreshMatches();
    refreshVanished();
}

void ProfilePanel::refreshStages()
{
    QStringList stages;
    const FlameTree &tree = activeView()->tree();
    for (int stage : tree.node(0).children)
        stages.append(tree.name(stage));
    QStringList shown;
    for (int i = 1; i < m_stage->count(); ++i)
        shown.append(m_stage->itemData(i).toString());
    if (m_stage->count() > 0 && shown == stages)
        return;
    const QString current = m_stage->currentData().toString();
    const QSignalBlocker blocker(m_stage);
    m_stage->clear();
    m_stage->addItem(tr("All stages"), QString());
    for (const QString &stage : stages)
        m_stage->addItem(stage, stage);
    m_stage->setCurrentIndex(std::max(0, m_stage->findData(current)));
}

void ProfilePanel::refreshMatches()
{
    const FlameGraphView *view = activeView();
    m_matches->setText(m_search->text().trimmed().isEmpty()
            ? QString()
            : tr("%1 % of the samples match").arg(100.0 * view->searchMatchShare(), 0, 'f', 1));
}

void ProfilePanel::refreshVanished()
{
    const bool difference = mode() == Mode::Difference;
    m_vanishedTitle->setVisible(difference);
    m_vanished->setVisible(difference);
    m_vanished->clear();
    if (!difference)
        return;
    const FlameTree &tree = m_diffView->tree();
    const QString filter = m_stage->currentData().toString();
    const int stage = tree.stageNode(filter);
    const int64_t all = stage >= 0 ? tree.node(stage).baseTotal : tree.node(0).baseTotal;
    for (const VanishedFrame &frame : tree.vanished()) {
        if (!filter.isEmpty() && frame.path.first() != filter)
            continue;
        const double share = all > 0 ? 100.0 * double(frame.samples) / double(all) : 0.0;
        // The frame first, its callers shortened (the whole path in the tooltip).
        const QStringList &path = frame.path;
        const QStringList callers = path.mid(0, path.size() - 1);
        const QString from = callers.isEmpty()
            ? tr("a whole stage")
            : tr("called from %1")
                  .arg(callers.size() <= 2 ? callers.join(QStringLiteral(" › "))
                                           : callers.first() + QStringLiteral(" › … › ") + callers.last());
        auto *item = new QListWidgetItem(tr("%1: %2 % of A (%3 samples), %4")
                                             .arg(path.last())
                                             .arg(share, 0, 'f', 1)
                                             .arg(frame.samples)
                                             .arg(from),
            m_vanished);
        item->setToolTip(path.join(QStringLiteral(" › ")));
    }
    if (m_vanished->count() == 0)
        m_vanished->addItem(tr("none: every frame of A is in B's shape"));
}

void ProfilePanel::selectNode(int node)
{
    activeView()->setSelectedNode(node);
    selectNodeInTables(node);
}

void ProfilePanel::selectNodeInTables(int node)
{
    if (m_syncing)
        return;
    m_syncing = true;
    const FlameGraphView *view = activeView();
    const QModelIndex topDown = m_topDownProxy->mapFromSource(m_topDownModel->indexOfNode(node));
    const QModelIndex bottomUp = node > 0
        ? m_bottomUpProxy->mapFromSource(m_bottomUpModel->indexOfFunction(view->tree().name(node)))
        : QModelIndex();
    for (const auto &[table, index] :
        { std::pair { m_topDown, topDown }, std::pair { m_bottomUp, bottomUp } }) {
        if (!index.isValid()) {
            table->selectionModel()->clear();
            continue;
        }
        table->selectionModel()->setCurrentIndex(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        table->scrollTo(index);
    }
    m_syncing = false;
}

void ProfilePanel::tableRowChanged(const QModelIndex &current, bool topDown)
{
    if (m_syncing || !current.isValid())
        return;
    m_syncing = true;
    FlameGraphView *view = activeView();
    if (topDown) {
        const int node = current.data(CallTreeModel::NodeRole).toInt();
        view->setHighlightedFunction(QString());
        view->setSelectedNode(node);
        if (view->frameRect(node).isEmpty()) // zoomed away or too narrow: show its caller whole
            view->zoomTo(std::max(0, view->tree().node(node).parent));
    } else {
        view->setSelectedNode(-1);
        view->setHighlightedFunction(
            current.siblingAtColumn(CallTreeModel::FunctionColumn).data().toString());
    }
    m_syncing = false;
}

} // namespace pixelperf
