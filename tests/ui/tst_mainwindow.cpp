// The real window, driven as a person would: folders dropped on it, Run
// clicked, presets chosen, boxes ticked, Esc pressed. Runs are real (small
// images, small output) and awaited with QTRY_*, never with sleeps.
#include "apppaths.h"
#include "comparisondialog.h"
#include "dashboardview.h"
#include "dragdrop.h"
#include "dropoverlay.h"
#include "flamegraphview.h"
#include "imagelistmodel.h"
#include "isolatedsettings.h"
#include "mainwindow.h"
#include "previewpane.h"
#include "profilepanel.h"
#include "runcontroller.h"
#include "runhistorymodel.h"
#include "samples/samplegenerator.h"
#include "timelinewidget.h"
#include "togglepanel.h"
#include "toggleshelpdialog.h"

#include <QAbstractBarSeries>
#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QBarCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineSeries>
#include <QMenuBar>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>
#include <QUrl>
#include <QValueAxis>

#include <memory>

using namespace pixelperf;

namespace {

constexpr int RunTimeoutMs = 30000;

// Every run of the batch is over and in the history.
#define WAIT_FOR_RUNS(n)                                                                                     \
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->isRunning() && m_window->historyModel()->count() == (n), RunTimeoutMs)

// The shared drag helper, with the old call shape: `highlighted` when asked.
void dragAndDrop(QWidget *target, const QList<QUrl> &urls, bool *highlighted = nullptr)
{
    const test::DragSeen seen = test::dragAndDrop(target, urls);
    if (highlighted)
        *highlighted = seen.highlighted;
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void dropFolderListsImages();
    void dropImageFilesRunsOnlyThose();
    void dropFolderWithFilesIsRefused();
    void dropNonFolderSaysWhy();
    void dropEmptyFolderSaysSo();
    void runProcessesEveryImage();
    void afterPreviewFollowsARerun();
    void runListsImagesAddedSinceTheFolderWasOpened();
    void presetsSetTheBoxes();
    void togglesDisabledDuringRunAndCancelKeepsPartialResults();
    void baselineVsOptimizedAndPinning();
    void generateSamplesOpensTheFolder();
    void settingsPersist();
    void togglesHelpListsEveryToggle();
    void mnemonicsAreUnique();
    void fitsALaptopScreen();
    void baselineVsOptimizedShowsWhatRuns();
    void openingAnotherFolderClearsTheDashboard();
    void memoryAxisFollowsTheRunOnShow();
    void callStacksFollowTheRunAndItsComparison();

private:
    void useSmallParams(int blurRadius = 2);
    void openSamples();

    test::IsolatedSettings m_settings;
    QTemporaryDir m_samples;
    QTemporaryDir m_empty;
    std::unique_ptr<MainWindow> m_window;
};

void TestMainWindow::initTestCase()
{
    QVERIFY(m_settings.setUp(QStringLiteral("tst_mainwindow")));
    const GenerateResult r = generateSamples(m_samples.path(), 4, 320, 200);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.written.size(), 4);
}

void TestMainWindow::init()
{
    m_settings.clear();
    QDir(outputDirFor(m_samples.path())).removeRecursively();
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1400, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    useSmallParams();
}

void TestMainWindow::cleanup()
{
    m_window.reset();
}

void TestMainWindow::cleanupTestCase()
{
    for (const QString &dir : { m_samples.path(), m_empty.path() })
        QDir(outputDirFor(dir)).removeRecursively();
}

void TestMainWindow::useSmallParams(int blurRadius)
{
    PipelineParams p;
    p.width = 160;
    p.height = 120;
    p.blurRadius = blurRadius;
    m_window->togglePanel()->setParams(p);
}

void TestMainWindow::openSamples()
{
    dragAndDrop(m_window.get(), { QUrl::fromLocalFile(m_samples.path()) });
    QTRY_COMPARE(m_window->imageModel()->count(), 4);
}

void TestMainWindow::dropFolderListsImages()
{
    bool highlighted = false;
    dragAndDrop(m_window.get(), { QUrl::fromLocalFile(m_samples.path()) }, &highlighted);
    QVERIFY2(highlighted, "the window shows a drop highlight while a folder is dragged over it");
    QVERIFY(!m_window->findChild<DropOverlay *>()->isVisible());

    ImageListModel *images = m_window->imageModel();
    QTRY_COMPARE(images->count(), 4);
    QCOMPARE(m_window->fileView()->model()->rowCount(), 4);
    QCOMPARE(QDir(m_window->currentFolder()).canonicalPath(), QDir(m_samples.path()).canonicalPath());
    QCOMPARE(images->data(images->index(0, ImageListModel::NameColumn)).toString(),
        QStringLiteral("sample_001.jpg"));
    QVERIFY(!images->data(images->index(0, ImageListModel::SizeColumn)).toString().isEmpty());
    QVERIFY(m_window->runAction()->isEnabled());
    QVERIFY(!m_window->cancelAction()->isEnabled());
    QVERIFY(m_window->recentFolders().contains(m_window->currentFolder()));
    // The output goes under the app's data folder, never into the input.
    QVERIFY(!m_window->outputFolder().startsWith(m_window->currentFolder()));
    QVERIFY(m_window->outputFolder().startsWith(
        QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)));
    // The first image is selected and previewed.
    QTRY_VERIFY(!m_window->preview()->inputImage().isNull());
}

void TestMainWindow::dropImageFilesRunsOnlyThose()
{
    // Two of the folder's four photos dropped: the overlay says what the
    // drop will do, the panel shows those two, and the run processes them
    // alone. A folder dropped afterwards takes all its images again.
    const QString second = QDir(m_samples.path()).filePath(QStringLiteral("sample_002.jpg"));
    const QString fourth = QDir(m_samples.path()).filePath(QStringLiteral("sample_004.jpg"));
    const QString name = QFileInfo(m_samples.path()).fileName();
    const test::DragSeen seen
        = test::dragAndDrop(m_window.get(), { QUrl::fromLocalFile(fourth), QUrl::fromLocalFile(second) });
    QVERIFY2(seen.highlighted && seen.usable, qPrintable(seen.message));
    QCOMPARE(seen.message, QStringLiteral("Drop to run on these 2 files from %1 only").arg(name));
    QTRY_COMPARE(m_window->inputFiles(), QStringList({ fourth, second }));
    QCOMPARE(m_window->imageModel()->paths(), QStringList({ fourth, second }));
    QCOMPARE(m_window->fileView()->model()->rowCount(), 2);
    auto *label = m_window->findChild<QLabel *>(QStringLiteral("folderLabel"));
    QVERIFY2(label->text().contains(QStringLiteral("2 files from %1").arg(name)), qPrintable(label->text()));
    QCOMPARE(m_window->windowTitle(), QStringLiteral("2 files from %1 — PixelPerf").arg(name));
    QCOMPARE(QDir(m_window->currentFolder()).canonicalPath(), QDir(m_samples.path()).canonicalPath());
    QVERIFY(
        !m_window->recentFolders().contains(m_window->currentFolder())); // reopening it would run all four

    QVERIFY(m_window->startRun());
    WAIT_FOR_RUNS(1);
    const RunResult &r = *m_window->historyModel()->entry(0).result;
    QCOMPARE(r.summary.imagesTotal, 2);
    QCOMPARE(r.summary.imagesOk, 2);
    QCOMPARE(r.files, QStringList({ fourth, second }));
    QCOMPARE(r.config.inputFiles, QStringList({ fourth, second }));
    QCOMPARE(m_window->imageModel()->countWithStatus(ImageListModel::Status::Ok), 2);
    QCOMPARE(QDir(m_window->outputFolder()).entryList(QDir::Files, QDir::Name),
        QStringList({ "processed_sample_002.jpg", "processed_sample_004.jpg" }));

    dragAndDrop(m_window.get(), { QUrl::fromLocalFile(m_samples.path()) });
    QTRY_COMPARE(m_window->imageModel()->count(), 4);
    QVERIFY(m_window->inputFiles().isEmpty());
    QVERIFY2(label->text().contains(name) && !label->text().contains(QStringLiteral("files from")),
        qPrintable(label->text()));
}

void TestMainWindow::dropFolderWithFilesIsRefused()
{
    // A folder and files at once: which one is meant is the user's to say.
    // The overlay refuses it as it arrives, and the input stays as it was.
    openSamples();
    QTemporaryDir other;
    const test::DragSeen seen = test::dragAndDrop(m_window.get(),
        { QUrl::fromLocalFile(other.path()),
            QUrl::fromLocalFile(QDir(m_samples.path()).filePath(QStringLiteral("sample_001.jpg"))) });
    QVERIFY(seen.highlighted);
    QVERIFY2(!seen.usable && seen.message.contains(QStringLiteral("folder and image files")),
        qPrintable(seen.message));
    QVERIFY2(m_window->statusMessage().contains(QStringLiteral("folder and image files")),
        qPrintable(m_window->statusMessage()));
    QCOMPARE(m_window->imageModel()->count(), 4);
    QVERIFY(m_window->inputFiles().isEmpty());
}

void TestMainWindow::dropNonFolderSaysWhy()
{
    QTemporaryDir dir;
    const QString text = dir.filePath(QStringLiteral("notes.txt"));
    QFile f(text);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("hello");
    f.close();
    bool highlighted = false;
    dragAndDrop(m_window.get(), { QUrl::fromLocalFile(text) }, &highlighted);
    QVERIFY(highlighted); // shown, as a refusal that says why
    QTRY_COMPARE(m_window->imageModel()->count(), 0);
    QVERIFY(m_window->currentFolder().isEmpty());
    QVERIFY2(m_window->statusMessage().contains(QStringLiteral("notes.txt")),
        qPrintable(m_window->statusMessage()));
    QVERIFY(!m_window->runAction()->isEnabled());

    dragAndDrop(m_window.get(), { QUrl(QStringLiteral("https://example.invalid/photos/")) });
    QVERIFY2(m_window->statusMessage().contains(QStringLiteral("not a local folder")),
        qPrintable(m_window->statusMessage()));
}

void TestMainWindow::dropEmptyFolderSaysSo()
{
    QSignalSpy opened(m_window.get(), &MainWindow::folderOpened);
    dragAndDrop(m_window.get(), { QUrl::fromLocalFile(m_empty.path()) });
    QTRY_COMPARE(opened.count(), 1);
    QCOMPARE(m_window->imageModel()->count(), 0);
    QVERIFY2(m_window->statusMessage().contains(QStringLiteral("No images")),
        qPrintable(m_window->statusMessage()));
    auto *placeholder = m_window->findChild<QWidget *>(QStringLiteral("fileListPlaceholder"));
    QVERIFY(placeholder && placeholder->isVisible());
    QVERIFY(!m_window->runAction()->isEnabled());
}

void TestMainWindow::afterPreviewFollowsARerun()
{
    // The selected image's "After" shows the output of the latest run, even
    // though the second run writes it under the same name.
    openSamples();
    m_window->fileView()->setCurrentIndex(m_window->fileView()->model()->index(0, 0));
    PipelineParams wide;
    wide.width = 160;
    wide.height = 80;
    m_window->togglePanel()->setParams(wide);
    QVERIFY(m_window->startRun());
    WAIT_FOR_RUNS(1);
    PreviewPane *preview = m_window->preview();
    QTRY_VERIFY_WITH_TIMEOUT(!preview->isLoading() && !preview->outputImage().isNull(), RunTimeoutMs);
    QVERIFY(preview->outputImage().width() > preview->outputImage().height());

    PipelineParams tall = wide;
    tall.width = 80;
    tall.height = 160;
    m_window->togglePanel()->setParams(tall);
    QVERIFY(m_window->startRun());
    WAIT_FOR_RUNS(2);
    QTRY_VERIFY_WITH_TIMEOUT(!preview->isLoading() && !preview->outputImage().isNull()
            && preview->outputImage().height() > preview->outputImage().width(),
        RunTimeoutMs);
}

void TestMainWindow::runProcessesEveryImage()
{
    openSamples();
    auto *toolbar = m_window->findChild<QToolBar *>(QStringLiteral("mainToolBar"));
    QVERIFY(toolbar);
    QWidget *runButton = toolbar->widgetForAction(m_window->runAction());
    QVERIFY(runButton);
    QTest::mouseClick(runButton, Qt::LeftButton);
    QVERIFY(m_window->isRunning());
    WAIT_FOR_RUNS(1);

    DashboardView *dash = m_window->dashboard();
    QVERIFY(dash->currentStageSeries());
    for (int i = 0; i < StageCount; ++i) {
        const Stage stage = Stage(i);
        QVERIFY2(dash->model()->stageTotals().count[size_t(i)] > 0, stageName(stage));
        QVERIFY2(DashboardView::stageBarValue(dash->currentStageSeries(), stage) > 0, stageName(stage));
    }
    QVERIFY(dash->rssSeries()->count() > 0);
    QVERIFY(dash->pixelSeries()->count() > 0);
    QVERIFY(!dash->timeline()->model()->spans().empty());
    QCOMPARE(dash->headlineValue(QStringLiteral("done")), QStringLiteral("4/4"));

    ImageListModel *images = m_window->imageModel();
    QCOMPARE(images->countWithStatus(ImageListModel::Status::Ok), 4);
    for (int row = 0; row < 4; ++row) {
        QCOMPARE(
            images->data(images->index(row, ImageListModel::StatusColumn)).toString(), QStringLiteral("ok"));
        QVERIFY(QFileInfo::exists(images->outputAt(row)));
        QVERIFY(images->outputAt(row).startsWith(m_window->outputFolder()));
    }
    const RunEntry &entry = m_window->historyModel()->entry(0);
    QCOMPARE(entry.preset, QStringLiteral("optimized"));
    QCOMPARE(entry.result->summary.imagesOk, 4);
    QVERIFY(!entry.result->summary.cancelled);
    QVERIFY(m_window->togglePanel()->isEnabled());
    QVERIFY(m_window->runAction()->isEnabled());
    // The selected image's output is previewed beside its input.
    QTRY_VERIFY(!m_window->preview()->outputImage().isNull());
    QCOMPARE(m_window->preview()->outputImage().size(), QSize(160, 120));

    // The run exports in every format, the format following the name.
    QTemporaryDir reports;
    QSignalSpy exported(m_window.get(), &MainWindow::reportExported);
    const QStringList names = { QStringLiteral("run.json"), QStringLiteral("run.html"),
        QStringLiteral("run.csv"), QStringLiteral("run.md"), QStringLiteral("run.trace.json") };
    for (const QString &name : names)
        QVERIFY(m_window->exportReport(reports.filePath(name)));
    QTRY_COMPARE_WITH_TIMEOUT(exported.count(), int(names.size()), RunTimeoutMs);
    for (const QList<QVariant> &args : std::as_const(exported))
        QVERIFY2(args.at(1).toString().isEmpty(), qPrintable(args.at(1).toString()));
    QFile json(reports.filePath(QStringLiteral("run.json")));
    QVERIFY(json.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(json.readAll()).object().value(QStringLiteral("schema")).toString(),
        QStringLiteral("pixelperf-report/1"));
    QFile html(reports.filePath(QStringLiteral("run.html")));
    QVERIFY(html.open(QIODevice::ReadOnly));
    QVERIFY(html.readAll().contains("<svg"));
    QVERIFY(QFileInfo(reports.filePath(QStringLiteral("run.trace.json"))).size() > 0);
    QVERIFY(QFileInfo(reports.filePath(QStringLiteral("run.csv"))).size() > 0);
    QVERIFY(QFileInfo(reports.filePath(QStringLiteral("run.md"))).size() > 0);

    // Never onto an input photo: refused, saying why, the photo untouched.
    const QString input
        = QDir(m_samples.path()).filePath(QDir(m_samples.path()).entryList(QDir::Files).first());
    QFile photo(input);
    QVERIFY(photo.open(QIODevice::ReadOnly));
    const QByteArray before = photo.readAll();
    photo.close();
    exported.clear();
    m_window->exportReport(input);
    QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, RunTimeoutMs);
    QVERIFY2(exported.first().at(1).toString().contains(QStringLiteral("input")),
        qPrintable(exported.first().at(1).toString()));
    QVERIFY(photo.open(QIODevice::ReadOnly));
    QCOMPARE(photo.readAll(), before);
}

void TestMainWindow::runListsImagesAddedSinceTheFolderWasOpened()
{
    QTemporaryDir dir;
    QVERIFY(generateSamples(dir.path(), 2, 96, 64).error.isEmpty());
    dragAndDrop(m_window.get(), { QUrl::fromLocalFile(dir.path()) });
    QTRY_COMPARE(m_window->imageModel()->count(), 2);
    QVERIFY(generateSamples(dir.path(), 1, 96, 64, 9).error.isEmpty()); // sample_003.jpg
    m_window->runAction()->trigger();
    WAIT_FOR_RUNS(1);
    QTRY_COMPARE(m_window->imageModel()->count(), 3);
    QCOMPARE(m_window->imageModel()->countWithStatus(ImageListModel::Status::Ok), 3);
    QDir(outputDirFor(dir.path())).removeRecursively();
}

void TestMainWindow::presetsSetTheBoxes()
{
    TogglePanel *panel = m_window->togglePanel();
    QComboBox *combo = panel->presetCombo();
    QCOMPARE(combo->currentText(), QStringLiteral("optimized"));

    combo->setFocus();
    QTest::keyClick(combo, Qt::Key_Home); // the first preset: naive, all off
    QCOMPARE(combo->currentText(), QStringLiteral("naive"));
    for (const ToggleInfo &info : toggleTable())
        QVERIFY2(!panel->checkBox(info.id)->isChecked(), info.key);

    QCheckBox *parallel = panel->checkBox(ToggleId::Parallel);
    QTest::mouseClick(parallel, Qt::LeftButton, Qt::NoModifier, QPoint(8, parallel->height() / 2));
    QVERIFY(parallel->isChecked());
    QCOMPARE(combo->currentText(), QStringLiteral("custom"));
    QCOMPARE(panel->presetName(), QStringLiteral("custom"));

    QTest::keyClick(combo, Qt::Key_Home);
    QTest::keyClick(combo, Qt::Key_Down); // the second preset: seed-baseline
    QCOMPARE(combo->currentText(), QStringLiteral("seed-baseline"));
    QCOMPARE(panel->toggles(), *presetToggles(QStringLiteral("seed-baseline")));

    // Unticking a box the preset had on also leaves the preset.
    QCheckBox *separable = panel->checkBox(ToggleId::SeparableBlur);
    QVERIFY(separable->isChecked());
    QTest::mouseClick(separable, Qt::LeftButton, Qt::NoModifier, QPoint(8, separable->height() / 2));
    QCOMPARE(combo->currentText(), QStringLiteral("custom"));
}

void TestMainWindow::togglesDisabledDuringRunAndCancelKeepsPartialResults()
{
    openSamples();
    // The baseline's naive blur on a larger output: long enough to cancel.
    m_window->togglePanel()->applyPreset(QStringLiteral("baseline"));
    PipelineParams p;
    p.width = 640;
    p.height = 400;
    p.blurRadius = 3;
    m_window->togglePanel()->setParams(p);

    QTest::keyClick(m_window.get(), Qt::Key_R, Qt::ControlModifier);
    QVERIFY(m_window->isRunning());
    QVERIFY(!m_window->togglePanel()->isEnabled());
    for (const ToggleInfo &info : toggleTable())
        QVERIFY2(!m_window->togglePanel()->checkBox(info.id)->isEnabled(), info.key);
    QVERIFY(!m_window->togglePanel()->presetCombo()->isEnabled());
    QVERIFY(!m_window->runAction()->isEnabled());
    QVERIFY(m_window->cancelAction()->isEnabled());

    // Once the first image is under way, Esc cancels.
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->runController()->dashboard().spans().empty(), RunTimeoutMs);
    QVERIFY(m_window->isRunning());
    QTest::keyClick(m_window.get(), Qt::Key_Escape);
    QVERIFY(!m_window->cancelAction()->isEnabled());
    WAIT_FOR_RUNS(1);

    const RunResult &r = *m_window->historyModel()->entry(0).result;
    QVERIFY(r.summary.cancelled);
    QVERIFY(r.summary.imagesOk < 4);
    QVERIFY(m_window->historyModel()
                ->data(m_window->historyModel()->index(0, RunHistoryModel::NoteColumn))
                .toString()
                .contains(QStringLiteral("cancelled")));
    ImageListModel *images = m_window->imageModel();
    QVERIFY(images->countWithStatus(ImageListModel::Status::Cancelled) >= 1);
    QCOMPARE(images->countWithStatus(ImageListModel::Status::Queued), 0);
    QCOMPARE(images->countWithStatus(ImageListModel::Status::Ok), r.summary.imagesOk);
    QCOMPARE(m_window->dashboard()->headlineValue(QStringLiteral("eta")), QStringLiteral("cancelled"));
    // No half-written outputs: only the finished images are there.
    const QStringList outputs = QDir(m_window->outputFolder()).entryList(QDir::Files);
    QCOMPARE(outputs.size(), r.summary.imagesOk);
    QVERIFY(m_window->togglePanel()->isEnabled());
    QVERIFY(m_window->runAction()->isEnabled());
}

void TestMainWindow::baselineVsOptimizedAndPinning()
{
    openSamples();
    m_window->compareAction()->trigger();
    WAIT_FOR_RUNS(2);
    RunHistoryModel *history = m_window->historyModel();
    QCOMPARE(history->entry(0).preset, QStringLiteral("naive"));
    QCOMPARE(history->entry(1).preset, QStringLiteral("optimized"));
    // The optimized run is shown with the baseline ghosted beside it.
    DashboardView *dash = m_window->dashboard();
    QVERIFY(dash->hasComparison());
    QVERIFY(DashboardView::stageBarValue(dash->comparisonStageSeries(), Stage::Blur) > 0);
    // The panel's own toggles are untouched by the batch.
    QCOMPARE(m_window->togglePanel()->presetName(), QStringLiteral("optimized"));

    // Pin the optimized run (row 1): the next run is compared with it.
    QTreeView *view = m_window->historyView();
    view->setCurrentIndex(history->index(1, 0));
    auto *pin = m_window->findChild<QPushButton *>(QStringLiteral("pinButton"));
    QVERIFY(pin->isEnabled());
    QTest::mouseClick(pin, Qt::LeftButton);
    QCOMPARE(history->pinnedRow(), 1);
    QCOMPARE(history->comparison()->number, 2);
    auto *unpin = m_window->findChild<QPushButton *>(QStringLiteral("unpinButton"));
    QVERIFY(unpin->isEnabled());
    QTest::mouseClick(unpin, Qt::LeftButton);
    QCOMPARE(history->pinnedRow(), -1);

    // Selecting the first run shows it in the dashboard.
    view->setCurrentIndex(history->index(0, 0));
    QCOMPARE(dash->headlineValue(QStringLiteral("done")), QStringLiteral("4/4"));
    double baselineBlurMs = -1;
    for (const StageStats &st : history->entry(0).result->stages) {
        if (st.stage == Stage::Blur)
            baselineBlurMs = st.totalMs;
    }
    QVERIFY(baselineBlurMs > 0);
    QCOMPARE(DashboardView::stageBarValue(dash->currentStageSeries(), Stage::Blur), baselineBlurMs);
}

void TestMainWindow::generateSamplesOpensTheFolder()
{
    openSamples();
    QVERIFY(m_window->runAction()->isEnabled());
    QTemporaryDir dir;
    const QString target = dir.filePath(QStringLiteral("made here"));
    QVERIFY(m_window->generateSamplesInto(target, 3, 96, 64));
    QVERIFY(m_window->isGenerating());
    QVERIFY(!m_window->generateSamplesInto(target, 3, 96, 64)); // one at a time
    QVERIFY(!m_window->runAction()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->isGenerating(), RunTimeoutMs);
    QTRY_COMPARE(m_window->currentFolder(), QDir(target).absolutePath());
    QTRY_COMPARE(m_window->imageModel()->count(), 3);
    QVERIFY(m_window->runAction()->isEnabled());
}

void TestMainWindow::settingsPersist()
{
    openSamples();
    TogglePanel *panel = m_window->togglePanel();
    panel->applyPreset(QStringLiteral("seed-optimized"));
    PipelineParams p;
    p.width = 321;
    p.height = 123;
    p.quality = 55;
    p.jobs = 3;
    panel->setParams(p);
    const QString folder = m_window->currentFolder();
    m_window->close();
    m_window.reset();

    MainWindow again;
    QCOMPARE(again.togglePanel()->presetName(), QStringLiteral("seed-optimized"));
    QCOMPARE(again.togglePanel()->params().width, 321);
    QCOMPARE(again.togglePanel()->params().height, 123);
    QCOMPARE(again.togglePanel()->params().quality, 55);
    QCOMPARE(again.togglePanel()->params().jobs, 3);
    QCOMPARE(again.recentFolders().value(0), folder);
}

void TestMainWindow::togglesHelpListsEveryToggle()
{
    auto *action = m_window->findChild<QAction *>(QStringLiteral("actionTogglesHelp"));
    QVERIFY(action);
    action->trigger();
    auto *dialog = m_window->findChild<TogglesHelpDialog *>();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    auto *table = dialog->findChild<QTableWidget *>(QStringLiteral("togglesTable"));
    QCOMPARE(table->rowCount(), ToggleCount);
    for (int row = 0; row < table->rowCount(); ++row) {
        const ToggleInfo &info = toggleTable()[size_t(row)];
        QVERIFY(table->item(row, 0)->text().contains(QLatin1String(info.key)));
        QCOMPARE(table->item(row, 1)->text(), QLatin1String(info.stage));
        QCOMPARE(table->item(row, 2)->text(), QString::fromUtf8(info.onText));
        QCOMPARE(table->item(row, 3)->text(), QString::fromUtf8(info.offText));
    }
    dialog->close();
}

void TestMainWindow::mnemonicsAreUnique()
{
    // Every Alt+letter of the window does one thing: the menus' and the
    // labelled fields' and buttons' letters are all different (a second
    // press must not be needed to reach the Run or Help menu).
    auto letterOf = [](const QString &text) -> QChar {
        for (int i = 0; i + 1 < text.size(); ++i) {
            if (text[i] != QLatin1Char('&'))
                continue;
            if (text[i + 1] == QLatin1Char('&')) {
                ++i;
                continue;
            }
            return text[i + 1].toLower();
        }
        return QChar();
    };
    QMap<QChar, QStringList> owners;
    for (QAction *menu : m_window->menuBar()->actions())
        if (const QChar c = letterOf(menu->text()); !c.isNull())
            owners[c] << menu->text();
    for (QLabel *label : m_window->findChildren<QLabel *>())
        if (label->buddy())
            if (const QChar c = letterOf(label->text()); !c.isNull())
                owners[c] << label->text();
    for (QAbstractButton *button : m_window->findChildren<QAbstractButton *>())
        if (!qobject_cast<QToolButton *>(button))
            if (const QChar c = letterOf(button->text()); !c.isNull())
                owners[c] << button->text();
    for (QTabWidget *tabs : m_window->findChildren<QTabWidget *>())
        for (int i = 0; i < tabs->count(); ++i)
            if (const QChar c = letterOf(tabs->tabText(i)); !c.isNull())
                owners[c] << tabs->tabText(i);
    QVERIFY(owners.size() >= 8);
    for (auto it = owners.begin(); it != owners.end(); ++it)
        QVERIFY2(it.value().size() == 1,
            qPrintable(QStringLiteral("Alt+%1: %2").arg(it.key(), it.value().join(" / "))));
}

void TestMainWindow::fitsALaptopScreen()
{
    // A 1,024 x 700 laptop: the window fits, every stage of the time-per-stage
    // chart has its whole name beside its bar, and every file name is whole.
    openSamples();
    QVERIFY(m_window->startRun());
    WAIT_FOR_RUNS(1);
    QVERIFY2(m_window->minimumSizeHint().width() <= 1024,
        qPrintable(QString::number(m_window->minimumSizeHint().width())));
    m_window->resize(1024, 700);
    QTRY_COMPARE(m_window->size(), QSize(1024, 700));

    auto *view = m_window->findChild<QChartView *>(QStringLiteral("stageChart"));
    QVERIFY(view);
    QChart *chart = view->chart();
    auto *categories = qobject_cast<QBarCategoryAxis *>(chart->axes(Qt::Vertical).value(0));
    QVERIFY(categories);
    QCOMPARE(categories->count(), StageCount);
    const QFontMetrics labels(categories->labelsFont());
    int widest = 0;
    for (const QString &name : categories->categories())
        widest = std::max(widest, labels.horizontalAdvance(name));
    // The names are drawn left of the plot: it starts past the widest one.
    QTRY_VERIFY2(chart->plotArea().left() >= widest,
        qPrintable(QStringLiteral("plot at %1, names %2 wide").arg(chart->plotArea().left()).arg(widest)));
    // Nine names need nine label heights.
    QVERIFY(chart->plotArea().height() >= StageCount * labels.height());

    QTreeView *files = m_window->fileView();
    const QFontMetrics fm(files->font());
    for (int row = 0; row < m_window->imageModel()->count(); ++row) {
        const QString name = m_window->imageModel()->data(m_window->imageModel()->index(row, 0)).toString();
        QVERIFY2(
            files->columnWidth(ImageListModel::NameColumn) >= fm.horizontalAdvance(name), qPrintable(name));
    }
    QCOMPARE(files->header()->sectionResizeMode(ImageListModel::NameColumn), QHeaderView::Interactive);

    // The comparison dialog fits a 1,280 px screen.
    QVERIFY(m_window->startRun());
    WAIT_FOR_RUNS(2);
    ComparisonDialog *dialog = m_window->showComparison();
    QVERIFY(dialog);
    QVERIFY2(dialog->minimumSizeHint().width() <= 1280,
        qPrintable(QString::number(dialog->minimumSizeHint().width())));
    QVERIFY(dialog->width() <= 1280);
    dialog->close();
}

void TestMainWindow::baselineVsOptimizedShowsWhatRuns()
{
    // The panel's toggles are the user's own (custom); while the presets
    // run, the locked panel shows the preset being measured, and the user's
    // toggles come back afterwards.
    openSamples();
    TogglePanel *panel = m_window->togglePanel();
    panel->checkBox(ToggleId::Lanczos)->setChecked(false);
    const ToggleSet own = panel->toggles();
    QCOMPARE(panel->presetName(), QStringLiteral("custom"));
    auto *progress = m_window->findChild<QProgressBar *>(QStringLiteral("runProgress"));
    QVERIFY(!progress->isTextVisible()); // no "0/1 images" before anything ran

    QVERIFY(m_window->startBaselineVsOptimized());
    QVERIFY(!panel->isEnabled());
    QCOMPARE(panel->presetName(), QStringLiteral("naive"));
    QTRY_VERIFY_WITH_TIMEOUT(
        m_window->dashboard()->title().contains(QStringLiteral("optimized, round 1")), RunTimeoutMs);
    QCOMPARE(panel->presetName(), QStringLiteral("optimized"));
    m_window->cancelRun();
    WAIT_FOR_RUNS(2);
    QVERIFY(panel->isEnabled());
    QCOMPARE(panel->toggles(), own);
    QCOMPARE(panel->presetName(), QStringLiteral("custom"));
    // The user's toggles were saved, not the presets shown meanwhile.
    MainWindow again;
    QCOMPARE(again.togglePanel()->toggles(), own);
}

void TestMainWindow::openingAnotherFolderClearsTheDashboard()
{
    openSamples();
    QVERIFY(m_window->startRun());
    WAIT_FOR_RUNS(1);
    QCOMPARE(m_window->dashboard()->headlineValue(QStringLiteral("done")), QStringLiteral("4/4"));
    QTemporaryDir other;
    QVERIFY(generateSamples(other.path(), 2, 64, 48).error.isEmpty());
    QVERIFY(m_window->openFolder(other.path()));
    QTRY_COMPARE(m_window->imageModel()->count(), 2);
    // The samples' run is not shown above the new folder's list.
    QVERIFY(!m_window->dashboard()->model());
    QCOMPARE(m_window->dashboard()->headlineValue(QStringLiteral("done")), QStringLiteral("–"));
    QVERIFY(!m_window->dashboard()->hasComparison());
    QVERIFY(m_window->dashboard()->title().contains(QFileInfo(other.path()).fileName()));
    QDir(outputDirFor(other.path())).removeRecursively();
}

void TestMainWindow::memoryAxisFollowsTheRunOnShow()
{
    // A slow run pinned as the comparison, then a fast one: the time axis
    // is the fast run's, not the slow one's (which runs off the edge).
    openSamples();
    m_window->togglePanel()->applyPreset(QStringLiteral("baseline"));
    useSmallParams(12);
    QVERIFY(m_window->startRun());
    WAIT_FOR_RUNS(1);
    m_window->historyModel()->setPinnedRow(0);
    m_window->togglePanel()->applyPreset(QStringLiteral("optimized"));
    useSmallParams(1);
    QVERIFY(m_window->startRun());
    WAIT_FOR_RUNS(2);
    const double slow = m_window->historyModel()->entry(0).result->summary.wallMs / 1000.0;
    const double fast = m_window->historyModel()->entry(1).result->summary.wallMs / 1000.0;
    QVERIFY2(slow > 2.5 * fast, qPrintable(QStringLiteral("%1 s against %2 s").arg(slow).arg(fast)));
    DashboardView *dash = m_window->dashboard();
    QVERIFY(dash->hasComparison());
    const double axis = dash->memoryTimeAxis()->max();
    QVERIFY2(axis >= fast && axis < slow,
        qPrintable(QStringLiteral("axis to %1 s, runs %2 s and %3 s").arg(axis).arg(fast).arg(slow)));
}

void TestMainWindow::callStacksFollowTheRunAndItsComparison()
{
    // The Call stacks tab shows the sampled stacks of the run on show; with
    // a comparison run, the difference of the two is offered.
    openSamples();
    m_window->togglePanel()->applyPreset(QStringLiteral("baseline"));
    useSmallParams(8);
    QVERIFY(m_window->startRun());
    WAIT_FOR_RUNS(1);
    ProfilePanel *panel = m_window->profilePanel();
    QVERIFY(panel);
    QVERIFY(m_window->centerTabs()->indexOf(panel) >= 0);
    const std::shared_ptr<const CpuProfile> first = m_window->historyModel()->entry(0).result->profile;
    QVERIFY(first && first->samples > 0);
    QCOMPARE(panel->runView()->shownSamples(), first->samples);
    QVERIFY(!panel->modeBox()->isEnabled()); // nothing to compare with yet

    // Optimized but for the naive blur: long enough to be sampled.
    ToggleSet toggles = *presetToggles(QStringLiteral("optimized"));
    toggles.set(ToggleId::SeparableBlur, false);
    m_window->togglePanel()->setToggles(toggles);
    useSmallParams(8);
    QVERIFY(m_window->startRun());
    WAIT_FOR_RUNS(2);
    const std::shared_ptr<const CpuProfile> second = m_window->historyModel()->entry(1).result->profile;
    QVERIFY(second && second->samples > 0);
    QCOMPARE(panel->runView()->shownSamples(), second->samples);
    QTRY_VERIFY(panel->modeBox()->isEnabled());
    panel->setMode(ProfilePanel::Mode::Difference);
    QVERIFY(panel->diffView()->isDifferential());
    QCOMPARE(panel->diffView()->shownSamples(), second->samples);

    // A past run picked in the history: its stacks, not the latest run's.
    m_window->historyPanel()->select(0);
    QTRY_COMPARE(panel->runView()->shownSamples(), first->samples);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
