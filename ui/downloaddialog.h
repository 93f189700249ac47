// File ▸ Download Sample Images…: choose a manifest, how many photos and
// where; then one row per file with its progress, state and error, Cancel,
// Retry failed, and "Open in PixelPerf" once images have arrived. The work is
// core's SampleManifestLoader and SampleDownloader; this only presents them.
#pragma once

#include <QDialog>

class QCheckBox;
class QLabel;
class QLayout;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace pixelperf {

class SampleDownloader;
class SampleManifestLoader;
struct ManifestResult;

class DownloadDialog : public QDialog
{
    Q_OBJECT
public:
    explicit DownloadDialog(QWidget *parent = nullptr);
    ~DownloadDialog() override;

    // A folder under the user's Pictures ("PixelPerf samples"), else under
    // the application's data folder.
    static QString defaultDestination();

    QString destination() const;
    void setDestination(const QString &dir);
    // Empty: $PIXELPERF_SAMPLES_MANIFEST when set, else the bundled list.
    QString manifestLocation() const;
    void setManifestLocation(const QString &location);
    int count() const;
    void setCount(int count);
    // How long a transfer may go without a byte before it fails (default 30 s).
    void setStallTimeoutMs(int ms) { m_stallTimeoutMs = ms; }
    // From Download until the batch has settled and the buttons follow.
    bool isBusy() const;
    const SampleDownloader *downloader() const { return m_downloader; }

public slots:
    void startDownload();
    void cancelDownload();
    void retryFailed();

signals:
    // "Open in PixelPerf": the folder the images are in.
    void openFolderRequested(const QString &dir);

protected:
    void reject() override; // Esc or close while busy: cancel first, nothing half-written stays

private:
    QLayout *buildForm();
    QWidget *buildTable();
    QWidget *buildButtons();
    void onManifest(const ManifestResult &result);
    void rebuildTable();
    void updateRow(int index);
    void updateProgress(int index, qint64 received, qint64 total);
    void updateSummary();
    void onFinished();
    void setBusy(bool busy);
    void showStatus(const QString &text, bool problem = false);

    SampleManifestLoader *m_loader = nullptr;
    SampleDownloader *m_downloader = nullptr;
    QLineEdit *m_manifest = nullptr;
    QSpinBox *m_count = nullptr;
    QLineEdit *m_dest = nullptr;
    QCheckBox *m_allowHttp = nullptr;
    QTableWidget *m_table = nullptr;
    QProgressBar *m_overall = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_download = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_retry = nullptr;
    QPushButton *m_open = nullptr;
    QPushButton *m_close = nullptr;
    int m_stallTimeoutMs = 30000;
    bool m_loadingManifest = false;
    bool m_busy = false; // from Download until the batch has settled (buttons follow it)
    QString m_runDest; // the folder of the current or last batch
    bool m_destCreated = false; // it did not exist before the batch
};

} // namespace pixelperf
