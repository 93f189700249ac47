// Not a test: shows the Download Sample Images dialog against a local server
// with a mix of good and bad entries, for a look at it (or a screenshot).
//
//   cmake --build build --target manual_downloaddialog
//   xvfb-run -a build/tests/ui/manual_downloaddialog [--auto] [--grab DIR] [--linger SECONDS]
//
// --auto clicks Download itself; --grab saves the dialog as DIR/during.png and
// DIR/after.png; --linger keeps it open that long after the batch ends
// (default: until closed).
#include "downloaddialog.h"
#include "httpfixture.h"
#include "imagebytes.h"
#include "samples/sampledownloader.h"
#include "testimages.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <cstdio>

using namespace pixelperf;
using namespace pixelperf::testing;

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser cli;
    cli.addHelpOption();
    cli.addOption({ "auto", "Click Download without waiting for a person." });
    cli.addOption({ "grab", "Save screenshots of the dialog into DIR.", "DIR" });
    cli.addOption({ "linger", "Seconds to stay open after the batch ends.", "SECONDS", "-1" });
    cli.process(app);

    HttpFixture server;
    if (!server.listen()) {
        std::fprintf(stderr, "cannot listen on 127.0.0.1\n");
        return 1;
    }
    struct Sample {
        const char *path;
        HttpRoute route;
        const char *sha256;
    };
    QList<Sample> samples;
    const char *photos[]
        = { "/alpine-lake.jpg", "/harbour.jpg", "/meadow.jpg", "/old-town.jpg", "/dunes.jpg" };
    for (int i = 0; i < 5; ++i) {
        const QByteArray jpeg = jpegBytes(photoLike(1600, 1000, uint32_t(40 + i)), 90);
        samples.append({ photos[i], modeRoute(HttpRoute::Mode::Trickle, jpeg, 6000 + 3000 * i), nullptr });
        samples.last().route.contentType = "image/jpeg";
    }
    samples.append({ "/missing.jpg", statusRoute(404, "Not Found"), nullptr });
    samples.append({ "/server-error.jpg", statusRoute(500, "Internal Server Error"), nullptr });
    samples.append({ "/login-page.jpg",
        imageRoute("<!doctype html><html><body>Please sign in</body></html>", "text/html"), nullptr });
    samples.append({ "/loop.jpg", redirectRoute("/loop.jpg"), nullptr });
    samples.append({ "/moved.jpg", redirectRoute("/alpine-lake.jpg", 301), nullptr });
    samples.append({ "/stalled.jpg", modeRoute(HttpRoute::Mode::Stall), nullptr });
    const QByteArray good = jpegBytes(photoLike(800, 500, 60), 90);
    samples.append(
        { "/cut-short.jpg", modeRoute(HttpRoute::Mode::CutShort, good, good.size() / 2), nullptr });
    samples.append({ "/tampered.jpg", imageRoute(good),
        "0000000000000000000000000000000000000000000000000000000000000000" });
    samples.append({ "/kept.jpg", imageRoute(good), nullptr });

    QByteArray json = "{ \"schema\": \"pixelperf-samples/1\", \"samples\": [\n";
    for (int i = 0; i < samples.size(); ++i) {
        server.setRoute(samples[i].path, samples[i].route);
        json += QByteArray(i ? ",\n" : "") + "  { \"url\": \"" + samples[i].path + "\", \"author\": \"Demo "
            + QByteArray::number(i + 1) + "\", \"license\": \"CC0\"";
        if (samples[i].sha256)
            json += QByteArray(", \"sha256\": \"") + samples[i].sha256 + "\"";
        json += " }";
    }
    json += "\n] }";
    server.setRoute("/manifest.json", imageRoute(json, "application/json"));

    QTemporaryDir tmp;
    const QString dest = tmp.filePath("PixelPerf samples");
    QDir().mkpath(dest);
    writeFile(dest + "/kept.jpg", good); // already there: skipped, never overwritten

    DownloadDialog dialog;
    dialog.setManifestLocation(server.url("/manifest.json").toString());
    dialog.setDestination(dest);
    dialog.setCount(int(samples.size()));
    dialog.setStallTimeoutMs(2500);
    QObject::connect(&dialog, &DownloadDialog::openFolderRequested,
        [](const QString &dir) { std::printf("open in PixelPerf: %s\n", qPrintable(dir)); });
    dialog.show();

    const QString grabDir = cli.value("grab");
    auto grab = [&](const QString &name) {
        if (grabDir.isEmpty())
            return;
        QDir().mkpath(grabDir);
        const QString path = QDir(grabDir).filePath(name);
        dialog.grab().save(path);
        std::printf("saved %s\n", qPrintable(path));
        std::fflush(stdout);
    };
    if (cli.isSet("auto")) {
        QTimer::singleShot(400, &dialog,
            [&] { QTest::mouseClick(dialog.findChild<QPushButton *>("downloadButton"), Qt::LeftButton); });
        QTimer::singleShot(1600, &dialog, [&] { grab("during.png"); });
    }
    const int linger = cli.value("linger").toInt();
    QObject::connect(dialog.downloader(), &SampleDownloader::finished, &dialog, [&] {
        QTimer::singleShot(200, &dialog, [&] {
            grab("after.png");
            const SampleDownloadSummary s = dialog.downloader()->summary();
            std::printf("finished: %d downloaded, %d skipped, %d failed; files in %s: %s\n", s.done,
                s.skipped, s.failed, qPrintable(dest),
                qPrintable(QDir(dest).entryList(QDir::Files | QDir::Hidden).join(QStringLiteral(", "))));
            std::fflush(stdout);
            if (linger >= 0)
                QTimer::singleShot(linger * 1000, &app, &QApplication::quit);
        });
    });
    QObject::connect(&dialog, &QDialog::finished, &app, &QApplication::quit);
    return app.exec();
}
