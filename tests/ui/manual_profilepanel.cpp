// Not a test: shows the profile panel on the profile of a saved run (a JSON
// report: pixelperf-cli run DIR --report r.json), for a look at it or a
// screenshot; with a second report, the difference from it (A) to the first (B).
//
//   cmake --build build --target manual_profilepanel
//   build/tests/ui/manual_profilepanel B.json [A.json] [--diff] [--dark]
//       [--search TEXT] [--stage NAME] [--zoom PATH] [--select PATH] [--grab FILE]
//
// --grab saves the window as FILE and quits; otherwise it stays until closed.
#include "flamegraphview.h"
#include "profilepanel.h"
#include "reports/reportreader.h"

#include <QApplication>
#include <QComboBox>
#include <QCommandLineParser>
#include <QLineEdit>
#include <QStyleFactory>
#include <QTimer>

#include <cstdio>

using namespace pixelperf;

namespace {

std::shared_ptr<const CpuProfile> profileOf(const QString &path)
{
    const LoadedReport report = readReportFile(path);
    if (!report.error.isEmpty()) {
        std::fprintf(stderr, "%s: %s\n", qPrintable(path), qPrintable(report.error));
        return nullptr;
    }
    return report.run.profile ? report.run.profile : std::make_shared<CpuProfile>();
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    p.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    p.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
    p.setColor(QPalette::Button, QColor(0x3a, 0x3a, 0x3a));
    p.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
    p.setColor(QPalette::Mid, QColor(0x55, 0x55, 0x55));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0xae, 0xe9));
    p.setColor(QPalette::HighlightedText, Qt::black);
    return p;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser cli;
    cli.addHelpOption();
    cli.addPositionalArgument("B", "The report whose profile is shown.");
    cli.addPositionalArgument("A", "A report to compare with (the baseline).", "[A]");
    cli.addOption({ "diff", "Show the difference from A to B." });
    cli.addOption({ "dark", "A dark palette." });
    cli.addOption({ "search", "Type TEXT into the search box.", "TEXT" });
    cli.addOption({ "stage", "Show one stage.", "NAME" });
    cli.addOption({ "zoom", "Zoom into that frame (stage first: blur;main;…).", "PATH" });
    cli.addOption({ "select", "Select that frame (stage first: blur;main;…).", "PATH" });
    cli.addOption({ "grab", "Save a screenshot as FILE and quit.", "FILE" });
    cli.process(app);
    const QStringList files = cli.positionalArguments();
    if (files.isEmpty())
        cli.showHelp(1);
    const auto b = profileOf(files[0]);
    const auto a = files.size() > 1 ? profileOf(files[1]) : nullptr;
    if (!b || (files.size() > 1 && !a))
        return 1;
    if (cli.isSet("dark")) {
        app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        app.setPalette(darkPalette());
    }
    ProfilePanel panel;
    panel.setWindowTitle(QStringLiteral("Profile: %1").arg(files[0]));
    panel.setProfile(*b);
    if (a)
        panel.setComparison(*a, *b);
    if (cli.isSet("diff"))
        panel.setMode(ProfilePanel::Mode::Difference);
    if (cli.isSet("stage"))
        panel.stageBox()->setCurrentIndex(std::max(0, panel.stageBox()->findData(cli.value("stage"))));
    panel.searchField()->setText(cli.value("search"));
    panel.resize(1260, 760);
    panel.show();
    const FlameTree &tree = panel.activeView()->tree();
    if (cli.isSet("zoom"))
        panel.activeView()->zoomTo(std::max(0, tree.find(cli.value("zoom").split(';'))));
    if (cli.isSet("select"))
        panel.selectNode(tree.find(cli.value("select").split(';')));
    if (cli.isSet("grab"))
        QTimer::singleShot(500, &panel, [&] {
            panel.grab().save(cli.value("grab"));
            app.quit();
        });
    return app.exec();
}
