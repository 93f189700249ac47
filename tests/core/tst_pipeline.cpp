// Whole runs of the pipeline on folders of generated images: what each toggle
// may and may not change in the outputs, what memory it bounds, how bad files,
// cancellation and the output folder are handled, and what the profiler
// records.
#include "measure/runrecorder.h"
#include "pipeline/decodecache.h"
#include "pipeline/pathsafety.h"
#include "pipeline/pipeline.h"
#include "pipeline/stages/load.h"
#include "pipeline/stages/save.h"
#include "pipeline/stages/scan.h"
#include "testimages.h"

#include <QDir>
#include <QEventLoop>
#include <QFutureWatcher>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>
#include <QtTest>

#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <set>
#include <vector>

using namespace pixelperf;
using namespace pixelperf::testing;

namespace {

// Sanitizer builds run several times slower (scripts/sanitize.sh).
#ifndef PIXELPERF_TIME_SCALE
#define PIXELPERF_TIME_SCALE 1
#endif
constexpr int TimeScale = PIXELPERF_TIME_SCALE;

constexpr int OutW = 200;
constexpr int OutH = 150;

PipelineConfig makeConfig(const QString &preset, const QString &in, const QString &out)
{
    PipelineConfig c;
    c.preset = preset;
    c.toggles = *presetToggles(preset);
    c.inputDir = in;
    c.outputDir = out;
    c.params.width = OutW;
    c.params.height = OutH;
    c.params.jobs = 2;
    return c;
}

// Every output of a run, decoded, by input file name.
std::map<QString, PixelBuffer> decodedOutputs(const RunResult &r)
{
    std::map<QString, PixelBuffer> outputs;
    for (const ImageRecord &rec : r.images) {
        if (!rec.ok)
            continue;
        LoadResult loaded = loadImage(rec.output(), LoadRequest {}, false);
        if (loaded.image)
            outputs.emplace(QFileInfo(rec.path).fileName(), loaded.image->pixels.clone());
    }
    return outputs;
}

int64_t fileSizes(const QString &dir)
{
    int64_t total = 0;
    for (const QFileInfo &info : QDir(dir).entryInfoList(QDir::Files))
        total += info.size();
    return total;
}

// Images done so far in a run that goes on.
int imagesDoneIn(const RunRecorder &recorder)
{
    SnapshotCursor skip { SIZE_MAX, SIZE_MAX, SIZE_MAX };
    return recorder.snapshot(&skip).imagesDone;
}

QString describeFailures(const RunResult &r)
{
    QStringList lines;
    if (!r.fatalError.isEmpty())
        lines << r.fatalError;
    for (const ImageRecord &rec : r.images)
        if (!rec.ok)
            lines << rec.path + QStringLiteral(": ") + rec.error;
    return lines.join(QLatin1Char('\n'));
}

} // namespace

class TestPipeline : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void buffersOutsideTheRunAreNotCounted();

    void toggleKeepsOutput_data();
    void toggleKeepsOutput();
    void presetPairsKeepOutput_data();
    void presetPairsKeepOutput();
    void shrinkOnLoadStaysClose();
    void lanczosAveragesFineStripes();
    void balancedQualityWritesSmallerFiles();
    void streamingBoundsPixelMemory();
    void peakRssIsEachRunsOwn();

    void brokenFileFailsAlone_data();
    void brokenFileFailsAlone();
    void unicodeNamesProcessed();
    void outputInsideInputNotRescanned_data();
    void outputInsideInputNotRescanned();
    void preflightRefuses_data();
    void preflightRefuses();
    void chosenFilesRunExactlyThose();
    void chosenFilesKeepOutputsOffTheirFolders();
    void runKeepsTheCallersListing();
    void cancelLeavesNoPartialFiles();
    void outputFolderDeletedMidRunIsMadeAgain();

    void profilerRecordsEveryStage_data();
    void profilerRecordsEveryStage();
    void copiesCountedPerStage();
    void snapshotCursorYieldsEachRecordOnce();
    void recordsHandedOverWithoutLiveReaders();
    void followedRunHoldsItsRecordsOnce();

private:
    QString copyImages(const QString &from, const QString &name, int count, const QString &suffix);
    QString freshDir();
    RunResult run(const PipelineConfig &config);

    QTemporaryDir m_tmp;
    int m_dirs = 0;
    QString m_png4; // 4 photo-like PNGs, 640x400
    QString m_jpeg4; // 4 photo-like JPEGs, 640x400
    QString m_jpeg30; // 30 photo-like JPEGs, 640x400
    QString m_small8; // 8 JPEGs, 320x200
    QString m_small40; // 40 JPEGs, 320x200
};

QString TestPipeline::copyImages(const QString &from, const QString &name, int count, const QString &suffix)
{
    // The same few pictures under more names: generating a photo-like image
    // costs far more than the pipeline spends on it.
    const QString dir = m_tmp.filePath(name);
    if (!QDir().mkpath(dir))
        return {};
    const QFileInfoList sources = QDir(from).entryInfoList(QDir::Files, QDir::Name);
    if (sources.isEmpty())
        return {};
    for (int i = 0; i < count; ++i) {
        const QString path = QDir(dir).filePath(
            QStringLiteral("sample_%1.%2").arg(i + 1, 3, 10, QLatin1Char('0')).arg(suffix));
        const QFileInfo &source = sources[i % sources.size()];
        if (source.suffix() == suffix) {
            if (!QFile::copy(source.filePath(), path))
                return {};
        } else {
            const LoadResult decoded = loadImage(source.filePath(), LoadRequest {}, false);
            if (!decoded.image || !saveImage(decoded.image->pixels, path, 92).error.isEmpty())
                return {};
        }
    }
    return dir;
}

QString TestPipeline::freshDir()
{
    return m_tmp.filePath(QStringLiteral("out%1").arg(++m_dirs));
}

RunResult TestPipeline::run(const PipelineConfig &config)
{
    return PipelineRun::runBlocking(config);
}

void TestPipeline::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    const GenerateResult jpeg4 = generateSamples(m_tmp.filePath(QStringLiteral("jpeg4")), 4, 640, 400);
    QVERIFY2(jpeg4.error.isEmpty(), qPrintable(jpeg4.error));
    m_jpeg4 = m_tmp.filePath(QStringLiteral("jpeg4"));
    // PNG in, PNG out: lossless both ways, so outputs compare pixel for pixel.
    m_png4 = copyImages(m_jpeg4, QStringLiteral("png4"), 4, QStringLiteral("png"));
    m_jpeg30 = copyImages(m_jpeg4, QStringLiteral("jpeg30"), 30, QStringLiteral("jpg"));
    const GenerateResult small = generateSamples(m_tmp.filePath(QStringLiteral("small")), 4, 320, 200);
    QVERIFY2(small.error.isEmpty(), qPrintable(small.error));
    m_small8 = copyImages(
        m_tmp.filePath(QStringLiteral("small")), QStringLiteral("small8"), 8, QStringLiteral("jpg"));
    m_small40 = copyImages(
        m_tmp.filePath(QStringLiteral("small")), QStringLiteral("small40"), 40, QStringLiteral("jpg"));
    QVERIFY(!m_png4.isEmpty() && !m_jpeg30.isEmpty());
    QVERIFY(!m_small8.isEmpty() && !m_small40.isEmpty());
}

void TestPipeline::buffersOutsideTheRunAreNotCounted()
{
    // The window's preview decodes images while a run goes: its buffers are
    // not the run's and stay out of the pixel-buffer series and peak, and
    // freeing them (wherever they were moved) takes nothing from it.
    const int64_t before = pixelaccounting::liveBytes();
    PixelBuffer counted(100, 10, 3);
    QCOMPARE(pixelaccounting::liveBytes(), before + 3000);
    PixelBuffer moved;
    {
        const pixelaccounting::UncountedScope uncounted;
        PixelBuffer preview(200, 10, 3);
        QCOMPARE(pixelaccounting::liveBytes(), before + 3000);
        moved = std::move(preview);
    }
    PixelBuffer afterScope(50, 10, 3); // counted again once the scope ends
    QCOMPARE(pixelaccounting::liveBytes(), before + 3000 + 1500);
    moved = PixelBuffer();
    QCOMPARE(pixelaccounting::liveBytes(), before + 3000 + 1500);
    counted = PixelBuffer();
    afterScope = PixelBuffer();
    QCOMPARE(pixelaccounting::liveBytes(), before);
}

void TestPipeline::init()
{
    // Each test starts cold: no decodes cached from an earlier test, and no
    // pixel buffers alive (the process-wide count starts at zero).
    DecodeCache::instance().clear();
    QCOMPARE(pixelaccounting::liveBytes(), int64_t(0));
}

// ---- what toggles change ----

void TestPipeline::toggleKeepsOutput_data()
{
    QTest::addColumn<int>("toggle");
    QTest::addColumn<int>("tolerance");
    QTest::addColumn<bool>("blurOnly");
    // Every toggle the table marks as not changing the output. Both paths of
    // each compute the same integers (the blur in exact fixed point, the
    // point operations through the same rounding functions), so the whole
    // pipeline's output must be identical, not merely close: sharpen (x2) and
    // contrast (x1.5) would amplify any difference upstream.
    for (const ToggleInfo &info : toggleTable()) {
        if (info.changesOutput)
            continue;
        const int tolerance = 0;
        const bool blurOnly = false;
        QTest::newRow(info.key) << int(info.id) << tolerance << blurOnly;
    }
}

void TestPipeline::toggleKeepsOutput()
{
    QFETCH(int, toggle);
    QFETCH(int, tolerance);
    QFETCH(bool, blurOnly);
    const ToggleId id = ToggleId(toggle);

    PipelineConfig on = makeConfig(QStringLiteral("optimized"), m_png4, freshDir());
    if (blurOnly) {
        on.params.sharpenEnabled = false;
        on.params.contrastEnabled = false;
        on.params.brightnessEnabled = false;
    }
    PipelineConfig off = on;
    off.outputDir = freshDir();
    off.toggles.set(id, false);

    RunResult withToggle = run(on);
    if (id == ToggleId::DecodeCache) {
        // The second run on the folder is the one the cache serves.
        on.outputDir = freshDir();
        withToggle = run(on);
        for (const ImageRecord &rec : withToggle.images)
            QVERIFY2(rec.fromCache, qPrintable(rec.path));
    }
    const RunResult withoutToggle = run(off);
    QVERIFY2(withToggle.summary.imagesOk == 4, qPrintable(describeFailures(withToggle)));
    QVERIFY2(withoutToggle.summary.imagesOk == 4, qPrintable(describeFailures(withoutToggle)));

    const std::map<QString, PixelBuffer> a = decodedOutputs(withToggle);
    const std::map<QString, PixelBuffer> b = decodedOutputs(withoutToggle);
    QCOMPARE(a.size(), size_t(4));
    QCOMPARE(b.size(), size_t(4));
    for (const auto &[name, pixels] : a) {
        QVERIFY(b.count(name));
        QCOMPARE(pixels.width(), OutW);
        QCOMPARE(pixels.height(), OutH);
        const int diff = maxAbsDiff(pixels, b.at(name));
        QVERIFY2(diff >= 0 && diff <= tolerance,
            qPrintable(QStringLiteral("%1: outputs differ by up to %2").arg(name).arg(diff)));
    }
}

void TestPipeline::presetPairsKeepOutput_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    // Each pair differs only in toggles that keep the output (on PNG inputs
    // shrink-on-load has nothing to shrink): seed-baseline is naive with the
    // demo's efficient kernels, optimized is seed-optimized with ours.
    QTest::newRow("naive, seed-baseline") << "naive"
                                          << "seed-baseline";
    QTest::newRow("seed-optimized, optimized") << "seed-optimized"
                                               << "optimized";
    QTest::newRow("baseline (the old name), naive") << "baseline"
                                                    << "naive";
}

void TestPipeline::presetPairsKeepOutput()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    const RunResult ra = run(makeConfig(a, m_png4, freshDir()));
    const RunResult rb = run(makeConfig(b, m_png4, freshDir()));
    QVERIFY2(ra.summary.imagesOk == 4, qPrintable(describeFailures(ra)));
    QVERIFY2(rb.summary.imagesOk == 4, qPrintable(describeFailures(rb)));
    const std::map<QString, PixelBuffer> oa = decodedOutputs(ra);
    const std::map<QString, PixelBuffer> ob = decodedOutputs(rb);
    QCOMPARE(oa.size(), size_t(4));
    for (const auto &[name, pixels] : oa) {
        QVERIFY(ob.count(name));
        QCOMPARE(maxAbsDiff(pixels, ob.at(name)), 0);
    }
    // And the seed pair itself differs where the demo's programs do: the
    // resampling.
    if (a == QLatin1String("naive")) {
        const RunResult seedOpt = run(makeConfig(QStringLiteral("seed-optimized"), m_png4, freshDir()));
        const std::map<QString, PixelBuffer> oc = decodedOutputs(seedOpt);
        QVERIFY(maxAbsDiff(ob.begin()->second, oc.at(ob.begin()->first)) > 0);
    }
}

void TestPipeline::shrinkOnLoadStaysClose()
{
    // 640x400 JPEGs to 200x150: decoded at 1/2 (320x200 still covers
    // 200x150; 1/4 would not), then resized, against the full decode.
    PipelineConfig on = makeConfig(QStringLiteral("optimized"), m_jpeg4, freshDir());
    PipelineConfig off = on;
    off.outputDir = freshDir();
    off.toggles.set(ToggleId::ShrinkOnLoad, false);
    const RunResult shrunk = run(on);
    const RunResult full = run(off);
    QCOMPARE(shrunk.summary.imagesOk, 4);
    QCOMPARE(full.summary.imagesOk, 4);
    for (const ImageRecord &rec : shrunk.images) {
        QCOMPARE(rec.scaleDenominator, 2);
        QCOMPARE(rec.sourceWidth, 640);
    }
    for (const ImageRecord &rec : full.images)
        QCOMPARE(rec.scaleDenominator, 1);

    // The spec asks the optimized pipeline to stay "well above 30 dB" from the
    // reference. Shrinking first only loses detail above the output's
    // Nyquist limit, which the Lanczos filter removes anyway (and the blur
    // after it); on these images the two outputs are 46-48 dB apart. 40 dB
    // leaves room for the two JPEG encodes of the outputs and the x2
    // sharpen, yet fails if the shrunk decode were shifted or sampled
    // without filtering.
    const std::map<QString, PixelBuffer> a = decodedOutputs(shrunk);
    const std::map<QString, PixelBuffer> b = decodedOutputs(full);
    QCOMPARE(a.size(), size_t(4));
    for (const auto &[name, pixels] : a) {
        const double quality = psnr(pixels, b.at(name));
        QVERIFY2(quality > 40.0, qPrintable(QStringLiteral("%1: %2 dB").arg(name).arg(quality)));
        QVERIFY2(quality < 99.0, "shrink-on-load changed nothing: was it applied?");
    }
}

void TestPipeline::lanczosAveragesFineStripes()
{
    // One-pixel vertical stripes (black, white, black, ...) halved to 200x150:
    // the true picture at that size is a flat mid grey (mean 127.5).
    // Nearest neighbour picks source column floor((x + 0.5) * 2) = 2x + 1,
    // always a white one: the output is flat white, twice as bright as the
    // input, a classic alias. Lanczos-3 at scale 2 weighs each black/white
    // pair equally around the centre 2x + 1 and gives 127 or 128.
    const QString in = m_tmp.filePath(QStringLiteral("stripes"));
    QVERIFY(QDir().mkpath(in));
    const PixelBuffer stripes
        = makeBuffer(2 * OutW, 2 * OutH, 3, [](int x, int, int) { return x % 2 ? 255 : 0; });
    QVERIFY(saveImage(stripes, QDir(in).filePath(QStringLiteral("stripes.png")), 0).error.isEmpty());

    PipelineConfig lanczos = makeConfig(QStringLiteral("optimized"), in, freshDir());
    // The resize alone: the later stages would only blur the evidence.
    lanczos.params.blurEnabled = false;
    lanczos.params.sharpenEnabled = false;
    lanczos.params.contrastEnabled = false;
    lanczos.params.brightnessEnabled = false;
    PipelineConfig nearest = lanczos;
    nearest.outputDir = freshDir();
    nearest.toggles.set(ToggleId::Lanczos, false);

    const std::map<QString, PixelBuffer> a = decodedOutputs(run(lanczos));
    const std::map<QString, PixelBuffer> b = decodedOutputs(run(nearest));
    QCOMPARE(a.size(), size_t(1));
    QCOMPARE(b.size(), size_t(1));
    const PixelBuffer &smooth = a.begin()->second;
    const PixelBuffer &aliased = b.begin()->second;

    auto mean = [](const PixelBuffer &p) {
        double total = 0;
        for (size_t i = 0; i < p.byteSize(); ++i)
            total += p.data()[i];
        return total / double(p.byteSize());
    };
    QVERIFY2(std::abs(mean(smooth) - 127.5) < 2.0, qPrintable(QString::number(mean(smooth))));
    // Away from the left/right edges (where the filter is cut), every pixel is grey.
    for (int y = 0; y < OutH; ++y)
        for (int x = 3; x < OutW - 3; ++x)
            QVERIFY2(std::abs(smooth.row(y)[x * 3] - 127.5) <= 1.5,
                qPrintable(QStringLiteral("(%1,%2) = %3").arg(x).arg(y).arg(smooth.row(y)[x * 3])));
    QVERIFY2(std::abs(mean(aliased) - 127.5) > 100, qPrintable(QString::number(mean(aliased))));
}

void TestPipeline::balancedQualityWritesSmallerFiles()
{
    PipelineConfig on = makeConfig(QStringLiteral("optimized"), m_jpeg4, freshDir());
    PipelineConfig off = on;
    off.outputDir = freshDir();
    off.toggles.set(ToggleId::BalancedQuality, false);
    const RunResult q80 = run(on);
    const RunResult q95 = run(off);
    QCOMPARE(q80.summary.imagesOk, 4);
    QCOMPARE(q95.summary.imagesOk, 4);
    // bytes_out is what was written.
    QCOMPARE(q80.summary.bytesOut, fileSizes(on.outputDir));
    QCOMPARE(q95.summary.bytesOut, fileSizes(off.outputDir));
    QVERIFY2(q80.summary.bytesOut < q95.summary.bytesOut,
        qPrintable(QStringLiteral("%1 vs %2").arg(q80.summary.bytesOut).arg(q95.summary.bytesOut)));
    for (size_t i = 0; i < q80.images.size(); ++i)
        QVERIFY(q80.images[i].bytesOut < q95.images[i].bytesOut);
}

void TestPipeline::peakRssIsEachRunsOwn()
{
#if !defined(__GLIBC__) || defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    QSKIP("needs glibc's allocator (a sanitizer brings its own)");
#else
    // What earlier runs leave behind (buffers pooled for reuse, memory freed
    // to the allocator but not to the system) must not count in the next
    // run's peak RSS: runs are compared, and ablation charts each one's
    // memory saving. Left-overs as a heavy run leaves them: 16 pooled 2 MiB
    // buffers, and 200 freed 100 KiB blocks in the allocator's free lists.
    {
        std::vector<PixelBuffer> buffers;
        for (int i = 0; i < 16; ++i) {
            buffers.emplace_back(1024, 683, 3);
            std::memset(buffers.back().data(), i, buffers.back().byteSize());
        }
    }
    std::vector<void *> blocks;
    for (int i = 0; i < 201; ++i) {
        blocks.push_back(std::malloc(100 << 10));
        std::memset(blocks.back(), i, 100 << 10);
    }
    for (int i = 0; i < 200; ++i) // the last stays: the heap's top cannot shrink by itself
        std::free(blocks[size_t(i)]);
    const int64_t before = RunRecorder::currentRssBytes();

    PipelineConfig c = makeConfig(QStringLiteral("optimized"), m_small8, freshDir());
    c.toggles.set(ToggleId::DecodeCache, false);
    c.params.cacheMiB = 0;
    const RunResult r = run(c);
    std::free(blocks.back());
    QCOMPARE(r.summary.imagesOk, 8);
    const QString report = QStringLiteral("RSS with the left-overs %1 MiB, then the run's peak %2 MiB")
                               .arg(before >> 20)
                               .arg(r.summary.peakRssBytes >> 20);
    // About 50 MiB was left over; kept, the peak would be at least `before`.
    QVERIFY2(r.summary.peakRssBytes < before - (10 << 20), qPrintable(report));
#endif
}

void TestPipeline::streamingBoundsPixelMemory()
{
    // 320x200 JPEGs to 160x120 on 2 workers. Per image the decode is
    // 320*200*3 = 192000 bytes and the output 160*120*3 = 57600; kept until
    // the end of the run, that is 249600 bytes an image.
    // In flight, one image's working set is its decode plus the stage
    // buffers: at most the resize's transposed intermediate (320x120 at 16
    // bits a value: 230400 bytes) and its output alive beside the decode,
    // within 3 decodes.
    const int64_t decoded = 320 * 200 * 3;
    const int64_t output = 160 * 120 * 3;
    const int64_t kept = decoded + output;
    const int64_t workingSet = 3 * decoded;
    int64_t peak[2][2] = {}; // [streaming][40 images]
    for (bool streaming : { true, false }) {
        for (bool many : { false, true }) {
            PipelineConfig c
                = makeConfig(QStringLiteral("optimized"), many ? m_small40 : m_small8, freshDir());
            c.params.width = 160;
            c.params.height = 120;
            c.params.cacheMiB = 0;
            c.toggles.set(ToggleId::DecodeCache, false); // the cache holds pixels too
            c.toggles.set(ToggleId::Streaming, streaming);
            const RunResult r = run(c);
            QCOMPARE(r.summary.imagesOk, many ? 40 : 8);
            QCOMPARE(r.summary.workers, 2);
            peak[streaming][many] = r.summary.peakPixelBytes;
            // Everything is released once the run is over, kept or not.
            QCOMPARE(pixelaccounting::liveBytes(), int64_t(0));
        }
    }
    const QString report = QStringLiteral("peaks: streaming 8=%1 40=%2; kept 8=%3 40=%4")
                               .arg(peak[1][0])
                               .arg(peak[1][1])
                               .arg(peak[0][0])
                               .arg(peak[0][1]);
    // Streaming: bounded by the two workers' working sets, whatever the
    // count. (Not "40 <= 8" to the byte: how the two workers' stages happen
    // to overlap moves the peak by up to one working set.)
    QVERIFY2(peak[1][0] >= decoded, qPrintable(report));
    QVERIFY2(peak[1][1] <= 2 * workingSet, qPrintable(report));
    QVERIFY2(peak[1][1] <= peak[1][0] + workingSet, qPrintable(report));
    // Kept: when the last image is stored, all 40 decodes and outputs are
    // alive at once; memory grows with the folder.
    QVERIFY2(peak[0][1] >= 40 * kept, qPrintable(report));
    QVERIFY2(peak[0][0] >= 8 * kept, qPrintable(report));
    QVERIFY2(peak[0][1] > 3 * peak[0][0], qPrintable(report));
    QVERIFY2(peak[0][1] > 5 * peak[1][1], qPrintable(report));
}

// ---- errors, output folder, cancellation ----

void TestPipeline::brokenFileFailsAlone_data()
{
    QTest::addColumn<QString>("preset");
    QTest::newRow("optimized") << "optimized";
    QTest::newRow("baseline") << "baseline";
}

void TestPipeline::brokenFileFailsAlone()
{
    QFETCH(QString, preset);
    const QString in = m_tmp.filePath(QStringLiteral("broken-") + preset);
    QVERIFY(QDir().mkpath(in));
    for (const QString &name : { QStringLiteral("a.png"), QStringLiteral("c.png"), QStringLiteral("d.png") })
        QVERIFY(saveImage(photoLike(160, 100), QDir(in).filePath(name), 0).error.isEmpty());
    {
        QFile broken(QDir(in).filePath(QStringLiteral("b.png")));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("this is a shopping list, not a picture\n");
    }
    const QString out = freshDir();
    const RunResult r = run(makeConfig(preset, in, out));
    QVERIFY(r.ok());
    QCOMPARE(r.summary.imagesTotal, 4);
    QCOMPARE(r.summary.imagesFailed, 1);
    QCOMPARE(r.summary.imagesOk, 3);
    QCOMPARE(r.summary.imagesCancelled, 0);
    QVERIFY(!r.summary.cancelled);
    // bytes_in: what the images that loaded read, byte for byte.
    QCOMPARE(r.summary.bytesIn, fileSizes(in) - QFileInfo(QDir(in).filePath(QStringLiteral("b.png"))).size());

    QCOMPARE(int(r.images.size()), 4);
    for (const ImageRecord &rec : r.images) {
        const QString name = QFileInfo(rec.path).fileName();
        if (name == QLatin1String("b.png")) {
            QVERIFY(!rec.ok);
            QVERIFY(!rec.cancelled);
            // "<stage>: <reason>"
            QVERIFY2(rec.error.startsWith(QLatin1String("load: ")), qPrintable(rec.error));
            QVERIFY2(rec.error.contains(QLatin1String("not an image")), qPrintable(rec.error));
            QVERIFY(rec.output().isEmpty());
        } else {
            QVERIFY2(rec.ok, qPrintable(rec.error));
            QVERIFY(rec.error.isEmpty());
            QCOMPARE(rec.output(), QDir(out).filePath(QStringLiteral("processed_") + name));
            QCOMPARE(rec.width, OutW);
            QCOMPARE(rec.height, OutH);
        }
    }
    QStringList written = QDir(out).entryList(QDir::Files | QDir::Hidden);
    written.sort();
    QCOMPARE(written, (QStringList { "processed_a.png", "processed_c.png", "processed_d.png" }));
    // Inputs untouched.
    QCOMPARE(QDir(in).entryList(QDir::Files).size(), 4);
}

void TestPipeline::unicodeNamesProcessed()
{
    const QString in = m_tmp.filePath(QStringLiteral("été ☀ photos"));
    QVERIFY(QDir().mkpath(in));
    const QStringList names
        = { QStringLiteral("café.png"), QStringLiteral("日本 写真.jpg"), QStringLiteral("camera 📷.png") };
    for (const QString &name : names)
        QVERIFY(saveImage(photoLike(160, 100), QDir(in).filePath(name), 90).error.isEmpty());
    const QString out = m_tmp.filePath(QStringLiteral("sortie ✓"));
    const RunResult r = run(makeConfig(QStringLiteral("optimized"), in, out));
    QVERIFY2(r.summary.imagesOk == 3, qPrintable(describeFailures(r)));
    for (const QString &name : names) {
        const QString written = QDir(out).filePath(QStringLiteral("processed_") + name);
        const LoadResult decoded = loadImage(written, LoadRequest {}, false);
        QVERIFY2(decoded.image, qPrintable(written + QStringLiteral(": ") + decoded.error));
        QCOMPARE(decoded.image->pixels.width(), OutW);
    }
}

void TestPipeline::outputInsideInputNotRescanned_data()
{
    QTest::addColumn<bool>("recursive");
    QTest::addColumn<QString>("outputSuffix");
    QTest::newRow("flat") << false << "";
    QTest::newRow("recursive") << true << "";
    QTest::newRow("recursive, output with trailing slash") << true << "/";
}

void TestPipeline::outputInsideInputNotRescanned()
{
    QFETCH(bool, recursive);
    QFETCH(QString, outputSuffix);
    const QString in = m_tmp.filePath(QStringLiteral("nested-%1").arg(++m_dirs));
    QVERIFY(QDir().mkpath(in + QStringLiteral("/album")));
    QVERIFY(saveImage(photoLike(160, 100, 1), in + QStringLiteral("/one.png"), 0).error.isEmpty());
    QVERIFY(saveImage(photoLike(160, 100, 2), in + QStringLiteral("/two.jpg"), 90).error.isEmpty());
    QVERIFY(saveImage(photoLike(160, 100, 3), in + QStringLiteral("/album/three.png"), 0).error.isEmpty());
    PipelineConfig c
        = makeConfig(QStringLiteral("optimized"), in, in + QStringLiteral("/processed") + outputSuffix);
    c.params.recursive = recursive;
    const int expected = recursive ? 3 : 2;

    const RunResult first = run(c);
    QVERIFY2(first.ok(), qPrintable(first.fatalError));
    QCOMPARE(first.summary.imagesTotal, expected);
    QCOMPARE(first.summary.imagesOk, expected);
    const RunResult second = run(c);
    QCOMPARE(second.summary.imagesTotal, first.summary.imagesTotal);
    QCOMPARE(second.files, first.files);
    for (const QString &file : second.files)
        QVERIFY2(!QFileInfo(file).fileName().startsWith(QLatin1String("processed_")), qPrintable(file));
    // Subfolders are mirrored under the output folder.
    if (recursive)
        QVERIFY(QFileInfo::exists(in + QStringLiteral("/processed/album/processed_three.png")));
}

void TestPipeline::preflightRefuses_data()
{
    QTest::addColumn<QString>("input"); // relative to the temporary root; "" = none
    QTest::addColumn<QString>("output"); // idem
    QTest::addColumn<int>("width");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("output is the input") << "png4"
                                         << "png4" << OutW << "input folder";
    QTest::newRow("output is the input, spelt differently") << "png4"
                                                            << "png4/../png4/." << OutW << "input folder";
    QTest::newRow("missing input") << "no-such-folder"
                                   << "out-missing" << OutW << "does not exist";
    QTest::newRow("no input") << ""
                              << "out-none" << OutW << "no input folder";
    QTest::newRow("input is a file") << "png4/sample_001.png"
                                     << "out-file" << OutW << "not a folder";
    QTest::newRow("output is a file") << "png4"
                                      << "png4/sample_001.png" << OutW << "not a folder";
    QTest::newRow("bad size") << "png4"
                              << "out-size" << 0 << "out of range";
}

void TestPipeline::preflightRefuses()
{
    QFETCH(QString, input);
    QFETCH(QString, output);
    QFETCH(int, width);
    QFETCH(QString, mentions);
    PipelineConfig c = makeConfig(QStringLiteral("optimized"),
        input.isEmpty() ? QString() : m_tmp.filePath(input), m_tmp.filePath(output));
    c.params.width = width;
    const QStringList before = QDir(m_png4).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    const QString reason = PipelineRun::preflight(c);
    QVERIFY2(reason.contains(mentions), qPrintable(reason));
    // A run with it does not start: a fatal error, no images, nothing written.
    const RunResult r = run(c);
    QVERIFY(!r.ok());
    QCOMPARE(r.fatalError, reason);
    QCOMPARE(r.summary.imagesTotal, 0);
    QCOMPARE(QDir(m_png4).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), before);
}

void TestPipeline::chosenFilesRunExactlyThose()
{
    // Two of a folder's eight images (in the order given, one given twice),
    // one of the same name from another folder, one missing and one that is
    // no picture: exactly these run, the two bad ones fail with their
    // reason and the rest go on.
    const QString other = m_tmp.filePath(QStringLiteral("chosen-other"));
    QVERIFY(QDir().mkpath(other));
    QVERIFY(QFile::copy(QDir(m_jpeg4).filePath(QStringLiteral("sample_002.jpg")),
        QDir(other).filePath(QStringLiteral("sample_001.jpg"))));
    const QString notes = QDir(other).filePath(QStringLiteral("notes.txt"));
    {
        QFile f(notes);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a picture\n");
    }
    const QString third = QDir(m_small8).filePath(QStringLiteral("sample_003.jpg"));
    const QString first = QDir(m_small8).filePath(QStringLiteral("sample_001.jpg"));
    const QString missing = QDir(m_small8).filePath(QStringLiteral("gone.jpg"));
    const QString namesake = QDir(other).filePath(QStringLiteral("sample_001.jpg"));
    const QString out = freshDir();
    PipelineConfig c = makeConfig(QStringLiteral("optimized"), QString(), out);
    c.setInputFiles(
        { third, first, missing, m_small8 + QStringLiteral("/./sample_003.jpg"), namesake, notes });
    QCOMPARE(c.inputDir, m_tmp.path());

    const RunResult r = run(c);
    QVERIFY2(r.ok(), qPrintable(r.fatalError));
    QCOMPARE(r.files, (QStringList { third, first, missing, namesake, notes }));
    QCOMPARE(r.summary.imagesTotal, 5);
    QCOMPARE(r.summary.imagesOk, 3);
    QCOMPARE(r.summary.imagesFailed, 2);
    QCOMPARE(r.summary.directoryListings, 0);
    QVERIFY2(r.images[2].error.contains(QLatin1String("does not exist")), qPrintable(r.images[2].error));
    QVERIFY2(r.images[4].error.contains(QLatin1String("not an image")), qPrintable(r.images[4].error));
    // Each output lies in the output folder itself (each input's folder is
    // its own input folder); the namesake is numbered, not overwritten.
    QCOMPARE(r.images[0].output(), QDir(out).filePath(QStringLiteral("processed_sample_003.jpg")));
    QCOMPARE(r.images[1].output(), QDir(out).filePath(QStringLiteral("processed_sample_001.jpg")));
    QCOMPARE(r.images[3].output(), QDir(out).filePath(QStringLiteral("processed_sample_001-2.jpg")));
    QCOMPARE(QDir(out).entryList(QDir::Files | QDir::Hidden, QDir::Name),
        (QStringList {
            "processed_sample_001-2.jpg", "processed_sample_001.jpg", "processed_sample_003.jpg" }));
    QCOMPARE(QDir(m_small8).entryList(QDir::Files).size(), 8); // inputs untouched
}

void TestPipeline::chosenFilesKeepOutputsOffTheirFolders()
{
    // Every chosen file's folder is an input folder: neither the outputs nor
    // a report may go there, however the path is spelt.
    const QString other = m_tmp.filePath(QStringLiteral("chosen-guarded"));
    QVERIFY(QDir().mkpath(other));
    const QString theirs = QDir(other).filePath(QStringLiteral("b.png"));
    QVERIFY(saveImage(photoLike(160, 100), theirs, 0).error.isEmpty());
    PipelineConfig c = makeConfig(QStringLiteral("optimized"), QString(), QString());
    c.setInputFiles({ QDir(m_png4).filePath(QStringLiteral("sample_001.png")), theirs });
    const QStringList before = QDir(other).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);

    c.outputDir = other + QStringLiteral("/../chosen-guarded/.");
    QString reason = PipelineRun::preflight(c);
    QVERIFY2(
        reason.contains(QLatin1String("folder of the input")) && reason.contains(theirs), qPrintable(reason));
    const RunResult r = run(c);
    QCOMPARE(r.fatalError, reason);
    QCOMPARE(QDir(other).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), before);
    c.outputDir = theirs;
    reason = PipelineRun::preflight(c);
    QVERIFY2(reason.contains(QLatin1String("not a folder")), qPrintable(reason));

    // The folders around them are fine: their common parent, for one.
    c.outputDir = m_tmp.filePath(QStringLiteral("chosen-guarded-out"));
    QVERIFY2(PipelineRun::preflight(c).isEmpty(), qPrintable(PipelineRun::preflight(c)));
    const QString report = exportPathProblem(QDir(other).filePath(QStringLiteral("r.json")), c);
    QVERIFY2(report.contains(QLatin1String("input folder")), qPrintable(report));
    QVERIFY(!exportPathProblem(QDir(m_png4).filePath(QStringLiteral("r.json")), c).isEmpty());
    QVERIFY(exportPathProblem(QDir(c.outputDir).filePath(QStringLiteral("r.json")), c).isEmpty());
    QVERIFY(exportPathProblem(m_tmp.filePath(QStringLiteral("r.json")), c).isEmpty());
}

void TestPipeline::runKeepsTheCallersListing()
{
    // The window hands the run its listing: a scan that finds the same files
    // keeps the window's strings (one copy of each path, not two); one that
    // finds others (the folder changed) runs on what it found.
    const QStringList listed = scanImages(m_small8, false, QString(), true).files;
    PipelineConfig c = makeConfig(QStringLiteral("optimized"), m_small8, freshDir());
    c.listedFiles = listed;
    const RunResult same = run(c);
    QVERIFY2(same.ok(), qPrintable(same.fatalError));
    QCOMPARE(same.files, listed);
    QCOMPARE(same.files.constData(), listed.constData()); // the same list, shared
    QCOMPARE(same.images[0].path.constData(), listed[0].constData());
    QVERIFY(same.config.listedFiles.isEmpty()); // a hint, not part of the record
    QCOMPARE(same.summary.imagesOk, int(listed.size()));

    c.listedFiles = listed.mid(1);
    c.outputDir = freshDir();
    const RunResult changed = run(c);
    QCOMPARE(changed.files, listed);
    QVERIFY(changed.files.constData() != listed.constData());
    QCOMPARE(changed.summary.imagesOk, int(listed.size()));
}

void TestPipeline::outputFolderDeletedMidRunIsMadeAgain()
{
    // The output folder is made once a run; deleted while the run goes (a
    // user cleaning up), it is made again for the next image, not every
    // image after failing. The baseline is one image at a time, slowly.
    const QString out = freshDir();
    PipelineRun pipeline(makeConfig(QStringLiteral("baseline"), m_jpeg30, out));
    const std::shared_ptr<RunRecorder> recorder = pipeline.recorder();
    const QFuture<RunResult> going = QtConcurrent::run([&pipeline] { return pipeline.run(); });
    QTRY_VERIFY_WITH_TIMEOUT(imagesDoneIn(*recorder) >= 1, 30000 * TimeScale);
    // Gone at some moment (a save may put a file back in between tries).
    QTRY_VERIFY_WITH_TIMEOUT(QDir(out).removeRecursively(), 10000 * TimeScale);
    const int doneWhenDeleted = imagesDoneIn(*recorder);
    const RunResult r = going.result();
    QVERIFY2(doneWhenDeleted < 30, "the run ended before its folder was deleted: nothing was tested");
    QVERIFY2(r.summary.imagesFailed == 0, qPrintable(describeFailures(r)));
    QCOMPARE(r.summary.imagesOk, 30);
    // The images saved after the deletion are there.
    QVERIFY(QDir(out).entryList(QDir::Files).size() >= 30 - doneWhenDeleted);
}

void TestPipeline::cancelLeavesNoPartialFiles()
{
    // The baseline is one image at a time, slowly: plenty left to cancel.
    const QString out = freshDir();
    PipelineRun pipeline(makeConfig(QStringLiteral("baseline"), m_jpeg30, out));
    const std::shared_ptr<RunRecorder> recorder = pipeline.recorder();
    const QFuture<RunResult> going = QtConcurrent::run([&pipeline] { return pipeline.run(); });
    QTRY_VERIFY_WITH_TIMEOUT(imagesDoneIn(*recorder) >= 1, 30000 * TimeScale);
    pipeline.cancel();
    QVERIFY(pipeline.isCancelRequested());

    const RunResult r = going.result();
    QVERIFY(r.ok());
    QVERIFY(r.summary.cancelled);
    QCOMPARE(r.summary.imagesTotal, 30);
    QVERIFY(r.summary.imagesOk >= 1);
    QVERIFY2(r.summary.imagesCancelled > 0, "the run finished before the cancel: nothing was tested");
    QCOMPARE(r.summary.imagesFailed, 0);
    QCOMPARE(r.summary.imagesOk + r.summary.imagesCancelled, 30);
    {
        SnapshotCursor skip { SIZE_MAX, SIZE_MAX, SIZE_MAX };
        const ProfileSnapshot last = recorder->snapshot(&skip);
        QVERIFY(last.finished);
        QVERIFY(last.cancelled);
    }

    // Only complete outputs, under their final names: no temporary file of an
    // interrupted save, no write probe.
    const QRegularExpression finalName(QStringLiteral("^processed_sample_\\d{3}\\.jpg$"));
    const QStringList entries
        = QDir(out).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    for (const QString &name : entries)
        QVERIFY2(finalName.match(name).hasMatch(), qPrintable(name));
    QCOMPARE(int(entries.size()), r.summary.imagesOk);
    for (const ImageRecord &rec : r.images) {
        if (rec.ok) {
            const LoadResult written = loadImage(rec.output(), LoadRequest {}, false);
            QVERIFY2(written.image, qPrintable(rec.output() + QStringLiteral(": ") + written.error));
            QCOMPARE(written.image->pixels.width(), OutW);
        } else {
            QVERIFY(rec.cancelled);
            QVERIFY2(rec.error.contains(QLatin1String("cancelled")), qPrintable(rec.error));
            QVERIFY(rec.output().isEmpty());
            QVERIFY(!QFileInfo::exists(
                QDir(out).filePath(PipelineRun::outputNameFor(QFileInfo(rec.path).fileName()))));
        }
    }
}

// ---- the profiler ----

void TestPipeline::profilerRecordsEveryStage_data()
{
    QTest::addColumn<bool>("parallel");
    QTest::addColumn<bool>("blur");
    QTest::addColumn<int>("workers"); // distinct lanes expected
    QTest::newRow("parallel, 2 jobs") << true << true << 2;
    QTest::newRow("sequential") << false << true << 1;
    QTest::newRow("parallel, blur switched off") << true << false << 2;
}

void TestPipeline::profilerRecordsEveryStage()
{
    QFETCH(bool, parallel);
    QFETCH(bool, blur);
    QFETCH(int, workers);
    PipelineConfig c = makeConfig(QStringLiteral("optimized"), m_jpeg30, freshDir());
    c.toggles.set(ToggleId::Parallel, parallel);
    c.params.blurEnabled = blur;
    const RunResult r = run(c);
    QCOMPARE(r.summary.imagesOk, 30);
    QCOMPARE(r.summary.workers, workers);

    std::set<Stage> enabled;
    for (Stage s : imageStages())
        if (blur || s != Stage::Blur)
            enabled.insert(s);

    // One scan span for the run, from the controller; one span per image and
    // enabled stage, from a worker lane 0..jobs-1.
    std::map<std::pair<int, Stage>, int> count;
    std::set<int> lanes;
    int scans = 0;
    for (const StageSpan &span : r.spans) {
        QVERIFY(span.endNs() >= span.startNs());
        QVERIFY(span.startNs() >= 0);
        QVERIFY(span.endNs() <= int64_t(r.summary.wallMs * 1e6) + 1000000);
        if (span.stage() == Stage::Scan) {
            ++scans;
            QCOMPARE(span.image(), -1);
            QCOMPARE(span.worker(), -1);
            continue;
        }
        QVERIFY2(span.worker() >= 0 && span.worker() < workers, qPrintable(QString::number(span.worker())));
        QVERIFY(span.image() >= 0 && span.image() < 30);
        QVERIFY(enabled.count(span.stage()));
        lanes.insert(span.worker());
        ++count[{ span.image(), span.stage() }];
    }
    QCOMPARE(scans, 1);
    QCOMPARE(int(lanes.size()), workers);
    for (int image = 0; image < 30; ++image) {
        for (Stage s : enabled) {
            const int spansOfStage = count[std::make_pair(image, s)];
            QVERIFY2(spansOfStage == 1,
                qPrintable(
                    QStringLiteral("image %1, %2: %3 spans").arg(image).arg(stageName(s)).arg(spansOfStage)));
        }
    }
    for (const ImageRecord &rec : r.images)
        for (Stage s : imageStages())
            QCOMPARE(rec.stageMs(s) >= 0, enabled.count(s) == 1);

    // Per-stage statistics over those spans.
    for (const StageStats &st : r.stages)
        QCOMPARE(st.count, st.stage == Stage::Scan ? 1 : 30);
    QCOMPARE(int(r.stages.size()), 1 + int(enabled.size()));

    // Memory sampled over the run: at least at its start and end, in time order.
    QVERIFY(r.memory.size() >= 2);
    for (size_t i = 1; i < r.memory.size(); ++i)
        QVERIFY2(r.memory[i].tNs > r.memory[i - 1].tNs, qPrintable(QString::number(i)));
    QVERIFY(r.memory.back().rssBytes > 0);
    QCOMPARE(r.memory.back().imagesDone, 30);
}

void TestPipeline::copiesCountedPerStage()
{
    const PipelineConfig optimized = makeConfig(QStringLiteral("optimized"), m_png4, freshDir());
    PipelineConfig copying = optimized;
    copying.outputDir = freshDir();
    copying.toggles.set(ToggleId::NoCopies, false);
    const PipelineConfig baseline = makeConfig(QStringLiteral("baseline"), m_png4, freshDir());

    // no-copies on: not a single deep copy, anywhere; the blur works in
    // place (its ring of rows is all it allocates).
    const RunResult none = run(optimized);
    QCOMPARE(none.summary.imagesOk, 4);
    for (const StageSpan &span : none.spans) {
        QVERIFY2(span.copies() == 0, stageName(span.stage()));
        if (span.stage() == Stage::Blur)
            QVERIFY(span.bytesAllocated() < uint64_t(OutW) * OutH * 3);
    }

    // Off: each stage that runs copies its input first. (With fused point
    // ops, brightness and convert were folded into contrast and do not run.)
    const std::set<Stage> copyingStages = { Stage::Resize, Stage::Blur, Stage::Sharpen, Stage::Contrast };
    const RunResult copied = run(copying);
    QCOMPARE(copied.summary.imagesOk, 4);
    for (const StageSpan &span : copied.spans) {
        if (copyingStages.count(span.stage()))
            QVERIFY2(span.copies() > 0, stageName(span.stage()));
        // Copying costs allocations: the stage's pixel bytes include the copy.
        if (span.stage() == Stage::Blur)
            QVERIFY(span.bytesAllocated() >= uint64_t(OutW) * OutH * 3);
    }

    // The baseline also runs brightness and convert as passes of their own.
    const RunResult base = run(baseline);
    QCOMPARE(base.summary.imagesOk, 4);
    std::map<Stage, uint64_t> copiesByStage;
    for (const StageStats &st : base.stages)
        copiesByStage[st.stage] = st.copies;
    for (Stage s :
        { Stage::Resize, Stage::Blur, Stage::Sharpen, Stage::Contrast, Stage::Brightness, Stage::Convert })
        QVERIFY2(copiesByStage[s] >= 4, stageName(s)); // at least one per image
    QCOMPARE(copiesByStage[Stage::Load], uint64_t(0));
    QCOMPARE(copiesByStage[Stage::Save], uint64_t(0));
}

void TestPipeline::recordsHandedOverWithoutLiveReaders()
{
    // The CLI follows no run's spans live: its runs move their records into
    // the result, so that a run of 100,000 images holds them once, and the
    // result is the same as one copied for a window that does follow them.
    const PipelineConfig config = makeConfig(QStringLiteral("optimized"), m_small8, freshDir());
    PipelineRun live(config);
    const RunResult copied = live.run();
    PipelineRun handed(config);
    handed.setLiveRecords(false);
    const RunResult moved = handed.run();
    QVERIFY(copied.ok() && moved.ok());
    QCOMPARE(moved.summary.imagesOk, 8);
    QCOMPARE(moved.spans.size(), copied.spans.size());
    QCOMPARE(moved.images.size(), copied.images.size());
    for (size_t i = 0; i < moved.images.size(); ++i) {
        QCOMPARE(moved.images[i].path, copied.images[i].path);
        QCOMPARE(moved.images[i].output().isEmpty(), false);
    }
    QCOMPARE(moved.stages.size(), copied.stages.size());
    QVERIFY(handed.recorder()->spans().empty());
    QVERIFY(handed.recorder()->images().empty());
    QCOMPARE(live.recorder()->spans().size(), copied.spans.size());
}

namespace {

// What a reader polling a run got, snapshot after snapshot.
struct Polled {
    std::vector<StageSpan> spans;
    std::vector<ImageRecord> images;
    std::vector<MemorySample> memory;
    int batchesWithSpans = 0;

    void add(const ProfileSnapshot &snap)
    {
        if (!snap.spans.empty())
            ++batchesWithSpans;
        spans.insert(spans.end(), snap.spans.begin(), snap.spans.end());
        images.insert(images.end(), snap.images.begin(), snap.images.end());
        memory.insert(memory.end(), snap.memory.begin(), snap.memory.end());
    }
};

// Runs `pipeline` on another thread, calling `poll` every 5 ms on this one
// until the run is over (a hang fails, not blocks).
RunResult runPolled(PipelineRun &pipeline, const std::function<void()> &poll)
{
    QEventLoop loop;
    QFutureWatcher<RunResult> watcher;
    QObject::connect(&watcher, &QFutureWatcher<RunResult>::finished, &loop, &QEventLoop::quit);
    QTimer timer;
    timer.setInterval(5);
    QObject::connect(&timer, &QTimer::timeout, &loop, poll);
    QTimer::singleShot(60000 * TimeScale, &loop, &QEventLoop::quit);
    timer.start();
    watcher.setFuture(QtConcurrent::run([&pipeline] { return pipeline.run(); }));
    loop.exec();
    timer.stop();
    return watcher.isFinished() ? watcher.result() : RunResult();
}

} // namespace

void TestPipeline::snapshotCursorYieldsEachRecordOnce()
{
    // A reader polling while the run goes gets every span, image and memory
    // sample exactly once, in order, however often it asks.
    PipelineRun pipeline(makeConfig(QStringLiteral("baseline"), m_jpeg30, freshDir()));
    const std::shared_ptr<RunRecorder> recorder = pipeline.recorder();
    SnapshotCursor cursor;
    Polled got;
    auto poll = [&] { got.add(recorder->snapshot(&cursor)); };
    const RunResult r = runPolled(pipeline, poll);
    poll(); // whatever came after the last tick
    poll(); // and nothing twice

    QCOMPARE(r.summary.imagesOk, 30);
    QVERIFY2(
        got.batchesWithSpans >= 2, "the run was over before the first poll: nothing incremental was tested");
    QCOMPARE(got.spans.size(), r.spans.size());
    for (size_t i = 0; i < got.spans.size(); ++i) {
        QCOMPARE(got.spans[i].image(), r.spans[i].image());
        QCOMPARE(got.spans[i].stage(), r.spans[i].stage());
        QCOMPARE(got.spans[i].startNs(), r.spans[i].startNs());
    }
    QCOMPARE(got.images.size(), size_t(30));
    std::set<int> indices;
    for (const ImageRecord &rec : got.images)
        indices.insert(rec.index);
    QCOMPARE(indices.size(), size_t(30));
    QCOMPARE(got.memory.size(), r.memory.size());
    for (size_t i = 0; i < got.memory.size(); ++i)
        QCOMPARE(got.memory[i].tNs, r.memory[i].tNs);
}

void TestPipeline::followedRunHoldsItsRecordsOnce()
{
    // The window follows a run to its end: the run's records move into its
    // result, and the recorder keeps only what the window had not read yet
    // when the run ended (not a second copy of all of them); its last pull
    // still gets every record once.
    PipelineRun pipeline(makeConfig(QStringLiteral("baseline"), m_jpeg30, freshDir()));
    const std::shared_ptr<RunRecorder> recorder = pipeline.recorder();
    Polled got;
    const RunResult r = runPolled(pipeline, [&] { got.add(recorder->follow()); });
    QCOMPARE(r.summary.imagesOk, 30);
    QVERIFY2(
        got.batchesWithSpans >= 2, "the run was over before the first poll: nothing incremental was tested");
    // Kept: what the window had not read when the run ended. A poll after
    // the end, before the result arrived here, may have read some since (it
    // stays kept); none read then is missing.
    const size_t keptSpans = recorder->spans().size();
    const size_t keptImages = recorder->images().size();
    QVERIFY(keptSpans >= r.spans.size() - got.spans.size());
    QVERIFY(keptImages >= r.images.size() - got.images.size());
    QVERIFY2(keptSpans < r.spans.size(), "a second copy of every span");
    QVERIFY(keptImages <= r.images.size());

    got.add(recorder->follow()); // the window's last pull, after the run
    got.add(recorder->follow()); // and nothing twice
    QCOMPARE(got.spans.size(), r.spans.size());
    for (size_t i = 0; i < got.spans.size(); ++i) {
        QCOMPARE(got.spans[i].image(), r.spans[i].image());
        QCOMPARE(got.spans[i].stage(), r.spans[i].stage());
        QCOMPARE(got.spans[i].startNs(), r.spans[i].startNs());
    }
    std::set<int> indices;
    for (const ImageRecord &rec : got.images)
        indices.insert(rec.index);
    QCOMPARE(got.images.size(), size_t(30));
    QCOMPARE(indices.size(), size_t(30));
}

QTEST_GUILESS_MAIN(TestPipeline)
#include "tst_pipeline.moc"
