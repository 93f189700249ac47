// The presets: which toggles each sets, the old name of "naive", and the
// honest pairs (each seed preset differs from the other by exactly the
// demo's inefficiencies).
#include "pipeline/toggles.h"

#include <QtTest>

using namespace pixelperf;

namespace {

QStringList onKeys(const ToggleSet &set)
{
    QStringList keys;
    for (const ToggleInfo &info : toggleTable())
        if (set.isOn(info.id))
            keys << QLatin1String(info.key);
    return keys;
}

} // namespace

class TestPresets : public QObject
{
    Q_OBJECT

private slots:
    void namesInOrder();
    void presetToggles_data();
    void presetToggles();
    void baselineIsNaive();
    void seedPairDiffersByTheDemosInefficiencies();
    void unknownPresetRefused();
    void descriptionNamesEveryPreset();
};

void TestPresets::namesInOrder()
{
    QCOMPARE(presetNames(), (QStringList { "naive", "seed-baseline", "seed-optimized", "optimized" }));
}

void TestPresets::presetToggles_data()
{
    QTest::addColumn<QString>("preset");
    QTest::addColumn<QStringList>("on");
    QTest::newRow("naive") << "naive" << QStringList {};
    // The demo's original program with the kernels Pillow has (a separable
    // blur, filters built once, one pixel format).
    QTest::newRow("seed-baseline") << "seed-baseline"
                                   << QStringList { "no-format-churn", "separable-blur", "cached-kernels" };
    QTest::newRow("seed-optimized") << "seed-optimized"
                                    << QStringList { "single-scan", "parallel", "no-copies",
                                           "no-format-churn", "lanczos", "separable-blur", "cached-kernels",
                                           "streaming", "balanced-quality" };
    QStringList all;
    for (const ToggleInfo &info : toggleTable())
        all << QLatin1String(info.key);
    QTest::newRow("optimized") << "optimized" << all;
}

void TestPresets::presetToggles()
{
    QFETCH(QString, preset);
    QFETCH(QStringList, on);
    const std::optional<ToggleSet> set = pixelperf::presetToggles(preset);
    QVERIFY(set);
    QCOMPARE(onKeys(*set), on);
    QCOMPARE(presetNameFor(*set), preset);
    QCOMPARE(canonicalPresetName(preset), preset);
}

void TestPresets::baselineIsNaive()
{
    // Reports, scripts and settings written before the rename say
    // "baseline": it still means all off, and reads back as naive.
    const std::optional<ToggleSet> old = pixelperf::presetToggles(QStringLiteral("baseline"));
    QVERIFY(old);
    QCOMPARE(*old, ToggleSet::allOff());
    QCOMPARE(canonicalPresetName(QStringLiteral("baseline")), QStringLiteral("naive"));
    QCOMPARE(presetNameFor(*old), QStringLiteral("naive"));
    QVERIFY(!presetNames().contains(QStringLiteral("baseline"))); // one name per preset in lists
}

void TestPresets::seedPairDiffersByTheDemosInefficiencies()
{
    const ToggleSet base = *pixelperf::presetToggles(QStringLiteral("seed-baseline"));
    const ToggleSet opt = *pixelperf::presetToggles(QStringLiteral("seed-optimized"));
    QStringList differ;
    for (const ToggleInfo &info : toggleTable()) {
        QVERIFY2(!base.isOn(info.id) || opt.isOn(info.id), info.key); // the optimized one adds only
        if (base.isOn(info.id) != opt.isOn(info.id))
            differ << QLatin1String(info.key);
    }
    QCOMPARE(differ,
        (QStringList { "single-scan", "parallel", "no-copies", "lanczos", "streaming", "balanced-quality" }));
}

void TestPresets::unknownPresetRefused()
{
    QVERIFY(!pixelperf::presetToggles(QStringLiteral("fastest")));
    QVERIFY(!pixelperf::presetToggles(QString()));
    QCOMPARE(presetNameFor(ToggleSet::allOff()), QStringLiteral("naive"));
    ToggleSet custom;
    custom.set(ToggleId::Lanczos);
    QCOMPARE(presetNameFor(custom), QStringLiteral("custom"));
}

void TestPresets::descriptionNamesEveryPreset()
{
    const QStringList lines = presetsDescription().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), presetNames().size() + 1);
    for (int i = 0; i < presetNames().size(); ++i)
        QVERIFY2(lines[i].startsWith(presetNames()[i] + QStringLiteral(": ")), qPrintable(lines[i]));
    QVERIFY(lines.last().startsWith(QStringLiteral("custom: ")));
}

QTEST_GUILESS_MAIN(TestPresets)
#include "tst_presets.moc"
