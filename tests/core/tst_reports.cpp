// Every export format, read back by an independent reader; the JSON report
// round-trips; comparison and ablation on real small runs.
#include "measure/ablation.h"
#include "measure/environment.h"
#include "measure/runcomparison.h"
#include "pipeline/outputplan.h"
#include "pipeline/pipeline.h"
#include "pipeline/repeatedrun.h"
#include "reports/reportexport.h"
#include "reports/reportformats.h"
#include "reports/reportreader.h"
#include "reports/reportwriter.h"
#include "samples/samplegenerator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

using namespace pixelperf;

class TestReports : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void csvHasOneRowPerImageAndStage();
    void traceIsChromeTraceJson();
    void csvAndTraceSayWhichRepetition();
    void ablationReadsBack();
    void htmlIsSelfContainedAndWellFormed();
    void markdownHasTheStages();
    void jsonRoundTrips();
    void environmentIsTheRunsOwn();
    void repetitionsShareThePlansEnvironment();
    void chosenFilesRoundTrip();
    void outputsRoundTripAsWritten();
    void streamedJsonIsTheWholeReport();
    void largeReportsAreWrittenInBoundedPieces_data();
    void largeReportsAreWrittenInBoundedPieces();
    void htmlOfALargeRunSaysItsTimelineIsThinned();
    void cancelledRepetitionsAreListedNotCounted();
    void readerRejectsForeignFiles();
    void readerSaysWhenTheSchemaIsNewer();
    void olderReportsStillRead();
    void baselinePresetReportsStillRead();
    void comparisonOfDifferentConfigs();
    void comparisonSaysWhichRunWasSampled();
    void ablationScheduleInterleaves();
    void ablationHasOneEntryPerToggle();
    void ablationDoesNotDependOnOrder();
    void cancelledAblationKeepsWhatWasMeasured();
    void ablationClaimsNothingFromOneRound();
    void ablationSaysWhenOffIsFaster();
    void comparisonKnowsHowRunsWereMeasured();

private:
    PipelineConfig config(const QString &out) const;
    RunResult largeRun(int images) const;
    QTemporaryDir m_tmp;
    QString m_in;
    RunResult m_run;
    std::vector<RunResult> m_repeats;
};

PipelineConfig TestReports::config(const QString &out) const
{
    PipelineConfig c;
    c.inputDir = m_in;
    c.outputDir = m_tmp.filePath(out);
    c.params.width = 120;
    c.params.height = 90;
    c.params.jobs = 2;
    c.params.cacheMiB = 0;
    return c;
}

void TestReports::initTestCase()
{
    m_in = m_tmp.filePath(QStringLiteral("in"));
    QVERIFY(generateSamples(m_in, 5, 240, 160, 4).error.isEmpty());
    QFile junk(QDir(m_in).filePath(QStringLiteral("broken, \"quoted\".jpg")));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("not an image");
    junk.close();
    for (int i = 0; i < 2; ++i)
        m_repeats.push_back(PipelineRun::runBlocking(config(QStringLiteral("out"))));
    m_run = m_repeats.back();
    QVERIFY(m_run.ok());
    QCOMPARE(m_run.summary.imagesOk, 5);
    QCOMPARE(m_run.summary.imagesFailed, 1);
}

void TestReports::csvHasOneRowPerImageAndStage()
{
    const QString csv = QString::fromUtf8(runCsv(m_run));
    QStringList lines = csv.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    const QStringList header = lines.takeFirst().split(QLatin1Char(','));
    QCOMPARE(header.first(), QStringLiteral("image"));
    QVERIFY(header.contains(QStringLiteral("duration_ms")));
    // 5 good images x 8 stages, and the broken one only got as far as load.
    QCOMPARE(lines.size(), 5 * 8 + 1);
    // Fields are quoted where needed: counting the separators outside quotes,
    // every row has the header's columns.
    for (const QString &line : lines) {
        int columns = 1;
        bool quoted = false;
        for (QChar ch : line) {
            if (ch == QLatin1Char('"'))
                quoted = !quoted;
            else if (ch == QLatin1Char(',') && !quoted)
                ++columns;
        }
        QVERIFY(!quoted);
        QCOMPARE(columns, header.size());
    }
    QVERIFY(csv.contains(QLatin1Char('"') + m_in + QStringLiteral("/broken, \"\"quoted\"\".jpg\"")));
}

void TestReports::csvAndTraceSayWhichRepetition()
{
    // Spans are kept for the last repetition: both files say so, not as if
    // the run had one.
    const QStringList csv
        = QString::fromUtf8(runCsv(m_run, m_repeats)).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QVERIFY(csv.first().endsWith(QStringLiteral(",repetition,repetitions")));
    for (qsizetype i = 1; i < csv.size(); ++i)
        QVERIFY2(csv[i].endsWith(QStringLiteral(",2,2")), qPrintable(csv[i]));
    QVERIFY(QString::fromUtf8(runCsv(m_repeats.front(), m_repeats)).contains(QStringLiteral(",1,2\n")));
    QVERIFY(QString::fromUtf8(runCsv(m_run)).contains(QStringLiteral(",1,1\n")));

    const QJsonObject other
        = QJsonDocument::fromJson(runTrace(m_run, m_repeats)).object().value("otherData").toObject();
    QCOMPARE(other.value("repetition").toInt(), 2);
    QCOMPARE(other.value("repetitions").toInt(), 2);
    QVERIFY(other.value("covers").toString().startsWith(QStringLiteral("repetition 2 of 2")));
    // The export dispatch passes the repetitions on.
    const QJsonObject exported = QJsonDocument::fromJson(runReport(ReportFormat::Trace, m_run, m_repeats))
                                     .object()
                                     .value("otherData")
                                     .toObject();
    QCOMPARE(exported.value("repetitions").toInt(), 2);
}

void TestReports::traceIsChromeTraceJson()
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(runTrace(m_run), &error);
    QVERIFY2(!doc.isNull(), qPrintable(error.errorString()));
    const QJsonArray events = doc.object().value("traceEvents").toArray();
    int spans = 0, counters = 0;
    QSet<int> tids;
    QSet<QString> threadNames;
    for (const QJsonValue &v : events) {
        const QJsonObject e = v.toObject();
        const QString ph = e.value("ph").toString();
        QVERIFY(!ph.isEmpty());
        QVERIFY(e.contains("pid"));
        if (ph == QLatin1String("X")) {
            ++spans;
            tids.insert(e.value("tid").toInt());
            QVERIFY(e.value("dur").toDouble() >= 0);
            if (e.value("name").toString() != QLatin1String("scan"))
                QVERIFY(e.value("args").toObject().value("file").toString().startsWith(m_in));
        } else if (ph == QLatin1String("C")) {
            ++counters;
        } else if (ph == QLatin1String("M") && e.value("name").toString() == QLatin1String("thread_name")) {
            threadNames.insert(e.value("args").toObject().value("name").toString());
        }
    }
    QCOMPARE(spans, int(m_run.spans.size()));
    QVERIFY(counters >= 2);
    // One track per worker that ran spans (usually both; on a busy machine
    // one may have taken all five images) plus the controller's scan.
    QSet<int> workers;
    for (const StageSpan &s : m_run.spans)
        workers.insert(s.worker());
    QVERIFY(workers.contains(-1));
    QVERIFY(workers.contains(0) || workers.contains(1));
    QCOMPARE(tids.size(), workers.size());
    for (int w : workers)
        if (w >= 0)
            QVERIFY(threadNames.contains(QStringLiteral("worker %1").arg(w)));
}

void TestReports::htmlIsSelfContainedAndWellFormed()
{
    const QByteArray html = runHtml(m_run, environmentJson(), m_repeats);
    QXmlStreamReader xml(html);
    int svgs = 0, tables = 0;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            if (xml.name() == QLatin1String("svg"))
                ++svgs;
            if (xml.name() == QLatin1String("table"))
                ++tables;
            for (const QXmlStreamAttribute &a : xml.attributes()) {
                if (a.name() == QLatin1String("src") || a.name() == QLatin1String("href"))
                    QFAIL(qPrintable(QStringLiteral("external reference %1").arg(a.value())));
            }
        }
    }
    QVERIFY2(
        !xml.hasError(), qPrintable(xml.errorString() + QStringLiteral(" at line %1").arg(xml.lineNumber())));
    QVERIFY(svgs >= 4); // stages, memory, throughput, CPU, timeline
    QVERIFY(tables >= 4); // stages, toggles, parameters, machine
    // The only URL is the SVG namespace, which is never fetched.
    const QString text = QString::fromUtf8(html).remove(QStringLiteral("http://www.w3.org/2000/svg"));
    QVERIFY(!text.contains(QStringLiteral("http://")));
    QVERIFY(!text.contains(QStringLiteral("https://")));
    QVERIFY(!text.contains(QStringLiteral("url(")));
    QVERIFY(text.contains(QStringLiteral("broken, &quot;quoted&quot;.jpg")));
    // The timeline's spans name their file; the scan is of no image.
    int blurredImage = -1;
    for (const StageSpan &span : m_run.spans)
        if (span.stage() == Stage::Blur && blurredImage < 0)
            blurredImage = span.image();
    QVERIFY(blurredImage >= 0);
    const QString blurred = QStringLiteral("<title>blur of %1: ")
                                .arg(QFileInfo(m_run.files[blurredImage]).fileName().toHtmlEscaped());
    QVERIFY2(text.contains(blurred), qPrintable(blurred));
    QVERIFY(text.contains(QStringLiteral("<title>scan: ")));
    QVERIFY(!text.contains(QStringLiteral("#-1")));
}

void TestReports::markdownHasTheStages()
{
    const QString md = QString::fromUtf8(runMarkdown(m_run, m_repeats));
    QVERIFY(md.contains(QStringLiteral("| stage | count |")));
    for (const char *stage :
        { "scan", "load", "resize", "blur", "sharpen", "contrast", "brightness", "convert", "save" })
        QVERIFY2(md.contains(QStringLiteral("| %1 |").arg(QLatin1String(stage))), stage);
    QVERIFY(md.contains(QStringLiteral("2 repetitions")));
    QVERIFY(md.contains(QStringLiteral("Failed inputs")));
}

void TestReports::jsonRoundTrips()
{
    const QJsonObject written = ReportWriter::toJson(m_run, m_repeats);
    const LoadedReport loaded = readReport(QJsonDocument(written).toJson());
    QVERIFY2(loaded.error.isEmpty(), qPrintable(loaded.error));
    QCOMPARE(loaded.repeats.size(), m_repeats.size());
    QCOMPARE(loaded.run.spans.size(), m_run.spans.size());
    QCOMPARE(loaded.run.images.size(), m_run.images.size());
    QCOMPARE(loaded.run.memory.size(), m_run.memory.size());
    QVERIFY(loaded.run.config.toggles == m_run.config.toggles);
    // Written again from what was loaded: the same document.
    QJsonObject again = ReportWriter::toJson(loaded.run, loaded.repeats);
    QCOMPARE(again.value("config"), written.value("config"));
    QCOMPARE(again.value("environment"), written.value("environment"));
    QCOMPARE(again.value("summary"), written.value("summary"));
    QCOMPARE(again.value("stages"), written.value("stages"));
    QCOMPARE(again.value("images"), written.value("images"));
    QCOMPARE(again.value("memory"), written.value("memory"));
    QCOMPARE(again.value("repeats"), written.value("repeats"));
    // Spans keep their values to the microsecond.
    const QJsonArray a = again.value("spans").toArray(), b = written.value("spans").toArray();
    QCOMPARE(a.size(), b.size());
    for (int i = 0; i < a.size(); ++i)
        for (int j = 0; j < 8; ++j)
            QVERIFY(std::fabs(a[i].toArray()[j].toDouble() - b[i].toArray()[j].toDouble()) < 1e-3
                || a[i].toArray()[j] == b[i].toArray()[j]);
}

void TestReports::environmentIsTheRunsOwn()
{
    // Taken as the run started: its time is the run's, not this process's
    // start, and a report exported later says so still.
    const QJsonObject env = m_run.environment;
    QVERIFY(!env.isEmpty());
    const QDateTime at = QDateTime::fromString(env.value("started_at").toString(), Qt::ISODateWithMs);
    QVERIFY(at.isValid());
    QVERIFY2(std::llabs(at.msecsTo(m_run.startedAt)) < 1000,
        qPrintable(
            at.toString(Qt::ISODateWithMs) + QLatin1Char(' ') + m_run.startedAt.toString(Qt::ISODateWithMs)));
    QVERIFY(m_repeats.front().startedAt < m_run.startedAt);
    QVERIFY(m_repeats.front().environment.value("started_at") != env.value("started_at"));
    // A report from another machine, read and written again (exported from
    // the window, stored in the history), keeps that machine's environment.
    QJsonObject written = ReportWriter::toJson(m_run, m_repeats);
    QJsonObject elsewhere = written.value("environment").toObject();
    elsewhere.insert("host_name", QStringLiteral("another-machine"));
    elsewhere.insert("cpu_model", QStringLiteral("Some Other CPU @ 1.00GHz"));
    written.insert("environment", elsewhere);
    const LoadedReport loaded = readReport(QJsonDocument(written).toJson());
    QVERIFY2(loaded.error.isEmpty(), qPrintable(loaded.error));
    const QJsonObject again
        = ReportWriter::toJson(loaded.run, loaded.repeats).value("environment").toObject();
    QCOMPARE(again.value("host_name").toString(), QStringLiteral("another-machine"));
    QCOMPARE(again.value("cpu_model").toString(), QStringLiteral("Some Other CPU @ 1.00GHz"));
    QVERIFY(runReport(ReportFormat::Html, loaded.run, loaded.repeats).contains("Some Other CPU @ 1.00GHz"));
}

void TestReports::repetitionsShareThePlansEnvironment()
{
    // Warm-ups and repetitions: the machine as the plan started, before the
    // warm-up's own load, for every repetition; the time is each one's own.
    RepetitionPlan plan;
    plan.warmups = 1;
    plan.repetitions = 2;
    const QDateTime before = QDateTime::currentDateTime();
    const RepeatedRunResult r = RepeatedRun::runBlocking(config(QStringLiteral("out-env")), plan);
    QVERIFY2(r.ok(), qPrintable(r.fatalError));
    QCOMPARE(int(r.runs.size()), 2);
    const auto withoutTime = [](QJsonObject environment) {
        environment.remove(QStringLiteral("started_at"));
        return environment;
    };
    QCOMPARE(withoutTime(r.runs[0].environment), withoutTime(r.runs[1].environment));
    const QDateTime at
        = QDateTime::fromString(r.runs[0].environment.value("started_at").toString(), Qt::ISODateWithMs);
    QVERIFY(at >= before.addMSecs(-1));
    QVERIFY2(at <= r.runs[0].startedAt, qPrintable(at.toString(Qt::ISODateWithMs)));
}

void TestReports::chosenFilesRoundTrip()
{
    // A run on chosen files records them, in their order; a folder's run
    // (and every report from before) has none, and reads back with none.
    QVERIFY(!ReportWriter::toJson(m_run, m_repeats).value("config").toObject().contains("input_files"));
    QVERIFY(readReport(QJsonDocument(ReportWriter::toJson(m_run, m_repeats)).toJson())
                .run.config.inputFiles.isEmpty());
    RunResult chosen = m_run;
    const QStringList files { m_tmp.filePath("b/two.jpg"), m_tmp.filePath("a/one.png") };
    chosen.config.setInputFiles(files);
    const QJsonObject written = ReportWriter::toJson(chosen, {});
    QCOMPARE(
        written.value("config").toObject().value("input_files").toArray(), QJsonArray::fromStringList(files));
    QCOMPARE(written.value("config").toObject().value("input_dir").toString(), m_tmp.path());
    const LoadedReport loaded = readReport(QJsonDocument(written).toJson());
    QVERIFY2(loaded.error.isEmpty(), qPrintable(loaded.error));
    QCOMPARE(loaded.run.config.inputFiles, files);
    QCOMPARE(loaded.run.config.inputDir, m_tmp.path());
}

void TestReports::outputsRoundTripAsWritten()
{
    // A run's outputs are derived from its plan, not held one string each;
    // a report has every one spelt out, and reads back to the same names,
    // a numbered one (a clash) and one no plan derives included.
    RunResult run;
    run.config.inputDir = QStringLiteral("/in");
    run.config.outputDir = QStringLiteral("/out");
    auto plan = std::make_shared<OutputPlan>(run.config);
    plan->rename(QStringLiteral("/in/a.gif"), QStringLiteral("/out/processed_a-2.png"));
    plan->rename(QStringLiteral("/in/old.jpg"), QStringLiteral("/elsewhere/old.jpg"));
    const QStringList paths { QStringLiteral("/in/a.png"), QStringLiteral("/in/a.gif"),
        QStringLiteral("/in/sub/b.webp"), QStringLiteral("/in/old.jpg"), QStringLiteral("/in/c.jpg") };
    for (int i = 0; i < paths.size(); ++i) {
        ImageRecord rec;
        rec.index = i;
        rec.path = paths[i];
        rec.ok = i < 4;
        if (rec.ok)
            rec.setOutput(plan);
        run.files << rec.path;
        run.images.push_back(rec);
    }
    const QStringList expected { QStringLiteral("/out/processed_a.png"),
        QStringLiteral("/out/processed_a-2.png"), QStringLiteral("/out/sub/processed_b.png"),
        QStringLiteral("/elsewhere/old.jpg"), QString() };
    const QJsonObject written = ReportWriter::toJson(run, {});
    const QJsonArray images = written.value("images").toArray();
    const LoadedReport loaded = readReport(QJsonDocument(written).toJson());
    QVERIFY2(loaded.error.isEmpty(), qPrintable(loaded.error));
    for (int i = 0; i < paths.size(); ++i) {
        QCOMPARE(run.images[size_t(i)].output(), expected[i]);
        QCOMPARE(images[i].toObject().value("output").toString(), expected[i]);
        QCOMPARE(loaded.run.images[size_t(i)].output(), expected[i]);
    }
    QVERIFY(images[4].toObject().value("output").isNull());
    // Read back, only the names the plan would not derive are kept.
    QCOMPARE(loaded.run.images[0].outputPlan()->renamedCount(), 2);
}

void TestReports::streamedJsonIsTheWholeReport()
{
    const QString path = m_tmp.filePath(QStringLiteral("streamed.json"));
    QString error;
    QVERIFY2(writeRunReport(path, m_run, m_repeats, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QJsonParseError parse;
    const QJsonObject streamed = QJsonDocument::fromJson(file.readAll(), &parse).object();
    QCOMPARE(parse.error, QJsonParseError::NoError);
    const QJsonObject whole = ReportWriter::toJson(m_run, m_repeats);
    QCOMPARE(streamed.keys(), whole.keys());
    for (const QString &key : whole.keys())
        if (key != QLatin1String("environment")) // the machine's, read again: its load may differ
            QCOMPARE(streamed.value(key), whole.value(key));
    QVERIFY(readReport(QJsonDocument(streamed).toJson()).error.isEmpty());
    // No temporary file is left beside it.
    QCOMPARE(QDir(m_tmp.path())
                 .entryList(QStringList { QStringLiteral(".streamed.json*") }, QDir::Files | QDir::Hidden),
        QStringList());
}

// The small run's records repeated to `images` images, as a folder of that
// many would record them.
RunResult TestReports::largeRun(int images) const
{
    RunResult run = m_run;
    run.images.clear();
    run.files.clear();
    std::vector<StageSpan> spans;
    for (int i = 0; i < images; ++i) {
        const ImageRecord &model = m_run.images[size_t(i % m_run.images.size())];
        run.images.push_back(model);
        run.images.back().index = i;
        run.files << model.path;
        for (const StageSpan &s : m_run.spans)
            if (s.image() == model.index) {
                spans.push_back(s);
                spans.back().setImage(i);
            }
    }
    run.spans = std::move(spans);
    run.summary.imagesTotal = images;
    return run;
}

void TestReports::largeReportsAreWrittenInBoundedPieces_data()
{
    QTest::addColumn<int>("format");
    QTest::newRow("json") << int(ReportFormat::Json);
    QTest::newRow("csv") << int(ReportFormat::Csv);
    QTest::newRow("trace") << int(ReportFormat::Trace);
}

void TestReports::largeReportsAreWrittenInBoundedPieces()
{
    // A report of 20,000 images reaches its file a piece at a time: memory
    // bounded by a piece, not by the folder (issue 19: 100,000 images).
    QFETCH(int, format);
    const RunResult run = largeRun(20000);
    qsizetype largest = 0, total = 0;
    QByteArray all;
    writeReport(ReportFormat(format),
        [&](QByteArrayView piece) {
            largest = std::max(largest, piece.size());
            total += piece.size();
            all.append(piece);
        },
        run, {});
    QVERIFY2(total > 8 * (qsizetype(1) << 20), qPrintable(QString::number(total)));
    QVERIFY2(largest <= (qsizetype(1) << 20), qPrintable(QString::number(largest)));
    // The pieces make the same report as the one made whole.
    QCOMPARE(all, runReport(ReportFormat(format), run, {}));
    if (ReportFormat(format) == ReportFormat::Csv) {
        // Independently of how it was made: a header and a row per span of
        // an image, each ending in a newline.
        const auto imageSpans = std::count_if(
            run.spans.begin(), run.spans.end(), [](const StageSpan &span) { return span.image() >= 0; });
        QCOMPARE(qsizetype(all.count('\n')), qsizetype(1 + imageSpans));
        QVERIFY(all.endsWith('\n'));
    }
    if (ReportFormat(format) == ReportFormat::Trace) {
        // Valid JSON with an event for every span at least.
        QJsonParseError error;
        const QJsonDocument trace = QJsonDocument::fromJson(all, &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        const QJsonArray events
            = trace.isArray() ? trace.array() : trace.object().value("traceEvents").toArray();
        QVERIFY2(size_t(events.size()) >= run.spans.size(), qPrintable(QString::number(events.size())));
    }
    if (ReportFormat(format) == ReportFormat::Json) {
        const LoadedReport loaded = readReport(all);
        QVERIFY2(loaded.error.isEmpty(), qPrintable(loaded.error));
        QCOMPARE(loaded.run.images.size(), size_t(20000));
        QCOMPARE(loaded.run.spans.size(), run.spans.size());
    }
}

void TestReports::htmlOfALargeRunSaysItsTimelineIsThinned()
{
    const RunResult run = largeRun(20000);
    QVERIFY(run.spans.size() > 40000);
    const QByteArray html = runHtml(run, environmentJson(), {});
    QVERIFY(html.contains("The timeline draws one span in"));
    QVERIFY(html.contains(QString::number(run.spans.size()).toUtf8() + " spans"));
    // Self-contained and of bounded size: the spans thinned to about 20,000.
    QVERIFY2(html.size() < 8 * (1 << 20), qPrintable(QString::number(html.size())));
    QVERIFY(!runHtml(m_run, environmentJson(), {}).contains("The timeline draws one span in"));
}

void TestReports::cancelledRepetitionsAreListedNotCounted()
{
    // A repetition stopped part-way: in the report's list, marked; not in
    // the statistics, nor in a comparison's samples.
    std::vector<RunResult> repeats = m_repeats;
    RunResult stopped = m_run;
    stopped.summary.cancelled = true;
    stopped.summary.wallMs = 0.5;
    repeats.push_back(stopped);
    const QJsonObject report = ReportWriter::toJson(m_run, repeats);
    QCOMPARE(report.value("repeats").toArray().size(), int(repeats.size()));
    const QJsonObject wall = report.value("repeat_stats").toObject().value("wall_ms").toObject();
    QCOMPARE(wall.value("n").toInt(), int(m_repeats.size()));
    QVERIFY(wall.value("min").toDouble() > 0.5);
    const RunComparison c
        = compareRuns(m_run, repeats, m_run, m_repeats, QStringLiteral("a"), QStringLiteral("b"));
    QCOMPARE(c.msPerImageA.n, int(m_repeats.size()));
    QCOMPARE(c.msPerImageA.min, c.msPerImageB.min);
}

void TestReports::readerRejectsForeignFiles()
{
    QVERIFY(readReport("{not json").error.contains(QStringLiteral("not valid JSON")));
    QVERIFY(readReport("{\"schema\":\"other/1\"}").error.contains(QStringLiteral("not a PixelPerf report")));
    QVERIFY(readReportFile(m_tmp.filePath("missing.json")).error.contains(QStringLiteral("cannot open")));
}

void TestReports::readerSaysWhenTheSchemaIsNewer()
{
    const QString newer = readReport("{\"schema\":\"pixelperf-report/2\"}").error;
    QVERIFY2(newer.contains(QStringLiteral("'pixelperf-report/2' is a version this PixelPerf cannot read"))
            && newer.contains(QStringLiteral("a newer PixelPerf wrote it")),
        qPrintable(newer));
    const QString ablation
        = readReport(QJsonDocument(QJsonObject { { "schema", "pixelperf-ablation/2" } }).toJson()).error;
    QVERIFY2(ablation.contains(QStringLiteral("a PixelPerf 'pixelperf-ablation/2' file, not a run report")),
        qPrintable(ablation));
}

void TestReports::olderReportsStillRead()
{
    // A report from before the repetitions' summary and the new environment
    // fields (keys are only ever added) reads as it did.
    QJsonObject older = ReportWriter::toJson(m_run, m_repeats);
    older.remove(QStringLiteral("repetitions_summary"));
    QJsonObject environment = older.value(QStringLiteral("environment")).toObject();
    for (const char *key : { "started_at", "host_name", "physical_cores", "cpu_frequency_governor",
             "load_average", "qt_build_version", "libjpeg_turbo_version" })
        environment.remove(QLatin1String(key));
    older.insert(QStringLiteral("environment"), environment);
    const LoadedReport r = readReport(QJsonDocument(older).toJson());
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.repeats.size(), m_repeats.size());
    QCOMPARE(r.run.summary.wallMs, m_run.summary.wallMs);
    QJsonObject again = ReportWriter::toJson(r.run, r.repeats);
    QCOMPARE(again.value(QStringLiteral("summary")), older.value(QStringLiteral("summary")));
    QCOMPARE(again.value(QStringLiteral("repeats")), older.value(QStringLiteral("repeats")));
}

void TestReports::comparisonSaysWhichRunWasSampled()
{
    // A sampled run and an unsampled one are not alike: the comparison
    // says so, the report keeps the rate, and a report read back has it.
    RunResult a = m_run, b = m_run;
    a.config.sampleRateHz = 1000;
    b.config.sampleRateHz = 0;
    const RunComparison c = compareRuns(a, {}, b, {}, QStringLiteral("A"), QStringLiteral("B"));
    QVERIFY(c.paramDifferences.contains(QStringLiteral("call-stack sampling: 1000 Hz -> off")));
    QVERIFY2(c.notes.join(QLatin1Char('\n')).contains(QStringLiteral("only A sampled its call stacks")),
        qPrintable(c.notes.join(QLatin1Char('\n'))));
    const LoadedReport back = readReport(QJsonDocument(ReportWriter::toJson(a, {})).toJson());
    QVERIFY2(back.error.isEmpty(), qPrintable(back.error));
    QCOMPARE(back.run.config.sampleRateHz, 1000);
    const RunComparison same = compareRuns(a, {}, a, {}, QStringLiteral("A"), QStringLiteral("A2"));
    QVERIFY(!same.notes.join(QLatin1Char('\n')).contains(QStringLiteral("sampled its call stacks")));
}

void TestReports::baselinePresetReportsStillRead()
{
    // A report written before "baseline" was renamed "naive": all toggles
    // off, the old name. It reads, keeps the name it was written with, means
    // the naive preset's toggles, and compares with a run of today.
    QJsonObject old = ReportWriter::toJson(m_run, m_repeats);
    QJsonObject config = old.value(QStringLiteral("config")).toObject();
    config.insert(QStringLiteral("preset"), QStringLiteral("baseline"));
    QJsonObject toggles;
    for (const ToggleInfo &info : toggleTable())
        toggles.insert(QLatin1String(info.key), false);
    config.insert(QStringLiteral("toggles"), toggles);
    old.insert(QStringLiteral("config"), config);
    const LoadedReport r = readReport(QJsonDocument(old).toJson());
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.run.config.preset, QStringLiteral("baseline"));
    QVERIFY(r.run.config.toggles == *presetToggles(r.run.config.preset));
    QCOMPARE(presetNameFor(r.run.config.toggles), QStringLiteral("naive"));
    const RunComparison c
        = compareRuns(r.run, r.repeats, m_run, m_repeats, QStringLiteral("baseline"), QStringLiteral("now"));
    QCOMPARE(c.toggleDifferences.size(), qsizetype(ToggleCount)); // today's run is optimized
    QVERIFY(comparisonMarkdown(c).contains(QStringLiteral("baseline")));
}

void TestReports::comparisonOfDifferentConfigs()
{
    // Baseline's naive blur is O(r^2): per-image blur times differ hugely
    // from the separable blur's. One run each: the ratio is shown, but the
    // images of one run are not independent samples, so no verdict.
    PipelineConfig slow = config(QStringLiteral("slow"));
    slow.toggles.set(ToggleId::SeparableBlur, false);
    const RunResult a = PipelineRun::runBlocking(slow);
    const RunResult b = m_run;
    const RunComparison c = compareRuns(a, {}, b, {}, QStringLiteral("naive"), QStringLiteral("separable"));
    QCOMPARE(c.toggleDifferences, QStringList { QStringLiteral("separable-blur: off -> on") });
    bool sawBlur = false;
    for (const StageComparison &s : c.stages) {
        if (s.stage == Stage::Blur) {
            sawBlur = true;
            QCOMPARE(s.sampleKind, QStringLiteral("images"));
            QVERIFY2(s.speedup > 3, qPrintable(QString::number(s.speedup)));
            QCOMPARE(int(s.verdict), int(Verdict::TooFewSamples));
        }
    }
    QVERIFY(sawBlur);
    // A single run each: no overall verdict is claimed.
    QCOMPARE(int(c.verdict), int(Verdict::TooFewSamples));
    const QString md = comparisonMarkdown(c);
    QVERIFY(md.contains(QStringLiteral("separable-blur: off -> on")));
    QXmlStreamReader xml(comparisonHtml(c));
    while (!xml.atEnd())
        xml.readNext();
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
}

namespace {

// A stand-in for the child process: each configuration's time per image and
// own peak RSS follow from its toggles (the naive blur +40 ms, sequential
// +20 ms, streaming off +60 MiB, the rest nothing), plus a drift that grows
// with every measurement (a machine slowing down) and a small alternating
// jitter. What the ablation makes of it must not depend on the order.
struct FakeRunner {
    int calls = 0;
    std::vector<ToggleSet> seen;

    IsolatedRun operator()(const PipelineConfig &c, int warmups)
    {
        const double drift = 1.0 + 0.004 * calls;
        const double jitter = (calls % 2 ? 0.3 : -0.3);
        ++calls;
        seen.push_back(c.toggles);
        double ms = 20;
        int64_t rss = int64_t(40) << 20;
        if (!c.isOn(ToggleId::SeparableBlur))
            ms += 40;
        if (!c.isOn(ToggleId::Parallel))
            ms += 20;
        if (!c.isOn(ToggleId::Streaming))
            rss += int64_t(60) << 20;
        IsolatedRun r;
        r.run.config = c;
        RunSummary &s = r.run.summary;
        s.imagesTotal = s.imagesOk = 10;
        s.wallMs = 10 * (ms * drift + jitter);
        s.decodeCacheBytes = c.isOn(ToggleId::DecodeCache) && warmups > 0 ? int64_t(30) << 20 : 0;
        s.imagesFromCache = s.decodeCacheBytes > 0 ? 10 : 0;
        s.peakRssBytes = rss + s.decodeCacheBytes;
        return r;
    }
};

QStringList rankingOf(const AblationResult &r)
{
    QStringList claimed;
    for (const AblationEntry &e : r.entries)
        if (e.timeClaimed)
            claimed << QLatin1String(toggleInfo(e.toggle).key);
    return claimed;
}

} // namespace

void TestReports::ablationScheduleInterleaves()
{
    IsolationPlan plan;
    plan.rounds = 3;
    QCOMPARE(interleavedSchedule(3, plan), (std::vector<int> { 0, 1, 2, 0, 1, 2, 0, 1, 2 }));
    plan.order = RunOrder::Reverse;
    QCOMPARE(interleavedSchedule(3, plan), (std::vector<int> { 2, 1, 0, 2, 1, 0, 2, 1, 0 }));
    plan.order = RunOrder::Shuffle;
    plan.seed = 7;
    const std::vector<int> shuffled = interleavedSchedule(13, plan);
    QCOMPARE(shuffled, interleavedSchedule(13, plan)); // the seed decides
    QCOMPARE(int(shuffled.size()), 39);
    for (int round = 0; round < 3; ++round) {
        std::vector<int> block(shuffled.begin() + round * 13, shuffled.begin() + (round + 1) * 13);
        std::sort(block.begin(), block.end());
        for (int i = 0; i < 13; ++i)
            QCOMPARE(block[size_t(i)], i); // every round measures every configuration once
    }
    plan.order = RunOrder::Forward;
    QVERIFY(shuffled != interleavedSchedule(13, plan));
}

void TestReports::ablationReadsBack()
{
    // A stored ablation reopens its chart from its JSON: what the chart and
    // the sentences read comes back as written.
    FakeRunner fake;
    IsolationPlan plan;
    plan.order = RunOrder::Shuffle;
    const AblationResult r
        = runAblation(config(QStringLiteral("ablate-json")), plan, {}, nullptr, std::ref(fake));
    const LoadedAblation back = readAblation(ablationJson(r));
    QVERIFY2(back.error.isEmpty(), qPrintable(back.error));
    QCOMPARE(back.result.config.toggles, r.config.toggles);
    QCOMPARE(back.result.plan.order, RunOrder::Shuffle);
    QCOMPARE(back.result.all.msPerImage.median, r.all.msPerImage.median);
    QCOMPARE(back.result.all.ownPeakRssBytes, r.all.ownPeakRssBytes);
    QCOMPARE(back.result.entries.size(), r.entries.size());
    for (size_t i = 0; i < r.entries.size(); ++i) {
        QCOMPARE(back.result.entries[i].toggle, r.entries[i].toggle);
        QCOMPARE(back.result.entries[i].speedupShare, r.entries[i].speedupShare);
        QCOMPARE(back.result.entries[i].memoryClaimed, r.entries[i].memoryClaimed);
        QCOMPARE(back.result.entries[i].sentence, r.entries[i].sentence);
    }
    QCOMPARE(ablationMarkdown(back.result), ablationMarkdown(r));
    QVERIFY(readAblation(ReportWriter::toJson(m_run, m_repeats))
                .error.contains(QStringLiteral("not an ablation")));
}

void TestReports::ablationHasOneEntryPerToggle()
{
    PipelineConfig c = config(QStringLiteral("ablate"));
    FakeRunner fake;
    int calls = 0;
    IsolationPlan plan;
    plan.warmups = 1; // decode-cache measured on a re-run
    const AblationResult r = runAblation(
        c, plan,
        [&](int done, int total, const QString &) {
            ++calls;
            return done < total;
        },
        nullptr, std::ref(fake));
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QVERIFY(!r.cancelled);
    QCOMPARE(int(r.entries.size()), ToggleCount);
    // One discarded run (the page cache), then the rounds.
    QCOMPARE(calls, plan.rounds * (ToggleCount + 1) + 1);
    QCOMPARE(fake.calls, calls);
    // Interleaved: after the discarded one, ToggleCount + 1 measurements are one of each.
    QCOMPARE(fake.seen[1], c.toggles);
    QVERIFY(fake.seen[2] != c.toggles && fake.seen[size_t(ToggleCount + 2)] == c.toggles);
    double share = 0, memoryShare = 0;
    QSet<int> seen;
    for (const AblationEntry &e : r.entries) {
        seen.insert(int(e.toggle));
        share += e.speedupShare;
        memoryShare += e.memoryShare;
        QVERIFY(!e.sentence.isEmpty());
        QVERIFY(e.sentence.contains(QLatin1String(toggleInfo(e.toggle).key)));
        QCOMPARE(e.without.rounds, plan.rounds);
    }
    QCOMPARE(seen.size(), ToggleCount);
    QVERIFY(std::fabs(share - 1.0) < 1e-9);
    QVERIFY(std::fabs(memoryShare - 1.0) < 1e-9);
    for (size_t i = 1; i < r.entries.size(); ++i)
        QVERIFY(r.entries[i - 1].speedupShare >= r.entries[i].speedupShare);
    // Only what costs something is claimed: blur 2/3 of the speedup,
    // parallel 1/3; streaming all of the memory saving. The decode cache's
    // 30 MiB held from the warm-up is not counted against the others.
    QCOMPARE(rankingOf(r), (QStringList { "separable-blur", "parallel" }));
    for (const AblationEntry &e : r.entries) {
        if (e.toggle == ToggleId::SeparableBlur) {
            QVERIFY(std::fabs(e.speedupShare - 2.0 / 3) < 0.02);
            QVERIFY(e.slowdown.value > 2.5 && e.slowdown.spreadKnown);
        } else if (e.toggle == ToggleId::Streaming) {
            QVERIFY(e.memoryClaimed);
            QCOMPARE(e.memoryShare, 1.0);
        } else if (e.toggle != ToggleId::Parallel) {
            QVERIFY2(!e.timeClaimed && !e.memoryClaimed, toggleInfo(e.toggle).key);
            QVERIFY(e.sentence.contains(QStringLiteral("no time difference"))
                || e.sentence.contains(QStringLiteral("not claimed")));
        }
        if (e.toggle == ToggleId::DecodeCache)
            QVERIFY(e.sentence.contains(QStringLiteral("re-run")));
    }
    QCOMPARE(r.all.decodeCacheBytes, int64_t(30) << 20);
    QCOMPARE(r.all.ownPeakRssBytes, int64_t(40) << 20);
    QCOMPARE(ablationJson(r).value("entries").toArray().size(), ToggleCount);
    QVERIFY(ablationMarkdown(r).contains("fresh process"));
    QXmlStreamReader xml(ablationHtml(r));
    while (!xml.atEnd())
        xml.readNext();
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
}

void TestReports::ablationDoesNotDependOnOrder()
{
    // The same machine (the same drift per measurement) in three orders:
    // the same claims, in the same ranking, with shares within a few %.
    PipelineConfig c = config(QStringLiteral("ablate-order"));
    std::vector<AblationResult> results;
    for (RunOrder order : { RunOrder::Forward, RunOrder::Reverse, RunOrder::Shuffle }) {
        IsolationPlan plan;
        plan.order = order;
        plan.seed = 42;
        FakeRunner fake;
        results.push_back(runAblation(c, plan, {}, nullptr, std::ref(fake)));
    }
    for (const AblationResult &r : results) {
        QCOMPARE(rankingOf(r), rankingOf(results[0]));
        for (size_t i = 0; i < r.entries.size(); ++i) {
            QCOMPARE(r.entries[i].toggle, results[0].entries[i].toggle);
            QVERIFY(std::fabs(r.entries[i].speedupShare - results[0].entries[i].speedupShare) < 0.03);
            QCOMPARE(r.entries[i].memoryShare, results[0].entries[i].memoryShare);
        }
    }
}

void TestReports::cancelledAblationKeepsWhatWasMeasured()
{
    PipelineConfig c = config(QStringLiteral("ablate-cancel"));
    FakeRunner fake;
    IsolationPlan plan;
    // Stop after the first round and a half: every configuration has one
    // measurement, some two. (The first call announces the discarded run.)
    const int stopAt = (ToggleCount + 1) * 3 / 2;
    int calls = 0;
    const AblationResult r = runAblation(
        c, plan, [&](int done, int, const QString &) { return calls++ == 0 || done < stopAt; }, nullptr,
        std::ref(fake));
    QVERIFY(r.cancelled);
    QCOMPARE(r.runsDone, stopAt);
    QCOMPARE(r.runsPlanned, plan.rounds * (ToggleCount + 1));
    QCOMPARE(int(r.entries.size()), ToggleCount);
    QCOMPARE(r.all.rounds, 2);
    QVERIFY(ablationMarkdown(r).contains("Cancelled after"));
    // And a stop flag set before the first measurement: nothing measured.
    std::atomic<bool> stop { true };
    const AblationResult none = runAblation(c, plan, {}, &stop, std::ref(fake));
    QVERIFY(none.cancelled);
    QCOMPARE(none.runsDone, 0);
    QVERIFY(none.entries.empty());
}

void TestReports::ablationClaimsNothingFromOneRound()
{
    // One round: the figures are there, the noise is not, so no toggle is
    // credited with anything, and the sentences say why.
    PipelineConfig c = config(QStringLiteral("ablate-one"));
    FakeRunner fake;
    IsolationPlan plan;
    plan.rounds = 1;
    const AblationResult r = runAblation(c, plan, {}, nullptr, std::ref(fake));
    QCOMPARE(int(r.entries.size()), ToggleCount);
    for (const AblationEntry &e : r.entries) {
        QVERIFY(!e.timeClaimed && !e.memoryClaimed);
        QCOMPARE(e.speedupShare, 0.0);
        QVERIFY2(e.sentence.contains(QStringLiteral("noise is unknown")), qPrintable(e.sentence));
    }
}

void TestReports::ablationSaysWhenOffIsFaster()
{
    // A toggle whose off path is faster here (parallel on a busy one-core
    // machine, say): said as such, not as "within the spread".
    PipelineConfig c = config(QStringLiteral("ablate-faster"));
    FakeRunner fake;
    const IsolatedRunner runner = [&](const PipelineConfig &cfg, int warmups) {
        IsolatedRun r = fake(cfg, warmups);
        if (!cfg.isOn(ToggleId::Parallel))
            r.run.summary.wallMs = 10 * 10.0; // 10 ms per image against everything on's 20
        return r;
    };
    const AblationResult r = runAblation(c, IsolationPlan {}, {}, nullptr, runner);
    bool saw = false;
    for (const AblationEntry &e : r.entries) {
        if (e.toggle != ToggleId::Parallel)
            continue;
        saw = true;
        QVERIFY(!e.timeClaimed);
        QVERIFY(e.timeCostsToKeep);
        QVERIFY2(e.sentence.contains(QStringLiteral("made the run faster")), qPrintable(e.sentence));
    }
    QVERIFY(saw);
}

namespace {

// Six repetitions of a run whose wall time per image is `ms` (with a little
// jitter), started at `t0` plus 100 ms each, in process `pid` (or a process
// each when pid is 0).
std::vector<RunResult> repetitionsOf(double ms, qint64 t0, qint64 pid)
{
    std::vector<RunResult> reps;
    for (int i = 0; i < 6; ++i) {
        RunResult r;
        r.summary.imagesTotal = r.summary.imagesOk = 10;
        r.summary.wallMs = 10 * ms * (1.0 + 0.002 * (i % 3));
        r.startedAt = QDateTime::fromMSecsSinceEpoch(t0 + 100 * i);
        r.processId = pid ? pid : 1000 + t0 / 10 + i;
        reps.push_back(r);
    }
    return reps;
}

} // namespace

void TestReports::comparisonKnowsHowRunsWereMeasured()
{
    const qint64 t = QDateTime::currentMSecsSinceEpoch();
    // 7 % slower, interleaved (the repetitions overlap in time), a process
    // each: beyond the 5 % of interleaved runs.
    {
        const std::vector<RunResult> a = repetitionsOf(10, t, 0), b = repetitionsOf(10.7, t + 50, 0);
        const RunComparison c = compareRuns(a.back(), a, b.back(), b);
        QVERIFY(c.interleaved);
        QCOMPARE(c.minimumEffect, MinimumEffect);
        QCOMPARE(c.verdict, Verdict::Slower);
    }
    // The same 7 %, one after the other: under the 10 % a machine drifts
    // between runs, not claimed, and said so.
    {
        const std::vector<RunResult> a = repetitionsOf(10, t, 0), b = repetitionsOf(10.7, t + 10000, 0);
        const RunComparison c = compareRuns(a.back(), a, b.back(), b);
        QVERIFY(!c.interleaved);
        QCOMPARE(c.verdict, Verdict::WithinNoise);
        QVERIFY(c.notes.join(' ').contains(QStringLiteral("one after the other")));
        // 20 %: claimed.
        const std::vector<RunResult> d = repetitionsOf(12, t + 10000, 0);
        QCOMPARE(compareRuns(a.back(), a, d.back(), d).verdict, Verdict::Slower);
    }
    // Each side's repetitions in one process, two processes: the difference
    // between processes is in no sample: no verdict, and why.
    {
        const std::vector<RunResult> a = repetitionsOf(10, t, 11), b = repetitionsOf(12, t + 10000, 12);
        const RunComparison c = compareRuns(a.back(), a, b.back(), b);
        QCOMPARE(c.verdict, Verdict::TooFewSamples);
        QVERIFY(c.notes.join(' ').contains(QStringLiteral("in one process")));
        // Both in the same process (two runs of one window): comparable.
        const std::vector<RunResult> e = repetitionsOf(12, t + 10000, 11);
        QCOMPARE(compareRuns(a.back(), a, e.back(), e).verdict, Verdict::Slower);
    }
    // Five repetitions a side and seven stages: no stage can pass Holm's
    // correction; the comparison says how many it needs.
    {
        std::vector<RunResult> a = repetitionsOf(10, t, 0), b = repetitionsOf(5, t + 50, 0);
        a.pop_back();
        b.pop_back();
        for (std::vector<RunResult> *side : { &a, &b })
            for (RunResult &r : *side) {
                r.config.toggles.set(
                    ToggleId::FusedPointOps, false); // brightness and convert do their own work
                for (int s = 1; s <= 7; ++s) {
                    StageStats st;
                    st.stage = Stage(s);
                    st.count = 10;
                    st.totalMs = r.summary.wallMs / 8;
                    r.stages.push_back(st);
                }
            }
        const RunComparison c = compareRuns(a.back(), a, b.back(), b);
        QCOMPARE(c.verdict, Verdict::Faster); // overall: one test, 2/252 < 0.05
        int tested = 0;
        for (const StageComparison &st : c.stages)
            if (st.verdict != Verdict::NotCompared) {
                ++tested;
                QCOMPARE(st.verdict, Verdict::TooFewSamples);
            }
        QCOMPARE(tested, 7);
        QVERIFY2(c.notes.join(' ').contains(QStringLiteral("per-stage verdicts need 6 repetitions a side")),
            qPrintable(c.notes.join('\n')));
    }
}

QTEST_GUILESS_MAIN(TestReports)
#include "tst_reports.moc"
