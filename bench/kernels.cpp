// Micro-benchmarks of every kernel, both paths of each toggle, single thread,
// on the sizes of the reference job (2560x1600 photo, decoded at 1/2, to 800x600).
#include "pipeline/pixelbuffer.h"
#include "pipeline/stages/blur.h"
#include "pipeline/stages/handoff.h"
#include "pipeline/stages/load.h"
#include "pipeline/stages/pointops.h"
#include "pipeline/stages/resize.h"
#include "pipeline/stages/save.h"
#include "pipeline/stages/sharpen.h"
#include "samples/samplegenerator.h"

#include <benchmark/benchmark.h>

#ifdef PIXELPERF_HAVE_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#endif

using namespace pixelperf;

namespace {
const PixelBuffer &decodedHalf()
{
    static const PixelBuffer img = generateSampleImage(1280, 800, 11);
    return img;
}
const PixelBuffer &decodedFull()
{
    static const PixelBuffer img = generateSampleImage(2560, 1600, 11);
    return img;
}
const PixelBuffer &working()
{
    static const PixelBuffer img = generateSampleImage(800, 600, 12);
    return img;
}
const QByteArray &jpeg2560()
{
    static const QByteArray bytes = [] {
        QString error;
        return encodeJpeg(decodedFull(), 92, &error);
    }();
    return bytes;
}
ResizePlan plan(const PixelBuffer &src)
{
    return planResize(src.width(), src.height(), 800, 600, ResizeMode::Stretch);
}
} // namespace

static void BM_DecodeFull(benchmark::State &state)
{
    LoadRequest req;
    for (auto _ : state)
        benchmark::DoNotOptimize(decodeImage(jpeg2560(), req));
}
BENCHMARK(BM_DecodeFull)->Unit(benchmark::kMillisecond);

static void BM_DecodeShrinkOnLoad(benchmark::State &state)
{
    LoadRequest req;
    req.targetWidth = 800;
    req.targetHeight = 600;
    req.shrinkOnLoad = true;
    for (auto _ : state)
        benchmark::DoNotOptimize(decodeImage(jpeg2560(), req));
}
BENCHMARK(BM_DecodeShrinkOnLoad)->Unit(benchmark::kMillisecond);

static void BM_ResizeLanczosCached(benchmark::State &state)
{
    const PixelBuffer &src = decodedHalf();
    for (auto _ : state)
        benchmark::DoNotOptimize(resizeLanczos(src, plan(src), true));
}
BENCHMARK(BM_ResizeLanczosCached)->Unit(benchmark::kMillisecond);

static void BM_ResizeLanczosCachedFromFull(benchmark::State &state)
{
    const PixelBuffer &src = decodedFull();
    for (auto _ : state)
        benchmark::DoNotOptimize(resizeLanczos(src, plan(src), true));
}
BENCHMARK(BM_ResizeLanczosCachedFromFull)->Unit(benchmark::kMillisecond);

static void BM_ResizeLanczosUncached(benchmark::State &state)
{
    const PixelBuffer &src = decodedHalf();
    for (auto _ : state)
        benchmark::DoNotOptimize(resizeLanczos(src, plan(src), false));
}
BENCHMARK(BM_ResizeLanczosUncached)->Unit(benchmark::kMillisecond);

static void BM_ResizeNearestFromFull(benchmark::State &state)
{
    const PixelBuffer &src = decodedFull();
    for (auto _ : state)
        benchmark::DoNotOptimize(resizeNearest(src, plan(src)));
}
BENCHMARK(BM_ResizeNearestFromFull)->Unit(benchmark::kMillisecond);

static void BM_BlurSeparable(benchmark::State &state)
{
    // In place: the same image blurred again and again (the timing does not
    // depend on the pixels).
    PixelBuffer img = working().clone();
    for (auto _ : state) {
        img = blurSeparable(std::move(img), 2.0, true);
        benchmark::DoNotOptimize(img.data());
    }
}
BENCHMARK(BM_BlurSeparable)->Unit(benchmark::kMillisecond);

static void BM_BlurNaive(benchmark::State &state)
{
    for (auto _ : state)
        benchmark::DoNotOptimize(blurNaive(working(), 2.0, true));
}
BENCHMARK(BM_BlurNaive)->Unit(benchmark::kMillisecond);

static void BM_Sharpen(benchmark::State &state)
{
    PixelBuffer img = working().clone();
    for (auto _ : state) {
        sharpenInPlace(img, 2.0);
        benchmark::ClobberMemory();
    }
}
BENCHMARK(BM_Sharpen)->Unit(benchmark::kMillisecond);

static void BM_PointOpsFused(benchmark::State &state)
{
    PixelBuffer img = working().clone();
    for (auto _ : state) {
        applyPointLut(img, meanLuma(img), 1.5, true, 1.2, true);
        benchmark::ClobberMemory();
    }
}
BENCHMARK(BM_PointOpsFused)->Unit(benchmark::kMillisecond);

static void BM_MeanLuma(benchmark::State &state)
{
    for (auto _ : state)
        benchmark::DoNotOptimize(meanLuma(working()));
}
BENCHMARK(BM_MeanLuma)->Unit(benchmark::kMillisecond);

static void BM_PointOpsFloat(benchmark::State &state)
{
    for (auto _ : state) {
        PixelBuffer a = contrastFloat(working(), 1.5);
        PixelBuffer b = brightnessFloat(a, 1.2);
        benchmark::DoNotOptimize(convertToOutput(b));
    }
}
BENCHMARK(BM_PointOpsFloat)->Unit(benchmark::kMillisecond);

static void BM_FormatChurnRoundTrip(benchmark::State &state)
{
    for (auto _ : state)
        benchmark::DoNotOptimize(toRgb(toRgba(working())));
}
BENCHMARK(BM_FormatChurnRoundTrip)->Unit(benchmark::kMillisecond);

static void BM_EncodeQ80(benchmark::State &state)
{
    QString error;
    for (auto _ : state)
        benchmark::DoNotOptimize(encodeJpeg(working(), 80, &error));
}
BENCHMARK(BM_EncodeQ80)->Unit(benchmark::kMillisecond);

static void BM_EncodeQ95(benchmark::State &state)
{
    QString error;
    for (auto _ : state)
        benchmark::DoNotOptimize(encodeJpeg(working(), 95, &error));
}
BENCHMARK(BM_EncodeQ95)->Unit(benchmark::kMillisecond);

#ifdef PIXELPERF_HAVE_OPENCV
// The same operations in OpenCV (benchmark-only comparison, single thread):
// what "the best implementation on this machine" achieves.
static cv::Mat asMat(const PixelBuffer &b)
{
    return cv::Mat(b.height(), b.width(), CV_8UC3, const_cast<uint8_t *>(b.data()));
}

static void BM_OpenCV_ResizeLanczos4(benchmark::State &state)
{
    cv::setNumThreads(1);
    const cv::Mat src = asMat(decodedHalf());
    cv::Mat dst;
    for (auto _ : state)
        cv::resize(src, dst, cv::Size(800, 600), 0, 0, cv::INTER_LANCZOS4);
}
BENCHMARK(BM_OpenCV_ResizeLanczos4)->Unit(benchmark::kMillisecond);

static void BM_OpenCV_ResizeArea(benchmark::State &state)
{
    cv::setNumThreads(1);
    const cv::Mat src = asMat(decodedHalf());
    cv::Mat dst;
    for (auto _ : state)
        cv::resize(src, dst, cv::Size(800, 600), 0, 0, cv::INTER_AREA);
}
BENCHMARK(BM_OpenCV_ResizeArea)->Unit(benchmark::kMillisecond);

static void BM_OpenCV_GaussianBlur(benchmark::State &state)
{
    cv::setNumThreads(1);
    const cv::Mat src = asMat(working());
    cv::Mat dst;
    for (auto _ : state)
        cv::GaussianBlur(src, dst, cv::Size(13, 13), 2.0, 2.0, cv::BORDER_REPLICATE);
}
BENCHMARK(BM_OpenCV_GaussianBlur)->Unit(benchmark::kMillisecond);

static void BM_OpenCV_Sharpen(benchmark::State &state)
{
    cv::setNumThreads(1);
    const cv::Mat src = asMat(working());
    const cv::Mat kernel = (cv::Mat_<float>(3, 3) << 1, 1, 1, 1, 5, 1, 1, 1, 1) / 13.0f;
    cv::Mat smooth, dst;
    for (auto _ : state) {
        cv::filter2D(src, smooth, -1, kernel);
        cv::addWeighted(src, 2.0, smooth, -1.0, 0.0, dst);
    }
}
BENCHMARK(BM_OpenCV_Sharpen)->Unit(benchmark::kMillisecond);

static void BM_OpenCV_PointOps(benchmark::State &state)
{
    cv::setNumThreads(1);
    cv::Mat img = asMat(working()).clone();
    cv::Mat gray, lut(1, 256, CV_8U);
    for (int v = 0; v < 256; ++v)
        lut.at<uint8_t>(v) = brightnessValue(contrastValue(v, 128, 1.5), 1.2);
    for (auto _ : state) {
        cv::cvtColor(img, gray, cv::COLOR_RGB2GRAY);
        benchmark::DoNotOptimize(cv::mean(gray));
        cv::LUT(img, lut, img);
    }
}
BENCHMARK(BM_OpenCV_PointOps)->Unit(benchmark::kMillisecond);
#endif

int main(int argc, char **argv)
{
    // Build the inputs before any timing starts.
    decodedHalf();
    decodedFull();
    working();
    jpeg2560();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
