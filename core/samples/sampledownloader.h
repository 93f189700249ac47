// Downloads the images of a sample manifest into a folder (PRODUCT.md
// section 6): a few transfers at once, progress per file and overall, cancel,
// retry of what failed. Asynchronous: call start() and watch the signals; the
// caller's event loop does the work.
//
// What reaches the folder is always a whole, verified image: the body streams
// into a hidden temporary file (".<name>.<random>.part"), is checked off the
// GUI thread (it must decode as an image, and match sha256 when the manifest
// gives one) and only then renamed to its name. A file that already exists is
// never overwritten: that entry is skipped ("already there") and no transfer
// is made; this keeps a second download into the same folder cheap.
#pragma once

#include "samples/samplemanifest.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QUrl>

#include <memory>
#include <vector>

class QFile;
class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace pixelperf {

// The minimum rate of a transfer: this many bytes in each stall timeout
// (1 KiB in the default 30 s; a server dribbling a byte every few seconds
// would otherwise hold a file for hours).
constexpr qint64 MinBytesPerStallWindow = 1024;
// A response header above this is refused (servers send a few KiB).
constexpr qint64 MaxHeaderBytes = 64 * 1024;

struct SampleDownloadOptions {
    QString destDir;
    int maxConcurrent = 4;
    int stallTimeoutMs = 30000; // a transfer fails when fewer than MinBytesPerStallWindow arrive in this long
    int maxRedirects = 5;
    qint64 maxBytes = 64ll << 20; // per file
    bool allowPlainHttp = false; // http:// beyond loopback
};

enum class SampleState { Queued, Downloading, Verifying, Done, Skipped, Failed, Cancelled };
inline bool isFinal(SampleState s)
{
    return s == SampleState::Done || s == SampleState::Skipped || s == SampleState::Failed
        || s == SampleState::Cancelled;
}

// One row: a value the UI and the CLI copy, never a live object.
struct SampleFileStatus {
    SampleEntry entry;
    QString fileName; // the name in destDir (unique within the batch)
    QString path; // the kept file, when Done or Skipped
    SampleState state = SampleState::Queued;
    qint64 received = 0;
    qint64 total = -1; // from Content-Length; -1 unknown
    QString error; // why it failed, or why it was skipped
    int attempts = 0;
};

struct SampleDownloadSummary {
    int total = 0;
    int done = 0;
    int skipped = 0;
    int failed = 0;
    int cancelled = 0;
    int active = 0; // queued, downloading or verifying
    qint64 bytesReceived = 0;
    qint64 bytesExpected = 0; // sum of the known Content-Lengths
    bool finished() const { return active == 0; }
    bool allArrived() const { return finished() && done + skipped == total; }
};

class SampleDownloader : public QObject
{
    Q_OBJECT
public:
    explicit SampleDownloader(QObject *parent = nullptr);
    ~SampleDownloader() override;

    // Takes effect at the next start() or retryFailed().
    void setOptions(const SampleDownloadOptions &options) { m_options = options; }
    const SampleDownloadOptions &options() const { return m_options; }

    // Plans one row per entry and starts. False (with the reason) when the
    // folder cannot be created or a download is still running; rows whose
    // file already exists are Skipped at once. finished() follows, from the
    // event loop, even when nothing needed downloading.
    bool start(const QList<SampleEntry> &entries, QString *error = nullptr);
    // Queued rows become Cancelled; running transfers are aborted and their
    // temporary files removed. finished() follows.
    void cancel();
    // Failed and Cancelled rows are queued again (same names). False when
    // there is nothing to retry or a download is running.
    bool retryFailed();

    bool isRunning() const { return m_running; }
    int count() const { return int(m_rows.size()); }
    SampleFileStatus file(int index) const;
    QList<SampleFileStatus> files() const;
    SampleDownloadSummary summary() const;

signals:
    void fileChanged(int index); // state, error or name
    void fileProgress(int index, qint64 received, qint64 total);
    void overallProgress(int finishedFiles, int totalFiles, qint64 bytesReceived, qint64 bytesExpected);
    void finished();

private:
    struct Transfer;
    struct Row {
        SampleFileStatus status;
        std::unique_ptr<Transfer> transfer;
    };

    void pump();
    void startTransfer(int index);
    void request(int index, const QUrl &url);
    void onMetaData(int index);
    void onReadyRead(int index);
    void onReplyFinished(int index);
    void onStalled(int index);
    void abortLater(int index, const QString &reason);
    void verify(int index);
    void onVerified(int index);
    void fail(int index, QString reason); // by value: the reason may live in the Transfer it ends
    void setFinal(int index, SampleState state, QString message = {});
    void emitOverall();
    void checkFinished();

    SampleDownloadOptions m_options;
    SampleDownloadOptions m_runOptions; // the options of the running batch
    QNetworkAccessManager *m_network = nullptr;
    std::vector<Row> m_rows;
    bool m_running = false;
    bool m_finishPending = false;
    quint64 m_batch = 0;
};

} // namespace pixelperf
