// The output folder through pixelperf-cli: created when missing; refused
// before any work when it cannot be written; never scanned when it sits
// inside the input folder; refused when it is the input folder however it is
// spelt; no output lost to a name clash; and a disk that fills up while
// saving leaves no partial file, names the image, and the batch goes on.
#include "badinputs.h"
#include "clirunner.h"
#include "pipeline/stages/load.h"
#include "testimages.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QJsonArray>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <grp.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace pixelperf;
using namespace pixelperf::testing;

namespace {

void dropRootInChild()
{
    if (::geteuid() != 0)
        return;
    if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0)
        ::_exit(125);
}

// Every file and folder under `dir`, relative, with its size: a fingerprint
// to show that nothing changed.
QStringList listing(const QString &dir)
{
    QStringList entries;
    QDirIterator it(dir, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
        QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QFileInfo info(it.next());
        entries << QStringLiteral("%1 %2").arg(QDir(dir).relativeFilePath(info.filePath())).arg(info.size());
    }
    entries.sort();
    return entries;
}

QStringList files(const QString &dir)
{
    QStringList names
        = QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    names.sort();
    return names;
}

QJsonObject imageByName(const QJsonObject &report, const QString &name)
{
    for (const QJsonValue &v : report.value("images").toArray())
        if (QFileInfo(v.toObject().value("path").toString()).fileName() == name)
            return v.toObject();
    return {};
}

QColor centreOf(const QString &path)
{
    const LoadResult r = loadImage(path, LoadRequest {}, false);
    if (!r.image)
        return {};
    const PixelBuffer &p = r.image->pixels;
    const uint8_t *px = p.row(p.height() / 2) + size_t(p.width() / 2) * 3;
    return QColor(px[0], px[1], px[2]);
}

// An output's colour is its input's, give or take the codec's error.
bool closeTo(const QColor &c, QRgb colour)
{
    return std::abs(c.red() - qRed(colour)) < 40 && std::abs(c.green() - qGreen(colour)) < 40
        && std::abs(c.blue() - qBlue(colour)) < 40;
}

QByteArray solidPng(int w, int h, QRgb colour)
{
    QImage image(w, h, QImage::Format_RGB888);
    image.fill(colour);
    return qtEncode(image, "png");
}

// A shell in its own mount namespace, so a tmpfs mounted there vanishes with
// it: `unshare -m sh -c SCRIPT sh ARGS...`.
ProgramRun inMountNamespace(const QString &script, const QStringList &args)
{
    const QString unshare = QStandardPaths::findExecutable(QStringLiteral("unshare"));
    if (unshare.isEmpty())
        return {};
    return runProgram(unshare, QStringList { "-m", "sh", "-c", script, "sh" } + args);
}

// pixelperf-cli `args`, with an empty read-only tmpfs mounted on `dir`.
ProgramRun cliOnReadOnlyMount(const QString &dir, const QStringList &args)
{
    return inMountNamespace(QStringLiteral("mount -t tmpfs -o ro,size=64k pixelperf-ro \"$1\" || exit 99; "
                                           "shift; exec \"$@\""),
        QStringList { dir, QStringLiteral(PIXELPERF_CLI_PATH) } + args);
}

bool canMountTmpfs(const QString &probeDir)
{
    if (!QDir().mkpath(probeDir))
        return false;
    const ProgramRun r
        = inMountNamespace(QStringLiteral("mount -t tmpfs -o size=64k pixelperf-probe \"$1\""), { probeDir });
    return r.exitCode == 0;
}

} // namespace

class TestCliOutput : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void missingOutputFolderCreated();
    void unwritableOutputRefusedBeforeWork_data();
    void unwritableOutputRefusedBeforeWork();
    void outputInsideInputNeverScanned();
    void outputEqualToInputRefused_data();
    void outputEqualToInputRefused();
    void nameClashKeepsEveryOutput();
    void longNamesAreCutToFit();
    void reportsGoWhereTheirPathLeads();
    void unwritableReportRefusedBeforeWork();
    void plantedLinkIsNotFollowed();
    void fullDiskLeavesNoPartialFile_data();
    void fullDiskLeavesNoPartialFile();

private:
    QString path(const QString &rel) const { return m_tmp.filePath(rel); }

    QTemporaryDir m_tmp;
    QString m_in; // two photos
    QStringList m_inBefore;
};

void TestCliOutput::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    ::umask(022);
    QVERIFY(::chmod(QFile::encodeName(m_tmp.path()).constData(), 0777) == 0);
    m_in = path("in");
    QVERIFY(QDir().mkpath(m_in));
    QVERIFY(writeFile(QDir(m_in).filePath("one.jpg"), jpegBytes(photoLike(160, 100, 1))));
    QVERIFY(writeFile(QDir(m_in).filePath("two.png"), qtEncode(toQImage(photoLike(160, 100, 2)), "png")));
    m_inBefore = listing(m_in);
}

void TestCliOutput::missingOutputFolderCreated()
{
    const QString out = path("not/there/yet");
    QVERIFY(!QFileInfo::exists(path("not")));
    const ProgramRun r = runCli({ "run", m_in, "-o", out, "--size", "64x48", "--quiet" });
    QVERIFY2(r.exitCode == 0, describe(r).constData());
    QCOMPARE(files(out), QStringList({ "processed_one.jpg", "processed_two.png" }));
    QCOMPARE(listing(m_in), m_inBefore);
}

void TestCliOutput::unwritableOutputRefusedBeforeWork_data()
{
    QTest::addColumn<QString>("output"); // relative to the temporary root
    QTest::addColumn<QString>("setup"); // "", "unprivileged", "read-only mount"
    QTest::addColumn<QString>("mentions");

    QTest::newRow("a regular file on the way") << "blocker/out"
                                               << ""
                                               << "cannot create output folder";
    QTest::newRow("a regular file") << "blocker"
                                    << ""
                                    << "exists and is not a folder";
    // As root, the CLI runs as an unprivileged user: root writes anywhere.
    QTest::newRow("folder without write permission") << "sealed"
                                                     << "unprivileged"
                                                     << "is not writable";
    QTest::newRow("inside a folder without write permission") << "sealed/sub"
                                                              << "unprivileged"
                                                              << "cannot create output folder";
    QTest::newRow("read-only file system") << "ro"
                                           << "read-only mount"
                                           << "is not writable";
    QTest::newRow("inside a read-only file system") << "ro/sub"
                                                    << "read-only mount"
                                                    << "cannot create output folder";
}

void TestCliOutput::unwritableOutputRefusedBeforeWork()
{
    QFETCH(QString, output);
    QFETCH(QString, setup);
    QFETCH(QString, mentions);
    if (!QFileInfo::exists(path("blocker")))
        QVERIFY(writeFile(path("blocker"), "a file, not a folder"));
    if (!QFileInfo::exists(path("sealed"))) {
        QVERIFY(QDir().mkpath(path("sealed")));
        QVERIFY(::chmod(QFile::encodeName(path("sealed")).constData(), 0555) == 0);
    }
    QVERIFY(QDir().mkpath(path("ro")));
    const QString report = path("unwritable.json");
    QFile::remove(report);
    const QStringList args = { "run", m_in, "-o", path(output), "--size", "64x48", "--report", report };

    ProgramRun r;
    if (setup == QLatin1String("read-only mount")) {
        if (!canMountTmpfs(path("mount-probe")))
            QSKIP("cannot mount a tmpfs here (needs root and mount namespaces)");
        r = cliOnReadOnlyMount(path("ro"), args);
    } else {
        r = runCli(args, setup == QLatin1String("unprivileged") ? dropRootInChild : std::function<void()>());
    }
    QVERIFY2(r.exitCode == 2, describe(r).constData());
    QVERIFY2(r.err.contains(mentions) && r.err.contains(path(output)), describe(r).constData());
    // Before any work: no summary, no report, no outputs, the input as it was.
    QVERIFY2(r.out.isEmpty(), qPrintable(r.out));
    QVERIFY(!QFileInfo::exists(report));
    QCOMPARE(listing(m_in), m_inBefore);
    if (setup != QLatin1String("read-only mount"))
        QCOMPARE(listing(path("sealed")), QStringList());
}

void TestCliOutput::outputInsideInputNeverScanned()
{
    // A copy of the input with a subfolder, the output folder inside it.
    const QString in = path("nest");
    QVERIFY(QDir().mkpath(in + "/album"));
    QVERIFY(QFile::copy(QDir(m_in).filePath("one.jpg"), in + "/one.jpg"));
    QVERIFY(QFile::copy(QDir(m_in).filePath("two.png"), in + "/album/two.png"));
    const QString out = in + "/processed";
    int totals[2] = {};
    for (int i = 0; i < 2; ++i) {
        const QString report = path(QStringLiteral("nest-%1.json").arg(i));
        const ProgramRun r = runCli(
            { "run", in, "-o", out, "--recursive", "--size", "64x48", "--report", report, "--quiet" });
        QVERIFY2(r.exitCode == 0, describe(r).constData());
        const QJsonObject j = readJsonFile(report);
        totals[i] = j.value("summary").toObject().value("images_total").toInt();
        for (const QJsonValue &v : j.value("images").toArray())
            QVERIFY2(!v.toObject().value("path").toString().startsWith(out),
                qPrintable(v.toObject().value("path").toString()));
    }
    // The second run found the first run's outputs beside its inputs and
    // left them alone.
    QCOMPARE(totals[0], 2);
    QCOMPARE(totals[1], 2);
    QVERIFY(QFileInfo::exists(out + "/album/processed_two.png"));
    QVERIFY(!QFileInfo::exists(out + "/processed"));

    // Without -o: a sibling folder, never inside.
    const ProgramRun r = runCli({ "run", m_in, "--size", "64x48", "--quiet" });
    QVERIFY2(r.exitCode == 0, describe(r).constData());
    QCOMPARE(files(m_in + "-processed"), QStringList({ "processed_one.jpg", "processed_two.png" }));
    QCOMPARE(listing(m_in), m_inBefore);
}

void TestCliOutput::outputEqualToInputRefused_data()
{
    QTest::addColumn<QString>("output");
    QTest::newRow("the same path") << "in";
    QTest::newRow("spelt with ./ and a trailing slash") << "./in/./";
    QTest::newRow("spelt through ..") << "in/../in";
    QTest::newRow("a symlink to the input") << "link-to-in";
}

void TestCliOutput::outputEqualToInputRefused()
{
    QFETCH(QString, output);
    if (!QFileInfo::exists(path("link-to-in")))
        QVERIFY(QFile::link(m_in, path("link-to-in")));
    const QString out = m_tmp.path() + "/" + output;
    const ProgramRun r = runCli({ "run", m_in, "-o", out, "--size", "64x48" });
    QVERIFY2(r.exitCode == 2, describe(r).constData());
    QVERIFY2(r.err.contains(QLatin1String("is the input folder")), qPrintable(r.err));
    QCOMPARE(listing(m_in), m_inBefore);
}

void TestCliOutput::nameClashKeepsEveryOutput()
{
    // a.gif and a.png both become processed_a.png; a-2.png is what the
    // clash's second name would be. Each colour must survive in its own file.
    const QString in = path("clash");
    QVERIFY(QDir().mkpath(in));
    QVERIFY(writeFile(in + "/a.gif", animatedGif(40, 30, { qRgb(255, 0, 0) })));
    QVERIFY(writeFile(in + "/a.png", solidPng(40, 30, qRgb(0, 0, 255))));
    QVERIFY(writeFile(in + "/a-2.png", solidPng(40, 30, qRgb(0, 255, 0))));
    const QStringList before = listing(in);
    const QString out = path("clash-out");
    const QString report = path("clash.json");
    const ProgramRun r = runCli({ "run", in, "-o", out, "--size", "40x30", "--report", report, "--quiet" });
    QVERIFY2(r.exitCode == 0, describe(r).constData());
    const QJsonObject j = readJsonFile(report);
    QSet<QString> outputs;
    const std::pair<const char *, QRgb> expected[]
        = { { "a.gif", qRgb(255, 0, 0) }, { "a.png", qRgb(0, 0, 255) }, { "a-2.png", qRgb(0, 255, 0) } };
    for (const auto &[name, colour] : expected) {
        const QJsonObject image = imageByName(j, QLatin1String(name));
        QVERIFY2(image.value("ok").toBool(), name);
        const QString output = image.value("output").toString();
        QVERIFY2(QFileInfo(output).fileName().startsWith(QLatin1String("processed_a")), qPrintable(output));
        outputs.insert(output);
        const QColor c = centreOf(output);
        QVERIFY2(closeTo(c, colour),
            qPrintable(QStringLiteral("%1 -> %2 is %3").arg(QLatin1String(name), output, c.name())));
    }
    QCOMPARE(outputs.size(), 3);
    QCOMPARE(files(out).size(), 3);
    QCOMPARE(listing(in), before);
}

// "processed_" makes a name longer than its input's: one near the 255-byte
// limit is cut (whole characters, its suffix kept) rather than failing at
// its save after all its work; two cut to the same name are numbered.
void TestCliOutput::longNamesAreCutToFit()
{
    const QString in = path("long");
    QVERIFY(QDir().mkpath(in));
    const QString a(240, QLatin1Char('a'));
    const QString accented(122, QChar(0xe9)); // é: two bytes each, 244 with ".jpg"
    const std::pair<QString, QRgb> inputs[] = { { a + "xx1.jpg", qRgb(255, 0, 0) },
        { a + "xx2.jpg", qRgb(0, 0, 255) }, { accented + ".png", qRgb(0, 255, 0) } };
    for (const auto &[name, colour] : inputs)
        QVERIFY(writeFile(in + "/" + name,
            name.endsWith(".png")
                ? solidPng(40, 30, colour)
                : jpegBytes(makeBuffer(40, 30, 3, [&](int, int, int c) {
                      return c == 0 ? qRed(colour) : c == 1 ? qGreen(colour) : qBlue(colour);
                  }))));
    const QString out = path("long-out");
    const QString report = path("long.json");
    const ProgramRun r = runCli({ "run", in, "-o", out, "--size", "40x30", "--report", report, "--quiet" });
    QVERIFY2(r.exitCode == 0, describe(r).constData());
    const QJsonObject j = readJsonFile(report);
    QSet<QString> outputs;
    for (const auto &[name, colour] : inputs) {
        const QJsonObject image = imageByName(j, name);
        QVERIFY2(image.value("ok").toBool(), qPrintable(image.value("error").toString()));
        const QString output = QFileInfo(image.value("output").toString()).fileName();
        QVERIFY2(QFile::encodeName(output).size() <= 255, qPrintable(output));
        QVERIFY2(output.startsWith("processed_") && output.endsWith(name.right(4)), qPrintable(output));
        QVERIFY(!output.contains(QChar::ReplacementCharacter));
        outputs.insert(output);
        const QColor c = centreOf(QDir(out).filePath(output));
        QVERIFY2(closeTo(c, colour), qPrintable(output + " is " + c.name()));
    }
    QCOMPARE(outputs.size(), 3);
    QCOMPARE(files(out).size(), 3);
}

// A report path the user names may be a symbolic link (to a file, or to
// where one will be) or a pipe: the report goes where it leads, the link and
// the pipe stay what they were; a link into the input folder is refused.
void TestCliOutput::reportsGoWhereTheirPathLeads()
{
    const QString dir = path("links");
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(writeFile(dir + "/real.json", "from before"));
    QVERIFY(QFile::link("real.json", dir + "/link.json"));
    QVERIFY(QFile::link("later.csv", dir + "/dangling.csv"));
    const QString fifo = dir + "/pipe.md";
    QVERIFY(::mkfifo(QFile::encodeName(fifo).constData(), 0644) == 0);
    // The pipe's reader; a bounded one, should the pipe not be written.
    const QString captured = dir + "/captured.md";
    const QStringList run = { QStringLiteral(PIXELPERF_CLI_PATH), "run", m_in, "-o", path("out-links"),
        "--size", "64x48", "--quiet", "--no-history", "--report", dir + "/link.json", "--csv",
        dir + "/dangling.csv", "--md", fifo };
    const ProgramRun r = runProgram(QStringLiteral("sh"),
        QStringList { "-c", "timeout 60 cat \"$1\" > \"$2\" & shift 2; \"$@\"; s=$?; wait; exit $s", "sh",
            fifo, captured }
            + run);
    QVERIFY2(r.exitCode == 0, describe(r).constData());
    QVERIFY(QFileInfo(dir + "/link.json").isSymLink());
    QVERIFY(QFileInfo(dir + "/dangling.csv").isSymLink());
    QCOMPARE(readJsonFile(dir + "/real.json").value("summary").toObject().value("images_ok").toInt(), 2);
    QFile csv(dir + "/later.csv");
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QVERIFY(csv.readLine().startsWith("image,path,stage,"));
    QVERIFY(QFileInfo(fifo).exists() && !QFileInfo(fifo).isFile()); // still the pipe
    QFile md(captured);
    QVERIFY(md.open(QIODevice::ReadOnly));
    QVERIFY2(md.readAll().startsWith("### PixelPerf run"), "the report did not come through the pipe");

    // /dev/stdout when the shell appends standard output to a file: the
    // report goes after what was printed, and the file stays the shell's.
    const QString appended = dir + "/appended.txt";
    const ProgramRun shell = runProgram(QStringLiteral("sh"),
        { "-c", "{ echo before; \"$@\"; } >> \"$0\"", appended, QStringLiteral(PIXELPERF_CLI_PATH), "run",
            m_in, "-o", path("out-links"), "--size", "64x48", "--no-history", "--md", "/dev/stdout" });
    QVERIFY2(shell.exitCode == 0, describe(shell).constData());
    QFile log(appended);
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QByteArray text = log.readAll();
    QVERIFY2(text.startsWith("before\n") && text.indexOf("stage ") < text.indexOf("### PixelPerf run")
            && text.endsWith("written: /dev/stdout\n"),
        text.constData());

    QVERIFY(QFile::link(QDir(m_in).filePath("report.json"), dir + "/into-input.json"));
    const ProgramRun refused = runCli({ "run", m_in, "-o", path("out-links"), "--size", "64x48",
        "--no-history", "--report", dir + "/into-input.json" });
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains("inside the input folder") && refused.err.contains("into-input.json"),
        describe(refused).constData());
    QCOMPARE(listing(m_in), m_inBefore);
}

// A report whose folder cannot take a file is found before any work, not
// after the run: permissions (as an unprivileged user) and a read-only file
// system, which root's permissions do not show.
void TestCliOutput::unwritableReportRefusedBeforeWork()
{
    const QString sealed = path("sealed-reports");
    QVERIFY(QDir().mkpath(sealed));
    QVERIFY(::chmod(QFile::encodeName(sealed).constData(), 0555) == 0);
    const QStringList args = { "run", m_in, "-o", path("out-sealed"), "--size", "64x48", "--no-history",
        "--report", path("fine.json"), "--csv", sealed + "/r.csv" };
    ProgramRun r = runCli(args, dropRootInChild);
    QVERIFY2(r.exitCode == 2, describe(r).constData());
    QVERIFY2(
        r.err.contains(sealed + "/r.csv") && r.err.contains("Permission denied"), describe(r).constData());
    QVERIFY(r.out.isEmpty());
    QVERIFY(!QFileInfo::exists(path("fine.json")));
    QVERIFY(!QFileInfo::exists(path("out-sealed")) || files(path("out-sealed")).isEmpty());

    const QString ro = path("ro-reports");
    QVERIFY(QDir().mkpath(ro));
    if (!canMountTmpfs(path("mount-probe")))
        QSKIP("cannot mount a tmpfs here (needs root and mount namespaces)");
    QStringList roArgs = args;
    roArgs.last() = ro + "/r.csv";
    r = cliOnReadOnlyMount(ro, roArgs);
    QVERIFY2(r.exitCode == 2, describe(r).constData());
    QVERIFY2(
        r.err.contains(ro + "/r.csv") && r.err.contains("Read-only file system"), describe(r).constData());
    QVERIFY(!QFileInfo::exists(path("fine.json")));
}

// Another user's link in a folder anyone may write to (/tmp) is not
// followed, whether or not the kernel's fs.protected_symlinks is on: it
// could lead to a file of the user's own, which the report would replace.
void TestCliOutput::plantedLinkIsNotFollowed()
{
    if (::geteuid() != 0)
        QSKIP("making another user's link needs root");
    const QString shared = path("shared");
    const QString mine = path("mine");
    QVERIFY(QDir().mkpath(shared) && QDir().mkpath(mine));
    QVERIFY(::chmod(QFile::encodeName(shared).constData(), 01777) == 0);
    QVERIFY(::chown(QFile::encodeName(mine).constData(), 65534, 65534) == 0);
    QVERIFY(writeFile(mine + "/notes.txt", "mine"));
    QVERIFY(::chown(QFile::encodeName(mine + "/notes.txt").constData(), 65534, 65534) == 0);
    QVERIFY(QFile::link(mine + "/notes.txt", shared + "/report.md"));
    QVERIFY(::lchown(QFile::encodeName(shared + "/report.md").constData(), 1, 1) == 0); // daemon's
    const ProgramRun r = runCli({ "run", m_in, "-o", shared + "/out", "--size", "64x48", "--no-history",
                                    "--md", shared + "/report.md" },
        dropRootInChild);
    QVERIFY2(r.exitCode == 2 && r.err.contains("another user's symbolic link"), describe(r).constData());
    QFile notes(mine + "/notes.txt");
    QVERIFY(notes.open(QIODevice::ReadOnly));
    QCOMPARE(notes.readAll(), QByteArray("mine"));
}

void TestCliOutput::fullDiskLeavesNoPartialFile_data()
{
    QTest::addColumn<QString>("how");
    QTest::newRow("file size limit (ulimit -f)") << "fsize";
    QTest::newRow("full tmpfs") << "tmpfs";
}

void TestCliOutput::fullDiskLeavesNoPartialFile()
{
    QFETCH(QString, how);
    // Three BMPs fitted into 400x400: a-small and z-small become 400x100
    // (about 120 kB each), m-big 400x400 (about 480 kB). The space allows
    // the two small ones and not the big one, which sits between them, so
    // the batch must go on after the failure (one worker: in order).
    const QString in = path("full-" + how);
    QVERIFY(QDir().mkpath(in));
    QVERIFY(writeFile(in + "/a-small.bmp", qtEncode(toQImage(photoLike(400, 100, 3)), "bmp")));
    QVERIFY(writeFile(in + "/m-big.bmp", qtEncode(toQImage(photoLike(400, 400, 4)), "bmp")));
    QVERIFY(writeFile(in + "/z-small.bmp", qtEncode(toQImage(photoLike(400, 100, 5)), "bmp")));
    const qint64 small = qtEncode(QImage(400, 100, QImage::Format_RGB888), "bmp").size();
    const qint64 big = qtEncode(QImage(400, 400, QImage::Format_RGB888), "bmp").size();
    QVERIFY(3 * small < big);
    const QString out = path("full-out-" + how);
    QVERIFY(QDir().mkpath(out));
    const QString report = path("full-" + how + ".json");
    const QStringList args = { "run", in, "-o", out, "--mode", "fit", "--size", "400x400", "--jobs", "1",
        "--report", report, "--quiet" };

    ProgramRun r;
    QString seen = out; // where the outputs can be inspected afterwards
    QString reason;
    if (how == QLatin1String("fsize")) {
        // As `ulimit -f` in a shell: SIGXFSZ left at its default, which
        // kills a process that does not ignore it.
        const rlim_t limit = rlim_t(small + big) / 2;
        r = runCli(args, [limit] {
            const rlimit lim { limit, limit };
            if (::setrlimit(RLIMIT_FSIZE, &lim) != 0)
                ::_exit(125);
        });
        reason = QStringLiteral("File too large");
    } else {
        if (!canMountTmpfs(path("mount-probe")))
            QSKIP("cannot mount a tmpfs here (needs root and mount namespaces)");
        // Room for two small outputs, not for a small and the big one; what
        // was written is copied out before the namespace goes.
        const qint64 room = (2 * small + small + big) / 2;
        seen = path("full-seen");
        QVERIFY(QDir().mkpath(seen));
        r = inMountNamespace(QStringLiteral("mount -t tmpfs -o size=%1 pixelperf-full \"$1\" || exit 99; "
                                            "out=$1; seen=$2; shift 2; \"$@\"; rc=$?; "
                                            "cp -a \"$out/.\" \"$seen/\"; exit $rc")
                                 .arg(room),
            QStringList { out, seen, QStringLiteral(PIXELPERF_CLI_PATH) } + args);
        reason = QStringLiteral("No space left on device");
    }
    QVERIFY2(!r.crashed && r.exitCode == 1, describe(r).constData());
    const QJsonObject j = readJsonFile(report);
    const QJsonObject s = j.value("summary").toObject();
    QCOMPARE(s.value("images_ok").toInt(), 2);
    QCOMPARE(s.value("images_failed").toInt(), 1);
    const QJsonObject bigImage = imageByName(j, "m-big.bmp");
    const QString error = bigImage.value("error").toString();
    QVERIFY2(error.startsWith(QLatin1String("save: ")) && error.contains(reason), qPrintable(error));
    QVERIFY(bigImage.value("output").toString().isEmpty());
    QVERIFY2(r.err.contains(in + "/m-big.bmp: " + error), qPrintable(r.err));
    // Only the two complete outputs: no partial file, no temporary one.
    QCOMPARE(files(seen), QStringList({ "processed_a-small.bmp", "processed_z-small.bmp" }));
    for (const QString &name : files(seen)) {
        const LoadResult written = loadImage(QDir(seen).filePath(name), LoadRequest {}, false);
        QVERIFY2(written.image, qPrintable(name + ": " + written.error));
        QCOMPARE(written.image->pixels.width(), 400);
        QCOMPARE(written.image->pixels.height(), 100);
    }
}

QTEST_GUILESS_MAIN(TestCliOutput)
#include "tst_cli_output.moc"
