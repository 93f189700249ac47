// Where a run writes each image: under its output folder, at the image's
// path relative to its input folder (given files: directly in the output
// folder), named by PipelineRun::outputNameFor. A name is derived when asked,
// not held: 100,000 output paths held as strings took 21 MiB, in the run
// and in every record. Only an image that had to be numbered (a.gif and
// a.png both to processed_a.png) has its name kept, and a report read back
// keeps the names it gives.
#pragma once

#include <QHash>
#include <QString>

namespace pixelperf {

struct PipelineConfig;

class OutputPlan
{
public:
    // Names nothing by itself: every name is one given (rename()).
    OutputPlan() = default;
    explicit OutputPlan(const PipelineConfig &config);

    // Where `input` is written: its kept name, else the derived one.
    QString pathFor(const QString &input) const;
    // The name derived from the input's path alone (empty when this plan
    // derives none).
    QString derivedPathFor(const QString &input) const;
    // `input` is written to `output` instead.
    void rename(const QString &input, const QString &output);
    qsizetype renamedCount() const { return m_renamed.size(); }

private:
    QString m_inRoot; // absolute, with a trailing '/'; empty with given files
    QString m_outRoot; // absolute; empty when nothing is derived
    bool m_givenFiles = false;
    QHash<QString, QString> m_renamed;
};

} // namespace pixelperf
