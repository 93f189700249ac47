#include "pipeline/stages/cancel.h"

namespace pixelperf {

namespace {
thread_local const std::atomic<bool> *t_cancelFlag = nullptr;
} // namespace

bool stageCancelRequested()
{
    const std::atomic<bool> *flag = t_cancelFlag;
    return flag && flag->load(std::memory_order_relaxed);
}

StageCancelScope::StageCancelScope(const std::atomic<bool> *flag)
    : m_previous(t_cancelFlag)
{
    t_cancelFlag = flag;
}

StageCancelScope::~StageCancelScope()
{
    t_cancelFlag = m_previous;
}

} // namespace pixelperf
