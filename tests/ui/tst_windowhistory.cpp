// The window's run history, driven as a person would: runs made in one
// window are listed by the next on the same database ("a restart"); names
// and notes edited in place, and deletions, last; a deletion undone brings
// the runs back whole, one not undone is gone for the CLI too; the filters
// narrow the list; a stored ablation reopens its chart; a comparison made in the window is kept once
// and reopens on the same two runs; a database that cannot be used says so
// once and runs go on; the trend shows one point per stored run of the
// configuration. Each test has a database file of its own (PIXELPERF_DB).
// Real runs on tiny images, awaited with QTRY_* and signal spies.
#include "ablationdialog.h"
#include "clirunner.h"
#include "comparisondialog.h"
#include "dragdrop.h"
#include "history/historystore.h"
#include "historydatabase.h"
#include "historypanel.h"
#include "imagelistmodel.h"
#include "isolatedsettings.h"
#include "mainwindow.h"
#include "reports/reportwriter.h"
#include "runhistorymodel.h"
#include "samples/samplegenerator.h"
#include "storedablationslist.h"
#include "storedcomparisonslist.h"
#include "storedrunsmodel.h"
#include "storedrunspanel.h"
#include "togglepanel.h"
#include "trenddialog.h"
#include "undodeletebar.h"

#include <QAction>
#include <QApplication>
#include <QAreaSeries>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeView>
#include <QTreeWidget>
#include <QUrl>

#include <memory>

using namespace pixelperf;

namespace {

constexpr int RunTimeoutMs = 60000;

} // namespace

class TestWindowHistory : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();

    void runAppearsAfterRestart();
    void renameAnnotateDeletePersist();
    void deleteUndoneBringsTheRunsBackWhole();
    void deleteNotUndoneIsGoneForTheCliToo();
    void deletedRunsArePurgedWithKeepRunsOff();
    void filterNarrowsTheList();
    void pickedRunIsShownAndTwoCompared();
    void comparisonIsKeptOnceAndReopens();
    void ablationEntryReopensItsChart();
    void unusableDatabaseSaysSoAndRunsGoOn_data();
    void unusableDatabaseSaysSoAndRunsGoOn();
    void trendHasOnePointPerStoredRun();
    void trendMarksOnlyChangesBeyondTheSpread();

private:
    void startWindow();
    void restartWindow();
    void openFolder(const QString &dir, int images);
    void runOnce(const QString &preset = QStringLiteral("optimized"));
    // The samples opened, a run of each preset, all stored.
    void runStored(const QStringList &presets);
    StoredRunsPanel *stored() const { return m_window->historyPanel()->storedRuns(); }
    StoredRunsModel *storedModel() const { return stored()->model(); }
    // The stored list has loaded what the database holds.
    void waitForStored(int rows);
    void editCell(int row, int column, const QString &text);
    // Picks the stored list's rows and deletes them, answering Yes.
    void deleteStoredRows(const QList<int> &rows);
    QString dbPath() const { return m_dbDir->filePath(QStringLiteral("history.sqlite")); }
    // Rows of the runs table, deleted or not: what the file itself holds.
    int runRowsInFile() const;
    // What pixelperf-cli history lists.
    QJsonArray cliHistory(const QStringList &more = {}) const;

    test::IsolatedSettings m_settings;
    QTemporaryDir m_samples;
    QTemporaryDir m_others;
    std::unique_ptr<QTemporaryDir> m_dbDir;
    std::unique_ptr<MainWindow> m_window;
};

void TestWindowHistory::initTestCase()
{
    QVERIFY(m_settings.setUp(QStringLiteral("tst_windowhistory")));
    // Two folders told apart by their image counts.
    QVERIFY(generateSamples(m_samples.path(), 2, 160, 100).error.isEmpty());
    QVERIFY(generateSamples(m_others.path(), 3, 160, 100).error.isEmpty());
}

void TestWindowHistory::init()
{
    m_settings.clear();
    m_dbDir = std::make_unique<QTemporaryDir>();
    qputenv("PIXELPERF_DB", QFile::encodeName(m_dbDir->filePath(QStringLiteral("history.sqlite"))));
    startWindow();
}

void TestWindowHistory::cleanup()
{
    m_window.reset();
    for (const QString &dir : { m_samples.path(), m_others.path() })
        QDir(dir + QStringLiteral("-out")).removeRecursively();
}

void TestWindowHistory::startWindow()
{
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1400, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    PipelineParams p;
    p.width = 80;
    p.height = 60;
    p.blurRadius = 1;
    m_window->togglePanel()->setParams(p);
}

void TestWindowHistory::restartWindow()
{
    m_window->close();
    m_window.reset();
    startWindow();
}

void TestWindowHistory::openFolder(const QString &dir, int images)
{
    test::dragAndDrop(m_window.get(), { QUrl::fromLocalFile(dir) });
    QTRY_COMPARE(m_window->imageModel()->count(), images);
}

void TestWindowHistory::runOnce(const QString &preset)
{
    const int before = m_window->historyModel()->count();
    QSignalSpy stored(m_window->historyDatabase(), &HistoryDatabase::runStored);
    QVERIFY(m_window->togglePanel()->applyPreset(preset));
    QVERIFY(m_window->startRun());
    QTRY_VERIFY_WITH_TIMEOUT(
        !m_window->isRunning() && m_window->historyModel()->count() == before + 1, RunTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(stored.count(), 1, RunTimeoutMs);
}

void TestWindowHistory::runStored(const QStringList &presets)
{
    openFolder(m_samples.path(), 2);
    for (const QString &preset : presets)
        runOnce(preset);
    waitForStored(int(presets.size()));
}

void TestWindowHistory::waitForStored(int rows)
{
    QTRY_VERIFY(!storedModel()->isLoading());
    QTRY_COMPARE(storedModel()->count(), rows);
}

void TestWindowHistory::editCell(int row, int column, const QString &text)
{
    QTreeView *view = stored()->view();
    const QModelIndex index = storedModel()->index(row, column);
    view->setCurrentIndex(index);
    view->scrollTo(index);
    view->setFocus();
    QTest::keyClick(view, Qt::Key_F2);
    QTRY_VERIFY(qobject_cast<QLineEdit *>(view->indexWidget(index)));
    auto *editor = qobject_cast<QLineEdit *>(view->indexWidget(index));
    editor->selectAll();
    QTest::keyClicks(editor, text);
    QTest::keyClick(editor, Qt::Key_Return);
}

void TestWindowHistory::deleteStoredRows(const QList<int> &rows)
{
    QTreeView *view = stored()->view();
    view->selectionModel()->clearSelection();
    for (int row : rows)
        view->selectionModel()->select(
            storedModel()->index(row, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QTimer::singleShot(0, this, [] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        QVERIFY(box);
        QVERIFY2(box->text().contains(QStringLiteral("Undo")), qPrintable(box->text()));
        box->button(QMessageBox::Yes)->click();
    });
    QTest::mouseClick(
        stored()->findChild<QPushButton *>(QStringLiteral("historyDeleteButton")), Qt::LeftButton);
}

int TestWindowHistory::runRowsInFile() const
{
    const QString name = QStringLiteral("tst_windowhistory-raw");
    int rows = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(dbPath());
        QSqlQuery q(db);
        if (db.open() && q.exec(QStringLiteral("SELECT count(*) FROM runs")) && q.next())
            rows = q.value(0).toInt();
    }
    QSqlDatabase::database(name, false).close();
    QSqlDatabase::removeDatabase(name);
    return rows;
}

QJsonArray TestWindowHistory::cliHistory(const QStringList &more) const
{
    const testing::ProgramRun r = testing::runCli(
        QStringList { QStringLiteral("history"), QStringLiteral("--db"), dbPath(), QStringLiteral("--json") }
        + more);
    if (r.exitCode != 0)
        qWarning("%s", testing::describe(r).constData());
    return QJsonDocument::fromJson(r.out.toUtf8()).array();
}

void TestWindowHistory::runAppearsAfterRestart()
{
    openFolder(m_samples.path(), 2);
    runOnce();
    runOnce(QStringLiteral("naive"));
    // The window lists its runs as they are stored, newest first.
    waitForStored(2);
    QCOMPARE(storedModel()->entry(0).preset, QStringLiteral("naive"));

    restartWindow();
    QCOMPARE(m_window->historyModel()->count(), 0);
    waitForStored(2);
    const QString folderName = QFileInfo(m_samples.path()).fileName();
    for (int row = 0; row < 2; ++row)
        QCOMPARE(storedModel()->data(storedModel()->index(row, StoredRunsModel::FolderColumn)).toString(),
            folderName);
    QCOMPARE(storedModel()->entry(0).preset, QStringLiteral("naive"));
    QCOMPARE(storedModel()->entry(1).preset, QStringLiteral("optimized"));
    QCOMPARE(storedModel()->entry(1).images, 2);
    // With no run of its own yet, the panel shows the prior runs.
    QCOMPARE(m_window->historyPanel()->pages()->currentWidget(), static_cast<QWidget *>(stored()));
    QVERIFY(m_window->historyPanel()->historyOffText().isEmpty());
    // The views are chosen from a list that says which one is shown: the
    // list follows the page, and choosing in it (keys) shows that page.
    auto *choice = m_window->historyPanel()->findChild<QComboBox *>(QStringLiteral("historyPageChoice"));
    QVERIFY(choice);
    QCOMPARE(choice->currentText(), QStringLiteral("All runs"));
    choice->setFocus();
    QTest::keyClick(choice, Qt::Key_Down);
    QCOMPARE(choice->currentText(), QStringLiteral("Ablations"));
    QCOMPARE(m_window->historyPanel()->pages()->currentWidget(),
        static_cast<QWidget *>(m_window->historyPanel()->findChild<StoredAblationsList *>()));
}

void TestWindowHistory::renameAnnotateDeletePersist()
{
    openFolder(m_samples.path(), 2);
    runOnce();
    runOnce();
    runOnce();
    waitForStored(3);
    m_window->historyPanel()->pages()->setCurrentWidget(stored());
    const qint64 named = storedModel()->entry(0).id;
    const qint64 doomed = storedModel()->entry(1).id;
    editCell(0, StoredRunsModel::NameColumn, QStringLiteral("after the blur fix"));
    editCell(0, StoredRunsModel::NoteColumn, QStringLiteral("laptop on battery"));
    QCOMPARE(storedModel()->data(storedModel()->index(0, StoredRunsModel::NameColumn)).toString(),
        QStringLiteral("after the blur fix"));

    // Delete asks first: No keeps the run, Yes deletes it.
    QTreeView *view = stored()->view();
    view->setCurrentIndex(storedModel()->index(1, 0));
    view->selectionModel()->select(
        storedModel()->index(1, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    for (const auto answer : { QMessageBox::No, QMessageBox::Yes }) {
        QTimer::singleShot(0, this, [answer] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            QVERIFY(box);
            QVERIFY2(box->text().contains(QStringLiteral("Undo")), qPrintable(box->text()));
            box->button(answer)->click();
        });
        QTest::keyClick(view, Qt::Key_Delete);
        if (answer == QMessageBox::No)
            QCOMPARE(storedModel()->count(), 3);
    }
    QTRY_COMPARE(storedModel()->count(), 2);
    QCOMPARE(storedModel()->rowOf(doomed), -1);

    restartWindow();
    waitForStored(2);
    QCOMPARE(storedModel()->rowOf(doomed), -1);
    const int row = storedModel()->rowOf(named);
    QVERIFY(row >= 0);
    QCOMPARE(storedModel()->entry(row).name, QStringLiteral("after the blur fix"));
    QCOMPARE(storedModel()->entry(row).note, QStringLiteral("laptop on battery"));
}

void TestWindowHistory::deleteUndoneBringsTheRunsBackWhole()
{
    runStored({ QStringLiteral("optimized"), QStringLiteral("naive"), QStringLiteral("optimized") });
    m_window->historyPanel()->pages()->setCurrentWidget(stored());
    const qint64 first = storedModel()->entry(0).id, second = storedModel()->entry(1).id;
    QJsonObject reports[2];
    {
        HistoryStore store;
        QVERIFY(store.open(dbPath(), HistoryStore::Access::ReadOnly));
        for (int i = 0; i < 2; ++i) {
            const LoadedReport r = store.readRun(i == 0 ? first : second);
            QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
            reports[i] = ReportWriter::toJson(r.run, r.repeats);
        }
    }

    // Two deleted: gone from the list and for the CLI at once; Undo offered.
    UndoDeleteBar *undo = stored()->undoDelete();
    QAction *undoAction = undo->undoAction();
    QVERIFY(!undoAction->isEnabled());
    deleteStoredRows({ 0, 1 });
    QTRY_COMPARE(storedModel()->count(), 1);
    QVERIFY(undo->isVisible());
    QVERIFY(undoAction->isEnabled());
    QVERIFY2(
        undo->findChild<QLabel *>(QStringLiteral("undoDeleteText"))->text().contains(QStringLiteral("2")),
        qPrintable(undo->findChild<QLabel *>(QStringLiteral("undoDeleteText"))->text()));
    QCOMPARE(cliHistory().size(), 1);

    // Undo (the button): both back, their reports as they were.
    QTest::mouseClick(undo->findChild<QPushButton *>(QStringLiteral("undoDeleteButton")), Qt::LeftButton);
    QTRY_COMPARE(storedModel()->count(), 3);
    QTRY_VERIFY(m_window->statusMessage().contains(QStringLiteral("Restored 2")));
    QVERIFY(!undo->isVisible());
    QVERIFY(!undoAction->isEnabled());
    QCOMPARE(cliHistory().size(), 3);
    {
        HistoryStore store;
        QVERIFY(store.open(dbPath(), HistoryStore::Access::ReadOnly));
        for (int i = 0; i < 2; ++i) {
            const LoadedReport r = store.readRun(i == 0 ? first : second);
            QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
            QCOMPARE(ReportWriter::toJson(r.run, r.repeats), reports[i]);
        }
    }

    // Edit ▸ Undo Delete (Ctrl+Z) does the same, and the restart keeps it.
    deleteStoredRows({ storedModel()->rowOf(second) });
    QTRY_COMPARE(storedModel()->count(), 2);
    QVERIFY(undoAction->isEnabled());
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QTest::keyClick(m_window.get(), Qt::Key_Z, Qt::ControlModifier);
    QTRY_COMPARE(storedModel()->count(), 3);
    restartWindow();
    waitForStored(3);
    QCOMPARE(runRowsInFile(), 3);
}

void TestWindowHistory::deleteNotUndoneIsGoneForTheCliToo()
{
    runStored({ QStringLiteral("optimized"), QStringLiteral("optimized"), QStringLiteral("optimized") });
    m_window->historyPanel()->pages()->setCurrentWidget(stored());
    const qint64 doomed = storedModel()->entry(0).id;
    UndoDeleteBar *undo = stored()->undoDelete();
    undo->setTimeoutMs(300); // the offer's end, without waiting its ten seconds

    deleteStoredRows({ 0 });
    QTRY_COMPARE(storedModel()->count(), 2);
    QCOMPARE(cliHistory().size(), 2);
    // The offer ends: the run is purged from the file.
    QTRY_VERIFY(!undo->isOffered());
    QTRY_COMPARE(runRowsInFile(), 2);
    for (const QJsonValue &v : cliHistory())
        QVERIFY(v[QStringLiteral("id")].toInteger() != doomed);
    const testing::ProgramRun compare = testing::runCli({ QStringLiteral("compare"), QString::number(doomed),
        QString::number(storedModel()->entry(0).id), QStringLiteral("--db"), dbPath() });
    QCOMPARE(compare.exitCode, 2);
    QVERIFY2(compare.err.contains(QStringLiteral("has no run %1").arg(doomed)),
        testing::describe(compare).constData());

    // Deleted and the window closed while Undo was offered: purged as well.
    undo->setTimeoutMs(UndoDeleteBar::DefaultTimeoutMs);
    deleteStoredRows({ 0 });
    QTRY_COMPARE(storedModel()->count(), 1);
    QVERIFY(undo->isOffered());
    restartWindow();
    QCOMPARE(runRowsInFile(), 1);
    waitForStored(1);
    QCOMPARE(cliHistory().size(), 1);
}

void TestWindowHistory::deletedRunsArePurgedWithKeepRunsOff()
{
    // "Keep runs" unticked while Undo is offered: the deleted run still goes
    // from the file when the offer ends, as the user was told.
    runStored({ QStringLiteral("optimized"), QStringLiteral("optimized") });
    m_window->historyPanel()->pages()->setCurrentWidget(stored());
    UndoDeleteBar *undo = stored()->undoDelete();
    undo->setTimeoutMs(300);
    deleteStoredRows({ 0 });
    QTRY_COMPARE(storedModel()->count(), 1);
    auto *keep = m_window->findChild<QCheckBox *>(QStringLiteral("keepHistoryBox"));
    QVERIFY(keep && keep->isChecked());
    keep->setChecked(false);
    QTRY_VERIFY(!undo->isOffered());
    QTRY_COMPARE(runRowsInFile(), 1);
    keep->setChecked(true);
}

void TestWindowHistory::filterNarrowsTheList()
{
    openFolder(m_samples.path(), 2);
    runOnce();
    runOnce(QStringLiteral("naive"));
    openFolder(m_others.path(), 3);
    runOnce();
    waitForStored(3);

    QComboBox *folder = stored()->folderFilter();
    const int others = folder->findData(QDir(m_others.path()).absolutePath());
    QVERIFY2(others > 0, qPrintable(QStringLiteral("%1 folders listed").arg(folder->count())));
    folder->setCurrentIndex(others);
    waitForStored(1);
    QCOMPARE(storedModel()->entry(0).folder, QDir(m_others.path()).absolutePath());

    folder->setCurrentIndex(0);
    QComboBox *preset = stored()->presetFilter();
    preset->setCurrentIndex(preset->findData(QStringLiteral("optimized")));
    waitForStored(2);
    preset->setCurrentIndex(preset->findData(QStringLiteral("naive")));
    waitForStored(1);
    QCOMPARE(storedModel()->entry(0).preset, QStringLiteral("naive"));

    // Every run here is today's; none is older than the date filter's reach.
    preset->setCurrentIndex(0);
    stored()->dateFilter()->setCurrentIndex(1); // today
    waitForStored(3);
    HistoryFilter future;
    future.from = QDateTime::currentDateTime().addDays(1);
    storedModel()->setFilter(future);
    waitForStored(0);
}

void TestWindowHistory::pickedRunIsShownAndTwoCompared()
{
    openFolder(m_samples.path(), 2);
    runOnce();
    runOnce(QStringLiteral("naive"));
    restartWindow();
    waitForStored(2);

    // Picking a stored run reads its report back onto the dashboard.
    QSignalSpy read(m_window->historyPanel(), &HistoryPanel::storedRunRead);
    QTreeView *view = stored()->view();
    view->setCurrentIndex(storedModel()->index(1, 0));
    QTRY_COMPARE(read.count(), 1);
    const RunResult run = read.first().at(0).value<RunResult>();
    QCOMPARE(run.summary.imagesOk, 2);
    QCOMPARE(presetNameFor(run.config.toggles), QStringLiteral("optimized"));

    // Two picked: the comparison opens on both, read back into the session.
    view->selectionModel()->select(QItemSelection(storedModel()->index(0, 0), storedModel()->index(1, 0)),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    auto *compare = stored()->findChild<QPushButton *>(QStringLiteral("historyCompareButton"));
    QVERIFY(compare->isEnabled());
    QTest::mouseClick(compare, Qt::LeftButton);
    QTRY_VERIFY(m_window->comparisonDialog());
    QCOMPARE(m_window->historyModel()->count(), 2);
    // A is the older run (the reference), whichever was read back first.
    ComparisonDialog *dialog = m_window->comparisonDialog();
    QCOMPARE(m_window->historyModel()->entry(dialog->rowA()).preset, QStringLiteral("optimized"));
    QCOMPARE(m_window->historyModel()->entry(dialog->rowB()).preset, QStringLiteral("naive"));
    QVERIFY(m_window->historyModel()->entry(dialog->rowA()).isLoaded());
    m_window->comparisonDialog()->close();
}

void TestWindowHistory::comparisonIsKeptOnceAndReopens()
{
    runStored({ QStringLiteral("optimized"), QStringLiteral("naive") });
    RunHistoryModel *session = m_window->historyModel();
    QTRY_VERIFY(session->entry(0).storedId > 0 && session->entry(1).storedId > 0);
    const qint64 runA = session->entry(0).storedId, runB = session->entry(1).storedId;

    // The comparison the user opens (Compare… on the session page) is kept.
    QSignalSpy kept(m_window->historyDatabase(), &HistoryDatabase::comparisonStored);
    m_window->historyPanel()->pages()->setCurrentIndex(0);
    QTest::mouseClick(m_window->historyPanel()->findChild<QPushButton *>(QStringLiteral("compareRunsButton")),
        Qt::LeftButton);
    QTRY_VERIFY(m_window->comparisonDialog());
    ComparisonDialog *dialog = m_window->comparisonDialog();
    QCOMPARE(dialog->rowA(), 0);
    QCOMPARE(dialog->rowB(), 1);
    QTRY_COMPARE(kept.count(), 1);
    const HistoryComparisonEntry entry = kept.first().at(0).value<HistoryComparisonEntry>();
    QCOMPARE(entry.runA, runA);
    QCOMPARE(entry.runB, runB);
    const QString speedup = dialog->tableModel()->comparison().headline();

    // The same pair again (swapped, the list grown by a run: the dialog
    // computes it anew each time) is not kept again; a new pair is.
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("comparisonSwap")), Qt::LeftButton);
    QCOMPARE(dialog->rowA(), 1);
    runOnce();
    dialog->findChild<QComboBox *>(QStringLiteral("comparisonRunA"))->setCurrentIndex(2);
    QCOMPARE(dialog->rowB(), 0);
    // The database's jobs run in order: the new pair's arrives after any repeat of the first.
    QTRY_COMPARE(kept.count(), 2);
    QVERIFY(kept.at(1).at(0).value<HistoryComparisonEntry>().id != entry.id);
    StoredComparisonsList *list = m_window->historyPanel()->storedComparisons();
    QTRY_COMPARE(list->count(), 2);
    QCOMPARE(cliHistory({ QStringLiteral("--comparisons") }).size(), 2);
    dialog->close();

    // After a restart, the Comparisons page lists both; a double-click on the
    // first reopens it on the same two runs, and keeps nothing new.
    restartWindow();
    list = m_window->historyPanel()->storedComparisons();
    QTRY_COMPARE(list->count(), 2);
    m_window->historyPanel()->pages()->setCurrentWidget(list);
    const int row = list->rowOf(entry.id);
    QVERIFY(row >= 0);
    QTreeWidget *view = list->view();
    const QPoint where = view->visualRect(view->model()->index(row, 0)).center();
    QSignalSpy keptAgain(m_window->historyDatabase(), &HistoryDatabase::comparisonStored);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, where);
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, where);
    QTRY_VERIFY(m_window->comparisonDialog());
    dialog = m_window->comparisonDialog();
    session = m_window->historyModel();
    QCOMPARE(session->entry(dialog->rowA()).storedId, runA);
    QCOMPARE(session->entry(dialog->rowB()).storedId, runB);
    QCOMPARE(dialog->tableModel()->comparison().headline(), speedup);
    QTRY_COMPARE(keptAgain.count(), 1); // the pair it is: found, not added
    QCOMPARE(keptAgain.first().at(0).value<HistoryComparisonEntry>().id, entry.id);
    QCOMPARE(list->count(), 2);
    QCOMPARE(cliHistory({ QStringLiteral("--comparisons") }).size(), 2);
    dialog->close();
}

void TestWindowHistory::ablationEntryReopensItsChart()
{
    openFolder(m_samples.path(), 2);
    QSignalSpy finished(m_window.get(), &MainWindow::ablationFinished);
    QSignalSpy kept(m_window->historyDatabase(), &HistoryDatabase::ablationStored);
    QVERIFY(m_window->startAblation(1));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, RunTimeoutMs * 2);
    QTRY_VERIFY2_WITH_TIMEOUT(
        kept.count() == 1, qPrintable(m_window->historyPanel()->historyOffText()), RunTimeoutMs);
    const QStringList categories = m_window->ablationDialog()->categories();
    QVERIFY(!categories.isEmpty());
    const QString sentences = m_window->ablationDialog()->sentencesText();
    m_window->ablationDialog()->close();

    restartWindow();
    StoredAblationsList *list = m_window->historyPanel()->storedAblations();
    QTRY_COMPARE(list->count(), 1);
    QTreeWidgetItem *item = list->view()->topLevelItem(0);
    QCOMPARE(item->text(2), QFileInfo(m_samples.path()).fileName());
    list->view()->setCurrentItem(item);
    auto *open = list->findChild<QPushButton *>(QStringLiteral("openAblationButton"));
    QVERIFY(open->isEnabled());
    QTest::mouseClick(open, Qt::LeftButton);
    QTRY_VERIFY(m_window->ablationDialog());
    AblationDialog *dialog = m_window->ablationDialog();
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->categories(), categories);
    QCOMPARE(dialog->sentencesText(), sentences);
    dialog->close();
}

void TestWindowHistory::unusableDatabaseSaysSoAndRunsGoOn_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("says");
    QTest::newRow("read-only") << QStringLiteral("read-only") << QStringLiteral("read-only");
    QTest::newRow("corrupt") << QStringLiteral("corrupt") << QStringLiteral("history");
}

void TestWindowHistory::unusableDatabaseSaysSoAndRunsGoOn()
{
    QFETCH(QString, kind);
    QFETCH(QString, says);
    const QString path = m_dbDir->filePath(QStringLiteral("history.sqlite"));
    // A database from a first window, then spoilt before the next starts.
    openFolder(m_samples.path(), 2);
    runOnce();
    m_window->close();
    m_window.reset();
    if (kind == QLatin1String("read-only")) {
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
    } else {
        QFile::remove(path + QStringLiteral("-wal"));
        QFile::remove(path + QStringLiteral("-shm"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QByteArray(8192, 'x'));
    }
    startWindow();
    HistoryPanel *panel = m_window->historyPanel();
    QTRY_VERIFY(!panel->historyOffText().isEmpty());
    const QString line = panel->historyOffText();
    QVERIFY2(line.contains(says, Qt::CaseInsensitive), qPrintable(line));
    QVERIFY2(line.contains(path), qPrintable(line));
    QVERIFY(panel->findChild<QLabel *>(QStringLiteral("historyOffLine"))->isVisible());
    QTRY_VERIFY2(m_window->statusMessage().contains(QStringLiteral("History off")),
        qPrintable(m_window->statusMessage()));

    // Runs go on, in this session's list, and no dialog asks anything.
    openFolder(m_samples.path(), 2);
    QVERIFY(m_window->startRun());
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->isRunning() && m_window->historyModel()->count() == 1, RunTimeoutMs);
    QVERIFY(!QApplication::activeModalWidget());
    QCOMPARE(m_window->historyModel()->entry(0).result->summary.imagesOk, 2);
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
}

void TestWindowHistory::trendHasOnePointPerStoredRun()
{
    openFolder(m_samples.path(), 2);
    runOnce();
    runOnce(QStringLiteral("naive"));
    runOnce();
    m_window->togglePanel()->repetitionsBox()->setValue(2);
    runOnce();
    waitForStored(4);
    QTreeView *view = stored()->view();
    view->setCurrentIndex(storedModel()->index(0, 0)); // the optimized run with two repetitions
    TrendDialog *trend = stored()->showTrend();
    QVERIFY(trend);
    QSignalSpy points(trend, &TrendDialog::loaded);
    QTRY_COMPARE(points.count(), 1);
    // The three optimized runs, not the baseline one.
    QCOMPARE(points.first().at(0).toInt(), 3);
    QCOMPARE(trend->rateSeries()->count(), 3);
    QCOMPARE(trend->memorySeries()->count(), 3);
    QCOMPARE(trend->rateBand()->upperSeries()->count(), 3);
    // The last run's band spans its two repetitions.
    const TrendPoint &last = trend->points().back();
    QCOMPARE(last.imagesPerSecond.n, 2);
    QCOMPARE(trend->rateBand()->upperSeries()->at(2).y(), last.imagesPerSecond.max);
    QCOMPARE(trend->rateBand()->lowerSeries()->at(2).y(), last.imagesPerSecond.min);
    QVERIFY(trend->pointText(2, TrendMetric::ImagesPerSecond).contains(last.appVersion));
    trend->close();
}

void TestWindowHistory::trendMarksOnlyChangesBeyondTheSpread()
{
    auto point = [](std::vector<double> rates) {
        TrendPoint p;
        p.imagesPerSecond = spreadOf(std::move(rates));
        p.peakRssBytes = spreadOf({ 50.0 * 1024 * 1024 });
        return p;
    };
    // Within the spread, then 30 % slower beyond it, then single runs (no
    // spread: nothing is claimed, however far apart).
    const std::vector<TrendPoint> points { point({ 100, 104, 96 }), point({ 101, 99, 103 }),
        point({ 70, 72, 69 }), point({ 40 }), point({ 90 }) };
    const TrendLine line = trendLine(points, TrendMetric::ImagesPerSecond);
    QCOMPARE(line.points.size(), size_t(5));
    QCOMPARE(line.shifts.size(), size_t(1));
    QCOMPARE(line.shifts.front().x, 3.0);
    QCOMPARE(line.points[2].min, 69.0);
    QCOMPARE(line.points[2].max, 72.0);
    QCOMPARE(line.top, 104.0);
    QCOMPARE(trendLine(points, TrendMetric::PeakRssMiB).points.front().median, 50.0);
}

QTEST_MAIN(TestWindowHistory)
#include "tst_windowhistory.moc"
