#include "mainwindow.h"

#include "measure/ablation.h"
#include "ablationdialog.h"
#include "apppaths.h"
#include "comparisondialog.h"
#include "dashboardview.h"
#include "downloaddialog.h"
#include "dropoverlay.h"
#include "measure/environment.h"
#include "generatesamplesdialog.h"
#include "imagelistmodel.h"
#include "isolatedjobs.h"
#include "measure/isolatedrun.h"
#include "previewpane.h"
#include "reports/reportformats.h"
#include "reports/reportreader.h"
#include "reports/reportwriter.h"
#include "runcontroller.h"
#include "runhistorymodel.h"
#include "samples/samplegenerator.h"
#include "pipeline/stages/scan.h"
#include "measure/statistics.h"
#include "togglepanel.h"
#include "toggleshelpdialog.h"
#include "units.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QProgressDialog>
#include <QPromise>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>
#include <QTreeView>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <optional>

static void initPixelperfResources()
{
    Q_INIT_RESOURCE(pixelperf);
}

namespace pixelperf {

namespace {

constexpr int MaxRecentFolders = 8;

// The format an export path asks for: "trace", "json", "csv", "md" or "html".
QString exportFormatOf(const QString &path)
{
    const QString lower = path.toLower();
    if (lower.endsWith(QLatin1String(".trace.json")))
        return QStringLiteral("trace");
    for (const char *suffix : { "json", "csv", "md" }) {
        if (lower.endsWith(QLatin1Char('.') + QLatin1String(suffix)))
            return QLatin1String(suffix);
    }
    return QStringLiteral("html");
}

QIcon themedIcon(const char *name, QStyle::StandardPixmap fallback, const QWidget *w)
{
    return QIcon::fromTheme(QLatin1String(name), w->style()->standardIcon(fallback));
}

QLabel *sectionTitle(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    return label;
}

} // namespace

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
    setAcceptDrops(true);

    m_images = new ImageListModel(this);
    m_history = new RunHistoryModel(this);
    m_controller = new RunController(this);
    m_jobs = new IsolatedJobs(this);
    connect(m_jobs, &IsolatedJobs::progress, this, &MainWindow::onIsolatedProgress);
    connect(m_jobs, &IsolatedJobs::measured, this, &MainWindow::onIsolatedMeasured);
    connect(m_jobs, &IsolatedJobs::comparisonFinished, this, &MainWindow::onBaselineVsOptimizedFinished);
    connect(m_jobs, &IsolatedJobs::ablationFinished, this, &MainWindow::onAblationFinished);

    buildActions();
    buildMenus();

    m_mainSplitter = new QSplitter(Qt::Horizontal, this);
    m_mainSplitter->setObjectName(QStringLiteral("mainSplitter"));
    m_mainSplitter->setChildrenCollapsible(false);

    auto *scroll = new QScrollArea(m_mainSplitter);
    scroll->setObjectName(QStringLiteral("toggleScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_toggles = new TogglePanel(scroll);
    m_toggles->setObjectName(QStringLiteral("togglePanel"));
    scroll->setWidget(m_toggles);
    scroll->setMinimumWidth(m_toggles->minimumSizeHint().width() + 20);

    m_dashboard = new DashboardView(m_mainSplitter);
    m_dashboard->setObjectName(QStringLiteral("dashboard"));
    m_dashboard->setModel(&m_controller->dashboard());

    m_rightSplitter = new QSplitter(Qt::Vertical, m_mainSplitter);
    m_rightSplitter->setObjectName(QStringLiteral("rightSplitter"));
    m_rightSplitter->setChildrenCollapsible(false);
    m_rightSplitter->addWidget(buildFilesPanel());
    m_preview = new PreviewPane(m_rightSplitter);
    m_preview->setObjectName(QStringLiteral("preview"));
    m_rightSplitter->addWidget(m_preview);
    m_rightSplitter->addWidget(buildHistoryPanel());
    m_rightSplitter->setSizes({ 380, 260, 200 });

    m_mainSplitter->addWidget(scroll);
    m_mainSplitter->addWidget(m_dashboard);
    m_mainSplitter->addWidget(m_rightSplitter);
    m_mainSplitter->setStretchFactor(0, 0);
    m_mainSplitter->setStretchFactor(1, 1);
    m_mainSplitter->setStretchFactor(2, 0);
    m_mainSplitter->setSizes({ 300, 900, 420 });

    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(6, 6, 6, 0);
    centralLayout->addWidget(m_mainSplitter);
    setCentralWidget(central);

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("runProgress"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setFormat(tr("%v/%m images"));
    m_progress->setMaximumWidth(260);
    m_progress->setMinimumWidth(180);
    statusBar()->addPermanentWidget(m_progress);
    m_ablationCancel = new QPushButton(tr("Cancel"), this);
    m_ablationCancel->setObjectName(QStringLiteral("ablationCancel"));
    m_ablationCancel->setToolTip(tr("Stop the ablation after the run going"));
    m_ablationCancel->hide();
    connect(m_ablationCancel, &QPushButton::clicked, this, &MainWindow::cancelAblation);
    statusBar()->addPermanentWidget(m_ablationCancel);

    m_overlay = new DropOverlay(this);

    connect(m_toggles, &TogglePanel::changed, this, [this] { saveRunSettings(); });
    connect(m_controller, &RunController::runStarted, this, &MainWindow::onRunStarted);
    connect(m_controller, &RunController::repetitionStarted, this, &MainWindow::onRepetitionStarted);
    connect(m_controller, &RunController::snapshotTaken, this, &MainWindow::onSnapshot);
    connect(m_controller, &RunController::runFinished, this, &MainWindow::onRunFinished);
    connect(m_controller, &RunController::batchFinished, this, &MainWindow::onBatchFinished);
    connect(m_controller, &RunController::startFailed, this,
        [this](const QString &message) { showStatus(tr("The next run could not start: %1").arg(message)); });
    connect(m_history, &RunHistoryModel::pinnedChanged, this, [this] {
        updateComparison();
        updateActions();
    });

    loadSettings();
    updateFolderHeader();
    updateActions();
    updateComparison();
    showStatus(tr("Drop a folder of images anywhere on the window, or use File ▸ Open Folder…"));
}

MainWindow::~MainWindow()
{
    // The ablation's worker runs the pipeline; it stops before the next run.
    // The jobs in child processes stop before the models they feed go away.
    delete m_jobs;
    m_jobs = nullptr;
    // The controller's run must stop before the models it feeds go away.
    delete m_controller;
    m_controller = nullptr;
}

void MainWindow::buildActions()
{
    m_openAction = new QAction(
        themedIcon("document-open-folder", QStyle::SP_DirOpenIcon, this), tr("&Open Folder…"), this);
    m_openAction->setObjectName(QStringLiteral("actionOpen"));
    m_openAction->setShortcut(QKeySequence::Open);
    m_openAction->setToolTip(tr("Open a folder of images (Ctrl+O)"));
    connect(m_openAction, &QAction::triggered, this, &MainWindow::chooseFolder);

    m_downloadAction = new QAction(tr("&Download Sample Images…"), this);
    m_downloadAction->setObjectName(QStringLiteral("actionDownload"));
    m_downloadAction->setToolTip(tr("Download freely licensed photos from a manifest of URLs"));
    connect(m_downloadAction, &QAction::triggered, this, &MainWindow::showDownloadDialog);

    m_generateAction = new QAction(tr("&Generate Sample Images…"), this);
    m_generateAction->setObjectName(QStringLiteral("actionGenerate"));
    connect(m_generateAction, &QAction::triggered, this, &MainWindow::chooseAndGenerateSamples);

    m_openOutputAction
        = new QAction(themedIcon("folder", QStyle::SP_DirIcon, this), tr("Open O&utput Folder"), this);
    m_openOutputAction->setObjectName(QStringLiteral("actionOpenOutput"));
    connect(m_openOutputAction, &QAction::triggered, this, &MainWindow::openOutputFolder);

    m_exportAction = new QAction(
        themedIcon("document-save-as", QStyle::SP_DialogSaveButton, this), tr("&Export Report…"), this);
    m_exportAction->setObjectName(QStringLiteral("actionExport"));
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportAction->setToolTip(tr("Save the selected run (else the latest) as JSON, HTML, CSV, Markdown or a "
                                  "Chrome trace (Ctrl+E)"));
    connect(m_exportAction, &QAction::triggered, this, &MainWindow::chooseAndExportReport);

    m_quitAction = new QAction(tr("&Quit"), this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_runAction
        = new QAction(themedIcon("media-playback-start", QStyle::SP_MediaPlay, this), tr("&Run"), this);
    m_runAction->setObjectName(QStringLiteral("actionRun"));
    m_runAction->setShortcuts({ QKeySequence(Qt::CTRL | Qt::Key_R), QKeySequence(Qt::Key_F5) });
    m_runAction->setToolTip(tr("Process every image with the current toggles (Ctrl+R, F5)"));
    connect(m_runAction, &QAction::triggered, this, [this] { startRun(); });

    m_cancelAction = new QAction(themedIcon("process-stop", QStyle::SP_MediaStop, this), tr("&Cancel"), this);
    m_cancelAction->setObjectName(QStringLiteral("actionCancel"));
    m_cancelAction->setShortcut(QKeySequence(Qt::Key_Escape));
    m_cancelAction->setToolTip(tr("Stop the run; what was done is kept (Esc)"));
    connect(m_cancelAction, &QAction::triggered, this, &MainWindow::cancelRun);

    m_compareAction = new QAction(themedIcon("view-statistics", QStyle::SP_BrowserReload, this),
        tr("Run &Baseline vs Optimized"), this);
    m_compareAction->setObjectName(QStringLiteral("actionCompare"));
    m_compareAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    m_compareAction->setToolTip(tr("Run the baseline preset, then the optimized one, and compare them"));
    connect(m_compareAction, &QAction::triggered, this, [this] { startBaselineVsOptimized(); });

    m_openReportAction = new QAction(tr("Open &Report…"), this);
    m_openReportAction->setObjectName(QStringLiteral("actionOpenReport"));
    m_openReportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    m_openReportAction->setToolTip(
        tr("Load a JSON report into the run history, to compare it with this session's runs (Ctrl+Shift+O)"));
    connect(m_openReportAction, &QAction::triggered, this, &MainWindow::chooseAndOpenReport);

    m_compareRunsAction = new QAction(tr("Co&mpare Runs…"), this);
    m_compareRunsAction->setObjectName(QStringLiteral("actionCompareRuns"));
    m_compareRunsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    m_compareRunsAction->setToolTip(tr("Two runs of the history side by side: time per stage, memory, "
                                       "speedup with its significance, and what differs (Ctrl+Shift+C)"));
    connect(m_compareRunsAction, &QAction::triggered, this, [this] { showComparison(); });

    m_ablationAction = new QAction(tr("What Did Each &Optimization Buy…"), this);
    m_ablationAction->setObjectName(QStringLiteral("actionAblation"));
    m_ablationAction->setToolTip(tr("Run the optimized preset with each toggle turned off in turn and chart "
                                    "each toggle's share of the speedup and of the memory saving"));
    connect(m_ablationAction, &QAction::triggered, this, [this] { startAblation(); });

    m_togglesHelpAction = new QAction(tr("&Toggles Explained"), this);
    m_togglesHelpAction->setObjectName(QStringLiteral("actionTogglesHelp"));
    m_togglesHelpAction->setShortcut(QKeySequence::HelpContents);
    connect(m_togglesHelpAction, &QAction::triggered, this, &MainWindow::showTogglesHelp);

    m_aboutAction = new QAction(tr("&About PixelPerf"), this);
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_openAction);
    m_recentMenu = file->addMenu(tr("Recent &Folders"));
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    file->addAction(m_downloadAction);
    file->addAction(m_generateAction);
    file->addAction(m_openOutputAction);
    file->addAction(m_openReportAction);
    file->addAction(m_exportAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu *run = menuBar()->addMenu(tr("&Run"));
    run->addAction(m_runAction);
    run->addAction(m_cancelAction);
    run->addSeparator();
    run->addAction(m_compareAction);
    run->addAction(m_compareRunsAction);
    run->addSeparator();
    run->addAction(m_ablationAction);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_togglesHelpAction);
    help->addSeparator();
    help->addAction(m_aboutAction);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);

    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setMovable(false);
    bar->addAction(m_openAction);
    bar->addSeparator();
    bar->addAction(m_runAction);
    bar->addAction(m_cancelAction);
    bar->addAction(m_compareAction);
}

QWidget *MainWindow::buildFilesPanel()
{
    auto *box = new QWidget(this);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(3);

    m_folderLabel = new QLabel(box);
    m_folderLabel->setObjectName(QStringLiteral("folderLabel"));
    m_folderLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_folderLabel->setWordWrap(true);
    layout->addWidget(m_folderLabel);

    auto *outputRow = new QHBoxLayout;
    m_outputLabel = new QLabel(box);
    m_outputLabel->setObjectName(QStringLiteral("outputLabel"));
    m_outputLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_outputLabel->setWordWrap(true);
    m_outputLabel->setForegroundRole(QPalette::PlaceholderText);
    m_openOutputButton = new QPushButton(tr("Open"), box);
    m_openOutputButton->setObjectName(QStringLiteral("openOutputButton"));
    m_openOutputButton->setToolTip(tr("Show the output folder in the file manager"));
    connect(m_openOutputButton, &QPushButton::clicked, this, &MainWindow::openOutputFolder);
    outputRow->addWidget(m_outputLabel, 1);
    outputRow->addWidget(m_openOutputButton, 0, Qt::AlignTop);
    layout->addLayout(outputRow);

    m_fileStack = new QStackedWidget(box);
    m_fileEmpty = new QLabel(box);
    m_fileEmpty->setObjectName(QStringLiteral("fileListPlaceholder"));
    m_fileEmpty->setAlignment(Qt::AlignCenter);
    m_fileEmpty->setWordWrap(true);
    m_fileEmpty->setMargin(16);
    m_fileEmpty->setForegroundRole(QPalette::PlaceholderText);
    m_fileEmpty->setFrameShape(QFrame::StyledPanel);

    m_fileView = new QTreeView(box);
    m_fileView->setObjectName(QStringLiteral("fileView"));
    m_imageProxy = new QSortFilterProxyModel(this);
    m_imageProxy->setSourceModel(m_images);
    m_imageProxy->setSortRole(ImageListModel::SortRole);
    m_fileView->setModel(m_imageProxy);
    m_fileView->setRootIsDecorated(false);
    m_fileView->setUniformRowHeights(true);
    m_fileView->setAlternatingRowColors(true);
    m_fileView->setSortingEnabled(true);
    m_fileView->sortByColumn(ImageListModel::NameColumn, Qt::AscendingOrder);
    m_fileView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_fileView->header()->setStretchLastSection(false);
    m_fileView->header()->setSectionResizeMode(ImageListModel::NameColumn, QHeaderView::Stretch);
    m_fileView->header()->setSectionResizeMode(ImageListModel::StatusColumn, QHeaderView::Interactive);
    m_fileView->header()->resizeSection(ImageListModel::SizeColumn, 72);
    m_fileView->header()->resizeSection(ImageListModel::StatusColumn, 70);
    m_fileView->header()->resizeSection(ImageListModel::OutputColumn, 72);
    m_fileView->header()->resizeSection(ImageListModel::TimeColumn, 64);
    connect(m_fileView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &MainWindow::onFileSelectionChanged);
    m_fileStack->addWidget(m_fileEmpty);
    m_fileStack->addWidget(m_fileView);
    layout->addWidget(m_fileStack, 1);
    return box;
}

QWidget *MainWindow::buildHistoryPanel()
{
    auto *box = new QWidget(this);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(3);
    auto *header = new QHBoxLayout;
    header->addWidget(sectionTitle(tr("Runs this session"), box), 1);
    m_pinButton = new QPushButton(tr("Pin"), box);
    m_pinButton->setObjectName(QStringLiteral("pinButton"));
    m_pinButton->setToolTip(tr("Pin the selected run as the comparison: it is ghosted beside every run "
                               "that follows (double-clicking a run does the same)"));
    m_unpinButton = new QPushButton(tr("Unpin"), box);
    m_unpinButton->setObjectName(QStringLiteral("unpinButton"));
    m_unpinButton->setToolTip(tr("Compare each run with the one before it again"));
    m_compareButton = new QPushButton(tr("Compare…"), box);
    m_compareButton->setObjectName(QStringLiteral("compareRunsButton"));
    m_compareButton->setToolTip(m_compareRunsAction->toolTip());
    connect(m_compareButton, &QPushButton::clicked, this, [this] { showComparison(); });
    header->addWidget(m_pinButton);
    header->addWidget(m_unpinButton);
    header->addWidget(m_compareButton);
    layout->addLayout(header);

    m_historyView = new QTreeView(box);
    m_historyView->setObjectName(QStringLiteral("historyView"));
    m_historyView->setModel(m_history);
    m_historyView->setRootIsDecorated(false);
    m_historyView->setUniformRowHeights(true);
    m_historyView->setAlternatingRowColors(true);
    m_historyView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_historyView->header()->setStretchLastSection(true);
    m_historyView->header()->setMinimumSectionSize(24);
    for (int c = 0; c < RunHistoryModel::NoteColumn; ++c)
        m_historyView->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    layout->addWidget(m_historyView, 1);

    connect(m_historyView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &MainWindow::onHistorySelectionChanged);
    connect(m_historyView, &QTreeView::doubleClicked, this, [this](const QModelIndex &index) {
        m_history->setPinnedRow(index.row() == m_history->pinnedRow() ? -1 : index.row());
    });
    connect(m_pinButton, &QPushButton::clicked, this, &MainWindow::pinSelectedRun);
    connect(m_unpinButton, &QPushButton::clicked, this, [this] { m_history->setPinnedRow(-1); });
    return box;
}

void MainWindow::loadSettings()
{
    QSettings s;
    if (!restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray())) {
        QSize size(1600, 1000);
        if (const QScreen *sc = screen())
            size = size.boundedTo(sc->availableGeometry().size() * 0.95);
        resize(size);
    }
    restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    m_mainSplitter->restoreState(s.value(QStringLiteral("window/mainSplitter")).toByteArray());
    m_rightSplitter->restoreState(s.value(QStringLiteral("window/rightSplitter")).toByteArray());
    m_lastFolder = s.value(QStringLiteral("lastFolder")).toString();
    m_recent = s.value(QStringLiteral("recentFolders")).toStringList();
    m_recent.removeAll(QString());
    while (m_recent.size() > MaxRecentFolders)
        m_recent.removeLast();
    m_toggles->loadSettings(s);
    rebuildRecentMenu();
}

void MainWindow::saveSettings() const
{
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    s.setValue(QStringLiteral("window/mainSplitter"), m_mainSplitter->saveState());
    s.setValue(QStringLiteral("window/rightSplitter"), m_rightSplitter->saveState());
    s.setValue(QStringLiteral("lastFolder"), m_lastFolder);
    s.setValue(QStringLiteral("recentFolders"), m_recent);
    m_toggles->saveSettings(s);
}

void MainWindow::saveRunSettings() const
{
    QSettings s;
    m_toggles->saveSettings(s);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_controller && m_controller->isRunning())
        m_controller->cancel();
    saveSettings();
    event->accept();
}

QString MainWindow::currentFolder() const
{
    return m_images->folder();
}

QString MainWindow::outputFolder() const
{
    return currentFolder().isEmpty() ? QString() : outputDirFor(currentFolder());
}

bool MainWindow::openFolder(const QString &path)
{
    if (isRunning() || isAblating() || isComparingIsolated()) {
        showStatus(tr("A run is going: cancel it (Esc) before opening another folder."), 8000);
        return false;
    }
    QString problem;
    const QString dir = folderForPath(path, &problem);
    if (dir.isEmpty()) {
        showStatus(tr("Cannot open: %1").arg(problem), 10000);
        return false;
    }
    QString error;
    if (!m_images->setFolder(dir, &error)) {
        showStatus(tr("Cannot open %1: %2").arg(dir, error), 10000);
        return false;
    }
    m_lastFolder = dir;
    addRecentFolder(dir);
    updateFolderHeader();
    updateActions();
    setWindowTitle(tr("%1 — PixelPerf").arg(QFileInfo(dir).fileName()));
    if (m_images->count() == 0) {
        showStatus(tr("No images in %1 (looked for .jpg .jpeg .png .bmp .gif .webp).").arg(dir));
        m_preview->showImages(QString(), QString());
    } else {
        showStatus(tr("%n image(s), %1 — press Run (Ctrl+R) to process them", nullptr, m_images->count())
                       .arg(formatBytes(m_images->totalBytes())));
        m_fileView->setCurrentIndex(m_imageProxy->index(0, 0));
    }
    emit folderOpened(dir);
    return true;
}

void MainWindow::updateFolderHeader()
{
    const QString dir = currentFolder();
    if (dir.isEmpty()) {
        m_folderLabel->setText(tr("<b>No folder</b>"));
        m_outputLabel->setText(QString());
        m_fileEmpty->setText(
            tr("Drop a folder of images here (or image files),\nor use File ▸ Open Folder…"));
        m_fileStack->setCurrentWidget(m_fileEmpty);
        m_openOutputButton->setEnabled(false);
        return;
    }
    m_folderLabel->setText(
        tr("<b>%1</b> — %n image(s), %2", nullptr, m_images->count())
            .arg(QFileInfo(dir).fileName().toHtmlEscaped(), formatBytes(m_images->totalBytes())));
    m_folderLabel->setToolTip(dir);
    m_outputLabel->setText(tr("Output: %1").arg(QDir::toNativeSeparators(outputFolder())));
    m_outputLabel->setToolTip(tr("Processed images go here; the input folder is never written to"));
    m_openOutputButton->setEnabled(true);
    if (m_images->count() == 0) {
        m_fileEmpty->setText(tr("No images in %1\n(looked for .jpg .jpeg .png .bmp .gif .webp)\n\n"
                                "Drop another folder, or File ▸ Generate Sample Images…")
                                 .arg(QDir::toNativeSeparators(dir)));
        m_fileStack->setCurrentWidget(m_fileEmpty);
    } else {
        m_fileStack->setCurrentWidget(m_fileView);
    }
}

void MainWindow::chooseFolder()
{
    const QString start = m_lastFolder.isEmpty() ? QDir::homePath() : m_lastFolder;
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a Folder of Images"), start);
    if (!dir.isEmpty())
        openFolder(dir);
}

void MainWindow::addRecentFolder(const QString &dir)
{
    m_recent.removeAll(dir);
    m_recent.prepend(dir);
    while (m_recent.size() > MaxRecentFolders)
        m_recent.removeLast();
    QSettings s;
    s.setValue(QStringLiteral("lastFolder"), m_lastFolder);
    s.setValue(QStringLiteral("recentFolders"), m_recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    int n = 1;
    for (const QString &dir : std::as_const(m_recent)) {
        QString text = QDir::toNativeSeparators(dir);
        text.replace(QLatin1Char('&'), QStringLiteral("&&"));
        QAction *a = m_recentMenu->addAction(n < 10 ? QStringLiteral("&%1 %2").arg(n).arg(text) : text);
        connect(a, &QAction::triggered, this, [this, dir] { openFolder(dir); });
        ++n;
    }
    if (m_recent.isEmpty()) {
        m_recentMenu->addAction(tr("(none yet)"))->setEnabled(false);
        return;
    }
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(tr("&Clear List"), this, [this] {
        m_recent.clear();
        QSettings().setValue(QStringLiteral("recentFolders"), m_recent);
        rebuildRecentMenu();
    });
}

void MainWindow::openOutputFolder()
{
    const QString out = outputFolder();
    if (out.isEmpty())
        return;
    if (!QDir().mkpath(out)) {
        showStatus(tr("Cannot create the output folder %1").arg(out), 10000);
        return;
    }
    if (!QDesktopServices::openUrl(QUrl::fromLocalFile(out)))
        showStatus(tr("No file manager could open %1").arg(QDir::toNativeSeparators(out)), 10000);
}

QString MainWindow::folderForDrop(const QMimeData *mime, QString *problem) const
{
    if (!mime || !mime->hasUrls()) {
        *problem = tr("Only folders and image files can be dropped here");
        return {};
    }
    for (const QUrl &url : mime->urls()) {
        if (!url.isLocalFile()) {
            *problem = tr("%1 is not a local folder").arg(url.toDisplayString());
            continue;
        }
        const QString dir = folderForPath(url.toLocalFile(), problem);
        if (!dir.isEmpty())
            return dir;
    }
    return {};
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!event->mimeData()->hasUrls()) {
        event->ignore();
        return;
    }
    // Accepted even when unusable, so the drop can say why rather than the
    // cursor silently refusing.
    event->acceptProposedAction();
    QString problem;
    const QString dir = folderForDrop(event->mimeData(), &problem);
    if (isRunning())
        m_overlay->showMessage(tr("A run is going — cancel it before opening another folder"), false);
    else if (dir.isEmpty())
        m_overlay->showMessage(problem, false);
    else
        m_overlay->showMessage(tr("Drop to open %1").arg(QFileInfo(dir).fileName()), true);
}

void MainWindow::dragMoveEvent(QDragMoveEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dragLeaveEvent(QDragLeaveEvent *event)
{
    m_overlay->hide();
    event->accept();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    m_overlay->hide();
    QString problem;
    const QString dir = folderForDrop(event->mimeData(), &problem);
    event->acceptProposedAction();
    if (dir.isEmpty()) {
        showStatus(tr("Cannot open the drop: %1").arg(problem), 10000);
        return;
    }
    openFolder(dir);
}

bool MainWindow::isRunning() const
{
    return m_controller && m_controller->isRunning();
}

PipelineConfig MainWindow::configFromPanel() const
{
    PipelineConfig config;
    config.toggles = m_toggles->toggles();
    config.preset = m_toggles->presetName();
    config.params = m_toggles->params();
    config.inputDir = currentFolder();
    config.outputDir = outputFolder();
    config.backgroundWorkers = true;  // the window stays responsive while they work
    return config;
}

bool MainWindow::startRun()
{
    return startBatch({ configFromPanel() });
}

QString MainWindow::runTitle(int number, const QString &preset, const RunSummary &s) const
{
    // A load served from the decode cache is no decode: said where the time is shown.
    const QString cached = s.imagesFromCache > 0
        ? tr(" · %1 of %2 loads from the decode cache (%3 held from the warm-ups)")
              .arg(s.imagesFromCache)
              .arg(s.imagesTotal)
              .arg(formatBytes(s.decodeCacheBytes))
        : QString();
    return tr("Run %1 · %2 · %n worker(s) · %3%4%5", nullptr, s.workers)
        .arg(number)
        .arg(preset, formatSeconds(s.wallMs / 1000.0), s.cancelled ? tr(" · cancelled") : QString(), cached);
}

bool MainWindow::isAblating() const
{
    return m_jobs && m_jobs->isAblating();
}

bool MainWindow::isComparingIsolated() const
{
    return m_jobs && m_jobs->isComparing();
}

bool MainWindow::busy() const
{
    return isRunning() || m_generating || isAblating() || isComparingIsolated();
}

bool MainWindow::startBaselineVsOptimized()
{
    if (busy())
        return false;
    if (currentFolder().isEmpty() || m_images->count() == 0) {
        showStatus(currentFolder().isEmpty()
                ? tr("Open a folder first (File ▸ Open Folder…, or drop one on the window).")
                : tr("No images to process in %1.").arg(QDir::toNativeSeparators(currentFolder())),
            8000);
        return false;
    }
    std::vector<PipelineConfig> configs;
    QStringList labels;
    for (const char *preset : { "baseline", "optimized" }) {
        PipelineConfig config = configFromPanel();
        config.preset = QLatin1String(preset);
        config.toggles = *presetToggles(config.preset);
        config.backgroundWorkers = false;  // its own process: the window is not in it
        const QString problem = PipelineRun::preflight(config);
        if (!problem.isEmpty()) {
            showStatus(tr("Cannot start the run: %1").arg(problem));
            QMessageBox::warning(this, tr("Cannot Start the Run"), problem);
            return false;
        }
        configs.push_back(config);
        labels << QLatin1String(preset);
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
    if (!m_jobs->startComparison(configs, labels, plan))
        return false;
    m_progress->setFormat(tr("%v/%m runs"));
    m_progress->setRange(0, 0);
    m_toggles->setEnabled(false);
    showStatus(tr("Baseline vs Optimized: starting…"));
    updateActions();
    return true;
}

void MainWindow::onIsolatedProgress(int done, int total, const QString &label)
{
    m_progress->setRange(0, total);
    m_progress->setValue(done);
    showStatus(isAblating() ? tr("What did each optimization buy? Run %1 of %2, each in a fresh process: %3…")
                                  .arg(done + 1)
                                  .arg(total)
                                  .arg(label)
                            : tr("Baseline vs Optimized, each run in a fresh process: %1…").arg(label));
}

void MainWindow::onIsolatedMeasured(int configuration, const RunResult &run)
{
    if (configuration < 0 || configuration > 1)
        return;
    ++m_isolatedMeasured[configuration];
    // The dashboard shows each measurement as it finishes.
    m_viewedRun.loadResult(run);
    m_dashboard->setModel(&m_viewedRun);
    m_dashboard->setTitle(tr("Baseline vs Optimized · %1, round %2 of %3 · %4 per image")
                              .arg(configuration == 0 ? tr("baseline") : tr("optimized"))
                              .arg(m_isolatedMeasured[configuration])
                              .arg(m_isolatedRounds)
                              .arg(formatMs(run.summary.msPerImage())));
}

void MainWindow::onBaselineVsOptimizedFinished(const std::vector<std::vector<RunResult>> &runs,
    const QString &error, bool cancelled)
{
    m_progress->setFormat(tr("%v/%m images"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_toggles->setEnabled(true);
    // What was measured is kept, cancelled or not: each configuration with
    // at least one measurement becomes a history entry carrying its rounds.
    int rows[2] = { -1, -1 };
    for (size_t c = 0; c < 2 && c < runs.size(); ++c) {
        if (runs[c].empty())
            continue;
        auto repeats = std::make_shared<const std::vector<RunResult>>(runs[c]);
        auto last = std::make_shared<const RunResult>(repeats->back());
        rows[c] = m_history->add(last, repeats);
    }
    if (rows[1] >= 0) {
        const RunResult &shown = *m_history->entry(rows[1]).result;
        m_images->applyRecords(shown.images);
        m_images->finishRun(false);
        m_historyView->setCurrentIndex(m_history->index(rows[1], 0));
        showSelectedImage(true);
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

bool MainWindow::startBatch(const QList<PipelineConfig> &batch)
{
    if (busy())
        return false;
    if (currentFolder().isEmpty()) {
        showStatus(tr("Open a folder first (File ▸ Open Folder…, or drop one on the window)."), 8000);
        return false;
    }
    if (m_images->count() == 0) {
        showStatus(tr("No images to process in %1.").arg(QDir::toNativeSeparators(currentFolder())), 8000);
        return false;
    }
    QString error;
    if (!m_controller->start(batch, m_toggles->repetitionPlan(), &error)) {
        showStatus(tr("Cannot start the run: %1").arg(error));
        QMessageBox::warning(this, tr("Cannot Start the Run"), error);
        return false;
    }
    return true;
}

void MainWindow::cancelRun()
{
    if (isAblating()) {
        cancelAblation();
        return;
    }
    if (isComparingIsolated()) {
        m_jobs->stop();
        m_cancelAction->setEnabled(false);
        showStatus(tr("Cancelling… the run going stops; what was measured is kept"));
        return;
    }
    if (!isRunning())
        return;
    m_controller->cancel();
    m_cancelAction->setEnabled(false);
    showStatus(tr("Cancelling… each worker stops after its current stage"));
}

void MainWindow::setRunning(bool running)
{
    m_toggles->setEnabled(!running);
    updateActions();
}

void MainWindow::updateActions()
{
    const bool running = isRunning();
    const bool haveImages = m_images->count() > 0;
    // While samples are being written, the folder is about to change.
    const bool busy = this->busy();
    m_runAction->setEnabled(!busy && haveImages);
    m_compareAction->setEnabled(!busy && haveImages);
    m_cancelAction->setEnabled((running && !m_controller->isCancelRequested())
        || (m_jobs->isBusy() && !m_jobs->isStopping()));
    m_ablationAction->setEnabled(!busy && haveImages);
    m_compareRunsAction->setEnabled(m_history->count() >= 2);
    m_compareButton->setEnabled(m_history->count() >= 2);
    m_openReportAction->setEnabled(true);
    m_openAction->setEnabled(!busy);
    m_recentMenu->setEnabled(!busy);
    m_generateAction->setEnabled(!busy);
    m_downloadAction->setEnabled(!busy);
    m_openOutputAction->setEnabled(!currentFolder().isEmpty());
    m_exportAction->setEnabled(m_history->count() > 0);
    const QModelIndex current = m_historyView->currentIndex();
    m_pinButton->setEnabled(current.isValid() && current.row() != m_history->pinnedRow());
    m_unpinButton->setEnabled(m_history->pinnedRow() >= 0);
}

void MainWindow::updateComparison()
{
    // While a run goes (or for the latest run) the comparison is the pinned
    // run, else the one before; for a past run picked in the history, the
    // pinned run, else the one before it.
    const bool viewingPast = m_dashboard->model() == &m_viewedRun && m_historyView->currentIndex().isValid();
    const RunEntry *cmp = nullptr;
    std::optional<ToggleSet> shown; // the toggles of the run on show
    if (viewingPast) {
        const int row = m_historyView->currentIndex().row();
        shown = m_history->entry(row).result->config.toggles;
        if (m_history->pinnedRow() >= 0 && m_history->pinnedRow() != row)
            cmp = &m_history->entry(m_history->pinnedRow());
        else if (row > 0)
            cmp = &m_history->entry(row - 1);
    } else if (isRunning()) {
        shown = m_controller->currentConfig()->toggles;
        cmp = m_history->comparison();
    } else if (m_history->count() > 0) {
        const int latest = m_history->count() - 1;
        shown = m_history->entry(latest).result->config.toggles;
        if (m_history->pinnedRow() >= 0 && m_history->pinnedRow() != latest)
            cmp = &m_history->entry(m_history->pinnedRow());
        else if (latest > 0)
            cmp = &m_history->entry(latest - 1);
    }
    if (!cmp) {
        m_dashboard->setComparison(nullptr, QString());
        return;
    }
    // Which toggles the two runs differ in: what the comparison measures.
    QStringList differ;
    if (shown) {
        for (const ToggleInfo &info : toggleTable()) {
            if (shown->isOn(info.id) != cmp->result->config.toggles.isOn(info.id))
                differ << QStringLiteral("%1 %2").arg(
                    shown->isOn(info.id) ? QStringLiteral("+") : QStringLiteral("−"),
                    QLatin1String(info.key));
        }
    }
    QStringList notes { cmp->preset };
    if (cmp->folder != currentFolder())
        notes << tr("on %1").arg(QFileInfo(cmp->folder).fileName());
    if (shown)
        notes << (differ.isEmpty() ? tr("same toggles")
                                   : tr("%n toggle(s) differ", nullptr, int(differ.size())));
    const QString details = differ.isEmpty()
        ? QString()
        : tr("This run against run %1, toggle by toggle (+ on here, − off here):\n%2")
              .arg(cmp->number)
              .arg(differ.join(QLatin1Char('\n')));
    m_dashboard->setComparison(
        cmp->result, tr("run %1 (%2)").arg(cmp->number).arg(notes.join(QStringLiteral(", "))), details);
}

void MainWindow::onRunStarted(const PipelineConfig &config)
{
    m_liveRunNumber = m_history->count() + 1;
    m_dashboard->setModel(&m_controller->dashboard());
    m_historyView->clearSelection();
    m_historyView->setCurrentIndex(QModelIndex());
    updateComparison();
    setRunning(true);
    showLiveRun(config, m_controller->repetition());
}

void MainWindow::onRepetitionStarted(const RepetitionProgress &progress)
{
    if (const PipelineConfig *config = m_controller->currentConfig())
        showLiveRun(*config, progress);
}

// The dashboard's title, the progress bar and the status line for the run
// going; with repetitions, which warm-up or repetition the charts show.
void MainWindow::showLiveRun(const PipelineConfig &config, const RepetitionProgress &progress)
{
    const int jobs = config.isOn(ToggleId::Parallel) ? config.params.effectiveJobs() : 1;
    const QString batch = m_controller->batchSize() > 1
        ? tr(" (%1 of %2)").arg(m_controller->batchIndex() + 1).arg(m_controller->batchSize())
        : QString();
    const bool repeated = progress.totalRuns > 1;
    const QString which = !repeated ? QString()
        : progress.run < 0          ? tr("starting")
        : progress.warmup           ? tr("warm-up %1 of %2").arg(progress.number).arg(progress.of)
                                    : tr("repetition %1 of %2").arg(progress.number).arg(progress.of);
    m_dashboard->setTitle(tr("Run %1%2 · %3 · %n worker(s) · %4…", nullptr, jobs)
                              .arg(m_liveRunNumber)
                              .arg(batch, presetNameFor(config.toggles), repeated ? which : tr("running")));
    m_images->markQueued();
    m_progress->setFormat(repeated && progress.run >= 0
            ? tr("%1 %2/%3: %v/%m images")
                  .arg(progress.warmup ? tr("warm-up") : tr("rep."))
                  .arg(progress.number)
                  .arg(progress.of)
            : tr("%v/%m images"));
    m_progress->setRange(0, 0); // busy until the scan has counted the images
    const QString folder = QFileInfo(config.inputDir).fileName();
    showStatus(repeated ? tr("Running %1 on %2: %3…").arg(presetNameFor(config.toggles), folder, which)
                        : tr("Running %1 on %2…").arg(presetNameFor(config.toggles), folder));
}

void MainWindow::onSnapshot(const ProfileSnapshot &delta)
{
    // One pull per timer tick; the delta's records update the file list.
    m_images->applyRecords(delta.images);
    const DashboardModel &live = m_controller->dashboard();
    m_dashboard->refresh();
    const HeadlineFigures h = live.headline();
    if (h.imagesTotal > 0) {
        m_progress->setRange(0, h.imagesTotal);
        m_progress->setValue(h.imagesDone);
    }
}

void MainWindow::onRunFinished(
    std::shared_ptr<const RunResult> result, std::shared_ptr<const std::vector<RunResult>> repeats)
{
    // The folder changed since it was listed: show what the run found.
    if (result->ok() && result->config.inputDir == currentFolder() && result->files != m_images->paths()) {
        const QString selected = m_preview->inputPath();
        m_images->setFiles(currentFolder(), result->files);
        updateFolderHeader();
        const int row = m_images->rowOf(selected);
        if (row >= 0)
            m_fileView->setCurrentIndex(m_imageProxy->mapFromSource(m_images->index(row, 0)));
    }
    m_images->applyRecords(result->images);
    m_images->finishRun(result->summary.cancelled);
    m_history->add(result, repeats);
    m_dashboard->refresh();
    const RunSummary &s = result->summary;
    const QString preset = presetNameFor(result->config.toggles);
    m_dashboard->setTitle(runTitle(m_liveRunNumber, preset, s));
    m_progress->setRange(0, std::max(1, s.imagesTotal));
    m_progress->setValue(s.imagesOk + s.imagesFailed);
    QString message;
    if (!result->ok())
        message = tr("Run %1 could not run: %2").arg(m_liveRunNumber).arg(result->fatalError);
    else if (s.cancelled)
        message = tr("Run %1 cancelled%2: %3 of %4 images processed; no partial outputs left.")
                      .arg(m_liveRunNumber)
                      .arg(m_controller->plan().totalRuns() > 1
                              ? tr(" in %1").arg(m_controller->repetition().label())
                              : QString())
                      .arg(s.imagesOk)
                      .arg(s.imagesTotal);
    else if (repeats && repeats->size() > 1) {
        std::vector<double> walls;
        for (const RunResult &r : *repeats)
            walls.push_back(r.summary.wallMs);
        const Spread wall = spreadOf(walls);
        message = tr("Run %1 (%2): %3 repetitions of %4 images, wall median %5 (%6 to %7)%8")
                      .arg(m_liveRunNumber)
                      .arg(preset)
                      .arg(repeats->size())
                      .arg(s.imagesTotal)
                      .arg(formatSeconds(wall.median / 1000.0), formatSeconds(wall.min / 1000.0),
                          formatSeconds(wall.max / 1000.0),
                          s.imagesFailed ? tr(" — %n failed, see the file list", nullptr, s.imagesFailed)
                                         : QString());
    } else
        message = tr("Run %1 (%2): %3 of %4 images in %5, %6 images/s, peak RSS %7%8")
                      .arg(m_liveRunNumber)
                      .arg(preset)
                      .arg(s.imagesOk)
                      .arg(s.imagesTotal)
                      .arg(formatSeconds(s.wallMs / 1000.0))
                      .arg(s.imagesPerSecond, 0, 'f', 2)
                      .arg(formatBytes(s.peakRssBytes),
                          s.imagesFailed ? tr(" — %n failed, see the file list", nullptr, s.imagesFailed)
                                         : QString());
    showStatus(message);
    showSelectedImage(true); // its output was (re)written: shown anew, even under the same name
}

void MainWindow::onBatchFinished(bool)
{
    setRunning(false);
    updateComparison();
    emit runsFinished();
}

void MainWindow::onFileSelectionChanged()
{
    showSelectedImage(false);
}

void MainWindow::showSelectedImage(bool reload)
{
    const QModelIndex current = m_imageProxy->mapToSource(m_fileView->currentIndex());
    if (!current.isValid()) {
        m_preview->showImages(QString(), QString());
        return;
    }
    const int row = current.row();
    const QString input = m_images->pathAt(row);
    const QString output
        = m_images->statusAt(row) == ImageListModel::Status::Ok ? m_images->outputAt(row) : QString();
    if (!reload && input == m_preview->inputPath() && output == m_preview->outputPath())
        return;
    m_preview->showImages(input, output);
}

void MainWindow::onHistorySelectionChanged()
{
    updateActions();
    const QModelIndex current = m_historyView->currentIndex();
    if (isRunning() || !current.isValid())
        return;
    const RunEntry &e = m_history->entry(current.row());
    m_viewedRun.loadResult(*e.result);
    m_dashboard->setModel(&m_viewedRun);
    m_dashboard->setTitle(runTitle(e.number, e.preset, e.result->summary));
    updateComparison();
}

void MainWindow::pinSelectedRun()
{
    const QModelIndex current = m_historyView->currentIndex();
    if (current.isValid())
        m_history->setPinnedRow(current.row());
}

const RunEntry *MainWindow::reportedRun() const
{
    const QModelIndex current = m_historyView->currentIndex();
    return current.isValid() ? &m_history->entry(current.row()) : m_history->last();
}

void MainWindow::chooseAndExportReport()
{
    const RunEntry *entry = reportedRun();
    if (!entry)
        return;
    const QString jsonFilter = tr("JSON report (*.json)");
    const QString htmlFilter = tr("HTML report (*.html)");
    const QString csvFilter = tr("CSV, one row per image and stage (*.csv)");
    const QString mdFilter = tr("Markdown summary (*.md)");
    const QString traceFilter = tr("Chrome trace for Perfetto (*.trace.json)");
    // The last export's folder and format are offered again.
    QSettings settings;
    const QString defaultDir
        = m_lastFolder.isEmpty() ? QDir::homePath() : QFileInfo(m_lastFolder).absolutePath();
    const QString dir = settings.value(QStringLiteral("export/dir"), defaultDir).toString();
    const QString format = settings.value(QStringLiteral("export/format"), QStringLiteral("html")).toString();
    const QString base
        = QDir(dir).filePath(QStringLiteral("pixelperf-run%1-%2").arg(entry->number).arg(entry->preset));
    const QString suffix = format == QLatin1String("trace") ? QStringLiteral(".trace.json")
        : QStringList { QStringLiteral("json"), QStringLiteral("csv"), QStringLiteral("md") }.contains(format)
        ? QLatin1Char('.') + format
        : QStringLiteral(".html");
    QString filter = format == QLatin1String("json") ? jsonFilter
        : format == QLatin1String("csv")             ? csvFilter
        : format == QLatin1String("md")              ? mdFilter
        : format == QLatin1String("trace")           ? traceFilter
                                                     : htmlFilter;
    QString path = QFileDialog::getSaveFileName(this, tr("Export Report"), base + suffix,
        QStringList { htmlFilter, jsonFilter, csvFilter, mdFilter, traceFilter }.join(QStringLiteral(";;")),
        &filter);
    if (path.isEmpty())
        return;
    // The chosen filter decides when the name has no known suffix.
    const QString lower = path.toLower();
    const bool known = lower.endsWith(QLatin1String(".json")) || lower.endsWith(QLatin1String(".html"))
        || lower.endsWith(QLatin1String(".csv")) || lower.endsWith(QLatin1String(".md"));
    if (!known) {
        path += filter == jsonFilter ? QStringLiteral(".json")
            : filter == csvFilter    ? QStringLiteral(".csv")
            : filter == mdFilter     ? QStringLiteral(".md")
            : filter == traceFilter  ? QStringLiteral(".trace.json")
                                     : QStringLiteral(".html");
    }
    settings.setValue(QStringLiteral("export/dir"), QFileInfo(path).absolutePath());
    settings.setValue(QStringLiteral("export/format"), exportFormatOf(path));
    exportReport(path);
}

bool MainWindow::exportReport(const QString &path)
{
    const RunEntry *entry = reportedRun();
    if (!entry)
        return false;
    std::shared_ptr<const RunResult> run = entry->result;
    // Every measured repetition: the JSON keeps each with their statistics.
    std::shared_ptr<const std::vector<RunResult>> repeats
        = entry->repeats ? entry->repeats : std::make_shared<const std::vector<RunResult>>();
    const QString lower = path.toLower();
    auto *watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, path] {
        const QString error = watcher->result();
        watcher->deleteLater();
        showStatus(error.isEmpty() ? tr("Report written to %1").arg(QDir::toNativeSeparators(path))
                                   : tr("Cannot write the report: %1").arg(error),
            10000);
        emit reportExported(path, error);
    });
    watcher->setFuture(QtConcurrent::run([run, repeats, path, lower]() -> QString {
        QString error;
        bool ok = false;
        if (lower.endsWith(QLatin1String(".trace.json")))
            ok = writeFileAtomically(path, runTrace(*run), &error);
        else if (lower.endsWith(QLatin1String(".json")))
            ok = ReportWriter::writeJson(path, ReportWriter::toJson(*run, *repeats), &error);
        else if (lower.endsWith(QLatin1String(".csv")))
            ok = writeFileAtomically(path, runCsv(*run), &error);
        else if (lower.endsWith(QLatin1String(".md")))
            ok = writeFileAtomically(path, runMarkdown(*run, *repeats), &error);
        else
            ok = writeFileAtomically(path, runHtml(*run, environmentJson(), *repeats), &error);
        return ok ? QString() : (error.isEmpty() ? QStringLiteral("unknown error") : error);
    }));
    return true;
}

void MainWindow::showDownloadDialog()
{
    auto *dialog = new DownloadDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &DownloadDialog::openFolderRequested, this, [this](const QString &dir) { openFolder(dir); });
    dialog->open();
}

void MainWindow::chooseAndGenerateSamples()
{
    const QString base = QDir(QStandardPaths::writableLocation(QStandardPaths::PicturesLocation))
                             .filePath(QStringLiteral("PixelPerf samples"));
    GenerateSamplesDialog dialog(base, this);
    if (dialog.exec() == QDialog::Accepted)
        generateSamplesInto(dialog.folder(), dialog.count(), dialog.imageWidth(), dialog.imageHeight());
}

bool MainWindow::generateSamplesInto(const QString &dir, int count, int width, int height)
{
    if (busy())
        return false;
    // A seed past the images already there: new files are new pictures.
    const uint32_t seed = 1 + uint32_t(scanImages(dir, false, QString(), true).files.size());

    m_generating = true;
    updateActions();
    auto *progress = new QProgressDialog(
        tr("Generating %n sample image(s)…", nullptr, count), tr("Cancel"), 0, count, this);
    // Not modal: a modal QProgressDialog spins the event loop inside
    // setValue(). The actions that could interfere are disabled instead.
    progress->setWindowModality(Qt::NonModal);
    progress->setMinimumDuration(0);
    progress->setAttribute(Qt::WA_DeleteOnClose);
    auto *watcher = new QFutureWatcher<GenerateResult>(this);
    connect(
        watcher, &QFutureWatcher<GenerateResult>::progressValueChanged, progress, &QProgressDialog::setValue);
    connect(progress, &QProgressDialog::canceled, watcher, &QFutureWatcher<GenerateResult>::cancel);
    connect(watcher, &QFutureWatcher<GenerateResult>::finished, this, [=] {
        m_generating = false;
        progress->close();
        const bool cancelled = watcher->isCanceled();
        const GenerateResult r
            = !cancelled && watcher->future().resultCount() > 0 ? watcher->result() : GenerateResult();
        watcher->deleteLater();
        updateActions();
        if (!r.error.isEmpty()) {
            showStatus(tr("Sample generation failed: %1").arg(r.error));
            QMessageBox::warning(this, tr("Generate Sample Images"), r.error);
            return;
        }
        showStatus(cancelled ? tr("Sample generation cancelled")
                             : tr("Generated %n image(s) in %1", nullptr, int(r.written.size())).arg(dir),
            8000);
        if (QFileInfo(dir).isDir())
            openFolder(dir);
    });
    watcher->setFuture(
        QtConcurrent::run([dir, count, width, height, seed](QPromise<GenerateResult> &promise) {
            promise.setProgressRange(0, count);
            GenerateResult r = pixelperf::generateSamples(dir, count, width, height, seed, [&](int done) {
                promise.setProgressValue(done);
                return !promise.isCanceled();
            });
            promise.addResult(std::move(r));
        }));
    return true;
}

void MainWindow::showTogglesHelp()
{
    auto *dialog = new TogglesHelpDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About PixelPerf"),
        tr("<h3>PixelPerf %1</h3>"
           "<p>A performance lab for an image-processing pipeline: drop a folder of photos, "
           "flip the optimizations, and see where the time and the memory go, stage by stage.</p>"
           "<p>Qt %2%3</p>")
            .arg(appVersion(), QString::fromLatin1(qVersion()),
                gitRevision().isEmpty() ? QString() : tr(", revision %1").arg(gitRevision())));
}

void MainWindow::showStatus(const QString &message, int timeoutMs)
{
    statusBar()->showMessage(message, timeoutMs);
}

QString MainWindow::statusMessage() const
{
    return statusBar()->currentMessage();
}

ComparisonDialog *MainWindow::comparisonDialog() const
{
    return m_comparisonDialog;
}

AblationDialog *MainWindow::ablationDialog() const
{
    return m_ablationDialog;
}

void MainWindow::chooseAndOpenReport()
{
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("reports/lastDir"), QDir::homePath()).toString();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open a Report"), dir, tr("PixelPerf JSON report (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    settings.setValue(QStringLiteral("reports/lastDir"), QFileInfo(path).absolutePath());
    openReport(path);
}

bool MainWindow::openReport(const QString &path)
{
    if (path.isEmpty())
        return false;
    auto *watcher = new QFutureWatcher<LoadedReport>(this);
    connect(watcher, &QFutureWatcher<LoadedReport>::finished, this, [this, watcher, path] {
        watcher->deleteLater();
        onReportRead(path, watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([path] { return readReportFile(path); }));
    showStatus(tr("Reading %1…").arg(QDir::toNativeSeparators(path)));
    return true;
}

void MainWindow::onReportRead(const QString &path, const LoadedReport &report)
{
    if (!report.error.isEmpty()) {
        showStatus(tr("Cannot load %1: %2").arg(QDir::toNativeSeparators(path), report.error), 10000);
        emit reportLoaded(path, report.error);
        return;
    }
    const int row = m_history->addLoaded(std::make_shared<const RunResult>(report.run), report.repeats, path);
    updateActions();
    showStatus(tr("Loaded %1 as run %2 — compare it with Run ▸ Compare Runs… (Ctrl+Shift+C)")
                   .arg(QFileInfo(path).fileName())
                   .arg(m_history->entry(row).number));
    emit reportLoaded(path, QString());
}

ComparisonDialog *MainWindow::showComparison(int rowA, int rowB)
{
    const int n = m_history->count();
    if (n < 2)
        return nullptr;
    if (rowB < 0 || rowB >= n) {
        const QModelIndex current = m_historyView->currentIndex();
        rowB = current.isValid() ? current.row() : n - 1;
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

bool MainWindow::startAblation(int repeat)
{
    if (busy() || m_images->count() == 0)
        return false;
    PipelineConfig config = configFromPanel();
    config.preset = QStringLiteral("optimized");
    config.toggles = *presetToggles(config.preset);

    // Each configuration in its own pixelperf-cli process, interleaved in
    // rounds: what ran before in this window cannot reach the figures.
    IsolationPlan plan;
    plan.rounds = repeat;
    plan.warmups = m_toggles->repetitionPlan().warmups;  // with warm-ups, decode-cache is measured on a re-run
    if (!m_jobs->startAblation(config, plan))
        return false;
    m_progress->setFormat(tr("%v/%m runs"));
    m_progress->setRange(0, 0);
    m_ablationCancel->setEnabled(true);
    m_ablationCancel->show();
    m_toggles->setEnabled(false);
    showStatus(tr("What did each optimization buy? Starting…"));
    updateActions();
    return true;
}

void MainWindow::cancelAblation()
{
    if (!isAblating() || m_jobs->isStopping())
        return;
    m_jobs->stop();
    m_ablationCancel->setEnabled(false);
    updateActions();
    showStatus(tr("Cancelling the ablation… what was measured is kept"));
}

void MainWindow::onAblationFinished(const AblationResult &r)
{
    m_ablationCancel->hide();
    m_progress->setFormat(tr("%v/%m images"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_toggles->setEnabled(!isRunning());
    updateActions();
    // Cancelled: what was measured is shown, if there is anything to
    // attribute (the reference and at least one toggle).
    if (r.cancelled && r.entries.empty()) {
        showStatus(tr("Ablation cancelled after %1 of %2 runs: too little measured to attribute anything")
                       .arg(r.runsDone)
                       .arg(r.runsPlanned),
            10000);
        emit ablationFinished(true);
        return;
    }
    if (!r.error.isEmpty()) {
        showStatus(tr("The ablation could not run: %1").arg(r.error));
        emit ablationFinished(false);
        return;
    }
    if (m_ablationDialog)
        m_ablationDialog->close();
    m_ablationDialog = new AblationDialog(r, this);
    m_ablationDialog->setAttribute(Qt::WA_DeleteOnClose);
    m_ablationDialog->show();
    showStatus((r.cancelled ? tr("Ablation cancelled: %n toggle(s) measured on %1 image(s), shown", nullptr,
                                  int(r.entries.size()))
                            : tr("Ablation done: %n toggle(s) measured on %1 image(s)", nullptr, int(r.entries.size())))
                   .arg(r.all.images));
    emit ablationFinished(r.cancelled);
}

} // namespace pixelperf
