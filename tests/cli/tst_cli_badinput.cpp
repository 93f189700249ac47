// A photo folder with everything a real one can hold, run through
// pixelperf-cli: every valid image is processed (whatever its format's
// corners: progressive, CMYK, 16-bit, palette with alpha, EXIF-rotated,
// animated, uppercase or unicode names, in a subfolder); every invalid one (a
// broken symlink too) is named on stderr and in the report with a reason a
// person understands; nothing crashes or hangs (a symlink loop, a
// decompression bomb); exit 1.
#include "badinputs.h"
#include "clirunner.h"
#include "pipeline/stages/load.h"
#include "testimages.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QImageReader>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

#include <map>

#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace pixelperf;
using namespace pixelperf::testing;

namespace {

constexpr int OutW = 96;
constexpr int OutH = 64;

struct ValidFile {
    QString path; // relative to the input folder
    QString output; // relative to the output folder
    QString check; // "", "upright" (red over blue) or "first-frame" (red)
};

struct InvalidFile {
    QString path;
    QStringList reason; // words the reason must contain, any case
};

// Runs as an unprivileged user when the test runs as root, so that a file's
// permissions mean something (root reads a mode-000 file).
void dropRootInChild()
{
    if (::geteuid() != 0)
        return;
    if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0)
        ::_exit(125);
}

// Red left half, blue right half: stored 64x32, shown upright (EXIF 6,
// rotate 90 degrees clockwise) as 32x64 with red on top and blue below.
PixelBuffer redLeftBlueRight(int w, int h)
{
    return makeBuffer(
        w, h, 3, [&](int x, int, int c) { return x < w / 2 ? (c == 0 ? 255 : 0) : (c == 2 ? 255 : 0); });
}

bool isRed(const QColor &c)
{
    return c.red() > 200 && c.green() < 60 && c.blue() < 60;
}

bool isBlue(const QColor &c)
{
    return c.blue() > 200 && c.red() < 60 && c.green() < 60;
}

} // namespace

class TestCliBadInput : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void fixtureFilesAreWhatTheyClaim();
    void runFinishesWithExitCodeOne_data();
    void runFinishesWithExitCodeOne();
    void validImageProcessed_data();
    void validImageProcessed();
    void invalidImageNamedWithReason_data();
    void invalidImageNamedWithReason();
    void nothingElseWritten_data();
    void nothingElseWritten();
    void nonFiniteParameterRefused_data();
    void nonFiniteParameterRefused();

private:
    bool write(const QString &rel, const QByteArray &bytes);
    void presetRows();

    QTemporaryDir m_tmp;
    QString m_in;
    std::vector<ValidFile> m_valid;
    std::vector<InvalidFile> m_invalid;
    std::map<QString, QByteArray> m_bytes; // what was written, by relative path
    std::map<QString, ProgramRun> m_runs; // by preset
    std::map<QString, QJsonObject> m_reports;
};

bool TestCliBadInput::write(const QString &rel, const QByteArray &bytes)
{
    const QString path = QDir(m_in).filePath(rel);
    m_bytes[rel] = bytes;
    return QDir().mkpath(QFileInfo(path).absolutePath()) && writeFile(path, bytes);
}

void TestCliBadInput::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    ::umask(022); // the inputs readable by the unprivileged user below
    // Writable by the unprivileged user the CLI may run as; the inputs stay
    // read-only to it.
    QVERIFY(::chmod(QFile::encodeName(m_tmp.path()).constData(), 0777) == 0);
    m_in = m_tmp.filePath(QStringLiteral("in"));

    const PixelBuffer photo = photoLike(320, 200, 11);
    const QByteArray jpeg = jpegBytes(photo, 90);
    const QByteArray png = qtEncode(toQImage(photo), "png");

    // Valid, each a corner of its format.
    auto valid
        = [&](const QString &rel, const QByteArray &bytes, const QString &output, const QString &check = {}) {
              QVERIFY2(!bytes.isEmpty(), qPrintable(rel));
              QVERIFY(write(rel, bytes));
              m_valid.push_back({ rel, output, check });
          };
    valid("photo.jpg", jpeg, "processed_photo.jpg");
    valid("progressive.jpg", progressiveJpeg(toQImage(photoLike(320, 200, 12))), "processed_progressive.jpg");
    valid("cmyk.jpg",
        cmykJpeg(120, 80,
            [](int x, int y, uint8_t *ink) {
                ink[0] = uint8_t(x * 2);
                ink[1] = uint8_t(y * 3);
                ink[2] = 40;
                ink[3] = 20;
            }),
        "processed_cmyk.jpg");
    QImage grey(160, 100, QImage::Format_Grayscale8);
    for (int y = 0; y < grey.height(); ++y)
        for (int x = 0; x < grey.width(); ++x)
            grey.scanLine(y)[x] = uchar((x + y) & 0xFF);
    valid("grey.jpg", qtEncode(grey, "jpg", 90), "processed_grey.jpg");
    valid("rotated.jpg", withExifOrientation(jpegBytes(redLeftBlueRight(64, 32), 95), 6),
        "processed_rotated.jpg", "upright");
    valid("deep 16-bit alpha.png", png16WithAlpha(120, 80, QColor(30, 160, 90)),
        "processed_deep 16-bit alpha.png");
    valid(
        "palette-alpha.png", palettePngWithAlpha(120, 80, qRgb(200, 120, 40)), "processed_palette-alpha.png");
    // Frame 1 red, frame 2 blue: the output is the first frame.
    valid("animated.gif", animatedGif(48, 32, { qRgb(255, 0, 0), qRgb(0, 0, 255) }), "processed_animated.png",
        "first-frame");
    valid("plain.bmp", qtEncode(toQImage(photoLike(100, 60, 13)), "bmp"), "processed_plain.bmp");
    valid("UPPER.JPG", jpeg, "processed_UPPER.JPG");
    valid("Shouty.PNG", png, "processed_Shouty.PNG");
    valid("mixed.JpEg", jpeg, "processed_mixed.JpEg");
    valid(QStringLiteral("été à la plage.jpg"), jpeg, QStringLiteral("processed_été à la plage.jpg"));
    valid(QStringLiteral("写真 2024.png"), png, QStringLiteral("processed_写真 2024.png"));
    // Content decides, not the name.
    valid("really a png.jpg", png, "processed_really a png.jpg");
    valid("album/inside.jpg", jpeg, "album/processed_inside.jpg");
    if (QImageWriter::supportedImageFormats().contains("webp"))
        valid("photo.webp", qtEncode(toQImage(photo), "webp", 80), "processed_photo.png");

    // Invalid, each with the words its reason must use.
    auto invalid = [&](const QString &rel, const QByteArray &bytes, const QStringList &reason) {
        QVERIFY(write(rel, bytes));
        m_invalid.push_back({ rel, reason });
    };
    invalid("empty.jpg", QByteArray(), { "empty" });
    invalid("truncated.jpg", jpeg.left(jpeg.size() / 2), { "truncated" });
    invalid("truncated.png", png.left(png.size() / 2), { "truncated", "PNG" });
    invalid("noise.jpg", randomBytes(4096, 7), { "not an image" });
    invalid("notes.png", "These are my holiday notes, not a picture.\n", { "not an image" });
    invalid(QStringLiteral("défectueux ✗.GIF"), randomBytes(1000, 8), { "not an image" });
    // Decompression bombs: a few hundred bytes declaring 1.6 and 3.6
    // gigapixels; refused from the header, never allocated.
    const QByteArray tinyPng = qtEncode(toQImage(photoLike(16, 16, 14)), "png");
    const QByteArray tinyJpeg = jpegBytes(photoLike(16, 16, 15), 90);
    invalid("bomb.png", withPngDimensions(tinyPng, 40000, 40000),
        { "40000x40000", "megapixel", "limit", "without decoding" });
    invalid("bomb.jpg", withJpegDimensions(tinyJpeg, 60000, 60000),
        { "60000x60000", "megapixel", "limit", "without decoding" });
    // Qt's readers give no size for these: a BMP above 16384x16384 pixels
    // (the BMP header has it), an Apple icon named .png (nothing has it
    // before decoding; Qt's allocation limit holds). A GIF frame's size.
    invalid(
        "bomb.bmp", bmpDeclaring(40000, 40000), { "40000x40000", "megapixel", "limit", "without decoding" });
    invalid("bomb icon.png", icnsHolding(withPngDimensions(tinyPng, 40000, 40000)),
        { "ICNS", "not a format PixelPerf reads" });
    invalid(
        "bomb.gif", gifDeclaring(30000, 20000), { "30000x20000", "megapixel", "limit", "without decoding" });
    // TIFF content whose first directory is damaged: refused from its first
    // bytes, before libtiff reads (and complains on stderr about) it.
    QByteArray tiff("II*\0\x08\0\0\0\xff\xff", 10);
    tiff += QByteArray(20, '\0');
    invalid("damaged tiff.jpg", tiff, { "TIFF", "not a format PixelPerf reads" });
    invalid("locked.jpg", jpeg, { "cannot open", "permission" });
    QVERIFY(QFile::setPermissions(QDir(m_in).filePath("locked.jpg"), QFileDevice::Permissions()));

    // A symlink to a file that is not there: named like an image, so an
    // input, and it fails with the reason.
    QVERIFY(QFile::link(QStringLiteral("missing.jpg"), QDir(m_in).filePath("broken.jpg")));
    m_invalid.push_back({ "broken.jpg", { "broken symbolic link", "missing.jpg" } });

    // Not inputs: another suffix, a folder named like an image, and a
    // symlink loop (album/loop is the input folder again, album/self itself).
    QVERIFY(write("notes.txt", "not an image, not reported"));
    QVERIFY(QDir().mkpath(QDir(m_in).filePath("folder.jpg")));
    QVERIFY(QFile::link(m_in, QDir(m_in).filePath("album/loop")));
    QVERIFY(QFile::link(QDir(m_in).filePath("album"), QDir(m_in).filePath("album/self")));

    for (const QString preset : { "optimized", "baseline" }) {
        const QString out = m_tmp.filePath("out-" + preset);
        const QString report = m_tmp.filePath("report-" + preset + ".json");
        m_runs[preset] = runCli(
            { "run", m_in, "-o", out, "--recursive", "--preset", preset, "--size",
                QStringLiteral("%1x%2").arg(OutW).arg(OutH), "--jobs", "2", "--report", report, "--quiet" },
            dropRootInChild);
        m_reports[preset] = readJsonFile(report);
    }
}

void TestCliBadInput::fixtureFilesAreWhatTheyClaim()
{
    // So that each case tests what its name says.
    QCOMPARE(jpegFrameType(m_bytes["photo.jpg"]), 0xC0);
    QCOMPARE(jpegFrameType(m_bytes["progressive.jpg"]), 0xC2);
    QCOMPARE(pngBitDepth(m_bytes["deep 16-bit alpha.png"]), 16);
    QCOMPARE(pngColourType(m_bytes["deep 16-bit alpha.png"]), 6);
    QCOMPARE(pngColourType(m_bytes["palette-alpha.png"]), 3);
    QVERIFY(m_bytes["palette-alpha.png"].contains("tRNS"));
    QImageReader gif(QDir(m_in).filePath("animated.gif"));
    QCOMPARE(gif.imageCount(), 2);
    QVERIFY(m_bytes["bomb.png"].size() < 2000);
    QVERIFY(m_bytes["bomb.jpg"].size() < 2000);
    QVERIFY(m_bytes["bomb.bmp"].size() < 2000);
    QVERIFY(m_bytes["bomb icon.png"].size() < 2000);
    QVERIFY(m_bytes["bomb.gif"].size() < 2000);
    QVERIFY(QFileInfo(QDir(m_in).filePath("broken.jpg")).isSymLink());
    QVERIFY(!QFileInfo::exists(QDir(m_in).filePath("broken.jpg")));
    // The damaged files really are: Qt refuses them too.
    for (const InvalidFile &f : m_invalid) {
        if (f.path == QLatin1String("locked.jpg") || f.path == QLatin1String("broken.jpg"))
            continue;
        QVERIFY2(QImage::fromData(m_bytes[f.path]).isNull() || f.path.startsWith(QLatin1String("truncated")),
            qPrintable(f.path));
    }
}

void TestCliBadInput::presetRows()
{
    QTest::addColumn<QString>("preset");
}

void TestCliBadInput::runFinishesWithExitCodeOne_data()
{
    presetRows();
    QTest::newRow("optimized") << "optimized";
    QTest::newRow("baseline") << "baseline";
}

void TestCliBadInput::runFinishesWithExitCodeOne()
{
    QFETCH(QString, preset);
    const ProgramRun &r = m_runs[preset];
    QVERIFY2(!r.crashed && !r.timedOut, describe(r).constData());
    QVERIFY2(r.exitCode == 1, describe(r).constData());
    const QJsonObject s = m_reports[preset].value("summary").toObject();
    QCOMPARE(s.value("images_total").toInt(), int(m_valid.size() + m_invalid.size()));
    QCOMPARE(s.value("images_ok").toInt(), int(m_valid.size()));
    QCOMPARE(s.value("images_failed").toInt(), int(m_invalid.size()));
    QVERIFY(!s.value("cancelled").toBool());
    // The bombs were refused before any allocation: no gigabytes touched.
    QVERIFY2(s.value("peak_pixel_bytes").toDouble() < 64e6,
        qPrintable(QString::number(s.value("peak_pixel_bytes").toDouble())));
    QVERIFY2(s.value("peak_rss_bytes").toDouble() < 1e9,
        qPrintable(QString::number(s.value("peak_rss_bytes").toDouble())));
    // The symlink loop was not followed: each file listed once, none through
    // album/loop or album/self.
    QSet<QString> paths;
    for (const QJsonValue &v : m_reports[preset].value("images").toArray()) {
        const QString path = v.toObject().value("path").toString();
        QVERIFY2(!path.contains(QLatin1String("/loop/")) && !path.contains(QLatin1String("/self/")),
            qPrintable(path));
        paths.insert(path);
    }
    QCOMPARE(paths.size(), int(m_valid.size() + m_invalid.size()));
    // Every line on stderr is the program's own: no library's complaint.
    for (const QString &line : r.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        QVERIFY2(line.startsWith(QLatin1String("pixelperf-cli: ")), qPrintable(line));
}

void TestCliBadInput::validImageProcessed_data()
{
    presetRows();
    QTest::addColumn<int>("index");
    for (const char *preset : { "optimized", "baseline" })
        for (size_t i = 0; i < m_valid.size(); ++i)
            QTest::addRow("%s: %s", preset, qPrintable(m_valid[i].path))
                << QString::fromLatin1(preset) << int(i);
}

void TestCliBadInput::validImageProcessed()
{
    QFETCH(QString, preset);
    QFETCH(int, index);
    const ValidFile &f = m_valid[size_t(index)];
    const QString input = QDir(m_in).filePath(f.path);
    const QString expected = QDir(m_tmp.filePath("out-" + preset)).filePath(f.output);
    QJsonObject image;
    for (const QJsonValue &v : m_reports[preset].value("images").toArray())
        if (v.toObject().value("path").toString() == input)
            image = v.toObject();
    QVERIFY2(!image.isEmpty(), qPrintable(input + " is not in the report"));
    QVERIFY2(image.value("ok").toBool(), qPrintable(image.value("error").toString()));
    QCOMPARE(image.value("output").toString(), expected);
    QVERIFY2(!m_runs[preset].err.contains(f.path), qPrintable(m_runs[preset].err));

    const LoadResult written = loadImage(expected, LoadRequest {}, false);
    QVERIFY2(written.image, qPrintable(expected + ": " + written.error));
    const PixelBuffer &p = written.image->pixels;
    QCOMPARE(p.width(), OutW);
    QCOMPARE(p.height(), OutH);
    auto colourAt = [&](int x, int y) {
        const uint8_t *px = p.row(y) + size_t(x) * 3;
        return QColor(px[0], px[1], px[2]);
    };
    if (f.check == QLatin1String("upright")) {
        // Red over blue, as the EXIF tag says to show it; unrotated it would
        // be red beside blue.
        QVERIFY2(isRed(colourAt(OutW / 2, OutH / 4)), qPrintable(colourAt(OutW / 2, OutH / 4).name()));
        QVERIFY2(
            isBlue(colourAt(OutW / 2, 3 * OutH / 4)), qPrintable(colourAt(OutW / 2, 3 * OutH / 4).name()));
    } else if (f.check == QLatin1String("first-frame")) {
        QVERIFY2(isRed(colourAt(OutW / 2, OutH / 2)), qPrintable(colourAt(OutW / 2, OutH / 2).name()));
    }
}

void TestCliBadInput::invalidImageNamedWithReason_data()
{
    presetRows();
    QTest::addColumn<int>("index");
    for (const char *preset : { "optimized", "baseline" })
        for (size_t i = 0; i < m_invalid.size(); ++i)
            QTest::addRow("%s: %s", preset, qPrintable(m_invalid[i].path))
                << QString::fromLatin1(preset) << int(i);
}

void TestCliBadInput::invalidImageNamedWithReason()
{
    QFETCH(QString, preset);
    QFETCH(int, index);
    const InvalidFile &f = m_invalid[size_t(index)];
    if (f.path == QLatin1String("locked.jpg") && ::geteuid() == 0
        && !m_runs[preset].err.contains("locked.jpg"))
        QSKIP("running as root and could not drop privileges: permissions do not stop root");
    const QString input = QDir(m_in).filePath(f.path);
    QJsonObject image;
    for (const QJsonValue &v : m_reports[preset].value("images").toArray())
        if (v.toObject().value("path").toString() == input)
            image = v.toObject();
    QVERIFY2(!image.isEmpty(), qPrintable(input + " is not in the report"));
    QVERIFY(!image.value("ok").toBool());
    QVERIFY(!image.value("cancelled").toBool());
    QVERIFY(image.value("output").toString().isEmpty());
    const QString error = image.value("error").toString();
    // "<stage>: <reason>", the reason in words.
    QVERIFY2(error.startsWith(QLatin1String("load: ")), qPrintable(error));
    for (const QString &word : f.reason)
        QVERIFY2(error.contains(word, Qt::CaseInsensitive),
            qPrintable(QStringLiteral("reason \"%1\" does not mention \"%2\"").arg(error, word)));
    // On stderr: the file's full name and the same reason, on one line.
    const QString line = QStringLiteral("pixelperf-cli: %1: %2").arg(input, error);
    QVERIFY2(m_runs[preset].err.contains(line), qPrintable(line + "\nnot in\n" + m_runs[preset].err));
}

void TestCliBadInput::nothingElseWritten_data()
{
    presetRows();
    QTest::newRow("optimized") << "optimized";
    QTest::newRow("baseline") << "baseline";
}

void TestCliBadInput::nothingElseWritten()
{
    QFETCH(QString, preset);
    // The output folder holds exactly the valid images' outputs: nothing for
    // the invalid ones, no temporary file, no write probe.
    const QString out = m_tmp.filePath("out-" + preset);
    QStringList written;
    QDirIterator it(out, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext())
        written << QDir(out).relativeFilePath(it.next());
    written.sort();
    QStringList expected;
    for (const ValidFile &f : m_valid)
        expected << f.output;
    expected.sort();
    QCOMPARE(written, expected);
    // The inputs are untouched.
    for (const auto &[rel, bytes] : m_bytes) {
        if (rel == QLatin1String("locked.jpg"))
            continue;
        QFile f(QDir(m_in).filePath(rel));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY2(f.readAll() == bytes, qPrintable(rel));
    }
}

void TestCliBadInput::nonFiniteParameterRefused_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("value");
    // "nan" parses as a number and compares false with both bounds: it once
    // passed the range checks and reached the pixel code.
    QTest::newRow("--contrast nan") << "--contrast"
                                    << "nan";
    QTest::newRow("--blur NaN") << "--blur"
                                << "NaN";
    QTest::newRow("--sharpen inf") << "--sharpen"
                                   << "inf";
    QTest::newRow("--brightness=-nan") << "--brightness"
                                       << "-nan";
}

void TestCliBadInput::nonFiniteParameterRefused()
{
    QFETCH(QString, option);
    QFETCH(QString, value);
    const QString out = m_tmp.filePath("never");
    const ProgramRun r = runCli({ "run", m_in, "-o", out, option + "=" + value });
    QVERIFY2(r.exitCode == 2, describe(r).constData());
    QVERIFY2(r.err.contains(option) && r.err.contains(QLatin1String("must be a number")), qPrintable(r.err));
    QVERIFY(!QFileInfo::exists(out));
}

QTEST_GUILESS_MAIN(TestCliBadInput)
#include "tst_cli_badinput.moc"
