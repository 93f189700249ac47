#include "clisyntax.h"

#include "pipeline/parameters.h"
#include "pipeline/toggles.h"

namespace pixelperf {

namespace {

using Command = CliOptions::Command;
constexpr CliCommandMask Run = cliCommandBit(Command::Run);
constexpr CliCommandMask Ablate = cliCommandBit(Command::Ablate);
constexpr CliCommandMask Compare = cliCommandBit(Command::Compare);
constexpr CliCommandMask Generate = cliCommandBit(Command::Generate);
constexpr CliCommandMask Download = cliCommandBit(Command::Download);
constexpr CliCommandMask RunAndAblate = Run | Ablate;
constexpr CliCommandMask History = cliCommandBit(Command::History);
constexpr CliCommandMask AllCommands
    = Run | Ablate | Compare | Generate | Download | cliCommandBit(Command::Toggles) | History;

} // namespace

const std::vector<CliCommandSpec> &cliCommandTable()
{
    static const std::vector<CliCommandSpec> table = {
        { Command::Run, "run", "INPUT_DIR|IMAGE...", CliValueKind::Inputs, -1,
            "process a folder of images (or image files) and report where the time and memory went",
            "Process every image of INPUT_DIR (.jpg .jpeg .png .bmp .gif .webp), or\n"
            "exactly the IMAGE files given (in their order, each once), through\n"
            "load, resize, blur, sharpen, contrast, brightness, convert and save, and\n"
            "report where the time and memory went. Outputs go to OUTPUT_DIR (default:\n"
            "a sibling folder \"<INPUT_DIR>-processed\"; for files, of the deepest folder\n"
            "holding them all) as processed_<name>. A file that is missing or no image\n"
            "fails alone, with the reason; the others are processed.\n"
            "The preset (default: optimized) sets the toggles; --on/--off apply after it.\n"
            "--skip turns stages off (blur, sharpen, contrast, brightness).\n"
            "--quality is the JPEG quality with balanced-quality on (off: 95).\n"
            "--repeat N measures N times, each time in a fresh process (as pyperf does:\n"
            "one process's repetitions share its memory layout and are not independent);\n"
            "--same-process keeps them in this one. --warmup W runs W unmeasured passes\n"
            "first (OS page cache; with decode-cache on they fill the decode cache, which\n"
            "the measured pass only reads: each report says how many images it served).\n"
            "Without warm-ups nothing is cached.\n"
            "--report writes JSON; --csv one row per image and stage; --trace a Chrome\n"
            "trace (Perfetto, chrome://tracing); --html a self-contained page; --md a\n"
            "Markdown summary." },
        { Command::Compare, "compare", "A.json B.json", CliValueKind::JsonFile, 2,
            "compare two JSON reports stage by stage, with their noise",
            "Compare two JSON reports, per image: per-stage and overall speedup with\n"
            "spread, memory, differing toggles, stages fused or served from the cache,\n"
            "and whether each difference exceeds the noise (exact Mann-Whitney U with\n"
            "Holm's correction over stages, p < 0.05, at least 5 % apart; verdicts need\n"
            "4 or more measured repetitions a side, per-stage ones usually 6)." },
        { Command::Ablate, "ablate", "INPUT_DIR|IMAGE...", CliValueKind::Inputs, -1,
            "turn each toggle off in turn and report what each one bought",
            "Starting from the preset (default optimized), turn each toggle off in\n"
            "turn and report what each one bought (speedup and memory shares). Each\n"
            "configuration runs in a fresh process, as a standalone run would (--warmup\n"
            "N: N unmeasured passes in it first, so decode-cache is measured on a\n"
            "re-run), in --repeat rounds (default 3) with the configurations\n"
            "interleaved, in the --order given or shuffled with --shuffle SEED." },
        { Command::Toggles, "toggles", "", CliValueKind::None, 0, "list the toggles and the presets",
            "List the toggles, what each does, the stage it affects and the presets." },
        { Command::Generate, "generate", "DIR", CliValueKind::Dir, 1,
            "write photo-like synthetic JPEGs into a folder",
            "Write photo-like synthetic JPEGs (default 8 of 2560x1600) into DIR." },
        { Command::Download, "download", "", CliValueKind::None, 0,
            "download the photos of a sample manifest into a folder",
            "Download the first N (default: all) photos of a sample manifest into DIR,\n"
            "four at a time. The manifest is --manifest (a URL or a JSON file), else\n"
            "$PIXELPERF_SAMPLES_MANIFEST, else the bundled list of freely licensed photos.\n"
            "A file that already exists is skipped, never overwritten. HTTPS only, except\n"
            "to localhost or with --allow-http. --timeout: seconds without data (default 30).\n"
            "Exit 1 when some files failed (each named on stderr with the reason)." },
        { Command::History, "history", "", CliValueKind::None, 0,
            "list the runs (or comparisons) kept in the history database",
            "List the runs kept in the history, newest first: id, date, folder, preset and\n"
            "toggles, images, ms per image and peak RSS (medians over the repetitions),\n"
            "name; --comparisons lists the comparisons instead: id, date, A and B (run ids\n"
            "or files), speedup, verdict. A comparison of two stored runs is kept once,\n"
            "whichever side is A. Runs deleted in the window are not listed.\n"
            "Every run, ablate and compare is kept there unless --no-history; the\n"
            "database is --db FILE, else $PIXELPERF_DB, else history.sqlite in the data\n"
            "location (~/.local/share/PixelPerf/pixelperf). compare takes a run's id in\n"
            "place of a report file. A database that cannot be used (locked, read-only,\n"
            "damaged, from a newer PixelPerf) is named on stderr and the run goes on\n"
            "without history, its exit code unchanged; history itself then exits 2." },
    };
    return table;
}

const std::vector<CliOptionSpec> &cliOptionTable()
{
    using V = CliValueKind;
    using Id = CliOptionId;
    static const std::vector<CliOptionSpec> table = {
        { Id::Help, "--help", "-h", AllCommands | CliTopLevel, V::None, nullptr, "show the help and exit",
            false },
        { Id::Version, "--version", "-v", CliTopLevel, V::None, nullptr, "show the version and exit", false },
        // Order: as the synopsis shows them.
        { Id::Dest, "--dest", nullptr, Download, V::Dir, "DIR", "the folder to download into", false, true },
        { Id::Output, "-o", "--output", RunAndAblate, V::Dir, "OUTPUT_DIR",
            "the output folder (default: <INPUT_DIR>-processed)", false },
        { Id::Preset, "--preset", nullptr, RunAndAblate, V::Preset, nullptr,
            "set the toggles to a preset (default: optimized)", true },
        { Id::On, "--on", nullptr, RunAndAblate, V::ToggleList, "ID,...",
            "turn these toggles on, after the preset", true },
        { Id::Off, "--off", nullptr, RunAndAblate, V::ToggleList, "ID,...",
            "turn these toggles off, after the preset and --on", true },
        { Id::Jobs, "--jobs", nullptr, RunAndAblate, V::Number, "N", paramCliHelp(ParamId::Jobs), true },
        { Id::Repeat, "--repeat", nullptr, RunAndAblate, V::Number, "N",
            "measured repetitions, each in a fresh process (1 to 1000; ablate: rounds, default 3)", false },
        { Id::Warmup, "--warmup", nullptr, RunAndAblate, V::Number, "N",
            "discarded warm-up runs before each measured one, in its process (0 to 1000)", false },
        { Id::Size, "--size", nullptr, RunAndAblate | Generate, V::Size, "WxH",
            "the output size (run: default 800x600; generate: 2560x1600)", true },
        { Id::Mode, "--mode", nullptr, RunAndAblate, V::Mode, nullptr, paramCliHelp(ParamId::ResizeMode),
            true },
        { Id::Quality, "--quality", nullptr, RunAndAblate, V::Number, "Q", paramCliHelp(ParamId::Quality),
            true },
        { Id::Blur, "--blur", nullptr, RunAndAblate, V::Number, "R", paramCliHelp(ParamId::BlurRadius),
            true },
        { Id::Sharpen, "--sharpen", nullptr, RunAndAblate, V::Number, "F", paramCliHelp(ParamId::Sharpen),
            true },
        { Id::Contrast, "--contrast", nullptr, RunAndAblate, V::Number, "F", paramCliHelp(ParamId::Contrast),
            true },
        { Id::Brightness, "--brightness", nullptr, RunAndAblate, V::Number, "F",
            paramCliHelp(ParamId::Brightness), true },
        { Id::Skip, "--skip", nullptr, RunAndAblate, V::StageList, "STAGE,...", "switch these stages off",
            true },
        { Id::Recursive, "--recursive", nullptr, RunAndAblate, V::None, nullptr,
            paramCliHelp(ParamId::Recursive), true },
        { Id::CacheMiB, "--cache-mib", nullptr, RunAndAblate, V::Number, "N", paramCliHelp(ParamId::CacheMiB),
            true },
        { Id::NoProfile, "--no-profile", nullptr, RunAndAblate, V::None, nullptr,
            "no per-stage instrumentation (the summary is still measured)", false },
        { Id::SameProcess, "--same-process", nullptr, Run, V::None, nullptr,
            "all repetitions in this process (default: each in a fresh one)", false },
        { Id::Order, "--order", nullptr, Ablate, V::Order, nullptr,
            "the order of the configurations in each round (default: forward)", false },
        { Id::Shuffle, "--shuffle", nullptr, Ablate, V::Number, "SEED",
            "each round in an order shuffled from this seed", false },
        { Id::Report, "--report", nullptr, RunAndAblate, V::JsonFile, "FILE.json", "write the JSON report",
            false },
        { Id::Csv, "--csv", nullptr, Run, V::File, "FILE", "write one CSV row per image and stage", false },
        { Id::Trace, "--trace", nullptr, Run, V::File, "FILE",
            "write a Chrome trace (Perfetto, chrome://tracing)", false },
        { Id::Html, "--html", nullptr, RunAndAblate | Compare, V::File, "FILE",
            "write a self-contained HTML page", false },
        { Id::Md, "--md", nullptr, RunAndAblate | Compare, V::File, "FILE", "write a Markdown summary",
            false },
        { Id::SampleRate, "--sample-rate", nullptr, Run, V::Number, "HZ",
            "call-stack samples per second of each worker's CPU time (1 to 10000; default 1000)", false },
        { Id::NoSample, "--no-sample", nullptr, Run, V::None, nullptr,
            "do not sample the workers' call stacks", false },
        { Id::Stacks, "--stacks", nullptr, Run, V::File, "FILE",
            "write the sampled call stacks, folded (flamegraph.pl, inferno), first frame the stage", false },
        { Id::Speedscope, "--speedscope", nullptr, Run, V::JsonFile, "FILE.json",
            "write the sampled call stacks as a speedscope profile, one per stage", false },
        { Id::Quiet, "--quiet", "-q", RunAndAblate, V::None, nullptr, "no progress, no summary on stdout",
            false },
        { Id::Count, "--count", nullptr, Generate | Download, V::Number, "N",
            "how many images (generate: default 8; download: default all)", false },
        { Id::Seed, "--seed", nullptr, Generate, V::Number, "S", "the generator's seed (default 1)", false },
        { Id::Manifest, "--manifest", nullptr, Download, V::Url, "URL|FILE",
            "the sample manifest (default: $PIXELPERF_SAMPLES_MANIFEST, else the bundled list)", false },
        { Id::AllowHttp, "--allow-http", nullptr, Download, V::None, nullptr,
            "allow plain HTTP beyond localhost", false },
        { Id::Timeout, "--timeout", nullptr, Download, V::Number, "S",
            "seconds without data before a transfer fails (default 30)", false },
        { Id::Db, "--db", nullptr, RunAndAblate | Compare | History, V::File, "FILE",
            "the history database (default: $PIXELPERF_DB, else in the data location)", false },
        { Id::NoHistory, "--no-history", nullptr, RunAndAblate | Compare, V::None, nullptr,
            "keep nothing in the history database", false },
        { Id::Folder, "--folder", nullptr, History, V::Dir, "DIR", "only the runs of this input folder",
            false },
        { Id::HistoryPreset, "--preset", nullptr, History, V::Preset, nullptr,
            "only the runs whose toggles are this preset's", false },
        { Id::Limit, "--limit", nullptr, History, V::Number, "N", "only the newest N runs (or comparisons)",
            false },
        { Id::Json, "--json", nullptr, History, V::None, nullptr, "a JSON array on stdout", false },
        { Id::Comparisons, "--comparisons", nullptr, History, V::None, nullptr,
            "list the comparisons kept (window and compare) instead of the runs", false },
        { Id::Label, "--label", nullptr, Compare, V::Label, "A=NAME|B=NAME",
            "name a side in the comparison (default: the file's name or \"run ID\")", false },
        { Id::FailIfSlower, "--fail-if-slower", nullptr, Compare, V::Number, "PCT",
            "exit 1 when B is slower per image beyond the noise and by more than PCT %", false },
        { Id::FailIfMoreMemory, "--fail-if-more-memory", nullptr, Compare, V::Number, "PCT",
            "exit 1 when B's peak RSS is larger beyond the noise and by more than PCT %", false },
    };
    return table;
}

const CliOptionSpec *findCliOption(CliCommandMask where, const QString &name)
{
    for (const CliOptionSpec &option : cliOptionTable()) {
        if (!(option.commands & where))
            continue;
        if (name == QLatin1String(option.name) || (option.alias && name == QLatin1String(option.alias)))
            return &option;
    }
    return nullptr;
}

QStringList cliValueChoices(CliValueKind kind)
{
    switch (kind) {
    case CliValueKind::Preset:
        return presetNames();
    case CliValueKind::Mode:
        return paramChoices(ParamId::ResizeMode);
    case CliValueKind::Order:
        return { QStringLiteral("forward"), QStringLiteral("reverse") };
    case CliValueKind::ToggleList: {
        QStringList keys;
        for (const ToggleInfo &info : toggleTable())
            keys << QLatin1String(info.key);
        return keys;
    }
    case CliValueKind::StageList:
        return skippableStages();
    default:
        return {};
    }
}

QString cliOptionValueText(const CliOptionSpec &option)
{
    if (option.value == CliValueKind::None)
        return QString();
    return option.placeholder ? QString::fromLatin1(option.placeholder)
                              : cliValueChoices(option.value).join(QLatin1Char('|'));
}

QString cliOptionSynopsis(const CliOptionSpec &option)
{
    const QString value = cliOptionValueText(option);
    const QString text = QLatin1String(option.name) + (value.isEmpty() ? value : QLatin1Char(' ') + value);
    return option.required ? text : QLatin1Char('[') + text + QLatin1Char(']');
}

std::vector<const CliOptionSpec *> cliOptionsOf(CliCommandMask where)
{
    std::vector<const CliOptionSpec *> options;
    for (const CliOptionSpec &option : cliOptionTable())
        if (option.commands & where)
            options.push_back(&option);
    return options;
}

} // namespace pixelperf
