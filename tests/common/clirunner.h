// Runs pixelperf-cli (or a shell around it) as a user or a CI job does, for
// the CLI tests. PIXELPERF_CLI_PATH comes from CMake.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <functional>

#ifndef PIXELPERF_TIME_SCALE
#define PIXELPERF_TIME_SCALE 1
#endif

namespace pixelperf::testing {

// Sanitizer builds run several times slower; time limits scale with them.
constexpr int TimeScale = PIXELPERF_TIME_SCALE;

struct ProgramRun {
    int exitCode = -1; // -1 unless it exited normally
    bool crashed = false;
    bool timedOut = false;
    QString out;
    QString err;
};

// childSetup runs in the child between fork and exec (async-signal-safe
// calls only): dropping privileges, resource limits.
inline ProgramRun runProgram(const QString &program, const QStringList &args,
    const std::function<void()> &childSetup = {}, int timeoutMs = 300000)
{
    QProcess p;
    p.setProgram(program);
    p.setArguments(args);
    if (childSetup)
        p.setChildProcessModifier(childSetup);
    ProgramRun r;
    p.start();
    if (!p.waitForStarted()) {
        r.err = p.errorString();
        return r;
    }
    if (!p.waitForFinished(timeoutMs)) {
        r.timedOut = true;
        p.kill();
        p.waitForFinished();
    }
    r.crashed = p.exitStatus() != QProcess::NormalExit && !r.timedOut;
    if (!r.crashed && !r.timedOut)
        r.exitCode = p.exitCode();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

inline ProgramRun runCli(const QStringList &args, const std::function<void()> &childSetup = {})
{
    return runProgram(QStringLiteral(PIXELPERF_CLI_PATH), args, childSetup);
}

// For failure messages: how it ended and what it said.
inline QByteArray describe(const ProgramRun &r)
{
    const QString how = r.timedOut ? QStringLiteral("timed out")
        : r.crashed                ? QStringLiteral("crashed")
                                   : QStringLiteral("exit code %1").arg(r.exitCode);
    return (how + QStringLiteral("\n--- stderr:\n") + r.err + QStringLiteral("--- stdout:\n") + r.out)
        .toUtf8();
}

inline QJsonObject readJsonFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

} // namespace pixelperf::testing
