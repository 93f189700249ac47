// The completions and the man page against the parser: every option --help
// shows is completed for its command, everything a completion offers the
// parser takes, and the bash completion, run by bash, completes commands,
// options and values.
#include "clidocs.h"
#include "cliparser.h"
#include "clisyntax.h"
#include "pipeline/toggles.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace pixelperf;

class TestCliDocs : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void helpOptionsAreCompleted_data();
    void helpOptionsAreCompleted();
    void completedOptionsAreAccepted_data();
    void completedOptionsAreAccepted();
    void bashCompletesValues_data();
    void bashCompletesValues();
    void zshNamesEveryOption();
    void manPageNamesEverything();

private:
    // What _pixelperf_cli puts in COMPREPLY for the words typed so far (the
    // last one being completed; bash splits "--opt=value" at "=" as here).
    QStringList bashComplete(const QStringList &words);
    // The options of one command's synopsis in --help.
    QMap<QString, QStringList> helpSynopsisOptions();

    QTemporaryDir m_dir;
    QString m_bashFile;
};

namespace {

// A value the parser takes for an option of this kind.
QString validValue(CliValueKind kind)
{
    switch (kind) {
    case CliValueKind::Number:
        return QStringLiteral("2");
    case CliValueKind::Size:
        return QStringLiteral("64x48");
    case CliValueKind::Preset:
    case CliValueKind::Mode:
    case CliValueKind::Order:
    case CliValueKind::ToggleList:
    case CliValueKind::StageList:
        return cliValueChoices(kind).constFirst();
    case CliValueKind::Label:
        return QStringLiteral("A=main");
    default:
        return QStringLiteral("some.json");
    }
}

// The least a command needs to parse.
QStringList baseArguments(const QString &command)
{
    if (command == QLatin1String("compare"))
        return { command, QStringLiteral("a.json"), QStringLiteral("b.json") };
    if (command == QLatin1String("download"))
        return { command, QStringLiteral("--dest"), QStringLiteral("d") };
    if (command == QLatin1String("toggles") || command == QLatin1String("history"))
        return { command };
    return { command, QStringLiteral("in") };
}

} // namespace

void TestCliDocs::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_bashFile = m_dir.filePath(QStringLiteral("pixelperf-cli.bash"));
    QFile file(m_bashFile);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bashCompletion().toUtf8());
}

QStringList TestCliDocs::bashComplete(const QStringList &words)
{
    QString script = QStringLiteral("source \"$1\" || exit 3\nCOMP_WORDS=(");
    for (const QString &word : words)
        script += QLatin1Char('\'') + QString(word).replace(QLatin1Char('\''), QLatin1String("'\\''"))
            + QLatin1String("' ");
    script += QStringLiteral(")\nCOMP_CWORD=%1\n_pixelperf_cli\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n")
                  .arg(words.size() - 1);
    QProcess bash;
    bash.setWorkingDirectory(m_dir.path());
    bash.start(QStringLiteral("bash"),
        { QStringLiteral("--norc"), QStringLiteral("-c"), script, QStringLiteral("bash"), m_bashFile });
    if (!bash.waitForFinished(30000) || bash.exitCode() != 0) {
        qWarning() << "bash:" << bash.readAllStandardError();
        return { QStringLiteral("<bash failed>") };
    }
    return QString::fromUtf8(bash.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

QMap<QString, QStringList> TestCliDocs::helpSynopsisOptions()
{
    // "  pixelperf-cli run INPUT_DIR [-o OUTPUT_DIR] ..." and its indented continuation lines.
    QMap<QString, QStringList> options;
    QString command;
    const QRegularExpression start(QStringLiteral("^  pixelperf-cli ([a-z]+)\\b"));
    const QRegularExpression option(QStringLiteral("(?:^|[ \\[])(--?[a-z][a-z-]*)"));
    for (const QString &line : cliUsage().split(QLatin1Char('\n'))) {
        const QRegularExpressionMatch m = start.match(line);
        if (m.hasMatch())
            command = m.captured(1);
        else if (!line.startsWith(QLatin1String("                ")))
            command.clear();
        if (command.isEmpty())
            continue;
        options[command]; // a command without options is still listed
        for (const QRegularExpressionMatch &o : option.globalMatch(line))
            options[command] << o.captured(1);
    }
    return options;
}

void TestCliDocs::helpOptionsAreCompleted_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QStringList>("options");
    const QMap<QString, QStringList> synopsis = helpSynopsisOptions();
    QCOMPARE(synopsis.size(), int(cliCommandTable().size()));
    for (auto it = synopsis.cbegin(); it != synopsis.cend(); ++it)
        QTest::newRow(qPrintable(it.key())) << it.key() << it.value();
}

void TestCliDocs::helpOptionsAreCompleted()
{
    QFETCH(QString, command);
    QFETCH(QStringList, options);
    const QStringList offered
        = bashComplete({ QStringLiteral("pixelperf-cli"), command, QStringLiteral("-") });
    QVERIFY2(offered.contains(QStringLiteral("--help")), qPrintable(offered.join(' ')));
    for (const QString &option : options)
        QVERIFY2(offered.contains(option),
            qPrintable(QStringLiteral("%1 %2 is in --help, not completed: %3")
                           .arg(command, option, offered.join(' '))));
    // And the command itself, from its first letters.
    QVERIFY(bashComplete({ QStringLiteral("pixelperf-cli"), command.left(2) }).contains(command));
}

void TestCliDocs::completedOptionsAreAccepted_data()
{
    QTest::addColumn<QString>("command");
    for (const CliCommandSpec &command : cliCommandTable())
        QTest::newRow(command.name) << QString::fromLatin1(command.name);
}

void TestCliDocs::completedOptionsAreAccepted()
{
    QFETCH(QString, command);
    const QStringList offered
        = bashComplete({ QStringLiteral("pixelperf-cli"), command, QStringLiteral("-") });
    QVERIFY(!offered.isEmpty());
    for (const QString &option : offered) {
        if (option == QLatin1String("--help") || option == QLatin1String("-h"))
            continue;
        const CliOptionSpec *spec
            = findCliOption(cliCommandBit(parseCommandLine({ command }).options.command), option);
        QVERIFY2(spec, qPrintable(option));
        QStringList args = baseArguments(command);
        args << option;
        if (spec->value != CliValueKind::None)
            args << validValue(spec->value);
        const CliParseResult r = parseCommandLine(args);
        QVERIFY2(r.error.isEmpty(), qPrintable(args.join(' ') + QStringLiteral(": ") + r.error));
    }
    // Nothing the parser refuses is offered: an option of another command is not.
    if (command == QLatin1String("compare"))
        QVERIFY(!offered.contains(QStringLiteral("--preset")));
}

void TestCliDocs::bashCompletesValues_data()
{
    QTest::addColumn<QStringList>("words");
    QTest::addColumn<QStringList>("expected");
    const QString cli = QStringLiteral("pixelperf-cli");
    QTest::newRow("commands") << QStringList { cli, "" }
                              << QStringList { "run", "compare", "ablate", "toggles", "generate", "download",
                                     "history", "--help", "-h", "--version", "-v" };
    QTest::newRow("preset") << QStringList { cli, "run", "in", "--preset", "" } << presetNames();
    QTest::newRow("preset after =") << QStringList { cli, "ablate", "in", "--preset", "=", "seed-o" }
                                    << QStringList { "seed-optimized" };
    QTest::newRow("two seed presets") << QStringList { cli, "run", "in", "--preset", "seed" }
                                      << QStringList { "seed-baseline", "seed-optimized" };
    QTest::newRow("mode") << QStringList { cli, "run", "in", "--mode", "f" } << QStringList { "fit", "fill" };
    QTest::newRow("toggle") << QStringList { cli, "run", "in", "--off", "stream" }
                            << QStringList { "streaming" };
    QTest::newRow("second toggle") << QStringList { cli, "run", "in", "--on", "lanczos,separ" }
                                   << QStringList { "lanczos,separable-blur" };
    QStringList toggles;
    for (const ToggleInfo &info : toggleTable())
        toggles << QString::fromLatin1(info.key);
    QTest::newRow("every toggle") << QStringList { cli, "ablate", "in", "--off", "" } << toggles;
    QTest::newRow("stage") << QStringList { cli, "run", "in", "--skip", "blur,sh" }
                           << QStringList { "blur,sharpen" };
    QTest::newRow("number: nothing") << QStringList { cli, "run", "in", "--jobs", "" } << QStringList {};
    QTest::newRow("option prefix") << QStringList { cli, "run", "in", "--no-p" }
                                   << QStringList { "--no-profile" };
    QTest::newRow("download's own") << QStringList { cli, "download", "--al" }
                                    << QStringList { "--allow-http" };
    QTest::newRow("input folder") << QStringList { cli, "run", "fol" } << QStringList { "folder" };
    QTest::newRow("report file") << QStringList { cli, "compare", "rep" } << QStringList { "report.json" };
}

void TestCliDocs::bashCompletesValues()
{
    QFETCH(QStringList, words);
    QFETCH(QStringList, expected);
    // Files for the ones that complete names: a folder, a report, and a file that is neither.
    QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("folder")));
    for (const char *name : { "report.json", "report.txt" }) {
        QFile file(m_dir.filePath(QLatin1String(name)));
        QVERIFY(file.open(QIODevice::WriteOnly));
    }
    QStringList offered = bashComplete(words);
    offered.sort();
    expected.sort();
    QCOMPARE(offered, expected);
}

void TestCliDocs::zshNamesEveryOption()
{
    const QString zsh = zshCompletion();
    QVERIFY(zsh.startsWith(QLatin1String("#compdef pixelperf-cli\n")));
    for (const CliCommandSpec &command : cliCommandTable()) {
        // This command's block: from "  run)" to the next ";;".
        const int start = zsh.indexOf(QStringLiteral("        %1)\n").arg(QLatin1String(command.name)));
        QVERIFY2(start >= 0, command.name);
        const QString block = zsh.mid(start, zsh.indexOf(QLatin1String(";;"), start) - start);
        for (const CliOptionSpec *option : cliOptionsOf(cliCommandBit(command.command)))
            QVERIFY2(block.contains(QLatin1Char('\'') + QLatin1String(option->name))
                    || block.contains(QLatin1String("'*") + QLatin1String(option->name)),
                qPrintable(QStringLiteral("%1 %2").arg(command.name, option->name)));
        QVERIFY2(!block.contains(QLatin1String("'--csv")) || command.command == CliOptions::Command::Run,
            command.name);
    }
    // Syntax, where zsh is installed (scripts/deps.sh installs it).
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write(zsh.toUtf8());
    file.flush();
    QProcess shell;
    shell.start(QStringLiteral("zsh"), { QStringLiteral("-n"), file.fileName() });
    if (!shell.waitForStarted())
        QSKIP("zsh is not installed");
    QVERIFY(shell.waitForFinished(30000));
    QVERIFY2(shell.exitCode() == 0, shell.readAllStandardError().constData());
}

void TestCliDocs::manPageNamesEverything()
{
    const QString man = cliManPage(QStringLiteral("9.9.9"));
    QVERIFY(man.contains(QLatin1String(".TH PIXELPERF\\-CLI 1 \"\" \"PixelPerf 9.9.9\"")));
    auto roffName = [](QString name) { return name.replace(QLatin1Char('-'), QLatin1String("\\-")); };
    for (const CliOptionSpec &option : cliOptionTable()) {
        QVERIFY2(man.contains(QStringLiteral("\\fB%1\\fR").arg(roffName(QLatin1String(option.name)))),
            option.name);
        if (option.alias)
            QVERIFY2(man.contains(QStringLiteral("\\fB%1\\fR").arg(roffName(QLatin1String(option.alias)))),
                option.alias);
    }
    for (const CliCommandSpec &command : cliCommandTable())
        QVERIFY(man.contains(QStringLiteral(".TP\n\\fB%1\\fR").arg(roffName(QLatin1String(command.name)))));
    for (const ToggleInfo &toggle : toggleTable())
        QVERIFY(man.contains(QStringLiteral(".TP\n\\fB%1\\fR").arg(roffName(QLatin1String(toggle.key)))));
    // No line starts a request by accident (".jpg" at a line's start would be one).
    for (const QString &line : man.split(QLatin1Char('\n'))) {
        static const QRegularExpression request(QStringLiteral("^\\.(\\\\\"|[A-Za-z]{1,2}\\b)"));
        if (line.startsWith(QLatin1Char('.')))
            QVERIFY2(request.match(line).hasMatch(), qPrintable(line));
    }
}

QTEST_GUILESS_MAIN(TestCliDocs)
#include "tst_clidocs.moc"
