// PNG files written chunk by chunk in the tests, in the layouts Qt's writer
// does not make: grey below 8 bits, grey with alpha, a tRNS colour key, and
// Adam7 interlacing of any of them. Rows cycle through the five filter
// types, so a decoder's unfiltering of each is exercised.
#pragma once

#include "imagebytes.h"

#include <QByteArray>
#include <QList>
#include <QRgb>

#include <algorithm>
#include <cstdint>
#include <cstdlib>

namespace pixelperf::testing {

inline QByteArray pngChunkBytes(const QByteArray &type, const QByteArray &data)
{
    QByteArray chunk(4, '\0');
    putBigEndian32(chunk, 0, uint32_t(data.size()));
    chunk += type + data;
    QByteArray crc(4, '\0');
    putBigEndian32(crc, 0, crc32(chunk.constData() + 4, chunk.size() - 4));
    return chunk + crc;
}

// Row `row` filtered with `filter` (0 none, 1 sub, 2 up, 3 average, 4 Paeth)
// against the row above, `bpp` bytes to a pixel (at least 1).
inline QByteArray pngFiltered(const QByteArray &row, const QByteArray &above, int bpp, int filter)
{
    QByteArray out(row.size(), '\0');
    for (qsizetype i = 0; i < row.size(); ++i) {
        const int a = i >= bpp ? uint8_t(row[i - bpp]) : 0;
        const int b = uint8_t(above[i]);
        const int c = i >= bpp ? uint8_t(above[i - bpp]) : 0;
        const int p = a + b - c;
        const int paeth = (std::abs(p - a) <= std::abs(p - b) && std::abs(p - a) <= std::abs(p - c)) ? a
            : std::abs(p - b) <= std::abs(p - c)                                                     ? b
                                                                                                     : c;
        const int predictors[] = { 0, a, b, (a + b) / 2, paeth };
        out[i] = char(uint8_t(uint8_t(row[i]) - predictors[filter]));
    }
    return out;
}

struct PngLayout {
    int colourType = 2; // 0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGBA
    int bitDepth = 8; // 1, 2, 4, 8 or 16, as the colour type allows
    bool interlaced = false;
};

// A w x h PNG whose channel c of pixel (x, y) is sample(x, y, c), in
// [0, 2^bitDepth): a palette index for colour type 3. `palette` and `trns`
// (the tRNS chunk's data) are written when not empty.
template <typename Sample>
QByteArray handMadePng(int w, int h, PngLayout layout, Sample sample, const QList<QRgb> &palette = {},
    const QByteArray &trns = {})
{
    static const int channelsOf[] = { 1, 0, 3, 1, 2, 0, 4 };
    const int channels = channelsOf[layout.colourType];
    const int depth = layout.bitDepth;
    const int bitsPerPixel = channels * depth;
    QByteArray raw;
    // The pixels (x0 + i * dx, y0 + j * dy): the whole image, or a pass.
    auto addRows = [&](int x0, int dx, int y0, int dy) {
        const int pw = (w - x0 + dx - 1) / dx;
        const int ph = (h - y0 + dy - 1) / dy;
        if (pw <= 0 || ph <= 0)
            return; // an empty pass has no rows at all
        const int rowBytes = (pw * bitsPerPixel + 7) / 8;
        QByteArray above(rowBytes, '\0');
        for (int j = 0; j < ph; ++j) {
            QByteArray row(rowBytes, '\0');
            int bit = 0;
            for (int i = 0; i < pw; ++i) {
                for (int c = 0; c < channels; ++c, bit += depth) {
                    const int v = sample(x0 + i * dx, y0 + j * dy, c);
                    if (depth == 16) {
                        row[bit / 8] = char(v >> 8);
                        row[bit / 8 + 1] = char(v & 0xFF);
                    } else {
                        row[bit / 8] = char(uint8_t(row[bit / 8]) | uint8_t(v << (8 - depth - bit % 8)));
                    }
                }
            }
            const int filter = j % 5;
            raw += char(filter) + pngFiltered(row, above, std::max(1, bitsPerPixel / 8), filter);
            above = row;
        }
    };
    if (!layout.interlaced) {
        addRows(0, 1, 0, 1);
    } else {
        static const int x0[] = { 0, 4, 0, 2, 0, 1, 0 }, dx[] = { 8, 8, 4, 4, 2, 2, 1 };
        static const int y0[] = { 0, 0, 4, 0, 2, 0, 1 }, dy[] = { 8, 8, 8, 4, 4, 2, 2 };
        for (int pass = 0; pass < 7; ++pass)
            addRows(x0[pass], dx[pass], y0[pass], dy[pass]);
    }
    QByteArray ihdr(13, '\0');
    putBigEndian32(ihdr, 0, uint32_t(w));
    putBigEndian32(ihdr, 4, uint32_t(h));
    ihdr[8] = char(depth);
    ihdr[9] = char(layout.colourType);
    ihdr[12] = char(layout.interlaced ? 1 : 0);
    QByteArray png = QByteArray("\x89PNG\r\n\x1a\n", 8) + pngChunkBytes("IHDR", ihdr);
    if (!palette.isEmpty()) {
        QByteArray plte;
        for (QRgb c : palette)
            plte.append(char(qRed(c))).append(char(qGreen(c))).append(char(qBlue(c)));
        png += pngChunkBytes("PLTE", plte);
    }
    if (!trns.isEmpty())
        png += pngChunkBytes("tRNS", trns);
    // qCompress: a 4-byte length, then the zlib stream PNG wants.
    return png + pngChunkBytes("IDAT", qCompress(raw, 6).mid(4)) + pngChunkBytes("IEND", {});
}

// Offset of the first chunk of `type` (its length field), or -1.
inline qsizetype pngChunkAt(const QByteArray &png, const QByteArray &type)
{
    for (qsizetype at = 8; at + 12 <= png.size();) {
        const uint32_t length = uint32_t(uint8_t(png[at])) << 24 | uint32_t(uint8_t(png[at + 1])) << 16
            | uint32_t(uint8_t(png[at + 2])) << 8 | uint8_t(png[at + 3]);
        if (png.mid(at + 4, 4) == type)
            return at;
        at += 12 + qsizetype(length);
    }
    return -1;
}

} // namespace pixelperf::testing
