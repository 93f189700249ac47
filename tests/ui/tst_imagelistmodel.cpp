// The file list's model: a folder's images in, run records applied by path;
// at 100,000 rows under the list's sorting proxy and view, a refresh costs
// one change signal and work for the rows on screen, not for every row.
#include "imagelistmodel.h"
#include "samples/samplegenerator.h"

#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace pixelperf;

class TestImageListModel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void listsImagesOnly();
    void missingFolderIsAnError();
    void recordsUpdateRows();
    void unreachedRowsAreCancelled();
    void refreshOf100000RowsIsBoundedWork();
    void refreshInWorkOrderSignalsEachRunOfRows();
    void scatteredRefreshIsOneSignal();
    void sortValueIsWhatRowsCompareBy_data();
    void sortValueIsWhatRowsCompareBy();
    void sizesComeFromTheRunsRecords();
    void rowsAreFoundInAnyListOrder();

private:
    QTemporaryDir m_dir;
    QStringList m_files;
};

void TestImageListModel::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const GenerateResult r = generateSamples(m_dir.path(), 3, 64, 48);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    m_files = r.written;
    QFile notes(m_dir.filePath(QStringLiteral("notes.txt")));
    QVERIFY(notes.open(QIODevice::WriteOnly));
    notes.write("not an image");
}

void TestImageListModel::listsImagesOnly()
{
    ImageListModel m;
    QString error;
    QVERIFY(m.setFolder(m_dir.path(), &error));
    QVERIFY(error.isEmpty());
    QCOMPARE(m.count(), 3);
    QCOMPARE(m.rowCount(), 3);
    QCOMPARE(m.columnCount(), int(ImageListModel::ColumnCount));
    QVERIFY(m.totalBytes() > 0);
    QCOMPARE(m.data(m.index(0, ImageListModel::NameColumn)).toString(), QStringLiteral("sample_001.jpg"));
    QVERIFY(!m.data(m.index(0, ImageListModel::SizeColumn)).toString().isEmpty());
    QCOMPARE(m.statusAt(0), ImageListModel::Status::Idle);
    QVERIFY(m.rowOf(m.pathAt(2)) == 2);
}

void TestImageListModel::missingFolderIsAnError()
{
    ImageListModel m;
    QString error;
    QVERIFY(!m.setFolder(m_dir.filePath(QStringLiteral("nope")), &error));
    QVERIFY(error.contains(QStringLiteral("does not exist")));
}

void TestImageListModel::recordsUpdateRows()
{
    ImageListModel m;
    QVERIFY(m.setFolder(m_dir.path()));
    m.markQueued();
    QCOMPARE(m.countWithStatus(ImageListModel::Status::Queued), 3);

    ImageRecord ok;
    ok.path = m.pathAt(0);
    ok.ok = true;
    PipelineConfig run;
    run.inputDir = m_dir.path();
    run.outputDir = QStringLiteral("/out");
    ok.setOutput(std::make_shared<const OutputPlan>(run));
    ok.width = 32;
    ok.height = 24;
    ok.bytesOut = 2048;
    ok.setStageMs(Stage::Load, 1.5);
    ok.setStageMs(Stage::Save, 2.5);
    ImageRecord bad;
    bad.path = m.pathAt(1);
    bad.error = QStringLiteral("load: truncated JPEG");
    ImageRecord stranger; // a file the list does not know: ignored
    stranger.path = QStringLiteral("/elsewhere/x.jpg");
    m.applyRecords({ ok, bad, stranger });

    QCOMPARE(m.statusAt(0), ImageListModel::Status::Ok);
    QCOMPARE(m.statusTextAt(0), QStringLiteral("ok"));
    // Derived from the run's plan, as the run wrote it.
    QCOMPARE(m.outputAt(0), QStringLiteral("/out/processed_sample_001.jpg"));
    QVERIFY(m.data(m.index(0, ImageListModel::OutputColumn), Qt::ToolTipRole)
                .toString()
                .endsWith(QStringLiteral("/out/processed_sample_001.jpg")));
    QCOMPARE(m.outputAt(1), QString());
    QCOMPARE(m.data(m.index(0, ImageListModel::OutputColumn)).toString(), QStringLiteral("2.0 KiB"));
    QCOMPARE(m.data(m.index(0, ImageListModel::TimeColumn)).toString(), QStringLiteral("4.0 ms"));
    QCOMPARE(m.statusAt(1), ImageListModel::Status::Failed);
    QCOMPARE(m.data(m.index(1, ImageListModel::StatusColumn)).toString(), bad.error);
    QCOMPARE(m.statusAt(2), ImageListModel::Status::Queued);
    QCOMPARE(m.count(), 3);
}

void TestImageListModel::unreachedRowsAreCancelled()
{
    ImageListModel m;
    QVERIFY(m.setFolder(m_dir.path()));
    m.markQueued();
    ImageRecord ok;
    ok.path = m.pathAt(0);
    ok.ok = true;
    m.applyRecords({ ok });
    m.finishRun(true);
    QCOMPARE(m.statusAt(0), ImageListModel::Status::Ok);
    QCOMPARE(m.countWithStatus(ImageListModel::Status::Cancelled), 2);
    QCOMPARE(m.statusTextAt(1), QStringLiteral("cancelled"));
}

namespace {
// `model` lists `rows` files of 2 KiB, sorted as the scan gives them; their paths.
QStringList listPhotos(ImageListModel *model, int rows)
{
    QStringList paths;
    for (int i = 0; i < rows; ++i)
        paths << QStringLiteral("/photos/img_%1.jpg").arg(i, 6, 10, QLatin1Char('0'));
    model->setFiles(QStringLiteral("/photos"), paths, std::vector<int64_t>(size_t(rows), 2048));
    return paths;
}

// The model, counting what the proxy and the view ask of it.
class CountingModel : public ImageListModel
{
public:
    QVariant data(const QModelIndex &index, int role) const override
    {
        ++calls;
        return ImageListModel::data(index, role);
    }
    mutable qint64 calls = 0;
};
} // namespace

void TestImageListModel::refreshOf100000RowsIsBoundedWork()
{
    constexpr int Rows = 100000;
    CountingModel model;
    const QStringList paths = listPhotos(&model, Rows);
    QCOMPARE(model.totalBytes(), int64_t(Rows) * 2048);
    // As the folder panel shows it: sorted by name through a proxy.
    ImageListSortProxy proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(ImageListModel::SortRole);
    QTreeView view;
    view.setModel(&proxy);
    view.setUniformRowHeights(true);
    view.setSortingEnabled(true);
    view.sortByColumn(ImageListModel::NameColumn, Qt::AscendingOrder);
    view.resize(600, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy changed(&proxy, &QAbstractItemModel::dataChanged);

    // A run starts, then a refresh brings 1,000 records.
    model.calls = 0;
    model.markQueued();
    model.markQueued(); // the run's next repetition: every row waits already
    std::vector<ImageRecord> records;
    for (int i = 0; i < 1000; ++i) {
        ImageRecord r;
        r.index = 500 + i;
        r.path = paths[r.index];
        r.ok = true;
        r.bytesOut = 512;
        r.setStageMs(Stage::Load, 0.5);
        records.push_back(r);
    }
    model.applyRecords(records);
    QCOMPARE(changed.count(), 2); // one for the start, one for the refresh
    QCOMPARE(model.statusAt(500), ImageListModel::Status::Ok);
    QCOMPARE(model.statusAt(1499), ImageListModel::Status::Ok);
    QCOMPARE(model.statusAt(1500), ImageListModel::Status::Queued);
    view.viewport()->repaint();
    // The rows on screen (a few dozen, five columns, a few roles each), not
    // a look at each of 100,000 rows to keep them sorted.
    QVERIFY2(model.calls < 5000, qPrintable(QString::number(model.calls)));

    // The run's result at its end: rows that took their record as it went
    // keep it; only those still waiting take theirs, in one signal.
    std::vector<ImageRecord> result = records;
    result.front().ok = false;
    result.front().error = QStringLiteral("not this one");
    result.push_back(records.back());
    result.back().index = 2000;
    result.back().path = paths[2000];
    model.applyRecords(result, true);
    QCOMPARE(changed.count(), 3);
    QCOMPARE(model.statusAt(500), ImageListModel::Status::Ok);
    QCOMPARE(model.statusAt(2000), ImageListModel::Status::Ok);
    // A record whose index is not its row (another listing) is found by path.
    ImageRecord moved = records.front();
    moved.index = 7;
    moved.path = paths[9];
    model.applyRecords({ moved });
    QCOMPARE(model.statusAt(9), ImageListModel::Status::Ok);
    QCOMPARE(model.statusAt(7), ImageListModel::Status::Queued);
}

namespace {
// The list's proxy, counting the comparisons sorting costs.
class CountingProxy : public ImageListSortProxy
{
public:
    using ImageListSortProxy::ImageListSortProxy;
    mutable qint64 comparisons = 0;

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override
    {
        ++comparisons;
        return ImageListSortProxy::lessThan(left, right);
    }
};
} // namespace

namespace {
// `rows` listed photos, queued for a run, behind a proxy sorted by status
// that counts its comparisons.
struct SortedByStatus {
    explicit SortedByStatus(int rows)
        : paths(listPhotos(&model, rows))
    {
        proxy.setSourceModel(&model);
        proxy.setSortRole(ImageListModel::SortRole);
        proxy.sort(ImageListModel::StatusColumn);
        model.markQueued();
    }
    ImageRecord done(int row) const
    {
        ImageRecord r;
        r.index = row;
        r.path = paths[row];
        r.ok = true;
        return r;
    }
    int statusShownAt(int proxyRow) const
    {
        return proxy.mapToSource(proxy.index(proxyRow, 0)).data(ImageListModel::StatusRole).toInt();
    }
    ImageListModel model;
    QStringList paths;
    CountingProxy proxy;
};
} // namespace

void TestImageListModel::refreshInWorkOrderSignalsEachRunOfRows()
{
    // The work order puts costly images first: a refresh's records fall in
    // a few runs of rows far apart. Sorted by status, the proxy re-sorts
    // the rows a change names; naming every row between the first and the
    // last cost ~1 million comparisons a refresh at 100,000 rows.
    constexpr int Rows = 100000;
    SortedByStatus list(Rows);
    QSignalSpy changed(&list.model, &QAbstractItemModel::dataChanged);
    std::vector<ImageRecord> records;
    for (const int first : { 99900, 0, 50000 }) // in work order, not row order
        for (int i = first; i < first + 100; ++i)
            records.push_back(list.done(i));
    list.proxy.comparisons = 0;
    list.model.applyRecords(records);
    QVERIFY2(list.proxy.comparisons < 50000, qPrintable(QString::number(list.proxy.comparisons)));
    QCOMPARE(changed.count(), 3);
    const auto rangeOf = [&](int signal) {
        const QList<QVariant> args = changed.at(signal);
        return std::make_pair(args.at(0).toModelIndex().row(), args.at(1).toModelIndex().row());
    };
    QCOMPARE(rangeOf(0), std::make_pair(0, 99));
    QCOMPARE(rangeOf(1), std::make_pair(50000, 50099));
    QCOMPARE(rangeOf(2), std::make_pair(99900, 99999));
    // Sorted by status, the 300 rows done come after the waiting ones.
    QCOMPARE(list.statusShownAt(Rows - 1), int(ImageListModel::Status::Ok));
    QCOMPARE(list.statusShownAt(Rows - 301), int(ImageListModel::Status::Queued));
}

void TestImageListModel::scatteredRefreshIsOneSignal()
{
    // Images of many sizes in work order: a refresh's records fall on rows
    // all over the list. A signal per row would have a proxy sorted by
    // status move its mapping (and a view lay itself out) once per row, a
    // thousand times a refresh; they go as one span instead.
    constexpr int Rows = 100000;
    SortedByStatus list(Rows);
    QSignalSpy changed(&list.model, &QAbstractItemModel::dataChanged);
    QSignalSpy layouts(&list.proxy, &QAbstractItemModel::layoutChanged);
    std::vector<ImageRecord> records;
    for (int i = 37; i < Rows; i += 100)
        records.push_back(list.done(i));
    list.model.applyRecords(records);
    QCOMPARE(changed.count(), 1);
    QVERIFY(layouts.count() <= 1);
    QCOMPARE(list.statusShownAt(Rows - 1), int(ImageListModel::Status::Ok));
    QCOMPARE(list.statusShownAt(Rows - 1001), int(ImageListModel::Status::Queued));
}

void TestImageListModel::sortValueIsWhatRowsCompareBy_data()
{
    QTest::addColumn<int>("column");
    QTest::newRow("name") << int(ImageListModel::NameColumn);
    QTest::newRow("size") << int(ImageListModel::SizeColumn);
    QTest::newRow("status") << int(ImageListModel::StatusColumn);
    QTest::newRow("output") << int(ImageListModel::OutputColumn);
    QTest::newRow("time") << int(ImageListModel::TimeColumn);
}

void TestImageListModel::sortValueIsWhatRowsCompareBy()
{
    // The list sorts through rowLessThan(); SortRole gives the same values
    // to anything else that sorts (a proxy of another kind, a test).
    QFETCH(int, column);
    const QStringList paths { QStringLiteral("/p/b.jpg"), QStringLiteral("/p/a.jpg"),
        QStringLiteral("/p/sub/c.jpg"), QStringLiteral("/p/d.png") };
    ImageListModel m;
    m.setFiles(QStringLiteral("/p"), paths, { 300, 100, 200, 100 });
    m.markQueued();
    std::vector<ImageRecord> records(3);
    for (int i = 0; i < 3; ++i) {
        records[size_t(i)].index = i;
        records[size_t(i)].path = paths[i];
        records[size_t(i)].ok = i != 1;
        records[size_t(i)].bytesOut = 1000 - 100 * i;
        records[size_t(i)].setStageMs(Stage::Load, 3.0 - i);
    }
    m.applyRecords(records);
    for (int a = 0; a < m.count(); ++a) {
        for (int b = 0; b < m.count(); ++b) {
            const QVariant x = m.data(m.index(a, column), ImageListModel::SortRole);
            const QVariant y = m.data(m.index(b, column), ImageListModel::SortRole);
            QVERIFY(x.isValid());
            const bool less = QVariant::compare(x, y) == QPartialOrdering::Less;
            QVERIFY2(
                m.rowLessThan(a, b, column) == less, qPrintable(QStringLiteral("rows %1, %2").arg(a).arg(b)));
        }
    }
    QCOMPARE(m.data(m.index(2, ImageListModel::NameColumn)).toString(), QStringLiteral("sub/c.jpg"));
}

void TestImageListModel::sizesComeFromTheRunsRecords()
{
    // The folder changed since it was listed: the list shows the run's
    // files, with the sizes the run read, not each file read again on the
    // window's thread.
    ImageListModel m;
    QVERIFY(m.setFolder(m_dir.path()));
    const int64_t listed1 = QFileInfo(m.pathAt(1)).size();
    const QString added = m_dir.filePath(QStringLiteral("added.png"));
    QFile file(added);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(QByteArray(1234, 'x')), 1234);
    file.close();
    RunResult run;
    run.files = QStringList { m.pathAt(0), m.pathAt(1), added };
    run.images.resize(3);
    run.images[0].path = run.files[0];
    run.images[0].bytesIn = 777; // read by the run (a size that is not the file's: taken from here)
    run.images[1].path = run.files[1];
    run.images[1].fromCache = true; // from the decode cache: nothing read, the listed size kept
    run.images[2].path = added; // failed before reading, and not listed: read from the disk
    QVERIFY(m.sizesFrom(run) == (std::vector<int64_t> { 777, listed1, 1234 }));
    QVERIFY(QFile::remove(added));
}

void TestImageListModel::rowsAreFoundInAnyListOrder()
{
    // Chosen files come in the order given: rows are found by path all the
    // same, and a record whose index is not its row finds its row.
    const QStringList paths { QStringLiteral("/p/z.jpg"), QStringLiteral("/p/a.jpg"),
        QStringLiteral("/p/m.jpg") };
    ImageListModel m;
    m.setFiles(QStringLiteral("/p"), paths, { 1, 2, 3 });
    for (int i = 0; i < paths.size(); ++i)
        QCOMPARE(m.rowOf(paths[i]), i);
    QCOMPARE(m.rowOf(QStringLiteral("/p/b.jpg")), -1);
    m.markQueued();
    ImageRecord rec;
    rec.index = 0;
    rec.path = paths[2];
    rec.ok = true;
    m.applyRecords({ rec });
    QCOMPARE(m.statusAt(2), ImageListModel::Status::Ok);
    QCOMPARE(m.statusAt(0), ImageListModel::Status::Queued);
    QCOMPARE(m.paths(), paths);
}

QTEST_MAIN(TestImageListModel)
#include "tst_imagelistmodel.moc"
