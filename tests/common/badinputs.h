// The less common image files a real photo folder holds, made in the tests:
// progressive and CMYK JPEGs, 16-bit and palette PNGs with alpha, an animated
// GIF. Valid files, each an edge of its format; the damaged ones are built
// from these with imagebytes.h.
#pragma once

#include "imagebytes.h"

#include <QImage>
#include <QImageWriter>
#include <QRandomGenerator>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <jpeglib.h>

namespace pixelperf::testing {

inline QImage toQImage(const PixelBuffer &rgb)
{
    QImage image(rgb.width(), rgb.height(), QImage::Format_RGB888);
    for (int y = 0; y < rgb.height(); ++y)
        std::memcpy(image.scanLine(y), rgb.row(y), rgb.stride());
    return image;
}

// The first SOFn marker: 0xC0 baseline, 0xC2 progressive; 0 when none.
inline int jpegFrameType(const QByteArray &jpeg)
{
    const qsizetype sof = findJpegSof(jpeg);
    return sof < 0 ? 0 : uint8_t(jpeg[sof + 1]);
}

inline QByteArray progressiveJpeg(const QImage &image, int quality = 90)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, "jpeg");
    writer.setQuality(quality);
    writer.setProgressiveScanWrite(true);
    writer.write(image);
    return bytes;
}

// A JPEG written by libjpeg a row at a time (no whole image in memory):
// `components` samples a pixel in `space`, `setup(c)` after the defaults
// (a colour space, markers), `fill(y, row)` for each row.
template <typename Setup, typename Fill>
QByteArray libjpegRows(int w, int h, int components, J_COLOR_SPACE space, int quality, Setup setup, Fill fill)
{
    jpeg_compress_struct c;
    jpeg_error_mgr err;
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    unsigned char *out = nullptr;
    unsigned long size = 0;
    jpeg_mem_dest(&c, &out, &size);
    c.image_width = JDIMENSION(w);
    c.image_height = JDIMENSION(h);
    c.input_components = components;
    c.in_color_space = space;
    jpeg_set_defaults(&c);
    setup(c);
    jpeg_set_quality(&c, quality, TRUE);
    jpeg_start_compress(&c, TRUE);
    std::vector<uint8_t> row(size_t(w) * size_t(components));
    while (c.next_scanline < c.image_height) {
        fill(int(c.next_scanline), row.data());
        JSAMPROW rows[1] = { row.data() };
        jpeg_write_scanlines(&c, rows, 1);
    }
    jpeg_finish_compress(&c);
    QByteArray bytes(reinterpret_cast<const char *>(out), qsizetype(size));
    jpeg_destroy_compress(&c);
    std::free(out);
    return bytes;
}

// A CMYK JPEG, plain (not inverted, no Adobe marker), one ink per pixel from
// inkAt(x, y, ink[4]). Qt 6.4 cannot write one; libjpeg can.
template <typename F> QByteArray cmykJpeg(int w, int h, F inkAt)
{
    return libjpegRows(
        w, h, 4, JCS_CMYK, 95,
        [](jpeg_compress_struct &c) {
            jpeg_set_colorspace(&c, JCS_CMYK);
            c.write_Adobe_marker = FALSE;
        },
        [&](int y, uint8_t *row) {
            for (int x = 0; x < w; ++x)
                inkAt(x, y, &row[size_t(x) * 4]);
        });
}

// PNG IHDR fields: bit depth (byte 24) and colour type (byte 25: 2 RGB,
// 3 palette, 6 RGBA).
inline int pngBitDepth(const QByteArray &png)
{
    return png.size() > 25 ? uint8_t(png[24]) : 0;
}

inline int pngColourType(const QByteArray &png)
{
    return png.size() > 25 ? uint8_t(png[25]) : -1;
}

// 16 bits per channel with a real alpha ramp (colour type 6, depth 16).
inline QByteArray png16WithAlpha(int w, int h, QColor colour)
{
    QImage image(w, h, QImage::Format_RGBA64);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            QColor c = colour;
            c.setAlphaF(0.25f + 0.75f * float(x) / float(w));
            image.setPixelColor(x, y, c);
        }
    return qtEncode(image, "png");
}

// Palette PNG whose palette has transparent entries (a tRNS chunk).
inline QByteArray palettePngWithAlpha(int w, int h, QRgb opaque)
{
    QImage image(w, h, QImage::Format_Indexed8);
    image.setColorTable({ opaque, qRgba(0, 0, 0, 0), qRgba(255, 255, 255, 96) });
    image.fill(0);
    for (int x = 0; x < w; x += 7)
        image.setPixel(x, 0, 1);
    image.setPixel(w - 1, h - 1, 2);
    return qtEncode(image, "png");
}

// An animated GIF89a (NETSCAPE2.0 loop), one full-size frame per colour,
// each frame a single palette index. The LZW stream sends a clear code
// before every pixel, so the code size never grows past 3 bits: valid and
// uncompressed, simple enough to write by hand (Qt has no GIF writer).
inline QByteArray animatedGif(int w, int h, const QList<QRgb> &frameColours)
{
    QByteArray g("GIF89a");
    auto u16 = [&](int v) {
        g.append(char(v & 0xFF));
        g.append(char((v >> 8) & 0xFF));
    };
    u16(w);
    u16(h);
    g.append(char(0x91)); // global colour table of 2^(1+1) = 4 entries
    g.append(char(0)); // background index
    g.append(char(0)); // aspect ratio
    for (int i = 0; i < 4; ++i) {
        const QRgb c = i < frameColours.size() ? frameColours[i] : qRgb(0, 0, 0);
        g.append(char(qRed(c)));
        g.append(char(qGreen(c)));
        g.append(char(qBlue(c)));
    }
    g.append(QByteArray("\x21\xFF\x0BNETSCAPE2.0\x03\x01\x00\x00\x00", 19));
    for (int frame = 0; frame < frameColours.size() && frame < 4; ++frame) {
        g.append(QByteArray("\x21\xF9\x04\x04", 4)); // graphic control: keep previous frame
        u16(10); // 100 ms
        g.append(char(0));
        g.append(char(0));
        g.append(char(0x2C)); // image descriptor: full frame, no local table
        u16(0);
        u16(0);
        u16(w);
        u16(h);
        g.append(char(0));
        g.append(char(2)); // LZW minimum code size: clear = 4, end = 5
        QByteArray data;
        uint32_t bits = 0;
        int count = 0;
        auto code = [&](uint32_t c) {
            bits |= c << count;
            count += 3;
            while (count >= 8) {
                data.append(char(bits & 0xFF));
                bits >>= 8;
                count -= 8;
            }
        };
        for (int i = 0; i < w * h; ++i) {
            code(4);
            code(uint32_t(frame));
        }
        code(5);
        if (count > 0)
            data.append(char(bits & 0xFF));
        for (qsizetype at = 0; at < data.size(); at += 255) {
            const QByteArray block = data.mid(at, 255);
            g.append(char(block.size()));
            g.append(block);
        }
        g.append(char(0));
    }
    g.append(char(0x3B));
    return g;
}

inline QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator rng(seed);
    for (char &b : bytes)
        b = char(rng.bounded(256));
    bytes[0] = 'R'; // not a JPEG's FF D8 by chance
    return bytes;
}

} // namespace pixelperf::testing
