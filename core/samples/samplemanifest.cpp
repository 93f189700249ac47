#include "samples/samplemanifest.h"

#include "measure/environment.h"
#include "pipeline/stages/scan.h"

#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace pixelperf {

namespace {

bool isHex(const QString &s)
{
    for (const QChar c : s) {
        const char16_t u = c.unicode();
        if (!((u >= '0' && u <= '9') || (u >= 'a' && u <= 'f') || (u >= 'A' && u <= 'F')))
            return false;
    }
    return true;
}

// An optional string field: absent or null is fine, anything but a string is not.
bool optionalString(const QJsonObject &obj, const char *key, QString *out, QString *error)
{
    const QJsonValue v = obj.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull())
        return true;
    if (!v.isString()) {
        *error = QStringLiteral("\"%1\" must be a string").arg(QLatin1String(key));
        return false;
    }
    *out = v.toString().trimmed();
    return true;
}

bool parseEntry(const QJsonValue &value, const QUrl &base, SampleEntry *entry, QString *error)
{
    if (!value.isObject()) {
        *error = QStringLiteral("expected an object with a \"url\"");
        return false;
    }
    const QJsonObject obj = value.toObject();
    const QJsonValue urlValue = obj.value(QLatin1String("url"));
    if (!urlValue.isString() || urlValue.toString().trimmed().isEmpty()) {
        *error = urlValue.isUndefined() ? QStringLiteral("\"url\" is missing")
                                        : QStringLiteral("\"url\" must be a non-empty string");
        return false;
    }
    const QString urlText = urlValue.toString().trimmed();
    QUrl url(urlText, QUrl::StrictMode);
    if (!url.isValid()) {
        *error = QStringLiteral("'%1' is not a valid URL").arg(urlText);
        return false;
    }
    if (url.isRelative()) {
        if (!base.isValid() || base.isLocalFile() || base.scheme() == QLatin1String("qrc")) {
            *error = QStringLiteral("'%1' is a relative URL; only a manifest read from a URL may use them")
                         .arg(urlText);
            return false;
        }
        url = base.resolved(url);
    }
    const QString scheme = url.scheme().toLower();
    if (scheme != QLatin1String("https") && scheme != QLatin1String("http")) {
        *error = QStringLiteral("'%1': only https (and http) URLs can be downloaded").arg(urlText);
        return false;
    }
    if (url.host().isEmpty()) {
        *error = QStringLiteral("'%1' has no host").arg(urlText);
        return false;
    }
    QString name;
    if (!optionalString(obj, "name", &name, error) || !optionalString(obj, "license", &entry->license, error)
        || !optionalString(obj, "author", &entry->author, error)
        || !optionalString(obj, "source", &entry->source, error))
        return false;
    QString sha;
    if (!optionalString(obj, "sha256", &sha, error))
        return false;
    if (!sha.isEmpty() && (sha.size() != 64 || !isHex(sha))) {
        *error = QStringLiteral("\"sha256\" must be 64 hexadecimal digits, not '%1'").arg(sha);
        return false;
    }
    entry->url = url;
    entry->sha256 = sha.toLower().toLatin1();
    entry->fileName = sanitizeSampleFileName(name.isEmpty() ? url.fileName(QUrl::FullyDecoded) : name);
    return true;
}

} // namespace

QString SampleEntry::credit() const
{
    QStringList parts;
    if (!author.isEmpty())
        parts << author;
    if (!license.isEmpty())
        parts << license;
    return parts.join(QStringLiteral(", "));
}

ManifestResult parseSampleManifest(const QByteArray &json, const QUrl &base, const QString &location)
{
    ManifestResult result;
    result.manifest.location = location;
    auto fail = [&](const QString &message) {
        result.error = location.isEmpty() ? message : QStringLiteral("%1: %2").arg(location, message);
        result.manifest.entries.clear();
        return result;
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(QStringLiteral("not valid JSON (at byte %1: %2)")
                        .arg(parseError.offset)
                        .arg(parseError.errorString()));
    QJsonArray list;
    if (doc.isArray()) {
        list = doc.array();
    } else {
        const QJsonObject root = doc.object();
        const QJsonValue schema = root.value(QLatin1String("schema"));
        if (!schema.isUndefined() && !schema.toString().startsWith(QLatin1String("pixelperf-samples/")))
            return fail(QStringLiteral("unknown schema '%1' (expected pixelperf-samples/1)")
                            .arg(schema.toVariant().toString()));
        const QJsonValue samples = root.value(QLatin1String("samples"));
        if (!samples.isArray())
            return fail(QStringLiteral("expected a list of samples, or an object with a \"samples\" list"));
        list = samples.toArray();
    }
    if (list.isEmpty())
        return fail(QStringLiteral("the manifest lists no samples"));
    // One bad entry does not cost the others: it is named, and skipped.
    for (qsizetype i = 0; i < list.size(); ++i) {
        SampleEntry entry;
        QString error;
        if (parseEntry(list.at(i), base, &entry, &error))
            result.manifest.entries.append(entry);
        else
            result.skipped << QStringLiteral("entry %1: %2").arg(i + 1).arg(error);
    }
    if (result.manifest.entries.isEmpty()) {
        const QString first = result.skipped.first();
        result.skipped.clear();
        return fail(list.size() == 1 ? first : QStringLiteral("no usable entry (%1; ...)").arg(first));
    }
    return result;
}

ManifestResult readSampleManifestFile(const QString &path)
{
    ManifestResult result;
    result.manifest.location = path;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        result.error = QStringLiteral("cannot read manifest %1: %2").arg(path, file.errorString());
        return result;
    }
    if (file.size() > kMaxManifestBytes) {
        result.error
            = QStringLiteral("manifest %1 is larger than %2 MiB").arg(path).arg(kMaxManifestBytes >> 20);
        return result;
    }
    return parseSampleManifest(file.readAll(), {}, path);
}

QString defaultManifestLocation()
{
    return QStringLiteral(":/pixelperf/samples-manifest.json");
}

QString effectiveManifestLocation(const QString &given)
{
    if (!given.trimmed().isEmpty())
        return given.trimmed();
    const QString fromEnv = qEnvironmentVariable(kManifestEnvVar).trimmed();
    if (!fromEnv.isEmpty())
        return fromEnv;
    return defaultManifestLocation();
}

bool isRemoteManifest(const QString &location)
{
    return location.startsWith(QLatin1String("https://"), Qt::CaseInsensitive)
        || location.startsWith(QLatin1String("http://"), Qt::CaseInsensitive);
}

bool hasImageSuffix(const QString &fileName)
{
    return imageExtensions().contains(QFileInfo(fileName).suffix().toLower());
}

QString sanitizeSampleFileName(const QString &name)
{
    QString s = name;
    const qsizetype cut = std::max(s.lastIndexOf(QLatin1Char('/')), s.lastIndexOf(QLatin1Char('\\')));
    s = s.mid(cut + 1);
    // "Domhütte" → "Domhutte": decompose, then drop the combining marks.
    s = s.normalized(QString::NormalizationForm_KD);
    QString out;
    out.reserve(s.size());
    for (const QChar c : s) {
        if (c.category() == QChar::Mark_NonSpacing)
            continue;
        const char16_t u = c.unicode();
        const bool plain = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9')
            || u == '.' || u == '-' || u == '_';
        const QChar keep = plain ? c : QLatin1Char('_');
        if (keep == QLatin1Char('_') && out.endsWith(QLatin1Char('_')))
            continue; // one '_' for a run of odd characters
        out.append(keep);
    }
    // No hidden files, no "." or "..", nothing Windows would trim.
    while (out.startsWith(QLatin1Char('.')) || out.startsWith(QLatin1Char('_'))
        || out.startsWith(QLatin1Char('-')))
        out.remove(0, 1);
    while (out.endsWith(QLatin1Char('.')) || out.endsWith(QLatin1Char('_')))
        out.chop(1);
    if (out.isEmpty())
        out = QStringLiteral("sample");

    constexpr qsizetype maxLength = 120;
    if (out.size() > maxLength) {
        const qsizetype dot = out.lastIndexOf(QLatin1Char('.'));
        const QString suffix = (dot > 0 && out.size() - dot <= 10) ? out.mid(dot) : QString();
        out = out.left(maxLength - suffix.size()) + suffix;
        while (out.endsWith(QLatin1Char('.')) || out.endsWith(QLatin1Char('_')))
            out.chop(1); // the cut may have landed on one
    }
    static const QStringList reserved
        = { QStringLiteral("con"), QStringLiteral("prn"), QStringLiteral("aux"), QStringLiteral("nul") };
    const QString stem = out.section(QLatin1Char('.'), 0, 0).toLower();
    const bool device = reserved.contains(stem)
        || (stem.size() == 4
            && (stem.startsWith(QLatin1String("com")) || stem.startsWith(QLatin1String("lpt")))
            && stem.at(3).isDigit());
    if (device)
        out.prepend(QLatin1String("sample-"));
    return out;
}

bool isLoopbackHost(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

QString checkDownloadUrl(const QUrl &url, bool allowPlainHttp)
{
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("https"))
        return {};
    if (scheme == QLatin1String("http")) {
        if (allowPlainHttp || isLoopbackHost(url.host()))
            return {};
        return QStringLiteral("plain HTTP to %1 refused: use https, or allow plain HTTP explicitly")
            .arg(url.host());
    }
    return QStringLiteral("'%1' is not an http or https URL").arg(url.toDisplayString());
}

QByteArray sampleUserAgent()
{
    return QStringLiteral("PixelPerf/%1 (sample image downloader; Qt %2)")
        .arg(appVersion(), QString::fromLatin1(qVersion()))
        .toUtf8();
}

SampleManifestLoader::SampleManifestLoader(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<ManifestResult>();
}

SampleManifestLoader::~SampleManifestLoader()
{
    abort();
}

void SampleManifestLoader::abort()
{
    ++m_generation;
    m_pendingLocal = false;
    if (QNetworkReply *reply = m_reply.data()) {
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

void SampleManifestLoader::finish(ManifestResult result)
{
    m_pendingLocal = false;
    emit finished(result);
}

namespace {

// Why a redirect of the manifest's URL is not followed: empty when it is.
QString refusedRedirect(const QUrl &from, const QUrl &to, bool allowPlainHttp)
{
    const QString refused = from.scheme() == QLatin1String("https") && to.scheme() != QLatin1String("https")
        ? QStringLiteral("from https down to %1").arg(to.scheme())
        : checkDownloadUrl(to, allowPlainHttp);
    return refused.isEmpty() ? QString()
                             : QStringLiteral("redirected to %1: %2").arg(to.toDisplayString(), refused);
}

// What went wrong with the manifest's transfer, in words: empty when nothing.
QString fetchProblem(QNetworkReply *reply, int timeoutMs)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (const QString refused = reply->property("pixelperfRefusedRedirect").toString(); !refused.isEmpty())
        return refused;
    if (reply->property("pixelperfTooLarge").toBool())
        return QStringLiteral("larger than %1 MiB").arg(kMaxManifestBytes >> 20);
    if (status >= 400)
        return QStringLiteral("HTTP %1 %2")
            .arg(status)
            .arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString());
    if (reply->error() == QNetworkReply::OperationCanceledError)
        return QStringLiteral("no data for %1 s").arg(timeoutMs / 1000.0); // the transfer timeout
    if (reply->error() != QNetworkReply::NoError)
        return reply->errorString();
    return {};
}

} // namespace

void SampleManifestLoader::load(const QString &givenLocation)
{
    abort();
    const quint64 generation = m_generation;
    const QString location = effectiveManifestLocation(givenLocation);
    if (!isRemoteManifest(location)) {
        // Files are small and local: read now, report from the event loop like a download would.
        m_pendingLocal = true;
        ManifestResult result = readSampleManifestFile(location);
        QTimer::singleShot(0, this, [this, generation, result] {
            if (generation == m_generation)
                finish(result);
        });
        return;
    }
    const QUrl url(location);
    const QString refused = url.isValid() ? checkDownloadUrl(url, m_allowPlainHttp)
                                          : QStringLiteral("'%1' is not a valid URL").arg(location);
    if (!refused.isEmpty()) {
        m_pendingLocal = true;
        ManifestResult result;
        result.manifest.location = location;
        result.error = QStringLiteral("cannot fetch manifest: %1").arg(refused);
        QTimer::singleShot(0, this, [this, generation, result] {
            if (generation == m_generation)
                finish(result);
        });
        return;
    }
    if (!m_network)
        m_network = new QNetworkAccessManager(this);
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::UserAgentHeader, sampleUserAgent());
    // Qt follows the redirects, at most five, each hop checked as the first
    // URL was: never from https down to http, and plain http only to
    // loopback unless allowed (a loopback server could send us elsewhere).
    request.setAttribute(
        QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::UserVerifiedRedirectPolicy);
    request.setMaximumRedirectsAllowed(5);
    request.setTransferTimeout(m_timeoutMs);
    QNetworkReply *reply = m_network->get(request);
    m_reply = reply;
    connect(reply, &QNetworkReply::redirected, this, [this, reply](const QUrl &target) {
        const QString why = refusedRedirect(reply->url(), target, m_allowPlainHttp);
        if (why.isEmpty())
            return emit reply->redirectAllowed();
        reply->setProperty("pixelperfRefusedRedirect", why);
        reply->abort();
    });
    connect(reply, &QNetworkReply::downloadProgress, this, [reply](qint64 received, qint64) {
        if (received > kMaxManifestBytes) {
            reply->setProperty("pixelperfTooLarge", true);
            reply->abort();
        }
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply, location, url] {
        reply->deleteLater();
        if (m_reply != reply)
            return;
        m_reply = nullptr;
        ManifestResult result;
        result.manifest.location = location;
        const QString problem = fetchProblem(reply, m_timeoutMs);
        if (!problem.isEmpty()) {
            result.error = QStringLiteral("cannot fetch manifest %1: %2").arg(location, problem);
            finish(result);
            return;
        }
        finish(parseSampleManifest(reply->readAll(), reply->url().isValid() ? reply->url() : url, location));
    });
}

} // namespace pixelperf
