// The schedule and the algorithm's parameters, as the user edits them: one
// checkbox per toggle (from core's toggle table), a preset selector that
// follows the boxes ("custom" once they match no preset), a field per
// parameter (from core's parameter table), and how often a run is measured
// (repetitions after warm-ups).
// Reads and writes PipelineConfig pieces and a RepetitionPlan; runs nothing.
#pragma once

#include "pipeline/parameters.h"
#include "pipeline/pipelineconfig.h"
#include "pipeline/repeatedrun.h"

#include <QWidget>

#include <array>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSettings;
class QSpinBox;

namespace pixelperf {

class TogglePanel : public QWidget
{
    Q_OBJECT
public:
    explicit TogglePanel(QWidget *parent = nullptr);

    ToggleSet toggles() const;
    void setToggles(const ToggleSet &toggles);
    // "baseline", "seed-optimized", "optimized" or "custom".
    QString presetName() const;
    // False for an unknown name.
    bool applyPreset(const QString &name);

    PipelineParams params() const;
    void setParams(const PipelineParams &params);

    RepetitionPlan repetitionPlan() const;
    void setRepetitionPlan(const RepetitionPlan &plan);

    void saveSettings(QSettings &settings) const;
    void loadSettings(QSettings &settings);

    QCheckBox *checkBox(ToggleId id) const { return m_boxes[size_t(id)]; }
    QComboBox *presetCombo() const { return m_preset; }
    QSpinBox *repetitionsBox() const { return m_repetitions; }
    QSpinBox *warmupsBox() const { return m_warmups; }
    // The field that edits `id`: a QSpinBox, QDoubleSpinBox, QComboBox or QCheckBox.
    QWidget *paramField(ParamId id) const { return m_fields[size_t(id)]; }

signals:
    void changed();

private:
    void syncPresetCombo();
    QWidget *buildParams();
    QWidget *makeParamField(const ParamInfo &info, QWidget *parent);
    double fieldValue(ParamId id) const;
    void setFieldValue(ParamId id, double value);
    QWidget *buildMeasurement();

    std::array<QCheckBox *, ToggleCount> m_boxes {};
    QComboBox *m_preset = nullptr;
    std::array<QWidget *, ParamCount> m_fields {};
    QSpinBox *m_repetitions = nullptr;
    QSpinBox *m_warmups = nullptr;
    bool m_updating = false;
};

} // namespace pixelperf
