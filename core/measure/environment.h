// What the report says about the machine and the build.
#pragma once

#include <QJsonObject>
#include <QString>

namespace pixelperf {

QString appVersion(); // e.g. "0.1.0"
QString gitRevision(); // short hash, or empty when unknown
QJsonObject environmentJson();

} // namespace pixelperf
