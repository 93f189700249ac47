#include "cliparser.h"

#include "clisyntax.h"

#include "pipeline/parameters.h"
#include "pipeline/stages/scan.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <iterator>

namespace pixelperf {

QString cliUsage()
{
    // The synopsis is made from the option table, so it shows what the parser takes.
    constexpr int Width = 96;
    const QString program = QStringLiteral("  pixelperf-cli ");
    const QString indent(program.size(), QLatin1Char(' '));
    QString text = QStringLiteral("Usage:\n");
    for (const CliCommandSpec &command : cliCommandTable()) {
        QStringList words { QLatin1String(command.name) };
        if (*command.arguments)
            words << QLatin1String(command.arguments);
        const bool ablate = command.command == CliOptions::Command::Ablate;
        for (const CliOptionSpec *option : cliOptionsOf(cliCommandBit(command.command))) {
            // ablate takes the run options that set a configuration: named once, not listed again.
            if (option->id != CliOptionId::Help && !(ablate && option->configures))
                words << cliOptionSynopsis(*option);
        }
        if (ablate)
            words << QStringLiteral("[run options that set the starting configuration]");
        QString line = program;
        for (const QString &word : words) {
            if (line.size() + 1 + word.size() > Width && line.size() > indent.size()) {
                text += line + QLatin1Char('\n');
                line = indent;
            } else if (!line.endsWith(QLatin1Char(' '))) {
                line += QLatin1Char(' ');
            }
            line += word;
        }
        text += line + QLatin1Char('\n');
    }
    text += program + QStringLiteral("--version | --help\n\n");
    for (const CliCommandSpec &command : cliCommandTable()) {
        const QString name = QString::fromLatin1(command.name).leftJustified(10);
        const QStringList lines = QString::fromUtf8(command.details).split(QLatin1Char('\n'));
        for (int i = 0; i < lines.size(); ++i)
            text += (i == 0 ? name : QString(10, QLatin1Char(' '))) + lines[i] + QLatin1Char('\n');
    }
    text += QStringLiteral("\n%1\n").arg(QString::fromUtf8(cliExitCodes()));
    return text;
}

const char *cliExitCodes()
{
    return "Exit codes: 0 all images processed; 1 the run finished but some inputs failed (or it\n"
           "was cancelled); 2 usage error or the run could not start.";
}

bool parseSize(const QString &text, int *width, int *height)
{
    const QStringList parts = text.toLower().split(QLatin1Char('x'));
    if (parts.size() != 2)
        return false;
    bool okW = false, okH = false;
    const int w = parts[0].toInt(&okW);
    const int h = parts[1].toInt(&okH);
    if (!okW || !okH || w < 1 || h < 1 || w > 20000 || h > 20000)
        return false;
    *width = w;
    *height = h;
    return true;
}

QString defaultOutputDir(const QString &inputDir)
{
    QString clean = QDir::cleanPath(QFileInfo(inputDir).absoluteFilePath());
    return clean + QStringLiteral("-processed");
}

namespace {

class ArgReader
{
public:
    explicit ArgReader(const QStringList &args)
        : m_args(args)
    { }
    bool atEnd() const { return m_pos >= m_args.size(); }
    QString next() { return m_args[m_pos++]; }
    // The value of an option given as "--opt VALUE" or "--opt=VALUE".
    bool value(const QString &option, QString *inlineValue, QString *out, QString *error)
    {
        if (!inlineValue->isNull()) {
            *out = *inlineValue;
            return true;
        }
        if (atEnd()) {
            *error = QStringLiteral("option %1 needs a value").arg(option);
            return false;
        }
        // "-o --quiet" is a forgotten value, not a folder named "--quiet".
        if (m_args[m_pos].startsWith(QLatin1String("--"))) {
            *error = QStringLiteral("option %1 needs a value, got the option '%2' (a value that starts with "
                                    "-- is given as %1=VALUE)")
                         .arg(option, m_args[m_pos]);
            return false;
        }
        *out = next();
        return true;
    }

private:
    const QStringList &m_args;
    int m_pos = 0;
};

bool toInt(const QString &option, const QString &text, int lo, int hi, int *out, QString *error)
{
    bool ok = false;
    const int v = text.toInt(&ok);
    if (!ok || v < lo || v > hi) {
        *error = QStringLiteral("%1 must be a whole number from %2 to %3, not '%4'")
                     .arg(option)
                     .arg(lo)
                     .arg(hi)
                     .arg(text);
        return false;
    }
    *out = v;
    return true;
}

bool toDouble(const QString &option, const QString &text, double lo, double hi, double *out, QString *error)
{
    bool ok = false;
    const double v = text.toDouble(&ok);
    // "nan" parses, and compares false with both bounds: refused by name.
    if (!ok || !std::isfinite(v) || v < lo || v > hi) {
        *error = QStringLiteral("%1 must be a number from %2 to %3, not '%4'")
                     .arg(option)
                     .arg(lo)
                     .arg(hi)
                     .arg(text);
        return false;
    }
    *out = v;
    return true;
}

bool applyToggleList(const QString &list, bool on, ToggleSet *toggles, QString *error)
{
    for (const QString &raw : list.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString key = raw.trimmed();
        const std::optional<ToggleId> id = toggleFromKey(key);
        if (!id) {
            *error = QStringLiteral("unknown toggle '%1' (known: %2)")
                         .arg(key, cliValueChoices(CliValueKind::ToggleList).join(QStringLiteral(", ")));
            return false;
        }
        toggles->set(*id, on);
    }
    return true;
}

// What the options leave for after them: the toggles are settled once the
// preset, every --on and every --off are known, in that order.
struct PendingToggles {
    QString presetName = QStringLiteral("optimized");
    QStringList onLists;
    QStringList offLists;
};

// "a, b or c"
QString choiceText(const QStringList &choices)
{
    if (choices.size() < 2)
        return choices.join(QString());
    return choices.mid(0, choices.size() - 1).join(QStringLiteral(", ")) + QStringLiteral(" or ")
        + choices.last();
}

bool applyStageList(const QString &list, PipelineParams *p, QString *error)
{
    const QStringList stages = skippableStages();
    for (const QString &raw : list.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const ParamInfo *info = nullptr;
        for (const ParamInfo &candidate : paramTable())
            if (candidate.group && raw.trimmed() == QLatin1String(candidate.key))
                info = &candidate;
        if (!info) {
            *error = QStringLiteral("--skip takes %1, not '%2'").arg(choiceText(stages), raw.trimmed());
            return false;
        }
        setParamValue(*p, info->id, 0);
    }
    return true;
}

// An option that sets one parameter, checked against the parameter table.
bool applyParamOption(
    const ParamInfo &info, const QString &name, const QString &v, PipelineParams &p, QString *error)
{
    switch (info.kind) {
    case ParamKind::Switch:
        setParamValue(p, info.id, 1);
        return true;
    case ParamKind::Choice: {
        const int index = paramChoices(info.id).indexOf(v);
        if (index < 0) {
            *error
                = QStringLiteral("%1 must be %2, not '%3'").arg(name, choiceText(paramChoices(info.id)), v);
            return false;
        }
        setParamValue(p, info.id, index);
        return true;
    }
    case ParamKind::Integer: {
        int value = 0;
        if (!toInt(name, v, int(paramCliMin(info)), int(info.max), &value, error))
            return false;
        setParamValue(p, info.id, value);
        return true;
    }
    case ParamKind::Real: {
        double value = 0;
        if (!toDouble(name, v, paramCliMin(info), info.max, &value, error))
            return false;
        setParamValue(p, info.id, value);
        return true;
    }
    }
    return false;
}

// The options that set a run's pipeline (run, and ablate's starting point).
bool applyConfigOption(CliOptionId id, const QString &name, const QString &v, CliOptions &o,
    PendingToggles &pending, QString *error)
{
    PipelineParams &p = o.config.params;
    switch (id) {
    case CliOptionId::Preset:
        if (!presetToggles(v)) {
            *error = QStringLiteral("unknown preset '%1' (known: %2)")
                         .arg(v, presetNames().join(QStringLiteral(", ")));
            return false;
        }
        pending.presetName = v;
        return true;
    case CliOptionId::On:
        pending.onLists << v;
        return true;
    case CliOptionId::Off:
        pending.offLists << v;
        return true;
    case CliOptionId::Size:
        if (!parseSize(v, &p.width, &p.height)) {
            *error = QStringLiteral("--size must be WxH with sides from 1 to 20000, like 800x600, not '%1'")
                         .arg(v);
            return false;
        }
        return true;
    case CliOptionId::Skip:
        return applyStageList(v, &p, error);
    default:
        *error = QStringLiteral("option %1 is in the table but not handled").arg(name);
        return false;
    }
}

// The options of a run that are not its pipeline: repetitions, outputs, reports.
bool applyRunOption(CliOptionId id, const QString &name, const QString &v, CliOptions &o, QString *error)
{
    // An empty name would write nothing, silently, or a folder named "".
    const CliOptionId paths[] = { CliOptionId::Output, CliOptionId::Report, CliOptionId::Csv,
        CliOptionId::Trace, CliOptionId::Html, CliOptionId::Md };
    if (v.isEmpty() && std::find(std::begin(paths), std::end(paths), id) != std::end(paths)) {
        *error = QStringLiteral("%1 needs a path, not an empty one").arg(name);
        return false;
    }
    switch (id) {
    case CliOptionId::Output:
        o.config.outputDir = v;
        o.outputGiven = true;
        return true;
    case CliOptionId::Repeat:
        o.repeatGiven = true;
        return toInt(name, v, 1, 1000, &o.repeat, error);
    case CliOptionId::Warmup:
        return toInt(name, v, 0, 1000, &o.warmup, error);
    case CliOptionId::NoProfile:
        o.config.profile = false;
        return true;
    case CliOptionId::SameProcess:
        o.sameProcess = true;
        return true;
    case CliOptionId::Order:
        if (v == QLatin1String("forward") || v == QLatin1String("reverse")) {
            o.ablationOrder = v == QLatin1String("forward") ? CliOptions::AblationOrderForward
                                                            : CliOptions::AblationOrderReverse;
            return true;
        }
        *error
            = QStringLiteral("--order must be forward or reverse, not '%1' (--shuffle SEED shuffles)").arg(v);
        return false;
    case CliOptionId::Shuffle: {
        int seed = 0;
        if (!toInt(name, v, 0, 2147483647, &seed, error))
            return false;
        o.ablationOrder = CliOptions::AblationOrderShuffle;
        o.seed = uint32_t(seed);
        return true;
    }
    case CliOptionId::Report:
        o.reportPath = v;
        return true;
    case CliOptionId::Csv:
        o.csvPath = v;
        return true;
    case CliOptionId::Trace:
        o.tracePath = v;
        return true;
    case CliOptionId::Html:
        o.htmlPath = v;
        return true;
    case CliOptionId::Md:
        o.mdPath = v;
        return true;
    case CliOptionId::Quiet:
        o.quiet = true;
        return true;
    case CliOptionId::SampleRate:
        return toInt(name, v, 1, 10000, &o.config.sampleRateHz, error);
    case CliOptionId::NoSample:
        o.config.sampleRateHz = 0;
        return true;
    case CliOptionId::Stacks:
        o.stacksPath = v;
        return true;
    case CliOptionId::Speedscope:
        o.speedscopePath = v;
        return true;
    default:
        *error = QStringLiteral("option %1 is in the table but not handled").arg(name);
        return false;
    }
}

// The options of generate and download.
bool applySampleOption(CliOptionId id, const QString &name, const QString &v, CliOptions &o, QString *error)
{
    const bool generate = o.command == CliOptions::Command::Generate;
    switch (id) {
    case CliOptionId::Size:
        if (!parseSize(v, &o.width, &o.height)) {
            *error = QStringLiteral("--size must be WxH with sides from 1 to 20000, like 800x600, not '%1'")
                         .arg(v);
            return false;
        }
        return true;
    case CliOptionId::Count:
        return toInt(name, v, 1, 100000, generate ? &o.count : &o.downloadCount, error);
    case CliOptionId::Seed: {
        int seed = 0;
        if (!toInt(name, v, 0, 1 << 30, &seed, error))
            return false;
        o.seed = uint32_t(seed);
        return true;
    }
    case CliOptionId::Dest:
        o.destDir = v;
        if (v.isEmpty())
            *error = QStringLiteral("--dest needs a folder");
        return !v.isEmpty();
    case CliOptionId::Manifest:
        o.manifest = v.trimmed();
        if (o.manifest.isEmpty())
            *error = QStringLiteral("--manifest needs a URL or a file");
        return !o.manifest.isEmpty();
    case CliOptionId::AllowHttp:
        o.allowPlainHttp = true;
        return true;
    case CliOptionId::Timeout:
        return toInt(name, v, 1, 3600, &o.timeoutSeconds, error);
    default:
        *error = QStringLiteral("option %1 is in the table but not handled").arg(name);
        return false;
    }
}

// The options of the run history and of compare's gate; false for another option.
bool isHistoryOption(CliOptionId id)
{
    return id >= CliOptionId::Db && id <= CliOptionId::FailIfMoreMemory;
}

bool applyHistoryOption(CliOptionId id, const QString &name, const QString &v, CliOptions &o, QString *error)
{
    switch (id) {
    case CliOptionId::Db:
        o.dbPath = v;
        if (v.isEmpty())
            *error = QStringLiteral("--db needs a file");
        return !v.isEmpty();
    case CliOptionId::NoHistory:
        o.noHistory = true;
        return true;
    case CliOptionId::Folder:
        o.historyFolder = v;
        return true;
    case CliOptionId::HistoryPreset:
        o.historyPreset = v;
        if (!presetToggles(v) && v != QLatin1String("custom"))
            *error = QStringLiteral("unknown preset '%1' (known: %2, custom)")
                         .arg(v, presetNames().join(QStringLiteral(", ")));
        return error->isEmpty();
    case CliOptionId::Limit:
        return toInt(name, v, 1, 1000000, &o.historyLimit, error);
    case CliOptionId::Json:
        o.json = true;
        return true;
    case CliOptionId::Comparisons:
        o.historyComparisons = true;
        return true;
    case CliOptionId::Label:
        if (v.startsWith(QLatin1String("A=")) || v.startsWith(QLatin1String("B=")))
            (v.startsWith(QLatin1Char('A')) ? o.labelA : o.labelB) = v.mid(2);
        else
            *error = QStringLiteral("--label takes A=NAME or B=NAME, not '%1'").arg(v);
        return error->isEmpty();
    case CliOptionId::FailIfSlower:
        return toDouble(name, v, 0, 10000, &o.failIfSlowerPct, error);
    case CliOptionId::FailIfMoreMemory:
        return toDouble(name, v, 0, 10000, &o.failIfMoreMemoryPct, error);
    default:
        *error = QStringLiteral("option %1 is in the table but not handled").arg(name);
        return false;
    }
}

bool applyOption(const CliOptionSpec &option, const QString &name, const QString &v, CliOptions &o,
    PendingToggles &pending, QString *error)
{
    if (isHistoryOption(option.id))
        return applyHistoryOption(option.id, name, v, o, error);
    if (o.command == CliOptions::Command::Generate || o.command == CliOptions::Command::Download)
        return applySampleOption(option.id, name, v, o, error);
    if (!option.configures)
        return applyRunOption(option.id, name, v, o, error);
    if (const ParamInfo *info = paramFromCliOption(QLatin1String(option.name)))
        return applyParamOption(*info, name, v, o.config.params, error);
    return applyConfigOption(option.id, name, v, o, pending, error);
}

// The command word; false with an error for an unknown one.
bool readCommand(const QString &word, CliOptions::Command *command, QString *error)
{
    if (word == QLatin1String("help")) {
        *command = CliOptions::Command::Help;
        return true;
    }
    if (const CliOptionSpec *option = findCliOption(CliTopLevel, word)) {
        *command
            = option->id == CliOptionId::Version ? CliOptions::Command::Version : CliOptions::Command::Help;
        return true;
    }
    for (const CliCommandSpec &spec : cliCommandTable()) {
        if (word == QLatin1String(spec.name)) {
            *command = spec.command;
            return true;
        }
    }
    *error = QStringLiteral("unknown command '%1'").arg(word);
    return false;
}

// Which runs sample call stacks. ablate: none of its configurations (it
// exports no stacks), so each is timed alike. run: the measured repetitions
// unless --no-sample or --no-profile; the stack exports need them.
bool finishSampling(CliOptions &o, QString *error)
{
    if (o.command == CliOptions::Command::Ablate)
        o.config.sampleRateHz = 0;
    const bool sampled = o.config.sampledRateHz() > 0;
    if (!sampled && (!o.stacksPath.isEmpty() || !o.speedscopePath.isEmpty())) {
        *error
            = QStringLiteral("%1 needs sampled call stacks, which %2 turns off")
                  .arg(o.stacksPath.isEmpty() ? QStringLiteral("--speedscope") : QStringLiteral("--stacks"),
                      o.config.profile ? QStringLiteral("--no-sample") : QStringLiteral("--no-profile"));
        return false;
    }
    return true;
}

// A toggle named in an --on and in an --off: which one should win is the
// person's to say, not the order of the options.
QString toggleInBoth(const PendingToggles &pending)
{
    QSet<QString> on;
    for (const QString &list : pending.onLists)
        for (const QString &key : list.split(QLatin1Char(','), Qt::SkipEmptyParts))
            on.insert(key.trimmed());
    for (const QString &list : pending.offLists)
        for (const QString &key : list.split(QLatin1Char(','), Qt::SkipEmptyParts))
            if (on.contains(key.trimmed()))
                return key.trimmed();
    return {};
}

// An argument names an image file when it is a file, or is no folder and
// ends in an image extension (a missing one fails alone, as an image).
bool namesImageFile(const QString &arg)
{
    const QFileInfo info(arg);
    return !info.isDir() && (info.isFile() || imageExtensions().contains(info.suffix().toLower()));
}

// run and ablate: one INPUT_DIR, or image files (the run takes exactly
// those); never both, nor two folders.
bool readInputs(const QString &command, const QStringList &positional, CliOptions &o, QString *error)
{
    if (positional.isEmpty()) {
        *error = QStringLiteral("%1 needs an INPUT_DIR (or image files)").arg(command);
        return false;
    }
    const auto images = std::count_if(positional.begin(), positional.end(), namesImageFile);
    if (images == 0 && positional.size() == 1) {
        o.config.inputDir = positional.first();
        return true;
    }
    if (images != positional.size()) {
        *error = QStringLiteral("%1 takes one INPUT_DIR or image files, got %2: %3")
                     .arg(command)
                     .arg(positional.size())
                     .arg(positional.join(QLatin1Char(' ')));
        return false;
    }
    if (o.config.params.recursive) {
        *error = QStringLiteral("--recursive lists a folder's subfolders; it does not apply to image files");
        return false;
    }
    o.config.setInputFiles(positional);
    return true;
}

// run and ablate: the inputs, the output folder's default, and the
// toggles: the preset, then every --on, then every --off.
bool finishRun(const QString &command, const QStringList &positional, const PendingToggles &pending,
    CliOptions &o, QString *error)
{
    if (!readInputs(command, positional, o, error))
        return false;
    if (!o.outputGiven && !o.config.inputFolders().contains(o.config.inputDir)) {
        // Files with no folder of theirs holding the others: beside their
        // common folder ("/-processed", "/home/u-processed") is nowhere a
        // user would look for the outputs.
        *error = QStringLiteral("the image files have no folder in common but %1: say where their outputs go "
                                "with -o OUTPUT_DIR")
                     .arg(o.config.inputDir);
        return false;
    }
    if (!o.outputGiven)
        o.config.outputDir = defaultOutputDir(o.config.inputDir);
    o.config.toggles = *presetToggles(pending.presetName);
    if (const QString both = toggleInBoth(pending); !both.isEmpty()) {
        *error = QStringLiteral("toggle '%1' is given to both --on and --off").arg(both);
        return false;
    }
    for (const QString &list : pending.onLists)
        if (!applyToggleList(list, true, &o.config.toggles, error))
            return false;
    for (const QString &list : pending.offLists)
        if (!applyToggleList(list, false, &o.config.toggles, error))
            return false;
    o.config.preset = presetNameFor(o.config.toggles);
    return finishSampling(o, error);
}

// What the arguments that are not options mean, and what is left to settle
// once all are read. False with the error when they do not fit the command.
bool finishArguments(const QString &command, const QStringList &positional, const PendingToggles &pending,
    CliOptions &o, QString *error)
{
    if (o.command == CliOptions::Command::Compare) {
        if (positional.size() != 2) {
            *error
                = QStringLiteral("compare needs two reports, A.json and B.json (or run ids of the history)");
            return false;
        }
        o.reports = positional;
    } else if (o.command == CliOptions::Command::Run || o.command == CliOptions::Command::Ablate) {
        return finishRun(command, positional, pending, o, error);
    } else if (o.command == CliOptions::Command::Generate) {
        if (positional.size() != 1) {
            *error = QStringLiteral("generate needs one DIR");
            return false;
        }
        // An empty name ("") would only fail later, as "cannot create folder".
        if (positional.first().isEmpty()) {
            *error = QStringLiteral("generate needs one DIR, not an empty name");
            return false;
        }
        o.dir = positional.first();
    } else if (o.command == CliOptions::Command::Download) {
        if (!positional.isEmpty()) {
            *error = QStringLiteral("download takes no DIR argument; give it with --dest DIR (got '%1')")
                         .arg(positional.first());
            return false;
        }
        if (o.destDir.isEmpty()) {
            *error = QStringLiteral("download needs --dest DIR");
            return false;
        }
    } else if (!positional.isEmpty()) {
        *error = QStringLiteral("'%1' takes no arguments, got '%2'").arg(command, positional.first());
    } else if (o.historyComparisons && (!o.historyFolder.isEmpty() || !o.historyPreset.isEmpty())) {
        *error
            = QStringLiteral("%1 chooses runs; history --comparisons lists comparisons, which it cannot "
                             "filter")
                  .arg(o.historyFolder.isEmpty() ? QStringLiteral("--preset") : QStringLiteral("--folder"));
    }
    return error->isEmpty();
}

} // namespace

CliParseResult parseCommandLine(const QStringList &args)
{
    CliParseResult result;
    CliOptions &o = result.options;
    QString &error = result.error;
    if (args.isEmpty()) {
        error = QStringLiteral("no command given");
        return result;
    }
    ArgReader reader(args);
    const QString command = reader.next();
    if (!readCommand(command, &o.command, &error))
        return result;
    if (o.command == CliOptions::Command::Help || o.command == CliOptions::Command::Version)
        return result;

    PendingToggles pending;
    QStringList positional;
    while (!reader.atEnd()) {
        const QString arg = reader.next();
        if (!arg.startsWith(QLatin1Char('-')) || arg == QLatin1String("-")) {
            positional << arg;
            continue;
        }
        QString name = arg;
        QString inlineValue; // null unless "--opt=value"
        const int eq = arg.indexOf(QLatin1Char('='));
        if (arg.startsWith(QLatin1String("--")) && eq > 2) {
            name = arg.left(eq);
            inlineValue = arg.mid(eq + 1);
        }
        const CliOptionSpec *option = findCliOption(cliCommandBit(o.command), name);
        if (!option) {
            error = QStringLiteral("unknown option '%1' for '%2'").arg(name, command);
            return result;
        }
        if (option->id == CliOptionId::Help) {
            o.command = CliOptions::Command::Help;
            return result;
        }
        QString v;
        if (option->value == CliValueKind::None && !inlineValue.isNull()) {
            error = QStringLiteral("option %1 takes no value").arg(name);
            return result;
        }
        if (option->value != CliValueKind::None && !reader.value(name, &inlineValue, &v, &error))
            return result;
        if (!applyOption(*option, name, v, o, pending, &error))
            return result;
    }

    finishArguments(command, positional, pending, o, &error);
    return result;
}

} // namespace pixelperf
