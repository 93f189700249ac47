#include "downloaddialog.h"

#include "samples/sampledownloader.h"
#include "samples/samplemanifest.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QVBoxLayout>

namespace pixelperf {

namespace {

enum Column { FileColumn, ProgressColumn, StateColumn, DetailsColumn, ColumnCount };

QString sizeText(qint64 bytes)
{
    if (bytes >= 1024 * 1024)
        return QStringLiteral("%1 MiB").arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 1);
    return QStringLiteral("%1 KiB").arg((bytes + 1023) / 1024);
}

QString stateText(SampleState state)
{
    switch (state) {
    case SampleState::Queued:
        return DownloadDialog::tr("Queued");
    case SampleState::Downloading:
        return DownloadDialog::tr("Downloading");
    case SampleState::Verifying:
        return DownloadDialog::tr("Checking");
    case SampleState::Done:
        return DownloadDialog::tr("Done");
    case SampleState::Skipped:
        return DownloadDialog::tr("Skipped");
    case SampleState::Failed:
        return DownloadDialog::tr("Failed");
    case SampleState::Cancelled:
        return DownloadDialog::tr("Cancelled");
    }
    return {};
}

// Readable on light and dark palettes alike.
QColor problemColor()
{
    return QColor(214, 62, 62);
}

} // namespace

DownloadDialog::DownloadDialog(QWidget *parent)
    : QDialog(parent)
    , m_loader(new SampleManifestLoader(this))
    , m_downloader(new SampleDownloader(this))
{
    setWindowTitle(tr("Download Sample Images"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Downloads real photographs listed in a sample manifest, four at a time. "
                                "Each file is checked to be an image before it is kept. "
                                "A file that already exists is skipped, never overwritten. "
                                "No network? Use File ▸ Generate Sample Images… instead."),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    layout->addLayout(buildForm());
    layout->addWidget(buildTable(), 1);

    m_overall = new QProgressBar(this);
    m_overall->setObjectName(QStringLiteral("overallProgress"));
    m_overall->setRange(0, 1);
    m_overall->setValue(0);
    m_overall->setFormat(tr("%v of %m files"));
    layout->addWidget(m_overall);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);
    layout->addWidget(buildButtons());

    connect(m_loader, &SampleManifestLoader::finished, this, &DownloadDialog::onManifest);
    connect(m_downloader, &SampleDownloader::fileChanged, this, &DownloadDialog::updateRow);
    connect(m_downloader, &SampleDownloader::fileProgress, this, &DownloadDialog::updateProgress);
    connect(m_downloader, &SampleDownloader::overallProgress, this, &DownloadDialog::updateSummary);
    connect(m_downloader, &SampleDownloader::finished, this, &DownloadDialog::onFinished);

    showStatus(tr("Choose how many photos and where, then Download."));
    const int line = fontMetrics().height();
    resize(fontMetrics().averageCharWidth() * 110, 40 * line);
}

QLayout *DownloadDialog::buildForm()
{
    auto *form = new QFormLayout;
    auto *manifestRow = new QHBoxLayout;
    m_manifest = new QLineEdit(this);
    m_manifest->setObjectName(QStringLiteral("manifestEdit"));
    const QString fromEnv = qEnvironmentVariable(kManifestEnvVar).trimmed();
    m_manifest->setPlaceholderText(fromEnv.isEmpty()
            ? tr("Built-in list of freely licensed photos (Wikimedia Commons)")
            : tr("From %1: %2").arg(QLatin1String(kManifestEnvVar), fromEnv));
    m_manifest->setToolTip(tr("A manifest URL (https://…) or a JSON file; empty uses %1 when it is set, "
                              "else the built-in list.")
                               .arg(QLatin1String(kManifestEnvVar)));
    auto *browseManifest = new QPushButton(tr("Browse…"), this);
    manifestRow->addWidget(m_manifest, 1);
    manifestRow->addWidget(browseManifest);
    form->addRow(tr("&Manifest:"), manifestRow);
    static_cast<QLabel *>(form->labelForField(manifestRow))->setBuddy(m_manifest);
    connect(browseManifest, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(
            this, tr("Sample manifest"), QString(), tr("Manifests (*.json);;All files (*)"));
        if (!file.isEmpty())
            m_manifest->setText(file);
    });

    m_count = new QSpinBox(this);
    m_count->setObjectName(QStringLiteral("countSpin"));
    m_count->setRange(1, 1000);
    m_count->setValue(12);
    m_count->setSuffix(tr(" images"));
    m_count->setToolTip(tr("The first N entries of the manifest"));
    form->addRow(tr("&Count:"), m_count);

    auto *destRow = new QHBoxLayout;
    m_dest = new QLineEdit(defaultDestination(), this);
    m_dest->setObjectName(QStringLiteral("destEdit"));
    auto *browseDest = new QPushButton(tr("Browse…"), this);
    destRow->addWidget(m_dest, 1);
    destRow->addWidget(browseDest);
    form->addRow(tr("&Save to:"), destRow);
    static_cast<QLabel *>(form->labelForField(destRow))->setBuddy(m_dest);
    connect(browseDest, &QPushButton::clicked, this, [this] {
        const QString dir
            = QFileDialog::getExistingDirectory(this, tr("Folder for the samples"), m_dest->text());
        if (!dir.isEmpty())
            m_dest->setText(dir);
    });

    m_allowHttp = new QCheckBox(tr("Allow plain HTTP (unencrypted) servers"), this);
    m_allowHttp->setObjectName(QStringLiteral("allowHttpCheck"));
    m_allowHttp->setToolTip(tr("HTTPS is required otherwise, except for this computer (localhost)."));
    form->addRow(QString(), m_allowHttp);
    return form;
}

QWidget *DownloadDialog::buildTable()
{
    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("filesTable"));
    m_table->setHorizontalHeaderLabels({ tr("File"), tr("Progress"), tr("State"), tr("Details") });
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionResizeMode(FileColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ProgressColumn, QHeaderView::Interactive);
    header->resizeSection(ProgressColumn, header->fontMetrics().averageCharWidth() * 20);
    header->setSectionResizeMode(StateColumn, QHeaderView::ResizeToContents);
    header->setStretchLastSection(true);
    return m_table;
}

QWidget *DownloadDialog::buildButtons()
{
    auto *buttons = new QDialogButtonBox(this);
    m_download = buttons->addButton(tr("&Download"), QDialogButtonBox::AcceptRole);
    m_download->setObjectName(QStringLiteral("downloadButton"));
    m_cancel = buttons->addButton(tr("C&ancel Download"), QDialogButtonBox::ActionRole);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_retry = buttons->addButton(tr("&Retry Failed"), QDialogButtonBox::ActionRole);
    m_retry->setObjectName(QStringLiteral("retryButton"));
    m_open = buttons->addButton(tr("&Open in PixelPerf"), QDialogButtonBox::ActionRole);
    m_open->setObjectName(QStringLiteral("openButton"));
    m_close = buttons->addButton(QDialogButtonBox::Close);
    m_close->setObjectName(QStringLiteral("closeButton"));
    connect(m_download, &QPushButton::clicked, this, &DownloadDialog::startDownload);
    connect(m_cancel, &QPushButton::clicked, this, &DownloadDialog::cancelDownload);
    connect(m_retry, &QPushButton::clicked, this, &DownloadDialog::retryFailed);
    connect(m_open, &QPushButton::clicked, this, [this] {
        emit openFolderRequested(m_runDest);
        accept();
    });
    connect(m_close, &QPushButton::clicked, this, &DownloadDialog::reject);
    m_download->setDefault(true);
    m_cancel->setEnabled(false);
    m_retry->setEnabled(false);
    m_open->setEnabled(false);
    return buttons;
}

DownloadDialog::~DownloadDialog() = default; // the downloader removes its temporary files

QString DownloadDialog::defaultDestination()
{
    QString base = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    if (base.isEmpty())
        base = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return QDir(base).filePath(QStringLiteral("PixelPerf samples"));
}

QString DownloadDialog::destination() const
{
    return m_dest->text().trimmed();
}

void DownloadDialog::setDestination(const QString &dir)
{
    m_dest->setText(dir);
}

QString DownloadDialog::manifestLocation() const
{
    return m_manifest->text().trimmed();
}

void DownloadDialog::setManifestLocation(const QString &location)
{
    m_manifest->setText(location);
}

int DownloadDialog::count() const
{
    return m_count->value();
}

void DownloadDialog::setCount(int count)
{
    m_count->setValue(count);
}

bool DownloadDialog::isBusy() const
{
    return m_busy;
}

void DownloadDialog::startDownload()
{
    if (isBusy())
        return;
    if (destination().isEmpty()) {
        showStatus(tr("Choose a folder to save the photos in."), true);
        return;
    }
    m_table->setRowCount(0);
    m_open->setEnabled(false);
    m_retry->setEnabled(false);
    m_loadingManifest = true;
    setBusy(true);
    const QString location = effectiveManifestLocation(manifestLocation());
    showStatus(tr("Reading the manifest %1…")
                   .arg(location == defaultManifestLocation() ? tr("(built-in list)") : location));
    m_loader->setAllowPlainHttp(m_allowHttp->isChecked());
    m_loader->setTimeoutMs(m_stallTimeoutMs);
    m_loader->load(manifestLocation());
}

void DownloadDialog::onManifest(const ManifestResult &result)
{
    m_loadingManifest = false;
    if (!result.ok()) {
        setBusy(false);
        showStatus(result.error, true);
        return;
    }
    QList<SampleEntry> entries = result.manifest.entries;
    if (count() < entries.size())
        entries = entries.mid(0, count());
    SampleDownloadOptions options;
    options.destDir = destination();
    options.allowPlainHttp = m_allowHttp->isChecked();
    options.stallTimeoutMs = m_stallTimeoutMs;
    m_downloader->setOptions(options);
    // A folder made for this batch that ends up empty is removed again.
    m_destCreated = !QFileInfo::exists(options.destDir);
    QString error;
    if (!m_downloader->start(entries, &error)) {
        setBusy(false);
        showStatus(error, true);
        return;
    }
    m_runDest = options.destDir;
    rebuildTable();
    updateSummary();
}

void DownloadDialog::cancelDownload()
{
    if (m_loadingManifest) {
        m_loader->abort();
        m_loadingManifest = false;
        setBusy(false);
        showStatus(tr("Cancelled."));
        return;
    }
    m_downloader->cancel(); // finished() follows and settles the buttons
}

void DownloadDialog::retryFailed()
{
    if (isBusy())
        return;
    SampleDownloadOptions options = m_downloader->options();
    options.allowPlainHttp = m_allowHttp->isChecked();
    options.stallTimeoutMs = m_stallTimeoutMs;
    m_downloader->setOptions(options);
    if (m_downloader->retryFailed()) {
        m_retry->setEnabled(false);
        m_open->setEnabled(false);
        setBusy(true);
        updateSummary();
    }
}

void DownloadDialog::reject()
{
    if (m_loadingManifest || m_downloader->isRunning())
        cancelDownload();
    QDialog::reject();
}

void DownloadDialog::rebuildTable()
{
    m_table->setRowCount(m_downloader->count());
    for (int i = 0; i < m_downloader->count(); ++i) {
        for (int c = 0; c < ColumnCount; ++c)
            if (c != ProgressColumn)
                m_table->setItem(i, c, new QTableWidgetItem);
        auto *bar = new QProgressBar(m_table);
        bar->setRange(0, 100);
        bar->setValue(0);
        m_table->setCellWidget(i, ProgressColumn, bar);
        updateRow(i);
    }
}

void DownloadDialog::updateRow(int index)
{
    if (index < 0 || index >= m_table->rowCount())
        return;
    const SampleFileStatus f = m_downloader->file(index);
    QTableWidgetItem *name = m_table->item(index, FileColumn);
    name->setText(f.fileName);
    name->setToolTip(f.entry.url.toDisplayString());
    QTableWidgetItem *state = m_table->item(index, StateColumn);
    state->setText(stateText(f.state));
    QTableWidgetItem *details = m_table->item(index, DetailsColumn);
    QString text;
    switch (f.state) {
    case SampleState::Done: {
        const QString credit = f.entry.credit();
        text = sizeText(f.received);
        if (!credit.isEmpty())
            text += QStringLiteral(" · ") + credit;
        break;
    }
    case SampleState::Skipped:
    case SampleState::Failed:
        text = f.error;
        break;
    case SampleState::Cancelled:
        text = tr("nothing kept");
        break;
    default:
        break;
    }
    details->setText(text);
    details->setToolTip(text);
    const bool problem = f.state == SampleState::Failed;
    const QBrush brush = problem ? QBrush(problemColor()) : QBrush();
    state->setForeground(brush);
    details->setForeground(brush);

    auto *bar = qobject_cast<QProgressBar *>(m_table->cellWidget(index, ProgressColumn));
    if (!bar)
        return;
    // A percentage only where bytes flow or have arrived; an empty bar otherwise.
    bar->setTextVisible(f.state == SampleState::Downloading || f.state == SampleState::Done);
    if (f.state == SampleState::Done || f.state == SampleState::Skipped) {
        bar->setRange(0, 100);
        bar->setValue(100);
    } else if (f.state == SampleState::Verifying) {
        bar->setRange(0, 0); // busy: decoding off the GUI thread
    } else if (f.state == SampleState::Failed || f.state == SampleState::Cancelled
        || f.state == SampleState::Queued) {
        bar->setRange(0, 100);
        bar->setValue(0);
    } else {
        updateProgress(index, f.received, f.total);
    }
}

void DownloadDialog::updateProgress(int index, qint64 received, qint64 total)
{
    auto *bar = qobject_cast<QProgressBar *>(m_table->cellWidget(index, ProgressColumn));
    if (!bar)
        return;
    if (total > 0) {
        // KiB keeps large files inside an int.
        bar->setRange(0, int(std::max<qint64>(1, total / 1024)));
        bar->setValue(int(std::min(received, total) / 1024));
    } else {
        bar->setRange(0, 0); // unknown length: a busy bar
    }
}

void DownloadDialog::updateSummary()
{
    const SampleDownloadSummary s = m_downloader->summary();
    m_overall->setRange(0, std::max(1, s.total));
    m_overall->setValue(s.total - s.active);
    m_overall->setFormat(tr("%v of %m files finished"));
    if (!s.finished()) {
        showStatus(tr("Downloading into %1: %2 of %3 finished, %4 received.")
                       .arg(QDir::toNativeSeparators(m_runDest))
                       .arg(s.total - s.active)
                       .arg(s.total)
                       .arg(sizeText(s.bytesReceived)));
    }
}

void DownloadDialog::onFinished()
{
    setBusy(false);
    const SampleDownloadSummary s = m_downloader->summary();
    const int there = s.done + s.skipped;
    // The bar counts what arrived: twelve failures leave it empty, not full.
    m_overall->setRange(0, std::max(1, s.total));
    m_overall->setValue(there);
    m_overall->setFormat(tr("%v of %m images here"));
    if (there == 0 && m_destCreated)
        QDir().rmdir(m_runDest); // only when empty: nothing of the user's is touched
    m_open->setEnabled(there > 0);
    m_retry->setEnabled(s.failed + s.cancelled > 0);
    if (s.allArrived()) {
        m_open->setDefault(true);
        showStatus(
            tr("All %n image(s) are in %1 (%2 downloaded, %3 already there and kept).", nullptr, s.total)
                .arg(QDir::toNativeSeparators(m_runDest))
                .arg(s.done)
                .arg(s.skipped));
        return;
    }
    QStringList parts;
    if (s.failed)
        parts << tr("%n failed", nullptr, s.failed);
    if (s.cancelled)
        parts << tr("%n cancelled", nullptr, s.cancelled);
    QString text = tr("%1 of %2 images are in %3; %4. Retry Failed tries them again.")
                       .arg(there)
                       .arg(s.total)
                       .arg(QDir::toNativeSeparators(m_runDest), parts.join(QStringLiteral(", ")));
    if (there == 0 && s.failed > 0)
        text += QLatin1Char(' ')
            + tr("No network? File ▸ Generate Sample Images… makes photo-like images offline.");
    showStatus(text, s.failed > 0);
}

void DownloadDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_download->setEnabled(!busy);
    m_cancel->setEnabled(busy);
    m_manifest->setEnabled(!busy);
    m_count->setEnabled(!busy);
    m_dest->setEnabled(!busy);
    m_allowHttp->setEnabled(!busy);
    if (busy) {
        m_retry->setEnabled(false);
        m_open->setEnabled(false);
    }
}

void DownloadDialog::showStatus(const QString &text, bool problem)
{
    m_status->setText(text);
    QPalette palette = m_status->palette();
    palette.setColor(
        QPalette::WindowText, problem ? problemColor() : this->palette().color(QPalette::WindowText));
    m_status->setPalette(palette);
}

} // namespace pixelperf
