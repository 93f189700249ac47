// The comparison table on two synthetic runs: B's blur is twice as fast over
// twelve images, its resize the same; the rows, the speedup, the verdicts and
// the overall row follow core's compareRuns.
#include "comparisontablemodel.h"

#include <QTest>

using namespace pixelperf;

namespace {

// Twelve images; `blurMs` and `resizeMs` with a little deterministic jitter.
RunResult syntheticRun(double blurMs, double resizeMs, double wallMs, int64_t peakRss, bool lanczos)
{
    RunResult r;
    r.config.toggles = *presetToggles(QStringLiteral("optimized"));
    r.config.toggles.set(ToggleId::Lanczos, lanczos);
    for (int i = 0; i < 12; ++i) {
        ImageRecord im;
        im.index = i;
        im.ok = true;
        const double jitter = 1.0 + 0.01 * ((i * 7) % 5);
        im.setStageMs(Stage::Blur, blurMs * jitter);
        im.setStageMs(Stage::Resize, resizeMs * (1.0 + 0.01 * ((i * 3) % 4)));
        r.images.push_back(im);
    }
    r.summary.imagesTotal = r.summary.imagesOk = 12;
    r.summary.wallMs = wallMs;
    r.summary.peakRssBytes = peakRss;
    return r;
}

} // namespace

class TestComparisonTableModel : public QObject
{
    Q_OBJECT
private slots:
    void rowsFollowTheStages();
    void cellsSayTheSpeedupAndVerdict_data();
    void cellsSayTheSpeedupAndVerdict();
    void overallRowAndDifferences();
};

void TestComparisonTableModel::rowsFollowTheStages()
{
    ComparisonTableModel model;
    QCOMPARE(model.rowCount(), 1); // only the overall row
    model.setComparison(compareRuns(
        syntheticRun(20, 5, 400, 100 << 20, false), {}, syntheticRun(10, 5, 200, 80 << 20, true), {}));
    QCOMPARE(model.columnCount(), int(ComparisonTableModel::ColumnCount));
    // resize, blur; brightness and convert, fused into contrast by both
    // runs' configuration, with the reason and no ratio; overall.
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(
        model.data(model.index(0, ComparisonTableModel::StageColumn)).toString(), QStringLiteral("resize"));
    QCOMPARE(
        model.data(model.index(1, ComparisonTableModel::StageColumn)).toString(), QStringLiteral("blur"));
    QCOMPARE(model.data(model.index(2, ComparisonTableModel::StageColumn)).toString(),
        QStringLiteral("brightness"));
    QCOMPARE(model.data(model.index(2, ComparisonTableModel::BColumn)).toString(),
        QStringLiteral("fused into contrast"));
    QCOMPARE(model.data(model.index(2, ComparisonTableModel::SpeedupColumn)).toString(), QStringLiteral("—"));
    QCOMPARE(model.data(model.index(2, ComparisonTableModel::VerdictColumn)).toString(),
        QStringLiteral("not compared"));
    QCOMPARE(
        model.data(model.index(3, ComparisonTableModel::StageColumn)).toString(), QStringLiteral("convert"));
    QCOMPARE(model.overallRow(), 4);
    QCOMPARE(model.headerData(ComparisonTableModel::AColumn, Qt::Horizontal).toString(),
        QStringLiteral("A: median (MAD)"));
    QVERIFY(model.data(model.index(1, ComparisonTableModel::StageColumn), Qt::DecorationRole).isValid());
}

void TestComparisonTableModel::cellsSayTheSpeedupAndVerdict_data()
{
    QTest::addColumn<int>("row");
    QTest::addColumn<QString>("a");
    QTest::addColumn<double>("speedup");
    QTest::addColumn<QString>("verdict");
    // One run each: per-image ratios, but the images of one run are not
    // independent samples, so no verdict either way.
    QTest::newRow("resize: the same")
        << 0 << QStringLiteral("5.1 ms") << 1.0 << QStringLiteral("too few repetitions");
    QTest::newRow("blur: twice as fast")
        << 1 << QStringLiteral("20.4 ms") << 2.0 << QStringLiteral("too few repetitions");
}

void TestComparisonTableModel::cellsSayTheSpeedupAndVerdict()
{
    QFETCH(int, row);
    QFETCH(QString, a);
    QFETCH(double, speedup);
    QFETCH(QString, verdict);
    ComparisonTableModel model;
    model.setComparison(compareRuns(
        syntheticRun(20, 5, 400, 100 << 20, false), {}, syntheticRun(10, 5, 200, 80 << 20, true), {}));
    QVERIFY2(model.data(model.index(row, ComparisonTableModel::AColumn)).toString().startsWith(a),
        qPrintable(model.data(model.index(row, ComparisonTableModel::AColumn)).toString()));
    QVERIFY(
        model.data(model.index(row, ComparisonTableModel::AColumn)).toString().contains(QStringLiteral("±")));
    QCOMPARE(
        qRound(
            model.data(model.index(row, ComparisonTableModel::SpeedupColumn), ComparisonTableModel::ValueRole)
                .toDouble()
            * 10),
        qRound(speedup * 10));
    QCOMPARE(model.data(model.index(row, ComparisonTableModel::VerdictColumn)).toString(), verdict);
    QCOMPARE(model.data(model.index(row, ComparisonTableModel::PColumn)).toString(), QStringLiteral("—"));
}

void TestComparisonTableModel::overallRowAndDifferences()
{
    ComparisonTableModel model;
    model.setComparison(compareRuns(
        syntheticRun(20, 5, 400, 100 << 20, false), {}, syntheticRun(10, 5, 200, 80 << 20, true), {}));
    const int row = model.overallRow();
    QCOMPARE(model.data(model.index(row, ComparisonTableModel::SpeedupColumn)).toString(),
        QStringLiteral("2.00×"));
    // One wall time each: no significance test, and no spread.
    QCOMPARE(model.data(model.index(row, ComparisonTableModel::VerdictColumn)).toString(),
        QStringLiteral("too few repetitions"));
    QVERIFY(model.comparison().headline().contains(QStringLiteral("spread unknown")));
    QCOMPARE(model.data(model.index(row, ComparisonTableModel::PColumn)).toString(), QStringLiteral("—"));
    QCOMPARE(model.comparison().peakRssDelta, -(int64_t(20) << 20));
    QCOMPARE(model.comparison().toggleDifferences.size(), 1);
    QVERIFY(model.comparison().toggleDifferences.first().contains(QStringLiteral("lanczos")));
}

QTEST_MAIN(TestComparisonTableModel)
#include "tst_comparisontablemodel.moc"
