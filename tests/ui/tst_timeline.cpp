// The timeline: its level of detail on its own (TimelineIndex), the widget
// zoomed, panned and fitted with real wheel, mouse and key events, and the
// window's file list and timeline selecting the same image.
#include "dashboardmodel.h"
#include "dashboardview.h"
#include "imagebreakdownview.h"
#include "imagelistmodel.h"
#include "isolatedsettings.h"
#include "mainwindow.h"
#include "previewpane.h"
#include "runhistorymodel.h"
#include "samples/samplegenerator.h"
#include "timelineindex.h"
#include "timelinewidget.h"
#include "togglepanel.h"

#include <QApplication>
#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QWheelEvent>

#include <memory>

using namespace pixelperf;

namespace {

// `perLane` spans of `ns` each, back to back, on each of `workers` lanes;
// the stages in turn; image i takes stages i*8 .. i*8+7 of its lane.
ProfileSnapshot backToBack(int workers, int perLane, int64_t ns)
{
    ProfileSnapshot snap;
    snap.workers = workers;
    for (int w = 0; w < workers; ++w) {
        for (int i = 0; i < perLane; ++i) {
            StageSpan s;
            s.setWorker(w);
            s.setImage((i / 8) * workers + w);
            s.setStage(imageStages()[size_t(i % 8)]);
            s.setTimes(int64_t(i) * ns, int64_t(i + 1) * ns);
            s.setCpuNs(ns / 2);
            s.setBytesAllocated(1000 * uint64_t(i % 8 + 1));
            s.setCopies(uint32_t(i % 3));
            snap.spans.push_back(s);
        }
    }
    snap.elapsedNs = int64_t(perLane) * ns;
    return snap;
}

// A timeline 600 x 220 on two workers of 400 spans of a millisecond each, shown.
struct Shown {
    DashboardModel model;
    TimelineWidget timeline;
    Shown()
    {
        model.addSnapshot(backToBack(2, 400, 1000000));
        timeline.resize(600, 220);
        timeline.setModel(&model);
        timeline.show();
    }
};

void wheel(QWidget *w, QPointF at, int delta)
{
    QWheelEvent e(at, w->mapToGlobal(at), QPoint(), QPoint(0, delta), Qt::NoButton, Qt::NoModifier,
        Qt::NoScrollPhase, false);
    QApplication::sendEvent(w, &e);
}

} // namespace

class TestTimeline : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void denseColumnsAreOneBlockInTheDominantStage();
    void wideSpansAreDrawnWhole();
    void indexReadsOnlyNewSpans();
    void fiftyThousandSpansDrawBoundedByWidthTimesLanes();
    void wheelZoomKeepsTheTimeUnderTheCursor();
    void dragPansAndHomeFits();
    void keysZoomAndPan();
    void clickSelectsTheSpansImage();
    void windowClickSelectsTheFileAndShowsItsStages();
    void windowFileSelectionHighlightsItsSpans();

private:
    // The window shown, the samples opened and run once (small outputs).
    void runSamples(MainWindow &window);

    test::IsolatedSettings m_settings;
    QTemporaryDir m_samples;
};

void TestTimeline::initTestCase()
{
    QVERIFY(m_settings.setUp(QStringLiteral("tst_timeline")));
    const GenerateResult r = generateSamples(m_samples.path(), 4, 320, 200);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
}

void TestTimeline::runSamples(MainWindow &window)
{
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    PipelineParams p;
    p.width = 160;
    p.height = 120;
    window.togglePanel()->setParams(p);
    QVERIFY(window.openFolder(m_samples.path()));
    QTRY_COMPARE(window.imageModel()->count(), 4);
    QVERIFY(window.startRun());
    QTRY_VERIFY_WITH_TIMEOUT(!window.isRunning() && window.historyModel()->count() == 1, 30000);
}

void TestTimeline::denseColumnsAreOneBlockInTheDominantStage()
{
    // 1,000 spans in 10 pixels: ten blocks, each a column. In each column a
    // long blur span covers most of the time beside short load spans.
    DashboardModel model;
    ProfileSnapshot snap;
    snap.workers = 1;
    int64_t t = 0;
    for (int i = 0; i < 1000; ++i) {
        StageSpan s;
        s.setWorker(0);
        s.setImage(i);
        s.setStage(i % 4 == 0 ? Stage::Blur : Stage::Load);
        const int64_t ns = s.stage() == Stage::Blur ? 70 : 10;
        s.setTimes(t, t + ns);
        t += ns;
        snap.spans.push_back(s);
    }
    model.addSnapshot(snap);
    TimelineIndex index;
    index.update(&model);
    QCOMPARE(index.spanCount(1), size_t(1000));
    const double nsPerPixel = double(t) / 10;
    const std::vector<TimelineBlock> blocks = index.blocks(1, 0, nsPerPixel, 10);
    QCOMPARE(int(blocks.size()), 10);
    for (const TimelineBlock &b : blocks) {
        QCOMPARE(b.x1 - b.x0, 1.0);
        QCOMPARE(b.stage, Stage::Blur);
        QCOMPARE(b.span, -1);
    }
    // The same spans seen from far enough in are drawn one by one.
    const std::vector<TimelineBlock> close = index.blocks(1, 0, 1, 500);
    QCOMPARE(close.front().span, 0);
    QCOMPARE(close.front().x1, 70.0);
    QCOMPARE(close[1].stage, Stage::Load);
    QCOMPARE(close[1].x0, 70.0);
}

void TestTimeline::wideSpansAreDrawnWhole()
{
    DashboardModel model;
    model.addSnapshot(backToBack(2, 8, 1000));
    TimelineIndex index;
    index.update(&model);
    QCOMPARE(index.laneCount(), 3);
    // 1 ns a pixel, starting 500 ns in: the first span cut at the edge.
    const std::vector<TimelineBlock> blocks = index.blocks(2, 500, 1, 3000);
    QCOMPARE(int(blocks.size()), 4);
    QCOMPARE(blocks[0].x0, 0.0);
    QCOMPARE(blocks[0].x1, 500.0);
    QCOMPARE(blocks[0].stage, imageStages()[0]);
    QCOMPARE(blocks[3].x1, 3000.0);
    QCOMPARE(blocks[2].stage, imageStages()[2]);
    // A click at 2,500 ns on worker 1 finds its third span.
    const int at = index.spanAt(2, 2500, 1);
    QVERIFY(at >= 0);
    QCOMPARE(model.spans()[size_t(at)].worker(), 1);
    QCOMPARE(model.spans()[size_t(at)].startNs(), int64_t(2000));
    QCOMPARE(index.spanAt(2, 9000, 10), -1);
}

void TestTimeline::indexReadsOnlyNewSpans()
{
    DashboardModel model;
    TimelineIndex index;
    model.addSnapshot(backToBack(1, 100, 10));
    QCOMPARE(index.update(&model), size_t(0));
    QCOMPARE(index.spanCount(1), size_t(100));
    ProfileSnapshot more = backToBack(1, 50, 10);
    for (StageSpan &s : more.spans) {
        s.setTimes(s.startNs() + 1000, s.endNs() + 1000);
    }
    model.addSnapshot(more);
    QCOMPARE(index.update(&model), size_t(100));
    QCOMPARE(index.spanCount(1), size_t(150));
    QCOMPARE(index.update(&model), size_t(150));
    // A reset (another run): read again from the start.
    model.reset();
    model.addSnapshot(backToBack(1, 10, 10));
    QCOMPARE(index.update(&model), size_t(0));
    QCOMPARE(index.spanCount(1), size_t(10));
}

void TestTimeline::fiftyThousandSpansDrawBoundedByWidthTimesLanes()
{
    DashboardModel model;
    model.addSnapshot(backToBack(2, 25000, 2000));
    QCOMPARE(model.spans().size(), size_t(50000));
    TimelineWidget timeline;
    timeline.resize(600, 220);
    timeline.setModel(&model);
    const int lanes = model.laneCount() + 1;
    const auto bound = [&] { return int(std::ceil(timeline.plotRect().width()) + 1) * lanes; };
    timeline.grab();
    QVERIFY(timeline.drawnRectCount() > 0);
    QVERIFY2(timeline.drawnRectCount() <= bound(), qPrintable(QString::number(timeline.drawnRectCount())));
    // Zoomed in a little (still many spans a column) and far in (spans whole).
    for (double factor : { 0.25, 0.001 }) {
        timeline.zoomAt(timeline.plotRect().center().x(), factor);
        timeline.grab();
        QVERIFY(timeline.drawnRectCount() > 0);
        QVERIFY2(
            timeline.drawnRectCount() <= bound(), qPrintable(QString::number(timeline.drawnRectCount())));
    }
}

void TestTimeline::wheelZoomKeepsTheTimeUnderTheCursor()
{
    Shown shown;
    QVERIFY(QTest::qWaitForWindowExposed(&shown.timeline));
    TimelineWidget &timeline = shown.timeline;
    const QRectF plot = timeline.plotRect();
    const QPointF at(plot.left() + plot.width() * 0.3, plot.center().y());
    const double before = timeline.timeAt(at.x());
    const double nsPerPixel = timeline.nsPerPixel();
    wheel(&timeline, at, 120);
    QVERIFY(!timeline.isFitted());
    QVERIFY(timeline.nsPerPixel() < nsPerPixel);
    QVERIFY(qAbs(timeline.timeAt(at.x()) - before) < timeline.nsPerPixel());
    wheel(&timeline, at, 360);
    QVERIFY(qAbs(timeline.timeAt(at.x()) - before) < timeline.nsPerPixel());
    // Zooming back out past the whole run shows the whole run.
    wheel(&timeline, at, -1200);
    QVERIFY(timeline.isFitted());
    QCOMPARE(timeline.viewStartNs(), 0.0);
}

void TestTimeline::dragPansAndHomeFits()
{
    Shown shown;
    QVERIFY(QTest::qWaitForWindowExposed(&shown.timeline));
    TimelineWidget &timeline = shown.timeline;
    const QPointF center = timeline.plotRect().center();
    wheel(&timeline, center, 600);
    const double start = timeline.viewStartNs();
    const double nsPerPixel = timeline.nsPerPixel();
    // Dragging 100 px to the left brings later spans in: the view moves on.
    const QPoint from = center.toPoint();
    QTest::mousePress(&timeline, Qt::LeftButton, Qt::NoModifier, from);
    QTest::mouseMove(&timeline, from - QPoint(50, 0));
    QTest::mouseMove(&timeline, from - QPoint(100, 0));
    QTest::mouseRelease(&timeline, Qt::LeftButton, Qt::NoModifier, from - QPoint(100, 0));
    QVERIFY(qAbs(timeline.viewStartNs() - (start + 100 * nsPerPixel)) < nsPerPixel);
    QCOMPARE(timeline.nsPerPixel(), nsPerPixel);
    QCOMPARE(timeline.selectedImage(), -1); // a drag is no click
    QTest::keyClick(&timeline, Qt::Key_Home);
    QVERIFY(timeline.isFitted());
    QCOMPARE(timeline.viewStartNs(), 0.0);
    QVERIFY(timeline.nsPerPixel() > nsPerPixel);
}

void TestTimeline::keysZoomAndPan()
{
    Shown shown;
    TimelineWidget &timeline = shown.timeline;
    const double fitted = timeline.nsPerPixel();
    QTest::keyClick(&timeline, Qt::Key_Plus);
    QTest::keyClick(&timeline, Qt::Key_Plus);
    QVERIFY(timeline.nsPerPixel() < fitted * 0.7);
    const double start = timeline.viewStartNs();
    QTest::keyClick(&timeline, Qt::Key_Right);
    QVERIFY(timeline.viewStartNs() > start);
    QTest::keyClick(&timeline, Qt::Key_Left);
    QVERIFY(qAbs(timeline.viewStartNs() - start) < timeline.nsPerPixel());
    const double zoomed = timeline.nsPerPixel();
    QTest::keyClick(&timeline, Qt::Key_Minus);
    QVERIFY(timeline.nsPerPixel() > zoomed);
}

void TestTimeline::clickSelectsTheSpansImage()
{
    Shown shown;
    QVERIFY(QTest::qWaitForWindowExposed(&shown.timeline));
    TimelineWidget &timeline = shown.timeline;
    QSignalSpy clicked(&timeline, &TimelineWidget::imageClicked);
    // Worker 1's 20th span (the fourth stage of its image 2 * 2 + 1 = 5).
    const StageSpan &target = shown.model.spans()[400 + 19];
    const QRectF lane = timeline.laneRect(target.worker() + 1);
    const QPoint at(int(timeline.xAt(double(target.startNs() + target.endNs()) / 2)), int(lane.center().y()));
    QTest::mouseClick(&timeline, Qt::LeftButton, Qt::NoModifier, at);
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked.first().first().toInt(), target.image());
    QCOMPARE(timeline.selectedImage(), target.image());
    QCOMPARE(timeline.highlightedSpanCount(), 8);
    // A click on no span clears the selection and selects nothing.
    QTest::mouseClick(&timeline, Qt::LeftButton, Qt::NoModifier, QPoint(2, 2));
    QCOMPARE(timeline.selectedImage(), -1);
    QCOMPARE(clicked.count(), 1);
}

void TestTimeline::windowClickSelectsTheFileAndShowsItsStages()
{
    MainWindow window;
    runSamples(window);
    if (QTest::currentTestFailed())
        return;

    TimelineWidget *timeline = window.dashboard()->timeline();
    const DashboardModel *model = timeline->model();
    QVERIFY(model && !model->spans().empty());
    // The last image's blur span: click its middle.
    const QString last = QDir(m_samples.path()).filePath(QStringLiteral("sample_004.jpg"));
    const int image = timeline->imageOf(last);
    QVERIFY(image >= 0);
    const StageSpan *blur = nullptr;
    for (const StageSpan &s : model->spans())
        blur = s.image() == image && s.stage() == Stage::Blur ? &s : blur;
    QVERIFY(blur);
    timeline->zoomAt(timeline->xAt(double(blur->startNs())), 1e-9); // as far in as it goes
    timeline->panBy(
        timeline->xAt(double(blur->startNs() + blur->endNs()) / 2) - timeline->plotRect().center().x());
    const QPoint at(
        int(timeline->plotRect().center().x()), int(timeline->laneRect(blur->worker() + 1).center().y()));
    QTest::mouseClick(timeline, Qt::LeftButton, Qt::NoModifier, at);
    QCOMPARE(timeline->selectedImage(), image);

    // The file list and the preview follow; the breakdown names the file
    // and shows its blur time as the model measured it.
    const QModelIndex current = window.fileView()->currentIndex();
    QCOMPARE(current.data(ImageListModel::PathRole).toString(), last);
    QTRY_COMPARE(window.preview()->inputPath(), last);
    ImageBreakdownView *breakdown = window.dashboard()->imageBreakdown();
    QVERIFY(breakdown->isVisible());
    QCOMPARE(breakdown->image(), image);
    const ImageBreakdown b = model->imageBreakdown(image);
    QCOMPARE(b.stages[size_t(Stage::Blur)].spans, 1);
    QVERIFY(breakdown->text().contains(QStringLiteral("sample_004.jpg")));
    for (Stage stage : imageStages())
        QVERIFY2(breakdown->text().contains(QLatin1String(stageName(stage))), stageName(stage));
}

void TestTimeline::windowFileSelectionHighlightsItsSpans()
{
    MainWindow window;
    runSamples(window);
    if (QTest::currentTestFailed())
        return;

    TimelineWidget *timeline = window.dashboard()->timeline();
    QTreeView *files = window.fileView();
    // The file selected when the folder opened, before the run: its spans
    // are framed once the run has them.
    const QString first = files->currentIndex().data(ImageListModel::PathRole).toString();
    QVERIFY(timeline->imageOf(first) >= 0);
    QCOMPARE(timeline->selectedImage(), timeline->imageOf(first));
    QCOMPARE(timeline->highlightedSpanCount(), int(imageStages().size()));
    const QString second = QDir(m_samples.path()).filePath(QStringLiteral("sample_002.jpg"));
    for (int row = 0; row < files->model()->rowCount(); ++row) {
        const QModelIndex index = files->model()->index(row, 0);
        if (index.data(ImageListModel::PathRole).toString() == second) {
            const QRect r = files->visualRect(index);
            QTest::mouseClick(files->viewport(), Qt::LeftButton, Qt::NoModifier, r.center());
        }
    }
    QCOMPARE(timeline->selectedImage(), timeline->imageOf(second));
    // Its every stage, each a span.
    QCOMPARE(timeline->highlightedSpanCount(), int(imageStages().size()));
    QVERIFY(window.dashboard()->imageBreakdown()->text().contains(QStringLiteral("sample_002.jpg")));
}

QTEST_MAIN(TestTimeline)
#include "tst_timeline.moc"
