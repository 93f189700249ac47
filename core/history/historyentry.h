// Plain records of the run history (historystore.h): one row of its list,
// the list's filter, one point of a trend.
#pragma once

#include "measure/statistics.h"
#include "pipeline/pipelineconfig.h"

#include <QDateTime>
#include <QString>

#include <vector>

namespace pixelperf {

struct HistoryRunEntry {
    qint64 id = 0;
    QDateTime startedAt; // with its UTC offset
    QString folder; // the input folder, absolute
    QString preset; // the preset the toggles match, or "custom"
    QString toggles; // "optimized" or "optimized, off: separable-blur" (configurationText)
    QString configKey; // the same configuration, whatever its folders (configurationKey)
    int images = 0; // processed in the last repetition
    int imagesFailed = 0;
    int repetitions = 1;
    bool cancelled = false;
    // Medians over the measured repetitions.
    double msPerImage = 0;
    double imagesPerSecond = 0;
    qint64 peakRssBytes = 0;
    QString appVersion;
    QString gitRevision;
    QString host;
    QString name; // given by the user; empty: none
    QString note;
};

struct HistoryFilter {
    QString folder; // empty: any; else this folder (made absolute)
    QString preset; // empty: any
    QDateTime from; // invalid: no bound
    QDateTime to;
    int limit = 0; // 0: all
    int offset = 0; // paging: skip this many of the newest
};

// A run of one configuration on one folder over time, with its noise band.
struct TrendPoint {
    qint64 runId = 0;
    QDateTime startedAt;
    QString appVersion;
    QString gitRevision;
    Spread imagesPerSecond; // over the run's measured repetitions
    Spread peakRssBytes;
};

// Where a compared run came from: this history (runId) or a report file.
struct HistorySource {
    qint64 runId = 0;
    QString file;
};

struct HistoryAblationEntry {
    qint64 id = 0;
    QDateTime startedAt;
    QString folder;
    QString preset;
    int rounds = 0;
    bool cancelled = false;
    QString name;
};

struct HistoryComparisonEntry {
    qint64 id = 0;
    QDateTime recordedAt;
    QString labelA;
    QString labelB;
    qint64 runA = 0; // 0: a report file, or a run since deleted
    qint64 runB = 0;
    double speedup = 0;
    QString verdict;
    QString sourceA; // the report file compared, when it was one
    QString sourceB;
};

// "optimized" / "optimized, off: separable-blur, on: lanczos": the preset
// nearest the toggles and how they differ from it.
QString configurationText(const PipelineConfig &config);
// A key equal for two runs of the same configuration (toggles, parameters),
// whatever their folders.
QString configurationKey(const PipelineConfig &config);
// A folder as the history keys it: absolute and clean.
QString historyFolder(const QString &folder);

} // namespace pixelperf
