#include "comparisonrecorder.h"

#include "historydatabase.h"
#include "runhistorymodel.h"

#include <algorithm>

namespace pixelperf {

ComparisonRecorder::ComparisonRecorder(RunHistoryModel *session, HistoryDatabase *database, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_database(database)
{
    connect(m_session, &RunHistoryModel::stored, this, &ComparisonRecorder::storeReady);
}

void ComparisonRecorder::record(int rowA, int rowB, const RunComparison &comparison)
{
    const int n = m_session->count();
    if (!m_database->isOn() || rowA == rowB || rowA < 0 || rowB < 0 || rowA >= n || rowB >= n)
        return;
    for (int row : { rowA, rowB }) {
        const RunEntry &e = m_session->entry(row);
        if (e.isLoaded() && e.storedId == 0)
            return; // a report file: nothing to reference in the history
    }
    // A pair already waiting (in either order) keeps its first orientation.
    const bool waiting = std::any_of(m_waiting.begin(), m_waiting.end(), [&](const Waiting &w) {
        return (w.rowA == rowA && w.rowB == rowB) || (w.rowA == rowB && w.rowB == rowA);
    });
    if (!waiting)
        m_waiting.push_back({ rowA, rowB, comparison });
    storeReady();
}

QString ComparisonRecorder::label(int row) const
{
    const RunEntry &e = m_session->entry(row);
    return tr("run %1 (%2)").arg(e.storedId).arg(e.preset);
}

void ComparisonRecorder::storeReady()
{
    for (auto it = m_waiting.begin(); it != m_waiting.end();) {
        const qint64 a = m_session->entry(it->rowA).storedId;
        const qint64 b = m_session->entry(it->rowB).storedId;
        if (a == 0 || b == 0) {
            ++it;
            continue;
        }
        const QPair<qint64, qint64> pair(std::min(a, b), std::max(a, b));
        if (!m_kept.contains(pair) && m_database->isOn()) {
            m_kept.insert(pair);
            // Named by their ids, as pixelperf-cli names runs of the history:
            // the session's numbers mean nothing once it is over.
            RunComparison c = it->comparison;
            c.labelA = label(it->rowA);
            c.labelB = label(it->rowB);
            m_database->storeComparison(c, a, b);
        }
        it = m_waiting.erase(it);
    }
}

} // namespace pixelperf
