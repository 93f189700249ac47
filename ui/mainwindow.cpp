#include "mainwindow.h"

#include "ablationcontroller.h"
#include "apppaths.h"
#include "comparisondialog.h"
#include "dashboardview.h"
#include "downloaddialog.h"
#include "folderpanel.h"
#include "historypanel.h"
#include "imagelistmodel.h"
#include "isolatedjobs.h"
#include "measure/environment.h"
#include "measure/isolatedrun.h"
#include "previewpane.h"
#include "reportsaver.h"
#include "runcontroller.h"
#include "runhistorymodel.h"
#include "runtext.h"
#include "togglepanel.h"
#include "toggleshelpdialog.h"
#include "units.h"
#include "windowsettings.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
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
    m_controller = new RunController(this);
    m_jobs = new IsolatedJobs(this);
    m_saver = new ReportSaver(m_settings, this);
    m_actions = WindowActions::create(this);
    buildPanels();
    m_ablation = new AblationController(m_jobs, m_dashboard, m_saver, this);
    buildMenus();
    buildStatusBar();
    connectActions();
    connectRuns();
    restoreLayout();
    updateActions();
    updateComparison();
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
    scroll->setMinimumWidth(m_toggles->minimumSizeHint().width() + scroll->style()->pixelMetric(QStyle::PM_ScrollBarExtent));
    return scroll;
}

void MainWindow::buildPanels()
{
    m_mainSplitter = new QSplitter(Qt::Horizontal, this);
    m_mainSplitter->setObjectName(QStringLiteral("mainSplitter"));
    m_mainSplitter->setChildrenCollapsible(false);
    m_mainSplitter->addWidget(buildToggleScroll());
    m_dashboard = new DashboardView(m_mainSplitter);
    m_dashboard->setObjectName(QStringLiteral("dashboard"));
    m_dashboard->setModel(&m_controller->dashboard());
    m_mainSplitter->addWidget(m_dashboard);

    m_rightSplitter = new QSplitter(Qt::Vertical, m_mainSplitter);
    m_rightSplitter->setObjectName(QStringLiteral("rightSplitter"));
    m_rightSplitter->setChildrenCollapsible(false);
    m_preview = new PreviewPane(m_rightSplitter);
    m_preview->setObjectName(QStringLiteral("preview"));
    m_folder = new FolderPanel(m_settings, m_preview, m_rightSplitter);
    m_folder->acceptDropsOn(this);
    m_historyPanel = new HistoryPanel(m_history, m_settings, m_rightSplitter);
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

    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(6, 6, 6, 0);
    centralLayout->addWidget(m_mainSplitter);
    setCentralWidget(central);
}

void MainWindow::buildStatusBar()
{
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("runProgress"));
    m_progress->setMaximumWidth(fontMetrics().averageCharWidth() * 40);
    m_progress->setMinimumWidth(fontMetrics().averageCharWidth() * 24);
    setProgress(0, 0);
    statusBar()->addPermanentWidget(m_progress);
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

    QMenu *run = menuBar()->addMenu(tr("&Run"));
    run->addActions({ a.run, a.cancel });
    run->addSeparator();
    run->addActions({ a.compare, a.compareRuns });
    run->addSeparator();
    run->addActions({ a.ablation, m_ablation->reopenAction() });

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(a.togglesHelp);
    help->addSeparator();
    help->addAction(a.about);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);

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
    connect(a.download, &QAction::triggered, this, [this] {
        auto *dialog = new DownloadDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &DownloadDialog::openFolderRequested, this, &MainWindow::openFolder);
        dialog->open();
    });
    connect(a.generate, &QAction::triggered, m_folder, &FolderPanel::chooseAndGenerateSamples);
    connect(a.openOutput, &QAction::triggered, m_folder, &FolderPanel::openOutputFolder);
    connect(a.exportReport, &QAction::triggered, this, &MainWindow::chooseAndExportReport);
    connect(a.openReport, &QAction::triggered, m_historyPanel, &HistoryPanel::chooseAndOpenReport);
    connect(a.quit, &QAction::triggered, this, &QWidget::close);
    connect(a.run, &QAction::triggered, this, &MainWindow::startRun);
    connect(a.cancel, &QAction::triggered, this, &MainWindow::cancelRun);
    connect(a.compare, &QAction::triggered, this, &MainWindow::startBaselineVsOptimized);
    connect(a.compareRuns, &QAction::triggered, this, [this] { showComparison(); });
    connect(a.ablation, &QAction::triggered, this, [this] { startAblation(); });
    connect(a.togglesHelp, &QAction::triggered, this, [this] {
        auto *dialog = new TogglesHelpDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    connect(a.about, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About PixelPerf"),
            tr("<h3>PixelPerf %1</h3><p>A performance lab for an image-processing pipeline: drop a folder of "
               "photos, flip the optimizations, and see where the time and the memory go, stage by stage.</p>"
               "<p>Qt %2%3</p>")
                .arg(appVersion(), QString::fromLatin1(qVersion()),
                    gitRevision().isEmpty() ? QString() : tr(", revision %1").arg(gitRevision())));
    });
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
    connect(m_folder, &FolderPanel::busyChanged, this, &MainWindow::updateActions);
    connect(m_folder, &FolderPanel::opened, this, [this](const QString &dir) {
        setWindowTitle(tr("%1 — PixelPerf").arg(QFileInfo(dir).fileName()));
        updateActions();
        emit folderOpened(dir);
    });
    connect(m_historyPanel, &HistoryPanel::status, this, &MainWindow::showStatus);
    connect(m_historyPanel, &HistoryPanel::currentRowChanged, this, &MainWindow::onHistoryRowChanged);
    connect(m_historyPanel, &HistoryPanel::compareRequested, this, [this] { showComparison(); });
    connect(m_historyPanel, &HistoryPanel::reportLoaded, this, [this](const QString &path, const QString &error) {
        updateActions();
        emit reportLoaded(path, error);
    });
    connect(m_saver, &ReportSaver::saved, this, [this](const QString &path, const QString &error) {
        showStatus(error.isEmpty() ? tr("Report written to %1").arg(QDir::toNativeSeparators(path))
                                   : tr("Cannot write the report: %1").arg(error),
            10000);
        emit reportExported(path, error);
    });
    connect(m_history, &RunHistoryModel::pinnedChanged, this, [this] {
        updateComparison();
        updateActions();
    });
    connect(m_controller, &RunController::runStarted, this, &MainWindow::onRunStarted);
    connect(m_controller, &RunController::repetitionStarted, this, [this](const RepetitionProgress &progress) {
        if (const PipelineConfig *config = m_controller->currentConfig())
            showLiveRun(*config, progress);
    });
    connect(m_controller, &RunController::snapshotTaken, this, &MainWindow::onSnapshot);
    connect(m_controller, &RunController::runFinished, this, &MainWindow::onRunFinished);
    connect(m_controller, &RunController::batchFinished, this, &MainWindow::onBatchFinished);
    connect(m_controller, &RunController::startFailed, this,
        [this](const QString &message) { showStatus(tr("The next run could not start: %1").arg(message)); });
    connect(m_jobs, &IsolatedJobs::progress, this, [this](int done, int total, const QString &label) {
        if (isComparingIsolated()) {
            setProgress(done, total, tr("%v/%m runs"));
            showStatus(tr("Baseline vs Optimized, each run in a fresh process: %1…").arg(label));
        }
    });
    connect(m_jobs, &IsolatedJobs::measured, this, &MainWindow::onIsolatedMeasured);
    connect(m_jobs, &IsolatedJobs::comparisonFinished, this, &MainWindow::onBaselineVsOptimizedFinished);
    connect(m_ablation, &AblationController::status, this, &MainWindow::showStatus);
    connect(m_ablation, &AblationController::progress, this,
        [this](int done, int total) { setProgress(done, total, tr("%v/%m runs")); });
    connect(m_ablation, &AblationController::measuring, this,
        [this](const ToggleSet &toggles) { showMeasuredToggles(&toggles); });
    connect(m_ablation, &AblationController::finished, this, &MainWindow::onAblationFinished);
}

void MainWindow::restoreLayout()
{
    if (!restoreGeometry(m_settings->geometry())) {
        QSize size(1600, 1000);
        if (const QScreen *sc = screen())
            size = size.boundedTo(sc->availableGeometry().size() * 0.95);
        resize(size);
    }
    restoreState(m_settings->windowState());
    m_mainSplitter->restoreState(m_settings->splitterState(QStringLiteral("mainSplitter")));
    m_rightSplitter->restoreState(m_settings->splitterState(QStringLiteral("rightSplitter")));
    QSettings s;
    m_toggles->loadSettings(s);
}

void MainWindow::saveLayout() const
{
    m_settings->setGeometry(saveGeometry(), saveState());
    m_settings->setSplitterState(QStringLiteral("mainSplitter"), m_mainSplitter->saveState());
    m_settings->setSplitterState(QStringLiteral("rightSplitter"), m_rightSplitter->saveState());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (isRunning())
        m_controller->cancel();
    showMeasuredToggles(nullptr);
    saveLayout();
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

QString MainWindow::currentFolder() const
{
    return m_folder->folder();
}

QString MainWindow::outputFolder() const
{
    return m_folder->outputFolder();
}

ImageListModel *MainWindow::imageModel() const
{
    return m_folder->images();
}

QTreeView *MainWindow::fileView() const
{
    return m_folder->view();
}

QTreeView *MainWindow::historyView() const
{
    return m_historyPanel->view();
}

QStringList MainWindow::recentFolders() const
{
    return m_settings->recentFolders();
}

bool MainWindow::openFolder(const QString &dir)
{
    return m_folder->openFolder(dir);
}

bool MainWindow::generateSamplesInto(const QString &dir, int count, int width, int height)
{
    return !busy() && m_folder->generateSamplesInto(dir, count, width, height);
}

bool MainWindow::isGenerating() const
{
    return m_folder->isGenerating();
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
    return m_jobs && m_jobs->isComparing();
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
    config.outputDir = outputFolder();
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
    if (!m_controller->start({ configFromPanel() }, m_toggles->repetitionPlan(), &error)) {
        showStatus(tr("Cannot start the run: %1").arg(error));
        QMessageBox::warning(this, tr("Cannot Start the Run"), error);
        return false;
    }
    return true;
}

void MainWindow::lockForMeasurement(bool locked)
{
    m_toggles->setEnabled(!locked);
    m_folder->setLocked(locked, tr("A run is going: cancel it (Esc) before opening another folder."));
    if (!locked) {
        showMeasuredToggles(nullptr);
        setProgress(0, 0);
    }
    updateActions();
}

void MainWindow::showMeasuredToggles(const ToggleSet *toggles)
{
    if (toggles && !m_ownToggles)
        m_ownToggles = std::make_unique<ToggleSet>(m_toggles->toggles());
    if (toggles) {
        m_toggles->setToggles(*toggles);
    } else if (m_ownToggles) {
        const ToggleSet own = *m_ownToggles;
        m_toggles->setToggles(own);
        m_ownToggles.reset();
    }
}

bool MainWindow::startBaselineVsOptimized()
{
    if (busy() || !checkFolderReady())
        return false;
    std::vector<PipelineConfig> configs;
    for (const char *preset : { "baseline", "optimized" }) {
        PipelineConfig config = configFromPanel();
        config.preset = QLatin1String(preset);
        config.toggles = *presetToggles(config.preset);
        config.backgroundWorkers = false; // its own process: the window is not in it
        const QString problem = PipelineRun::preflight(config);
        if (!problem.isEmpty()) {
            showStatus(tr("Cannot start the run: %1").arg(problem));
            QMessageBox::warning(this, tr("Cannot Start the Run"), problem);
            return false;
        }
        configs.push_back(config);
    }
    // Isolated and interleaved (B O B O …): what ran before in this window
    // cannot reach either configuration's figures, and drift favours neither.
    const RepetitionPlan panel = m_toggles->repetitionPlan();
    IsolationPlan plan;
    // Six rounds: with nine stages tested, the fewest for which a complete
    // separation passes Holm's correction (2/924 x 9 < 0.05).
    plan.rounds = std::max(6, panel.repetitions);
    plan.warmups = panel.warmups;
    m_isolatedRounds = plan.rounds;
    m_isolatedMeasured[0] = m_isolatedMeasured[1] = 0;
    if (!m_jobs->startComparison(configs, { QStringLiteral("baseline"), QStringLiteral("optimized") }, plan))
        return false;
    lockForMeasurement(true);
    // The panel shows what runs: the baseline first.
    showMeasuredToggles(&configs.front().toggles);
    setProgress(0, 0, tr("%v/%m runs"));
    showStatus(tr("Baseline vs Optimized: starting…"));
    return true;
}

void MainWindow::onIsolatedMeasured(int configuration, const RunResult &run)
{
    if (configuration < 0 || configuration > 1)
        return;
    ++m_isolatedMeasured[configuration];
    // The dashboard and the panel show each measurement as it finishes.
    m_viewedRun.loadResult(run);
    m_dashboard->setModel(&m_viewedRun);
    showMeasuredToggles(&run.config.toggles);
    m_dashboard->setTitle(tr("Baseline vs Optimized · %1, round %2 of %3 · %4 per image")
                              .arg(configuration == 0 ? tr("baseline") : tr("optimized"))
                              .arg(m_isolatedMeasured[configuration])
                              .arg(m_isolatedRounds)
                              .arg(formatMs(run.summary.msPerImage())));
}

void MainWindow::onBaselineVsOptimizedFinished(
    const std::vector<std::vector<RunResult>> &runs, const QString &error, bool cancelled)
{
    lockForMeasurement(false);
    // What was measured is kept, cancelled or not: each configuration with
    // at least one measurement becomes a history entry carrying its rounds.
    int rows[2] = { -1, -1 };
    for (size_t c = 0; c < 2 && c < runs.size(); ++c) {
        if (runs[c].empty())
            continue;
        auto repeats = std::make_shared<const std::vector<RunResult>>(runs[c]);
        rows[c] = m_history->add(std::make_shared<const RunResult>(repeats->back()), repeats);
    }
    if (rows[1] >= 0) {
        m_folder->showRun(*m_history->entry(rows[1]).result);
        m_historyPanel->select(rows[1]);
    }
    updateActions();
    if (!error.isEmpty()) {
        showStatus(tr("Baseline vs Optimized could not run: %1").arg(error));
        QMessageBox::warning(this, tr("Baseline vs Optimized"), error);
    } else if (cancelled) {
        showStatus(tr("Baseline vs Optimized cancelled: what was measured is in the history"), 10000);
    } else if (rows[0] >= 0 && rows[1] >= 0) {
        showStatus(tr("Baseline vs Optimized: %1 rounds each, every run in a fresh process; the comparison is open")
                       .arg(m_isolatedRounds));
        showComparison(rows[0], rows[1]);
    }
    emit runsFinished();
}

bool MainWindow::startAblation(int repeat)
{
    if (busy() || imageModel()->count() == 0)
        return false;
    PipelineConfig config = configFromPanel();
    config.preset = QStringLiteral("optimized");
    config.toggles = *presetToggles(config.preset);
    // Each configuration in its own pixelperf-cli process, interleaved in
    // rounds: what ran before in this window cannot reach the figures.
    IsolationPlan plan;
    plan.rounds = repeat;
    plan.warmups = m_toggles->repetitionPlan().warmups; // with warm-ups, decode-cache is measured on a re-run
    if (!m_ablation->start(config, plan))
        return false;
    lockForMeasurement(true);
    showMeasuredToggles(&config.toggles);
    return true;
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
    a.run->setEnabled(!busy && haveImages);
    a.compare->setEnabled(!busy && haveImages);
    a.ablation->setEnabled(!busy && haveImages);
    a.cancel->setEnabled((isRunning() && !m_controller->isCancelRequested())
        || (m_jobs->isBusy() && !m_jobs->isStopping()));
    a.compareRuns->setEnabled(m_history->count() >= 2);
    a.open->setEnabled(!busy);
    m_folder->recentMenu()->setEnabled(!busy);
    a.generate->setEnabled(!busy);
    a.download->setEnabled(!busy);
    a.openOutput->setEnabled(!currentFolder().isEmpty());
    a.exportReport->setEnabled(m_history->count() > 0);
    m_historyPanel->updateButtons();
}

void MainWindow::setProgress(int done, int total, const QString &format)
{
    // Nothing going: an empty bar, no "0/1 images"; a format without a
    // total: busy until the total is known.
    const bool idle = total == 0 && format.isEmpty();
    m_progress->setTextVisible(!idle);
    m_progress->setFormat(format.isEmpty() ? tr("%v/%m images") : format);
    m_progress->setRange(0, idle ? 1 : std::max(0, total));
    m_progress->setValue(done);
}

void MainWindow::updateComparison()
{
    // While a run goes (or for the latest run) the comparison is the pinned
    // run, else the one before; for a past run picked in the history, the
    // pinned run, else the one before it.
    const int selected = m_historyPanel->currentRow();
    const bool viewingPast = m_dashboard->model() == &m_viewedRun && selected >= 0;
    const RunEntry *cmp = nullptr;
    const ToggleSet *shown = nullptr;
    if (isRunning()) {
        shown = &m_controller->currentConfig()->toggles;
        cmp = m_history->comparison();
    } else if (viewingPast || m_history->count() > 0) {
        const int row = viewingPast ? selected : m_history->count() - 1;
        shown = &m_history->entry(row).result->config.toggles;
        const int pinned = m_history->pinnedRow();
        if (pinned >= 0 && pinned != row)
            cmp = &m_history->entry(pinned);
        else if (row > 0)
            cmp = &m_history->entry(row - 1);
    }
    if (!cmp) {
        m_dashboard->setComparison(nullptr, QString());
        return;
    }
    const ComparisonLabel label = comparisonLabel(*cmp, shown, currentFolder());
    m_dashboard->setComparison(cmp->result, label.label, label.details);
}

void MainWindow::onRunStarted(const PipelineConfig &config)
{
    m_liveRunNumber = m_history->count() + 1;
    m_dashboard->setModel(&m_controller->dashboard());
    m_historyPanel->clearSelection();
    updateComparison();
    lockForMeasurement(true);
    showLiveRun(config, m_controller->repetition());
}

// The dashboard's title, the progress bar and the status line for the run
// going; with repetitions, which warm-up or repetition the charts show.
void MainWindow::showLiveRun(const PipelineConfig &config, const RepetitionProgress &progress)
{
    const QString batch = m_controller->batchSize() > 1
        ? tr(" (%1 of %2)").arg(m_controller->batchIndex() + 1).arg(m_controller->batchSize())
        : QString();
    m_dashboard->setTitle(liveRunTitle(m_liveRunNumber, batch, config, progress));
    imageModel()->markQueued();
    setProgress(0, 0, liveProgressFormat(progress)); // busy until the scan has counted the images
    const QString folder = QFileInfo(config.inputDir).fileName();
    const QString preset = presetNameFor(config.toggles);
    showStatus(progress.totalRuns > 1 && progress.run >= 0
            ? tr("Running %1 on %2: %3…").arg(preset, folder, progress.label())
            : tr("Running %1 on %2…").arg(preset, folder));
}

void MainWindow::onSnapshot(const ProfileSnapshot &delta)
{
    // One pull per timer tick; the delta's records update the file list.
    imageModel()->applyRecords(delta.images);
    m_dashboard->refresh();
    const HeadlineFigures h = m_controller->dashboard().headline();
    if (h.imagesTotal > 0)
        setProgress(h.imagesDone, h.imagesTotal, m_progress->format());
}

void MainWindow::onRunFinished(
    std::shared_ptr<const RunResult> result, std::shared_ptr<const std::vector<RunResult>> repeats)
{
    m_folder->showRun(*result);
    m_history->add(result, repeats);
    m_dashboard->refresh();
    const RunSummary &s = result->summary;
    m_dashboard->setTitle(runTitle(m_liveRunNumber, presetNameFor(result->config.toggles), s));
    setProgress(s.imagesOk + s.imagesFailed, std::max(1, s.imagesTotal));
    const QString repetition = m_controller->plan().totalRuns() > 1 ? m_controller->repetition().label() : QString();
    showStatus(runFinishedMessage(m_liveRunNumber, *result, repeats.get(), repetition));
}

void MainWindow::onBatchFinished()
{
    m_toggles->setEnabled(true);
    m_folder->setLocked(false, QString());
    updateActions();
    updateComparison();
    emit runsFinished();
}

void MainWindow::onHistoryRowChanged(int row)
{
    updateActions();
    if (isRunning() || row < 0)
        return;
    const RunEntry &e = m_history->entry(row);
    m_viewedRun.loadResult(*e.result);
    m_dashboard->setModel(&m_viewedRun);
    m_dashboard->setTitle(runTitle(e.number, e.preset, e.result->summary));
    updateComparison();
}

ComparisonDialog *MainWindow::comparisonDialog() const
{
    return m_comparisonDialog;
}

ComparisonDialog *MainWindow::showComparison(int rowA, int rowB)
{
    const int n = m_history->count();
    if (n < 2)
        return nullptr;
    if (rowB < 0 || rowB >= n) {
        const int current = m_historyPanel->currentRow();
        rowB = current >= 0 ? current : n - 1;
    }
    if (rowA < 0 || rowA >= n) {
        const int pinned = m_history->pinnedRow();
        rowA = pinned >= 0 && pinned != rowB ? pinned : (rowB > 0 ? rowB - 1 : 1);
    }
    if (!m_comparisonDialog) {
        m_comparisonDialog = new ComparisonDialog(m_history, this);
        m_comparisonDialog->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_comparisonDialog->setRuns(rowA, rowB);
    m_comparisonDialog->show();
    m_comparisonDialog->raise();
    m_comparisonDialog->activateWindow();
    return m_comparisonDialog;
}

void MainWindow::chooseAndExportReport()
{
    const RunEntry *entry = m_historyPanel->selectedOrLatest();
    if (!entry)
        return;
    const QString last = m_settings->lastFolder();
    const QString path = m_saver->chooseRunPath(QStringLiteral("pixelperf-run%1-%2").arg(entry->number).arg(entry->preset),
        last.isEmpty() ? QDir::homePath() : QFileInfo(last).absolutePath());
    if (!path.isEmpty())
        exportReport(path);
}

bool MainWindow::exportReport(const QString &path)
{
    const RunEntry *entry = m_historyPanel->selectedOrLatest();
    if (!entry)
        return false;
    // Every measured repetition: the JSON keeps each with their statistics.
    m_saver->saveRun(path, entry->result, entry->repeats);
    return true;
}

bool MainWindow::openReport(const QString &path)
{
    return m_historyPanel->openReport(path);
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
