// The window's analysis features, driven as a person would: a JSON report
// opened into the history and compared with a live run; "What did each
// optimization buy?" run to its tornado chart, and cancelled; a toggle
// flipped in the panel reaching the next run. Real runs on tiny images,
// awaited with QTRY_* and signal spies, never with sleeps.
#include "ablationdialog.h"
#include "apppaths.h"
#include "comparisondialog.h"
#include "dashboardview.h"
#include "dragdrop.h"
#include "imagelistmodel.h"
#include "isolatedsettings.h"
#include "mainwindow.h"
#include "pipeline/pipeline.h"
#include "reports/reportwriter.h"
#include "runhistorymodel.h"
#include "samples/samplegenerator.h"
#include "togglepanel.h"

#include <QAbstractBarSeries>
#include <QAction>
#include <QBarSet>
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineSeries>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace pixelperf;

namespace {

constexpr int RunTimeoutMs = 60000;

} // namespace

class TestAnalysis : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void loadedReportComparesWithALiveRun();
    void flippingAToggleChangesTheNextRun();
    void ablationChartsEveryToggle();
    void ablationCancels();
    void ablationShowsWhatItMeasuresAndKeepsWhatWasMeasured();
    void comparisonShowsEachStageRelativeToA();
    void dropDuringAnAblationSaysWhyAtOnce();

private:
    void openTiny();
    void runOnce(int expectedRuns);

    test::IsolatedSettings m_settings;
    QTemporaryDir m_tiny;
    std::unique_ptr<MainWindow> m_window;
};

void TestAnalysis::initTestCase()
{
    QVERIFY(m_settings.setUp(QStringLiteral("tst_analysis")));
    const GenerateResult r = generateSamples(m_tiny.path(), 3, 64, 48);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
}

void TestAnalysis::init()
{
    m_settings.clear();
    QDir(outputDirFor(m_tiny.path())).removeRecursively();
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1400, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    PipelineParams p;
    p.width = 32;
    p.height = 24;
    p.blurRadius = 1;
    p.jobs = 2;
    m_window->togglePanel()->setParams(p);
}

void TestAnalysis::cleanup()
{
    m_window.reset();
}

void TestAnalysis::cleanupTestCase()
{
    QDir(outputDirFor(m_tiny.path())).removeRecursively();
}

void TestAnalysis::openTiny()
{
    QVERIFY(m_window->openFolder(m_tiny.path()));
    QTRY_COMPARE(m_window->imageModel()->count(), 3);
}

void TestAnalysis::runOnce(int expectedRuns)
{
    QVERIFY(m_window->runAction()->isEnabled());
    m_window->runAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(
        !m_window->isRunning() && m_window->historyModel()->count() == expectedRuns, RunTimeoutMs);
}

void TestAnalysis::loadedReportComparesWithALiveRun()
{
    // A report written by core from a baseline run of the same folder.
    PipelineConfig config;
    config.preset = QStringLiteral("baseline");
    config.toggles = *presetToggles(config.preset);
    config.params = m_window->togglePanel()->params();
    config.inputDir = m_tiny.path();
    QTemporaryDir out;
    config.outputDir = out.path();
    const RunResult baseline = PipelineRun::runBlocking(config);
    QVERIFY2(baseline.ok(), qPrintable(baseline.fatalError));
    QTemporaryDir reports;
    const QString path = reports.filePath(QStringLiteral("baseline.json"));
    QString error;
    QVERIFY2(ReportWriter::writeJson(path, ReportWriter::toJson(baseline), &error), qPrintable(error));

    QAction *open = m_window->openReportAction();
    QCOMPARE(open->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    QVERIFY(!m_window->compareRunsAction()->isEnabled());
    QSignalSpy loaded(m_window.get(), &MainWindow::reportLoaded);
    QVERIFY(m_window->openReport(path));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, RunTimeoutMs);
    QVERIFY2(loaded.first().at(1).toString().isEmpty(), qPrintable(loaded.first().at(1).toString()));
    RunHistoryModel *history = m_window->historyModel();
    QCOMPARE(history->count(), 1);
    QVERIFY(history->entry(0).isLoaded());
    QCOMPARE(history->entry(0).preset, QStringLiteral("naive")); // all off, whatever the report called it
    QVERIFY(history->data(history->index(0, RunHistoryModel::NoteColumn))
                .toString()
                .contains(QStringLiteral("loaded")));
    QCOMPARE(history->entry(0).result->summary.imagesOk, 3);

    // A file that is not a report says so and adds nothing.
    const QString junk = reports.filePath(QStringLiteral("junk.json"));
    QFile f(junk);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\"schema\": \"something else\"}");
    f.close();
    QVERIFY(m_window->openReport(junk));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, RunTimeoutMs);
    QVERIFY(!loaded.last().at(1).toString().isEmpty());
    QCOMPARE(history->count(), 1);

    // A live optimized run, then the two compared.
    openTiny();
    runOnce(2);
    QVERIFY(m_window->compareRunsAction()->isEnabled());
    auto *button = m_window->findChild<QPushButton *>(QStringLiteral("compareRunsButton"));
    QVERIFY(button && button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
    ComparisonDialog *dialog = m_window->comparisonDialog();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->rowA(), 0); // the one before the latest
    QCOMPARE(dialog->rowB(), 1);
    const ComparisonTableModel *table = dialog->tableModel();
    QVERIFY(table->rowCount() >= 8); // the image stages and the overall row
    QCOMPARE(dialog->tableView()->model(), table);
    for (int row = 0; row < table->overallRow(); ++row) {
        const Stage stage = table->comparison().stages[size_t(row)].stage;
        QVERIFY2(DashboardView::stageBarValue(dialog->stageSeriesA(), stage) > 0, stageName(stage));
        QVERIFY2(DashboardView::stageBarValue(dialog->stageSeriesB(), stage) > 0, stageName(stage));
    }
    QVERIFY(dialog->rssSeriesA()->count() > 0);
    QVERIFY(dialog->rssSeriesB()->count() > 0);
    // Per image, and single runs say their spread is unknown.
    QVERIFY2(dialog->summaryText().contains(QStringLiteral("per image")), qPrintable(dialog->summaryText()));
    QVERIFY2(dialog->summaryText().contains(QStringLiteral("lanczos")), qPrintable(dialog->summaryText()));
    QVERIFY(!table->comparison().toggleDifferences.isEmpty());

    // Swapping makes the live run the reference.
    auto *swap = dialog->findChild<QPushButton *>(QStringLiteral("comparisonSwap"));
    QTest::mouseClick(swap, Qt::LeftButton);
    QCOMPARE(dialog->rowA(), 1);
    QCOMPARE(dialog->rowB(), 0);
    dialog->close();
}

void TestAnalysis::flippingAToggleChangesTheNextRun()
{
    openTiny();
    TogglePanel *panel = m_window->togglePanel();
    QCheckBox *lanczos = panel->checkBox(ToggleId::Lanczos);
    QVERIFY(lanczos->isChecked());
    runOnce(1);
    QVERIFY(m_window->historyModel()->entry(0).result->config.isOn(ToggleId::Lanczos));

    QTest::mouseClick(lanczos, Qt::LeftButton, Qt::NoModifier, QPoint(8, lanczos->height() / 2));
    QVERIFY(!lanczos->isChecked());
    runOnce(2);
    const RunResult &second = *m_window->historyModel()->entry(1).result;
    QVERIFY(!second.config.isOn(ToggleId::Lanczos));
    QCOMPARE(second.config.toggles, panel->toggles());
    QCOMPARE(m_window->historyModel()->entry(1).preset, QStringLiteral("custom"));
}

void TestAnalysis::ablationChartsEveryToggle()
{
    openTiny();
    QAction *ablate = m_window->ablationAction();
    QVERIFY(ablate->isEnabled());
    QSignalSpy finished(m_window.get(), &MainWindow::ablationFinished);
    QVERIFY(m_window->startAblation(1));
    QVERIFY(m_window->isAblating());
    // The schedule is locked while the ablation measures it.
    QVERIFY(!m_window->togglePanel()->isEnabled());
    QVERIFY(!m_window->runAction()->isEnabled());
    QVERIFY(!ablate->isEnabled());
    QVERIFY(m_window->cancelAction()->isEnabled());
    QVERIFY(m_window->findChild<QPushButton *>(QStringLiteral("ablationCancel"))->isVisible());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, RunTimeoutMs);
    QCOMPARE(finished.first().at(0).toBool(), false);
    QVERIFY(m_window->togglePanel()->isEnabled());
    QVERIFY(!m_window->findChild<QPushButton *>(QStringLiteral("ablationCancel"))->isVisible());

    AblationDialog *dialog = m_window->ablationDialog();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    int toggles = 0;
    for (const ToggleInfo &info : toggleTable())
        toggles += presetToggles(QStringLiteral("optimized"))->isOn(info.id) ? 1 : 0;
    QCOMPARE(int(dialog->result().entries.size()), toggles);
    QCOMPARE(dialog->categories().size(), toggles);
    QCOMPARE(dialog->speedupSet()->count(), toggles);
    QCOMPARE(dialog->memorySet()->count(), toggles);
    // Largest share on top; speedup to the left (negative), memory to the right.
    QCOMPARE(
        dialog->categories().first(), QLatin1String(toggleInfo(dialog->result().entries.front().toggle).key));
    for (int i = 0; i < toggles; ++i) {
        QVERIFY(dialog->speedupSet()->at(i) <= 0);
        QVERIFY(dialog->memorySet()->at(i) >= 0);
    }
    // The sentences read as text: `toggle` is shown as code, no backticks.
    for (const AblationEntry &e : dialog->result().entries) {
        QString plain = e.sentence;
        plain.remove(QLatin1Char('`'));
        QVERIFY2(dialog->sentencesText().contains(plain), qPrintable(plain));
    }
    QVERIFY(!dialog->sentencesText().contains(QLatin1Char('`')));
    // Each configuration was its own process: the method says so.
    QVERIFY(dialog->sentencesText().contains(QStringLiteral("fresh process")));

    QTemporaryDir out;
    for (const QString &name :
        { QStringLiteral("a.html"), QStringLiteral("a.md"), QStringLiteral("a.json") }) {
        QString error;
        QVERIFY2(dialog->exportTo(out.filePath(name), &error), qPrintable(error));
        QVERIFY(QFileInfo(out.filePath(name)).size() > 0);
    }
    QFile json(out.filePath(QStringLiteral("a.json")));
    QVERIFY(json.open(QIODevice::ReadOnly));
    QJsonParseError parseError;
    QVERIFY(!QJsonDocument::fromJson(json.readAll(), &parseError).isNull());
}

void TestAnalysis::ablationCancels()
{
    openTiny();
    QSignalSpy finished(m_window.get(), &MainWindow::ablationFinished);
    QVERIFY(m_window->startAblation(3));
    auto *cancel = m_window->findChild<QPushButton *>(QStringLiteral("ablationCancel"));
    QVERIFY(cancel->isVisible());
    QTest::mouseClick(cancel, Qt::LeftButton);
    QVERIFY(!cancel->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, RunTimeoutMs);
    QCOMPARE(finished.first().at(0).toBool(), true);
    QVERIFY(!m_window->isAblating());
    QVERIFY(!m_window->ablationDialog());
    QVERIFY(m_window->togglePanel()->isEnabled());
    QVERIFY(m_window->runAction()->isEnabled());
    QVERIFY(m_window->statusMessage().contains(QStringLiteral("cancelled")));
    // A cancelled ablation adds no run to the history.
    QCOMPARE(m_window->historyModel()->count(), 0);
}

void TestAnalysis::ablationShowsWhatItMeasuresAndKeepsWhatWasMeasured()
{
    openTiny();
    TogglePanel *panel = m_window->togglePanel();
    panel->applyPreset(QStringLiteral("baseline"));
    const ToggleSet own = panel->toggles();
    QSignalSpy finished(m_window.get(), &MainWindow::ablationFinished);
    QVERIFY(m_window->startAblation(3));
    // The locked panel shows the configuration measured: the optimized
    // preset it starts from, then each one measured.
    QCOMPARE(panel->presetName(), QStringLiteral("optimized"));
    // The dashboard follows the measurements, naming each configuration.
    QTRY_VERIFY_WITH_TIMEOUT(
        m_window->dashboard()->title().contains(QStringLiteral("measuring without")), RunTimeoutMs);
    QVERIFY(m_window->dashboard()->headlineValue(QStringLiteral("done")).endsWith(QStringLiteral("/3")));
    // The panel shows the configuration going: the optimized preset, that toggle off.
    const QString title = m_window->dashboard()->title();
    const QString key
        = title.section(QStringLiteral("measuring without "), 1).section(QLatin1Char(' '), 0, 0);
    ToggleSet measured = *presetToggles(QStringLiteral("optimized"));
    bool known = false;
    for (const ToggleInfo &info : toggleTable()) {
        if (key == QLatin1String(info.key)) {
            measured.set(info.id, false);
            known = true;
        }
    }
    QVERIFY2(known, qPrintable(title));
    QCOMPARE(panel->toggles(), measured);

    // Cancelled part-way: what was measured is kept and shown.
    m_window->cancelAblation();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, RunTimeoutMs);
    QCOMPARE(finished.first().at(0).toBool(), true);
    QCOMPARE(panel->toggles(), own);
    AblationDialog *dialog = m_window->ablationDialog();
    QVERIFY(dialog);
    QVERIFY(dialog->result().cancelled);
    QVERIFY(dialog->result().all.rounds >= 1);
    QVERIFY(!dialog->sentencesText().contains(QLatin1Char('`')));
    auto *progress = m_window->findChild<QProgressBar *>(QStringLiteral("runProgress"));
    QVERIFY(!progress->isTextVisible()); // no "0/1 images" after an ablation

    // Closing the dialog does not lose the result: Run ▸ Last Ablation Result.
    const int runsDone = dialog->result().runsDone;
    dialog->close();
    QTRY_VERIFY(!m_window->ablationDialog());
    auto *reopen = m_window->findChild<QAction *>(QStringLiteral("actionLastAblation"));
    QVERIFY(reopen && reopen->isEnabled());
    reopen->trigger();
    QVERIFY(m_window->ablationDialog());
    QVERIFY(m_window->ablationDialog()->isVisible());
    QCOMPARE(m_window->ablationDialog()->result().runsDone, runsDone);
}

void TestAnalysis::comparisonShowsEachStageRelativeToA()
{
    // A stage far shorter than the longest is readable: per stage, B as a
    // share of A (A at 100 %).
    openTiny();
    runOnce(1);
    m_window->togglePanel()->applyPreset(QStringLiteral("baseline"));
    runOnce(2);
    ComparisonDialog *dialog = m_window->showComparison(0, 1);
    QVERIFY(dialog);
    dialog->relativeBox()->setChecked(true);
    const RunComparison &c = dialog->tableModel()->comparison();
    int checked = 0;
    for (const StageComparison &st : c.stages) {
        if (st.a.median <= 0)
            continue;
        QCOMPARE(DashboardView::stageBarValue(dialog->stageSeriesA(), st.stage), 100.0);
        QVERIFY(qFuzzyCompare(DashboardView::stageBarValue(dialog->stageSeriesB(), st.stage),
            100.0 * st.b.median / st.a.median));
        ++checked;
    }
    QVERIFY(checked >= 5);
    dialog->relativeBox()->setChecked(false);
    QCOMPARE(DashboardView::stageBarValue(dialog->stageSeriesA(), c.stages.front().stage),
        c.stages.front().a.median);
}

void TestAnalysis::dropDuringAnAblationSaysWhyAtOnce()
{
    // While the ablation measures the folder, a dragged folder is refused
    // as it arrives (not invited, then refused on the drop).
    openTiny();
    const QString folder = m_window->currentFolder();
    QTemporaryDir other;
    QVERIFY(generateSamples(other.path(), 1, 32, 24).error.isEmpty());
    QSignalSpy finished(m_window.get(), &MainWindow::ablationFinished);
    QVERIFY(m_window->startAblation(1));
    const test::DragSeen seen = test::dragAndDrop(m_window.get(), { QUrl::fromLocalFile(other.path()) });
    QVERIFY(seen.highlighted);
    QVERIFY2(!seen.usable, qPrintable(seen.message));
    QVERIFY2(seen.message.contains(QStringLiteral("run is going")), qPrintable(seen.message));
    QCOMPARE(m_window->currentFolder(), folder);
    // Image files too (they would be the input on their own).
    const QString image = QDir(other.path()).entryInfoList(QDir::Files).value(0).absoluteFilePath();
    const test::DragSeen files = test::dragAndDrop(m_window.get(), { QUrl::fromLocalFile(image) });
    QVERIFY2(files.highlighted && !files.usable, qPrintable(files.message));
    QVERIFY2(files.message.contains(QStringLiteral("run is going")), qPrintable(files.message));
    QCOMPARE(m_window->currentFolder(), folder);
    QVERIFY(m_window->inputFiles().isEmpty());
    m_window->cancelAblation();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, RunTimeoutMs);
}

QTEST_MAIN(TestAnalysis)
#include "tst_analysis.moc"
