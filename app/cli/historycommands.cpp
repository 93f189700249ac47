#include "historycommands.h"

#include "history/historystore.h"
#include "measure/ablation.h"
#include "measure/runcomparison.h"
#include "reports/units.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstdio>

namespace pixelperf {

namespace {

void printLine(FILE *stream, const QString &text)
{
    std::fprintf(stream, "%s\n", text.toLocal8Bit().constData());
}

QString historyPath(const CliOptions &o)
{
    return o.dbPath.isEmpty() ? defaultHistoryPath() : o.dbPath;
}

// Opens the history for storing; false (said on stderr) when it cannot be used.
bool openForStoring(const CliOptions &o, HistoryStore &store)
{
    if (o.noHistory)
        return false;
    if (store.open(historyPath(o)))
        return true;
    printLine(stderr, QStringLiteral("pixelperf-cli: %1; history off: this is not kept").arg(store.error()));
    return false;
}

// Opens the history for reading; one of an older schema is migrated first,
// as storing a run would. Why it cannot be read; empty when it is open.
QString openForReading(const CliOptions &o, HistoryStore &store)
{
    if (store.open(historyPath(o), HistoryStore::Access::ReadOnly) || !store.foundOlderSchema())
        return store.error();
    {
        HistoryStore migrating;
        if (!migrating.open(historyPath(o)))
            return QStringLiteral("%1; migrating it: %2").arg(store.error(), migrating.error());
    }
    store.open(historyPath(o), HistoryStore::Access::ReadOnly);
    return store.error();
}

void reportStored(const CliOptions &o, HistoryStore &store, const std::optional<qint64> &id, const char *what)
{
    if (!id)
        printLine(
            stderr, QStringLiteral("pixelperf-cli: %1; history off: this is not kept").arg(store.error()));
    else if (!o.quiet)
        printLine(stdout,
            QStringLiteral("stored: %1 %2 in %3").arg(QLatin1String(what)).arg(*id).arg(store.path()));
}

QJsonObject entryJson(const HistoryRunEntry &e)
{
    return QJsonObject {
        { QStringLiteral("id"), double(e.id) },
        { QStringLiteral("started_at"), e.startedAt.toString(Qt::ISODateWithMs) },
        { QStringLiteral("folder"), e.folder },
        { QStringLiteral("preset"), e.preset },
        { QStringLiteral("toggles"), e.toggles },
        { QStringLiteral("config_key"), e.configKey },
        { QStringLiteral("images"), e.images },
        { QStringLiteral("images_failed"), e.imagesFailed },
        { QStringLiteral("repetitions"), e.repetitions },
        { QStringLiteral("cancelled"), e.cancelled },
        { QStringLiteral("ms_per_image"), e.msPerImage },
        { QStringLiteral("images_per_second"), e.imagesPerSecond },
        { QStringLiteral("peak_rss_bytes"), double(e.peakRssBytes) },
        { QStringLiteral("app_version"), e.appVersion },
        { QStringLiteral("git_revision"), e.gitRevision },
        { QStringLiteral("host"), e.host },
        { QStringLiteral("name"), e.name },
        { QStringLiteral("note"), e.note },
    };
}

void printEntries(const std::vector<HistoryRunEntry> &entries)
{
    // The folder and toggles columns as wide as their longest value.
    int folderWidth = 6, togglesWidth = 14;
    for (const HistoryRunEntry &e : entries) {
        folderWidth = std::max(folderWidth, int(e.folder.size()));
        togglesWidth = std::max(togglesWidth, int(e.toggles.size()));
    }
    const QString format = QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8");
    printLine(stdout,
        format.arg(QStringLiteral("id").rightJustified(5), QStringLiteral("date").leftJustified(16),
            QStringLiteral("folder").leftJustified(folderWidth),
            QStringLiteral("preset/toggles").leftJustified(togglesWidth),
            QStringLiteral("images").rightJustified(6), QStringLiteral("ms/image").rightJustified(9),
            QStringLiteral("peak RSS").rightJustified(10), QStringLiteral("name")));
    for (const HistoryRunEntry &e : entries) {
        const QString images = QString::number(e.images)
            + (e.repetitions > 1 ? QStringLiteral("x%1").arg(e.repetitions) : QString());
        printLine(stdout,
            format.arg(QString::number(e.id).rightJustified(5),
                e.startedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                e.folder.leftJustified(folderWidth), e.toggles.leftJustified(togglesWidth),
                images.rightJustified(6), QString::number(e.msPerImage, 'f', 2).rightJustified(9),
                mibText(double(e.peakRssBytes)).rightJustified(10),
                e.name + (e.cancelled ? QStringLiteral(" (cancelled)") : QString())));
    }
}

QJsonObject comparisonJson(const HistoryComparisonEntry &e)
{
    auto run = [](qint64 id) { return id > 0 ? QJsonValue(double(id)) : QJsonValue(); };
    return QJsonObject {
        { QStringLiteral("id"), double(e.id) },
        { QStringLiteral("recorded_at"), e.recordedAt.toString(Qt::ISODateWithMs) },
        { QStringLiteral("label_a"), e.labelA },
        { QStringLiteral("label_b"), e.labelB },
        { QStringLiteral("run_a"), run(e.runA) },
        { QStringLiteral("run_b"), run(e.runB) },
        { QStringLiteral("source_a"), e.sourceA },
        { QStringLiteral("source_b"), e.sourceB },
        { QStringLiteral("speedup"), e.speedup },
        { QStringLiteral("verdict"), e.verdict },
    };
}

// A side as the list shows it: the run's id, else the file's name, else
// "deleted" (its run was deleted since).
QString comparedSideText(qint64 run, const QString &file)
{
    if (run > 0)
        return QStringLiteral("run %1").arg(run);
    return file.isEmpty() ? QStringLiteral("(deleted)") : QFileInfo(file).fileName();
}

int printComparisons(const CliOptions &o, HistoryStore &store)
{
    const std::optional<std::vector<HistoryComparisonEntry>> entries = store.listComparisons(o.historyLimit);
    if (!entries) {
        printLine(stderr, QStringLiteral("pixelperf-cli: %1").arg(store.error()));
        return 2;
    }
    QJsonArray array;
    const QString format = QStringLiteral("%1  %2  %3  %4  %5  %6");
    if (!o.json)
        printLine(stdout,
            format.arg(QStringLiteral("id").rightJustified(5), QStringLiteral("date").leftJustified(16),
                QStringLiteral("A").leftJustified(20), QStringLiteral("B").leftJustified(20),
                QStringLiteral("speedup").rightJustified(8), QStringLiteral("verdict (labels)")));
    for (const HistoryComparisonEntry &e : *entries) {
        array.append(comparisonJson(e));
        if (!o.json)
            printLine(stdout,
                format.arg(QString::number(e.id).rightJustified(5),
                    e.recordedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                    comparedSideText(e.runA, e.sourceA).leftJustified(20),
                    comparedSideText(e.runB, e.sourceB).leftJustified(20),
                    QStringLiteral("%1x").arg(e.speedup, 0, 'f', 2).rightJustified(8),
                    QStringLiteral("%1 (%2 vs %3)").arg(e.verdict, e.labelA, e.labelB)));
    }
    if (o.json)
        std::fputs(QJsonDocument(array).toJson().constData(), stdout);
    return 0;
}

// A compared side named by the user: a run id when no file has that name.
std::optional<qint64> runIdOf(const QString &argument)
{
    bool ok = false;
    const qint64 id = argument.toLongLong(&ok);
    if (!ok || id <= 0 || QFileInfo::exists(argument))
        return std::nullopt;
    return id;
}

// Own peak RSS (without the decode cache held from warm-ups) of each measured repetition.
std::vector<double> peakRssSamples(const LoadedReport &report)
{
    std::vector<double> samples;
    for (const RunResult *r : measuredRepetitions(report.repeats))
        samples.push_back(double(r->summary.ownPeakRssBytes()));
    if (report.repeats.empty())
        samples.push_back(double(report.run.summary.ownPeakRssBytes()));
    return samples;
}

double percentMore(double a, double b)
{
    return a > 0 ? (b / a - 1) * 100 : 0;
}

} // namespace

int commandHistory(const CliOptions &o)
{
    if (!QFileInfo::exists(historyPath(o))) { // nothing kept yet: an empty list, not an error
        printLine(stderr, QStringLiteral("pixelperf-cli: no run kept yet in %1").arg(historyPath(o)));
        if (o.json)
            std::fputs("[]\n", stdout);
        return 0;
    }
    HistoryStore store;
    if (const QString problem = openForReading(o, store); !problem.isEmpty()) {
        printLine(stderr, QStringLiteral("pixelperf-cli: %1").arg(problem));
        return 2;
    }
    if (o.historyComparisons)
        return printComparisons(o, store);
    HistoryFilter filter;
    filter.folder = o.historyFolder;
    filter.preset = o.historyPreset;
    filter.limit = o.historyLimit;
    const std::optional<std::vector<HistoryRunEntry>> entries = store.listRuns(filter);
    if (!entries) {
        printLine(stderr, QStringLiteral("pixelperf-cli: %1").arg(store.error()));
        return 2;
    }
    if (o.json) {
        QJsonArray array;
        for (const HistoryRunEntry &e : *entries)
            array.append(entryJson(e));
        std::fputs(QJsonDocument(array).toJson().constData(), stdout);
    } else {
        printEntries(*entries);
    }
    return 0;
}

void storeRunInHistory(const CliOptions &o, const RunResult &last, const std::vector<RunResult> &repeats)
{
    HistoryStore store;
    if (openForStoring(o, store))
        reportStored(o, store, store.addRun(last, repeats), "run");
}

void storeAblationInHistory(const CliOptions &o, const AblationResult &result)
{
    HistoryStore store;
    if (openForStoring(o, store))
        reportStored(o, store, store.addAblation(result), "ablation");
}

void storeComparisonInHistory(
    const CliOptions &o, const RunComparison &comparison, const HistorySource &a, const HistorySource &b)
{
    HistoryStore store;
    CliOptions quiet = o;
    quiet.quiet = true; // the comparison's Markdown is the output: nothing after it
    if (openForStoring(o, store))
        reportStored(quiet, store, store.addComparison(comparison, a, b), "comparison");
}

LoadedReport loadComparedSide(const CliOptions &o, int index, HistorySource *source)
{
    const QString argument = o.reports.value(index);
    const std::optional<qint64> id = runIdOf(argument);
    if (!id) {
        source->file = QFileInfo(argument).absoluteFilePath();
        return readReportFile(argument);
    }
    source->runId = *id;
    HistoryStore store;
    if (const QString problem = openForReading(o, store); !problem.isEmpty()) {
        LoadedReport r;
        r.error
            = QStringLiteral("'%1' is neither a file nor a run of the history: %2").arg(argument, problem);
        return r;
    }
    return store.readRun(*id);
}

std::pair<QString, QString> comparedLabels(const CliOptions &o)
{
    auto label = [&](int index, const QString &given) {
        if (!given.isEmpty())
            return given;
        const QString argument = o.reports.value(index);
        return runIdOf(argument) ? QStringLiteral("run %1").arg(argument)
                                 : QFileInfo(argument).completeBaseName();
    };
    std::pair<QString, QString> labels { label(0, o.labelA), label(1, o.labelB) };
    if (labels.first == labels.second) {
        labels.first += QStringLiteral(" (A)");
        labels.second += QStringLiteral(" (B)");
    }
    return labels;
}

namespace {

// --fail-if-slower: B slower per image by the comparison's own verdict (its
// rank test, Holm's correction, its noise floor) and by more than PCT.
bool slowerThanAllowed(const CliOptions &o, const RunComparison &c)
{
    const double slower = percentMore(c.msPerImageA.median, c.msPerImageB.median);
    if (c.verdict == Verdict::TooFewSamples || c.verdict == Verdict::NotCompared) {
        printLine(stderr,
            QStringLiteral("pixelperf-cli: --fail-if-slower: no verdict (%1 and %2 measured "
                           "repetitions; a verdict needs %3 a side): not failing")
                .arg(c.msPerImageA.n)
                .arg(c.msPerImageB.n)
                .arg(MinimumSamples));
        return false;
    }
    if (c.verdict != Verdict::Slower || slower <= o.failIfSlowerPct)
        return false;
    // The stages that regressed by their own test; else those slower by more
    // than PCT, said to be untested alone (too few repetitions for Holm's correction).
    QStringList significant, larger;
    for (const StageComparison &s : c.stages) {
        const double stageSlower = percentMore(s.a.median, s.b.median);
        if (stageSlower <= o.failIfSlowerPct || s.noteA.size() + s.noteB.size() > 0)
            continue;
        const QString text
            = QStringLiteral("%1 +%2 %").arg(QLatin1String(stageName(s.stage))).arg(stageSlower, 0, 'f', 1);
        if (s.verdict == Verdict::Slower)
            significant << text + QStringLiteral(" (p = %1)").arg(s.p, 0, 'g', 2);
        else
            larger << text;
    }
    const QString stages = !significant.isEmpty()
        ? QStringLiteral("stages: ") + significant.join(QStringLiteral(", "))
        : QStringLiteral("no stage is significantly slower on its own (per-stage verdicts need more "
                         "repetitions); slower by more than %1 %: %2")
              .arg(o.failIfSlowerPct)
              .arg(larger.isEmpty() ? QStringLiteral("none") : larger.join(QStringLiteral(", ")));
    printLine(stderr,
        QStringLiteral("pixelperf-cli: regression: %1 is %2 % slower per image than %3 "
                       "(p = %4, beyond the noise), more than the %5 % allowed; %6")
            .arg(c.labelB)
            .arg(slower, 0, 'f', 1)
            .arg(c.labelA)
            .arg(c.p, 0, 'g', 2)
            .arg(o.failIfSlowerPct)
            .arg(stages));
    return true;
}

// --fail-if-more-memory: the same test on each repetition's own peak RSS.
bool largerThanAllowed(
    const CliOptions &o, const RunComparison &c, const LoadedReport &a, const LoadedReport &b)
{
    const std::vector<double> rssA = peakRssSamples(a), rssB = peakRssSamples(b);
    // As for time: no verdict when the repetitions of a side all shared one process.
    const Verdict v = c.independentSamples
        ? verdictOf(rssA, rssB, mannWhitney(rssA, rssB).p, 0.05, c.minimumEffect)
        : Verdict::TooFewSamples;
    const double more = percentMore(median(rssA), median(rssB));
    if (v == Verdict::TooFewSamples) {
        printLine(stderr,
            QStringLiteral("pixelperf-cli: --fail-if-more-memory: no verdict (a verdict needs %1 "
                           "measured repetitions a side, each in a process of its own): not failing")
                .arg(MinimumSamples));
        return false;
    }
    if (v != Verdict::Slower || more <= o.failIfMoreMemoryPct)
        return false;
    printLine(stderr,
        QStringLiteral("pixelperf-cli: regression: %1's peak RSS is %2 % larger than %3's "
                       "(%4 -> %5, beyond the noise), more than the %6 % allowed")
            .arg(c.labelB)
            .arg(more, 0, 'f', 1)
            .arg(c.labelA)
            .arg(mibText(median(rssA)), mibText(median(rssB)))
            .arg(o.failIfMoreMemoryPct));
    return true;
}

} // namespace

int regressionGate(const CliOptions &o, const RunComparison &c, const LoadedReport &a, const LoadedReport &b)
{
    const bool slower = o.failIfSlowerPct >= 0 && slowerThanAllowed(o, c);
    const bool larger = o.failIfMoreMemoryPct >= 0 && largerThanAllowed(o, c, a, b);
    return slower || larger ? 1 : 0;
}

} // namespace pixelperf
