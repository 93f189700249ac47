#include "samples/sampledownloader.h"

#include "reports/units.h"

#include "pipeline/atomicfile.h"
#include "pipeline/pathsafety.h"
#include "pipeline/stages/load.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QTimer>
#include <QtConcurrent>

#include <cerrno>
#include <cstring>

namespace pixelperf {

namespace {

struct VerifyResult {
    QString error;
    QString suffix; // from the content: "jpg", "png", …
};

QString formatSuffix(const QByteArray &bytes)
{
    if (bytes.startsWith("\xFF\xD8\xFF"))
        return QStringLiteral("jpg");
    if (bytes.startsWith("\x89PNG"))
        return QStringLiteral("png");
    if (bytes.startsWith("GIF8"))
        return QStringLiteral("gif");
    if (bytes.startsWith("BM"))
        return QStringLiteral("bmp");
    if (bytes.startsWith("RIFF") && bytes.mid(8, 4) == "WEBP")
        return QStringLiteral("webp");
    return QStringLiteral("jpg");
}

QString seconds(int ms)
{
    return QString::number(ms / 1000.0, 'g', 3) + QStringLiteral(" s");
}

// Runs on a pool thread: reads the finished temporary file back, checks the
// digest, and decodes it at 1/8 scale (every byte of the entropy data is
// still read, so a truncated body is caught, at a fraction of the cost).
VerifyResult verifyFile(const QString &path, const QByteArray &expectedSha256, const QString &contentType)
{
    VerifyResult result;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        result.error = QStringLiteral("cannot read back the download: %1").arg(file.errorString());
        return result;
    }
    const QByteArray bytes = file.readAll();
    if (!expectedSha256.isEmpty()) {
        const QByteArray actual = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
        if (actual != expectedSha256) {
            result.error = QStringLiteral("sha256 mismatch: the manifest says %1…, the body is %2…")
                               .arg(QString::fromLatin1(expectedSha256.left(12)),
                                   QString::fromLatin1(actual.left(12)));
            return result;
        }
    }
    LoadRequest request;
    request.targetWidth = 1;
    request.targetHeight = 1;
    request.shrinkOnLoad = true;
    const LoadResult decoded = decodeImage(bytes, request);
    if (!decoded.image) {
        const QString type = contentType.section(QLatin1Char(';'), 0, 0).trimmed();
        result.error = type.isEmpty() || type.startsWith(QLatin1String("image/"))
            ? QStringLiteral("not a usable image: %1").arg(decoded.error)
            : QStringLiteral("not an image: the server sent %1").arg(type);
        return result;
    }
    result.suffix = formatSuffix(bytes);
    return result;
}

bool isRedirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

} // namespace

struct SampleDownloader::Transfer {
    explicit Transfer(QObject *downloader)
        : owner(downloader)
    { }

    QObject *owner; // the downloader: its connections are cut before anything is torn down
    QNetworkReply *reply = nullptr;
    std::unique_ptr<QFile> file; // the temporary file
    QString tempPath;
    QTimer *stallTimer = nullptr;
    QList<QUrl> chain; // every URL this transfer visited, for loops
    QString contentType;
    qint64 windowStart = 0; // bytes received when the stall timer last restarted
    QString abortReason; // set before we abort the reply ourselves
    bool cancelled = false;
    QFutureWatcher<VerifyResult> *verifier = nullptr;

    ~Transfer()
    {
        if (reply) {
            reply->disconnect(owner); // its finished() must not reach a row being destroyed
            reply->abort();
            reply->deleteLater();
        }
        if (stallTimer) {
            // Deferred: we may be inside this timer's own timeout().
            stallTimer->disconnect(owner);
            stallTimer->stop();
            stallTimer->deleteLater();
        }
        if (verifier) {
            verifier->disconnect(owner);
            verifier->waitForFinished(); // bounded: one capped file, decoded at 1/8
            verifier->deleteLater();
        }
        if (file)
            file->close();
        if (!tempPath.isEmpty())
            QFile::remove(tempPath);
    }
};

SampleDownloader::SampleDownloader(QObject *parent)
    : QObject(parent)
{ }

SampleDownloader::~SampleDownloader()
{
    m_rows.clear(); // aborts what runs and removes the temporary files
}

SampleFileStatus SampleDownloader::file(int index) const
{
    return (index >= 0 && index < count()) ? m_rows[size_t(index)].status : SampleFileStatus {};
}

QList<SampleFileStatus> SampleDownloader::files() const
{
    QList<SampleFileStatus> list;
    list.reserve(count());
    for (const Row &row : m_rows)
        list.append(row.status);
    return list;
}

SampleDownloadSummary SampleDownloader::summary() const
{
    SampleDownloadSummary s;
    s.total = count();
    for (const Row &row : m_rows) {
        const SampleFileStatus &f = row.status;
        switch (f.state) {
        case SampleState::Done:
            ++s.done;
            break;
        case SampleState::Skipped:
            ++s.skipped;
            break;
        case SampleState::Failed:
            ++s.failed;
            break;
        case SampleState::Cancelled:
            ++s.cancelled;
            break;
        default:
            ++s.active;
        }
        s.bytesReceived += f.received;
        if (f.total > 0)
            s.bytesExpected += f.total;
    }
    return s;
}

bool SampleDownloader::start(const QList<SampleEntry> &entries, QString *error)
{
    auto refuse = [&](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    if (m_running)
        return refuse(QStringLiteral("a download is already running"));
    if (m_options.destDir.isEmpty())
        return refuse(QStringLiteral("no destination folder given"));
    if (const QString why = makeFolder(m_options.destDir, QStringLiteral("folder")); !why.isEmpty())
        return refuse(why);
    if (!QFileInfo(m_options.destDir).isWritable())
        return refuse(QStringLiteral("folder %1 is not writable").arg(m_options.destDir));
    m_runOptions = m_options;
    m_runOptions.maxConcurrent = std::max(1, m_runOptions.maxConcurrent);
    m_rows.clear();
    m_rows.resize(size_t(entries.size()));
    const QDir dest(m_runOptions.destDir);
    QSet<QString> taken; // lower-case names planned in this batch
    for (qsizetype i = 0; i < entries.size(); ++i) {
        SampleFileStatus &f = m_rows[size_t(i)].status;
        f.entry = entries[i];
        QString name
            = sanitizeSampleFileName(f.entry.fileName.isEmpty() ? f.entry.url.fileName() : f.entry.fileName);
        // Two entries with one name: the later ones get "-2", "-3", … so both arrive.
        const QFileInfo parts(name);
        const QString stem = hasImageSuffix(name) ? parts.completeBaseName() : name;
        const QString suffix = hasImageSuffix(name) ? QLatin1Char('.') + parts.suffix() : QString();
        for (int n = 2; taken.contains(name.toLower()); ++n)
            name = QStringLiteral("%1-%2%3").arg(stem).arg(n).arg(suffix);
        taken.insert(name.toLower());
        f.fileName = name;
        const QString refused = checkDownloadUrl(f.entry.url, m_runOptions.allowPlainHttp);
        if (!refused.isEmpty()) {
            f.state = SampleState::Failed;
            f.error = refused;
        } else if (hasImageSuffix(name) && QFileInfo(dest.filePath(name)).isSymLink()) {
            // Never written through, even when its target is missing.
            f.state = SampleState::Skipped;
            f.path = dest.filePath(name);
            f.error = QStringLiteral(
                "a symbolic link of that name is there; it is kept and never written through");
        } else if (hasImageSuffix(name) && QFileInfo::exists(dest.filePath(name))) {
            f.state = SampleState::Skipped;
            f.path = dest.filePath(name);
            f.error = QStringLiteral("already there; the existing file is kept, never overwritten");
        }
    }
    if (!m_network)
        m_network = new QNetworkAccessManager(this);
    m_running = true;
    const quint64 batch = ++m_batch;
    QList<int> settled;
    for (size_t i = 0; i < m_rows.size(); ++i)
        if (isFinal(m_rows[i].status.state))
            settled << int(i);
    // Rows settled by the plan (skipped, refused) are announced like the
    // others, from the event loop, before finished().
    QTimer::singleShot(0, this, [this, batch, settled] {
        if (batch != m_batch)
            return;
        for (int i : settled)
            emit fileChanged(i);
        emitOverall();
    });
    pump();
    checkFinished();
    return true;
}

bool SampleDownloader::retryFailed()
{
    if (m_running)
        return false;
    bool any = false;
    for (size_t i = 0; i < m_rows.size(); ++i) {
        SampleFileStatus &f = m_rows[i].status;
        if (f.state != SampleState::Failed && f.state != SampleState::Cancelled)
            continue;
        const QString refused = checkDownloadUrl(f.entry.url, m_options.allowPlainHttp);
        if (!refused.isEmpty())
            continue; // would fail the same way again
        f.state = SampleState::Queued;
        f.error.clear();
        f.received = 0;
        f.total = -1;
        any = true;
        emit fileChanged(int(i));
    }
    if (!any)
        return false;
    const QString dest = m_runOptions.destDir;
    m_runOptions = m_options;
    m_runOptions.destDir = dest; // the planned names belong to that folder
    m_runOptions.maxConcurrent = std::max(1, m_runOptions.maxConcurrent);
    m_running = true;
    pump();
    return true;
}

void SampleDownloader::cancel()
{
    if (!m_running)
        return;
    // Queued rows first, so finishing transfers below start nothing new.
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].status.state == SampleState::Queued) {
            m_rows[i].status.state = SampleState::Cancelled;
            emit fileChanged(int(i));
        }
    }
    for (size_t i = 0; i < m_rows.size(); ++i) {
        Transfer *t = m_rows[i].transfer.get();
        if (!t)
            continue;
        t->cancelled = true;
        if (t->reply && m_rows[i].status.state == SampleState::Downloading)
            t->reply->abort(); // onReplyFinished() runs now and ends the row
        // A verifying row ends when its check returns (onVerified).
    }
    emitOverall();
    checkFinished();
}

void SampleDownloader::pump()
{
    int running = 0;
    for (const Row &row : m_rows)
        if (row.status.state == SampleState::Downloading || row.status.state == SampleState::Verifying)
            ++running;
    for (size_t i = 0; i < m_rows.size() && running < m_runOptions.maxConcurrent; ++i) {
        if (m_rows[i].status.state == SampleState::Queued) {
            ++running;
            startTransfer(int(i));
        }
    }
}

void SampleDownloader::startTransfer(int index)
{
    Row &row = m_rows[size_t(index)];
    SampleFileStatus &f = row.status;
    f.state = SampleState::Downloading;
    f.attempts += 1;
    f.received = 0;
    f.total = -1;
    f.error.clear();
    row.transfer = std::make_unique<Transfer>(this);
    Transfer *t = row.transfer.get();
    emit fileChanged(index);

    // Hidden and not an image name, so no scan ever picks up a partial file.
    const QString random = QString::number(QRandomGenerator::global()->generate(), 16);
    t->tempPath = QDir(m_runOptions.destDir).filePath(QStringLiteral(".%1.%2.part").arg(f.fileName, random));
    t->file = std::make_unique<QFile>(t->tempPath);
    if (!t->file->open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
        const QString why = t->file->errorString();
        t->tempPath.clear(); // not ours to remove
        fail(index, QStringLiteral("cannot write into %1: %2").arg(m_runOptions.destDir, why));
        return;
    }
    t->stallTimer = new QTimer;
    t->stallTimer->setSingleShot(true);
    t->stallTimer->setInterval(m_runOptions.stallTimeoutMs);
    connect(t->stallTimer, &QTimer::timeout, this, [this, index] { onStalled(index); });
    request(index, f.entry.url);
}

void SampleDownloader::request(int index, const QUrl &url)
{
    Transfer *t = m_rows[size_t(index)].transfer.get();
    t->chain.append(url);
    QNetworkRequest req(url);
    req.setHeader(QNetworkRequest::UserAgentHeader, sampleUserAgent());
    // We follow redirects ourselves: to check each hop against the HTTPS
    // rule, and to name a loop as a loop rather than "too many redirects".
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    // Images do not compress; identity keeps Content-Length comparable with the bytes we count.
    req.setRawHeader("Accept-Encoding", "identity");
    req.setRawHeader("Accept", "image/jpeg, image/png, image/webp, image/*;q=0.8");
    QNetworkReply *reply = m_network->get(req);
    t->reply = reply;
    t->windowStart = 0;
    connect(reply, &QNetworkReply::metaDataChanged, this, [this, index, reply] {
        if (Transfer *cur = m_rows[size_t(index)].transfer.get(); cur && cur->reply == reply)
            onMetaData(index);
    });
    connect(reply, &QNetworkReply::readyRead, this, [this, index, reply] {
        if (Transfer *cur = m_rows[size_t(index)].transfer.get(); cur && cur->reply == reply)
            onReadyRead(index);
    });
    connect(reply, &QNetworkReply::finished, this, [this, index, reply] {
        if (Transfer *cur = m_rows[size_t(index)].transfer.get(); cur && cur->reply == reply)
            onReplyFinished(index);
    });
    t->stallTimer->start();
}

void SampleDownloader::onMetaData(int index)
{
    Row &row = m_rows[size_t(index)];
    Transfer *t = row.transfer.get();
    t->stallTimer->start();
    // A header no server sends: Qt keeps none of a header with a line above
    // its limit and then waits for a close that never comes, which would
    // read as a timeout. Said for what it is.
    const QList<QNetworkReply::RawHeaderPair> &headers = t->reply->rawHeaderPairs();
    qint64 headerBytes = 0;
    for (const QNetworkReply::RawHeaderPair &pair : headers)
        headerBytes += pair.first.size() + pair.second.size() + 4;
    if (headers.isEmpty() || headerBytes > MaxHeaderBytes) {
        abortLater(index,
            headers.isEmpty()
                ? QStringLiteral("the server's response header could not be read (oversized or malformed)")
                : QStringLiteral(
                    "the server's response header is %1 KiB, more than the %2 KiB a server sends")
                      .arg(headerBytes / 1024)
                      .arg(MaxHeaderBytes / 1024));
        return;
    }
    const int status = t->reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (isRedirect(status) || status >= 400)
        return; // onReplyFinished() follows the redirect or names the status
    t->contentType = t->reply->header(QNetworkRequest::ContentTypeHeader).toString();
    const QVariant length = t->reply->header(QNetworkRequest::ContentLengthHeader);
    if (length.isValid()) {
        const qint64 total = length.toLongLong();
        if (total > m_runOptions.maxBytes) {
            abortLater(index,
                QStringLiteral("too large: %1, the limit is %2")
                    .arg(mibText(total), mibText(m_runOptions.maxBytes)));
            return;
        }
        row.status.total = total;
        emit fileProgress(index, row.status.received, total);
    }
}

void SampleDownloader::onReadyRead(int index)
{
    Row &row = m_rows[size_t(index)];
    Transfer *t = row.transfer.get();
    const int status = t->reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray chunk = t->reply->readAll();
    if (isRedirect(status) || status >= 400 || !t->abortReason.isEmpty())
        return; // a redirect's or an error's page, or a body we are dropping
    if (row.status.received + chunk.size() > m_runOptions.maxBytes) {
        abortLater(index, QStringLiteral("too large: more than %1").arg(mibText(m_runOptions.maxBytes)));
        return;
    }
    if (t->file->write(chunk) != chunk.size()) {
        abortLater(index, QStringLiteral("cannot write %1: %2").arg(t->tempPath, t->file->errorString()));
        return;
    }
    row.status.received += chunk.size();
    // A minimum rate, not only "some byte": a server that sends one byte
    // every few seconds restarts no timer and times out like a silent one.
    if (row.status.received - t->windowStart >= MinBytesPerStallWindow) {
        t->windowStart = row.status.received;
        t->stallTimer->start();
    }
    emit fileProgress(index, row.status.received, row.status.total);
    emitOverall();
}

void SampleDownloader::onReplyFinished(int index)
{
    Row &row = m_rows[size_t(index)];
    Transfer *t = row.transfer.get();
    t->stallTimer->stop();
    QNetworkReply *reply = t->reply;
    t->reply = nullptr;
    reply->disconnect(this);
    reply->deleteLater();

    if (t->cancelled) {
        setFinal(index, SampleState::Cancelled);
        return;
    }
    if (!t->abortReason.isEmpty()) {
        fail(index, t->abortReason);
        return;
    }
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (isRedirect(status)) {
        const QUrl location = reply->attribute(QNetworkRequest::RedirectionTargetAttribute).toUrl();
        if (!location.isValid() || location.isEmpty()) {
            fail(index, QStringLiteral("HTTP %1 redirect without a Location").arg(status));
            return;
        }
        const QUrl target = reply->url().resolved(location);
        if (t->chain.contains(target)) {
            QStringList hops;
            for (const QUrl &u : std::as_const(t->chain))
                hops << u.toDisplayString();
            hops << target.toDisplayString();
            fail(index, QStringLiteral("redirect loop: %1").arg(hops.join(QStringLiteral(" → "))));
            return;
        }
        if (t->chain.size() > m_runOptions.maxRedirects) {
            fail(index,
                QStringLiteral("more than %1 redirects (last to %2)")
                    .arg(m_runOptions.maxRedirects)
                    .arg(target.toDisplayString()));
            return;
        }
        const QString refused = checkDownloadUrl(target, m_runOptions.allowPlainHttp);
        if (!refused.isEmpty()) {
            fail(index, QStringLiteral("redirected to %1: %2").arg(target.toDisplayString(), refused));
            return;
        }
        row.status.received = 0;
        row.status.total = -1;
        t->file->resize(0);
        t->file->seek(0);
        request(index, target);
        return;
    }
    if (status >= 400) {
        fail(index,
            QStringLiteral("HTTP %1 %2")
                .arg(status)
                .arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString()));
        return;
    }
    const qint64 received = row.status.received;
    const qint64 total = row.status.total;
    if (reply->error() != QNetworkReply::NoError) {
        if (total >= 0 && received < total)
            fail(index,
                QStringLiteral("the connection closed after %1 of %2 bytes (%3)")
                    .arg(received)
                    .arg(total)
                    .arg(reply->errorString()));
        else
            fail(index, reply->errorString());
        return;
    }
    if (total >= 0 && received != total) {
        fail(index, QStringLiteral("the body ended after %1 of %2 bytes").arg(received).arg(total));
        return;
    }
    verify(index);
}

void SampleDownloader::abortLater(int index, const QString &reason)
{
    Transfer *t = m_rows[size_t(index)].transfer.get();
    if (!t->abortReason.isEmpty())
        return;
    t->abortReason = reason;
    // Not from inside the reply's own signal: QNetworkReply carries on with
    // its state after metaDataChanged()/readyRead() return.
    QNetworkReply *reply = t->reply;
    QMetaObject::invokeMethod(
        reply,
        [reply] {
            if (!reply->isFinished())
                reply->abort();
        },
        Qt::QueuedConnection);
}

void SampleDownloader::onStalled(int index)
{
    Transfer *t = m_rows[size_t(index)].transfer.get();
    if (!t || !t->reply)
        return;
    const qint64 trickled = m_rows[size_t(index)].status.received - t->windowStart;
    t->abortReason = trickled > 0
        ? QStringLiteral("timed out: only %1 bytes in %2, under the minimum of %3 bytes in that time")
              .arg(trickled)
              .arg(seconds(m_runOptions.stallTimeoutMs))
              .arg(MinBytesPerStallWindow)
        : QStringLiteral("timed out: no data for %1").arg(seconds(m_runOptions.stallTimeoutMs));
    t->reply->abort();
}

void SampleDownloader::verify(int index)
{
    Row &row = m_rows[size_t(index)];
    Transfer *t = row.transfer.get();
    if (!t->file->flush()) {
        fail(index, QStringLiteral("cannot write %1: %2").arg(t->tempPath, t->file->errorString()));
        return;
    }
    t->file->close();
    row.status.state = SampleState::Verifying;
    emit fileChanged(index);
    t->verifier = new QFutureWatcher<VerifyResult>;
    connect(t->verifier, &QFutureWatcher<VerifyResult>::finished, this, [this, index] { onVerified(index); });
    t->verifier->setFuture(
        QtConcurrent::run(verifyFile, t->tempPath, row.status.entry.sha256, t->contentType));
}

void SampleDownloader::onVerified(int index)
{
    Row &row = m_rows[size_t(index)];
    Transfer *t = row.transfer.get();
    const VerifyResult result = t->verifier->result();
    t->verifier->deleteLater();
    t->verifier = nullptr;
    if (t->cancelled) {
        setFinal(index, SampleState::Cancelled);
        return;
    }
    if (!result.error.isEmpty()) {
        fail(index, result.error);
        return;
    }
    SampleFileStatus &f = row.status;
    if (!hasImageSuffix(f.fileName))
        f.fileName += QLatin1Char('.') + result.suffix;
    const QString target = QDir(m_runOptions.destDir).filePath(f.fileName);
    // Never replacing what is there, and never through a link there (a
    // dangling one included): no copy fallback that would open it.
    const bool moved = renameNoReplace(t->tempPath, target);
    const int why = errno;
    if (moved) {
        t->tempPath.clear();
        f.path = target;
        setFinal(index, SampleState::Done);
    } else if (why == EEXIST) {
        f.path = target;
        setFinal(index, SampleState::Skipped,
            QStringLiteral("a file of that name appeared meanwhile; it is kept, never overwritten"));
    } else {
        fail(index,
            QStringLiteral("cannot rename the download to %1: %2")
                .arg(target, QString::fromLocal8Bit(std::strerror(why))));
    }
}

void SampleDownloader::fail(int index, QString reason)
{
    setFinal(index, SampleState::Failed, std::move(reason));
}

void SampleDownloader::setFinal(int index, SampleState state, QString message)
{
    Row &row = m_rows[size_t(index)];
    row.transfer.reset(); // removes the temporary file unless it was renamed
    row.status.state = state;
    row.status.error = std::move(message);
    emit fileChanged(index);
    emitOverall();
    pump();
    checkFinished();
}

void SampleDownloader::emitOverall()
{
    const SampleDownloadSummary s = summary();
    emit overallProgress(s.total - s.active, s.total, s.bytesReceived, s.bytesExpected);
}

void SampleDownloader::checkFinished()
{
    if (!m_running || m_finishPending)
        return;
    for (const Row &row : m_rows)
        if (!isFinal(row.status.state))
            return;
    m_running = false;
    // Always from the event loop, so a caller of start() or cancel() sees
    // finished() after its call returns, never inside it.
    m_finishPending = true;
    QTimer::singleShot(0, this, [this] {
        m_finishPending = false;
        if (!m_running)
            emit finished();
    });
}

} // namespace pixelperf
