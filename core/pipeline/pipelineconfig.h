// What a run computes (the parameters: the algorithm) and how it runs (the
// toggles: the schedule). Toggles never change what a stage means.
#pragma once

#include "pipeline/toggles.h"

#include <QString>
#include <QStringList>

#include <array>

namespace pixelperf {

enum class Stage : uint8_t { Scan, Load, Resize, Blur, Sharpen, Contrast, Brightness, Convert, Save };
constexpr int StageCount = 9;
const char *stageName(Stage stage);
std::optional<Stage> stageFromName(const QString &name);
// The stages that run per image, in order (every stage but Scan).
const std::array<Stage, 8> &imageStages();

enum class ResizeMode { Stretch, Fit, Fill };
const char *resizeModeName(ResizeMode mode);

// What each field means, its range and how every front end shows it: the
// parameter table (parameters.h); a new field gets a row there.
struct PipelineParams {
    int width = 800;
    int height = 600;
    ResizeMode resizeMode = ResizeMode::Stretch;
    double blurRadius = 2.0; // Gaussian sigma, in pixels
    double sharpen = 2.0; // Pillow ImageEnhance.Sharpness factor
    double contrast = 1.5; // Pillow ImageEnhance.Contrast factor
    double brightness = 1.2; // Pillow ImageEnhance.Brightness factor
    int quality = 80; // JPEG quality with balanced-quality on
    int wastefulQuality = 95; // JPEG quality with balanced-quality off
    int jobs = 0; // worker threads; 0 = logical cores
    bool recursive = false;
    int cacheMiB = 256; // decode-cache capacity
    // Per-stage switches (Scan, Load and Save always run).
    bool blurEnabled = true;
    bool sharpenEnabled = true;
    bool contrastEnabled = true;
    bool brightnessEnabled = true;

    int effectiveJobs() const;
    // The JPEG quality this toggle set saves with.
    int saveQuality(const ToggleSet &toggles) const;
    // An empty string when valid, else what is wrong.
    QString validate() const;
};

struct PipelineConfig {
    QString preset = QStringLiteral("optimized"); // informational; toggles decide
    ToggleSet toggles = ToggleSet::allOn();
    PipelineParams params;
    QString inputDir;
    // When set, the run's inputs are exactly these files, in this order (each
    // once); no folder is listed and `recursive` does not apply. inputDir is
    // then the folder they are shown under (setInputFiles).
    QStringList inputFiles;
    QString outputDir;
    // Not a setting: what the caller listed of the input (the window's file
    // list), when known. A scan that finds exactly these files keeps the
    // caller's strings, so 100,000 paths are held once, not twice (11 MiB);
    // the scan itself runs and is measured as ever. Never in a report.
    QStringList listedFiles;
    bool profile = true; // record per-stage spans and memory samples
    // With `profile`: the workers' call stacks sampled this many times per
    // second of their CPU time (core/profiling); 0: not sampled.
    int sampleRateHz = 1000;
    // The rate the call stacks are sampled at: 0 when not sampled (no profile).
    int sampledRateHz() const { return profile ? sampleRateHz : 0; }
    // Workers run at a lower scheduling priority (Linux: nice +WorkerNice),
    // so a thread the user is waiting on (the window's) gets a core at once
    // when it wakes. They still take every idle cycle.
    bool backgroundWorkers = false;

    bool isOn(ToggleId id) const { return toggles.isOn(id); }
    // Runs on these files (absolute, as given otherwise), shown under the
    // deepest folder that holds them all.
    void setInputFiles(const QStringList &files);
    // Where inputs are read from, so where no output may go: the input
    // folder, or each input file's own folder (absolute, each once).
    QStringList inputFolders() const;
};

// The deepest folder that holds every one of `files` (absolute); empty for none.
QString commonFolder(const QStringList &files);

} // namespace pixelperf
