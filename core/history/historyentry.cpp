#include "history/historyentry.h"

#include "reports/reportwriter.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>

namespace pixelperf {

QString configurationText(const PipelineConfig &config)
{
    // The preset with the fewest toggles set otherwise (the first on a tie).
    QString nearest;
    int fewest = ToggleCount + 1;
    for (const QString &name : presetNames()) {
        int differ = 0;
        for (const ToggleInfo &info : toggleTable())
            differ += presetToggles(name)->isOn(info.id) != config.isOn(info.id) ? 1 : 0;
        if (differ < fewest) {
            fewest = differ;
            nearest = name;
        }
    }
    QStringList on, off;
    for (const ToggleInfo &info : toggleTable()) {
        if (presetToggles(nearest)->isOn(info.id) != config.isOn(info.id))
            (config.isOn(info.id) ? on : off) << QLatin1String(info.key);
    }
    QString text = nearest;
    if (!off.isEmpty())
        text += QStringLiteral(", off: ") + off.join(QStringLiteral(","));
    if (!on.isEmpty())
        text += QStringLiteral(", on: ") + on.join(QStringLiteral(","));
    return text;
}

QString configurationKey(const PipelineConfig &config)
{
    // The report's configuration (toggles and parameters as the run used
    // them) without its folders or files; QJsonObject keeps its keys sorted.
    QJsonObject json = ReportWriter::configJson(config);
    json.remove(QStringLiteral("input_dir"));
    json.remove(QStringLiteral("input_files"));
    json.remove(QStringLiteral("output_dir"));
    const QByteArray canonical = QJsonDocument(json).toJson(QJsonDocument::Compact);
    return QString::fromLatin1(
        QCryptographicHash::hash(canonical, QCryptographicHash::Sha1).toHex().left(16));
}

QString historyFolder(const QString &folder)
{
    return folder.isEmpty() ? folder : QDir::cleanPath(QFileInfo(folder).absoluteFilePath());
}

} // namespace pixelperf
