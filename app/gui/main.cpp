// pixelperf: the desktop front on the core (PRODUCT.md section 4).
//   pixelperf [FOLDER] [--run] [--compare] [--preset NAME]
// Hidden, for screenshots: --quit-after-run, --screenshot FILE, --show-compare, --ablate.
// Hidden, for the benchmark: --stall-probe (how late a 10 ms timer on the GUI
// thread ran, at worst, while the runs went on; printed at exit).
// With no folder, the bundled samples are opened.
#include "ablationdialog.h"
#include "apppaths.h"
#include "comparisondialog.h"
#include "measure/environment.h"
#include "mainwindow.h"
#include "runcontroller.h"
#include "togglepanel.h"
#include "pipeline/toggles.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <functional>
#include <utility>
#include <cstdio>
#include <cstdlib>

using namespace pixelperf;

namespace {
// Calls `then` once, after the watched widget's first paint.
class FirstPaint : public QObject
{
public:
    explicit FirstPaint(std::function<void()> then) : m_then(std::move(then)) {}
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && m_then) {
            watched->removeEventFilter(this);
            std::exchange(m_then, nullptr)();
        }
        return false;
    }

private:
    std::function<void()> m_then;
};

// The command line. The hidden options are for screenshots and the benchmark.
struct GuiOptions {
    QCommandLineOption run { QStringLiteral("run"), QStringLiteral("Start a run at once.") };
    QCommandLineOption compare { QStringLiteral("compare"), QStringLiteral("Run baseline, then optimized, at once.") };
    QCommandLineOption preset { QStringLiteral("preset"),
        QStringLiteral("Set the toggles to a preset: %1.").arg(presetNames().join(QStringLiteral(", "))),
        QStringLiteral("name") };
    QCommandLineOption quitAfterRun { QStringLiteral("quit-after-run"), QStringLiteral("Quit when the runs are over.") };
    QCommandLineOption screenshot { QStringLiteral("screenshot"),
        QStringLiteral("Save a picture of the window when the runs are over."), QStringLiteral("file") };
    QCommandLineOption showCompare { QStringLiteral("show-compare"),
        QStringLiteral("When the runs are over, open the comparison of the last two (the screenshot is of it).") };
    QCommandLineOption ablate { QStringLiteral("ablate"),
        QStringLiteral("Run \"What did each optimization buy?\" at once (the screenshot is of its chart).") };
    QCommandLineOption stallProbe { QStringLiteral("stall-probe"),
        QStringLiteral("Measure how long the GUI thread is busy at a stretch during runs; print it at exit.") };

    explicit GuiOptions(QCommandLineParser &parser)
    {
        for (QCommandLineOption *hidden : { &quitAfterRun, &screenshot, &showCompare, &ablate, &stallProbe })
            hidden->setFlags(QCommandLineOption::HiddenFromHelp);
        parser.setApplicationDescription(QStringLiteral("A performance lab for an image-processing pipeline."));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addPositionalArgument(QStringLiteral("folder"),
            QStringLiteral("Folder of images to open (default: the bundled samples)."), QStringLiteral("[FOLDER]"));
        parser.addOptions({ stallProbe, run, compare, preset, quitAfterRun, screenshot, showCompare, ablate });
    }
};

// --help, --version and a wrong preset need no display: they are handled
// before the QApplication (which aborts when it finds no display) exists.
// Returns only when the window is to open.
void handleTextOnlyArguments(int argc, char **argv)
{
    QStringList args;
    bool textOnly = false;
    for (int i = 0; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        args << QString::fromLocal8Bit(arg);
        textOnly = textOnly || (i > 0 && (arg == "-h" || arg == "--help" || arg == "--help-all" || arg == "-v"
                                          || arg == "--version"));
    }
    if (textOnly) {
        int count = argc;
        QCoreApplication app(count, argv);
        QCommandLineParser parser;
        const GuiOptions options(parser);
        parser.process(app);  // prints, and exits
        return;
    }
    // Qt's own options (-platform, -style...) are the QApplication's to take
    // out of the arguments: here only the preset is looked at.
    QCommandLineParser parser;
    const GuiOptions options(parser);
    parser.parse(args);
    if (parser.isSet(options.preset) && !presetToggles(parser.value(options.preset))) {
        std::fprintf(stderr, "pixelperf: unknown preset '%s' (%s)\n", qPrintable(parser.value(options.preset)),
            qPrintable(presetNames().join(QStringLiteral(", "))));
        std::exit(2);
    }
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication::setOrganizationName(QStringLiteral("PixelPerf"));
    QCoreApplication::setApplicationName(QStringLiteral("pixelperf"));
    QCoreApplication::setApplicationVersion(appVersion());
    handleTextOnlyArguments(argc, argv);

    QApplication app(argc, argv);
    QApplication::setApplicationDisplayName(QStringLiteral("PixelPerf"));
    QApplication::setDesktopFileName(QStringLiteral("pixelperf"));
    QCommandLineParser parser;
    const GuiOptions options(parser);
    parser.process(app);
    MainWindow window;
    QApplication::setWindowIcon(window.windowIcon());

    if (parser.isSet(options.preset) && !window.togglePanel()->applyPreset(parser.value(options.preset))) {
        std::fprintf(stderr, "pixelperf: unknown preset '%s' (%s)\n", qPrintable(parser.value(options.preset)),
            qPrintable(presetNames().join(QStringLiteral(", "))));
        return 2;
    }

    const QStringList args = parser.positionalArguments();
    const QString folder = args.isEmpty() ? samplesDir() : args.first();
    window.show();
    if (!folder.isEmpty())
        window.openFolder(folder);

    const QString screenshot = parser.value(options.screenshot);
    const bool quitAfter = parser.isSet(options.quitAfterRun) || !screenshot.isEmpty();
    // The picture is of the window, or of the dialog the run ended in.
    auto grabAndQuit = [&](QWidget *target) {
        // Let the charts lay out their last update before the grab.
        QTimer::singleShot(800, &window, [&, target] {
            if (!target->grab().save(screenshot))
                std::fprintf(stderr, "pixelperf: cannot write %s\n", qPrintable(screenshot));
            QApplication::quit();
        });
    };
    const bool showCompare = parser.isSet(options.showCompare);
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

    // The stall probe: a 10 ms precise timer; each tick later than due is the
    // GUI thread having been busy that long (event handling, painting).
    struct StallProbe {
        QTimer timer;
        QElapsedTimer clock;
        qint64 last = 0;
        qint64 worstMs = 0;
        qint64 ticks = 0;
        qint64 over16 = 0;  // ticks late by more than a 60 Hz frame
    } probe;
    constexpr int ProbeMs = 10;
    if (parser.isSet(options.stallProbe)) {
        probe.timer.setTimerType(Qt::PreciseTimer);
        probe.timer.setInterval(ProbeMs);
        QObject::connect(&probe.timer, &QTimer::timeout, &window, [&probe] {
            const qint64 now = probe.clock.elapsed();
            const qint64 late = now - probe.last - ProbeMs;
            probe.worstMs = std::max(probe.worstMs, late);
            if (late > 50)  // the product's limit: say when it was broken
                std::printf("stall of %lld ms at %.2f s\n", late, double(now) / 1000);
            probe.over16 += late > 16 ? 1 : 0;
            probe.last = now;
            ++probe.ticks;
        });
        QObject::connect(window.runController(), &RunController::runStarted, &window, [&probe] {
            if (probe.timer.isActive())
                return;
            probe.clock.start();
            probe.last = 0;
            probe.timer.start();
        });
        QObject::connect(&window, &MainWindow::runsFinished, &window, [&probe] {
            probe.timer.stop();
            std::printf("GUI thread during the runs: %lld ticks of %d ms, worst %lld ms late, %lld ticks over 16 ms "
                        "late, over %.1f s\n",
                        probe.ticks, ProbeMs, probe.worstMs, probe.over16, double(probe.clock.elapsed()) / 1000);
            std::fflush(stdout);
        });
    }

    const bool ablate = parser.isSet(options.ablate);
    const bool compare = parser.isSet(options.compare);
    const bool run = !ablate && (compare || parser.isSet(options.run));
    if (!run && !ablate && !screenshot.isEmpty())
        grabAndQuit(&window);
    if (ablate) {
        QTimer::singleShot(0, &window, [&window, quitAfter] {
            if (!window.startAblation() && quitAfter)
                QApplication::exit(1);
        });
    }
    auto startRuns = [&window, compare, quitAfter] {
        const bool started = compare ? window.startBaselineVsOptimized() : window.startRun();
        if (!started && quitAfter)
            QApplication::exit(1);
    };
    // Measured, the run starts as a person's would: once the window is on
    // screen and painted (its first paint is not the run's doing).
    FirstPaint firstPaint([startRuns] { QTimer::singleShot(0, startRuns); });
    if (run && parser.isSet(options.stallProbe))
        window.installEventFilter(&firstPaint);
    else if (run)
        QTimer::singleShot(0, &window, startRuns);
    return app.exec();
}
