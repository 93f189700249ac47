// The panel's parameter fields, one per row of the parameter table: each is
// shown, edits reach params(), and the settings keep every one.
#include "customparams.h"
#include "togglepanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace pixelperf;
using namespace pixelperf::testing;

class TestTogglePanel : public QObject
{
    Q_OBJECT
private slots:
    void everyParameterHasAField();
    void paramsRoundTrip();
    void editsReachTheParams();
    void settingsKeepEveryParameter();
};

void TestTogglePanel::everyParameterHasAField()
{
    TogglePanel panel;
    panel.show();
    for (const ParamInfo &info : paramTable()) {
        QWidget *field = panel.findChild<QWidget *>(QLatin1String(info.objectName));
        QVERIFY2(field, info.objectName);
        QCOMPARE(field, panel.paramField(info.id));
        QVERIFY2(field->isVisible(), info.objectName);
    }
}

void TestTogglePanel::paramsRoundTrip()
{
    TogglePanel panel;
    QCOMPARE(paramsDiffering(panel.params(), PipelineParams()), QStringList());
    panel.setParams(customParams());
    QCOMPARE(paramsDiffering(panel.params(), customParams()), QStringList());
}

void TestTogglePanel::editsReachTheParams()
{
    // With the keyboard and the mouse, as a user: the resize mode, the
    // subfolders box and a stage's switch.
    TogglePanel panel;
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QSignalSpy changed(&panel, &TogglePanel::changed);
    auto *mode = qobject_cast<QComboBox *>(panel.paramField(ParamId::ResizeMode));
    QVERIFY(mode);
    mode->setFocus();
    QTest::keyClick(mode, Qt::Key_Down);
    QCOMPARE(panel.params().resizeMode, ResizeMode::Fit);
    auto *recursive = qobject_cast<QCheckBox *>(panel.paramField(ParamId::Recursive));
    auto *blur = qobject_cast<QCheckBox *>(panel.paramField(ParamId::BlurStage));
    QVERIFY(recursive && blur);
    QTest::mouseClick(recursive, Qt::LeftButton, {}, QPoint(8, recursive->height() / 2));
    QTest::mouseClick(blur, Qt::LeftButton, {}, QPoint(8, blur->height() / 2));
    const PipelineParams p = panel.params();
    QVERIFY(p.recursive);
    QVERIFY(!p.blurEnabled);
    QVERIFY(p.sharpenEnabled);
    QVERIFY(changed.count() >= 2);
}

void TestTogglePanel::settingsKeepEveryParameter()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("settings.ini"));
    {
        QSettings settings(file, QSettings::IniFormat);
        TogglePanel panel;
        panel.setParams(customParams());
        panel.saveSettings(settings);
    }
    QSettings settings(file, QSettings::IniFormat);
    TogglePanel panel;
    panel.loadSettings(settings);
    QCOMPARE(paramsDiffering(panel.params(), customParams()), QStringList());
    // The keys are the report's.
    QCOMPARE(settings.value(QStringLiteral("params/blur_radius")).toDouble(), 3.25);
    QCOMPARE(settings.value(QStringLiteral("params/resize_mode")).toString(), QStringLiteral("fit"));
    QCOMPARE(settings.value(QStringLiteral("params/stages_enabled/blur")).toBool(), false);
}

QTEST_MAIN(TestTogglePanel)
#include "tst_togglepanel.moc"
