#include "storedrunspanel.h"

#include "historydatabase.h"
#include "pipeline/toggles.h"
#include "storedrunsmodel.h"
#include "trenddialog.h"
#include "undodeletebar.h"
#include "units.h"
#include "windowsettings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QMessageBox>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

namespace pixelperf {

namespace {

// The date filter's choices: how many days back (0: any date).
constexpr int DateChoices[] = { 0, 1, 7, 30 };

} // namespace

QTreeView *newRunList(QAbstractItemModel *model, int noteColumn, const QString &name, QWidget *parent)
{
    auto *view = new QTreeView(parent);
    view->setObjectName(name);
    view->setModel(model);
    view->setRootIsDecorated(false);
    view->setUniformRowHeights(true);
    view->setAlternatingRowColors(true);
    view->header()->setStretchLastSection(true);
    view->header()->setMinimumSectionSize(24);
    for (int c = 0; c < noteColumn; ++c)
        view->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    return view;
}

StoredRunsPanel::StoredRunsPanel(HistoryDatabase *database, WindowSettings *settings, QWidget *parent)
    : QWidget(parent)
    , m_database(database)
    , m_settings(settings)
    , m_model(new StoredRunsModel(database, this))
{
    setObjectName(QStringLiteral("storedRunsPanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(3);
    layout->addWidget(buildFilters());
    m_view = newRunList(m_model, StoredRunsModel::NoteColumn, QStringLiteral("storedRunsView"), this);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_view->installEventFilter(this);
    layout->addWidget(m_view, 1);
    m_undo = new UndoDeleteBar(m_database, this);
    connect(m_undo, &UndoDeleteBar::status, this, &StoredRunsPanel::status);
    layout->addWidget(m_undo);
    layout->addWidget(buildButtons());

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) { onCurrentChanged(current.isValid() ? current.row() : -1); });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &StoredRunsPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &StoredRunsPanel::updateButtons);
    connect(m_database, &HistoryDatabase::runStored, this, [this](const HistoryRunEntry &e) {
        if (m_folder->findData(e.folder) < 0)
            m_folder->addItem(QFileInfo(e.folder).fileName(), e.folder);
    });
    fillFolders();
    updateButtons();
}

QWidget *StoredRunsPanel::buildFilters()
{
    auto *box = new QWidget(this);
    auto *row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(2);
    m_folder = new QComboBox(box);
    m_folder->setObjectName(QStringLiteral("historyFolderFilter"));
    m_folder->setToolTip(tr("Only the runs on this folder"));
    m_folder->addItem(tr("Any folder"), QString());
    m_preset = new QComboBox(box);
    m_preset->setObjectName(QStringLiteral("historyPresetFilter"));
    m_preset->setToolTip(tr("Only the runs whose toggles match this preset"));
    m_preset->addItem(tr("Any preset"), QString());
    QStringList presets = presetNames();
    presets << QStringLiteral("custom");
    for (const QString &preset : std::as_const(presets))
        m_preset->addItem(preset, preset);
    m_date = new QComboBox(box);
    m_date->setObjectName(QStringLiteral("historyDateFilter"));
    m_date->setToolTip(tr("Only the runs started since then"));
    m_date->addItems({ tr("Any date"), tr("Today"), tr("Last 7 days"), tr("Last 30 days") });
    for (QComboBox *c : { m_folder, m_preset, m_date }) {
        // Narrow enough for a laptop; the list opens as wide as its items.
        c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        c->setMinimumContentsLength(3);
        row->addWidget(c, 1);
        connect(c, &QComboBox::currentIndexChanged, this, &StoredRunsPanel::applyFilter);
    }
    return box;
}

QWidget *StoredRunsPanel::buildButtons()
{
    auto *box = new QWidget(this);
    auto *row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(2);
    m_trendButton = new QPushButton(tr("Trend…"), box);
    m_trendButton->setObjectName(QStringLiteral("historyTrendButton"));
    m_trendButton->setToolTip(tr("Images/s and peak RSS of every stored run of this configuration on this "
                                 "folder, over time, with each run's spread"));
    m_compare = new QPushButton(tr("Compare"), box);
    m_compare->setObjectName(QStringLiteral("historyCompareButton"));
    m_compare->setToolTip(tr("The two runs picked (Ctrl+click) side by side"));
    m_delete = new QPushButton(tr("Delete"), box);
    m_delete->setObjectName(QStringLiteral("historyDeleteButton"));
    m_delete->setToolTip(
        tr("Delete the picked runs from the history (Delete key); asks first, and can be undone for a few "
           "seconds (Ctrl+Z)"));
    // Beside the pages' tabs (HistoryPanel): this row stays narrow on a laptop.
    m_keep = new QCheckBox(tr("Keep runs"), this);
    m_keep->setObjectName(QStringLiteral("keepHistoryBox"));
    m_keep->setToolTip(tr("Keep every run of this window in the history database\n%1")
                           .arg(QDir::toNativeSeparators(m_database->path())));
    m_keep->setChecked(m_settings->keepHistory());
    connect(m_keep, &QCheckBox::toggled, m_settings, &WindowSettings::setKeepHistory);
    connect(m_trendButton, &QPushButton::clicked, this, [this] { showTrend(); });
    connect(m_compare, &QPushButton::clicked, this, &StoredRunsPanel::compareSelected);
    connect(m_delete, &QPushButton::clicked, this, &StoredRunsPanel::deleteSelected);
    for (QWidget *w : std::initializer_list<QWidget *> { m_trendButton, m_compare, m_delete })
        row->addWidget(w);
    row->addStretch(1);
    return box;
}

void StoredRunsPanel::fillFolders()
{
    m_database->listFolders(this, [this](const QStringList &folders) {
        for (const QString &folder : folders) {
            if (m_folder->findData(folder) < 0)
                m_folder->addItem(QFileInfo(folder).fileName(), folder);
            m_folder->setItemData(
                m_folder->findData(folder), QDir::toNativeSeparators(folder), Qt::ToolTipRole);
        }
    });
}

void StoredRunsPanel::applyFilter()
{
    HistoryFilter filter;
    filter.folder = m_folder->currentData().toString();
    filter.preset = m_preset->currentData().toString();
    const int days = DateChoices[std::clamp(m_date->currentIndex(), 0, int(std::size(DateChoices)) - 1)];
    if (days > 0)
        filter.from = QDateTime(QDate::currentDate().addDays(1 - days), QTime(0, 0));
    m_model->setFilter(filter);
    updateButtons();
}

QList<int> StoredRunsPanel::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        rows << index.row();
    std::sort(rows.begin(), rows.end());
    return rows;
}

void StoredRunsPanel::updateButtons()
{
    const int picked = int(selectedRows().size());
    m_trendButton->setEnabled(m_view->currentIndex().isValid());
    m_compare->setEnabled(picked == 2);
    m_delete->setEnabled(picked > 0);
}

void StoredRunsPanel::onCurrentChanged(int row)
{
    updateButtons();
    if (row < 0)
        return;
    const HistoryRunEntry entry = m_model->entry(row);
    const quint64 reading = ++m_reading;
    m_database->readRun(this, entry.id, [this, reading, entry](const LoadedReport &report) {
        if (reading != m_reading)
            return; // another run was picked meanwhile
        const QString name = entry.name.isEmpty() ? QString() : QStringLiteral(" “%1”").arg(entry.name);
        emit runRead(report.run,
            tr("History run %1%2 · %3 · %4 · %5 per image · %6")
                .arg(entry.id)
                .arg(name, entry.preset, QFileInfo(entry.folder).fileName(), formatMs(entry.msPerImage),
                    QLocale().toString(entry.startedAt, QLocale::ShortFormat)));
    });
}

TrendDialog *StoredRunsPanel::showTrend()
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid())
        return nullptr;
    if (m_trend)
        m_trend->close();
    m_trend = new TrendDialog(m_database, m_model->entry(current.row()), window());
    m_trend->setAttribute(Qt::WA_DeleteOnClose);
    m_trend->show();
    return m_trend;
}

bool StoredRunsPanel::compareSelected()
{
    const QList<int> rows = selectedRows();
    if (rows.size() != 2)
        return false;
    // The older run is A, the reference.
    emit compareRequested(m_model->entry(rows[1]).id, m_model->entry(rows[0]).id);
    return true;
}

bool StoredRunsPanel::deleteSelected()
{
    const QList<int> rows = selectedRows();
    if (rows.isEmpty())
        return false;
    const HistoryRunEntry &first = m_model->entry(rows.front());
    const QString what = rows.size() == 1
        ? tr("run %1 (%2, %3 on %4)")
              .arg(first.name.isEmpty() ? QString::number(first.id) : first.name,
                  QLocale().toString(first.startedAt, QLocale::ShortFormat), first.preset,
                  QFileInfo(first.folder).fileName())
        : tr("these %1 runs").arg(rows.size());
    if (QMessageBox::question(this, tr("Delete from the History"),
            tr("Delete %1 from the history? Its report, repetitions and memory series go too; Edit ▸ Undo "
               "Delete (Ctrl+Z) brings them back within %2 s.")
                .arg(what)
                .arg(m_undo->timeoutMs() / 1000))
        != QMessageBox::Yes)
        return false;
    // The rows go when the database has deleted their runs.
    return m_model->removeRuns(rows);
}

bool StoredRunsPanel::eventFilter(QObject *watched, QEvent *event)
{
    // The view's own keys (an editor open in it gets its keys itself).
    if (watched == m_view && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Delete) {
        deleteSelected();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace pixelperf
