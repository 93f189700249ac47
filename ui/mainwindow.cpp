#include "mainwindow.h"

#include "ablationcontroller.h"
#include "apppaths.h"
#include "baselinevsoptimized.h"
#include "dashboardview.h"
#include "folderpanel.h"
#include "history/historystore.h"
#include "historydatabase.h"
#include "historypanel.h"
#include "imagelistmodel.h"
#include "isolatedjobs.h"
#include "measure/isolatedrun.h"
#include "previewpane.h"
#include "profilepanel.h"
#include "reportsaver.h"
#include "runcontroller.h"
#include "rundisplay.h"
#include "runhistorymodel.h"
#include "storedrunspanel.h"
#include "timelinewidget.h"
#include "togglepanel.h"
#include "undodeletebar.h"
#include "windowsettings.h"

#include <QAction>
#include <QCloseEvent>
#include <QDir>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

static void initPixelperfResources()
{
    Q_INIT_RESOURCE(pixelperf);
}

namespace pixelperf {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    initPixelperfResources();
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("PixelPerf"));
    QIcon icon;
    for (int size : { 32, 64, 128 })
        icon.addFile(QStringLiteral(":/icons/pixelperf-%1.png").arg(size));
    icon.addFile(QStringLiteral(":/icons/pixelperf.png"));
    setWindowIcon(icon);

    m_settings = new WindowSettings(this);
    m_history = new RunHistoryModel(this);
    m_database = new HistoryDatabase(defaultHistoryPath(), m_settings->keepHistory(), this);
    m_database->recordRunsOf(m_history);
    m_controller = new RunController(this);
    m_jobs = new IsolatedJobs(this);
    m_actions = WindowActions::create(this);
    buildPanels();
    m_display = new RunDisplay(m_dashboard, m_controller, m_history, m_historyPanel, m_folder, this);
    m_display->setProfilePanel(m_profilePanel);
    m_ablation = new AblationController(m_jobs, m_dashboard, m_saver, this);
    m_baselineVsOptimized = new BaselineVsOptimized(m_jobs, m_display, m_history, this);
    buildMenus();
    buildStatusBar();
    connectActions();
    connectRuns();
    m_settings->restoreWindow(this, { m_mainSplitter, m_rightSplitter });
    QSettings s;
    m_toggles->loadSettings(s);
    updateActions();
    showStatus(tr("Drop a folder of images anywhere on the window, or use File ▸ Open Folder…"));
}

MainWindow::~MainWindow()
{
    // The jobs in child processes, then the controller's run, stop before
    // the models they feed go away.
    delete m_jobs;
    m_jobs = nullptr;
    delete m_controller;
    m_controller = nullptr;
}

QWidget *MainWindow::buildToggleScroll()
{
    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("toggleScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_toggles = new TogglePanel(scroll);
    m_toggles->setObjectName(QStringLiteral("togglePanel"));
    scroll->setWidget(m_toggles);
    scroll->setMinimumWidth(
        m_toggles->minimumSizeHint().width() + scroll->style()->pixelMetric(QStyle::PM_ScrollBarExtent));
    return scroll;
}

void MainWindow::buildPanels()
{
    m_mainSplitter = new QSplitter(Qt::Horizontal, this);
    m_mainSplitter->setObjectName(QStringLiteral("mainSplitter"));
    m_mainSplitter->setChildrenCollapsible(false);
    m_mainSplitter->addWidget(buildToggleScroll());
    // The dashboard, and the same run's sampled call stacks in a tab beside it.
    m_centerTabs = new QTabWidget(m_mainSplitter);
    m_centerTabs->setObjectName(QStringLiteral("centerTabs"));
    m_dashboard = new DashboardView(m_centerTabs);
    m_dashboard->setObjectName(QStringLiteral("dashboard"));
    m_dashboard->setModel(&m_controller->dashboard());
    m_profilePanel = new ProfilePanel(m_centerTabs);
    m_profilePanel->setObjectName(QStringLiteral("profilePanel"));
    m_centerTabs->addTab(m_dashboard, tr("D&ashboard"));
    m_centerTabs->addTab(m_profilePanel, tr("Ca&ll stacks"));
    m_mainSplitter->addWidget(m_centerTabs);

    m_rightSplitter = new QSplitter(Qt::Vertical, m_mainSplitter);
    m_rightSplitter->setObjectName(QStringLiteral("rightSplitter"));
    m_rightSplitter->setChildrenCollapsible(false);
    m_preview = new PreviewPane(m_rightSplitter);
    m_preview->setObjectName(QStringLiteral("preview"));
    m_folder = new FolderPanel(m_settings, m_preview, m_rightSplitter);
    m_folder->acceptDropsOn(this);
    m_saver = new ReportSaver(m_settings, this);
    m_historyPanel = new HistoryPanel(m_history, m_database, m_settings, m_saver, m_rightSplitter);
    m_rightSplitter->addWidget(m_folder);
    m_rightSplitter->addWidget(m_preview);
    m_rightSplitter->addWidget(m_historyPanel);
    m_rightSplitter->setStretchFactor(0, 2);
    m_rightSplitter->setStretchFactor(1, 1);
    m_rightSplitter->setStretchFactor(2, 1);
    m_mainSplitter->addWidget(m_rightSplitter);
    // The dashboard and the file list share a wider window: both grow.
    m_mainSplitter->setStretchFactor(0, 0);
    m_mainSplitter->setStretchFactor(1, 3);
    m_mainSplitter->setStretchFactor(2, 1);
    m_mainSplitter->setSizes({ 1, 3000, 1000 }); // the toggles at their narrowest, 3:1 for the rest

    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(6, 6, 6, 0);
    centralLayout->addWidget(m_mainSplitter);
    setCentralWidget(central);
}

void MainWindow::buildStatusBar()
{
    statusBar()->addPermanentWidget(m_display->progressBar());
    statusBar()->addPermanentWidget(m_ablation->cancelButton());
}

void MainWindow::buildMenus()
{
    const WindowActions &a = m_actions;
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(a.open);
    file->addMenu(m_folder->recentMenu());
    file->addActions({ a.download, a.generate, a.openOutput, a.openReport, a.exportReport });
    file->addSeparator();
    file->addAction(a.quit);

    QMenu *edit = menuBar()->addMenu(tr("Edi&t")); // Alt+E, D and I belong to the toggle panel's boxes
    edit->addAction(m_historyPanel->storedRuns()->undoDelete()->undoAction());

    QMenu *run = menuBar()->addMenu(tr("&Run"));
    run->addActions({ a.run, a.cancel });
    run->addSeparator();
    run->addActions({ a.compare, a.compareRuns });
    run->addSeparator();
    run->addActions({ a.ablation, m_ablation->reopenAction() });

    a.addHelpMenu(menuBar());

    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setMovable(false);
    bar->addAction(a.open);
    bar->addSeparator();
    bar->addActions({ a.run, a.cancel, a.compare });
}

void MainWindow::connectActions()
{
    const WindowActions &a = m_actions;
    connect(a.open, &QAction::triggered, m_folder, &FolderPanel::chooseFolder);
    connect(a.download, &QAction::triggered, m_folder, &FolderPanel::chooseAndDownloadSamples);
    connect(a.generate, &QAction::triggered, m_folder, &FolderPanel::chooseAndGenerateSamples);
    connect(a.openOutput, &QAction::triggered, m_folder, &FolderPanel::openOutputFolder);
    connect(a.exportReport, &QAction::triggered, m_historyPanel, &HistoryPanel::chooseAndExportSelected);
    connect(a.openReport, &QAction::triggered, m_historyPanel, &HistoryPanel::chooseAndOpenReport);
    connect(a.run, &QAction::triggered, this, &MainWindow::startRun);
    connect(a.cancel, &QAction::triggered, this, &MainWindow::cancelRun);
    connect(a.compare, &QAction::triggered, this, &MainWindow::startBaselineVsOptimized);
    connect(a.compareRuns, &QAction::triggered, this, [this] { showComparison(); });
    connect(a.ablation, &QAction::triggered, this, [this] { startAblation(); });
}

void MainWindow::connectRuns()
{
    connect(m_toggles, &TogglePanel::changed, this, [this] {
        if (!m_ownToggles) { // a measurement's toggles on show are not the user's choice
            QSettings s;
            m_toggles->saveSettings(s);
        }
    });
    connect(m_folder, &FolderPanel::status, this, &MainWindow::showStatus);
    connect(m_folder, &FolderPanel::openFailed, this, &MainWindow::folderOpenFailed);
    connect(m_folder, &FolderPanel::busyChanged, this, &MainWindow::updateActions);
    connect(m_folder, &FolderPanel::opened, this, [this](const QString &dir) {
        setWindowTitle(tr("%1 — PixelPerf").arg(m_folder->inputName()));
        m_display->showFolder(dir);
        updateActions();
        emit folderOpened(dir);
    });
    // A span clicked in the timeline selects its file; a file selected highlights its spans.
    TimelineWidget *timeline = m_dashboard->timeline();
    connect(timeline, &TimelineWidget::imageClicked, m_folder,
        [this, timeline](int image) { m_folder->selectImage(timeline->imagePath(image)); });
    connect(m_folder, &FolderPanel::imageSelected, timeline, &TimelineWidget::selectImagePath);
    connect(m_historyPanel, &HistoryPanel::status, this, &MainWindow::showStatus);
    connect(m_historyPanel, &HistoryPanel::currentRowChanged, this, [this](int row) {
        updateActions();
        m_display->showHistoryRow(row);
    });
    connect(m_historyPanel, &HistoryPanel::compareRequested, this, [this] { showComparison(); });
    connect(m_historyPanel, &HistoryPanel::storedRunRead, m_display, &RunDisplay::showStoredRun);
    connect(m_historyPanel, &HistoryPanel::ablationRead, m_ablation, &AblationController::showResult);
    connect(m_ablation, &AblationController::resultKept, m_database, &HistoryDatabase::storeAblation);
    connect(
        m_historyPanel, &HistoryPanel::reportLoaded, this, [this](const QString &path, const QString &error) {
            updateActions();
            emit reportLoaded(path, error);
        });
    connect(m_saver, &ReportSaver::saved, this, [this](const QString &path, const QString &error) {
        showStatus(error.isEmpty() ? tr("Report written to %1").arg(QDir::toNativeSeparators(path))
                                   : tr("Cannot write the report: %1").arg(error),
            10000);
        emit reportExported(path, error);
    });
    connect(m_history, &RunHistoryModel::pinnedChanged, this, &MainWindow::updateActions);
    connect(m_display, &RunDisplay::status, this, &MainWindow::showStatus);
    connect(m_controller, &RunController::runStarted, this, [this] { lockForMeasurement(true); });
    connect(m_controller, &RunController::batchFinished, this, &MainWindow::onBatchFinished);
    connect(m_controller, &RunController::startFailed, this,
        [this](const QString &message) { showStatus(tr("The next run could not start: %1").arg(message)); });
    connect(m_baselineVsOptimized, &BaselineVsOptimized::status, this, &MainWindow::showStatus);
    connect(m_baselineVsOptimized, &BaselineVsOptimized::measuring, this,
        [this](const ToggleSet &toggles) { showMeasuredToggles(&toggles); });
    connect(m_baselineVsOptimized, &BaselineVsOptimized::finished, this,
        &MainWindow::onBaselineVsOptimizedFinished);
    connect(m_ablation, &AblationController::status, this, &MainWindow::showStatus);
    connect(m_ablation, &AblationController::progress, this,
        [this](int done, int total) { m_display->setProgress(done, total, tr("%v/%m runs")); });
    connect(m_ablation, &AblationController::measuring, this,
        [this](const ToggleSet &toggles) { showMeasuredToggles(&toggles); });
    connect(m_ablation, &AblationController::finished, this, &MainWindow::onAblationFinished);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (isRunning())
        m_controller->cancel();
    showMeasuredToggles(nullptr);
    m_settings->saveWindow(this, { m_mainSplitter, m_rightSplitter });
    QSettings s;
    m_toggles->saveSettings(s);
    event->accept();
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        m_actions.updateIcons(this);
}

bool MainWindow::openFolder(const QString &dir)
{
    return m_folder->openFolder(dir);
}

bool MainWindow::generateSamplesInto(const QString &dir, int count, int width, int height)
{
    return !busy() && m_folder->generateSamplesInto(dir, count, width, height);
}

bool MainWindow::isRunning() const
{
    return m_controller && m_controller->isRunning();
}

bool MainWindow::isAblating() const
{
    return m_jobs && m_jobs->isAblating();
}

AblationDialog *MainWindow::ablationDialog() const
{
    return m_ablation->dialog();
}

bool MainWindow::isComparingIsolated() const
{
    return m_baselineVsOptimized && m_baselineVsOptimized->isRunning();
}

bool MainWindow::busy() const
{
    return isRunning() || isGenerating() || m_folder->isListing() || isAblating() || isComparingIsolated();
}

PipelineConfig MainWindow::configFromPanel() const
{
    PipelineConfig config;
    config.toggles = m_toggles->toggles();
    config.preset = m_toggles->presetName();
    config.params = m_toggles->params();
    config.inputDir = currentFolder();
    if (!inputFiles().isEmpty())
        config.setInputFiles(inputFiles());
    config.outputDir = outputFolder();
    config.listedFiles = m_folder->images()->paths(); // the run keeps these strings, not its own
    config.backgroundWorkers = true; // the window stays responsive while they work
    return config;
}

bool MainWindow::checkFolderReady()
{
    if (currentFolder().isEmpty()) {
        showStatus(tr("Open a folder first (File ▸ Open Folder…, or drop one on the window)."), 8000);
        return false;
    }
    if (imageModel()->count() == 0) {
        showStatus(tr("No images to process in %1.").arg(QDir::toNativeSeparators(currentFolder())), 8000);
        return false;
    }
    return true;
}

bool MainWindow::startRun()
{
    if (busy() || !checkFolderReady())
        return false;
    QString error;
    return m_controller->start({ configFromPanel() }, m_toggles->repetitionPlan(), &error)
        || refuseStart(error);
}

bool MainWindow::refuseStart(const QString &problem)
{
    if (!problem.isEmpty()) {
        showStatus(tr("Cannot start the run: %1").arg(problem));
        QMessageBox::warning(this, tr("Cannot Start the Run"), problem);
    }
    return false;
}

void MainWindow::lockForMeasurement(bool locked)
{
    m_toggles->setEnabled(!locked);
    m_folder->setLocked(locked, tr("A run is going: cancel it (Esc) before opening another folder."));
    if (!locked) {
        showMeasuredToggles(nullptr);
        m_display->setProgress(0, 0);
    }
    updateActions();
}

void MainWindow::showMeasuredToggles(const ToggleSet *toggles)
{
    if (toggles && !m_ownToggles)
        m_ownToggles = std::make_unique<ToggleSet>(m_toggles->toggles());
    const std::unique_ptr<ToggleSet> own = toggles ? nullptr : std::move(m_ownToggles);
    if (toggles || own)
        m_toggles->setToggles(toggles ? *toggles : *own);
}

bool MainWindow::startBaselineVsOptimized()
{
    if (busy() || !checkFolderReady())
        return false;
    QString problem;
    if (!m_baselineVsOptimized->start(configFromPanel(), m_toggles->repetitionPlan(), &problem))
        return refuseStart(problem);
    lockForMeasurement(true);
    return true;
}

void MainWindow::onBaselineVsOptimizedFinished(
    int baselineRow, int optimizedRow, const QString &error, bool cancelled)
{
    lockForMeasurement(false);
    if (optimizedRow >= 0) {
        m_folder->showRun(*m_history->entry(optimizedRow).result);
        m_historyPanel->select(optimizedRow);
    }
    updateActions();
    if (!error.isEmpty())
        QMessageBox::warning(this, tr("Baseline vs Optimized"), error);
    else if (!cancelled && baselineRow >= 0 && optimizedRow >= 0)
        showComparison(baselineRow, optimizedRow);
    emit runsFinished();
}

bool MainWindow::startAblation(int repeat)
{
    const bool started = !busy() && imageModel()->count() > 0
        && m_ablation->start(configFromPanel(), repeat, m_toggles->repetitionPlan().warmups);
    if (started)
        lockForMeasurement(true);
    return started;
}

void MainWindow::cancelAblation()
{
    m_ablation->cancel();
    updateActions();
}

void MainWindow::onAblationFinished(bool cancelled)
{
    lockForMeasurement(isRunning());
    emit ablationFinished(cancelled);
}

void MainWindow::cancelRun()
{
    if (isAblating()) {
        cancelAblation();
    } else if (isComparingIsolated()) {
        m_jobs->stop();
        showStatus(tr("Cancelling… the run going stops; what was measured is kept"));
    } else if (isRunning()) {
        m_controller->cancel();
        showStatus(tr("Cancelling… each worker stops after its current stage"));
    }
    updateActions();
}

void MainWindow::updateActions()
{
    const WindowActions &a = m_actions;
    const bool haveImages = imageModel()->count() > 0;
    // While samples are being written or a folder listed, the folder is about to change.
    const bool busy = this->busy();
    for (QAction *start : { a.run, a.compare, a.ablation })
        start->setEnabled(!busy && haveImages);
    a.cancel->setEnabled(
        (isRunning() && !m_controller->isCancelRequested()) || (m_jobs->isBusy() && !m_jobs->isStopping()));
    a.compareRuns->setEnabled(m_history->count() >= 2);
    for (QAction *folder : { a.open, m_folder->recentMenu()->menuAction(), a.generate, a.download })
        folder->setEnabled(!busy);
    a.openOutput->setEnabled(!currentFolder().isEmpty());
    a.exportReport->setEnabled(m_history->count() > 0);
    m_historyPanel->updateButtons();
}

void MainWindow::onBatchFinished()
{
    m_toggles->setEnabled(true);
    m_folder->setLocked(false, QString());
    updateActions();
    emit runsFinished();
}

void MainWindow::showStatus(const QString &message, int timeoutMs)
{
    statusBar()->showMessage(message, timeoutMs);
}

QString MainWindow::statusMessage() const
{
    return statusBar()->currentMessage();
}

} // namespace pixelperf
