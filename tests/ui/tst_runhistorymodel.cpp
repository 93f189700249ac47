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
    void repetitionsShowTheirMedians();
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
    QCOMPARE(h.entry(0).preset, QStringLiteral("naive")); // all off: "baseline" is naive's old name
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

void TestRunHistoryModel::repetitionsShowTheirMedians()
{
    // Three measured repetitions, the last the slowest, and a cancelled one
    // that does not count: Wall and Img/s are the medians, 2.00 s and 20.
    auto rep = [](double wallMs, bool cancelled) {
        RunResult r;
        r.summary.imagesTotal = r.summary.imagesOk = 40;
        r.summary.wallMs = wallMs;
        r.summary.imagesPerSecond = 40.0 / (wallMs / 1000.0);
        r.summary.cancelled = cancelled;
        return r;
    };
    auto repeats = std::make_shared<const std::vector<RunResult>>(
        std::vector<RunResult> { rep(1000, false), rep(2000, false), rep(100, true), rep(4000, false) });
    RunHistoryModel h;
    h.add(std::make_shared<const RunResult>(repeats->back()), repeats);
    QCOMPARE(h.data(h.index(0, RunHistoryModel::WallColumn)).toString(), QStringLiteral("2.00 s"));
    QCOMPARE(h.data(h.index(0, RunHistoryModel::RateColumn)).toString(), QStringLiteral("20.0"));
    QVERIFY(h.data(h.index(0, RunHistoryModel::WallColumn), Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("medians of 3")));
    // One run alone: its own figures.
    h.add(std::make_shared<const RunResult>(rep(4000, false)));
    QCOMPARE(h.data(h.index(1, RunHistoryModel::WallColumn)).toString(), QStringLiteral("4.00 s"));
    QCOMPARE(h.data(h.index(1, RunHistoryModel::RateColumn)).toString(), QStringLiteral("10.0"));
}

QTEST_GUILESS_MAIN(TestRunHistoryModel)
#include "tst_runhistorymodel.moc"
