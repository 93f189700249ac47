#include "windowactions.h"

#include "measure/environment.h"
#include "toggleshelpdialog.h"

#include <QAction>
#include <QApplication>
#include <QIcon>
#include <QMenuBar>
#include <QMessageBox>
#include <QPainter>
#include <QStyle>
#include <QWidget>

namespace pixelperf {

namespace {

// The theme's icon when the desktop has one; else the style's, redrawn in
// the palette's text colour, so a dark palette gets light icons.
QIcon paletteIcon(const char *name, QStyle::StandardPixmap fallback, const QWidget *window)
{
    if (QIcon::hasThemeIcon(QLatin1String(name)))
        return QIcon::fromTheme(QLatin1String(name));
    const QIcon base = window->style()->standardIcon(fallback, nullptr, window);
    const QColor ink = window->palette().color(QPalette::ButtonText);
    QIcon tinted;
    for (int size : { 16, 22, 32, 48 }) {
        QPixmap pixmap = base.pixmap(QSize(size, size));
        if (pixmap.isNull())
            continue;
        QPainter painter(&pixmap);
        painter.setCompositionMode(QPainter::CompositionMode_SourceIn);
        painter.fillRect(pixmap.rect(), ink);
        painter.end();
        tinted.addPixmap(pixmap);
    }
    return tinted.isNull() ? base : tinted;
}

QAction *action(QWidget *window, const QString &text, const char *objectName, const QString &toolTip = {})
{
    auto *a = new QAction(text, window);
    if (objectName)
        a->setObjectName(QLatin1String(objectName));
    if (!toolTip.isEmpty())
        a->setToolTip(toolTip);
    return a;
}

void createFileActions(WindowActions &a, QWidget *w)
{
    a.open = action(
        w, QObject::tr("&Open Folder…"), "actionOpen", QObject::tr("Open a folder of images (Ctrl+O)"));
    a.open->setShortcut(QKeySequence::Open);
    a.download = action(w, QObject::tr("&Download Sample Images…"), "actionDownload",
        QObject::tr("Download freely licensed photos from a manifest of URLs"));
    a.generate = action(w, QObject::tr("&Generate Sample Images…"), "actionGenerate");
    a.openOutput = action(w, QObject::tr("Open O&utput Folder"), "actionOpenOutput");
    a.exportReport = action(w, QObject::tr("&Export Report…"), "actionExport",
        QObject::tr(
            "Save the selected run (else the latest) as JSON, HTML, CSV, Markdown, a Chrome trace or its "
            "sampled call stacks (Ctrl+E)"));
    a.exportReport->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    a.openReport = action(w, QObject::tr("Open &Report…"), "actionOpenReport",
        QObject::tr("Load a JSON report into the run history, to compare it with this session's runs "
                    "(Ctrl+Shift+O)"));
    a.openReport->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    a.quit = action(w, QObject::tr("&Quit"), nullptr);
    a.quit->setShortcut(QKeySequence::Quit);
    a.quit->setMenuRole(QAction::QuitRole);
}

void createRunActions(WindowActions &a, QWidget *w)
{
    a.run = action(w, QObject::tr("&Run"), "actionRun",
        QObject::tr("Process every image with the current toggles (Ctrl+R, F5)"));
    a.run->setShortcuts({ QKeySequence(Qt::CTRL | Qt::Key_R), QKeySequence(Qt::Key_F5) });
    a.cancel = action(
        w, QObject::tr("&Cancel"), "actionCancel", QObject::tr("Stop the run; what was done is kept (Esc)"));
    a.cancel->setShortcut(QKeySequence(Qt::Key_Escape));
    a.compare = action(w, QObject::tr("Run &Baseline vs Optimized"), "actionCompare",
        QObject::tr("Run the baseline preset, then the optimized one, and compare them"));
    a.compare->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    a.compareRuns = action(w, QObject::tr("Co&mpare Runs…"), "actionCompareRuns",
        QObject::tr(
            "Two runs of the history side by side: time per stage, memory, speedup with its significance, "
            "and what differs (Ctrl+Shift+C)"));
    a.compareRuns->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    a.ablation = action(w, QObject::tr("What Did Each &Optimization Buy…"), "actionAblation",
        QObject::tr(
            "Run the optimized preset with each toggle turned off in turn and chart each toggle's share "
            "of the speedup and of the memory saving"));
    a.togglesHelp = action(w, QObject::tr("&Toggles Explained"), "actionTogglesHelp");
    a.togglesHelp->setShortcut(QKeySequence::HelpContents);
    a.about = action(w, QObject::tr("&About PixelPerf"), nullptr);
    a.about->setMenuRole(QAction::AboutRole);
}

void connectWindowActions(const WindowActions &a, QWidget *window)
{
    QObject::connect(a.quit, &QAction::triggered, window, &QWidget::close);
    QObject::connect(a.togglesHelp, &QAction::triggered, window, [window] {
        auto *dialog = new TogglesHelpDialog(window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    QObject::connect(a.about, &QAction::triggered, window, [window] {
        QMessageBox::about(window, QObject::tr("About PixelPerf"),
            QObject::tr(
                "<h3>PixelPerf %1</h3><p>A performance lab for an image-processing pipeline: drop a folder "
                "of photos, flip the optimizations, and see where the time and the memory go, stage by "
                "stage.</p><p>Qt %2%3</p>")
                .arg(appVersion(), QString::fromLatin1(qVersion()),
                    gitRevision().isEmpty() ? QString() : QObject::tr(", revision %1").arg(gitRevision())));
    });
}

} // namespace

WindowActions WindowActions::create(QWidget *window)
{
    WindowActions a;
    createFileActions(a, window);
    createRunActions(a, window);
    connectWindowActions(a, window);
    a.updateIcons(window);
    return a;
}

void WindowActions::addHelpMenu(QMenuBar *menuBar) const
{
    QMenu *help = menuBar->addMenu(QObject::tr("&Help"));
    help->addAction(togglesHelp);
    help->addSeparator();
    help->addAction(about);
    help->addAction(QObject::tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void WindowActions::updateIcons(const QWidget *window) const
{
    open->setIcon(paletteIcon("document-open-folder", QStyle::SP_DirOpenIcon, window));
    openOutput->setIcon(paletteIcon("folder", QStyle::SP_DirIcon, window));
    exportReport->setIcon(paletteIcon("document-save-as", QStyle::SP_DialogSaveButton, window));
    run->setIcon(paletteIcon("media-playback-start", QStyle::SP_MediaPlay, window));
    cancel->setIcon(paletteIcon("process-stop", QStyle::SP_MediaStop, window));
    compare->setIcon(paletteIcon("view-statistics", QStyle::SP_BrowserReload, window));
}

} // namespace pixelperf
