// One piece of long work at a time for a window part, off the GUI thread:
// start(work, done) runs `work` on the thread pool and hands its result to
// `done` on the GUI thread. A job superseded by a later start() is asked to
// stop and its result is dropped, so a slow old listing never overwrites a
// new one; a job whose tracker (and so its owner) is gone delivers nothing.
// The work sees only what it captured and a JobControl: it asks whether to
// stop and reports progress, which arrives queued. startStreaming() also
// hands over parts of the result as the work publishes them (each
// measurement of a long series, say), in order, before the result. Work
// that throws ends its job with failed() in place of the result.
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QPromise>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>
#include <variant>

namespace pixelperf {

// What the work sees of its job.
class JobControl
{
public:
    using Report = std::function<void(int done, int total, const QString &label)>;
    JobControl(std::shared_ptr<const std::atomic<bool>> stop, Report report)
        : m_stop(std::move(stop))
        , m_report(std::move(report))
    { }
    bool stopRequested() const { return m_stop->load(); }
    // The flag itself, for core functions that poll one.
    const std::atomic<bool> *stopFlag() const { return m_stop.get(); }
    void setProgress(int done, int total, const QString &label = {}) const { m_report(done, total, label); }

private:
    std::shared_ptr<const std::atomic<bool>> m_stop;
    Report m_report;
};

class JobTracker : public QObject
{
    Q_OBJECT
public:
    // The tracker is a child of the part that owns the job: it goes with it.
    explicit JobTracker(QObject *owner);
    // Asks the job going to stop; it ends on the pool, delivering nothing.
    ~JobTracker() override;

    // The pool the work runs on (none: Qt's global pool); a pool of one
    // thread keeps a part's jobs in order, and off the pool the runs use.
    void setPool(QThreadPool *pool) { m_pool = pool; }

    bool isRunning() const { return m_running; }
    bool isStopping() const { return m_running && m_stop && m_stop->load(); }
    // Asks the job going to stop (JobControl::stopRequested); its result
    // still arrives, as the work chose to end it.
    void stop();
    // Stops the job going and drops it: its result never arrives.
    void drop();

    // `work(const JobControl &)` returns the result; `done(Result)` takes it
    // on the GUI thread.
    template <typename Work, typename Done> void start(Work work, Done done)
    {
        auto parts = [](std::monostate) {};
        startStreaming<std::monostate>(
            [work = std::move(work)](const JobControl &control, const std::function<void(std::monostate)> &) {
                return work(control);
            },
            parts, std::move(done));
    }

    // `work(const JobControl &, const std::function<void(Part)> &publish)`
    // returns the result; each part it publishes reaches `onPart(Part)`, in
    // order, then the result reaches `done(Result)`, all on the GUI thread.
    template <typename Part, typename Work, typename OnPart, typename Done>
    void startStreaming(Work work, OnPart onPart, Done done)
    {
        using Publish = std::function<void(Part)>;
        using Result = std::invoke_result_t<Work, const JobControl &, const Publish &>;
        using Item = std::variant<Part, Result>;
        const quint64 id = begin();
        auto *watcher = new QFutureWatcher<Item>(this);
        watchProgress(watcher, id);
        connect(watcher, &QFutureWatcherBase::resultReadyAt, this, [this, watcher, id, onPart](int index) {
            const Item item = watcher->resultAt(index);
            if (id == m_current && item.index() == 0)
                onPart(std::get<0>(item));
        });
        // What the work threw, written on the pool's thread before its
        // future finishes, read on the GUI thread after.
        auto thrown = std::make_shared<QString>();
        connect(watcher, &QFutureWatcherBase::finished, this,
            [this, watcher, id, thrown, done = std::move(done)] {
                watcher->deleteLater();
                const int count = watcher->future().resultCount();
                if (id != m_current)
                    return; // superseded: a later job's result counts
                m_running = false;
                if (count > 0 && watcher->resultAt(count - 1).index() == 1)
                    done(std::get<1>(watcher->resultAt(count - 1)));
                else
                    emit failed(thrown->isEmpty() ? tr("the work ended without a result") : *thrown);
            });
        watcher->setFuture(QtConcurrent::run(m_pool ? m_pool : QThreadPool::globalInstance(),
            [work = std::move(work), stop = m_stop, thrown](QPromise<Item> &promise) {
                const JobControl control(stop, [&promise](int value, int total, const QString &label) {
                    promise.setProgressRange(0, total);
                    promise.setProgressValueAndText(value, label);
                });
                const Publish publish = [&promise](Part part) {
                    promise.addResult(Item(std::in_place_index<0>, std::move(part)));
                };
                try {
                    promise.addResult(Item(std::in_place_index<1>, work(control, publish)));
                } catch (...) {
                    *thrown = describeException(std::current_exception());
                }
            }));
    }

signals:
    // The current job's progress, queued from its thread.
    void progress(int done, int total, const QString &label);
    // The current job's work threw (out of memory, say) instead of
    // returning: `done` is not called, and the owner says what happened
    // and unlocks what it locked for the job.
    void failed(const QString &message);

private:
    // What an exception says, for the user ("not enough memory" for
    // std::bad_alloc).
    static QString describeException(std::exception_ptr exception);
    // A new job: the one going is asked to stop and will be dropped.
    quint64 begin();
    void watchProgress(QFutureWatcherBase *watcher, quint64 id);
    void stopCurrent();

    quint64 m_current = 0;
    bool m_running = false;
    QThreadPool *m_pool = nullptr;
    std::shared_ptr<std::atomic<bool>> m_stop;
};

} // namespace pixelperf
