#include "togglepanel.h"

#include "stagepalette.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

namespace pixelperf {

namespace {

const QString CustomPreset = QStringLiteral("custom");

QLabel *smallLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont f = label->font();
    f.setPointSizeF(f.pointSizeF() * 0.88);
    label->setFont(f);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

// A spin box that does not swallow folder drops meant for the window.
template <typename Box> Box *spinBox(QWidget *parent)
{
    auto *box = new Box(parent);
    box->setAcceptDrops(false);
    if (auto *edit = box->template findChild<QLineEdit *>())
        edit->setAcceptDrops(false);
    box->setKeyboardTracking(false);
    return box;
}

} // namespace

TogglePanel::TogglePanel(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    auto *presetRow = new QHBoxLayout;
    auto *presetLabel = new QLabel(tr("&Preset:"), this);
    m_preset = new QComboBox(this);
    m_preset->setObjectName(QStringLiteral("presetCombo"));
    for (const QString &name : presetNames())
        m_preset->addItem(name, name);
    m_preset->addItem(CustomPreset, CustomPreset);
    m_preset->setToolTip(tr("baseline: every inefficiency (the demo's original program)\n"
                            "seed-optimized: what the demo's optimized Python did\n"
                            "optimized: every toggle on\n"
                            "custom: any other combination"));
    presetLabel->setBuddy(m_preset);
    presetRow->addWidget(presetLabel);
    presetRow->addWidget(m_preset, 1);
    layout->addLayout(presetRow);
    layout->addWidget(buildMeasurement());

    auto *toggleBox = new QGroupBox(tr("Optimizations (on = optimized)"), this);
    auto *grid = new QGridLayout(toggleBox);
    grid->setVerticalSpacing(1);
    grid->setColumnStretch(0, 1);
    int row = 0;
    for (const ToggleInfo &info : toggleTable()) {
        auto *box = new QCheckBox(QString::fromUtf8(info.title), toggleBox);
        box->setObjectName(QStringLiteral("toggle-%1").arg(QLatin1String(info.key)));
        box->setProperty("toggleKey", QLatin1String(info.key));
        const QString tip
            = tr("<b>%1</b> (<tt>%2</tt>, stage: %3)<br>On: %4<br>Off: %5%6")
                  .arg(QString::fromUtf8(info.title), QLatin1String(info.key), QLatin1String(info.stage),
                      QString::fromUtf8(info.onText).toHtmlEscaped(),
                      QString::fromUtf8(info.offText).toHtmlEscaped(),
                      info.changesOutput ? tr("<br><i>Changes the output images.</i>") : QString());
        box->setToolTip(tip);
        m_boxes[size_t(info.id)] = box;
        grid->addWidget(box, row, 0);

        QString tags = QLatin1String(info.stage);
        if (const std::optional<Stage> s = stageFromName(tags))
            tags = QStringLiteral("<span style=\"color:%1\">■</span> %2").arg(stageColor(*s).name(), tags);
        auto *stage = smallLabel(tags, toggleBox);
        stage->setToolTip(tr("The stage this toggle affects"));
        grid->addWidget(stage, row, 1, Qt::AlignRight);
        ++row;
        auto *explain = smallLabel(QString::fromUtf8(info.onText), toggleBox);
        explain->setWordWrap(true);
        explain->setToolTip(tip);
        explain->setContentsMargins(22, 0, 0, 4);
        grid->addWidget(explain, row, 0, 1, info.changesOutput ? 1 : 2);
        if (info.changesOutput) {
            auto *tag = smallLabel(tr("changes output"), toggleBox);
            tag->setObjectName(QStringLiteral("changesOutput-%1").arg(QLatin1String(info.key)));
            tag->setForegroundRole(QPalette::Link);
            tag->setToolTip(tr("This toggle changes the output pixels or size, not only the speed"));
            grid->addWidget(tag, row, 1, Qt::AlignRight | Qt::AlignTop);
        }
        ++row;
        connect(box, &QCheckBox::toggled, this, [this] {
            if (m_updating)
                return;
            syncPresetCombo();
            emit changed();
        });
    }
    layout->addWidget(toggleBox);
    layout->addWidget(buildParams());
    layout->addStretch(1);

    connect(m_preset, &QComboBox::activated, this, [this](int index) {
        const QString name = m_preset->itemData(index).toString();
        if (name != CustomPreset)
            applyPreset(name);
    });
    setToggles(ToggleSet::allOn());
}

QWidget *TogglePanel::buildParams()
{
    auto *group = new QGroupBox(tr("Parameters"), this);
    auto *form = new QFormLayout(group);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    auto *size = new QHBoxLayout;
    m_width = spinBox<QSpinBox>(group);
    m_width->setObjectName(QStringLiteral("paramWidth"));
    m_width->setRange(1, 20000);
    m_width->setSuffix(tr(" px"));
    m_height = spinBox<QSpinBox>(group);
    m_height->setObjectName(QStringLiteral("paramHeight"));
    m_height->setRange(1, 20000);
    m_height->setSuffix(tr(" px"));
    size->addWidget(m_width, 1);
    size->addWidget(new QLabel(QStringLiteral("×"), group));
    size->addWidget(m_height, 1);
    form->addRow(tr("Output &size:"), size);
    static_cast<QLabel *>(form->labelForField(size))->setBuddy(m_width);

    auto makeFactor = [&](QDoubleSpinBox *&box, const char *name, double max, const QString &tip) {
        box = spinBox<QDoubleSpinBox>(group);
        box->setObjectName(QLatin1String(name));
        box->setRange(0, max);
        box->setDecimals(2);
        box->setSingleStep(0.1);
        box->setToolTip(tip);
    };
    makeFactor(m_blur, "paramBlur", 50, tr("Gaussian sigma in pixels; 0 skips the blur stage"));
    m_blur->setSuffix(tr(" px"));
    makeFactor(m_sharpen, "paramSharpen", 10, tr("Pillow ImageEnhance.Sharpness factor (1 = unchanged)"));
    makeFactor(m_contrast, "paramContrast", 10, tr("Pillow ImageEnhance.Contrast factor (1 = unchanged)"));
    makeFactor(
        m_brightness, "paramBrightness", 10, tr("Pillow ImageEnhance.Brightness factor (1 = unchanged)"));
    form->addRow(tr("&Blur radius:"), m_blur);
    form->addRow(tr("Sharpe&n:"), m_sharpen);  // Alt+H is the Help menu's
    form->addRow(tr("C&ontrast:"), m_contrast);
    form->addRow(tr("Br&ightness:"), m_brightness);  // Alt+R is the Run menu's

    m_quality = spinBox<QSpinBox>(group);
    m_quality->setObjectName(QStringLiteral("paramQuality"));
    m_quality->setRange(1, 100);
    m_quality->setToolTip(tr("JPEG quality with balanced-quality on (off: 95)"));
    form->addRow(tr("JPEG &quality:"), m_quality);

    m_jobs = spinBox<QSpinBox>(group);
    m_jobs->setObjectName(QStringLiteral("paramJobs"));
    m_jobs->setRange(0, 256);
    m_jobs->setSpecialValueText(tr("auto (%n core(s))", nullptr, qMax(1, QThread::idealThreadCount())));
    m_jobs->setToolTip(tr("Worker threads with parallel on (off: one)"));
    form->addRow(tr("&Jobs:"), m_jobs);

    for (QAbstractSpinBox *box : group->findChildren<QAbstractSpinBox *>()) {
        connect(box, &QAbstractSpinBox::editingFinished, this, [this] {
            if (!m_updating)
                emit changed();
        });
    }
    setParams(PipelineParams());
    return group;
}

// One row under the preset, where it is seen without scrolling: how many
// times a run is measured matters as much as what it runs.
QWidget *TogglePanel::buildMeasurement()
{
    auto *row = new QWidget(this);
    row->setObjectName(QStringLiteral("measurementRow"));
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    const RepetitionPlan defaults;

    m_repetitions = spinBox<QSpinBox>(row);
    m_repetitions->setObjectName(QStringLiteral("repetitions"));
    m_repetitions->setRange(1, 1000);
    m_repetitions->setValue(defaults.repetitions);
    m_repetitions->setToolTip(tr("Measured runs of each configuration. The report keeps each one with the "
                                 "median and spread; a comparison tells a difference from the noise with "
                                 "4 or more on each side."));
    auto *repetitionsLabel = new QLabel(tr("R&epetitions:"), row);
    repetitionsLabel->setBuddy(m_repetitions);
    repetitionsLabel->setToolTip(m_repetitions->toolTip());

    m_warmups = spinBox<QSpinBox>(row);
    m_warmups->setObjectName(QStringLiteral("warmups"));
    m_warmups->setRange(0, 1000);
    m_warmups->setValue(defaults.warmups);
    m_warmups->setSpecialValueText(tr("none"));
    m_warmups->setToolTip(tr("Runs before the measured ones, not counted: they fill the disk cache and "
                             "the decode cache"));
    auto *warmupsLabel = new QLabel(tr("&Warm-ups:"), row);
    warmupsLabel->setBuddy(m_warmups);
    warmupsLabel->setToolTip(m_warmups->toolTip());

    layout->addWidget(repetitionsLabel);
    layout->addWidget(m_repetitions, 1);
    layout->addSpacing(8);
    layout->addWidget(warmupsLabel);
    layout->addWidget(m_warmups, 1);

    for (QSpinBox *box : { m_repetitions, m_warmups }) {
        connect(box, &QAbstractSpinBox::editingFinished, this, [this] {
            if (!m_updating)
                emit changed();
        });
    }
    return row;
}

ToggleSet TogglePanel::toggles() const
{
    ToggleSet set;
    for (const ToggleInfo &info : toggleTable())
        set.set(info.id, m_boxes[size_t(info.id)]->isChecked());
    return set;
}

void TogglePanel::setToggles(const ToggleSet &toggles)
{
    m_updating = true;
    for (const ToggleInfo &info : toggleTable())
        m_boxes[size_t(info.id)]->setChecked(toggles.isOn(info.id));
    m_updating = false;
    syncPresetCombo();
    emit changed();
}

QString TogglePanel::presetName() const
{
    return presetNameFor(toggles());
}

bool TogglePanel::applyPreset(const QString &name)
{
    const std::optional<ToggleSet> set = presetToggles(name);
    if (!set)
        return false;
    setToggles(*set);
    return true;
}

void TogglePanel::syncPresetCombo()
{
    const int index = m_preset->findData(presetName());
    m_preset->setCurrentIndex(index);
}

PipelineParams TogglePanel::params() const
{
    PipelineParams p;
    p.width = m_width->value();
    p.height = m_height->value();
    p.blurRadius = m_blur->value();
    p.sharpen = m_sharpen->value();
    p.contrast = m_contrast->value();
    p.brightness = m_brightness->value();
    p.quality = m_quality->value();
    p.jobs = m_jobs->value();
    return p;
}

void TogglePanel::setParams(const PipelineParams &p)
{
    m_updating = true;
    m_width->setValue(p.width);
    m_height->setValue(p.height);
    m_blur->setValue(p.blurRadius);
    m_sharpen->setValue(p.sharpen);
    m_contrast->setValue(p.contrast);
    m_brightness->setValue(p.brightness);
    m_quality->setValue(p.quality);
    m_jobs->setValue(p.jobs);
    m_updating = false;
    emit changed();
}

RepetitionPlan TogglePanel::repetitionPlan() const
{
    RepetitionPlan plan;
    plan.repetitions = m_repetitions->value();
    plan.warmups = m_warmups->value();
    return plan;
}

void TogglePanel::setRepetitionPlan(const RepetitionPlan &plan)
{
    m_updating = true;
    m_repetitions->setValue(plan.repetitions);
    m_warmups->setValue(plan.warmups);
    m_updating = false;
    emit changed();
}

void TogglePanel::saveSettings(QSettings &settings) const
{
    settings.beginGroup(QStringLiteral("toggles"));
    for (const ToggleInfo &info : toggleTable())
        settings.setValue(QLatin1String(info.key), m_boxes[size_t(info.id)]->isChecked());
    settings.endGroup();
    const PipelineParams p = params();
    settings.beginGroup(QStringLiteral("params"));
    settings.setValue(QStringLiteral("width"), p.width);
    settings.setValue(QStringLiteral("height"), p.height);
    settings.setValue(QStringLiteral("blur_radius"), p.blurRadius);
    settings.setValue(QStringLiteral("sharpen"), p.sharpen);
    settings.setValue(QStringLiteral("contrast"), p.contrast);
    settings.setValue(QStringLiteral("brightness"), p.brightness);
    settings.setValue(QStringLiteral("quality"), p.quality);
    settings.setValue(QStringLiteral("jobs"), p.jobs);
    settings.endGroup();
    const RepetitionPlan plan = repetitionPlan();
    settings.beginGroup(QStringLiteral("measurement"));
    settings.setValue(QStringLiteral("repetitions"), plan.repetitions);
    settings.setValue(QStringLiteral("warmups"), plan.warmups);
    settings.endGroup();
}

void TogglePanel::loadSettings(QSettings &settings)
{
    ToggleSet set = ToggleSet::allOn();
    settings.beginGroup(QStringLiteral("toggles"));
    for (const ToggleInfo &info : toggleTable())
        set.set(info.id, settings.value(QLatin1String(info.key), true).toBool());
    settings.endGroup();

    const PipelineParams defaults;
    PipelineParams p;
    settings.beginGroup(QStringLiteral("params"));
    p.width = settings.value(QStringLiteral("width"), defaults.width).toInt();
    p.height = settings.value(QStringLiteral("height"), defaults.height).toInt();
    p.blurRadius = settings.value(QStringLiteral("blur_radius"), defaults.blurRadius).toDouble();
    p.sharpen = settings.value(QStringLiteral("sharpen"), defaults.sharpen).toDouble();
    p.contrast = settings.value(QStringLiteral("contrast"), defaults.contrast).toDouble();
    p.brightness = settings.value(QStringLiteral("brightness"), defaults.brightness).toDouble();
    p.quality = settings.value(QStringLiteral("quality"), defaults.quality).toInt();
    p.jobs = settings.value(QStringLiteral("jobs"), defaults.jobs).toInt();
    settings.endGroup();
    // Anything out of range in a hand-edited file: back to the defaults.
    if (!p.validate().isEmpty())
        p = defaults;

    RepetitionPlan plan;
    settings.beginGroup(QStringLiteral("measurement"));
    plan.repetitions = settings.value(QStringLiteral("repetitions"), plan.repetitions).toInt();
    plan.warmups = settings.value(QStringLiteral("warmups"), plan.warmups).toInt();
    settings.endGroup();
    if (!plan.validate().isEmpty())
        plan = RepetitionPlan();
    setToggles(set);
    setParams(p);
    setRepetitionPlan(plan);
}

} // namespace pixelperf
