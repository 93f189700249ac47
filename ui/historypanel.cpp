#include "historypanel.h"

#include "comparisondialog.h"
#include "comparisonrecorder.h"
#include "historydatabase.h"
#include "jobtracker.h"
#include "reports/reportreader.h"
#include "reportsaver.h"
#include "runhistorymodel.h"
#include "storedablationslist.h"
#include "storedcomparisonslist.h"
#include "storedrunsmodel.h"
#include "storedrunspanel.h"
#include "windowsettings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QTreeView>
#include <QVBoxLayout>

#include <array>
#include <memory>

namespace pixelperf {

HistoryPanel::HistoryPanel(RunHistoryModel *history, HistoryDatabase *database, WindowSettings *settings,
    ReportSaver *saver, QWidget *parent)
    : QWidget(parent)
    , m_history(history)
    , m_database(database)
    , m_settings(settings)
    , m_saver(saver)
{
    setObjectName(QStringLiteral("historyPanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(3);
    m_historyOff = new QLabel(this);
    m_historyOff->setObjectName(QStringLiteral("historyOffLine"));
    m_historyOff->setWordWrap(true);
    m_historyOff->hide();
    layout->addWidget(m_historyOff);
    // Four views of the history in a narrow column: chosen from a list (four
    // tabs need some 340 px, wider than the column on a laptop's screen).
    m_pageChoice = new QComboBox(this);
    m_pageChoice->setObjectName(QStringLiteral("historyPageChoice"));
    m_pageChoice->setAccessibleName(tr("History view"));
    m_pages = new QStackedWidget(this);
    m_pages->setObjectName(QStringLiteral("historyPages"));
    m_stored = new StoredRunsPanel(m_database, m_settings, m_pages);
    m_ablations = new StoredAblationsList(m_database, m_pages);
    m_comparisons = new StoredComparisonsList(m_database, m_pages);
    addPage(buildSessionPage(), tr("This session"), tr("The runs of this session, and reports opened"));
    addPage(m_stored, tr("All runs"),
        tr("Every run kept in the history: %1").arg(QDir::toNativeSeparators(m_database->path())));
    addPage(m_ablations, tr("Ablations"), tr("Every ablation kept in the history"));
    addPage(m_comparisons, tr("Comparisons"),
        tr("Every comparison kept in the history: double-click one to see it again"));
    connect(m_pageChoice, qOverload<int>(&QComboBox::currentIndexChanged), m_pages,
        &QStackedWidget::setCurrentIndex);
    connect(m_pages, &QStackedWidget::currentChanged, m_pageChoice, &QComboBox::setCurrentIndex);
    m_recorder = new ComparisonRecorder(m_history, m_database, this);
    auto *top = new QHBoxLayout;
    top->addWidget(m_pageChoice, 1);
    top->addWidget(m_stored->keepHistoryBox());
    layout->addLayout(top);
    layout->addWidget(m_pages, 1);
    connectHistory();
    showHistoryState();
    updateButtons();
}

void HistoryPanel::addPage(QWidget *page, const QString &title, const QString &toolTip)
{
    m_pages->addWidget(page);
    m_pageChoice->addItem(title);
    m_pageChoice->setItemData(m_pageChoice->count() - 1, toolTip, Qt::ToolTipRole);
}

QWidget *HistoryPanel::buildSessionPage()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 3, 0, 0);
    layout->setSpacing(3);
    layout->addWidget(buildHeader());
    m_view = newRunList(m_history, RunHistoryModel::NoteColumn, QStringLiteral("historyView"), page);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
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
    connect(m_history, &QAbstractItemModel::rowsInserted, this, [this] {
        updateButtons();
        m_pages->setCurrentIndex(0); // a new run of this session: where it is
    });
    return page;
}

void HistoryPanel::connectHistory()
{
    connect(m_database, &HistoryDatabase::turnedOff, this, [this](const QString &problem) {
        showHistoryState();
        emit status(tr("History off — runs are not kept: %1").arg(problem), 0);
    });
    connect(m_database, &HistoryDatabase::failed, this,
        [this](const QString &message) { emit status(message, 10000); });
    connect(m_settings, &WindowSettings::keepHistoryChanged, this, [this](bool keep) {
        m_database->setOn(keep);
        showHistoryState();
        if (keep)
            m_stored->model()->reload();
    });
    // At start, with prior runs and none of this session yet: the prior runs.
    connect(m_stored->model(), &StoredRunsModel::pageLoaded, this, [this] {
        if (m_history->count() == 0 && m_stored->model()->count() > 0 && m_pages->currentIndex() == 0)
            m_pages->setCurrentWidget(m_stored);
    });
    connect(m_stored, &StoredRunsPanel::runRead, this, &HistoryPanel::storedRunRead);
    connect(m_stored, &StoredRunsPanel::compareRequested, this, &HistoryPanel::compareStored);
    connect(m_stored, &StoredRunsPanel::status, this, &HistoryPanel::status);
    connect(m_ablations, &StoredAblationsList::ablationRead, this, &HistoryPanel::ablationRead);
    connect(m_comparisons, &StoredComparisonsList::compareRequested, this, &HistoryPanel::compareStored);
}

void HistoryPanel::showHistoryState()
{
    const QString off = historyOffText();
    m_historyOff->setText(off);
    m_historyOff->setToolTip(off);
    m_historyOff->setVisible(!off.isEmpty());
}

QString HistoryPanel::historyOffText() const
{
    return m_database->isOn() ? QString() : tr("History off — %1").arg(m_database->offReason());
}

bool HistoryPanel::compareStored(qint64 runA, qint64 runB)
{
    // A run already in the session is compared where it is; the others are
    // read in one job each, and the comparison opens when the last has
    // arrived, A and B in the order asked.
    auto rows = std::make_shared<std::array<int, 2>>(
        std::array<int, 2> { m_history->rowOfStored(runA), m_history->rowOfStored(runB) });
    auto arrived = [this, rows](int side, qint64 id, const LoadedReport &r) {
        // Both sides one run: read once, the same row.
        const int row = m_history->rowOfStored(id);
        (*rows)[size_t(side)] = row >= 0 ? row
                                         : m_history->addLoaded(std::make_shared<const RunResult>(r.run),
                                             r.repeats, tr("history run %1").arg(id), id);
        if ((*rows)[0] >= 0 && (*rows)[1] >= 0)
            showComparison((*rows)[0], (*rows)[1]);
    };
    if ((*rows)[0] >= 0 && (*rows)[1] >= 0)
        return showComparison((*rows)[0], (*rows)[1]) != nullptr;
    bool asked = true;
    for (int side : { 0, 1 }) {
        const qint64 id = side == 0 ? runA : runB;
        if ((*rows)[size_t(side)] < 0)
            asked = asked && m_database->readRun(this, id, [arrived, side, id](const LoadedReport &r) {
                arrived(side, id, r);
            });
    }
    return asked;
}

QWidget *HistoryPanel::buildHeader()
{
    auto *box = new QWidget(this);
    auto *rows = new QVBoxLayout(box);
    rows->setContentsMargins(0, 0, 0, 0);
    rows->setSpacing(2);
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
        connect(m_comparison, &ComparisonDialog::compared, m_recorder, &ComparisonRecorder::record);
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
    connect(job, &JobTracker::failed, this, [this, job, path](const QString &message) {
        job->deleteLater();
        LoadedReport failed;
        failed.error = message;
        onReportRead(path, failed);
    });
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
