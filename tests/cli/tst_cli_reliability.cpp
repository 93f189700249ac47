// Reliability, round two (issue 20), through pixelperf-cli as a user runs it:
// no image skipped in silence (huge files, allocations that fail), no output
// or report on an input, signals that act, bounded reads, messages that say
// what happened, and names that do not compound.
#include "badinputs.h"
#include "clirunner.h"
#include "imagebytes.h"
#include "testimages.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace pixelperf;
using namespace pixelperf::testing;

namespace {

QStringList names(const QString &dir)
{
    QStringList list
        = QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    list.sort();
    return list;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Runs `script` in bash with the CLI as $0 and `args` as $1...
ProgramRun runShell(const QString &script, const QStringList &args = {}, int timeoutMs = 60000)
{
    return runProgram(QStringLiteral("/bin/bash"),
        QStringList { QStringLiteral("-c"), script, QStringLiteral(PIXELPERF_CLI_PATH) } + args, {},
        timeoutMs);
}

} // namespace

class TestCliReliability : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void hugeFilesRefusedTheRestProcessed();
    void failedAllocationFailsOneImage();
    void outputThroughAMissingFolderIsTheInput();
    void reportIntoTheInputRefusedBeforeTheRun();
    void secondSignalExitsAtOnce();
    void compareReadsOnlyBoundedRegularFiles();
    void readerLeavingStillWritesTheReport();
    void fullStdoutIsAnError();
    void clashNumbersDoNotCompound();
    void generateNeverReplaces();
    void nonUtf8NameReported();
    void outputFolderErrorSaysWhy();
    void linkedOutputSubfolderIsNotFollowed();

private:
    QString path(const QString &rel) const { return m_tmp.filePath(rel); }
    // A folder of `count` small photos named photo_N.jpg.
    QString photos(const QString &name, int count);

    QTemporaryDir m_tmp;
};

void TestCliReliability::initTestCase()
{
    QVERIFY(m_tmp.isValid());
}

QString TestCliReliability::photos(const QString &name, int count)
{
    const QString dir = path(name);
    if (!QDir().mkpath(dir))
        return {};
    for (int i = 1; i <= count; ++i)
        if (!writeFile(
                QStringLiteral("%1/photo_%2.jpg").arg(dir).arg(i), jpegBytes(photoLike(96, 64, uint32_t(i)))))
            return {};
    return dir;
}

void TestCliReliability::hugeFilesRefusedTheRestProcessed()
{
    // Two sparse 40 GB files named .jpg beside three photos: each refused by
    // its size, unread, and the photos processed; exit code 1.
    const QString in = photos("huge", 3);
    QVERIFY(!in.isEmpty());
    for (const char *name : { "/big1.jpg", "/big2.jpg" }) {
        QFile f(in + QLatin1String(name));
        QVERIFY(f.open(QIODevice::WriteOnly) && f.resize(qint64(40) << 30));
    }
    const QString report = path("huge.json");
    const ProgramRun r = runCli({ "run", in, "-o", path("huge-out"), "--size", "48x32", "--report", report });
    QVERIFY2(r.exitCode == 1, describe(r).constData());
    QVERIFY2(r.out.contains("3 of 5 images ok, 2 failed"), describe(r).constData());
    QCOMPARE(r.err.count("above the 512.0 MiB limit for an input; refused without reading"), 2);
    const QJsonObject s = readJsonFile(report).value("summary").toObject();
    QCOMPARE(s.value("images_ok").toInt(), 3);
    QCOMPARE(s.value("images_failed").toInt(), 2);
}

void TestCliReliability::failedAllocationFailsOneImage()
{
    if (TimeScale > 1)
        QSKIP("the sanitizers reserve terabytes of address space: no ulimit -v under them");
    // A JPEG whose header says 10000x10000 (within the 100-megapixel budget,
    // 300 MB to decode) under a 256 MiB address-space limit in which the
    // photos fit: its buffer cannot be allocated. That image fails with the
    // reason; the worker goes on with the photos; exit code 1.
    const QString in = photos("oom", 4);
    QVERIFY(!in.isEmpty());
    QVERIFY(writeFile(in + "/photo_0.jpg", withJpegDimensions(jpegBytes(photoLike(64, 64)), 10000, 10000)));
    const QString report = path("oom.json");
    const ProgramRun r = runCli({ "run", in, "-o", path("oom-out"), "--size", "48x32", "--jobs", "1", "--off",
                                    "shrink-on-load", "--report", report },
        [] {
            const rlimit limit { rlim_t(256) << 20, rlim_t(256) << 20 };
            ::setrlimit(RLIMIT_AS, &limit);
        });
    QVERIFY2(r.exitCode == 1, describe(r).constData());
    QVERIFY2(r.err.contains("photo_0.jpg: load: out of memory"), describe(r).constData());
    QVERIFY2(r.out.contains("4 of 5 images ok, 1 failed"), describe(r).constData());
    const QJsonObject s = readJsonFile(report).value("summary").toObject();
    QCOMPARE(s.value("images_cancelled").toInt(), 0);
}

void TestCliReliability::outputThroughAMissingFolderIsTheInput()
{
    // in/eq is a link to in itself: "in/eq/missing/.." is "in" once
    // "missing" exists, which only the kernel knows, after it is made.
    const QString in = photos("eq", 2);
    QVERIFY(QFile::link(QStringLiteral("."), in + "/eq"));
    const QByteArray before = readAll(in + "/photo_1.jpg");
    const ProgramRun r = runCli({ "run", in, "-o", in + "/eq/missing/..", "--size", "48x32" });
    QVERIFY2(r.exitCode == 2, describe(r).constData());
    QVERIFY2(r.err.contains("is the input folder"), describe(r).constData());
    QCOMPARE(readAll(in + "/photo_1.jpg"), before);
    for (const QString &name : names(in))
        QVERIFY2(!name.startsWith("processed_"), qPrintable(name));
}

void TestCliReliability::reportIntoTheInputRefusedBeforeTheRun()
{
    // Reports named like photos in a subfolder of the input: refused before
    // any work, the photos untouched (even read-only ones, which rename
    // would replace).
    const QString in = photos("exports", 1);
    const QString sub = photos("exports/x", 2);
    QVERIFY(QFile::setPermissions(sub + "/photo_1.jpg", QFileDevice::ReadOwner | QFileDevice::ReadGroup));
    const QByteArray one = readAll(sub + "/photo_1.jpg"), two = readAll(sub + "/photo_2.jpg");
    const QString out = path("exports-out");
    const ProgramRun r = runCli({ "run", in, "-o", out, "--recursive", "--size", "48x32", "--report",
        sub + "/photo_1.jpg", "--csv", sub + "/photo_2.jpg" });
    QVERIFY2(r.exitCode == 2, describe(r).constData());
    QVERIFY2(r.err.contains("is inside the input folder"), describe(r).constData());
    QCOMPARE(readAll(sub + "/photo_1.jpg"), one);
    QCOMPARE(readAll(sub + "/photo_2.jpg"), two);
    QVERIFY2(names(out).isEmpty(), "the run started");
    // Straight into the input folder: refused in any run.
    const ProgramRun flat
        = runCli({ "run", in, "-o", out, "--size", "48x32", "--report", in + "/report.json" });
    QVERIFY2(
        flat.exitCode == 2 && flat.err.contains("is inside the input folder"), describe(flat).constData());
    QVERIFY(!QFileInfo::exists(in + "/report.json"));
    // The sampled stacks' exports too, onto an input photo.
    const QString photo = in + "/" + QDir(in).entryList({ "*.jpg" }, QDir::Files).first();
    const QByteArray before = readAll(photo);
    for (const char *option : { "--stacks", "--speedscope" }) {
        const ProgramRun stacks = runCli({ "run", in, "-o", out, "--size", "48x32", option, photo });
        QVERIFY2(stacks.exitCode == 2 && stacks.err.contains("is inside the input folder"),
            describe(stacks).constData());
        QCOMPARE(readAll(photo), before);
    }
    // Inside the output folder, even within the input folder, is fine.
    const ProgramRun ok = runCli({ "run", in, "-o", in + "/done", "--size", "48x32", "--quiet", "--report",
        in + "/done/report.json" });
    QVERIFY2(ok.exitCode == 0, describe(ok).constData());
    QVERIFY(QFileInfo::exists(in + "/done/report.json"));
}

void TestCliReliability::secondSignalExitsAtOnce()
{
    // The first signal asks for a clean stop; a second one (here SIGTERM
    // after SIGINT, which cannot merge as two SIGINTs could) exits at once
    // with 128 + its number, where a clean stop exits 1.
    const QString in = photos("signals", 40);
    QProcess cli;
    cli.setProgram(QStringLiteral(PIXELPERF_CLI_PATH));
    cli.setArguments({ "run", in, "-o", path("signals-out"), "--preset", "baseline", "--quiet" });
    cli.start();
    QVERIFY(cli.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(
        !names(path("signals-out")).isEmpty() || cli.state() == QProcess::NotRunning, 60000 * TimeScale);
    QVERIFY2(cli.state() == QProcess::Running, "the run ended before it could be interrupted");
    QVERIFY(::kill(pid_t(cli.processId()), SIGINT) == 0);
    QVERIFY(::kill(pid_t(cli.processId()), SIGTERM) == 0);
    QVERIFY(cli.waitForFinished(10000 * TimeScale));
    const QString err = QString::fromUtf8(cli.readAllStandardError());
    QCOMPARE(cli.exitStatus(), QProcess::NormalExit);
    // Both may be pending when the first is handled, in either order.
    QVERIFY2(cli.exitCode() == 128 + SIGTERM || cli.exitCode() == 128 + SIGINT,
        qPrintable(QStringLiteral("exit code %1: %2").arg(cli.exitCode()).arg(err)));
    QVERIFY2(err.contains("second interrupt"), qPrintable(err));
}

void TestCliReliability::compareReadsOnlyBoundedRegularFiles()
{
    const QString fifo = path("report.fifo");
    QVERIFY(::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0);
    QFile big(path("big.json"));
    QVERIFY(big.open(QIODevice::WriteOnly) && big.resize(qint64(300) << 20)); // sparse
    big.close();
    const struct {
        QString a;
        const char *says;
    } cases[] = { { fifo, "not a regular file" }, { QStringLiteral("/dev/zero"), "not a regular file" },
        { big.fileName(), "limit for a report" } };
    for (const auto &c : cases) {
        // Without the checks, the FIFO and /dev/zero never end: the time
        // limit is what would fail.
        const ProgramRun r
            = runProgram(QStringLiteral(PIXELPERF_CLI_PATH), { "compare", c.a, c.a }, {}, 20000 * TimeScale);
        QVERIFY2(r.exitCode == 2, describe(r).constData());
        QVERIFY2(r.err.contains(QLatin1String(c.says)), describe(r).constData());
    }
}

void TestCliReliability::readerLeavingStillWritesTheReport()
{
    // `| true`: the reader is gone before the summary is written; the run
    // still writes its report and exits as the run went (0), not of SIGPIPE.
    const QString in = photos("pipe", 2);
    const QString report = path("pipe.json");
    const ProgramRun r = runShell(QStringLiteral("set -o pipefail; \"$0\" run \"$1\" -o \"$2\" --size 48x32 "
                                                 "--report \"$3\" | true"),
        { in, path("pipe-out"), report });
    QVERIFY2(r.exitCode == 0, describe(r).constData());
    QCOMPARE(readJsonFile(report).value("summary").toObject().value("images_ok").toInt(), 2);
}

void TestCliReliability::fullStdoutIsAnError()
{
    const ProgramRun r = runShell(QStringLiteral("\"$0\" toggles > /dev/full"));
    QVERIFY2(r.exitCode == 2, describe(r).constData());
    QVERIFY2(
        r.err.contains("cannot write to standard output: No space left on device"), describe(r).constData());
}

void TestCliReliability::clashNumbersDoNotCompound()
{
    // a.gif, a.png and a.webp all become processed_a.png: the later ones are
    // numbered on that name, -2 and -3, not -2-3.
    const QString in = path("clash");
    QVERIFY(QDir().mkpath(in));
    const QImage image = toQImage(photoLike(40, 30));
    QVERIFY(writeFile(in + "/a.gif", animatedGif(40, 30, { qRgb(255, 0, 0) })));
    QVERIFY(writeFile(in + "/a.png", qtEncode(image, "png")));
    QVERIFY(writeFile(in + "/a.webp", qtEncode(image, "webp")));
    const ProgramRun r = runCli({ "run", in, "-o", path("clash-out"), "--size", "40x30", "--quiet" });
    QVERIFY2(r.exitCode == 0, describe(r).constData());
    QCOMPARE(names(path("clash-out")),
        (QStringList { "processed_a-2.png", "processed_a-3.png", "processed_a.png" }));
}

void TestCliReliability::generateNeverReplaces()
{
    // What is at a name (here a dangling link, as another run's file could
    // be the moment after a check) is kept; the image takes the next name.
    const QString dir = path("gen");
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(QFile::link(path("elsewhere.jpg"), dir + "/sample_001.jpg"));
    const ProgramRun r = runCli({ "generate", dir, "--count", "2", "--size", "32x24" });
    QVERIFY2(r.exitCode == 0, describe(r).constData());
    QVERIFY(QFileInfo(dir + "/sample_001.jpg").isSymLink());
    QVERIFY(!QFileInfo::exists(path("elsewhere.jpg")));
    QCOMPARE(names(dir), (QStringList { "sample_001.jpg", "sample_002.jpg", "sample_003.jpg" }));
}

void TestCliReliability::nonUtf8NameReported()
{
    // A name in Latin-1 ("caf\xe9.jpg"): Qt's listing leaves it out; it is
    // reported as not processed, with why, never skipped in silence.
    const QString in = photos("latin1", 1);
    const QByteArray name = QFile::encodeName(in) + "/caf\xe9.jpg";
    const QByteArray jpeg = jpegBytes(photoLike(96, 64));
    const int fd = ::open(name.constData(), O_WRONLY | O_CREAT | O_EXCL, 0644);
    QVERIFY(fd >= 0);
    QCOMPARE(::write(fd, jpeg.constData(), size_t(jpeg.size())), ssize_t(jpeg.size()));
    ::close(fd);
    const ProgramRun r = runCli({ "run", in, "-o", path("latin1-out"), "--size", "48x32" });
    const auto removeIt = qScopeGuard([&] { ::unlink(name.constData()); }); // Qt cannot name it to remove it
    QVERIFY2(r.exitCode == 1, describe(r).constData());
    QVERIFY2(r.out.contains("1 of 2 images ok, 1 failed"), describe(r).constData());
    QVERIFY2(r.err.contains("is not valid UTF-8"), describe(r).constData());
}

void TestCliReliability::outputFolderErrorSaysWhy()
{
    // "cannot create output folder" used to stop there; now with the reason.
    const QString in = photos("why", 1);
    QVERIFY(writeFile(path("why-file"), "a file, not a folder"));
    const ProgramRun r = runCli({ "run", in, "-o", path("why-file/out"), "--size", "48x32" });
    QVERIFY2(r.exitCode == 2, describe(r).constData());
    QVERIFY2(r.err.contains("cannot create output folder " + path("why-file/out") + ": Not a directory"),
        describe(r).constData());
}

void TestCliReliability::linkedOutputSubfolderIsNotFollowed()
{
    // A recursive run mirrors in/sub as out/sub; an out/sub already there
    // as a link into the inputs would put outputs among them. That image
    // fails with the reason, the others are written, nothing reaches in/.
    const QString in = photos("rec", 1);
    QVERIFY(QDir().mkpath(in + "/sub"));
    QVERIFY(writeFile(in + "/sub/photo_s.jpg", jpegBytes(photoLike(96, 64, 9))));
    const QString out = path("rec-out");
    QVERIFY(QDir().mkpath(out));
    QVERIFY(QFile::link(in + "/sub", out + "/sub"));
    const QStringList before = names(in + "/sub");
    const ProgramRun r = runCli({ "run", in, "-o", out, "--recursive", "--size", "48x32" });
    QVERIFY2(r.exitCode == 1, describe(r).constData());
    QVERIFY2(
        r.out.contains("1 of 2 images ok") || r.err.contains("1 of 2 images ok"), describe(r).constData());
    QVERIFY2(r.err.contains("leads outside") && r.err.contains("photo_s.jpg"), describe(r).constData());
    QCOMPARE(names(in + "/sub"), before);
    QVERIFY(QFileInfo::exists(out + "/processed_photo_1.jpg"));

    // Deeper: in/deep/inner/x.jpg goes to out/deep/inner, and out/deep
    // links to a folder among the inputs: nothing is created through it.
    QVERIFY(QDir().mkpath(in + "/deep/inner"));
    QVERIFY(writeFile(in + "/deep/inner/photo_d.jpg", jpegBytes(photoLike(96, 64, 10))));
    QVERIFY(QDir().mkpath(in + "/other"));
    QVERIFY(QFile::link(in + "/other", out + "/deep"));
    const ProgramRun deep = runCli({ "run", in, "-o", out, "--recursive", "--size", "48x32" });
    QVERIFY2(deep.exitCode == 1, describe(deep).constData());
    QVERIFY2(
        deep.err.contains("leads outside") && deep.err.contains("photo_d.jpg"), describe(deep).constData());
    QVERIFY2(names(in + "/other").isEmpty(), qPrintable(names(in + "/other").join(QLatin1Char(' '))));
}

QTEST_GUILESS_MAIN(TestCliReliability)
#include "tst_cli_reliability.moc"
