// One piece of long work at a time for a window part, off the GUI thread:
// start(work, done) runs `work` on the thread pool and hands its result to
// `done` on the GUI thread. A job superseded by a later start() keeps running
// to its end but its result is dropped, so a slow old listing never
// overwrites a new one; a job whose tracker (and so its owner) is gone
// delivers nothing. The work sees only what it captured and a JobControl:
// it asks whether to stop and reports progress, which arrives queued.
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

namespace pixelperf {

// What the work sees of its job.
class JobControl
{
public:
    JobControl(std::shared_ptr<const std::atomic<bool>> stop, std::function<void(int, int)> report)
        : m_stop(std::move(stop))
        , m_report(std::move(report))
    { }
    bool stopRequested() const { return m_stop->load(); }
    void setProgress(int done, int total) const { m_report(done, total); }

private:
    std::shared_ptr<const std::atomic<bool>> m_stop;
    std::function<void(int, int)> m_report;
};

class JobTracker : public QObject
{
    Q_OBJECT
public:
    // The tracker is a child of the part that owns the job: it goes with it.
    explicit JobTracker(QObject *owner);

    bool isRunning() const { return m_running; }
    // Asks the job going to stop (JobControl::stopRequested); its result
    // still arrives, as the work chose to end it.
    void stop();
    // Stops the job going and drops it: its result never arrives.
    void drop();

    // `work(const JobControl &)` returns the result; `done(Result)` takes it
    // on the GUI thread.
    template <typename Work, typename Done> void start(Work work, Done done)
    {
        using Result = std::invoke_result_t<Work, const JobControl &>;
        stopCurrent();
        const quint64 id = ++m_current;
        m_running = true;
        auto stop = std::make_shared<std::atomic<bool>>(false);
        m_stop = stop;
        auto *watcher = new QFutureWatcher<Result>(this);
        connect(watcher, &QFutureWatcherBase::progressValueChanged, this, [this, watcher, id](int value) {
            if (id == m_current)
                emit progress(value, watcher->progressMaximum());
        });
        connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, id, done = std::move(done)] {
            watcher->deleteLater();
            if (id != m_current || watcher->future().resultCount() == 0)
                return; // superseded: a later job's result counts
            m_running = false;
            done(watcher->future().takeResult());
        });
        watcher->setFuture(QtConcurrent::run([work = std::move(work), stop](QPromise<Result> &promise) {
            const JobControl control(stop, [&promise](int value, int total) {
                promise.setProgressRange(0, total);
                promise.setProgressValue(value);
            });
            promise.addResult(work(control));
        }));
    }

signals:
    // The current job's progress, queued from its thread.
    void progress(int done, int total);

private:
    void stopCurrent();

    quint64 m_current = 0;
    bool m_running = false;
    std::shared_ptr<std::atomic<bool>> m_stop;
};

} // namespace pixelperf
