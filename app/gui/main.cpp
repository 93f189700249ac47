// pixelperf: the desktop front on the core (PRODUCT.md section 4).
//   pixelperf [FOLDER | IMAGE...] [--run] [--compare] [--preset NAME]
// Hidden, for screenshots: --quit-after-run, --screenshot FILE, --show-compare, --ablate,
// --dark (a dark palette, to see the window as a dark desktop shows it).
// Hidden, for the benchmark: --stall-probe (how late a 10 ms timer on the GUI
// thread ran, at worst, while the runs went on; printed at exit).
// With no folder, the folder opened last (when it is still there), else the
// bundled samples.
#include "ablationdialog.h"
#include "apppaths.h"
#include "comparisondialog.h"
#include "mainwindow.h"
#include "measure/environment.h"
#include "pipeline/allocator.h"
#include "pipeline/toggles.h"
#include "runcontroller.h"
#include "togglepanel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <utility>

using namespace pixelperf;

namespace {
// Calls `then` once, after the watched widget's first paint.
class FirstPaint : public QObject
{
public:
    FirstPaint(std::function<void()> then, QObject *parent)
        : QObject(parent)
        , m_then(std::move(then))
    { }
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
    QCommandLineOption compare { QStringLiteral("compare"),
        QStringLiteral("Run baseline, then optimized, at once.") };
    QCommandLineOption preset { QStringLiteral("preset"),
        QStringLiteral("Set the toggles to a preset: %1.").arg(presetNames().join(QStringLiteral(", "))),
        QStringLiteral("name") };
    QCommandLineOption quitAfterRun { QStringLiteral("quit-after-run"),
        QStringLiteral("Quit when the runs are over.") };
    QCommandLineOption screenshot { QStringLiteral("screenshot"),
        QStringLiteral("Save a picture of the window when the runs are over."), QStringLiteral("file") };
    QCommandLineOption showCompare { QStringLiteral("show-compare"),
        QStringLiteral(
            "When the runs are over, open the comparison of the last two (the screenshot is of it).") };
    QCommandLineOption ablate { QStringLiteral("ablate"),
        QStringLiteral("Run \"What did each optimization buy?\" at once (the screenshot is of its chart).") };
    QCommandLineOption stallProbe { QStringLiteral("stall-probe"),
        QStringLiteral(
            "Measure how long the GUI thread is busy at a stretch during runs; print it at exit.") };
    QCommandLineOption dark { QStringLiteral("dark"), QStringLiteral("Use a dark palette.") };

    explicit GuiOptions(QCommandLineParser &parser)
    {
        for (QCommandLineOption *hidden :
            { &quitAfterRun, &screenshot, &showCompare, &ablate, &stallProbe, &dark })
            hidden->setFlags(QCommandLineOption::HiddenFromHelp);
        parser.setApplicationDescription(
            QStringLiteral("A performance lab for an image-processing pipeline."));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addPositionalArgument(QStringLiteral("folder"),
            QStringLiteral("Folder of images to open (default: the folder opened last, else the bundled "
                           "samples), or image files: only those run."),
            QStringLiteral("[FOLDER | IMAGE...]"));
        parser.addOptions(
            { stallProbe, run, compare, preset, quitAfterRun, screenshot, showCompare, ablate, dark });
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
        textOnly = textOnly
            || (i > 0
                && (arg == "-h" || arg == "--help" || arg == "--help-all" || arg == "-v"
                    || arg == "--version"));
    }
    if (textOnly) {
        int count = argc;
        QCoreApplication app(count, argv);
        QCommandLineParser parser;
        const GuiOptions options(parser);
        parser.process(app); // prints, and exits
        return;
    }
    // Qt's own options (-platform, -style...) are the QApplication's to take
    // out of the arguments: here only the preset is looked at.
    QCommandLineParser parser;
    const GuiOptions options(parser);
    parser.parse(args);
    if (parser.isSet(options.preset) && !presetToggles(parser.value(options.preset))) {
        std::fprintf(stderr, "pixelperf: unknown preset '%s' (%s)\n",
            qPrintable(parser.value(options.preset)), qPrintable(presetNames().join(QStringLiteral(", "))));
        std::exit(2);
    }
}

// A picture of `target` into `file`, then quit.
void grabAndQuit(QWidget *target, const QString &file)
{
    // Let the charts lay out their last update before the grab.
    QTimer::singleShot(800, target, [target, file] {
        if (!target->grab().save(file))
            std::fprintf(stderr, "pixelperf: cannot write %s\n", qPrintable(file));
        QApplication::quit();
    });
}

// The picture is of the window, or of the dialog the runs ended in; then quit.
void connectScreenshots(MainWindow &window, const QString &screenshot, bool quitAfter, bool showCompare)
{
    auto finish = [screenshot, quitAfter](QWidget *target) {
        if (!screenshot.isEmpty())
            grabAndQuit(target, screenshot);
        else if (quitAfter)
            QApplication::quit();
    };
    QObject::connect(&window, &MainWindow::runsFinished, &window, [&window, finish, showCompare] {
        ComparisonDialog *dialog = showCompare ? window.showComparison() : nullptr;
        finish(dialog ? static_cast<QWidget *>(dialog) : &window);
    });
    QObject::connect(&window, &MainWindow::ablationFinished, &window, [&window, finish](bool) {
        finish(window.ablationDialog() ? static_cast<QWidget *>(window.ablationDialog()) : &window);
    });
}

// The stall probe: a 10 ms precise timer; each tick later than due is the
// GUI thread having been busy that long (event handling, painting). Two
// spans: from the window's first paint to the first run's start (the folder
// listed and its images shown), then the runs.
class StallProbe : public QObject
{
public:
    explicit StallProbe(MainWindow *window)
        : QObject(window)
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(ProbeMs);
        connect(&m_timer, &QTimer::timeout, this, &StallProbe::tick);
        window->installEventFilter(new FirstPaint([this] { start(); }, this));
        connect(window->runController(), &RunController::runStarted, this, [this] {
            if (m_runs)
                return;
            if (m_timer.isActive())
                report("while the folder was listed and shown");
            m_runs = true;
            start();
        });
        connect(window, &MainWindow::runsFinished, this, [this] {
            m_timer.stop();
            report("during the runs");
        });
    }

private:
    static constexpr int ProbeMs = 10;
    void start()
    {
        m_clock.start();
        m_last = m_worstMs = m_ticks = m_over16 = 0;
        m_timer.start();
    }
    void report(const char *when) const
    {
        std::printf("GUI thread %s: %lld ticks of %d ms, worst %lld ms late, %lld ticks over 16 ms late, "
                    "over %.1f s\n",
            when, m_ticks, ProbeMs, m_worstMs, m_over16, double(m_clock.elapsed()) / 1000);
        std::fflush(stdout);
    }
    void tick()
    {
        const qint64 now = m_clock.elapsed();
        const qint64 late = now - m_last - ProbeMs;
        m_worstMs = std::max(m_worstMs, late);
        if (late > 50) // the product's limit: say when it was broken
            std::printf("stall of %lld ms at %.2f s%s\n", late, double(now) / 1000,
                m_runs ? "" : " (listing the folder)");
        m_over16 += late > 16 ? 1 : 0;
        m_last = now;
        ++m_ticks;
    }

    QTimer m_timer;
    QElapsedTimer m_clock;
    bool m_runs = false; // the runs have started
    qint64 m_last = 0;
    qint64 m_worstMs = 0;
    qint64 m_ticks = 0;
    qint64 m_over16 = 0; // ticks late by more than a 60 Hz frame
};

// Starts `start` once the folder is listed and, when `afterPaint`, the
// window has painted (measured, a run starts as a person's would: once the
// window is on screen; its first paint is not the run's doing).
void startWhenReady(MainWindow &window, bool opening, bool afterPaint, std::function<void()> start)
{
    struct Gate {
        bool opened;
        bool painted;
        std::function<void()> start;
        void open()
        {
            if (opened && painted && start)
                QTimer::singleShot(0, std::exchange(start, nullptr));
        }
    };
    auto gate = std::make_shared<Gate>(Gate { !opening, !afterPaint, std::move(start) });
    // A folder that cannot be listed: the start is tried and says why.
    auto listed = [gate] {
        gate->opened = true;
        gate->open();
    };
    QObject::connect(&window, &MainWindow::folderOpened, &window, listed);
    QObject::connect(&window, &MainWindow::folderOpenFailed, &window, listed);
    if (afterPaint) {
        window.installEventFilter(new FirstPaint(
            [gate] {
                gate->painted = true;
                gate->open();
            },
            &window));
    }
    gate->open();
}

// The Fusion style with dark colours, as a dark desktop gives them.
void useDarkPalette()
{
    QApplication::setStyle(QStringLiteral("Fusion"));
    QPalette dark;
    const QColor window(0x2b, 0x2b, 0x2e), base(0x1e, 0x1e, 0x20), text(0xe6, 0xe6, 0xe6);
    dark.setColor(QPalette::Window, window);
    dark.setColor(QPalette::WindowText, text);
    dark.setColor(QPalette::Base, base);
    dark.setColor(QPalette::AlternateBase, window);
    dark.setColor(QPalette::Text, text);
    dark.setColor(QPalette::Button, window);
    dark.setColor(QPalette::ButtonText, text);
    dark.setColor(QPalette::ToolTipBase, base);
    dark.setColor(QPalette::ToolTipText, text);
    dark.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0xa0));
    dark.setColor(QPalette::Highlight, QColor(0x3d, 0x7e, 0xdb));
    dark.setColor(QPalette::HighlightedText, Qt::white);
    dark.setColor(QPalette::Link, QColor(0x7a, 0xb4, 0xff));
    dark.setColor(QPalette::Mid, QColor(0x55, 0x55, 0x5a));
    dark.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
    dark.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
    dark.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    QApplication::setPalette(dark);
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication::setOrganizationName(QStringLiteral("PixelPerf"));
    QCoreApplication::setApplicationName(QStringLiteral("pixelperf"));
    QCoreApplication::setApplicationVersion(appVersion());
    handleTextOnlyArguments(argc, argv);

    keepFreedMemoryDuringRuns();
    QApplication app(argc, argv);
    QApplication::setApplicationDisplayName(QStringLiteral("PixelPerf"));
    QApplication::setDesktopFileName(QStringLiteral("pixelperf"));
    QCommandLineParser parser;
    const GuiOptions options(parser);
    parser.process(app);
    if (parser.isSet(options.dark))
        useDarkPalette();
    MainWindow window;
    QApplication::setWindowIcon(window.windowIcon());

    if (parser.isSet(options.preset) && !window.togglePanel()->applyPreset(parser.value(options.preset))) {
        std::fprintf(stderr, "pixelperf: unknown preset '%s' (%s)\n",
            qPrintable(parser.value(options.preset)), qPrintable(presetNames().join(QStringLiteral(", "))));
        return 2;
    }

    const QStringList args = parser.positionalArguments();
    // A folder or image files given: taken as a drop of them would be.
    // None: the folder opened last, as it was left; else the samples.
    const QString last = window.recentFolders().value(0);
    const QString folder = !last.isEmpty() && QFileInfo(last).isDir() ? last : samplesDir();
    window.show();
    const bool opening
        = !args.isEmpty() ? window.openPaths(args) : !folder.isEmpty() && window.openFolder(folder);

    const QString screenshot = parser.value(options.screenshot);
    const bool quitAfter = parser.isSet(options.quitAfterRun) || !screenshot.isEmpty();
    connectScreenshots(window, screenshot, quitAfter, parser.isSet(options.showCompare));
    if (parser.isSet(options.stallProbe))
        new StallProbe(&window);

    const bool ablate = parser.isSet(options.ablate);
    const bool compare = parser.isSet(options.compare);
    const bool run = !ablate && (compare || parser.isSet(options.run));
    if (!run && !ablate && !screenshot.isEmpty())
        startWhenReady(window, opening, false, [&window, screenshot] { grabAndQuit(&window, screenshot); });
    if (ablate || run) {
        startWhenReady(
            window, opening, run && parser.isSet(options.stallProbe), [&window, ablate, compare, quitAfter] {
                const bool started = ablate ? window.startAblation()
                    : compare               ? window.startBaselineVsOptimized()
                                            : window.startRun();
                if (!started && quitAfter)
                    QApplication::exit(1);
            });
    }
    return app.exec();
}
