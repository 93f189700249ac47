// Repetitions from the window: the Repetitions and Warm-ups boxes typed into
// as a person would, Run clicked, Esc pressed. The history keeps every
// measured repetition, the export writes them with their statistics, and the
// comparison uses them. Runs are real and awaited with QTRY_*, never sleeps.
#include "apppaths.h"
#include "comparisondialog.h"
#include "dashboardview.h"
#include "imagelistmodel.h"
#include "isolatedsettings.h"
#include "mainwindow.h"
#include "runcontroller.h"
#include "runhistorymodel.h"
#include "samples/samplegenerator.h"
#include "togglepanel.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>

#include <memory>

using namespace pixelperf;

namespace {

constexpr int RunTimeoutMs = 60000;

#define WAIT_FOR_RUNS(n)                                                                                     \
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->isRunning() && m_window->historyModel()->count() == (n), RunTimeoutMs)

// Select the box's text, type the number, press Enter: what a person does.
void typeInto(QSpinBox *box, int value)
{
    box->setFocus();
    QTest::keyClick(box, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(box, QString::number(value));
    QTest::keyClick(box, Qt::Key_Return);
}

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

} // namespace

class TestRepetitions : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();

    void boxesHaveDefaultsAndPersist();
    void repetitionsAndWarmupsFromTheWindow();
    void exportedReportHasEveryRepetition();
    void comparisonUsesTheRepetitions();
    void cancelDuringTheSecondRepetitionKeepsACancelledRun();
    void repetitionThatCannotStartLeavesTheOneBeforeOnShow();
    void twoRunsOfOneConfigurationFindNoDifference();

private:
    void openFolder(const QString &dir);
    void setSmallParams(int width = 160, int height = 120, double blur = 2);
    void clickRun();
    void runToTheSecondRepetition(int repetitions);

    test::IsolatedSettings m_settings;
    std::unique_ptr<QTemporaryDir> m_samples;
    std::unique_ptr<MainWindow> m_window;
};

void TestRepetitions::initTestCase()
{
    QVERIFY(m_settings.setUp(QStringLiteral("tst_repetitions")));
}

void TestRepetitions::init()
{
    m_settings.clear();
    // A fresh folder per test: the decode cache has never seen it.
    m_samples = std::make_unique<QTemporaryDir>();
    const GenerateResult r = generateSamples(m_samples->path(), 4, 320, 200);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1400, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestRepetitions::cleanup()
{
    m_window.reset();
    if (m_samples)
        QDir(outputDirFor(m_samples->path())).removeRecursively();
    m_samples.reset();
}

void TestRepetitions::openFolder(const QString &dir)
{
    QVERIFY(m_window->openFolder(dir));
    QTRY_COMPARE(m_window->imageModel()->count(), 4);
}

void TestRepetitions::setSmallParams(int width, int height, double blur)
{
    PipelineParams p;
    p.width = width;
    p.height = height;
    p.blurRadius = blur;
    m_window->togglePanel()->setParams(p);
}

void TestRepetitions::clickRun()
{
    auto *toolbar = m_window->findChild<QToolBar *>(QStringLiteral("mainToolBar"));
    QVERIFY(toolbar);
    QWidget *runButton = toolbar->widgetForAction(m_window->runAction());
    QVERIFY(runButton);
    QTest::mouseClick(runButton, Qt::LeftButton);
    QVERIFY(m_window->isRunning());
}

// `repetitions` of the baseline's naive blur on a larger output (long
// enough to act during them), run until the second repetition has its first
// image under way.
void TestRepetitions::runToTheSecondRepetition(int repetitions)
{
    openFolder(m_samples->path());
    m_window->togglePanel()->applyPreset(QStringLiteral("baseline"));
    setSmallParams(640, 400, 3);
    typeInto(m_window->togglePanel()->repetitionsBox(), repetitions);
    clickRun();
    RunController *controller = m_window->runController();
    QTRY_VERIFY_WITH_TIMEOUT(
        controller->repetition().number == 2 && !controller->dashboard().spans().empty(), RunTimeoutMs);
}

void TestRepetitions::boxesHaveDefaultsAndPersist()
{
    TogglePanel *panel = m_window->togglePanel();
    QSpinBox *reps = panel->findChild<QSpinBox *>(QStringLiteral("repetitions"));
    QSpinBox *warm = panel->findChild<QSpinBox *>(QStringLiteral("warmups"));
    QVERIFY(reps && warm);
    QCOMPARE(reps, panel->repetitionsBox());
    QCOMPARE(reps->value(), 1);
    QCOMPARE(warm->value(), 0);
    QVERIFY(reps->isVisible() && warm->isVisible());
    QCOMPARE(reps->minimum(), 1); // zero measured runs is not a run

    typeInto(reps, 5);
    typeInto(warm, 2);
    QCOMPARE(panel->repetitionPlan().repetitions, 5);
    QCOMPARE(panel->repetitionPlan().warmups, 2);
    m_window->close();
    m_window.reset();

    MainWindow again;
    QCOMPARE(again.togglePanel()->repetitionsBox()->value(), 5);
    QCOMPARE(again.togglePanel()->warmupsBox()->value(), 2);

    // A hand-edited settings file out of range: back to the defaults.
    QSettings().setValue(QStringLiteral("measurement/repetitions"), 0);
    MainWindow third;
    QCOMPARE(third.togglePanel()->repetitionsBox()->value(), 1);
    QCOMPARE(third.togglePanel()->warmupsBox()->value(), 0);
}

void TestRepetitions::repetitionsAndWarmupsFromTheWindow()
{
    openFolder(m_samples->path());
    setSmallParams();
    TogglePanel *panel = m_window->togglePanel();
    typeInto(panel->repetitionsBox(), 3);
    typeInto(panel->warmupsBox(), 1);
    QSignalSpy repetitions(m_window->runController(), &RunController::repetitionStarted);
    clickRun();
    QVERIFY(!panel->repetitionsBox()->isEnabled()); // locked with the toggles
    WAIT_FOR_RUNS(1);

    // One history entry carrying three measured repetitions; the warm-up
    // was run (it filled the decode cache the measured runs read from) and
    // discarded.
    const RunEntry &entry = m_window->historyModel()->entry(0);
    QVERIFY(entry.repeats);
    QCOMPARE(int(entry.repeats->size()), 3);
    for (const RunResult &r : *entry.repeats) {
        QVERIFY(!r.summary.cancelled);
        QCOMPARE(r.summary.imagesOk, 4);
        for (const ImageRecord &rec : r.images)
            QVERIFY2(rec.fromCache, qPrintable(rec.path));
        // Said in the summary, with the memory the warm-up left held.
        QCOMPARE(r.summary.imagesFromCache, 4);
        QVERIFY(r.summary.decodeCacheBytes > 0);
        QVERIFY(!decodeCacheNote(r).isEmpty());
    }
    // And above the charts.
    QVERIFY2(m_window->dashboard()->title().contains(QStringLiteral("4 of 4 loads from the decode cache")),
        qPrintable(m_window->dashboard()->title()));
    QCOMPARE(entry.result->startedAt, entry.repeats->back().startedAt);
    QCOMPARE(entry.result->summary.wallMs, entry.repeats->back().summary.wallMs);
    RunHistoryModel *history = m_window->historyModel();
    QVERIFY(history->data(history->index(0, RunHistoryModel::NoteColumn))
                .toString()
                .contains(QStringLiteral("3 repetitions")));

    // The live view followed the runs: each signal named a warm-up or a
    // repetition, in order, and the last one shown is the last repetition.
    QVERIFY(repetitions.count() >= 1);
    int previous = -1;
    for (const QList<QVariant> &args : std::as_const(repetitions)) {
        const auto p = args.at(0).value<RepetitionProgress>();
        QVERIFY(p.run > previous);
        previous = p.run;
        QCOMPARE(p.totalRuns, 4);
        QCOMPARE(p.warmup, p.run == 0);
    }
    QCOMPARE(m_window->runController()->repetition().label(), QStringLiteral("repetition 3 of 3"));
    QVERIFY2(m_window->statusMessage().contains(QStringLiteral("3 repetitions")),
        qPrintable(m_window->statusMessage()));
    QVERIFY(panel->repetitionsBox()->isEnabled());
}

void TestRepetitions::exportedReportHasEveryRepetition()
{
    openFolder(m_samples->path());
    setSmallParams();
    typeInto(m_window->togglePanel()->repetitionsBox(), 3);
    typeInto(m_window->togglePanel()->warmupsBox(), 1);
    clickRun();
    WAIT_FOR_RUNS(1);

    QTemporaryDir reports;
    QSignalSpy exported(m_window.get(), &MainWindow::reportExported);
    const QString json = reports.filePath(QStringLiteral("run.json"));
    const QString html = reports.filePath(QStringLiteral("run.html"));
    QVERIFY(m_window->exportReport(json));
    QVERIFY(m_window->exportReport(html));
    QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 2, RunTimeoutMs);
    for (const QList<QVariant> &args : std::as_const(exported))
        QVERIFY2(args.at(1).toString().isEmpty(), qPrintable(args.at(1).toString()));

    const QJsonObject report = readJson(json);
    QCOMPARE(report.value(QStringLiteral("schema")).toString(), QStringLiteral("pixelperf-report/1"));
    const QJsonArray repeats = report.value(QStringLiteral("repeats")).toArray();
    QCOMPARE(repeats.size(), 3);
    for (const QJsonValue &v : repeats)
        QCOMPARE(v.toObject()
                     .value(QStringLiteral("summary"))
                     .toObject()
                     .value(QStringLiteral("images_ok"))
                     .toInt(),
            4);
    const QJsonObject stats = report.value(QStringLiteral("repeat_stats")).toObject();
    QCOMPARE(stats.value(QStringLiteral("wall_ms")).toObject().value(QStringLiteral("n")).toInt(), 3);
    QVERIFY(stats.value(QStringLiteral("wall_ms")).toObject().value(QStringLiteral("median")).toDouble() > 0);
    QVERIFY(!stats.value(QStringLiteral("stage_total_ms")).toArray().isEmpty());

    // Opened again, the report brings its repetitions into the history.
    QSignalSpy loaded(m_window.get(), &MainWindow::reportLoaded);
    QVERIFY(m_window->openReport(json));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, RunTimeoutMs);
    QCOMPARE(int(m_window->historyModel()->entry(1).repeats->size()), 3);
}

void TestRepetitions::comparisonUsesTheRepetitions()
{
    openFolder(m_samples->path());
    setSmallParams(160, 120, 3);
    // Baseline vs Optimized: each measurement a process of its own, the two
    // interleaved in max(6, Repetitions) rounds; seven here. Baseline's naive
    // blur against the separable one.
    typeInto(m_window->togglePanel()->repetitionsBox(), 7);
    m_window->compareAction()->trigger();
    QVERIFY(m_window->isComparingIsolated());
    QVERIFY(!m_window->togglePanel()->isEnabled());
    WAIT_FOR_RUNS(2);
    QVERIFY(!m_window->isComparingIsolated());
    RunHistoryModel *history = m_window->historyModel();
    QCOMPARE(int(history->entry(0).repeats->size()), 7);
    QCOMPARE(int(history->entry(1).repeats->size()), 7);

    // The comparison opened on its own, baseline as A.
    ComparisonDialog *dialog = m_window->comparisonDialog();
    QVERIFY(dialog && dialog->isVisible());
    QCOMPARE(dialog->rowA(), 0);
    QCOMPARE(dialog->rowB(), 1);
    const RunComparison &c = dialog->tableModel()->comparison();
    QCOMPARE(c.msPerImageA.n, 7);
    QCOMPARE(c.msPerImageB.n, 7);
    QCOMPARE(c.verdict, Verdict::Faster);
    // The headline is per image with its spread.
    QVERIFY2(c.headline().contains(QStringLiteral("±")) && c.headline().contains(QStringLiteral("per image")),
        qPrintable(c.headline()));
    bool sawBlur = false;
    for (const StageComparison &st : c.stages) {
        QCOMPARE(st.sampleKind, QStringLiteral("repetitions"));
        if (st.stage == Stage::Blur) {
            sawBlur = true;
            // The naive 2-D blur against the separable one: no noise in that.
            QCOMPARE(st.verdict, Verdict::Faster);
        }
        // Fused into contrast in the optimized run: labelled, no ratio.
        if (st.stage == Stage::Brightness || st.stage == Stage::Convert) {
            QCOMPARE(st.verdict, Verdict::NotCompared);
            QCOMPARE(st.speedup, 0.0);
            QCOMPARE(st.noteB, QStringLiteral("fused into contrast"));
        }
    }
    QVERIFY(sawBlur);
    // Each configuration in a fresh process: nothing was served from a
    // decode cache, whatever ran before.
    for (int row = 0; row < 2; ++row)
        for (const RunResult &r : *history->entry(row).repeats)
            QCOMPARE(r.summary.imagesFromCache, 0);
    dialog->close();
}

void TestRepetitions::cancelDuringTheSecondRepetitionKeepsACancelledRun()
{
    // Once the second repetition has its first image under way, Esc.
    runToTheSecondRepetition(3);
    if (QTest::currentTestFailed())
        return;
    RunController *controller = m_window->runController();
    QVERIFY(m_window->isRunning());
    QVERIFY2(m_window->statusMessage().contains(QStringLiteral("repetition 2 of 3")),
        qPrintable(m_window->statusMessage()));
    QTest::keyClick(m_window.get(), Qt::Key_Escape);
    QVERIFY(!m_window->cancelAction()->isEnabled());
    WAIT_FOR_RUNS(1);

    const RunEntry &entry = m_window->historyModel()->entry(0);
    QVERIFY(entry.result->summary.cancelled);
    QVERIFY(entry.result->summary.imagesOk < 4);
    QVERIFY(entry.repeats);
    QCOMPARE(int(entry.repeats->size()), 2);
    QVERIFY(!entry.repeats->front().summary.cancelled);
    QCOMPARE(entry.repeats->front().summary.imagesOk, 4);
    QVERIFY(entry.repeats->back().summary.cancelled);
    QCOMPARE(controller->repetition().number, 2); // no third repetition
    RunHistoryModel *history = m_window->historyModel();
    QVERIFY(history->data(history->index(0, RunHistoryModel::NoteColumn))
                .toString()
                .contains(QStringLiteral("cancelled")));
    QVERIFY2(m_window->statusMessage().contains(QStringLiteral("cancelled in repetition 2 of 3")),
        qPrintable(m_window->statusMessage()));
    QVERIFY(m_window->togglePanel()->isEnabled());
    QVERIFY(m_window->runAction()->isEnabled());
    // One count everywhere: the live figures, the summary, the status bar.
    const int done = entry.result->summary.imagesOk + entry.result->summary.imagesFailed;
    QCOMPARE(controller->dashboard().headline().imagesDone, done);
    QVERIFY2(m_window->statusMessage().contains(QStringLiteral(": %1 of 4 images").arg(done)),
        qPrintable(m_window->statusMessage()));
}

void TestRepetitions::repetitionThatCannotStartLeavesTheOneBeforeOnShow()
{
    // The folder goes while the second repetition runs: a later repetition
    // cannot start, and the run shown is the last one measured, which the
    // dashboard did not follow to its end.
    runToTheSecondRepetition(5);
    if (QTest::currentTestFailed())
        return;
    RunController *controller = m_window->runController();
    const QString moved = m_samples->path() + QStringLiteral("-moved");
    QVERIFY(QDir().rename(m_samples->path(), moved));
    {
        // Back in place even when the wait fails, for the tests after this one.
        const QScopeGuard putBack([&] { QDir().rename(moved, m_samples->path()); });
        WAIT_FOR_RUNS(1);
    }
    QVERIFY(QFileInfo::exists(m_samples->path()));

    const RunEntry &entry = m_window->historyModel()->entry(0);
    const RunResult &shown = *entry.result;
    QVERIFY2(shown.fatalError.contains(QStringLiteral("does not exist")), qPrintable(shown.fatalError));
    QVERIFY(entry.repeats && entry.repeats->size() >= 2);
    QVERIFY(!shown.spans.empty());
    // The finished window shows the figures of the run it names.
    const DashboardModel &dashboard = controller->dashboard();
    QCOMPARE(dashboard.spans().size(), shown.spans.size());
    QCOMPARE(dashboard.headline().imagesDone, shown.summary.imagesOk + shown.summary.imagesFailed);
    QCOMPARE(dashboard.headline().imagesTotal, shown.summary.imagesTotal);
    const StageTotals fromResult = StageTotals::fromStats(shown.stages);
    QCOMPARE(dashboard.stageTotals().count, fromResult.count);
    QVERIFY2(m_window->statusMessage().contains(shown.fatalError), qPrintable(m_window->statusMessage()));
    // The repetitions that ran are not said to have not run.
    QVERIFY2(m_window->statusMessage().contains(
                 QStringLiteral("stopped after %1 measured repetition(s)").arg(entry.repeats->size())),
        qPrintable(m_window->statusMessage()));
}

void TestRepetitions::twoRunsOfOneConfigurationFindNoDifference()
{
    // An A/A comparison in the window, after a baseline run (whose copies
    // and kept images once carried over into the next run's memory): two
    // runs of the optimized preset, six repetitions each (per-stage verdicts
    // need six after Holm's correction), compare as "no significant
    // difference", stage by stage and overall.
    QTemporaryDir photos;
    const GenerateResult more = generateSamples(photos.path(), 8, 1280, 800, 7);
    QVERIFY2(more.error.isEmpty(), qPrintable(more.error));
    QVERIFY(m_window->openFolder(photos.path()));
    QTRY_VERIFY(m_window->imageModel()->count() > 0);
    const int images = m_window->imageModel()->count();
    QCOMPARE(images, 8);
    // A machine can drift between two runs made one after the other by more
    // than any threshold now and then; a carry-over from the run before
    // (a cache, memory held) shows every time. Up to three attempts, each
    // after a baseline run of its own.
    TogglePanel *panel = m_window->togglePanel();
    RunHistoryModel *history = m_window->historyModel();
    QString failures;
    for (int attempt = 0; attempt < 3; ++attempt) {
        const int first = history->count();
        panel->applyPreset(QStringLiteral("baseline"));
        setSmallParams(320, 200, 2);
        typeInto(panel->repetitionsBox(), 1);
        clickRun();
        WAIT_FOR_RUNS(first + 1);
        panel->applyPreset(QStringLiteral("optimized"));
        typeInto(panel->repetitionsBox(), 6);
        clickRun();
        WAIT_FOR_RUNS(first + 2);
        clickRun();
        WAIT_FOR_RUNS(first + 3);
        const int rowA = first + 1, rowB = first + 2;
        for (int row : { rowA, rowB }) {
            for (const RunResult &r : *history->entry(row).repeats) {
                QCOMPARE(r.summary.imagesOk, images);
                // Nothing served from a cache an earlier run filled, and no
                // pixel buffers held over from the baseline at t = 0.
                QCOMPARE(r.summary.imagesFromCache, 0);
                QCOMPARE(r.summary.decodeCacheBytes, int64_t(0));
                QVERIFY(!r.memory.empty());
                QVERIFY2(r.memory.front().pixelBytesLive < (int64_t(1) << 20),
                    qPrintable(QString::number(r.memory.front().pixelBytesLive)));
            }
        }
        const RunComparison c = compareRuns(*history->entry(rowA).result, *history->entry(rowA).repeats,
            *history->entry(rowB).result, *history->entry(rowB).repeats);
        QString found;
        for (const StageComparison &st : c.stages)
            if (st.verdict != Verdict::WithinNoise && st.verdict != Verdict::NotCompared)
                found += QStringLiteral("%1: %2x, p %3; ").arg(stageName(st.stage)).arg(st.speedup).arg(st.p);
        if (c.verdict != Verdict::WithinNoise
            || !c.headline().contains(QStringLiteral("no significant difference")))
            found += c.headline() + QStringLiteral("; ");
        // The same memory, whatever ran before: the peaks within 15 %.
        const double rssA = double(history->entry(rowA).result->summary.peakRssBytes);
        const double rssB = double(history->entry(rowB).result->summary.peakRssBytes);
        if (std::fabs(rssA - rssB) > 0.15 * rssA)
            found += QStringLiteral("peak RSS %1 vs %2").arg(rssA).arg(rssB);
        if (found.isEmpty())
            break;
        failures += QStringLiteral("attempt %1: %2\n").arg(attempt + 1).arg(found);
        QVERIFY2(attempt < 2,
            qPrintable(QStringLiteral("an A/A comparison found a difference three times:\n") + failures));
    }
    m_window.reset(); // before the folder goes
    QDir(outputDirFor(photos.path())).removeRecursively();
}

QTEST_MAIN(TestRepetitions)
#include "tst_repetitions.moc"
