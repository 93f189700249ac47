#include "historypanel.h"

#include "comparisondialog.h"
#include "jobtracker.h"
#include "reports/reportreader.h"
#include "reportsaver.h"
#include "runhistorymodel.h"
#include "windowsettings.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace pixelperf {

HistoryPanel::HistoryPanel(
    RunHistoryModel *history, WindowSettings *settings, ReportSaver *saver, QWidget *parent)
    : QWidget(parent)
    , m_history(history)
    , m_settings(settings)
    , m_saver(saver)
{
    setObjectName(QStringLiteral("historyPanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(3);
    layout->addWidget(buildHeader());

    m_view = new QTreeView(this);
    m_view->setObjectName(QStringLiteral("historyView"));
    m_view->setModel(m_history);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->header()->setStretchLastSection(true);
    m_view->header()->setMinimumSectionSize(24);
    for (int c = 0; c < RunHistoryModel::NoteColumn; ++c)
        m_view->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    layout->addWidget(m_view, 1);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) {
            updateButtons();
            emit currentRowChanged(current.isValid() ? current.row() : -1);
        });
    connect(m_view, &QTreeView::doubleClicked, this, [this](const QModelIndex &index) {
        m_history->setPinnedRow(index.row() == m_history->pinnedRow() ? -1 : index.row());
    });
    connect(m_history, &RunHistoryModel::pinnedChanged, this, &HistoryPanel::updateButtons);
    connect(m_history, &QAbstractItemModel::rowsInserted, this, &HistoryPanel::updateButtons);
    updateButtons();
}

QWidget *HistoryPanel::buildHeader()
{
    // The title above its buttons: the panel stays narrow on a laptop.
    auto *box = new QWidget(this);
    auto *rows = new QVBoxLayout(box);
    rows->setContentsMargins(0, 0, 0, 0);
    rows->setSpacing(2);
    auto *title = new QLabel(tr("Runs this session"), box);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    rows->addWidget(title);
    auto *header = new QHBoxLayout;
    rows->addLayout(header);
    m_pin = new QPushButton(tr("Pin"), box);
    m_pin->setObjectName(QStringLiteral("pinButton"));
    m_pin->setToolTip(tr("Pin the selected run as the comparison: it is ghosted beside every run "
                         "that follows (double-clicking a run does the same)"));
    m_unpin = new QPushButton(tr("Unpin"), box);
    m_unpin->setObjectName(QStringLiteral("unpinButton"));
    m_unpin->setToolTip(tr("Compare each run with the one before it again"));
    m_compare = new QPushButton(tr("Compare…"), box);
    m_compare->setObjectName(QStringLiteral("compareRunsButton"));
    m_compare->setToolTip(tr("Two runs of the history side by side: time per stage, memory, "
                             "speedup with its significance, and what differs (Ctrl+Shift+C)"));
    connect(m_compare, &QPushButton::clicked, this, &HistoryPanel::compareRequested);
    connect(m_pin, &QPushButton::clicked, this, [this] {
        if (currentRow() >= 0)
            m_history->setPinnedRow(currentRow());
    });
    connect(m_unpin, &QPushButton::clicked, this, [this] { m_history->setPinnedRow(-1); });
    header->addWidget(m_pin);
    header->addWidget(m_unpin);
    header->addWidget(m_compare);
    header->addStretch(1);
    return box;
}

int HistoryPanel::currentRow() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void HistoryPanel::select(int row)
{
    m_view->setCurrentIndex(m_history->index(row, 0));
}

void HistoryPanel::clearSelection()
{
    m_view->clearSelection();
    m_view->setCurrentIndex(QModelIndex());
}

const RunEntry *HistoryPanel::selectedOrLatest() const
{
    const int row = currentRow();
    return row >= 0 ? &m_history->entry(row) : m_history->last();
}

void HistoryPanel::updateButtons()
{
    const int row = currentRow();
    m_pin->setEnabled(row >= 0 && row != m_history->pinnedRow());
    m_unpin->setEnabled(m_history->pinnedRow() >= 0);
    m_compare->setEnabled(m_history->count() >= 2);
}

ComparisonDialog *HistoryPanel::comparisonDialog() const
{
    return m_comparison;
}

ComparisonDialog *HistoryPanel::showComparison(int rowA, int rowB)
{
    const int n = m_history->count();
    if (n < 2)
        return nullptr;
    if (rowB < 0 || rowB >= n)
        rowB = currentRow() >= 0 ? currentRow() : n - 1;
    if (rowA < 0 || rowA >= n) {
        const int pinned = m_history->pinnedRow();
        rowA = pinned >= 0 && pinned != rowB ? pinned : (rowB > 0 ? rowB - 1 : 1);
    }
    if (!m_comparison) {
        m_comparison = new ComparisonDialog(m_history, window());
        m_comparison->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_comparison->setRuns(rowA, rowB);
    m_comparison->show();
    m_comparison->raise();
    m_comparison->activateWindow();
    return m_comparison;
}

bool HistoryPanel::exportSelected(const QString &path)
{
    const RunEntry *entry = selectedOrLatest();
    if (!entry)
        return false;
    // Every measured repetition: the JSON keeps each with their statistics.
    m_saver->saveRun(path, entry->result, entry->repeats);
    return true;
}

void HistoryPanel::chooseAndExportSelected()
{
    const RunEntry *entry = selectedOrLatest();
    if (!entry)
        return;
    const QString last = m_settings->lastFolder();
    const QString path
        = m_saver->chooseRunPath(QStringLiteral("pixelperf-run%1-%2").arg(entry->number).arg(entry->preset),
            last.isEmpty() ? QDir::homePath() : QFileInfo(last).absolutePath());
    if (!path.isEmpty())
        exportSelected(path);
}

void HistoryPanel::chooseAndOpenReport()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open a Report"),
        m_settings->reportDir(QDir::homePath()), tr("PixelPerf JSON report (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    m_settings->setReportDir(QFileInfo(path).absolutePath());
    openReport(path);
}

bool HistoryPanel::openReport(const QString &path)
{
    if (path.isEmpty())
        return false;
    // One reader at a time would drop a first report still being read: each
    // report has its own job.
    auto *job = new JobTracker(this);
    job->start([path](const JobControl &) { return readReportFile(path); },
        [this, job, path](const LoadedReport &report) {
            job->deleteLater();
            onReportRead(path, report);
        });
    emit status(tr("Reading %1…").arg(QDir::toNativeSeparators(path)), 0);
    return true;
}

void HistoryPanel::onReportRead(const QString &path, const LoadedReport &report)
{
    if (!report.error.isEmpty()) {
        emit status(tr("Cannot load %1: %2").arg(QDir::toNativeSeparators(path), report.error), 10000);
        emit reportLoaded(path, report.error);
        return;
    }
    const int row = m_history->addLoaded(std::make_shared<const RunResult>(report.run), report.repeats, path);
    emit status(tr("Loaded %1 as run %2 — compare it with Run ▸ Compare Runs… (Ctrl+Shift+C)")
                    .arg(QFileInfo(path).fileName())
                    .arg(m_history->entry(row).number),
        0);
    emit reportLoaded(path, QString());
}

} // namespace pixelperf
