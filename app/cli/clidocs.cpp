#include "clidocs.h"

#include "cliparser.h"
#include "clisyntax.h"
#include "pipeline/toggles.h"

namespace pixelperf {

namespace {

const char *const GeneratedNote = "Generated from pixelperf-cli's option table (app/cli/clisyntax.cpp) by "
                                  "pixelperf-clidocs: do not edit.";

QStringList spellings(const CliOptionSpec &option)
{
    QStringList names { QLatin1String(option.name) };
    if (option.alias)
        names << QLatin1String(option.alias);
    return names;
}

QString commandNames()
{
    QStringList names;
    for (const CliCommandSpec &command : cliCommandTable())
        names << QLatin1String(command.name);
    return names.join(QLatin1Char(' '));
}

// The bash code that completes a value of this kind from "$cur"; empty when
// there is nothing to offer (numbers, sizes).
QString bashValueCompletion(CliValueKind kind)
{
    switch (kind) {
    case CliValueKind::Dir:
        return QStringLiteral("_pixelperf_cli_files -d");
    case CliValueKind::File:
    case CliValueKind::Inputs: // compgen -f offers folders too
    case CliValueKind::Url:
        return QStringLiteral("_pixelperf_cli_files -f");
    case CliValueKind::JsonFile:
        return QStringLiteral("_pixelperf_cli_files json");
    case CliValueKind::Preset:
    case CliValueKind::Mode:
    case CliValueKind::Order:
        return QStringLiteral("COMPREPLY=($(compgen -W \"%1\" -- \"$cur\"))")
            .arg(cliValueChoices(kind).join(QLatin1Char(' ')));
    case CliValueKind::ToggleList:
    case CliValueKind::StageList:
        return QStringLiteral("_pixelperf_cli_list \"%1\"").arg(cliValueChoices(kind).join(QLatin1Char(' ')));
    default:
        return QString();
    }
}

QString bashCommandCase(const CliCommandSpec &command)
{
    QString text = QStringLiteral("    %1)\n        case $prev in\n").arg(QLatin1String(command.name));
    QStringList words;
    for (const CliOptionSpec *option : cliOptionsOf(cliCommandBit(command.command))) {
        words << spellings(*option);
        if (option->value == CliValueKind::None)
            continue;
        const QString completion = bashValueCompletion(option->value);
        text += QStringLiteral("        %1)\n").arg(spellings(*option).join(QLatin1Char('|')));
        if (!completion.isEmpty())
            text += QStringLiteral("            %1\n").arg(completion);
        text += QStringLiteral("            return ;;\n");
    }
    text += QStringLiteral("        esac\n");
    text += QStringLiteral("        if [[ $cur == -* ]]; then\n"
                           "            COMPREPLY=($(compgen -W \"%1\" -- \"$cur\"))\n")
                .arg(words.join(QLatin1Char(' ')));
    const QString positional = bashValueCompletion(command.argumentKind);
    if (command.argumentCount != 0 && !positional.isEmpty())
        text += QStringLiteral("        else\n            %1\n").arg(positional);
    text += QStringLiteral("        fi\n        ;;\n");
    return text;
}

// zsh's _arguments text is single-quoted; brackets close the description.
QString zshQuoted(QString text)
{
    text.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    text.replace(QLatin1Char('['), QLatin1String("\\["));
    text.replace(QLatin1Char(']'), QLatin1String("\\]"));
    return text;
}

QString zshAction(CliValueKind kind)
{
    switch (kind) {
    case CliValueKind::Dir:
        return QStringLiteral("_files -/");
    case CliValueKind::File:
    case CliValueKind::Inputs:
        return QStringLiteral("_files");
    case CliValueKind::JsonFile:
        return QStringLiteral("_files -g \"*.json\"");
    case CliValueKind::Url:
        return QStringLiteral("_files");
    case CliValueKind::Preset:
    case CliValueKind::Mode:
    case CliValueKind::Order:
        return QLatin1Char('(') + cliValueChoices(kind).join(QLatin1Char(' ')) + QLatin1Char(')');
    case CliValueKind::ToggleList:
        return QStringLiteral("_pixelperf_cli_toggles");
    case CliValueKind::StageList:
        return QStringLiteral("_pixelperf_cli_stages");
    default:
        return QStringLiteral(" ");
    }
}

// One _arguments spec per spelling: "--jobs=[worker threads]:N: ".
QStringList zshOptionSpecs(const CliOptionSpec &option)
{
    const bool repeats = option.value == CliValueKind::ToggleList || option.value == CliValueKind::StageList;
    QStringList specs;
    for (const QString &name : spellings(option)) {
        QString spec = repeats ? QStringLiteral("*") : QString();
        // A long option's value may follow in the same word after "=", or in the next one.
        spec
            += name + (option.value != CliValueKind::None && name.startsWith(QLatin1String("--")) ? "=" : "");
        spec += QLatin1Char('[') + zshQuoted(option.help) + QLatin1Char(']');
        if (option.value != CliValueKind::None) {
            const QString message = cliOptionValueText(option);
            spec += QStringLiteral(":%1:%2").arg(zshQuoted(message), zshQuoted(zshAction(option.value)));
        }
        specs << QLatin1Char('\'') + spec + QLatin1Char('\'');
    }
    return specs;
}

QString zshCommandCase(const CliCommandSpec &command)
{
    QStringList specs;
    for (const CliOptionSpec *option : cliOptionsOf(cliCommandBit(command.command)))
        specs << zshOptionSpecs(*option);
    const QStringList arguments
        = QString::fromLatin1(command.arguments).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (int i = 0; i < command.argumentCount && i < arguments.size(); ++i)
        specs << QStringLiteral("'%1:%2:%3'")
                     .arg(i + 1)
                     .arg(zshQuoted(arguments[i]), zshQuoted(zshAction(command.argumentKind)));
    if (command.argumentCount < 0) // one or more, each completed alike
        specs << QStringLiteral("'*:%1:%2'")
                     .arg(zshQuoted(QLatin1String(command.arguments)),
                         zshQuoted(zshAction(command.argumentKind)));
    QString text
        = QStringLiteral("        %1)\n          _arguments -S \\\n").arg(QLatin1String(command.name));
    for (int i = 0; i < specs.size(); ++i)
        text
            += QStringLiteral("            %1%2\n").arg(specs[i], i + 1 < specs.size() ? " \\" : " && ret=0");
    text += QStringLiteral("          ;;\n");
    return text;
}

// roff text: backslashes and hyphens escaped (a "-" in an option or a toggle
// id is typed as a minus sign), non-ASCII as groff's \[uXXXX], and no line
// that starts with a control character.
QString roff(const QString &text)
{
    QString out;
    for (const QChar c : text) {
        if (c == QLatin1Char('\\'))
            out += QLatin1String("\\e");
        else if (c == QLatin1Char('-'))
            out += QLatin1String("\\-");
        else if (c.unicode() > 127)
            out += QStringLiteral("\\[u%1]").arg(
                QString::number(c.unicode(), 16).toUpper().rightJustified(4, QLatin1Char('0')));
        else
            out += c;
    }
    QStringList lines = out.split(QLatin1Char('\n'));
    for (QString &line : lines)
        if (line.startsWith(QLatin1Char('.')) || line.startsWith(QLatin1Char('\'')))
            line.prepend(QLatin1String("\\&"));
    return lines.join(QLatin1Char('\n'));
}

QString roffOptionLabel(const CliOptionSpec &option)
{
    QStringList names;
    for (const QString &name : spellings(option))
        names << QStringLiteral("\\fB%1\\fR").arg(roff(name));
    QString label = names.join(QStringLiteral(", "));
    if (option.value != CliValueKind::None)
        label += QStringLiteral(" \\fI%1\\fR").arg(roff(cliOptionValueText(option)));
    return label;
}

QString manSynopsis()
{
    QString text = QStringLiteral(".SH SYNOPSIS\n");
    for (const CliCommandSpec &command : cliCommandTable()) {
        text += QStringLiteral(".PP\n\\fBpixelperf\\-cli %1\\fR").arg(roff(QLatin1String(command.name)));
        if (*command.arguments)
            text += QStringLiteral(" \\fI%1\\fR").arg(roff(QLatin1String(command.arguments)));
        text += QLatin1Char('\n');
        for (const CliOptionSpec *option : cliOptionsOf(cliCommandBit(command.command))) {
            if (option->id == CliOptionId::Help)
                continue;
            // "\ " does not break: an option stays on one line with its value.
            text += QStringLiteral("%1\\fB%2\\fR")
                        .arg(option->required ? "" : "[", roff(QLatin1String(option->name)));
            if (option->value != CliValueKind::None)
                text += QStringLiteral("\\ \\fI%1\\fR").arg(roff(cliOptionValueText(*option)));
            text += QLatin1String(option->required ? "\n" : "]\n");
        }
    }
    text += QStringLiteral(".PP\n\\fBpixelperf\\-cli\\fR \\fB\\-\\-version\\fR | \\fB\\-\\-help\\fR\n");
    return text;
}

QString manCommandsAndOptions()
{
    QString text = QStringLiteral(".SH COMMANDS\n");
    for (const CliCommandSpec &command : cliCommandTable()) {
        text += QStringLiteral(".TP\n\\fB%1\\fR").arg(roff(QLatin1String(command.name)));
        if (*command.arguments)
            text += QStringLiteral(" \\fI%1\\fR").arg(roff(QLatin1String(command.arguments)));
        text += QLatin1Char('\n') + roff(QString::fromUtf8(command.details)) + QLatin1Char('\n');
    }
    text += QStringLiteral(".SH OPTIONS\n");
    for (const CliOptionSpec &option : cliOptionTable()) {
        QStringList where;
        for (const CliCommandSpec &command : cliCommandTable())
            if (option.commands & cliCommandBit(command.command))
                where << QLatin1String(command.name);
        if (option.commands & CliTopLevel)
            where.prepend(QStringLiteral("(no command)"));
        QString help = option.help;
        help[0] = help[0].toUpper();
        text += QStringLiteral(".TP\n%1\n%2.\nUsed with: %3.\n")
                    .arg(roffOptionLabel(option), roff(help), roff(where.join(QStringLiteral(", "))));
    }
    return text;
}

QString manToggles()
{
    QString text = QStringLiteral(
        ".SH TOGGLES\n"
        "Each toggle names an optimization: on is the optimized path, off the inefficiency.\n");
    for (const ToggleInfo &toggle : toggleTable()) {
        text += QStringLiteral(".TP\n\\fB%1\\fR (stage %2%3)\n")
                    .arg(roff(QLatin1String(toggle.key)), roff(QLatin1String(toggle.stage)),
                        toggle.changesOutput ? QStringLiteral(", changes the output") : QString());
        text += roff(QStringLiteral("On: %1. Off: %2.")
                         .arg(QString::fromUtf8(toggle.onText), QString::fromUtf8(toggle.offText)))
            + QLatin1Char('\n');
    }
    text += QStringLiteral(".SH PRESETS\n");
    for (const QString &preset : presetNames()) {
        QStringList on;
        for (const ToggleInfo &toggle : toggleTable())
            if (presetToggles(preset)->isOn(toggle.id))
                on << QLatin1String(toggle.key);
        text += QStringLiteral(".TP\n\\fB%1\\fR\n%2\n")
                    .arg(roff(preset),
                        on.isEmpty() ? QStringLiteral("Every toggle off.")
                                     : roff(QStringLiteral("On: %1.").arg(on.join(", "))));
    }
    return text;
}

} // namespace

QString bashCompletion()
{
    QString text = QStringLiteral(
        "# bash completion for pixelperf-cli                        -*- shell-script -*-\n# %1\n\n")
                       .arg(QLatin1String(GeneratedNote));
    text += QStringLiteral(
        "# Completes the last item of a comma-separated list from the words in $1.\n"
        "_pixelperf_cli_list()\n{\n"
        "    local prefix=\n"
        "    [[ $cur == *,* ]] && prefix=${cur%,*},\n"
        "    COMPREPLY=($(compgen -P \"$prefix\" -W \"$1\" -- \"${cur##*,}\"))\n"
        "    compopt -o nospace 2>/dev/null\n"
        "}\n\n"
        "# Folders (-d), files (-f), or JSON files and folders (json).\n"
        "_pixelperf_cli_files()\n{\n"
        "    local IFS=$'\\n'\n"
        "    case $1 in\n"
        "    -d) COMPREPLY=($(compgen -d -- \"$cur\")) ;;\n"
        "    -f) COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
        "    json) COMPREPLY=($(compgen -d -- \"$cur\") $(compgen -f -X '!*.json' -- \"$cur\")) ;;\n"
        "    esac\n"
        "    compopt -o filenames 2>/dev/null\n"
        "}\n\n"
        "_pixelperf_cli()\n{\n"
        "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
        "    # bash splits \"--option=value\" at the \"=\" (COMP_WORDBREAKS).\n"
        "    if [[ $cur == = ]]; then\n"
        "        cur=\n"
        "    elif [[ $prev == = ]] && ((COMP_CWORD > 2)); then\n"
        "        prev=${COMP_WORDS[COMP_CWORD-2]}\n"
        "    fi\n"
        "    COMPREPLY=()\n"
        "    if ((COMP_CWORD == 1)); then\n");
    QStringList topLevel { commandNames() };
    for (const CliOptionSpec *option : cliOptionsOf(CliTopLevel))
        topLevel << spellings(*option);
    text += QStringLiteral("        COMPREPLY=($(compgen -W \"%1\" -- \"$cur\"))\n"
                           "        return\n"
                           "    fi\n"
                           "    case ${COMP_WORDS[1]} in\n")
                .arg(topLevel.join(QLatin1Char(' ')));
    for (const CliCommandSpec &command : cliCommandTable())
        text += bashCommandCase(command);
    text += QStringLiteral("    esac\n} && complete -F _pixelperf_cli pixelperf-cli\n");
    return text;
}

QString zshCompletion()
{
    QString text = QStringLiteral("#compdef pixelperf-cli\n# zsh completion for pixelperf-cli.\n# %1\n\n")
                       .arg(QLatin1String(GeneratedNote));
    text += QStringLiteral("_pixelperf_cli_toggles() {\n  _values -s , toggle");
    for (const ToggleInfo &toggle : toggleTable())
        text += QStringLiteral(" \\\n    '%1[%2]'")
                    .arg(QLatin1String(toggle.key), zshQuoted(QString::fromUtf8(toggle.onText)));
    text += QStringLiteral("\n}\n\n_pixelperf_cli_stages() {\n  _values -s , stage %1\n}\n\n")
                .arg(cliValueChoices(CliValueKind::StageList).join(QLatin1Char(' ')));
    text += QStringLiteral("_pixelperf_cli() {\n"
                           "  local curcontext=$curcontext state line ret=1\n"
                           "  typeset -A opt_args\n"
                           "  _arguments -C");
    for (const CliOptionSpec *option : cliOptionsOf(CliTopLevel))
        for (const QString &spec : zshOptionSpecs(*option))
            text += QStringLiteral(" \\\n    '(- :)'%1").arg(spec);
    text += QStringLiteral(" \\\n    '1: :->command' \\\n    '*:: :->argument' && ret=0\n"
                           "  case $state in\n"
                           "    command)\n"
                           "      local -a commands\n"
                           "      commands=(\n");
    for (const CliCommandSpec &command : cliCommandTable())
        text += QStringLiteral("        '%1:%2'\n")
                    .arg(QLatin1String(command.name), zshQuoted(QString::fromUtf8(command.summary)));
    text += QStringLiteral("      )\n"
                           "      _describe -t commands 'pixelperf-cli command' commands && ret=0\n"
                           "      ;;\n"
                           "    argument)\n"
                           "      curcontext=${curcontext%:*:*}:pixelperf-cli-$words[1]:\n"
                           "      case $words[1] in\n");
    for (const CliCommandSpec &command : cliCommandTable())
        text += zshCommandCase(command);
    text += QStringLiteral("      esac\n      ;;\n  esac\n  return ret\n}\n\n_pixelperf_cli \"$@\"\n");
    return text;
}

QString cliManPage(const QString &version)
{
    QString text = QStringLiteral(".\\\" %1\n").arg(QLatin1String(GeneratedNote));
    text += QStringLiteral(".TH PIXELPERF\\-CLI 1 \"\" \"PixelPerf %1\" \"User Commands\"\n")
                .arg(roff(version));
    // No hyphenation and a ragged right margin: options and toggle ids stay whole.
    text += QStringLiteral(".nh\n.ad l\n");
    text += QStringLiteral(
        ".SH NAME\n"
        "pixelperf\\-cli \\- run, profile and compare an image\\-processing pipeline from the "
        "command line\n");
    text += manSynopsis();
    text += QStringLiteral(".SH DESCRIPTION\n")
        + roff(QStringLiteral(
            "pixelperf-cli runs a folder of photos through load, resize, blur, sharpen, contrast,\n"
            "brightness, convert and save on a pool of worker threads, and reports where the time\n"
            "and the memory went, stage by stage and thread by thread. Each classic inefficiency is\n"
            "a toggle: turn it off, run again, and compare the two reports. It is the headless\n"
            "front of pixelperf(1), for scripts and CI.\n"));
    text += manCommandsAndOptions();
    text += manToggles();
    text += QStringLiteral(".SH ENVIRONMENT\n.TP\n.B PIXELPERF_SAMPLES_MANIFEST\n")
        + roff(QStringLiteral("The sample manifest that download reads when --manifest is not given.\n"));
    text += QStringLiteral(".SH EXIT STATUS\n") + roff(QString::fromUtf8(cliExitCodes())) + QLatin1Char('\n');
    text += QStringLiteral(".SH FILES\n.TP\n.I /usr/share/pixelperf/samples\n"
                           "The bundled sample images.\n"
                           ".TP\n.I /usr/share/doc/pixelperf/README.md\n"
                           "The manual: the toggles, the reports and their formats, the benchmarks.\n");
    text += QStringLiteral(".SH SEE ALSO\n.BR pixelperf (1)\n");
    return text;
}

} // namespace pixelperf
