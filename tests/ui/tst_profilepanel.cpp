// The profile panel as a user drives it (offscreen): the tables (top-down,
// bottom-up, their numbers and sorting), selection between the tables and the
// graph both ways, the search box and stage filter, the difference mode with
// the frames only in A, and live updates that keep the tables' state.
#include "calltreemodel.h"
#include "flamegraphview.h"
#include "foldedprofiles.h"
#include "profilepanel.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSortFilterProxyModel>
#include <QTabBar>
#include <QTabWidget>
#include <QTest>
#include <QTreeView>

using namespace pixelperf;
using namespace pixelperf::testing;

namespace {

// The visible row of `table` whose path of names (from the top) is `path`.
QModelIndex rowOf(QTreeView *table, const QStringList &path)
{
    QModelIndex at;
    for (const QString &name : path) {
        const QAbstractItemModel *model = table->model();
        QModelIndex found;
        for (int row = 0; row < model->rowCount(at) && !found.isValid(); ++row)
            if (model->index(row, 0, at).data().toString() == name)
                found = model->index(row, 0, at);
        if (!found.isValid())
            return QModelIndex();
        table->expand(found);
        at = found;
    }
    return at;
}

// Brings the table's tab forward, as a click on the tab does, then clicks the row.
void clickRow(QTreeView *table, const QModelIndex &index)
{
    QWidget *page = table;
    QTabWidget *tabs = nullptr;
    while (page->parentWidget() && !(tabs = qobject_cast<QTabWidget *>(page->parentWidget()->parentWidget())))
        page = page->parentWidget();
    QVERIFY(tabs);
    QTest::mouseClick(
        tabs->tabBar(), Qt::LeftButton, {}, tabs->tabBar()->tabRect(tabs->indexOf(table)).center());
    QVERIFY(table->isVisible());
    table->scrollTo(index);
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(index).center());
}

QStringList column(const QAbstractItemModel *model, int column, const QModelIndex &parent = QModelIndex())
{
    QStringList values;
    for (int row = 0; row < model->rowCount(parent); ++row)
        values.append(model->index(row, column, parent).data().toString());
    return values;
}

} // namespace

class TestProfilePanel : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void topDownIsTheTree();
    void bottomUpListsFunctionsByCallers();
    void bottomUpCountsRecursionOnce();
    void clickingAFrameSelectsItsRows();
    void selectingARowOutlinesTheFrame();
    void searchBoxReportsMatchingShare();
    void stageFilterReachesGraphAndTables();
    void differenceModeShowsBAndListsOnlyInA();
    void liveUpdateKeepsTablesAndZoom();
    void unsampledRunSaysWhy();

private:
    ProfilePanel *m_panel = nullptr;
    int node(const QString &path) const
    {
        return m_panel->activeView()->tree().find(path.split(QLatin1Char(';')));
    }
};

void TestProfilePanel::init()
{
    m_panel = new ProfilePanel;
    m_panel->resize(1200, 500);
    m_panel->setProfile(pipelineProfile());
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel));
}

void TestProfilePanel::cleanup()
{
    delete m_panel;
    m_panel = nullptr;
}

void TestProfilePanel::topDownIsTheTree()
{
    QTreeView *table = m_panel->topDownView();
    // Sorted by total, most first.
    QCOMPARE(column(table->model(), CallTreeModel::FunctionColumn),
        QStringList({ QStringLiteral("blur"), QStringLiteral("resize"), QStringLiteral("load") }));
    const QModelIndex naive
        = rowOf(table, { QStringLiteral("blur"), QStringLiteral("main"), QStringLiteral("blurNaive") });
    QVERIFY(naive.isValid());
    QCOMPARE(naive.siblingAtColumn(CallTreeModel::SelfColumn).data().toString(), QStringLiteral("100"));
    QCOMPARE(naive.siblingAtColumn(CallTreeModel::TotalColumn).data().toString(), QStringLiteral("600"));
    QCOMPARE(
        naive.siblingAtColumn(CallTreeModel::TotalShareColumn).data().toString(), QStringLiteral("60.0 %"));
    // Sorting by another column, as a click on its header does.
    table->sortByColumn(CallTreeModel::FunctionColumn, Qt::AscendingOrder);
    QCOMPARE(column(table->model(), CallTreeModel::FunctionColumn),
        QStringList({ QStringLiteral("blur"), QStringLiteral("load"), QStringLiteral("resize") }));
}

void TestProfilePanel::bottomUpListsFunctionsByCallers()
{
    QTreeView *table = m_panel->bottomUpView();
    const QStringList functions = column(table->model(), CallTreeModel::FunctionColumn);
    QCOMPARE(functions.first(), QStringLiteral("convolve")); // the most self samples
    QCOMPARE(functions.size(), 6); // main, decode, blurNaive, convolve, weights, resample
    const QModelIndex main = rowOf(table, { QStringLiteral("main") });
    QCOMPARE(main.siblingAtColumn(CallTreeModel::SelfColumn).data().toString(), QStringLiteral("0"));
    QCOMPARE(main.siblingAtColumn(CallTreeModel::TotalColumn).data().toString(), QStringLiteral("1000"));
    // Its callers: the stages, each with main's samples under it.
    QCOMPARE(table->model()->rowCount(main), 3);
    const QModelIndex convolve = rowOf(table,
        { QStringLiteral("convolve"), QStringLiteral("blurNaive"), QStringLiteral("main"),
            QStringLiteral("blur") });
    QVERIFY(convolve.isValid());
    QCOMPARE(convolve.siblingAtColumn(CallTreeModel::SelfColumn).data().toString(), QStringLiteral("500"));
    QVERIFY(!table->model()->hasChildren(convolve));
}

void TestProfilePanel::bottomUpCountsRecursionOnce()
{
    m_panel->setProfile(
        foldedProfile({ { QStringLiteral("blur;f;f;f"), 30 }, { QStringLiteral("blur;f;g"), 10 } }));
    const QModelIndex f = rowOf(m_panel->bottomUpView(), { QStringLiteral("f") });
    QCOMPARE(f.siblingAtColumn(CallTreeModel::SelfColumn).data().toString(), QStringLiteral("30"));
    QCOMPARE(f.siblingAtColumn(CallTreeModel::TotalColumn).data().toString(), QStringLiteral("40"));
    QCOMPARE(f.siblingAtColumn(CallTreeModel::TotalShareColumn).data().toString(), QStringLiteral("100.0 %"));
}

void TestProfilePanel::clickingAFrameSelectsItsRows()
{
    FlameGraphView *view = m_panel->runView();
    const int weights = node("blur;main;weights");
    QTest::mouseClick(view, Qt::LeftButton, {}, view->frameRect(weights).center().toPoint());
    const QModelIndex topDown = m_panel->topDownView()->currentIndex();
    QCOMPARE(topDown.data(CallTreeModel::NodeRole).toInt(), weights);
    QVERIFY(m_panel->topDownView()->selectionModel()->isRowSelected(topDown.row(), topDown.parent()));
    QCOMPARE(m_panel->bottomUpView()->currentIndex().data().toString(), QStringLiteral("weights"));
}

void TestProfilePanel::selectingARowOutlinesTheFrame()
{
    FlameGraphView *view = m_panel->runView();
    const int resample = node("resize;main;resample");
    const QRectF frame = view->frameRect(resample);
    const QPoint edge(int(frame.center().x()), int(frame.top()) + 1);
    const QColor before = view->grab().toImage().pixelColor(edge);
    clickRow(m_panel->topDownView(),
        rowOf(m_panel->topDownView(),
            { QStringLiteral("resize"), QStringLiteral("main"), QStringLiteral("resample") }));
    QCOMPARE(view->selectedNode(), resample);
    const QColor highlight = view->palette().color(QPalette::Highlight);
    QCOMPARE(view->grab().toImage().pixelColor(edge), highlight);
    QVERIFY(before != highlight);
    // A bottom-up row outlines every frame of its function: main, in each stage.
    clickRow(m_panel->bottomUpView(), rowOf(m_panel->bottomUpView(), { QStringLiteral("main") }));
    QCOMPARE(view->selectedNode(), -1);
    const QImage image = view->grab().toImage();
    for (const QString &path :
        { QStringLiteral("load;main"), QStringLiteral("resize;main"), QStringLiteral("blur;main") }) {
        const QRectF r = view->frameRect(node(path));
        QCOMPARE(image.pixelColor(QPoint(int(r.center().x()), int(r.top()) + 1)), highlight);
    }
    QVERIFY(image.pixelColor(edge) != highlight);
}

void TestProfilePanel::searchBoxReportsMatchingShare()
{
    QTest::keyClicks(m_panel->searchField(), QStringLiteral("resa"));
    QCOMPARE(m_panel->matchLabel()->text(), QStringLiteral("20.0 % of the samples match"));
    QCOMPARE(m_panel->runView()->searchMatchShare(), 0.2);
    m_panel->searchField()->clear();
    QCOMPARE(m_panel->matchLabel()->text(), QString());
}

void TestProfilePanel::stageFilterReachesGraphAndTables()
{
    QComboBox *stages = m_panel->stageBox();
    QCOMPARE(stages->count(), 4); // all, load, resize, blur
    stages->setFocus();
    QTest::keyClick(stages, Qt::Key_End); // blur, the last stage in pipeline order
    QCOMPARE(stages->currentData().toString(), QStringLiteral("blur"));
    FlameGraphView *view = m_panel->runView();
    QCOMPARE(view->stageFilter(), QStringLiteral("blur"));
    QVERIFY(view->frameRect(node("resize")).isEmpty());
    QCOMPARE(column(m_panel->topDownView()->model(), 0), QStringList { QStringLiteral("blur") });
    const QModelIndex main = rowOf(m_panel->bottomUpView(), { QStringLiteral("main") });
    QCOMPARE(main.siblingAtColumn(CallTreeModel::TotalColumn).data().toString(), QStringLiteral("700"));
    QCOMPARE(
        main.siblingAtColumn(CallTreeModel::TotalShareColumn).data().toString(), QStringLiteral("100.0 %"));
    QTest::keyClicks(m_panel->searchField(), QStringLiteral("weights"));
    QCOMPARE(m_panel->matchLabel()->text(), QStringLiteral("14.3 % of the samples match"));
}

void TestProfilePanel::differenceModeShowsBAndListsOnlyInA()
{
    QVERIFY(!m_panel->modeBox()->isEnabled());
    const CpuProfile a = foldedProfile({ { QStringLiteral("blur;main;blurNaive;convolve"), 800 },
        { QStringLiteral("blur;main;weights"), 200 } });
    const CpuProfile b = foldedProfile({ { QStringLiteral("blur;main;blurSeparable;rows"), 300 },
        { QStringLiteral("blur;main;weights"), 100 } });
    m_panel->setComparison(a, b);
    QVERIFY(m_panel->modeBox()->isEnabled());
    QVERIFY(m_panel->vanishedList()->isHidden());
    m_panel->modeBox()->setFocus();
    QTest::keyClick(m_panel->modeBox(), Qt::Key_Down);
    QCOMPARE(m_panel->mode(), ProfilePanel::Mode::Difference);
    QCOMPARE(m_panel->activeView(), m_panel->diffView());
    QVERIFY(m_panel->diffView()->isVisible() && !m_panel->runView()->isVisible());
    QVERIFY(m_panel->vanishedList()->isVisible());
    QCOMPARE(m_panel->vanishedList()->count(), 1);
    QCOMPARE(m_panel->vanishedList()->item(0)->text(),
        QStringLiteral("blurNaive: 80.0 % of A (800 samples), called from blur › main"));
    QCOMPARE(m_panel->vanishedList()->item(0)->toolTip(), QStringLiteral("blur › main › blurNaive"));
    // The tables follow the graph shown: B's.
    QCOMPARE(column(m_panel->bottomUpView()->model(), 0).first(), QStringLiteral("rows"));
    QVERIFY(m_panel->summaryLabel()->text().contains(QLatin1String("Red")));
    QTest::keyClick(m_panel->modeBox(), Qt::Key_Up);
    QCOMPARE(m_panel->activeView(), m_panel->runView());
    QCOMPARE(column(m_panel->bottomUpView()->model(), 0).first(), QStringLiteral("convolve"));
}

void TestProfilePanel::liveUpdateKeepsTablesAndZoom()
{
    FlameGraphView *view = m_panel->runView();
    const int naive = node("blur;main;blurNaive");
    QTest::mouseClick(view, Qt::LeftButton, {}, view->frameRect(naive).center().toPoint());
    QTreeView *table = m_panel->topDownView();
    const QModelIndex current = table->currentIndex();
    QVERIFY(table->isExpanded(current.parent()));
    CpuProfile grown = pipelineProfile();
    for (int step = 1; step <= 3; ++step) { // a run's profile, read every 200 ms
        grown.folded[QStringLiteral("blur;main;blurNaive;convolve")] += 100;
        grown.folded[QStringLiteral("blur;main;blurNaive;edge%1").arg(step)] = 10;
        m_panel->setProfile(grown);
    }
    QCOMPARE(view->zoomNode(), naive);
    QCOMPARE(view->selectedNode(), naive);
    QCOMPARE(table->currentIndex().data(CallTreeModel::NodeRole).toInt(), naive);
    QVERIFY(table->isExpanded(table->currentIndex().parent()));
    QCOMPARE(table->currentIndex().siblingAtColumn(CallTreeModel::TotalColumn).data().toString(),
        QStringLiteral("930"));
    QVERIFY(view->frameRect(node("blur;main;blurNaive;edge3")).width() > 0);
}

void TestProfilePanel::unsampledRunSaysWhy()
{
    CpuProfile off;
    off.note = QStringLiteral("this platform has no sampler");
    m_panel->setProfile(off);
    QVERIFY(m_panel->summaryLabel()->text().contains(off.note));
    QVERIFY(m_panel->runView()->emptyText().contains(off.note));
    QCOMPARE(m_panel->topDownView()->model()->rowCount(), 0);
    QCOMPARE(m_panel->stageBox()->count(), 1);
}

QTEST_MAIN(TestProfilePanel)
#include "tst_profilepanel.moc"
