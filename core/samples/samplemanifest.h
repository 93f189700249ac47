// The sample manifest: a JSON list of images to download, with attribution.
//
//   { "schema": "pixelperf-samples/1",
//     "samples": [ { "url": "https://…/photo.jpg", "name": "photo.jpg",
//                    "sha256": "<64 hex digits>", "license": "CC BY-SA 4.0",
//                    "author": "…", "source": "https://…/File:photo.jpg" }, … ] }
//
// A bare array of entries is accepted too. Only `url` is required; relative
// URLs resolve against the manifest's own URL. Where the manifest comes from:
// a location given by the user (URL or file), else PIXELPERF_SAMPLES_MANIFEST,
// else the default bundled into the core as a Qt resource.
#pragma once

#include <QByteArray>
#include <QList>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QUrl>

class QNetworkAccessManager;

namespace pixelperf {

struct SampleEntry {
    QUrl url;
    QString fileName; // sanitised: from `name`, else from the URL's last path segment
    QByteArray sha256; // lower-case hex, or empty
    QString license;
    QString author;
    QString source; // attribution page, optional

    // "author, licence" (either may be missing; empty when both are).
    QString credit() const;
};

struct SampleManifest {
    QString location; // where it was read from, for messages
    QList<SampleEntry> entries;
};

struct ManifestResult {
    SampleManifest manifest;
    QString error; // empty on success: what is wrong, and where
    QStringList skipped; // entries left out, each with its number and why ("entry 2: ...")
    bool ok() const { return error.isEmpty(); }
};

inline constexpr char kManifestEnvVar[] = "PIXELPERF_SAMPLES_MANIFEST";
inline constexpr qint64 kMaxManifestBytes = 4 * 1024 * 1024;

// Parses manifest JSON. `base` resolves relative entry URLs (the manifest's
// own URL); without one, relative URLs are an error. Every entry is checked:
// the first problem found is reported as "entry N: …" (N from 1).
ManifestResult parseSampleManifest(
    const QByteArray &json, const QUrl &base = {}, const QString &location = {});
ManifestResult readSampleManifestFile(const QString &path);

QString defaultManifestLocation(); // ":/pixelperf/samples-manifest.json"
// `given` when not empty, else $PIXELPERF_SAMPLES_MANIFEST when set, else the default.
QString effectiveManifestLocation(const QString &given = {});
// http:// or https:// (anything else is a file path or a ":/" resource).
bool isRemoteManifest(const QString &location);

// A file name that is safe to create in a folder: the last path component
// only, ASCII letters, digits, '.', '-' and '_' (everything else becomes '_'),
// no leading dot, at most 120 characters, never empty ("sample"), never a
// reserved device name. Keeps the extension when it shortens.
QString sanitizeSampleFileName(const QString &name);
bool hasImageSuffix(const QString &fileName);

// Empty when the URL may be fetched; otherwise why not. HTTPS always; plain
// HTTP to a loopback host, or anywhere when `allowPlainHttp`.
QString checkDownloadUrl(const QUrl &url, bool allowPlainHttp);
bool isLoopbackHost(const QString &host);
// The User-Agent sent with every request (Wikimedia asks for a descriptive one).
QByteArray sampleUserAgent();

// Reads a manifest from a file, a resource or a URL, asynchronously: the
// result always arrives through finished(), never from inside load().
class SampleManifestLoader : public QObject
{
    Q_OBJECT
public:
    explicit SampleManifestLoader(QObject *parent = nullptr);
    ~SampleManifestLoader() override;

    void setAllowPlainHttp(bool allow) { m_allowPlainHttp = allow; }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    // Starts reading `location` (see effectiveManifestLocation()); a load
    // already running is abandoned.
    void load(const QString &location);
    void abort();
    bool isLoading() const { return m_reply != nullptr || m_pendingLocal; }

signals:
    void finished(const pixelperf::ManifestResult &result);

private:
    void finish(ManifestResult result);

    QNetworkAccessManager *m_network = nullptr;
    QPointer<QNetworkReply> m_reply;
    bool m_pendingLocal = false;
    quint64 m_generation = 0;
    bool m_allowPlainHttp = false;
    int m_timeoutMs = 30000;
};

} // namespace pixelperf

Q_DECLARE_METATYPE(pixelperf::ManifestResult)
