// libFuzzer target: the sample manifest parser (parseSampleManifest), which
// reads JSON fetched from any URL, and the file-name sanitiser that turns
// its names into files on disk. Whatever the input, every entry it accepts
// must be downloadable (http/https with a host) and name a plain file in the
// destination folder: no path, no hidden file, no "..".
#include "samples/samplemanifest.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace pixelperf;

namespace {

void checkFileName(const QString &name, const QString &from)
{
    bool ok = !name.isEmpty() && name.size() <= 128 && !name.startsWith(QLatin1Char('.'))
        && name != QLatin1String("..") && !name.endsWith(QLatin1Char('.'));
    for (const QChar c : name) {
        const char16_t u = c.unicode();
        ok = ok
            && ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '.'
                || u == '-' || u == '_');
    }
    if (!ok) {
        std::fprintf(stderr, "unsafe file name '%s' from '%s'\n", qPrintable(name), qPrintable(from));
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    static const QUrl base(QStringLiteral("https://example.org/pixelperf/samples.json"));
    for (const QUrl &from : { base, QUrl() }) {
        const ManifestResult r = parseSampleManifest(bytes, from, QStringLiteral("fuzz"));
        if (!r.ok()) {
            if (!r.manifest.entries.isEmpty())
                std::abort(); // an error and entries: which one is it?
            continue;
        }
        if (r.manifest.entries.isEmpty())
            std::abort();
        for (const SampleEntry &e : r.manifest.entries) {
            const QString scheme = e.url.scheme();
            if (!e.url.isValid() || e.url.host().isEmpty()
                || (scheme != QLatin1String("https") && scheme != QLatin1String("http")))
                std::abort();
            if (!e.sha256.isEmpty() && e.sha256.size() != 64)
                std::abort();
            checkFileName(e.fileName, e.url.toString());
        }
    }
    // The sanitiser on its own, on any string.
    const QString raw = QString::fromUtf8(bytes);
    checkFileName(sanitizeSampleFileName(raw), raw);
    return 0;
}
