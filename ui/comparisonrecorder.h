// Keeps each comparison made in the window in the history database, once
// per pair of runs: the comparison dialog says which two runs of the session
// it shows (each time it computes them: a new pair, a refresh, a swap), and
// the pair is stored when both runs are, referenced by their stored ids. A
// run of this session is stored when it finishes, so the pair may wait for
// it; a run loaded from a report file has no id, and its comparisons are
// not kept. With history off nothing is asked of the database.
#pragma once

#include "measure/runcomparison.h"

#include <QObject>
#include <QPair>
#include <QSet>

#include <vector>

namespace pixelperf {

class HistoryDatabase;
class RunHistoryModel;

class ComparisonRecorder : public QObject
{
    Q_OBJECT
public:
    ComparisonRecorder(RunHistoryModel *session, HistoryDatabase *database, QObject *parent = nullptr);

    // Rows of the session, B compared with A.
    void record(int rowA, int rowB, const pixelperf::RunComparison &comparison);
    // Pairs waiting for a run to be stored.
    int waiting() const { return int(m_waiting.size()); }

private:
    struct Waiting {
        int rowA = -1;
        int rowB = -1;
        RunComparison comparison;
    };
    void storeReady();
    QString label(int row) const;

    RunHistoryModel *m_session;
    HistoryDatabase *m_database;
    std::vector<Waiting> m_waiting;
    QSet<QPair<qint64, qint64>> m_kept; // stored ids, the smaller first: asked once a session
};

} // namespace pixelperf
