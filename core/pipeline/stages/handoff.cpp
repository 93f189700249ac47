// The hand-off between stages: what a stage gets as its input and what it
// gives back. Two toggles live here, both paths of each and the choice:
// - `no-copies` off: every stage deep-copies its input first, a full image
//   per stage for nothing (on: the working buffer is moved along);
// - `no-format-churn` off: the working image goes to 32-bit RGBA (what a
//   QImage::Format_ARGB32-based stage would want) and back to 24-bit RGB
//   afterwards; lossless, so the output is the same; the cost is two
//   full-image passes and two allocations per stage (on: one RGB format).
#include "pipeline/stages/handoff.h"

#include "pipeline/schedule.h"

namespace pixelperf {

PixelBuffer toRgba(const PixelBuffer &rgb)
{
    PixelBuffer out(rgb.width(), rgb.height(), 4);
    for (int y = 0; y < rgb.height(); ++y) {
        const uint8_t *s = rgb.row(y);
        uint8_t *d = out.row(y);
        for (int x = 0; x < rgb.width(); ++x) {
            d[x * 4 + 0] = s[x * 3 + 0];
            d[x * 4 + 1] = s[x * 3 + 1];
            d[x * 4 + 2] = s[x * 3 + 2];
            d[x * 4 + 3] = 255;
        }
    }
    return out;
}

PixelBuffer toRgb(const PixelBuffer &rgba)
{
    PixelBuffer out(rgba.width(), rgba.height(), 3);
    for (int y = 0; y < rgba.height(); ++y) {
        const uint8_t *s = rgba.row(y);
        uint8_t *d = out.row(y);
        for (int x = 0; x < rgba.width(); ++x) {
            d[x * 3 + 0] = s[x * 4 + 0];
            d[x * 3 + 1] = s[x * 4 + 1];
            d[x * 3 + 2] = s[x * 4 + 2];
        }
    }
    return out;
}

PixelBuffer stageInput(PixelBuffer &working, const Schedule &schedule)
{
    PixelBuffer in = schedule.defensiveCopies ? working.clone() : std::move(working);
    return schedule.formatChurn ? toRgba(in) : std::move(in);
}

std::optional<PixelBuffer> sharedStageInput(const PixelBuffer &shared, const Schedule &schedule)
{
    if (schedule.defensiveCopies) {
        PixelBuffer in = shared.clone();
        return schedule.formatChurn ? toRgba(in) : std::move(in);
    }
    if (schedule.formatChurn)
        return toRgba(shared);
    return std::nullopt;
}

PixelBuffer stageOutput(PixelBuffer result)
{
    return result.channels() == 4 ? toRgb(result) : std::move(result);
}

} // namespace pixelperf
