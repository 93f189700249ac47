#include "jobtracker.h"

#include <new>

namespace pixelperf {

JobTracker::JobTracker(QObject *owner)
    : QObject(owner)
{ }

JobTracker::~JobTracker()
{
    stop();
}

void JobTracker::stop()
{
    if (m_stop)
        m_stop->store(true);
}

void JobTracker::drop()
{
    stopCurrent();
    ++m_current;
    m_running = false;
}

void JobTracker::stopCurrent()
{
    // A superseded job need not finish its work: nobody reads it.
    stop();
    m_stop.reset();
}

quint64 JobTracker::begin()
{
    stopCurrent();
    m_stop = std::make_shared<std::atomic<bool>>(false);
    m_running = true;
    return ++m_current;
}

void JobTracker::watchProgress(QFutureWatcherBase *watcher, quint64 id)
{
    auto report = [this, watcher, id] {
        if (id == m_current)
            emit progress(watcher->progressValue(), watcher->progressMaximum(), watcher->progressText());
    };
    connect(watcher, &QFutureWatcherBase::progressValueChanged, this, report);
    connect(watcher, &QFutureWatcherBase::progressTextChanged, this, report);
}

QString JobTracker::describeException(std::exception_ptr exception)
{
    try {
        std::rethrow_exception(exception);
    } catch (const std::bad_alloc &) {
        return tr("not enough memory");
    } catch (const std::exception &e) {
        return QString::fromLocal8Bit(e.what());
    } catch (...) {
        return tr("an unknown error");
    }
}

} // namespace pixelperf
