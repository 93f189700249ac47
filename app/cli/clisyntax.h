// The pixelperf-cli syntax as one table: its commands, their arguments and
// their options. The parser reads it (which options a command takes, which of
// them need a value, which values a choice accepts), and so do --help's
// synopsis, the man page and the bash and zsh completions (clidocs.h): none of
// them can name an option the parser does not take, or miss one it does.
#pragma once

#include "cliparser.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace pixelperf {

enum class CliOptionId {
    Help,
    Version,
    Output,
    Preset,
    On,
    Off,
    Jobs,
    Repeat,
    Warmup,
    Size,
    Mode,
    Quality,
    Blur,
    Sharpen,
    Contrast,
    Brightness,
    Skip,
    Recursive,
    CacheMiB,
    NoProfile,
    SameProcess,
    Order,
    Shuffle,
    Report,
    Csv,
    Trace,
    Html,
    Md,
    Quiet,
    Count,
    Seed,
    Dest,
    Manifest,
    AllowHttp,
    Timeout,
    Db,
    NoHistory,
    Folder,
    HistoryPreset,
    Limit,
    Json,
    Comparisons,
    Label,
    FailIfSlower,
    FailIfMoreMemory,
    SampleRate,
    NoSample,
    Stacks,
    Speedscope,
};

// What an option's value (or a command's argument) is: how the parser reads
// it and how the shells complete it.
enum class CliValueKind {
    None, // a flag
    Number,
    Size, // WxH
    File,
    JsonFile,
    Dir,
    Inputs, // one folder, or image files (run, ablate)
    Url, // a URL or a file
    Preset, // one of presetNames()
    Mode, // one of the resize modes
    Order, // forward or reverse (ablate's rounds)
    ToggleList, // toggle ids, comma-separated
    StageList, // stages that can be skipped, comma-separated
    Label, // A=NAME or B=NAME (compare's sides)
};

using CliCommandMask = unsigned;
constexpr CliCommandMask cliCommandBit(CliOptions::Command command)
{
    return 1u << unsigned(command);
}
// Before any command: `pixelperf-cli --help`, `pixelperf-cli --version`.
constexpr CliCommandMask CliTopLevel = 1u << 31;

struct CliOptionSpec {
    CliOptionId id;
    const char *name; // as the synopsis shows it: "--jobs", "-o"
    const char *alias; // the other spelling ("--output", "-q"), or nullptr
    CliCommandMask commands; // where it is taken
    CliValueKind value;
    const char *placeholder; // "N", "FILE"; nullptr for a choice: its values are shown
    QString help; // one line, for the man page and the zsh completion
    bool configures; // sets the run's configuration (ablate: where it starts)
    bool required = false; // the command needs it (shown without brackets)
};

struct CliCommandSpec {
    CliOptions::Command command;
    const char *name; // "run"
    const char *arguments; // "INPUT_DIR|IMAGE...", "A.json B.json", "" (the synopsis)
    CliValueKind argumentKind; // of each argument
    int argumentCount; // -1: one or more
    const char *summary; // one line: zsh, the man page's command list
    const char *details; // the paragraph of --help and the man page
};

const std::vector<CliCommandSpec> &cliCommandTable();
const std::vector<CliOptionSpec> &cliOptionTable();

// The option `name` (either spelling) if `command` takes it, else nullptr.
const CliOptionSpec *findCliOption(CliCommandMask where, const QString &name);
// The accepted values of a choice or of a list's items; empty for free values.
QStringList cliValueChoices(CliValueKind kind);
// What stands for the option's value: "N", "stretch|fit|fill"; empty for a flag.
QString cliOptionValueText(const CliOptionSpec &option);
// How the synopsis shows the option: "[--jobs N]", "[--mode stretch|fit|fill]".
QString cliOptionSynopsis(const CliOptionSpec &option);
// Every option of a command, for a completion; `where` is a cliCommandBit or CliTopLevel.
std::vector<const CliOptionSpec *> cliOptionsOf(CliCommandMask where);

} // namespace pixelperf
