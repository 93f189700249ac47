#include "pipeline/outputplan.h"

#include "pipeline/pipeline.h"
#include "pipeline/pipelineconfig.h"

#include <QDir>
#include <QFileInfo>

namespace pixelperf {

OutputPlan::OutputPlan(const PipelineConfig &config)
    : m_outRoot(QDir(QFileInfo(config.outputDir).absoluteFilePath()).absolutePath())
    , m_givenFiles(!config.inputFiles.isEmpty())
{
    if (!m_givenFiles) {
        m_inRoot = QDir(QFileInfo(config.inputDir).absoluteFilePath()).absolutePath();
        if (!m_inRoot.endsWith(QLatin1Char('/')))
            m_inRoot += QLatin1Char('/');
    }
}

QString OutputPlan::pathFor(const QString &input) const
{
    if (!m_renamed.isEmpty()) {
        if (const auto it = m_renamed.constFind(input); it != m_renamed.cend())
            return *it;
    }
    return derivedPathFor(input);
}

QString OutputPlan::derivedPathFor(const QString &input) const
{
    if (m_outRoot.isEmpty())
        return {};
    // Given files: each one's own folder is its input folder. A folder's
    // files are its absolute paths (as the scan lists them): the relative
    // path is their tail; QDir (thread-local here) only for anything else.
    QString rel;
    if (m_givenFiles)
        rel = QFileInfo(input).fileName();
    else if (input.startsWith(m_inRoot))
        rel = input.mid(m_inRoot.size());
    else
        rel = QDir(m_inRoot).relativeFilePath(input);
    const qsizetype slash = rel.lastIndexOf(QLatin1Char('/'));
    const QString name = PipelineRun::outputNameFor(slash < 0 ? rel : rel.mid(slash + 1));
    return QDir(m_outRoot).filePath(slash < 0 ? name : rel.left(slash + 1) + name);
}

void OutputPlan::rename(const QString &input, const QString &output)
{
    m_renamed.insert(input, output);
}

} // namespace pixelperf
