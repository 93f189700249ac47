// pixelperf: the desktop front on the core (PRODUCT.md section 4).
//   pixelperf [FOLDER] [--run] [--compare] [--preset NAME]
// With no folder, the bundled samples are opened.
#include "apppaths.h"
#include "environment.h"
#include "mainwindow.h"
#include "togglepanel.h"
#include "toggles.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <cstdio>

using namespace pixelperf;

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("PixelPerf"));
    QApplication::setApplicationName(QStringLiteral("pixelperf"));
    QApplication::setApplicationDisplayName(QStringLiteral("PixelPerf"));
    QApplication::setApplicationVersion(appVersion());
    QApplication::setDesktopFileName(QStringLiteral("pixelperf"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("A performance lab for an image-processing pipeline."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("folder"),
        QStringLiteral("Folder of images to open (default: the bundled samples)."),
        QStringLiteral("[FOLDER]"));
    const QCommandLineOption runOption(QStringLiteral("run"), QStringLiteral("Start a run at once."));
    const QCommandLineOption compareOption(
        QStringLiteral("compare"), QStringLiteral("Run baseline, then optimized, at once."));
    const QCommandLineOption presetOption(QStringLiteral("preset"),
        QStringLiteral("Set the toggles to a preset: %1.").arg(presetNames().join(QStringLiteral(", "))),
        QStringLiteral("name"));
    QCommandLineOption quitOption(
        QStringLiteral("quit-after-run"), QStringLiteral("Quit when the runs are over."));
    quitOption.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
        QStringLiteral("Save a picture of the window when the runs are over."), QStringLiteral("file"));
    screenshotOption.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOptions({ runOption, compareOption, presetOption, quitOption, screenshotOption });
    parser.process(app);

    MainWindow window;
    QApplication::setWindowIcon(window.windowIcon());

    if (parser.isSet(presetOption) && !window.togglePanel()->applyPreset(parser.value(presetOption))) {
        std::fprintf(stderr, "pixelperf: unknown preset '%s' (%s)\n", qPrintable(parser.value(presetOption)),
            qPrintable(presetNames().join(QStringLiteral(", "))));
        return 2;
    }

    const QStringList args = parser.positionalArguments();
    const QString folder = args.isEmpty() ? samplesDir() : args.first();
    window.show();
    if (!folder.isEmpty())
        window.openFolder(folder);

    const QString screenshot = parser.value(screenshotOption);
    const bool quitAfter = parser.isSet(quitOption) || !screenshot.isEmpty();
    auto grabAndQuit = [&] {
        // Let the charts lay out their last update before the grab.
        QTimer::singleShot(800, &window, [&] {
            if (!window.grab().save(screenshot))
                std::fprintf(stderr, "pixelperf: cannot write %s\n", qPrintable(screenshot));
            QApplication::quit();
        });
    };
    QObject::connect(&window, &MainWindow::runsFinished, &window, [&] {
        if (!screenshot.isEmpty())
            grabAndQuit();
        else if (quitAfter)
            QApplication::quit();
    });

    const bool compare = parser.isSet(compareOption);
    const bool run = compare || parser.isSet(runOption);
    if (!run && !screenshot.isEmpty())
        grabAndQuit();
    if (run) {
        QTimer::singleShot(0, &window, [&window, compare, quitAfter] {
            const bool started = compare ? window.startBaselineVsOptimized() : window.startRun();
            if (!started && quitAfter)
                QApplication::exit(1);
        });
    }
    return app.exec();
}
