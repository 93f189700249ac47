#include "jobtracker.h"

namespace pixelperf {

JobTracker::JobTracker(QObject *owner)
    : QObject(owner)
{ }

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

} // namespace pixelperf
