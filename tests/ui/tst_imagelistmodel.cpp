// The file list's model: a folder's images in, run records applied by path.
#include "imagelistmodel.h"
#include "samples/samplegenerator.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

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
    ok.output = QStringLiteral("/out/processed_sample_001.jpg");
    ok.width = 32;
    ok.height = 24;
    ok.bytesOut = 2048;
    ok.stageMs[size_t(Stage::Load)] = 1.5;
    ok.stageMs[size_t(Stage::Save)] = 2.5;
    ImageRecord bad;
    bad.path = m.pathAt(1);
    bad.error = QStringLiteral("load: truncated JPEG");
    ImageRecord stranger; // a file the list does not know: ignored
    stranger.path = QStringLiteral("/elsewhere/x.jpg");
    m.applyRecords({ ok, bad, stranger });

    QCOMPARE(m.statusAt(0), ImageListModel::Status::Ok);
    QCOMPARE(m.statusTextAt(0), QStringLiteral("ok"));
    QCOMPARE(m.outputAt(0), ok.output);
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

QTEST_GUILESS_MAIN(TestImageListModel)
#include "tst_imagelistmodel.moc"
