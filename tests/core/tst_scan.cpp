// scan: which files of a folder are processed. Both paths of `single-scan`
// must list exactly the same files; the output folder is never an input.
#include "pipeline/stages/scan.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace pixelperf;

namespace {

bool touch(const QString &path)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write("x") == 1;
}

// The images at the top of the fixture folder, in sorted order.
const QStringList TopImages = { "a.jpg", "b.JPG", "c.Png", "d.jpeg", "e.BMP", "f.gif", "g.webp", "h.JpEg" };

} // namespace

class TestScan : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void extensionsAreTheSpecs();
    void bothScansListTheSameFiles_data();
    void bothScansListTheSameFiles();
    void symlinkLoopTerminates();
    void danglingSymlinkIsListed();
    void singleScanListsLess();
    void badFolderGivesClearError_data();
    void badFolderGivesClearError();
    void unreadableFolderGivesClearError();

private:
    QString in(const QString &rel = QString()) const
    {
        return rel.isEmpty() ? m_dir.filePath(QStringLiteral("in"))
                             : m_dir.filePath(QStringLiteral("in/") + rel);
    }
    QTemporaryDir m_dir;
};

void TestScan::initTestCase()
{
    QVERIFY(m_dir.isValid());
    for (const QString &name : TopImages)
        QVERIFY(touch(in(name)));
    // Not images: other suffixes, no suffix, a suffix in the middle, a
    // suffix-only name.
    for (const char *name : { "notes.txt", "photo.tiff", "jpg", "x.jpg.txt", "README" })
        QVERIFY(touch(in(QString::fromLatin1(name))));
    // A folder named like an image is not a file to process.
    QVERIFY(touch(in("folder.png/inner.jpg")));
    QVERIFY(touch(in("sub/s.png")));
    QVERIFY(touch(in("sub/deeper/t.jpg")));
    QVERIFY(touch(in("sub/deeper/notes.txt")));
    // A folder whose name starts like another's ("sub" / "subway").
    QVERIFY(touch(in("subway/w.jpg")));
    // A previous run's output, inside the input folder.
    QVERIFY(touch(in("out/processed_a.jpg")));
    QVERIFY(touch(in("out/nested/processed_s.png")));
}

void TestScan::extensionsAreTheSpecs()
{
    QStringList extensions = imageExtensions();
    extensions.sort();
    QCOMPARE(extensions, (QStringList { "bmp", "gif", "jpeg", "jpg", "png", "webp" }));
}

void TestScan::bothScansListTheSameFiles_data()
{
    QTest::addColumn<bool>("recursive");
    QTest::addColumn<QString>("exclude"); // relative to the fixture root; "" = none
    QTest::addColumn<QStringList>("expected"); // relative to in/

    const QStringList sub = { "sub/deeper/t.jpg", "sub/s.png" };
    const QStringList out = { "out/nested/processed_s.png", "out/processed_a.jpg" };
    const QStringList others = { "folder.png/inner.jpg", "subway/w.jpg" };
    auto sorted = [](QStringList l) {
        l.sort();
        return l;
    };

    QTest::newRow("flat") << false << QString() << TopImages;
    QTest::newRow("flat, output excluded") << false << "in/out" << TopImages;
    QTest::newRow("recursive") << true << QString() << sorted(TopImages + sub + out + others);
    QTest::newRow("recursive, output excluded") << true << "in/out" << sorted(TopImages + sub + others);
    // Shell completion writes folders with a trailing slash.
    QTest::newRow("recursive, output excluded with trailing slash")
        << true << "in/out/" << sorted(TopImages + sub + others);
    QTest::newRow("recursive, output excluded via ./")
        << true << "in/./out" << sorted(TopImages + sub + others);
    QTest::newRow("recursive, output excluded via ..")
        << true << "in/sub/../out" << sorted(TopImages + sub + others);
    // Excluding "sub" leaves "subway" alone: the match is by folder, not by
    // name prefix.
    QTest::newRow("recursive, sub excluded") << true << "in/sub" << sorted(TopImages + out + others);
    QTest::newRow("recursive, nested excluded")
        << true << "in/out/nested"
        << sorted(TopImages + sub + others + QStringList { "out/processed_a.jpg" });
    // An output folder elsewhere changes nothing.
    QTest::newRow("recursive, output elsewhere")
        << true << "elsewhere" << sorted(TopImages + sub + out + others);
}

void TestScan::bothScansListTheSameFiles()
{
    QFETCH(bool, recursive);
    QFETCH(QString, exclude);
    QFETCH(QStringList, expected);
    QStringList absolute;
    for (const QString &rel : expected)
        absolute << in(rel);
    const QString excludeDir = exclude.isEmpty() ? QString() : m_dir.filePath(exclude);

    const ScanResult single = scanImages(in(), recursive, excludeDir, true);
    const ScanResult perExtension = scanImages(in(), recursive, excludeDir, false);
    QVERIFY2(single.error.isEmpty(), qPrintable(single.error));
    QVERIFY2(perExtension.error.isEmpty(), qPrintable(perExtension.error));
    QCOMPARE(single.files, absolute);
    QCOMPARE(perExtension.files, absolute);
    // The folder given with a trailing slash lists the same.
    QCOMPARE(scanImages(in() + QLatin1Char('/'), recursive, excludeDir, true).files, absolute);
}

void TestScan::symlinkLoopTerminates()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString root = dir.filePath(QStringLiteral("loop"));
    QVERIFY(touch(root + QStringLiteral("/a.jpg")));
    QVERIFY(touch(root + QStringLiteral("/sub/b.png")));
    // sub/back -> the root: followed, it would never end.
    QVERIFY(QFile::link(root, root + QStringLiteral("/sub/back")));
    QVERIFY(QFile::link(root + QStringLiteral("/sub"), root + QStringLiteral("/sub/self")));
    const QStringList expected = { root + QStringLiteral("/a.jpg"), root + QStringLiteral("/sub/b.png") };
    for (bool singleScan : { true, false }) {
        const ScanResult r = scanImages(root, true, QString(), singleScan);
        QVERIFY(r.error.isEmpty());
        QCOMPARE(r.files, expected);
    }
}

void TestScan::danglingSymlinkIsListed()
{
    // A broken link named like an image is an input that fails (the run says
    // why), not one that silently vanishes; a link to an image is an image.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString root = dir.filePath(QStringLiteral("links"));
    QVERIFY(touch(root + QStringLiteral("/a.jpg")));
    QVERIFY(touch(root + QStringLiteral("/sub/b.png")));
    QVERIFY(QFile::link(QStringLiteral("missing.jpg"), root + QStringLiteral("/broken.jpg")));
    QVERIFY(QFile::link(QStringLiteral("self.PNG"), root + QStringLiteral("/self.PNG"))); // a loop
    QVERIFY(QFile::link(QStringLiteral("a.jpg"), root + QStringLiteral("/alias.jpg")));
    QVERIFY(QFile::link(QStringLiteral("gone.gif"), root + QStringLiteral("/sub/gone.gif")));
    // Not images: a broken link with another suffix, a link to a folder.
    QVERIFY(QFile::link(QStringLiteral("missing.txt"), root + QStringLiteral("/broken.txt")));
    QVERIFY(QFile::link(QStringLiteral("sub"), root + QStringLiteral("/folder.jpg")));
    // Nor a fifo named like one (opening it would wait for a writer).
    QCOMPARE(::mkfifo(QFile::encodeName(root + QStringLiteral("/pipe.jpg")).constData(), 0644), 0);
    const QStringList flat = { root + QStringLiteral("/a.jpg"), root + QStringLiteral("/alias.jpg"),
        root + QStringLiteral("/broken.jpg"), root + QStringLiteral("/self.PNG") };
    QStringList deep
        = flat + QStringList { root + QStringLiteral("/sub/b.png"), root + QStringLiteral("/sub/gone.gif") };
    deep.sort();
    for (bool singleScan : { true, false }) {
        const ScanResult r = scanImages(root, false, QString(), singleScan);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.files, flat);
        QCOMPARE(scanImages(root, true, QString(), singleScan).files, deep);
    }
}

void TestScan::singleScanListsLess()
{
    // Flat: one listing against one per extension.
    const ScanResult single = scanImages(in(), false, QString(), true);
    const ScanResult perExtension = scanImages(in(), false, QString(), false);
    QCOMPARE(single.listings, 1);
    QCOMPARE(perExtension.listings, int(imageExtensions().size()));
    // Recursive: still fewer, for every folder.
    const ScanResult singleDeep = scanImages(in(), true, QString(), true);
    const ScanResult perExtensionDeep = scanImages(in(), true, QString(), false);
    QVERIFY(singleDeep.listings > single.listings);
    QVERIFY2(singleDeep.listings < perExtensionDeep.listings,
        qPrintable(QStringLiteral("%1 vs %2").arg(singleDeep.listings).arg(perExtensionDeep.listings)));
}

void TestScan::badFolderGivesClearError_data()
{
    QTest::addColumn<QString>("path"); // relative to the fixture root
    QTest::addColumn<QString>("mentions");
    QTest::newRow("missing") << "no/such/folder"
                             << "does not exist";
    QTest::newRow("a file") << "in/a.jpg"
                            << "not a folder";
}

void TestScan::badFolderGivesClearError()
{
    QFETCH(QString, path);
    QFETCH(QString, mentions);
    const QString full = m_dir.filePath(path);
    for (bool singleScan : { true, false }) {
        for (bool recursive : { false, true }) {
            const ScanResult r = scanImages(full, recursive, QString(), singleScan);
            QVERIFY(r.files.isEmpty());
            QVERIFY2(r.error.contains(mentions), qPrintable(r.error));
            QVERIFY2(r.error.contains(full), qPrintable(r.error)); // names the folder
        }
    }
}

void TestScan::unreadableFolderGivesClearError()
{
    if (::geteuid() == 0)
        QSKIP("running as root: permissions do not stop root from listing");
    QTemporaryDir dir;
    const QString locked = dir.filePath(QStringLiteral("locked"));
    QVERIFY(touch(locked + QStringLiteral("/a.jpg")));
    QVERIFY(QFile::setPermissions(locked, QFileDevice::Permissions()));
    const ScanResult r = scanImages(locked, false, QString(), true);
    QFile::setPermissions(locked, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QVERIFY(r.files.isEmpty());
    QVERIFY2(r.error.contains(QLatin1String("permission")), qPrintable(r.error));
}

QTEST_GUILESS_MAIN(TestScan)
#include "tst_scan.moc"
