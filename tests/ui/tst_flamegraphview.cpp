// The flame graph driven as a user drives it (offscreen): click to zoom and
// back, keys, hover, search, stage filter, the differential colours, live
// updates that keep the zoom, and the level of detail on a big profile.
#include "flamegraphview.h"
#include "foldedprofiles.h"

#include <QHelpEvent>
#include <QTest>
#include <QToolTip>

using namespace pixelperf;
using namespace pixelperf::testing;

namespace {

QPoint centerOf(const FlameGraphView &view, int node)
{
    return view.frameRect(node).center().toPoint();
}

QColor pixelAt(FlameGraphView &view, int node)
{
    // Near the right end: clear of the (left-aligned) label and of an outline.
    const QRectF r = view.frameRect(node);
    return view.grab().toImage().pixelColor(QPoint(int(r.right() - 6), int(r.center().y())));
}

QString hoverText(FlameGraphView &view, const QPoint &pos)
{
    QHelpEvent help(QEvent::ToolTip, pos, view.mapToGlobal(pos));
    QCoreApplication::sendEvent(&view, &help);
    return help.isAccepted() && QToolTip::isVisible() ? QToolTip::text() : QString();
}

} // namespace

class TestFlameGraphView : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void widthIsSamples();
    void clickZoomsAndBackspaceReturns();
    void clickingTheRootResetsZoom();
    void keyboardMovesAndZooms();
    void hoverShowsFunctionSelfAndTotal();
    void searchHighlightsAndMeasuresMatches();
    void stageFilterHidesOtherStages();
    void growingProfileKeepsZoomAndSelection();
    void anotherProfileKeepsZoomByPath();
    void differentialColoursGrowthRedShrinkBlue();
    void differentialNormalisesByTotals();
    void differentialListsFramesOnlyInA();
    void darkPaletteDarkensFrames();
    void unsampledProfileSaysWhy();
    void bigProfileDrawsBoundedRectangles();

private:
    FlameGraphView *m_view = nullptr;
    int node(const QString &path) const { return m_view->tree().find(path.split(QLatin1Char(';'))); }
};

void TestFlameGraphView::init()
{
    m_view = new FlameGraphView;
    m_view->resize(800, 300);
    m_view->setProfile(pipelineProfile());
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view));
}

void TestFlameGraphView::cleanup()
{
    delete m_view;
    m_view = nullptr;
}

void TestFlameGraphView::widthIsSamples()
{
    QCOMPARE(m_view->frameRect(0).width(), 800.0);
    QCOMPARE(m_view->frameRect(node("blur")).width(), 560.0); // 700 of 1000
    QCOMPARE(m_view->frameRect(node("blur;main;blurNaive;convolve")).width(), 400.0);
    QCOMPARE(m_view->rowCount(), 5); // all, stage, main, blurNaive, convolve
}

void TestFlameGraphView::clickZoomsAndBackspaceReturns()
{
    const int naive = node("blur;main;blurNaive"), convolve = node("blur;main;blurNaive;convolve");
    QTest::mouseClick(m_view, Qt::LeftButton, {}, centerOf(*m_view, naive));
    QCOMPARE(m_view->zoomNode(), naive);
    QCOMPARE(m_view->selectedNode(), naive);
    QCOMPARE(m_view->frameRect(naive).width(), 800.0);
    QCOMPARE(m_view->frameRect(convolve).width(), 800.0 * 500 / 600);
    QVERIFY(m_view->frameRect(node("resize")).isEmpty()); // another branch: out of sight
    QTest::mouseClick(m_view, Qt::LeftButton, {}, centerOf(*m_view, convolve));
    QCOMPARE(m_view->zoomNode(), convolve);
    QTest::keyClick(m_view, Qt::Key_Backspace);
    QCOMPARE(m_view->zoomNode(), naive);
    QTest::keyClick(m_view, Qt::Key_Backspace);
    QCOMPARE(m_view->zoomNode(), 0);
    QCOMPARE(m_view->frameRect(node("blur")).width(), 560.0);
}

void TestFlameGraphView::clickingTheRootResetsZoom()
{
    const int convolve = node("blur;main;blurNaive;convolve");
    QTest::mouseClick(m_view, Qt::LeftButton, {}, centerOf(*m_view, convolve));
    QCOMPARE(m_view->zoomNode(), convolve);
    // The callers stay above the zoomed frame, full width: one is a way out.
    QCOMPARE(m_view->frameRect(node("blur;main")).width(), 800.0);
    QTest::mouseClick(m_view, Qt::LeftButton, {}, centerOf(*m_view, node("blur;main")));
    QCOMPARE(m_view->zoomNode(), node("blur;main"));
    QTest::mouseClick(m_view, Qt::LeftButton, {}, centerOf(*m_view, 0));
    QCOMPARE(m_view->zoomNode(), 0);
    QTest::keyClick(m_view, Qt::Key_Backspace); // nothing left to go back to
    QCOMPARE(m_view->zoomNode(), 0);
}

void TestFlameGraphView::keyboardMovesAndZooms()
{
    m_view->setFocus();
    QTest::keyClick(m_view, Qt::Key_Down); // from the root: the heaviest stage
    QCOMPARE(m_view->selectedNode(), node("blur"));
    QTest::keyClick(m_view, Qt::Key_Left); // the stages in pipeline order: load, resize, blur
    QCOMPARE(m_view->selectedNode(), node("resize"));
    QTest::keyClick(m_view, Qt::Key_Left);
    QTest::keyClick(m_view, Qt::Key_Left);
    QCOMPARE(m_view->selectedNode(), node("load"));
    QTest::keyClick(m_view, Qt::Key_Right);
    QTest::keyClick(m_view, Qt::Key_Right);
    QTest::keyClick(m_view, Qt::Key_Down);
    QTest::keyClick(m_view, Qt::Key_Down);
    QCOMPARE(m_view->selectedNode(), node("blur;main;blurNaive"));
    QTest::keyClick(m_view, Qt::Key_Return);
    QCOMPARE(m_view->zoomNode(), node("blur;main;blurNaive"));
    QTest::keyClick(m_view, Qt::Key_Up);
    QCOMPARE(m_view->selectedNode(), node("blur;main"));
    QTest::keyClick(m_view, Qt::Key_Escape);
    QCOMPARE(m_view->zoomNode(), 0);
    QVERIFY(m_view->accessibleDescription().contains(QLatin1String("main")));
}

void TestFlameGraphView::hoverShowsFunctionSelfAndTotal()
{
    const QString naive = hoverText(*m_view, centerOf(*m_view, node("blur;main;blurNaive")));
    QVERIFY2(naive.contains(QLatin1String("blurNaive")), qPrintable(naive));
    QVERIFY2(naive.contains(QLatin1String("stage: blur")), qPrintable(naive));
    QVERIFY2(naive.contains(QLatin1String("total: 60.0 % (600 samples)")), qPrintable(naive));
    QVERIFY2(naive.contains(QLatin1String("self: 10.0 % (100 samples)")), qPrintable(naive));
    QVERIFY(hoverText(*m_view, QPoint(400, 290)).isEmpty()); // below the deepest row
}

void TestFlameGraphView::searchHighlightsAndMeasuresMatches()
{
    const int convolve = node("blur;main;blurNaive;convolve"), decode = node("load;main;decode");
    const QColor matchBefore = pixelAt(*m_view, convolve), otherBefore = pixelAt(*m_view, decode);
    m_view->setSearch(QStringLiteral("CONV"));
    QCOMPARE(m_view->searchMatchShare(), 0.5);
    QCOMPARE(pixelAt(*m_view, convolve), matchBefore);
    const QColor faded = pixelAt(*m_view, decode);
    QVERIFY(faded != otherBefore);
    QVERIFY(faded.hslSaturation() < otherBefore.hslSaturation());
    // A sample with several matching frames counts once: the blur stage and
    // blurNaive both match, the share is the stage's.
    m_view->setSearch(QStringLiteral("blur"));
    QCOMPARE(m_view->searchMatchShare(), 0.7);
    m_view->setSearch(QString());
    QCOMPARE(pixelAt(*m_view, decode), otherBefore);
}

void TestFlameGraphView::stageFilterHidesOtherStages()
{
    m_view->setStageFilter(QStringLiteral("blur"));
    QVERIFY(m_view->frameRect(node("load")).isEmpty());
    QVERIFY(m_view->frameRect(node("resize;main;resample")).isEmpty());
    QCOMPARE(m_view->frameRect(node("blur")).width(), 800.0);
    QCOMPARE(m_view->shownSamples(), int64_t(700));
    const QString tip = hoverText(*m_view, centerOf(*m_view, node("blur;main;blurNaive;convolve")));
    QVERIFY2(tip.contains(QLatin1String("total: 71.4 % (500 samples)")), qPrintable(tip));
    m_view->setSearch(QStringLiteral("main"));
    QCOMPARE(m_view->searchMatchShare(), 1.0);
    m_view->setStageFilter(QString());
    QCOMPARE(m_view->frameRect(node("load")).width(), 80.0);
}

void TestFlameGraphView::growingProfileKeepsZoomAndSelection()
{
    const int naive = node("blur;main;blurNaive");
    QTest::mouseClick(m_view, Qt::LeftButton, {}, centerOf(*m_view, naive));
    m_view->setSearch(QStringLiteral("clamp"));
    CpuProfile grown = pipelineProfile();
    grown.folded[QStringLiteral("blur;main;blurNaive;convolve")] += 100;
    grown.folded[QStringLiteral("blur;main;blurNaive;clamp")] = 300;
    m_view->setProfile(grown);
    QCOMPARE(m_view->zoomNode(), naive);
    QCOMPARE(m_view->selectedNode(), naive);
    const int clamp = node("blur;main;blurNaive;clamp");
    QVERIFY(clamp > 0);
    QCOMPARE(m_view->frameRect(clamp).width(), 800.0 * 300 / 1000); // of blurNaive's 1000 now
    QCOMPARE(m_view->searchMatchShare(), 300.0 / 1400);
}

void TestFlameGraphView::anotherProfileKeepsZoomByPath()
{
    QTest::mouseClick(m_view, Qt::LeftButton, {}, centerOf(*m_view, node("blur;main;blurNaive")));
    CpuProfile other = pipelineProfile();
    other.folded.erase(QStringLiteral("load;main;decode")); // not a grown one: built anew
    m_view->setProfile(other);
    QCOMPARE(m_view->zoomNode(), node("blur;main;blurNaive"));
    QCOMPARE(m_view->selectedNode(), node("blur;main;blurNaive"));
    QCOMPARE(node("load"), -1);
}

void TestFlameGraphView::differentialColoursGrowthRedShrinkBlue()
{
    const CpuProfile a
        = foldedProfile({ { QStringLiteral("blur;f"), 500 }, { QStringLiteral("blur;g"), 500 } });
    const CpuProfile b
        = foldedProfile({ { QStringLiteral("blur;f"), 800 }, { QStringLiteral("blur;g"), 200 } });
    m_view->setComparison(a, b);
    QVERIFY(m_view->isDifferential());
    const QColor grew = pixelAt(*m_view, node("blur;f")), shrank = pixelAt(*m_view, node("blur;g"));
    QVERIFY2(grew.red() > grew.blue() + 100, qPrintable(grew.name()));
    QVERIFY2(shrank.blue() > shrank.red() + 100, qPrintable(shrank.name()));
    const QString tip = hoverText(*m_view, centerOf(*m_view, node("blur;f")));
    QVERIFY2(tip.contains(QLatin1String("A: 50.0 %")) && tip.contains(QLatin1String("B: 80.0 %"))
            && tip.contains(QLatin1String("grew by 30.0 points")),
        qPrintable(tip));
    // Back to a plain graph: stage colours again.
    m_view->setProfile(b);
    QVERIFY(!m_view->isDifferential());
    QVERIFY(pixelAt(*m_view, node("blur;f")).red() > 200 && pixelAt(*m_view, node("blur;g")).red() > 200);
}

void TestFlameGraphView::differentialNormalisesByTotals()
{
    // B ran ten times as long: the same shares are no change.
    const CpuProfile a
        = foldedProfile({ { QStringLiteral("blur;f"), 100 }, { QStringLiteral("blur;g"), 100 } });
    const CpuProfile b
        = foldedProfile({ { QStringLiteral("blur;f"), 1000 }, { QStringLiteral("blur;g"), 1000 } });
    m_view->setComparison(a, b);
    const QColor f = pixelAt(*m_view, node("blur;f"));
    QVERIFY2(std::abs(f.red() - f.blue()) < 10, qPrintable(f.name()));
    QVERIFY(hoverText(*m_view, centerOf(*m_view, node("blur;f"))).contains(QLatin1String("unchanged")));
}

void TestFlameGraphView::differentialListsFramesOnlyInA()
{
    const CpuProfile a
        = foldedProfile({ { QStringLiteral("blur;f"), 300 }, { QStringLiteral("blur;old;x"), 100 },
            { QStringLiteral("blur;old;y"), 100 }, { QStringLiteral("save;write"), 50 } });
    const CpuProfile b = foldedProfile({ { QStringLiteral("blur;f"), 500 } });
    m_view->setComparison(a, b);
    const std::vector<VanishedFrame> &vanished = m_view->tree().vanished();
    QCOMPARE(int(vanished.size()), 2);
    QCOMPARE(vanished[0].path, QStringList({ QStringLiteral("blur"), QStringLiteral("old") }));
    QCOMPARE(vanished[0].samples, int64_t(200));
    QCOMPARE(vanished[1].path, QStringList({ QStringLiteral("save") }));
    QCOMPARE(m_view->tree().node(node("blur")).baseTotal, int64_t(500));
}

void TestFlameGraphView::darkPaletteDarkensFrames()
{
    const int convolve = node("blur;main;blurNaive;convolve");
    const QColor light = pixelAt(*m_view, convolve);
    QPalette dark = m_view->palette();
    dark.setColor(QPalette::Base, QColor(0x20, 0x20, 0x20));
    dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
    m_view->setPalette(dark);
    const QColor onDark = pixelAt(*m_view, convolve);
    QVERIFY2(onDark.lightness() < light.lightness(), qPrintable(onDark.name() + light.name()));
    QVERIFY(std::abs(onDark.hue() - light.hue()) <= 3); // the stage's hue either way
}

void TestFlameGraphView::unsampledProfileSaysWhy()
{
    CpuProfile off;
    off.note = QStringLiteral("perf_event_open refused and no timer signal");
    m_view->setProfile(off);
    QVERIFY2(m_view->emptyText().contains(off.note), qPrintable(m_view->emptyText()));
    QVERIFY(m_view->frameRect(0).isEmpty());
    QCOMPARE(m_view->rowCount(), 0);
    m_view->setProfile(pipelineProfile());
    QVERIFY(m_view->emptyText().isEmpty());
    QCOMPARE(m_view->frameRect(0).width(), 800.0);
}

void TestFlameGraphView::bigProfileDrawsBoundedRectangles()
{
    // 50,000 distinct stacks, most far too narrow to draw on their own.
    std::map<QString, int64_t> folded;
    for (int i = 0; i < 50000; ++i)
        folded[QStringLiteral("blur;main;kernel%1;row%2;pixel%3").arg(i % 50).arg(i % 977).arg(i)]
            = 1 + i % 7;
    m_view->setProfile(foldedProfile(folded));
    m_view->repaint();
    const int nodes = int(m_view->tree().nodes().size());
    QVERIFY(nodes > 50000);
    QVERIFY(m_view->drawnRectCount() > 0);
    QVERIFY2(m_view->drawnRectCount() <= m_view->width() * m_view->rowCount(),
        qPrintable(QString::number(m_view->drawnRectCount())));
    QVERIFY(m_view->drawnRectCount() < nodes / 10);
    // The narrow ones are there, merged: one "…" block under a kernel.
    const QRectF kernel = m_view->frameRect(node("blur;main;kernel0"));
    const QString tip = hoverText(*m_view, QPoint(int(kernel.right()) - 2, int(kernel.bottom()) + 4));
    QVERIFY2(tip.contains(QLatin1String("callees of kernel0")), qPrintable(tip));
}

QTEST_MAIN(TestFlameGraphView)
#include "tst_flamegraphview.moc"
