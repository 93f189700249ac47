// Writes the fuzzers' seed corpus: a few small valid inputs of each kind and
// a few damaged ones, so each fuzzer starts deep inside its format.
//
//   make_seed_corpus tests/fuzz/corpus
//
// Everything is generated (the report from a real run on two generated
// images), nothing downloaded; the committed corpus/ was made with it.
#include "badinputs.h"
#include "pipeline/pipeline.h"
#include "pngbytes.h"
#include "reports/reportwriter.h"
#include "samples/samplegenerator.h"
#include "testimages.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <cstdio>

using namespace pixelperf;
using namespace pixelperf::testing;

namespace {

QString g_root;
int g_written = 0;

void put(const QString &kind, const QString &name, const QByteArray &bytes)
{
    const QString dir = QDir(g_root).filePath(kind);
    QDir().mkpath(dir);
    if (writeFile(QDir(dir).filePath(name), bytes))
        ++g_written;
    else
        std::fprintf(stderr, "cannot write %s/%s\n", qPrintable(kind), qPrintable(name));
}

QByteArray args(const QStringList &list)
{
    QByteArray bytes;
    for (const QString &a : list) {
        if (!bytes.isEmpty())
            bytes.append('\0');
        bytes.append(a.toUtf8());
    }
    return bytes;
}

// A real report of a run on two tiny images, folders renamed to /photos.
QByteArray reportOfARun(const QString &tmp, bool withRepeats)
{
    const QString in = QDir(tmp).filePath(QStringLiteral("in"));
    generateSamples(in, 2, 48, 32, 3);
    PipelineConfig c;
    c.preset = QStringLiteral("optimized");
    c.toggles = *presetToggles(c.preset);
    c.inputDir = in;
    c.outputDir = QDir(tmp).filePath(QStringLiteral("out"));
    c.params.width = 24;
    c.params.height = 16;
    c.params.jobs = 2;
    const RunResult first = PipelineRun::runBlocking(c);
    std::vector<RunResult> repeats;
    if (withRepeats)
        repeats = { first, PipelineRun::runBlocking(c) };
    QByteArray json = QJsonDocument(ReportWriter::toJson(withRepeats ? repeats.back() : first, repeats))
                          .toJson(QJsonDocument::Compact);
    json.replace(QDir(tmp).absolutePath().toUtf8(), "/photos");
    return json;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_seed_corpus CORPUS_DIR\n");
        return 2;
    }
    g_root = QString::fromLocal8Bit(argv[1]);
    QTemporaryDir tmp;

    // report: real reports, and the edges of the format.
    const QByteArray report = reportOfARun(tmp.path(), false);
    put("report", "run.json", report);
    put("report", "repeats.json", reportOfARun(tmp.path(), true));
    put("report", "truncated.json", report.left(report.size() / 3));
    put("report", "schema-only.json", R"({"schema":"pixelperf-report/1"})");
    put("report", "other-schema.json", R"({"schema":"pixelperf-ablation/1","entries":[]})");
    put("report", "odd-values.json",
        R"({"schema":"pixelperf-report/1","config":{"toggles":{"parallel":true},"params":{"width":-5,"jobs":1e9}},)"
        R"("summary":{"images_total":-1,"wall_ms":1e308,"peak_rss_bytes":-1e300},)"
        R"("stages":[{"name":"blur","count":3,"total_ms":-1}],)"
        R"("images":[{"path":"a.jpg","ok":false,"error":"load: x","stage_ms":{"load":1e400}}],)"
        R"("memory":[{"t_ms":1e30,"rss_bytes":5,"images_done":-3}],)"
        R"("spans":[[7,"save",99999,1,2,3,4,5],[0,"load",-1,0,0,0,0,0]]})");

    // (corpus/report/regression-huge-copies.json is the fuzzer's own find:
    // a span's copy count of 1e33, an undefined double-to-integer cast.)

    // manifest: the documented shapes, valid and not.
    const QByteArray sha(64, 'a');
    put("manifest", "full.json",
        R"({"schema":"pixelperf-samples/1","samples":[{"url":"https://example.org/photos/robin.jpg",)"
        R"("name":"robin.jpg","sha256":")"
            + sha
            + R"(","license":"CC BY-SA 4.0","author":"A. Person",)"
              R"("source":"https://example.org/wiki/File:robin.jpg"},{"url":"https://example.org/b.png"}]})");
    put("manifest", "bare-array.json", R"([{"url":"photos/relative.jpg","name":"../../etc/passwd"}])");
    put("manifest", "odd-names.json",
        R"([{"url":"https://h/x","name":"Domhütte ☀.JPG"},{"url":"http://127.0.0.1:8080/c","name":"CON.jpg"},)"
        R"({"url":"https://h/y","name":"...."}])");
    put("manifest", "bad-sha.json", R"({"samples":[{"url":"https://h/a.jpg","sha256":"xyz"}]})");
    put("manifest", "wrong-schema.json", R"({"schema":"other/2","samples":[]})");
    put("manifest", "not-json.json", "samples: [robin.jpg]");

    // cliargs: NUL-separated argument lists.
    put("cliargs", "run-all-options",
        args({ "run", "photos", "-o", "out", "--preset", "baseline", "--on", "parallel,lanczos", "--off",
            "streaming", "--jobs", "4", "--repeat", "3", "--warmup", "1", "--size", "800x600", "--mode",
            "fill", "--quality", "85", "--blur", "2.5", "--sharpen", "2", "--contrast", "1.5", "--brightness",
            "1.2", "--skip", "blur,sharpen", "--recursive", "--cache-mib", "64", "--no-profile", "--report",
            "r.json", "--csv", "r.csv", "--trace", "t.json", "--html", "r.html", "--md", "r.md",
            "--quiet" }));
    put("cliargs", "run-inline-values",
        args({ "run", "--size=640x480", "--blur=0", "photos", "--output=o" }));
    put("cliargs", "compare", args({ "compare", "a.json", "b.json", "--md", "c.md", "--html", "c.html" }));
    put("cliargs", "ablate", args({ "ablate", "photos", "--repeat", "2", "--off", "decode-cache" }));
    put("cliargs", "generate", args({ "generate", "dir", "--count", "3", "--size", "64x48", "--seed", "7" }));
    put("cliargs", "toggles", args({ "toggles" }));
    put("cliargs", "help", args({ "run", "--help" }));
    put("cliargs", "bad-value", args({ "run", "photos", "--jobs", "many" }));
    // Once accepted, then undefined behaviour in the point operations.
    put("cliargs", "regression-nan", args({ "run", "photos", "--contrast", "nan" }));
    // Once accepted: generate into a folder with an empty name.
    put("cliargs", "regression-empty-dir", args({ "generate", "" }));

    // image: one small file per format and layout, and damaged ones.
    const PixelBuffer photo = photoLike(32, 24, 9);
    const QByteArray jpeg = jpegBytes(photo, 80);
    const QByteArray png = qtEncode(toQImage(photo), "png");
    put("image", "baseline.jpg", jpeg);
    put("image", "progressive.jpg", progressiveJpeg(toQImage(photo), 80));
    put("image", "exif-rotated.jpg", withExifOrientation(jpeg, 6));
    put("image", "exif-big-endian.jpg", withExifOrientation(jpeg, 3, true));
    put("image", "cmyk.jpg", cmykJpeg(16, 16, [](int x, int y, uint8_t *ink) {
        ink[0] = uint8_t(x * 16);
        ink[1] = uint8_t(y * 16);
        ink[2] = 0;
        ink[3] = 30;
    }));
    QImage grey(16, 16, QImage::Format_Grayscale8);
    grey.fill(120);
    put("image", "grey.jpg", qtEncode(grey, "jpg", 80));
    put("image", "rgb.png", png);
    put("image", "rgba16.png", png16WithAlpha(16, 12, QColor(10, 200, 30)));
    put("image", "palette-alpha.png", palettePngWithAlpha(16, 12, qRgb(200, 10, 10)));
    put("image", "animated.gif", animatedGif(12, 8, { qRgb(255, 0, 0), qRgb(0, 0, 255) }));
    put("image", "plain.bmp", qtEncode(toQImage(photoLike(12, 8, 4)), "bmp"));
    put("image", "plain.webp", qtEncode(toQImage(photo), "webp", 60));
    put("image", "truncated.jpg", jpeg.left(jpeg.size() / 2));
    put("image", "huge-header.png", withPngDimensions(png, 40000, 40000));
    put("image", "huge-header.jpg", withJpegDimensions(jpeg, 60000, 60000));
    // PNG layouts only libspng's path reads beyond Qt's writer's: Adam7,
    // grey below 8 bits, 16-bit grey with alpha; and a cut-off file.
    const auto varied = [](int depth) {
        return [depth](int x, int y, int c) { return (x * 37 + y * 101 + c * 59 + x * y) % (1 << depth); };
    };
    put("image", "interlaced.png", handMadePng(13, 11, { 2, 8, true }, varied(8)));
    put("image", "grey2-interlaced.png", handMadePng(13, 11, { 0, 2, true }, varied(2)));
    put("image", "grey-alpha16.png", handMadePng(9, 7, { 4, 16, false }, varied(16)));
    put("image", "truncated.png", png.left(png.size() / 2));
    std::printf("wrote %d files to %s\n", g_written, qPrintable(g_root));
    return 0;
}
