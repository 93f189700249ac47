// The Download Sample Images dialog, driven with clicks (offscreen) against
// a real HTTP server on 127.0.0.1: a mix of good and bad entries, retry,
// cancel, a broken manifest, "Open in PixelPerf".
#include "downloaddialog.h"
#include "httpfixture.h"
#include "imagebytes.h"
#include "isolatedsettings.h"
#include "samples/sampledownloader.h"
#include "testimages.h"

#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace pixelperf;
using namespace pixelperf::testing;

namespace {

QStringList listing(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

} // namespace

class TestDownloadDialog : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();

    void defaults();
    void mixOfGoodAndBadThenRetry();
    void allGoodOpensTheFolder();
    void cancelInTheMiddle();
    void closingWhileBusyCancels();
    void existingFileIsSkipped();
    void brokenManifestIsReported();
    void allFailedLeavesNothingBehind();

private:
    QString manifest(const QStringList &paths, const QString &name);
    QPushButton *button(const char *name) const;
    QTableWidget *table() const { return m_dialog->findChild<QTableWidget *>("filesTable"); }
    QString cell(int row, int column) const
    {
        const QTableWidgetItem *item = table()->item(row, column);
        return item ? item->text() : QString();
    }
    QString status() const { return m_dialog->findChild<QLabel *>("statusLabel")->text(); }
    void click(const char *name) { QTest::mouseClick(button(name), Qt::LeftButton); }

    test::IsolatedSettings m_settings;
    HttpFixture m_server;
    QByteArray m_good1, m_good2;
    std::unique_ptr<QTemporaryDir> m_tmp;
    std::unique_ptr<DownloadDialog> m_dialog;
    QString m_dest;
};

QString TestDownloadDialog::manifest(const QStringList &paths, const QString &name)
{
    QByteArray json = "[";
    for (int i = 0; i < paths.size(); ++i)
        json += QByteArray(i ? ", " : " ") + "{ \"url\": \"" + m_server.url(paths[i]).toEncoded()
            + "\", \"author\": \"Tester\", \"license\": \"CC0\" }";
    json += " ]";
    const QString path = m_tmp->filePath(name);
    return writeFile(path, json) ? path : QString();
}

QPushButton *TestDownloadDialog::button(const char *name) const
{
    return m_dialog->findChild<QPushButton *>(QLatin1String(name));
}

void TestDownloadDialog::initTestCase()
{
    QVERIFY(m_settings.setUp(QStringLiteral("tst_downloaddialog")));
    QVERIFY(m_server.listen());
    m_good1 = jpegBytes(photoLike(120, 80, 21));
    m_good2 = jpegBytes(photoLike(80, 120, 22));
    m_server.setRoute("/good1.jpg", imageRoute(m_good1));
    m_server.setRoute("/good2.jpg", imageRoute(m_good2));
    m_server.setRoute("/page.jpg", imageRoute("<html><body>Log in to continue</body></html>", "text/html"));
    m_server.setRoute("/loop.jpg", redirectRoute("/loop.jpg"));
    m_server.setRoute("/stall.jpg", modeRoute(HttpRoute::Mode::Stall));
    m_server.setRoute(
        "/slow.jpg", modeRoute(HttpRoute::Mode::StallAfter, m_good1 + QByteArray(50000, 'x'), 4000));
}

void TestDownloadDialog::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_tmp->isValid());
    m_dest = m_tmp->filePath("samples");
    m_server.setRoute("/flaky.jpg", statusRoute(503, "Service Unavailable"));
    m_dialog = std::make_unique<DownloadDialog>();
    m_dialog->setDestination(m_dest);
    m_dialog->setStallTimeoutMs(300);
    m_dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_dialog.get()));
}

void TestDownloadDialog::cleanup()
{
    m_dialog.reset();
    m_server.closeAll();
    m_tmp.reset();
}

void TestDownloadDialog::defaults()
{
    DownloadDialog fresh;
    QVERIFY(fresh.destination().endsWith("PixelPerf samples"));
    QVERIFY(fresh.destination().startsWith(QStandardPaths::writableLocation(QStandardPaths::PicturesLocation))
        || fresh.destination().startsWith(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
    QCOMPARE(fresh.count(), 12);
    QVERIFY(fresh.manifestLocation().isEmpty()); // the built-in list
    QVERIFY(!fresh.findChild<QLineEdit *>("manifestEdit")->placeholderText().isEmpty());
    QVERIFY(fresh.findChild<QPushButton *>("downloadButton")->isEnabled());
    QVERIFY(!fresh.findChild<QPushButton *>("cancelButton")->isEnabled());
    QVERIFY(!fresh.findChild<QPushButton *>("retryButton")->isEnabled());
    QVERIFY(!fresh.findChild<QPushButton *>("openButton")->isEnabled());
}

void TestDownloadDialog::mixOfGoodAndBadThenRetry()
{
    m_dialog->setManifestLocation(manifest(
        { "/good1.jpg", "/flaky.jpg", "/page.jpg", "/loop.jpg", "/stall.jpg", "/good2.jpg" }, "mix.json"));
    m_dialog->findChild<QSpinBox *>("countSpin")->setValue(6);
    click("downloadButton");
    QVERIFY(m_dialog->isBusy());
    QVERIFY(button("cancelButton")->isEnabled());
    QVERIFY(!button("downloadButton")->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(!m_dialog->isBusy(), 10000);

    QCOMPARE(table()->rowCount(), 6);
    const QStringList states { "Done", "Failed", "Failed", "Failed", "Failed", "Done" };
    for (int row = 0; row < 6; ++row)
        QCOMPARE(cell(row, 2), states[row]);
    QCOMPARE(cell(0, 0), QStringLiteral("good1.jpg"));
    QVERIFY2(cell(0, 3).contains("Tester, CC0"), qPrintable(cell(0, 3)));
    QVERIFY2(cell(1, 3).contains("HTTP 503 Service Unavailable"), qPrintable(cell(1, 3)));
    QVERIFY2(cell(2, 3).contains("the server sent text/html"), qPrintable(cell(2, 3)));
    QVERIFY2(cell(3, 3).contains("redirect loop"), qPrintable(cell(3, 3)));
    QVERIFY2(cell(4, 3).contains("timed out"), qPrintable(cell(4, 3)));
    auto *bar = qobject_cast<QProgressBar *>(table()->cellWidget(0, 1));
    QVERIFY(bar);
    QCOMPARE(bar->value(), bar->maximum());
    QVERIFY2(status().contains("2 of 6 images"), qPrintable(status()));
    QVERIFY(button("retryButton")->isEnabled());
    QVERIFY(button("openButton")->isEnabled()); // two are there already
    QVERIFY(!button("cancelButton")->isEnabled());
    QCOMPARE(listing(m_dest), (QStringList { "good1.jpg", "good2.jpg" }));

    // The server recovers: Retry Failed fetches only what failed.
    m_server.setRoute("/flaky.jpg", imageRoute(m_good2));
    m_server.resetHits();
    click("retryButton");
    QTRY_VERIFY_WITH_TIMEOUT(!m_dialog->isBusy(), 10000);
    QCOMPARE(cell(1, 2), QStringLiteral("Done"));
    QCOMPARE(cell(2, 2), QStringLiteral("Failed"));
    QCOMPARE(m_server.hits("/good1.jpg"), 0);
    QCOMPARE(m_server.hits("/flaky.jpg"), 1);
    QCOMPARE(listing(m_dest), (QStringList { "flaky.jpg", "good1.jpg", "good2.jpg" }));
    QVERIFY2(status().contains("3 of 6 images"), qPrintable(status()));
}

void TestDownloadDialog::allGoodOpensTheFolder()
{
    m_dialog->setManifestLocation(manifest({ "/good1.jpg", "/good2.jpg" }, "good.json"));
    QSignalSpy open(m_dialog.get(), &DownloadDialog::openFolderRequested);
    click("downloadButton");
    QTRY_VERIFY_WITH_TIMEOUT(button("openButton")->isEnabled(), 10000);
    QVERIFY2(status().startsWith("All 2 image(s) are in"), qPrintable(status()));
    QVERIFY(!button("retryButton")->isEnabled());
    const auto *overall = m_dialog->findChild<QProgressBar *>("overallProgress");
    QCOMPARE(overall->value(), 2);
    QCOMPARE(overall->maximum(), 2);
    click("openButton");
    QCOMPARE(open.size(), 1);
    QCOMPARE(open.first().first().toString(), m_dest);
    QCOMPARE(m_dialog->result(), int(QDialog::Accepted));
}

void TestDownloadDialog::cancelInTheMiddle()
{
    m_dialog->setStallTimeoutMs(60000); // only Cancel ends these
    m_dialog->setManifestLocation(manifest({ "/slow.jpg", "/stall.jpg", "/stall.jpg" }, "slow.json"));
    click("downloadButton");
    QTRY_VERIFY_WITH_TIMEOUT(
        m_dialog->downloader()->count() == 3 && m_dialog->downloader()->file(0).received > 0, 10000);
    QCOMPARE(cell(0, 2), QStringLiteral("Downloading"));
    click("cancelButton");
    QTRY_VERIFY_WITH_TIMEOUT(!m_dialog->isBusy(), 10000);
    for (int row = 0; row < 3; ++row)
        QCOMPARE(cell(row, 2), QStringLiteral("Cancelled"));
    QCOMPARE(listing(m_dest), QStringList()); // no partial file left
    QVERIFY(button("retryButton")->isEnabled());
    QVERIFY(!button("openButton")->isEnabled());
    QVERIFY(button("downloadButton")->isEnabled());
    QVERIFY2(status().contains("3 cancelled"), qPrintable(status()));
}

void TestDownloadDialog::closingWhileBusyCancels()
{
    m_dialog->setStallTimeoutMs(60000);
    m_dialog->setManifestLocation(manifest({ "/slow.jpg" }, "close.json"));
    click("downloadButton");
    QTRY_VERIFY_WITH_TIMEOUT(
        m_dialog->downloader()->count() == 1 && m_dialog->downloader()->file(0).received > 0, 10000);
    QTest::keyClick(m_dialog.get(), Qt::Key_Escape);
    QVERIFY(!m_dialog->isVisible());
    QCOMPARE(m_dialog->downloader()->file(0).state, SampleState::Cancelled);
    QCOMPARE(listing(m_dest), QStringList());
}

void TestDownloadDialog::existingFileIsSkipped()
{
    QVERIFY(QDir().mkpath(m_dest));
    QVERIFY(writeFile(m_dest + "/good1.jpg", "mine"));
    m_dialog->setManifestLocation(manifest({ "/good1.jpg", "/good2.jpg" }, "skip.json"));
    click("downloadButton");
    QTRY_VERIFY_WITH_TIMEOUT(button("openButton")->isEnabled(), 10000);
    QCOMPARE(cell(0, 2), QStringLiteral("Skipped"));
    QVERIFY2(cell(0, 3).contains("never overwritten"), qPrintable(cell(0, 3)));
    QCOMPARE(cell(1, 2), QStringLiteral("Done"));
    QVERIFY2(status().contains("1 already there"), qPrintable(status()));
    QFile mine(m_dest + "/good1.jpg");
    QVERIFY(mine.open(QIODevice::ReadOnly));
    QCOMPARE(mine.readAll(), QByteArray("mine"));
}

void TestDownloadDialog::brokenManifestIsReported()
{
    const QString path = m_tmp->filePath("broken.json");
    QVERIFY(writeFile(path, "{ \"samples\": [ { \"name\": \"x.jpg\" } ] }"));
    m_dialog->setManifestLocation(path);
    click("downloadButton");
    QTRY_VERIFY_WITH_TIMEOUT(!m_dialog->isBusy(), 10000);
    QVERIFY2(status().contains("entry 1: \"url\" is missing"), qPrintable(status()));
    QCOMPARE(table()->rowCount(), 0);
    QVERIFY(button("downloadButton")->isEnabled());
    QVERIFY(!QFileInfo::exists(m_dest));
}

void TestDownloadDialog::allFailedLeavesNothingBehind()
{
    // Every file fails: the overall bar counts what arrived (none), not what
    // finished, and the folder made for the batch is not left behind empty.
    QVERIFY(!QFileInfo::exists(m_dest));
    m_dialog->setManifestLocation(manifest({ "/flaky.jpg", "/page.jpg" }, "bad.json"));
    m_dialog->findChild<QSpinBox *>("countSpin")->setValue(2);
    click("downloadButton");
    QTRY_VERIFY_WITH_TIMEOUT(!m_dialog->isBusy(), 10000);
    QCOMPARE(cell(0, 2), QStringLiteral("Failed"));
    QCOMPARE(cell(1, 2), QStringLiteral("Failed"));
    const auto *overall = m_dialog->findChild<QProgressBar *>("overallProgress");
    QCOMPARE(overall->value(), 0);
    QCOMPARE(overall->maximum(), 2);
    QVERIFY(!QFileInfo::exists(m_dest));
    QVERIFY(!button("openButton")->isEnabled());
}

QTEST_MAIN(TestDownloadDialog)
#include "tst_downloaddialog.moc"
