// The order a run's workers take images in: slowest first with several
// workers (a progressive JPEG counts five times its pixels), as listed with one.
#include "badinputs.h"
#include "pipeline/workorder.h"
#include "testimages.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace pixelperf;
using namespace pixelperf::testing;

class TestWorkOrder : public QObject
{
    Q_OBJECT

private slots:
    void costFromTheHeader();
    void slowestFirstWithSeveralWorkers();

private:
    QString write(const QString &name, const QByteArray &bytes);
    QTemporaryDir m_dir;
};

QString TestWorkOrder::write(const QString &name, const QByteArray &bytes)
{
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        return {};
    return path;
}

void TestWorkOrder::costFromTheHeader()
{
    const QString sequential = write(QStringLiteral("a.jpg"), jpegBytes(photoLike(320, 200)));
    const QString progressive
        = write(QStringLiteral("b.jpg"), progressiveJpeg(toQImage(photoLike(320, 200))));
    const QString notJpeg = write(QStringLiteral("c.jpg"), QByteArray(1000, 'x'));
    QCOMPARE(decodeCostHint(sequential), int64_t(320 * 200));
    QCOMPARE(decodeCostHint(progressive), int64_t(5 * 320 * 200));
    QCOMPARE(decodeCostHint(notJpeg), int64_t(1000)); // its size
    QCOMPARE(decodeCostHint(m_dir.filePath(QStringLiteral("missing.jpg"))), int64_t(0));
}

void TestWorkOrder::slowestFirstWithSeveralWorkers()
{
    const QStringList files { write(QStringLiteral("1.jpg"), jpegBytes(photoLike(64, 48))),
        write(QStringLiteral("2.jpg"), progressiveJpeg(toQImage(photoLike(200, 100)))),
        write(QStringLiteral("3.jpg"), jpegBytes(photoLike(400, 300))),
        write(QStringLiteral("4.jpg"), jpegBytes(photoLike(64, 48))) };
    QVERIFY(!files.contains(QString()));
    QCOMPARE(workOrder(files, 1), (std::vector<int> { 0, 1, 2, 3 }));
    // 200x100 progressive (5 x 20000) before 400x300 sequential (120000);
    // equal costs keep their listed order.
    QCOMPARE(workOrder(files, 2), (std::vector<int> { 2, 1, 0, 3 }));
}

QTEST_GUILESS_MAIN(TestWorkOrder)
#include "tst_workorder.moc"
