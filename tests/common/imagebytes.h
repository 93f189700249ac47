// Encoded test files made in the tests: valid ones, and valid ones patched
// into the exact kind of damage a loader must survive (a lying header, an
// inserted EXIF segment, a cut-off tail).
#pragma once

#include "pipeline/pixelbuffer.h"
#include "pipeline/stages/save.h"

#include <QBuffer>
#include <QByteArray>
#include <QFile>
#include <QImage>
#include <QString>

#include <cstdint>

namespace pixelperf::testing {

// PNG's CRC-32 (ISO 3309, reflected polynomial 0xEDB88320); qChecksum is
// CRC-16, so it cannot re-sign a patched chunk.
inline uint32_t crc32(const char *data, qsizetype size)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (qsizetype i = 0; i < size; ++i) {
        crc ^= uint8_t(data[i]);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

inline void putBigEndian16(QByteArray &bytes, qsizetype at, int value)
{
    bytes[at] = char((value >> 8) & 0xFF);
    bytes[at + 1] = char(value & 0xFF);
}

inline void putBigEndian32(QByteArray &bytes, qsizetype at, uint32_t value)
{
    for (int i = 0; i < 4; ++i)
        bytes[at + i] = char((value >> (24 - 8 * i)) & 0xFF);
}

inline QByteArray jpegBytes(const PixelBuffer &rgb, int quality = 90)
{
    QString error;
    return encodeJpeg(rgb, quality, &error);
}

// Qt's writers, for the formats and pixel layouts our encoder does not make
// (grayscale JPEG, palette or alpha PNG).
inline QByteArray qtEncode(const QImage &image, const char *format, int quality = 90)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, format, quality);
    return bytes;
}

inline bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

// Offset of the first SOFn marker (FF C0..CF, not DHT C4, JPG C8, DAC CC), or -1.
inline qsizetype findJpegSof(const QByteArray &jpeg)
{
    qsizetype at = 2; // after SOI
    while (at + 4 <= jpeg.size() && uint8_t(jpeg[at]) == 0xFF) {
        const uint8_t marker = uint8_t(jpeg[at + 1]);
        if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC)
            return at;
        const int length = (uint8_t(jpeg[at + 2]) << 8) | uint8_t(jpeg[at + 3]);
        at += 2 + length;
    }
    return -1;
}

// The same JPEG, its frame header claiming another size: FF C0, length(2),
// precision(1), height(2), width(2). The entropy data is untouched.
inline QByteArray withJpegDimensions(QByteArray jpeg, int width, int height)
{
    const qsizetype sof = findJpegSof(jpeg);
    if (sof < 0)
        return {};
    putBigEndian16(jpeg, sof + 5, height);
    putBigEndian16(jpeg, sof + 7, width);
    return jpeg;
}

// A TIFF-in-APP1 payload, "Exif\0\0" + header + one IFD holding a Make tag
// (so Orientation is not the first entry) and Orientation (0x0112, SHORT).
inline QByteArray exifPayload(int orientation, bool bigEndian)
{
    QByteArray t;
    auto u16 = [&](int v) {
        if (bigEndian) {
            t.append(char((v >> 8) & 0xFF));
            t.append(char(v & 0xFF));
        } else {
            t.append(char(v & 0xFF));
            t.append(char((v >> 8) & 0xFF));
        }
    };
    auto u32 = [&](uint32_t v) {
        if (bigEndian) {
            u16(int(v >> 16));
            u16(int(v & 0xFFFF));
        } else {
            u16(int(v & 0xFFFF));
            u16(int(v >> 16));
        }
    };
    t.append(bigEndian ? "MM" : "II");
    u16(42);
    u32(8); // IFD0 right after the 8-byte header
    u16(2); // entries
    u16(0x010F); // Make, ASCII, 4 bytes inline: "abc\0"
    u16(2);
    u32(4);
    t.append("abc", 4);
    u16(0x0112); // Orientation, SHORT, count 1, value left-justified
    u16(3);
    u32(1);
    u16(orientation);
    u16(0);
    u32(0); // no next IFD
    return QByteArray("Exif\0\0", 6) + t;
}

// The JPEG with an APP1 Exif segment inserted right after SOI.
inline QByteArray withExifOrientation(const QByteArray &jpeg, int orientation, bool bigEndian = false)
{
    const QByteArray payload = exifPayload(orientation, bigEndian);
    QByteArray segment("\xFF\xE1", 2);
    segment.append(char(((payload.size() + 2) >> 8) & 0xFF));
    segment.append(char((payload.size() + 2) & 0xFF));
    segment.append(payload);
    return jpeg.left(2) + segment + jpeg.mid(2);
}

// The same PNG, its IHDR claiming another size, with the chunk CRC fixed so
// the header itself is valid: signature(8), length(4), "IHDR", width(4),
// height(4), ..., CRC over type + data.
inline QByteArray withPngDimensions(QByteArray png, uint32_t width, uint32_t height)
{
    if (png.size() < 33 || png.mid(12, 4) != "IHDR")
        return {};
    putBigEndian32(png, 16, width);
    putBigEndian32(png, 20, height);
    putBigEndian32(png, 29, crc32(png.constData() + 12, 4 + 13));
    return png;
}

inline void putLittleEndian16(QByteArray &bytes, qsizetype at, int value)
{
    bytes[at] = char(value & 0xFF);
    bytes[at + 1] = char((value >> 8) & 0xFF);
}

inline void putLittleEndian32(QByteArray &bytes, qsizetype at, uint32_t value)
{
    putLittleEndian16(bytes, at, int(value & 0xFFFF));
    putLittleEndian16(bytes, at + 2, int(value >> 16));
}

// A BMP (BITMAPINFOHEADER, 24 bits) claiming width x height, with 64 bytes of
// pixel data. Qt's reader gives no size for one above 16384x16384 pixels.
inline QByteArray bmpDeclaring(uint32_t width, uint32_t height)
{
    QByteArray bmp(14 + 40 + 64, '\x40');
    bmp[0] = 'B';
    bmp[1] = 'M';
    putLittleEndian32(bmp, 2, uint32_t(bmp.size()));
    putLittleEndian32(bmp, 6, 0);
    putLittleEndian32(bmp, 10, 14 + 40);
    putLittleEndian32(bmp, 14, 40);
    putLittleEndian32(bmp, 18, width);
    putLittleEndian32(bmp, 22, height);
    putLittleEndian16(bmp, 26, 1); // planes
    putLittleEndian16(bmp, 28, 24); // bits per pixel
    for (qsizetype at = 30; at < 54; at += 4)
        putLittleEndian32(bmp, at, 0); // uncompressed, default resolution and palette
    return bmp;
}

// A GIF whose logical screen is 0x0 (readers then take the frame's size) and
// whose one frame claims width x height, with a few pixels of data.
inline QByteArray gifDeclaring(int width, int height)
{
    QByteArray g("GIF89a");
    g.append(QByteArray(7, '\0'));
    g[10] = char(0x80); // global colour table of 2 entries
    g.append(QByteArray("\0\0\0\xFF\xFF\xFF", 6));
    g.append(char(0x2C));
    g.append(QByteArray(9, '\0'));
    putLittleEndian16(g, g.size() - 5, width);
    putLittleEndian16(g, g.size() - 3, height);
    g.append(QByteArray("\x02\x02\x44\x01\x00\x3B", 6)); // 3-bit codes clear, 0, end; trailer
    return g;
}

// An Apple icon file holding one 128x128 icon entry ("ic07") whose payload is
// the given PNG. Qt's ICNS reader reports no size before decoding.
inline QByteArray icnsHolding(const QByteArray &png)
{
    QByteArray entry("ic07");
    entry.append(QByteArray(4, '\0'));
    putBigEndian32(entry, 4, uint32_t(8 + png.size()));
    entry.append(png);
    QByteArray icns("icns");
    icns.append(QByteArray(4, '\0'));
    putBigEndian32(icns, 4, uint32_t(8 + entry.size()));
    icns.append(entry);
    return icns;
}

} // namespace pixelperf::testing
