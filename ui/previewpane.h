// Before/after: the selected input beside its processed output, each scaled
// to fit. Decoding runs off the GUI thread (a JobTracker, through core's
// loader, so EXIF orientation is honoured); a newer selection wins.
#pragma once

#include <QImage>
#include <QWidget>

class QLabel;

namespace pixelperf {

class JobTracker;

struct PreviewImage {
    QImage image;
    QString info; // "1600×1000, 412 KiB"
    QString error;
};

// Loads `path` for display, no larger than the box (shrink-on-load for JPEG).
PreviewImage loadPreview(const QString &path, int maxWidth, int maxHeight);

class PreviewPane : public QWidget
{
    Q_OBJECT
public:
    explicit PreviewPane(QWidget *parent = nullptr);

    // Empty paths clear that side.
    void showImages(const QString &inputPath, const QString &outputPath);
    QString inputPath() const { return m_inputPath; }
    QString outputPath() const { return m_outputPath; }
    bool isLoading() const;
    QImage inputImage() const { return m_input.image; }
    QImage outputImage() const { return m_output.image; }

signals:
    void loaded();

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    struct Side {
        QLabel *picture = nullptr;
        QLabel *caption = nullptr;
    };
    void rescale();
    void showSide(const Side &side, const PreviewImage &img, const QString &title, const QString &empty);

    Side m_before;
    Side m_after;
    QString m_inputPath;
    QString m_outputPath;
    PreviewImage m_input;
    PreviewImage m_output;
    JobTracker *m_loading = nullptr; // a newer selection's load supersedes an older one's
};

} // namespace pixelperf
