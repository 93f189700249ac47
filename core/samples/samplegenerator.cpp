#include "samples/samplegenerator.h"

#include "pipeline/pathsafety.h"
#include "pipeline/stages/save.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <vector>

namespace pixelperf {

namespace {

struct Rng {
    uint64_t state;
    explicit Rng(uint64_t seed)
        : state(seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull)
    { }
    uint32_t next()
    {
        // xorshift64*
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        return uint32_t((state * 0x2545F4914F6CDD1Dull) >> 32);
    }
    float uniform() { return float(next() >> 8) / float(1u << 24); }
    float range(float lo, float hi) { return lo + (hi - lo) * uniform(); }
};

// Smooth value noise on a lattice, several octaves, in [0, 1].
class ValueNoise
{
public:
    ValueNoise(Rng &rng, int size = 256)
        : m_size(size)
        , m_values(size_t(size) * size_t(size))
    {
        for (float &v : m_values)
            v = rng.uniform();
    }
    float at(float x, float y) const
    {
        const int x0 = int(std::floor(x)), y0 = int(std::floor(y));
        const float fx = x - float(x0), fy = y - float(y0);
        const float sx = fx * fx * (3 - 2 * fx), sy = fy * fy * (3 - 2 * fy);
        auto v = [&](int xi, int yi) {
            const int mx = ((xi % m_size) + m_size) % m_size, my = ((yi % m_size) + m_size) % m_size;
            return m_values[size_t(my) * size_t(m_size) + size_t(mx)];
        };
        const float a = v(x0, y0) + sx * (v(x0 + 1, y0) - v(x0, y0));
        const float b = v(x0, y0 + 1) + sx * (v(x0 + 1, y0 + 1) - v(x0, y0 + 1));
        return a + sy * (b - a);
    }
    float fractal(float x, float y, int octaves) const
    {
        float sum = 0, amp = 0.5f, norm = 0;
        for (int o = 0; o < octaves; ++o) {
            sum += amp * at(x, y);
            norm += amp;
            x *= 2.03f;
            y *= 2.03f;
            amp *= 0.5f;
        }
        return sum / norm;
    }

private:
    int m_size;
    std::vector<float> m_values;
};

struct Color {
    float r, g, b;
};

Color mix(Color a, Color b, float t)
{
    return { a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t };
}

float smoothstep(float e0, float e1, float x)
{
    const float t = std::clamp((x - e0) / (e1 - e0), 0.f, 1.f);
    return t * t * (3 - 2 * t);
}

struct Hill {
    float base, amp, freq, phase;
    Color color;
    float texture;
};

struct Blob {
    float cx, cy, rx, ry;
    Color color;
};

// What one picture shows, drawn from the seed in a fixed order (the order
// keeps every seed's picture as it was).
struct Scene {
    float W, H, scale;
    Color skyTop, skyHorizon;
    float sunX, sunY, sunR;
    std::vector<Hill> hills;
    std::vector<Blob> blobs;
};

Scene makeScene(Rng &rng, int width, int height)
{
    Scene s;
    s.W = float(width);
    s.H = float(height);
    const float W = s.W, H = s.H;
    s.scale = 1.0f / std::max(W, H);
    s.skyTop = { rng.range(20, 80), rng.range(60, 120), rng.range(140, 220) };
    s.skyHorizon = { rng.range(200, 255), rng.range(150, 220), rng.range(110, 190) };
    s.sunX = rng.range(0.15f, 0.85f) * W;
    s.sunY = rng.range(0.1f, 0.4f) * H;
    s.sunR = rng.range(0.03f, 0.07f) * std::max(W, H);
    const int hillCount = 3 + int(rng.next() % 2);
    for (int i = 0; i < hillCount; ++i) {
        const float depth = float(i) / float(hillCount);
        s.hills.push_back({ (0.45f + 0.15f * depth) * H, rng.range(0.04f, 0.12f) * H, rng.range(2.f, 6.f) / W,
            rng.range(0.f, 6.28f),
            { rng.range(30, 90) * (1 - 0.5f * depth), rng.range(80, 140) * (1 - 0.4f * depth),
                rng.range(30, 80) * (1 - 0.5f * depth) },
            rng.range(30, 70) });
    }
    const int blobCount = 4 + int(rng.next() % 5);
    for (int i = 0; i < blobCount; ++i) {
        s.blobs.push_back({ rng.range(0.05f, 0.95f) * W, rng.range(0.5f, 0.95f) * H,
            rng.range(0.02f, 0.08f) * W, rng.range(0.03f, 0.12f) * H,
            { rng.range(60, 230), rng.range(40, 200), rng.range(20, 160) } });
    }
    return s;
}

// Sky with clouds and the sun's glow.
Color skyAt(const Scene &s, const ValueNoise &noise, float fx, float fy)
{
    Color c = mix(s.skyTop, s.skyHorizon, std::pow(fy / s.H, 0.7f));
    const float cloud = smoothstep(0.5f, 0.75f, noise.fractal(fx * s.scale * 6, fy * s.scale * 14, 5));
    c = mix(c, { 245, 245, 250 }, cloud * 0.8f * (1 - fy / s.H));
    const float d = std::hypot(fx - s.sunX, fy - s.sunY);
    const float glow = std::exp(-d / (s.sunR * 2.5f)) * 0.6f + (d < s.sunR ? 0.4f : 0.f);
    return mix(c, { 255, 245, 210 }, std::min(1.f, glow));
}

// Hills, back to front, textured, with a soft ridge.
Color hillsOver(Color c, const Scene &s, const ValueNoise &noise, float fx, float fy)
{
    for (const Hill &h : s.hills) {
        const float ridge = h.base - h.amp * std::sin(fx * h.freq * 6.283f + h.phase)
            - h.amp * 0.3f * std::sin(fx * h.freq * 17.f + h.phase * 2);
        const float cover = smoothstep(ridge - 1.5f, ridge + 1.5f, fy);
        if (cover > 0) {
            const float tex = noise.fractal(fx * s.scale * 40, fy * s.scale * 40, 4) - 0.5f;
            const float shade = 1.f - 0.35f * std::clamp((fy - ridge) / (s.H * 0.5f), 0.f, 1.f);
            const Color hc { (h.color.r + tex * h.texture) * shade, (h.color.g + tex * h.texture) * shade,
                (h.color.b + tex * h.texture * 0.6f) * shade };
            c = mix(c, hc, cover);
        }
    }
    return c;
}

// Soft-edged shaded shapes in the foreground.
Color blobsOver(Color c, const Scene &s, float fx, float fy)
{
    for (const Blob &b : s.blobs) {
        const float nx = (fx - b.cx) / b.rx, ny = (fy - b.cy) / b.ry;
        const float r2 = nx * nx + ny * ny;
        if (r2 < 1.2f) {
            const float cover = 1 - smoothstep(0.85f, 1.15f, r2);
            const float light = 0.75f + 0.35f * (-nx * 0.5f - ny * 0.6f);
            c = mix(c, { b.color.r * light, b.color.g * light, b.color.b * light }, cover);
        }
    }
    return c;
}

} // namespace

PixelBuffer generateSampleImage(int width, int height, uint32_t seed)
{
    Rng rng(seed);
    const ValueNoise noise(rng);
    const Scene scene = makeScene(rng, width, height);
    const float W = scene.W, H = scene.H;
    PixelBuffer img(width, height, 3);
    for (int y = 0; y < height; ++y) {
        uint8_t *row = img.row(y);
        const float fy = float(y);
        for (int x = 0; x < width; ++x) {
            const float fx = float(x);
            const Color c
                = blobsOver(hillsOver(skyAt(scene, noise, fx, fy), scene, noise, fx, fy), scene, fx, fy);
            // Grain and vignette.
            const float grain = (rng.uniform() - 0.5f) * 10.f;
            const float vx = fx / W - 0.5f, vy = fy / H - 0.5f;
            const float vignette = 1.f - 0.35f * (vx * vx + vy * vy) * 2.f;
            row[x * 3 + 0] = uint8_t(std::clamp(c.r * vignette + grain, 0.f, 255.f));
            row[x * 3 + 1] = uint8_t(std::clamp(c.g * vignette + grain, 0.f, 255.f));
            row[x * 3 + 2] = uint8_t(std::clamp(c.b * vignette + grain, 0.f, 255.f));
        }
    }
    return img;
}

GenerateResult generateSamples(const QString &dir, int count, int width, int height, uint32_t seed,
    const std::function<bool(int)> &progress)
{
    GenerateResult result;
    result.error = makeFolder(dir, QStringLiteral("folder"));
    if (!result.error.isEmpty())
        return result;
    const QDir out(dir);
    int number = 1;
    for (int i = 0; i < count; ++i) {
        const PixelBuffer img = generateSampleImage(width, height, seed + uint32_t(i) * 7919u);
        // The name is taken by the save itself, never replacing: another
        // run writing into the same folder at once cannot take it in between.
        QString path;
        SaveResult saved;
        do {
            path = out.filePath(QStringLiteral("sample_%1.jpg").arg(number++, 3, 10, QLatin1Char('0')));
            saved = QFileInfo::exists(path) ? SaveResult { 0, {}, true }
                                            : saveImage(img, path, 92, SaveMode::KeepExisting);
        } while (saved.existed);
        if (!saved.error.isEmpty()) {
            result.error = saved.error;
            return result;
        }
        result.written << path;
        if (progress && !progress(i + 1))
            break;
    }
    return result;
}

} // namespace pixelperf
