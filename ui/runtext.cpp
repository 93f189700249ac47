#include "runtext.h"

#include "measure/statistics.h"
#include "pipeline/toggles.h"
#include "runhistorymodel.h"
#include "units.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace pixelperf {

namespace {

QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("RunText", text, nullptr, n);
}

QString failedNote(const RunSummary &s)
{
    return s.imagesFailed ? tr(" — %n failed, see the file list", s.imagesFailed) : QString();
}

} // namespace

QString runTitle(int number, const QString &preset, const RunSummary &s)
{
    // A load served from the decode cache is no decode: said where the time is shown.
    const QString cached = s.imagesFromCache > 0
        ? tr(" · %1 of %2 loads from the decode cache (%3 held from the warm-ups)")
              .arg(s.imagesFromCache)
              .arg(s.imagesTotal)
              .arg(formatBytes(s.decodeCacheBytes))
        : QString();
    return tr("Run %1 · %2 · %n worker(s) · %3%4%5", s.workers)
        .arg(number)
        .arg(preset, formatSeconds(s.wallMs / 1000.0), s.cancelled ? tr(" · cancelled") : QString(), cached);
}

QString liveRunTitle(
    int number, const QString &batch, const PipelineConfig &config, const RepetitionProgress &p)
{
    const int jobs = config.isOn(ToggleId::Parallel) ? config.params.effectiveJobs() : 1;
    const bool repeated = p.totalRuns > 1;
    const QString which = !repeated ? tr("running")
        : p.run < 0                 ? tr("starting")
        : p.warmup                  ? tr("warm-up %1 of %2").arg(p.number).arg(p.of)
                                    : tr("repetition %1 of %2").arg(p.number).arg(p.of);
    return tr("Run %1%2 · %3 · %n worker(s) · %4…", jobs)
        .arg(number)
        .arg(batch, presetNameFor(config.toggles), which);
}

QString liveProgressFormat(const RepetitionProgress &p)
{
    if (p.totalRuns <= 1 || p.run < 0)
        return tr("%v/%m images");
    return tr("%1 %2/%3: %v/%m images").arg(p.warmup ? tr("warm-up") : tr("rep.")).arg(p.number).arg(p.of);
}

QString runFinishedMessage(int number, const RunResult &result, const std::vector<RunResult> *repeats,
    const QString &repetitionLabel)
{
    const RunSummary &s = result.summary;
    const QString preset = presetNameFor(result.config.toggles);
    // A repetition after the first could not start: the ones before ran and
    // are what the window shows.
    if (!result.ok() && repeats && !repeats->empty())
        return tr("Run %1 stopped after %2 measured repetition(s), shown; the next could not run: %3")
            .arg(number)
            .arg(repeats->size())
            .arg(result.fatalError);
    if (!result.ok())
        return tr("Run %1 could not run: %2").arg(number).arg(result.fatalError);
    if (s.cancelled)
        return tr("Run %1 cancelled%2: %3 of %4 images processed; no partial outputs left.")
            .arg(number)
            .arg(repetitionLabel.isEmpty() ? QString() : tr(" in %1").arg(repetitionLabel))
            .arg(s.imagesOk)
            .arg(s.imagesTotal);
    if (repeats && repeats->size() > 1) {
        std::vector<double> walls;
        for (const RunResult &r : *repeats)
            walls.push_back(r.summary.wallMs);
        const Spread wall = spreadOf(walls);
        return tr("Run %1 (%2): %3 repetitions of %4 images, wall median %5 (%6 to %7)%8")
            .arg(number)
            .arg(preset)
            .arg(repeats->size())
            .arg(s.imagesTotal)
            .arg(formatSeconds(wall.median / 1000.0), formatSeconds(wall.min / 1000.0),
                formatSeconds(wall.max / 1000.0), failedNote(s));
    }
    return tr("Run %1 (%2): %3 of %4 images in %5, %6 images/s, peak RSS %7%8")
        .arg(number)
        .arg(preset)
        .arg(s.imagesOk)
        .arg(s.imagesTotal)
        .arg(formatSeconds(s.wallMs / 1000.0))
        .arg(s.imagesPerSecond, 0, 'f', 2)
        .arg(formatBytes(s.peakRssBytes), failedNote(s));
}

ComparisonLabel comparisonLabel(const RunEntry &cmp, const ToggleSet *shown, const QString &currentFolder)
{
    // Which toggles the two runs differ in: what the comparison measures.
    QStringList differ;
    if (shown) {
        for (const ToggleInfo &info : toggleTable()) {
            if (shown->isOn(info.id) != cmp.result->config.toggles.isOn(info.id))
                differ << QStringLiteral("%1 %2").arg(
                    shown->isOn(info.id) ? QStringLiteral("+") : QStringLiteral("−"),
                    QLatin1String(info.key));
        }
    }
    QStringList notes { cmp.preset };
    if (cmp.folder != currentFolder)
        notes << tr("on %1").arg(QFileInfo(cmp.folder).fileName());
    if (shown)
        notes << (differ.isEmpty() ? tr("same toggles") : tr("%n toggle(s) differ", int(differ.size())));
    ComparisonLabel out;
    out.label = tr("run %1 (%2)").arg(cmp.number).arg(notes.join(QStringLiteral(", ")));
    if (!differ.isEmpty())
        out.details = tr("This run against run %1, toggle by toggle (+ on here, − off here):\n%2")
                          .arg(cmp.number)
                          .arg(differ.join(QLatin1Char('\n')));
    return out;
}

} // namespace pixelperf
