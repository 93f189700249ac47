#include "folderpanel.h"

#include "apppaths.h"
#include "downloaddialog.h"
#include "dropoverlay.h"
#include "generatesamplesdialog.h"
#include "imagelistmodel.h"
#include "jobtracker.h"
#include "measure/runresult.h"
#include "pipeline/pipelineconfig.h"
#include "pipeline/stages/scan.h"
#include "previewpane.h"
#include "samples/samplegenerator.h"
#include "units.h"
#include "windowsettings.h"

#include <QCoreApplication>
#include <QDesktopServices>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressDialog>
#include <QPushButton>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTreeView>
#include <QUrl>
#include <QVBoxLayout>

namespace pixelperf {

struct FolderPanel::Listing {
    QString dir;
    bool chosen = false; // chosen files, not the folder's images
    QString leftOut;
    ScanResult scan;
    std::vector<int64_t> sizes; // of scan.files
};

namespace {

// "3 files from Photos", "5 files from 2 folders": what a set of chosen files is.
QString filesFromText(const QStringList &files)
{
    QSet<QString> folders;
    for (const QString &file : files)
        folders.insert(QFileInfo(file).absolutePath());
    const QString from = folders.size() == 1
        ? QFileInfo(*folders.cbegin()).fileName()
        : QCoreApplication::translate("pixelperf", "%1 folders").arg(folders.size());
    return (files.size() == 1
            ? QCoreApplication::translate("pixelperf", "1 file from %1")
            : QCoreApplication::translate("pixelperf", "%1 files from %2").arg(files.size()))
        .arg(from);
}

struct Generated {
    GenerateResult result;
    bool cancelled = false;
};

} // namespace

FolderPanel::FolderPanel(WindowSettings *settings, PreviewPane *preview, QWidget *parent)
    : QWidget(parent)
    , m_settings(settings)
    , m_preview(preview)
    , m_images(new ImageListModel(this))
    , m_listing(new JobTracker(this))
    , m_generating(new JobTracker(this))
{
    setObjectName(QStringLiteral("folderPanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(3);
    layout->addWidget(buildHeader());

    // A listing that threw (out of memory on a huge folder, say) is a
    // folder that could not be opened.
    connect(m_listing, &JobTracker::failed, this, [this](const QString &message) {
        Listing failed;
        failed.dir = m_listingDir;
        failed.scan.error = message;
        onListed(failed);
    });

    m_stack = new QStackedWidget(this);
    m_empty = new QLabel(this);
    m_empty->setObjectName(QStringLiteral("fileListPlaceholder"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setMargin(16);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_empty->setFrameShape(QFrame::StyledPanel);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(buildView());
    layout->addWidget(m_stack, 1);

    m_recentMenu = new QMenu(tr("Recent &Folders"), this);
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    connect(m_settings, &WindowSettings::recentFoldersChanged, this, &FolderPanel::rebuildRecentMenu);
    rebuildRecentMenu();
    updateHeader();
}

QWidget *FolderPanel::buildHeader()
{
    auto *box = new QWidget(this);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
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
    m_openOutput = new QPushButton(tr("Open"), box);
    m_openOutput->setObjectName(QStringLiteral("openOutputButton"));
    m_openOutput->setToolTip(tr("Show the output folder in the file manager"));
    connect(m_openOutput, &QPushButton::clicked, this, &FolderPanel::openOutputFolder);
    outputRow->addWidget(m_outputLabel, 1);
    outputRow->addWidget(m_openOutput, 0, Qt::AlignTop);
    layout->addLayout(outputRow);
    return box;
}

QTreeView *FolderPanel::buildView()
{
    m_view = new QTreeView(this);
    m_view->setObjectName(QStringLiteral("fileView"));
    m_proxy = new ImageListSortProxy(this);
    m_proxy->setSourceModel(m_images);
    m_proxy->setSortRole(ImageListModel::SortRole);
    m_view->setModel(m_proxy);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(ImageListModel::NameColumn, Qt::AscendingOrder);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    // Every column fits its contents (the whole file name first) and the
    // user can resize any of them; a narrow panel scrolls sideways.
    QHeaderView *header = m_view->header();
    header->setStretchLastSection(true);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setMinimumSectionSize(header->fontMetrics().horizontalAdvance(QStringLiteral("0000")));
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) {
            showSelectedImage(false);
            emit imageSelected(m_proxy->mapToSource(current).data(ImageListModel::PathRole).toString());
        });
    return m_view;
}

void FolderPanel::fitColumns()
{
    for (int c = 0; c < ImageListModel::ColumnCount; ++c)
        m_view->resizeColumnToContents(c);
}

void FolderPanel::acceptDropsOn(QWidget *window)
{
    window->setAcceptDrops(true);
    window->installEventFilter(this);
    m_overlay = new DropOverlay(window);
}

void FolderPanel::setLocked(bool locked, const QString &reason)
{
    m_locked = locked;
    m_lockReason = reason;
}

QString FolderPanel::folder() const
{
    return m_images->folder();
}

QString FolderPanel::outputFolder() const
{
    return folder().isEmpty() ? QString() : outputDirFor(folder());
}

QString FolderPanel::inputName() const
{
    return m_files.isEmpty() ? QFileInfo(folder()).fileName() : filesFromText(m_files);
}

bool FolderPanel::isListing() const
{
    return m_listing->isRunning();
}

bool FolderPanel::isGenerating() const
{
    return m_generating->isRunning();
}

bool FolderPanel::openFolder(const QString &path)
{
    if (m_locked) {
        emit status(m_lockReason, 8000);
        return false;
    }
    QString problem;
    const QString dir = folderForPath(path, &problem);
    if (dir.isEmpty()) {
        emit status(tr("Cannot open: %1").arg(problem), 10000);
        return false;
    }
    startListing(dir, {}, QString());
    return true;
}

bool FolderPanel::openFiles(const QStringList &files)
{
    InputChoice choice;
    choice.files = files;
    return openChoice(choice);
}

bool FolderPanel::openPaths(const QStringList &paths)
{
    return openChoice(inputsForPaths(paths));
}

bool FolderPanel::openChoice(const InputChoice &choice)
{
    if (m_locked) {
        emit status(m_lockReason, 8000);
        return false;
    }
    if (choice.folder.isEmpty() && choice.files.isEmpty()) {
        emit status(tr("Cannot open: %1").arg(choice.problem), 10000);
        return false;
    }
    if (!choice.folder.isEmpty())
        startListing(choice.folder, {}, choice.problem);
    else
        startListing(commonFolder(choice.files), choice.files, choice.problem);
    return true;
}

void FolderPanel::startListing(const QString &dir, const QStringList &chosen, const QString &leftOut)
{
    emit status(chosen.isEmpty() ? tr("Listing %1…").arg(QDir::toNativeSeparators(dir))
                                 : tr("Checking %1…").arg(filesFromText(chosen)),
        0);
    // The same scan a run makes, off the GUI thread: a slow disk or a huge
    // folder never freezes the window. A folder: not recursive, one listing;
    // chosen files: exactly those, each once, as the run takes them.
    m_listingDir = dir;
    m_listing->start(
        [dir, chosen, leftOut](const JobControl &) {
            Listing listing { dir, !chosen.isEmpty(), leftOut,
                chosen.isEmpty() ? scanImages(dir, false, QString(), true) : scanFiles(chosen), {} };
            listing.sizes = ImageListModel::fileSizes(listing.scan.files);
            // The list grew as the folder was read: held for as long as the
            // folder is open (and by its runs), without room for more
            // (1.8 MiB at 100,000 files).
            listing.scan.files.squeeze();
            return listing;
        },
        [this](const Listing &l) { onListed(l); });
    emit busyChanged();
}

void FolderPanel::onListed(const Listing &listing)
{
    const QString &dir = listing.dir;
    emit busyChanged();
    if (!listing.scan.error.isEmpty()) {
        emit status(tr("Cannot open %1: %2").arg(dir, listing.scan.error), 10000);
        emit openFailed(dir, listing.scan.error);
        return;
    }
    m_files = listing.chosen ? listing.scan.files : QStringList();
    m_images->setFiles(dir, listing.scan.files, listing.sizes);
    if (!listing.chosen) // the recent list reopens folders
        m_settings->addRecentFolder(dir);
    updateHeader();
    fitColumns();
    const QString leftOut
        = listing.leftOut.isEmpty() ? QString() : tr(" (left out: %1)").arg(listing.leftOut);
    if (m_images->count() == 0) {
        emit status(
            tr("No images in %1 (looked for .jpg .jpeg .png .bmp .gif .webp).").arg(dir) + leftOut, 0);
        m_preview->showImages(QString(), QString());
    } else {
        emit status(tr("%n image(s), %1 — press Run (Ctrl+R) to process them", nullptr, m_images->count())
                        .arg(formatBytes(m_images->totalBytes()))
                + leftOut,
            0);
        m_view->setCurrentIndex(m_proxy->index(0, 0));
    }
    emit opened(dir);
}

void FolderPanel::updateHeader()
{
    const QString dir = folder();
    m_openOutput->setEnabled(!dir.isEmpty());
    if (dir.isEmpty()) {
        m_folderLabel->setText(tr("<b>No folder</b>"));
        m_outputLabel->setText(QString());
        m_empty->setText(tr("Drop a folder of images here (or image files),\nor use File ▸ Open Folder…"));
        m_stack->setCurrentWidget(m_empty);
        return;
    }
    if (m_files.isEmpty()) {
        m_folderLabel->setText(
            tr("<b>%1</b> — %n image(s), %2", nullptr, m_images->count())
                .arg(QFileInfo(dir).fileName().toHtmlEscaped(), formatBytes(m_images->totalBytes())));
        m_folderLabel->setToolTip(dir);
    } else {
        // Chosen files: only they run, not the rest of their folder.
        m_folderLabel->setText(
            tr("<b>%1</b> — %2").arg(inputName().toHtmlEscaped(), formatBytes(m_images->totalBytes())));
        m_folderLabel->setToolTip(tr("Only these files run (drop a folder to run all its images):\n%1")
                                      .arg(m_files.join(QLatin1Char('\n'))));
    }
    m_outputLabel->setText(tr("Output: %1").arg(QDir::toNativeSeparators(outputFolder())));
    m_outputLabel->setToolTip(tr("Processed images go here; the input folder is never written to"));
    if (m_images->count() == 0) {
        m_empty->setText(tr("No images in %1\n(looked for .jpg .jpeg .png .bmp .gif .webp)\n\n"
                            "Drop another folder, or File ▸ Generate Sample Images…")
                             .arg(QDir::toNativeSeparators(dir)));
        m_stack->setCurrentWidget(m_empty);
    } else {
        m_stack->setCurrentWidget(m_view);
    }
}

void FolderPanel::chooseFolder()
{
    const QString last = m_settings->lastFolder();
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Open a Folder of Images"), last.isEmpty() ? QDir::homePath() : last);
    if (!dir.isEmpty())
        openFolder(dir);
}

void FolderPanel::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = m_settings->recentFolders();
    int n = 1;
    for (const QString &dir : recent) {
        QString text = QDir::toNativeSeparators(dir);
        text.replace(QLatin1Char('&'), QStringLiteral("&&"));
        QAction *a = m_recentMenu->addAction(n < 10 ? QStringLiteral("&%1 %2").arg(n).arg(text) : text);
        connect(a, &QAction::triggered, this, [this, dir] { openFolder(dir); });
        ++n;
    }
    if (recent.isEmpty()) {
        m_recentMenu->addAction(tr("(none yet)"))->setEnabled(false);
        return;
    }
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(tr("&Clear List"), m_settings, &WindowSettings::clearRecentFolders);
}

void FolderPanel::openOutputFolder()
{
    const QString out = outputFolder();
    if (out.isEmpty())
        return;
    if (!QDir().mkpath(out)) {
        emit status(tr("Cannot create the output folder %1").arg(out), 10000);
        return;
    }
    if (!QDesktopServices::openUrl(QUrl::fromLocalFile(out)))
        emit status(tr("No file manager could open %1").arg(QDir::toNativeSeparators(out)), 10000);
}

InputChoice FolderPanel::inputsForDrop(const QMimeData *mime) const
{
    QStringList paths;
    QStringList problems;
    for (const QUrl &url : mime->urls()) {
        if (url.isLocalFile())
            paths << url.toLocalFile();
        else
            problems << tr("%1 is not a local folder").arg(url.toDisplayString());
    }
    InputChoice choice = inputsForPaths(paths);
    if (!choice.problem.isEmpty())
        problems << choice.problem;
    choice.problem = problems.join(QStringLiteral("; "));
    return choice;
}

QString FolderPanel::dropInvitation(const InputChoice &choice) const
{
    if (!choice.folder.isEmpty())
        return tr("Drop to open %1").arg(QFileInfo(choice.folder).fileName());
    return tr("Drop to run on these %1 only").arg(filesFromText(choice.files));
}

bool FolderPanel::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::DragEnter:
    case QEvent::DragMove:
    case QEvent::DragLeave:
    case QEvent::Drop:
        return handleDrag(event);
    default:
        return QWidget::eventFilter(watched, event);
    }
}

bool FolderPanel::handleDrag(QEvent *event)
{
    if (event->type() == QEvent::DragLeave) {
        m_overlay->hide();
        return true;
    }
    auto *drop = static_cast<QDropEvent *>(event);
    if (!drop->mimeData()->hasUrls()) {
        event->ignore();
        return true;
    }
    // Accepted even when unusable, so the drop can say why rather than the
    // cursor silently refusing.
    drop->acceptProposedAction();
    const InputChoice choice = inputsForDrop(drop->mimeData());
    const bool usable = !choice.folder.isEmpty() || !choice.files.isEmpty();
    if (event->type() == QEvent::Drop) {
        m_overlay->hide();
        openChoice(choice);
    } else if (event->type() == QEvent::DragEnter) {
        // Locked (a run or a measurement going): refused as it arrives, not
        // invited and then refused on the drop.
        if (m_locked)
            m_overlay->showMessage(m_lockReason, false);
        else
            m_overlay->showMessage(usable ? dropInvitation(choice) : choice.problem, usable);
    }
    return true;
}

void FolderPanel::showRun(const RunResult &run, bool followedLive)
{
    // The folder changed since it was listed: show what the run found.
    const bool relisted = run.ok() && run.config.inputDir == folder() && run.config.inputFiles == m_files
        && run.files != m_images->paths();
    if (relisted) {
        const QString selected = m_preview->inputPath();
        // The sizes the run read: no file is read again here.
        m_images->setFiles(folder(), run.files, m_images->sizesFrom(run));
        updateHeader();
        const int row = m_images->rowOf(selected);
        if (row >= 0)
            m_view->setCurrentIndex(m_proxy->mapFromSource(m_images->index(row, 0)));
    }
    // Followed live, the rows the snapshots reached have their records (100,000
    // applied again took ~35 ms on the GUI thread); a list made again above
    // takes them all.
    m_images->applyRecords(run.images, followedLive && !relisted);
    m_images->finishRun(run.summary.cancelled);
    fitColumns();
    showSelectedImage(true); // its output was (re)written: shown anew, even under the same name
}

bool FolderPanel::selectImage(const QString &path)
{
    const int row = m_images->rowOf(path);
    if (row < 0)
        return false;
    const QModelIndex index = m_proxy->mapFromSource(m_images->index(row, 0));
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index);
    return true;
}

void FolderPanel::showSelectedImage(bool reload)
{
    const QModelIndex current = m_proxy->mapToSource(m_view->currentIndex());
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

void FolderPanel::chooseAndDownloadSamples()
{
    auto *dialog = new DownloadDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &DownloadDialog::openFolderRequested, this, &FolderPanel::openFolder);
    dialog->open();
}

void FolderPanel::chooseAndGenerateSamples()
{
    const QString base = QDir(QStandardPaths::writableLocation(QStandardPaths::PicturesLocation))
                             .filePath(QStringLiteral("PixelPerf samples"));
    GenerateSamplesDialog dialog(base, this);
    if (dialog.exec() == QDialog::Accepted)
        generateSamplesInto(dialog.folder(), dialog.count(), dialog.imageWidth(), dialog.imageHeight());
}

bool FolderPanel::generateSamplesInto(const QString &dir, int count, int width, int height)
{
    if (isGenerating() || m_locked)
        return false;
    // A seed past the images already there: new files are new pictures.
    const uint32_t seed = 1 + uint32_t(scanImages(dir, false, QString(), true).files.size());
    // Not modal: a modal QProgressDialog spins the event loop inside
    // setValue(). The actions that could interfere are disabled instead.
    auto *progress = new QProgressDialog(
        tr("Generating %n sample image(s)…", nullptr, count), tr("Cancel"), 0, count, this);
    progress->setWindowModality(Qt::NonModal);
    progress->setMinimumDuration(0);
    progress->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_generating, &JobTracker::progress, progress, &QProgressDialog::setValue);
    connect(progress, &QProgressDialog::canceled, m_generating, &JobTracker::stop);
    connect(m_generating, &JobTracker::failed, progress, [this, progress](const QString &message) {
        progress->close();
        emit busyChanged();
        emit status(tr("Sample generation failed: %1").arg(message), 0);
        QMessageBox::warning(this, tr("Generate Sample Images"), message);
    });
    m_generating->start(
        [dir, count, width, height, seed](const JobControl &job) {
            GenerateResult r = generateSamples(dir, count, width, height, seed, [&](int done) {
                job.setProgress(done, count);
                return !job.stopRequested();
            });
            return Generated { std::move(r), job.stopRequested() };
        },
        [this, dir, progress](const Generated &g) {
            const GenerateResult &r = g.result;
            progress->disconnect(m_generating);
            progress->close();
            emit busyChanged();
            if (!r.error.isEmpty()) {
                emit status(tr("Sample generation failed: %1").arg(r.error), 0);
                QMessageBox::warning(this, tr("Generate Sample Images"), r.error);
                return;
            }
            emit status(g.cancelled
                    ? tr("Sample generation cancelled")
                    : tr("Generated %n image(s) in %1", nullptr, int(r.written.size())).arg(dir),
                8000);
            if (QFileInfo(dir).isDir())
                openFolder(dir);
        });
    emit busyChanged();
    return true;
}

} // namespace pixelperf
