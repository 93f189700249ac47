// What the report says about the machine and the build.
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace pixelperf {

struct RunResult;

QString appVersion(); // e.g. "0.1.0"
QString gitRevision(); // short hash, or empty when unknown
// The machine and the build, with the time and the load average of when
// this process started (what the process made is of then).
QJsonObject environmentJson();
// The same with the time and the load average of now: a run takes it as it
// starts (RunResult::environment).
QJsonObject environmentNow();
// `environment` with `at` as its started_at: a plan of repetitions reads
// the machine once, and each repetition says when it started itself.
QJsonObject environmentStartedAt(QJsonObject environment, const QDateTime &at);
// The environment `run` was measured in: its own, taken when it started or
// read from its report; this process's for a run that has none. A report
// exported later, or on another machine, still says where the run ran.
QJsonObject environmentOf(const RunResult &run);

} // namespace pixelperf
