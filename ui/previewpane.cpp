#include "previewpane.h"

#include "jobtracker.h"
#include "pipeline/stages/load.h"
#include "units.h"

#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>

namespace pixelperf {

namespace {
constexpr int PreviewBox = 1024;
}

PreviewImage loadPreview(const QString &path, int maxWidth, int maxHeight)
{
    PreviewImage out;
    if (path.isEmpty())
        return out;
    LoadRequest request;
    request.targetWidth = maxWidth;
    request.targetHeight = maxHeight;
    request.mode = ResizeMode::Fit;
    request.shrinkOnLoad = true;
    // Not a run's buffers: a run going on meanwhile charts its own.
    const pixelaccounting::UncountedScope uncounted;
    const LoadResult r = loadImage(path, request, false);
    if (!r.error.isEmpty()) {
        out.error = r.error;
        return out;
    }
    const PixelBuffer &px = r.image->pixels;
    const QImage view(px.data(), px.width(), px.height(), qsizetype(px.stride()), QImage::Format_RGB888);
    out.image = view.width() > maxWidth || view.height() > maxHeight
        ? view.scaled(maxWidth, maxHeight, Qt::KeepAspectRatio, Qt::SmoothTransformation)
        : view.copy();
    out.info = QStringLiteral("%1×%2, %3")
                   .arg(r.image->sourceWidth)
                   .arg(r.image->sourceHeight)
                   .arg(formatBytes(QFileInfo(path).size()));
    return out;
}

PreviewPane::PreviewPane(QWidget *parent)
    : QWidget(parent)
{
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(4);
    int column = 0;
    for (Side *side : { &m_before, &m_after }) {
        side->caption = new QLabel(this);
        side->caption->setWordWrap(true);
        side->picture = new QLabel(this);
        side->picture->setAlignment(Qt::AlignCenter);
        side->picture->setWordWrap(true); // an error in its place, whole
        side->picture->setMinimumSize(80, 60);
        side->picture->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
        side->picture->setBackgroundRole(QPalette::Base);
        side->picture->setAutoFillBackground(true);
        side->picture->setForegroundRole(QPalette::PlaceholderText);
        grid->addWidget(side->caption, 0, column);
        grid->addWidget(side->picture, 1, column);
        grid->setColumnStretch(column, 1);
        ++column;
    }
    grid->setRowStretch(1, 1);
    m_before.picture->setObjectName(QStringLiteral("previewBefore"));
    m_after.picture->setObjectName(QStringLiteral("previewAfter"));

    m_loading = new JobTracker(this);
    // A preview that threw (out of memory, say) shows why on both sides.
    connect(m_loading, &JobTracker::failed, this, [this](const QString &message) {
        m_input = PreviewImage();
        m_output = PreviewImage();
        m_input.error = m_output.error = tr("Cannot show a preview: %1").arg(message);
        rescale();
        emit loaded();
    });
    showImages(QString(), QString());
}

bool PreviewPane::isLoading() const
{
    return m_loading->isRunning();
}

void PreviewPane::showImages(const QString &inputPath, const QString &outputPath)
{
    m_inputPath = inputPath;
    m_outputPath = outputPath;
    m_input = {};
    m_output = {};
    if (inputPath.isEmpty() && outputPath.isEmpty()) {
        m_loading->drop(); // an older selection's pictures never arrive
    } else {
        m_loading->start(
            [inputPath, outputPath](const JobControl &) {
                return std::make_pair(loadPreview(inputPath, PreviewBox, PreviewBox),
                    loadPreview(outputPath, PreviewBox, PreviewBox));
            },
            [this](std::pair<PreviewImage, PreviewImage> images) {
                std::tie(m_input, m_output) = std::move(images);
                rescale();
                emit loaded();
            });
    }
    rescale();
}

void PreviewPane::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    rescale();
}

void PreviewPane::showSide(
    const Side &side, const PreviewImage &img, const QString &title, const QString &empty)
{
    if (img.image.isNull()) {
        side.picture->setPixmap(QPixmap());
        side.picture->setText(img.error.isEmpty() ? empty : img.error);
        side.picture->setToolTip(img.error); // a path too long for the pane
        side.caption->setText(QStringLiteral("<b>%1</b>").arg(title));
        return;
    }
    const qreal dpr = devicePixelRatioF();
    const QSize box = side.picture->size() * dpr;
    QPixmap pixmap = QPixmap::fromImage(
        img.image.scaled(box.boundedTo(img.image.size() * 4), Qt::KeepAspectRatio, Qt::SmoothTransformation));
    pixmap.setDevicePixelRatio(dpr);
    side.picture->setText(QString());
    side.picture->setToolTip(QString());
    side.picture->setPixmap(pixmap);
    // "1600×1000" and "412 KiB" on lines of their own: a narrow panel cuts neither.
    side.caption->setText(
        QStringLiteral("<b>%1</b> %2")
            .arg(title, img.info.toHtmlEscaped().replace(QStringLiteral(", "), QStringLiteral("<br>"))));
}

void PreviewPane::rescale()
{
    const bool loading = m_loading->isRunning();
    showSide(m_before, m_input, tr("Before"),
        m_inputPath.isEmpty() ? tr("Select an image")
            : loading         ? tr("Loading…")
                              : QString());
    showSide(m_after, m_output, tr("After"),
        m_outputPath.isEmpty() ? (m_inputPath.isEmpty() ? QString() : tr("Not processed yet"))
            : loading          ? tr("Loading…")
                               : QString());
}

} // namespace pixelperf
