// The session's run history: entries in order, a pinned comparison.
#include "runhistorymodel.h"

#include <QSignalSpy>
#include <QTest>

using namespace pixelperf;

class TestRunHistoryModel : public QObject
{
    Q_OBJECT
private slots:
    void pinsAComparison();
};

void TestRunHistoryModel::pinsAComparison()
{
    RunHistoryModel h;
    QVERIFY(!h.comparison());
    auto run = [](const char *preset, bool cancelled) {
        auto r = std::make_shared<RunResult>();
        r->config.toggles = *presetToggles(QLatin1String(preset));
        r->summary.imagesTotal = 4;
        r->summary.imagesOk = cancelled ? 1 : 4;
        r->summary.cancelled = cancelled;
        return std::shared_ptr<const RunResult>(r);
    };
    QCOMPARE(h.add(run("baseline", false)), 0);
    QCOMPARE(h.add(run("optimized", true)), 1);
    QCOMPARE(h.entry(0).preset, QStringLiteral("baseline"));
    QCOMPARE(h.entry(1).number, 2);
    QVERIFY(h.data(h.index(1, RunHistoryModel::NoteColumn)).toString().contains(QStringLiteral("cancelled")));
    QCOMPARE(h.comparison()->number, 2); // nothing pinned: the latest

    QSignalSpy pinned(&h, &RunHistoryModel::pinnedChanged);
    h.setPinnedRow(0);
    QCOMPARE(pinned.count(), 1);
    QCOMPARE(h.comparison()->number, 1);
    QVERIFY(h.data(h.index(0, RunHistoryModel::NoteColumn)).toString().contains(QStringLiteral("pinned")));
    h.setPinnedRow(7); // out of range: unpins
    QCOMPARE(h.pinnedRow(), -1);
}

QTEST_GUILESS_MAIN(TestRunHistoryModel)
#include "tst_runhistorymodel.moc"
