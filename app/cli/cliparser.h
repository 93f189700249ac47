// The pixelperf-cli command line, parsed into plain values. Kept apart from
// main() so tests (and fuzzers) can drive it directly.
#pragma once

#include "pipeline/pipelineconfig.h"

#include <QString>
#include <QStringList>

namespace pixelperf {

struct CliOptions {
    enum class Command { Run, Compare, Ablate, Toggles, Generate, Download, Version, Help, History };
    Command command = Command::Help;
    PipelineConfig config; // run
    bool outputGiven = false;
    int repeat = 1;
    bool repeatGiven = false; // ablate: its rounds default to 3
    bool sameProcess = false; // run --repeat N: all repetitions in this process (default: one process each)
    int warmup = 0;
    QString reportPath;
    QString csvPath;
    QString tracePath;
    QString htmlPath;
    QString mdPath;
    QString stacksPath; // run: folded call stacks
    QString speedscopePath; // run: speedscope profile
    bool quiet = false;
    enum AblationOrder { AblationOrderForward, AblationOrderReverse, AblationOrderShuffle };
    AblationOrder ablationOrder = AblationOrderForward; // ablate; --shuffle takes its seed in `seed`
    QStringList reports; // compare: A.json B.json
    QString dir; // generate
    int count = 8;
    int width = 2560;
    int height = 1600;
    uint32_t seed = 1;
    QString destDir; // download
    int downloadCount = 0; // 0: every entry of the manifest
    QString manifest; // URL or file; empty: $PIXELPERF_SAMPLES_MANIFEST, else the bundled list
    bool allowPlainHttp = false;
    int timeoutSeconds = 30; // per transfer, without a byte arriving
    // The run history (run, ablate, compare, history).
    QString dbPath; // empty: $PIXELPERF_DB, else the data location (defaultHistoryPath)
    bool noHistory = false; // run, ablate, compare: store nothing
    QString historyFolder; // history: only runs of this folder
    QString historyPreset; // history: only runs of this preset
    int historyLimit = 0; // history: the newest N (0: all)
    bool json = false; // history: JSON on stdout
    bool historyComparisons = false; // history: the comparisons kept, not the runs
    QString labelA; // compare: names of the two sides (empty: from the file or run id)
    QString labelB;
    double failIfSlowerPct = -1; // compare: exit 1 when B is slower beyond the noise by more (< 0: no gate)
    double failIfMoreMemoryPct = -1; // compare: the same for the peak RSS
};

struct CliParseResult {
    CliOptions options;
    QString error; // usage error, for stderr; exit code 2
};

// `args` excludes the program name.
CliParseResult parseCommandLine(const QStringList &args);
// --help: the synopsis (made from the option table, clisyntax.h), what each command does, the exit codes.
QString cliUsage();
const char *cliExitCodes();
// "WxH" with both sides in 1..20000.
bool parseSize(const QString &text, int *width, int *height);
// Default output folder for an input folder: a sibling "<name>-processed".
QString defaultOutputDir(const QString &inputDir);

} // namespace pixelperf
