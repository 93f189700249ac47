#include "cliparser.h"

#include <QDir>
#include <QFileInfo>

#include <cmath>

namespace pixelperf {

QString cliUsage()
{
    return QStringLiteral(
R"(Usage:
  pixelperf-cli run INPUT_DIR [-o OUTPUT_DIR] [--preset baseline|seed-optimized|optimized]
                [--on ID,...] [--off ID,...] [--jobs N] [--repeat N] [--warmup N]
                [--size WxH] [--mode stretch|fit|fill] [--quality Q] [--blur R]
                [--sharpen F] [--contrast F] [--brightness F] [--skip STAGE,...]
                [--recursive] [--cache-mib N] [--no-profile] [--same-process]
                [--report FILE.json] [--csv FILE] [--trace FILE] [--html FILE] [--md FILE] [--quiet]
  pixelperf-cli compare A.json B.json [--md FILE] [--html FILE]
  pixelperf-cli ablate INPUT_DIR [-o OUTPUT_DIR] [--report FILE.json] [--md FILE] [--html FILE]
                [--repeat N] [--warmup N] [--order forward|reverse] [--shuffle SEED]
                [run options that set the starting configuration]
  pixelperf-cli toggles
  pixelperf-cli generate DIR [--count N] [--size WxH] [--seed S]
  pixelperf-cli download --dest DIR [--count N] [--manifest URL|FILE] [--allow-http] [--timeout S]
  pixelperf-cli --version | --help

run       Process every image of INPUT_DIR (.jpg .jpeg .png .bmp .gif .webp) through
          load, resize, blur, sharpen, contrast, brightness, convert and save, and
          report where the time and memory went. Outputs go to OUTPUT_DIR (default:
          a sibling folder "<INPUT_DIR>-processed") as processed_<name>.
          The preset (default: optimized) sets the toggles; --on/--off apply after it.
          --skip turns stages off (blur, sharpen, contrast, brightness).
          --quality is the JPEG quality with balanced-quality on (off: 95).
          --repeat N measures N times, each time in a fresh process (as pyperf does:
          one process's repetitions share its memory layout and are not independent);
          --same-process keeps them in this one. --warmup W runs W unmeasured passes
          first (OS page cache; with decode-cache on they fill the decode cache, which
          the measured pass only reads: each report says how many images it served).
          Without warm-ups nothing is cached.
          --report writes JSON; --csv one row per image and stage; --trace a Chrome
          trace (Perfetto, chrome://tracing); --html a self-contained page; --md a
          Markdown summary.
compare   Compare two JSON reports, per image: per-stage and overall speedup with
          spread, memory, differing toggles, stages fused or served from the cache,
          and whether each difference exceeds the noise (exact Mann-Whitney U with
          Holm's correction over stages, p < 0.05, at least 5 % apart; verdicts need
          4 or more measured repetitions a side).
ablate    Starting from the preset (default optimized), turn each toggle off in
          turn and report what each one bought (speedup and memory shares). Each
          configuration runs in a fresh process, as a standalone run would (--warmup
          N: N unmeasured passes in it first, so decode-cache is measured on a
          re-run), in --repeat rounds (default 3) with the configurations
          interleaved, in the --order given or shuffled with --shuffle SEED.
toggles   List the toggles, what each does, the stage it affects and the presets.
generate  Write photo-like synthetic JPEGs (default 8 of 2560x1600) into DIR.
download  Download the first N (default: all) photos of a sample manifest into DIR,
          four at a time. The manifest is --manifest (a URL or a JSON file), else
          $PIXELPERF_SAMPLES_MANIFEST, else the bundled list of freely licensed photos.
          A file that already exists is skipped, never overwritten. HTTPS only, except
          to localhost or with --allow-http. --timeout: seconds without data (default 30).
          Exit 1 when some files failed (each named on stderr with the reason).

Exit codes: 0 all images processed; 1 the run finished but some inputs failed (or it
was cancelled); 2 usage error or the run could not start.
)");
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
    explicit ArgReader(const QStringList &args) : m_args(args) { }
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
                         .arg(option).arg(lo).arg(hi).arg(text);
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
                         .arg(option).arg(lo).arg(hi).arg(text);
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
            QStringList known;
            for (const ToggleInfo &info : toggleTable())
                known << QLatin1String(info.key);
            *error = QStringLiteral("unknown toggle '%1' (known: %2)").arg(key, known.join(QStringLiteral(", ")));
            return false;
        }
        toggles->set(*id, on);
    }
    return true;
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
    if (command == QLatin1String("--help") || command == QLatin1String("-h") || command == QLatin1String("help")) {
        o.command = CliOptions::Command::Help;
        return result;
    }
    if (command == QLatin1String("--version") || command == QLatin1String("-v")) {
        o.command = CliOptions::Command::Version;
        return result;
    }
    if (command == QLatin1String("run"))
        o.command = CliOptions::Command::Run;
    else if (command == QLatin1String("compare"))
        o.command = CliOptions::Command::Compare;
    else if (command == QLatin1String("ablate"))
        o.command = CliOptions::Command::Ablate;
    else if (command == QLatin1String("toggles"))
        o.command = CliOptions::Command::Toggles;
    else if (command == QLatin1String("generate"))
        o.command = CliOptions::Command::Generate;
    else if (command == QLatin1String("download"))
        o.command = CliOptions::Command::Download;
    else {
        error = QStringLiteral("unknown command '%1'").arg(command);
        return result;
    }

    QString presetName = QStringLiteral("optimized");
    QStringList onLists, offLists;
    QStringList positional;
    bool sizeGiven = false;
    while (!reader.atEnd()) {
        const QString arg = reader.next();
        if (!arg.startsWith(QLatin1Char('-')) || arg == QLatin1String("-")) {
            positional << arg;
            continue;
        }
        if (arg == QLatin1String("--help") || arg == QLatin1String("-h")) {
            o.command = CliOptions::Command::Help;
            return result;
        }
        QString name = arg;
        QString inlineValue;  // null unless "--opt=value"
        const int eq = arg.indexOf(QLatin1Char('='));
        if (arg.startsWith(QLatin1String("--")) && eq > 2) {
            name = arg.left(eq);
            inlineValue = arg.mid(eq + 1);
        }
        QString v;
        auto need = [&]() { return reader.value(name, &inlineValue, &v, &error); };
        const bool isAblate = o.command == CliOptions::Command::Ablate;
        // ablate takes the run options: they set its starting configuration.
        const bool isRun = o.command == CliOptions::Command::Run || isAblate;
        const bool isGenerate = o.command == CliOptions::Command::Generate;
        const bool isDownload = o.command == CliOptions::Command::Download;
        const bool isCompare = o.command == CliOptions::Command::Compare;
        PipelineParams &p = o.config.params;

        if (isRun && (name == QLatin1String("-o") || name == QLatin1String("--output"))) {
            if (!need())
                return result;
            o.config.outputDir = v;
            o.outputGiven = true;
        } else if (isRun && name == QLatin1String("--preset")) {
            if (!need())
                return result;
            if (!presetToggles(v)) {
                error = QStringLiteral("unknown preset '%1' (known: %2)").arg(v, presetNames().join(QStringLiteral(", ")));
                return result;
            }
            presetName = v;
        } else if (isRun && name == QLatin1String("--on")) {
            if (!need())
                return result;
            onLists << v;
        } else if (isRun && name == QLatin1String("--off")) {
            if (!need())
                return result;
            offLists << v;
        } else if (isRun && name == QLatin1String("--jobs")) {
            if (!need() || !toInt(name, v, 1, 256, &p.jobs, &error))
                return result;
        } else if (isRun && name == QLatin1String("--repeat")) {
            if (!need() || !toInt(name, v, 1, 1000, &o.repeat, &error))
                return result;
            o.repeatGiven = true;
        } else if (isRun && name == QLatin1String("--warmup")) {
            if (!need() || !toInt(name, v, 0, 1000, &o.warmup, &error))
                return result;
        } else if ((isRun || isGenerate) && name == QLatin1String("--size")) {
            if (!need())
                return result;
            int w = 0, h = 0;
            if (!parseSize(v, &w, &h)) {
                error = QStringLiteral("--size must be WxH with sides from 1 to 20000, like 800x600, not '%1'").arg(v);
                return result;
            }
            if (isRun) {
                p.width = w;
                p.height = h;
            } else {
                o.width = w;
                o.height = h;
            }
            sizeGiven = true;
        } else if (isRun && name == QLatin1String("--mode")) {
            if (!need())
                return result;
            if (v == QLatin1String("stretch"))
                p.resizeMode = ResizeMode::Stretch;
            else if (v == QLatin1String("fit"))
                p.resizeMode = ResizeMode::Fit;
            else if (v == QLatin1String("fill"))
                p.resizeMode = ResizeMode::Fill;
            else {
                error = QStringLiteral("--mode must be stretch, fit or fill, not '%1'").arg(v);
                return result;
            }
        } else if (isRun && name == QLatin1String("--quality")) {
            if (!need() || !toInt(name, v, 1, 100, &p.quality, &error))
                return result;
        } else if (isRun && name == QLatin1String("--blur")) {
            if (!need() || !toDouble(name, v, 0, 50, &p.blurRadius, &error))
                return result;
        } else if (isRun && name == QLatin1String("--sharpen")) {
            if (!need() || !toDouble(name, v, 0, 10, &p.sharpen, &error))
                return result;
        } else if (isRun && name == QLatin1String("--contrast")) {
            if (!need() || !toDouble(name, v, 0, 10, &p.contrast, &error))
                return result;
        } else if (isRun && name == QLatin1String("--brightness")) {
            if (!need() || !toDouble(name, v, 0, 10, &p.brightness, &error))
                return result;
        } else if (isRun && name == QLatin1String("--skip")) {
            if (!need())
                return result;
            for (const QString &raw : v.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
                const QString stage = raw.trimmed();
                if (stage == QLatin1String("blur"))
                    p.blurEnabled = false;
                else if (stage == QLatin1String("sharpen"))
                    p.sharpenEnabled = false;
                else if (stage == QLatin1String("contrast"))
                    p.contrastEnabled = false;
                else if (stage == QLatin1String("brightness"))
                    p.brightnessEnabled = false;
                else {
                    error = QStringLiteral("--skip takes blur, sharpen, contrast or brightness, not '%1'").arg(stage);
                    return result;
                }
            }
        } else if (isRun && name == QLatin1String("--recursive")) {
            p.recursive = true;
        } else if (isRun && name == QLatin1String("--cache-mib")) {
            if (!need() || !toInt(name, v, 0, 1 << 20, &p.cacheMiB, &error))
                return result;
        } else if (isRun && name == QLatin1String("--no-profile")) {
            o.config.profile = false;
        } else if (o.command == CliOptions::Command::Run && name == QLatin1String("--same-process")) {
            o.sameProcess = true;
        } else if (isRun && name == QLatin1String("--report")) {
            if (!need())
                return result;
            o.reportPath = v;
        } else if ((isRun || isCompare) && (name == QLatin1String("--html") || name == QLatin1String("--md"))) {
            if (!need())
                return result;
            (name == QLatin1String("--html") ? o.htmlPath : o.mdPath) = v;
        } else if (isRun && !isAblate && (name == QLatin1String("--csv") || name == QLatin1String("--trace"))) {
            if (!need())
                return result;
            (name == QLatin1String("--csv") ? o.csvPath : o.tracePath) = v;
        } else if (isRun && (name == QLatin1String("--quiet") || name == QLatin1String("-q"))) {
            o.quiet = true;
        } else if (isAblate && name == QLatin1String("--order")) {
            if (!need())
                return result;
            if (v == QLatin1String("forward"))
                o.ablationOrder = CliOptions::AblationOrderForward;
            else if (v == QLatin1String("reverse"))
                o.ablationOrder = CliOptions::AblationOrderReverse;
            else {
                error = QStringLiteral("--order must be forward or reverse, not '%1' (--shuffle SEED shuffles)").arg(v);
                return result;
            }
        } else if (isAblate && name == QLatin1String("--shuffle")) {
            int seed = 0;
            if (!need() || !toInt(name, v, 0, 2147483647, &seed, &error))
                return result;
            o.ablationOrder = CliOptions::AblationOrderShuffle;
            o.seed = uint32_t(seed);
        } else if (isGenerate && name == QLatin1String("--count")) {
            if (!need() || !toInt(name, v, 1, 100000, &o.count, &error))
                return result;
        } else if (isDownload && name == QLatin1String("--dest")) {
            if (!need())
                return result;
            if (v.isEmpty()) {
                error = QStringLiteral("--dest needs a folder");
                return result;
            }
            o.destDir = v;
        } else if (isDownload && name == QLatin1String("--count")) {
            if (!need() || !toInt(name, v, 1, 100000, &o.downloadCount, &error))
                return result;
        } else if (isDownload && name == QLatin1String("--manifest")) {
            if (!need())
                return result;
            if (v.trimmed().isEmpty()) {
                error = QStringLiteral("--manifest needs a URL or a file");
                return result;
            }
            o.manifest = v.trimmed();
        } else if (isDownload && name == QLatin1String("--allow-http")) {
            o.allowPlainHttp = true;
        } else if (isDownload && name == QLatin1String("--timeout")) {
            if (!need() || !toInt(name, v, 1, 3600, &o.timeoutSeconds, &error))
                return result;
        } else if (isGenerate && name == QLatin1String("--seed")) {
            int seed = 0;
            if (!need() || !toInt(name, v, 0, 1 << 30, &seed, &error))
                return result;
            o.seed = uint32_t(seed);
        } else {
            error = QStringLiteral("unknown option '%1' for '%2'").arg(name, command);
            return result;
        }
    }
    Q_UNUSED(sizeGiven);

    if (o.command == CliOptions::Command::Compare) {
        if (positional.size() != 2) {
            error = QStringLiteral("compare needs two reports, A.json and B.json");
            return result;
        }
        o.reports = positional;
    } else if (o.command == CliOptions::Command::Run || o.command == CliOptions::Command::Ablate) {
        if (positional.size() != 1) {
            error = positional.isEmpty() ? QStringLiteral("%1 needs an INPUT_DIR").arg(command)
                                         : QStringLiteral("%1 takes one INPUT_DIR, got %2: %3").arg(command)
                                                   .arg(positional.size())
                                                   .arg(positional.join(QLatin1Char(' ')));
            return result;
        }
        o.config.inputDir = positional.first();
        if (!o.outputGiven)
            o.config.outputDir = defaultOutputDir(o.config.inputDir);
        o.config.preset = presetName;
        o.config.toggles = *presetToggles(presetName);
        for (const QString &list : onLists)
            if (!applyToggleList(list, true, &o.config.toggles, &error))
                return result;
        for (const QString &list : offLists)
            if (!applyToggleList(list, false, &o.config.toggles, &error))
                return result;
        o.config.preset = presetNameFor(o.config.toggles);
    } else if (o.command == CliOptions::Command::Generate) {
        if (positional.size() != 1) {
            error = QStringLiteral("generate needs one DIR");
            return result;
        }
        // An empty name ("") would only fail later, as "cannot create folder".
        if (positional.first().isEmpty()) {
            error = QStringLiteral("generate needs one DIR, not an empty name");
            return result;
        }
        o.dir = positional.first();
    } else if (o.command == CliOptions::Command::Download) {
        if (!positional.isEmpty()) {
            error = QStringLiteral("download takes no DIR argument; give it with --dest DIR (got '%1')")
                            .arg(positional.first());
            return result;
        }
        if (o.destDir.isEmpty()) {
            error = QStringLiteral("download needs --dest DIR");
            return result;
        }
    } else if (!positional.isEmpty()) {
        error = QStringLiteral("'%1' takes no arguments, got '%2'").arg(command, positional.first());
    }
    return result;
}

} // namespace pixelperf
