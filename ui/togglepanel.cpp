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

// "blur_radius", "stages_enabled/blur": the report's names.
QString settingsKey(const ParamInfo &info)
{
    const QString key = QLatin1String(info.key);
    return info.group ? QLatin1String(info.group) + QLatin1Char('/') + key : key;
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
    m_preset->setToolTip(presetsDescription());
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

// One field per row of the parameter table: the output size's two sides on
// one row, the per-stage switches two by two (the panel stays narrow enough
// for a 1,024 px window).
QWidget *TogglePanel::buildParams()
{
    auto *group = new QGroupBox(tr("Parameters"), this);
    auto *form = new QFormLayout(group);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    QHBoxLayout *size = nullptr;
    QGridLayout *stages = nullptr;
    int stageCount = 0;
    for (const ParamInfo &info : paramTable()) {
        QWidget *field = makeParamField(info, group);
        m_fields[size_t(info.id)] = field;
        if (info.id == ParamId::Width || info.id == ParamId::Height) {
            if (!size) {
                size = new QHBoxLayout;
                form->addRow(tr(info.label), size);
                static_cast<QLabel *>(form->labelForField(size))->setBuddy(field);
            } else {
                size->addWidget(new QLabel(QStringLiteral("×"), group));
            }
            size->addWidget(field, 1);
        } else if (info.group) {
            if (!stages) {
                stages = new QGridLayout;
                form->addRow(tr("Stages:"), stages);
            }
            stages->addWidget(field, stageCount / 2, stageCount % 2);
            ++stageCount;
        } else if (info.kind == ParamKind::Switch) {
            form->addRow(field);
        } else {
            form->addRow(tr(info.label), field);
        }
    }
    for (QAbstractSpinBox *box : group->findChildren<QAbstractSpinBox *>())
        connect(box, &QAbstractSpinBox::editingFinished, this, [this] {
            if (!m_updating)
                emit changed();
        });
    setParams(PipelineParams());
    return group;
}

QWidget *TogglePanel::makeParamField(const ParamInfo &info, QWidget *parent)
{
    QWidget *field = nullptr;
    if (info.kind == ParamKind::Integer) {
        auto *box = spinBox<QSpinBox>(parent);
        box->setRange(int(info.min), int(info.max));
        if (info.zeroText)
            box->setSpecialValueText(tr("auto (%n core(s))", nullptr, qMax(1, QThread::idealThreadCount())));
        field = box;
    } else if (info.kind == ParamKind::Real) {
        auto *box = spinBox<QDoubleSpinBox>(parent);
        box->setRange(info.min, info.max);
        box->setDecimals(2);
        box->setSingleStep(0.1);
        field = box;
    } else if (info.kind == ParamKind::Choice) {
        auto *combo = new QComboBox(parent);
        combo->addItems(paramChoices(info.id));
        connect(combo, &QComboBox::activated, this, [this] {
            if (!m_updating)
                emit changed();
        });
        field = combo;
    } else {
        auto *box = new QCheckBox(tr(info.label), parent);
        connect(box, &QCheckBox::toggled, this, [this] {
            if (!m_updating)
                emit changed();
        });
        field = box;
    }
    if (auto *spin = qobject_cast<QSpinBox *>(field); spin && info.unit)
        spin->setSuffix(tr(info.unit));
    if (auto *real = qobject_cast<QDoubleSpinBox *>(field); real && info.unit)
        real->setSuffix(tr(info.unit));
    field->setObjectName(QLatin1String(info.objectName));
    field->setToolTip(tr(info.help));
    return field;
}

double TogglePanel::fieldValue(ParamId id) const
{
    QWidget *field = m_fields[size_t(id)];
    if (auto *spin = qobject_cast<QSpinBox *>(field))
        return spin->value();
    if (auto *real = qobject_cast<QDoubleSpinBox *>(field))
        return real->value();
    if (auto *combo = qobject_cast<QComboBox *>(field))
        return combo->currentIndex();
    return static_cast<QCheckBox *>(field)->isChecked() ? 1 : 0;
}

void TogglePanel::setFieldValue(ParamId id, double value)
{
    QWidget *field = m_fields[size_t(id)];
    if (auto *spin = qobject_cast<QSpinBox *>(field))
        spin->setValue(int(value));
    else if (auto *real = qobject_cast<QDoubleSpinBox *>(field))
        real->setValue(value);
    else if (auto *combo = qobject_cast<QComboBox *>(field))
        combo->setCurrentIndex(int(value));
    else
        static_cast<QCheckBox *>(field)->setChecked(value != 0);
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
    for (const ParamInfo &info : paramTable())
        setParamValue(p, info.id, fieldValue(info.id));
    return p;
}

void TogglePanel::setParams(const PipelineParams &p)
{
    m_updating = true;
    for (const ParamInfo &info : paramTable())
        setFieldValue(info.id, paramValue(p, info.id));
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
    for (const ParamInfo &info : paramTable())
        settings.setValue(settingsKey(info), paramJson(p, info.id).toVariant());
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
    for (const ParamInfo &info : paramTable())
        setParamValue(p, info.id,
            paramFromVariant(settings.value(settingsKey(info)), info.id, paramValue(defaults, info.id)));
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
