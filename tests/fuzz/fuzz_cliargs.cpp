// libFuzzer target: the CLI argument parser (parseCommandLine). The input is
// split on NUL bytes into arguments. Whatever it accepts must be a command
// the rest can act on: a run's parameters pass the pipeline's own validation
// (no NaN, nothing out of range), counts and sizes are in range. (Folders
// are checked when the run starts: an empty one is refused there.)
#include "cliparser.h"

#include <QByteArray>
#include <QStringList>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace pixelperf;

namespace {

[[noreturn]] void fail(const char *what, const QStringList &args)
{
    std::fprintf(stderr, "%s for arguments:", what);
    for (const QString &a : args)
        std::fprintf(stderr, " [%s]", qPrintable(a));
    std::fprintf(stderr, "\n");
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QStringList args;
    for (const QByteArray &part :
        QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)).split('\0'))
        args << QString::fromUtf8(part);
    if (size == 0)
        args.clear();
    const CliParseResult r = parseCommandLine(args);
    if (!r.error.isEmpty())
        return 0;
    const CliOptions &o = r.options;
    switch (o.command) {
    case CliOptions::Command::Run:
    case CliOptions::Command::Ablate: {
        const QString invalid = o.config.params.validate();
        if (!invalid.isEmpty()) {
            std::fprintf(stderr, "accepted, then refused by the pipeline: %s\n", qPrintable(invalid));
            fail("invalid parameters", args);
        }
        if (o.repeat < 1 || o.warmup < 0)
            fail("repeat or warm-up out of range", args);
        break;
    }
    case CliOptions::Command::Compare:
        if (o.reports.size() != 2)
            fail("compare without two reports", args);
        break;
    case CliOptions::Command::Generate:
        if (o.dir.isEmpty() || o.count < 1 || o.width < 1 || o.height < 1 || o.width > 20000
            || o.height > 20000)
            fail("generate out of range", args);
        break;
    default:
        break;
    }
    (void)cliUsage();
    return 0;
}
