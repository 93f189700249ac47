// libFuzzer target: the report JSON loader (readReport), and everything that
// consumes what it loads. `pixelperf-cli compare` and the app's "load a
// report" run these on files from anywhere: a loaded report must never crash
// the comparison or any export.
#include "measure/runcomparison.h"
#include "reports/reportformats.h"
#include "reports/reportreader.h"
#include "reports/reportwriter.h"

#include <QByteArray>
#include <QJsonDocument>

#include <cstdint>
#include <cstdlib>

using namespace pixelperf;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const LoadedReport loaded = readReport(json);
    if (!loaded.error.isEmpty())
        return 0;
    const RunResult &run = loaded.run;
    // What `compare` does with two reports, and every export of one.
    const RunComparison c = compareRuns(run, loaded.repeats, run, loaded.repeats);
    (void)comparisonMarkdown(c);
    (void)comparisonHtml(c);
    (void)runMarkdown(run, loaded.repeats);
    (void)runCsv(run);
    (void)runTrace(run);
    (void)runHtml(run, loaded.environment, loaded.repeats);
    // Written back, it loads again.
    const QByteArray again
        = QJsonDocument(ReportWriter::toJson(run, loaded.repeats)).toJson(QJsonDocument::Compact);
    if (!readReport(again).error.isEmpty())
        std::abort();
    return 0;
}
