#include "pipeline/workorder.h"

#include <QFile>

#include <algorithm>
#include <numeric>

namespace pixelperf {

namespace {

// A progressive JPEG's decode against a sequential one's of the same size.
constexpr int64_t ProgressiveCost = 5;
// Markers before the frame header (EXIF, ICC profiles, thumbnails) walked
// at most; a real file has a handful.
constexpr int MaxMarkers = 64;

// The frame header's pixels and kind, walking the markers by their lengths
// (seeking past EXIF and the rest, not reading them); 0 when not found.
int64_t jpegCost(QFile &file)
{
    uchar b[8];
    for (int i = 0; i < MaxMarkers; ++i) {
        if (file.read(reinterpret_cast<char *>(b), 4) != 4 || b[0] != 0xFF)
            return 0;
        const int marker = b[1];
        const int length = b[2] << 8 | b[3];
        const bool frame
            = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (frame) {
            if (file.read(reinterpret_cast<char *>(b), 5) != 5)
                return 0;
            const int64_t pixels = int64_t(b[1] << 8 | b[2]) * int64_t(b[3] << 8 | b[4]);
            const bool progressive = marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE;
            return progressive ? pixels * ProgressiveCost : pixels;
        }
        if (marker == 0xDA || length < 2 || !file.seek(file.pos() + length - 2))
            return 0;
    }
    return 0;
}

} // namespace

int64_t decodeCostHint(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        return 0;
    uchar soi[2];
    if (file.read(reinterpret_cast<char *>(soi), 2) == 2 && soi[0] == 0xFF && soi[1] == 0xD8) {
        if (const int64_t cost = jpegCost(file))
            return cost;
    }
    return file.size();
}

std::vector<int> workOrder(const QStringList &files, int workers)
{
    std::vector<int> order(size_t(files.size()));
    std::iota(order.begin(), order.end(), 0);
    if (workers <= 1)
        return order;
    std::vector<int64_t> cost(order.size());
    for (size_t i = 0; i < order.size(); ++i)
        cost[i] = decodeCostHint(files[int(i)]);
    std::stable_sort(
        order.begin(), order.end(), [&](int a, int b) { return cost[size_t(a)] > cost[size_t(b)]; });
    return order;
}

} // namespace pixelperf
