// pixelperf: the desktop front on the core (PRODUCT.md section 4).
//   pixelperf [FOLDER] [--run] [--compare] [--preset NAME]
// Hidden, for screenshots: --quit-after-run, --screenshot FILE, --show-compare, --ablate.
// With no folder, the bundled samples are opened.
#include "ablationdialog.h"
#include "apppaths.h"
#include "comparisondialog.h"
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
    QCommandLineOption showCompareOption(QStringLiteral("show-compare"),
        QStringLiteral("When the runs are over, open the comparison of the last two (the screenshot is of it)."));
    showCompareOption.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption ablateOption(QStringLiteral("ablate"),
        QStringLiteral("Run \"What did each optimization buy?\" at once (the screenshot is of its chart)."));
    ablateOption.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOptions({ runOption, compareOption, presetOption, quitOption, screenshotOption, showCompareOption,
        ablateOption });
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
    // The picture is of the window, or of the dialog the run ended in.
    auto grabAndQuit = [&](QWidget *target) {
        // Let the charts lay out their last update before the grab.
        QTimer::singleShot(800, &window, [&, target] {
            if (!target->grab().save(screenshot))
                std::fprintf(stderr, "pixelperf: cannot write %s\n", qPrintable(screenshot));
            QApplication::quit();
        });
    };
    const bool showCompare = parser.isSet(showCompareOption);
    QObject::connect(&window, &MainWindow::runsFinished, &window, [&] {
        QWidget *target = &window;
        if (showCompare) {
            if (ComparisonDialog *dialog = window.showComparison())
                target = dialog;
        }
        if (!screenshot.isEmpty())
            grabAndQuit(target);
        else if (quitAfter)
            QApplication::quit();
    });
    QObject::connect(&window, &MainWindow::ablationFinished, &window, [&](bool) {
        QWidget *target = window.ablationDialog() ? static_cast<QWidget *>(window.ablationDialog()) : &window;
        if (!screenshot.isEmpty())
            grabAndQuit(target);
        else if (quitAfter)
            QApplication::quit();
    });

    const bool ablate = parser.isSet(ablateOption);
    const bool compare = parser.isSet(compareOption);
    const bool run = !ablate && (compare || parser.isSet(runOption));
    if (!run && !ablate && !screenshot.isEmpty())
        grabAndQuit(&window);
    if (ablate) {
        QTimer::singleShot(0, &window, [&window, quitAfter] {
            if (!window.startAblation() && quitAfter)
                QApplication::exit(1);
        });
    }
    if (run) {
        QTimer::singleShot(0, &window, [&window, compare, quitAfter] {
            const bool started = compare ? window.startBaselineVsOptimized() : window.startRun();
            if (!started && quitAfter)
                QApplication::exit(1);
        });
    }
    return app.exec();
}
