// pixelperf-clidocs OUTDIR: writes pixelperf-cli's bash completion
// (pixelperf-cli.bash), zsh completion (_pixelperf-cli) and man page
// (pixelperf-cli.1) into OUTDIR. Run by the build; not installed.
#include "clidocs.h"

#include "measure/environment.h"

#include <QCoreApplication>
#include <QDir>
#include <QSaveFile>

#include <cstdio>

using namespace pixelperf;

namespace {

bool write(const QString &path, const QString &text)
{
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly) && file.write(text.toUtf8()) >= 0 && file.commit())
        return true;
    std::fprintf(
        stderr, "pixelperf-clidocs: cannot write %s: %s\n", qPrintable(path), qPrintable(file.errorString()));
    return false;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 2) {
        std::fprintf(stderr, "usage: pixelperf-clidocs OUTDIR\n");
        return 2;
    }
    const QDir dir(args[1]);
    if (!dir.mkpath(QStringLiteral("."))) {
        std::fprintf(stderr, "pixelperf-clidocs: cannot create %s\n", qPrintable(args[1]));
        return 1;
    }
    const bool ok = write(dir.filePath(QStringLiteral("pixelperf-cli.bash")), bashCompletion())
        && write(dir.filePath(QStringLiteral("_pixelperf-cli")), zshCompletion())
        && write(dir.filePath(QStringLiteral("pixelperf-cli.1")), cliManPage(appVersion()));
    return ok ? 0 : 1;
}
