// pixelperf-cli run's sampled call stacks (issue 16): the folded stacks name
// the function each toggle's lesson is in, nearly every sample is named,
// the speedscope file follows speedscope's file format, and the reports
// carry the profile. Both sampling methods: perf_event, and the timer
// signal it falls back to ($PIXELPERF_SAMPLER=timer forces it).
#include "samples/samplegenerator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <set>

using namespace pixelperf;

namespace {

struct Folded {
    std::map<QString, int64_t> stacks; // "stage;frame;…" → samples
    int64_t samples = 0;
    QString error;
};

Folded readFolded(const QString &path)
{
    Folded f;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        f.error = QStringLiteral("cannot open ") + path;
        return f;
    }
    for (const QByteArray &raw : file.readAll().split('\n')) {
        if (raw.isEmpty())
            continue;
        const QString line = QString::fromUtf8(raw);
        const int space = line.lastIndexOf(QLatin1Char(' '));
        bool ok = false;
        const int64_t count = line.mid(space + 1).toLongLong(&ok);
        if (space <= 0 || !ok || count <= 0) {
            f.error = QStringLiteral("not a folded line: ") + line;
            return f;
        }
        f.stacks[line.left(space)] += count;
        f.samples += count;
    }
    return f;
}

// A stage's functions by self samples (innermost frame), most first.
std::vector<std::pair<QString, int64_t>> selfRanking(const Folded &f, const QString &stage)
{
    std::map<QString, int64_t> self;
    for (const auto &[stack, count] : f.stacks)
        if (stack.startsWith(stage + QLatin1Char(';')))
            self[stack.section(QLatin1Char(';'), -1)] += count;
    std::vector<std::pair<QString, int64_t>> ranked(self.begin(), self.end());
    std::sort(ranked.begin(), ranked.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
    return ranked;
}

// The functions a stage's entry point calls (`entry`, e.g. resizeStage),
// by total samples (once per stack), most first: a top-down view of it.
std::vector<std::pair<QString, int64_t>> calleeRanking(
    const Folded &f, const QString &stage, const QString &entry)
{
    std::map<QString, int64_t> total;
    for (const auto &[stack, count] : f.stacks) {
        if (!stack.startsWith(stage + QLatin1Char(';')))
            continue;
        const QStringList frames = stack.split(QLatin1Char(';'));
        int at = 0;
        while (at < frames.size() && !frames[at].startsWith(entry + QLatin1Char('(')))
            ++at;
        const std::set<QString> callees(
            frames.begin() + std::min<int>(at + 1, int(frames.size())), frames.end());
        for (const QString &name : callees)
            total[name] += count;
    }
    std::vector<std::pair<QString, int64_t>> ranked(total.begin(), total.end());
    std::sort(ranked.begin(), ranked.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
    return ranked;
}

} // namespace

class TestCliProfiler : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void blurHotspotIsTheNaiveConvolution_data();
    void blurHotspotIsTheNaiveConvolution();
    void uncachedWeightsShowInResize();
    void speedscopeFollowsTheFileFormat();
    void repetitionsInFreshProcessesAreMerged();
    void exportsNeedSampling();
    void samplingLeavesTheRunsMemoryAlone();

private:
    struct Run {
        int exitCode = -1;
        QString out;
        QString err;
    };
    Run cli(const QStringList &args, const QString &sampler = QString());

    QTemporaryDir m_tmp;
    QString m_small; // 1200x800 images
};

void TestCliProfiler::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    m_small = m_tmp.filePath(QStringLiteral("small"));
    QVERIFY(generateSamples(m_small, 4, 1200, 800, 3).error.isEmpty());
}

TestCliProfiler::Run TestCliProfiler::cli(const QStringList &args, const QString &sampler)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("PIXELPERF_SAMPLER"));
    if (!sampler.isEmpty())
        env.insert(QStringLiteral("PIXELPERF_SAMPLER"), sampler);
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(PIXELPERF_CLI_PATH), args);
    Run r;
    if (!p.waitForFinished(300000)) {
        p.kill();
        p.waitForFinished();
        r.err = QStringLiteral("timed out");
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

void TestCliProfiler::blurHotspotIsTheNaiveConvolution_data()
{
    QTest::addColumn<QString>("sampler");
    QTest::addColumn<QString>("method");
    QTest::newRow("perf_event") << QString() << QStringLiteral("perf_event");
    QTest::newRow("timer signal") << QStringLiteral("timer") << QStringLiteral("timer-signal");
}

void TestCliProfiler::blurHotspotIsTheNaiveConvolution()
{
    QFETCH(QString, sampler);
    QFETCH(QString, method);
    const QString stacks = m_tmp.filePath(QStringLiteral("baseline-%1.folded").arg(method));
    const QString report = m_tmp.filePath(QStringLiteral("baseline-%1.json").arg(method));
    const QString html = m_tmp.filePath(QStringLiteral("baseline-%1.html").arg(method));
    const Run r = cli({ QStringLiteral("run"), m_small, QStringLiteral("-o"),
                          m_tmp.filePath(QStringLiteral("out-b")), QStringLiteral("--preset"),
                          QStringLiteral("baseline"), QStringLiteral("--size"), QStringLiteral("600x400"),
                          QStringLiteral("--jobs"), QStringLiteral("2"), QStringLiteral("--stacks"), stacks,
                          QStringLiteral("--report"), report, QStringLiteral("--html"), html },
        sampler);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QFile reportFile(report);
    QVERIFY(reportFile.open(QIODevice::ReadOnly));
    const QJsonObject profile
        = QJsonDocument::fromJson(reportFile.readAll()).object().value(QStringLiteral("profile")).toObject();
    if (method == QLatin1String("perf_event") && profile.value(QStringLiteral("method")).toString() != method)
        QSKIP(qPrintable(QStringLiteral("the kernel refuses perf_event here: ")
            + profile.value(QStringLiteral("note")).toString()));
    QCOMPARE(profile.value(QStringLiteral("method")).toString(), method);
    QVERIFY2(r.out.contains(QStringLiteral("call stacks: ")) && r.out.contains(method), qPrintable(r.out));

    const Folded f = readFolded(stacks);
    QVERIFY2(f.error.isEmpty(), qPrintable(f.error));
    QVERIFY2(f.samples >= 200, qPrintable(QString::number(f.samples)));
    QCOMPARE(qint64(profile.value(QStringLiteral("samples")).toInteger()), qint64(f.samples));
    // The naive 2-D convolution (naiveRows, inlined into blurNaive, which
    // the frame names) is where blur's time goes.
    const auto blur = selfRanking(f, QStringLiteral("blur"));
    QVERIFY(!blur.empty());
    QVERIFY2(blur.front().first.contains(QRegularExpression(QStringLiteral("blurNaive|naiveRows"))),
        qPrintable(blur.front().first));
    // Nearly every sample is named where it was (its innermost frame).
    int64_t named = 0;
    for (const auto &[stack, count] : f.stacks)
        if (!stack.section(QLatin1Char(';'), -1).startsWith(QLatin1String("[unknown")))
            named += count;
    QVERIFY2(named >= f.samples * 95 / 100, qPrintable(QStringLiteral("%1 of %2").arg(named).arg(f.samples)));
    QCOMPARE(qint64(profile.value(QStringLiteral("symbolized_samples")).toInteger()), qint64(named));
    // The JSON summary's top function of blur; the HTML report's flame graph.
    const QJsonArray top = profile.value(QStringLiteral("stages"))
                               .toObject()
                               .value(QStringLiteral("blur"))
                               .toObject()
                               .value(QStringLiteral("top_self"))
                               .toArray();
    QVERIFY(!top.isEmpty());
    QCOMPARE(top.first().toObject().value(QStringLiteral("function")).toString(), blur.front().first);
    QFile page(html);
    QVERIFY(page.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(page.readAll());
    QVERIFY(text.contains(QStringLiteral("<svg class=\"flamegraph\"")));
    QVERIFY(text.contains(QStringLiteral("blurNaive")));
}

// The resize stage's share of samples in the weight computation
// (computeAxisWeights and what it calls), and where it ranks among the
// stage's callees.
struct WeightShare {
    double share = 0;
    int rank = -1;
    QString top;
};

WeightShare weightShare(const Folded &f)
{
    WeightShare w;
    const auto ranked = calleeRanking(f, QStringLiteral("resize"), QStringLiteral("pixelperf::resizeStage"));
    int64_t resize = 0, weights = 0;
    for (const auto &[stack, count] : f.stacks) {
        if (!stack.startsWith(QLatin1String("resize;")))
            continue;
        resize += count;
        if (stack.contains(QLatin1String("computeAxisWeights(")))
            weights += count;
    }
    w.share = resize > 0 ? double(weights) / double(resize) : 0;
    for (size_t i = 0; i < ranked.size(); ++i) {
        if (w.rank < 0 && ranked[i].first.contains(QLatin1String("computeAxisWeights(")))
            w.rank = int(i);
        if (i < 8)
            w.top += QStringLiteral("%1 (%2)\n").arg(ranked[i].first.left(90)).arg(ranked[i].second);
    }
    return w;
}

void TestCliProfiler::uncachedWeightsShowInResize()
{
#if defined(__SANITIZE_ADDRESS__)
    // The CLI under test is built with the same sanitizer: its instrumented
    // memory accesses make the kernels about 40 times slower and the
    // arithmetic of the weights a sliver (0.5 % of resize, against 17 % in
    // a release build). The shape asserted here is the release build's.
    QSKIP("the kernels' share under AddressSanitizer is not the product's");
#endif
    // A high rate: the optimized pipeline is fast, and the weights are
    // about a millisecond per image. Three repetitions in this process:
    // with the toggle on, the weights are computed once for all of them.
    auto profile = [&](const QString &toggles, const QString &name) {
        const QString stacks = m_tmp.filePath(name);
        const Run r = cli({ QStringLiteral("run"), m_small, QStringLiteral("-o"),
            m_tmp.filePath(QStringLiteral("out-u")), QStringLiteral("--preset"), QStringLiteral("optimized"),
            QStringLiteral("--off"), toggles, QStringLiteral("--jobs"), QStringLiteral("2"),
            QStringLiteral("--sample-rate"), QStringLiteral("10000"), QStringLiteral("--repeat"),
            QStringLiteral("3"), QStringLiteral("--same-process"), QStringLiteral("--stacks"), stacks,
            QStringLiteral("--quiet") });
        Folded f = readFolded(stacks);
        if (r.exitCode != 0)
            f.error = r.err;
        return f;
    };
    const Folded off
        = profile(QStringLiteral("cached-kernels,decode-cache"), QStringLiteral("uncached.folded"));
    QVERIFY2(off.error.isEmpty(), qPrintable(off.error));
    const Folded on = profile(QStringLiteral("decode-cache"), QStringLiteral("cached.folded"));
    QVERIFY2(on.error.isEmpty(), qPrintable(on.error));
    const WeightShare uncached = weightShare(off);
    const WeightShare cached = weightShare(on);
    // Off: among the stage's top callees, a visible share; on: a sliver.
    QVERIFY2(uncached.rank >= 0 && uncached.rank < 8, qPrintable(uncached.top));
    QVERIFY2(uncached.share >= 0.03, qPrintable(QString::number(uncached.share)));
    QVERIFY2(uncached.share >= 3 * cached.share,
        qPrintable(QStringLiteral("off %1, on %2").arg(uncached.share).arg(cached.share)));
}

void TestCliProfiler::speedscopeFollowsTheFileFormat()
{
    const QString path = m_tmp.filePath(QStringLiteral("profile.speedscope.json"));
    const Run r = cli({ QStringLiteral("run"), m_small, QStringLiteral("-o"),
        m_tmp.filePath(QStringLiteral("out-s")), QStringLiteral("--size"), QStringLiteral("800x600"),
        QStringLiteral("--blur"), QStringLiteral("10"), QStringLiteral("--sample-rate"),
        QStringLiteral("4000"), QStringLiteral("--speedscope"), path, QStringLiteral("--quiet") });
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QJsonParseError error;
    const QJsonObject doc = QJsonDocument::fromJson(file.readAll(), &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    // src/lib/file-format-spec.ts of speedscope: File, Frame, SampledProfile.
    QCOMPARE(doc.value(QStringLiteral("$schema")).toString(),
        QStringLiteral("https://www.speedscope.app/file-format-schema.json"));
    const QJsonArray frames
        = doc.value(QStringLiteral("shared")).toObject().value(QStringLiteral("frames")).toArray();
    QVERIFY(!frames.isEmpty());
    for (const QJsonValue &frame : frames)
        QVERIFY(frame.toObject().value(QStringLiteral("name")).isString());
    const QJsonArray profiles = doc.value(QStringLiteral("profiles")).toArray();
    QVERIFY(!profiles.isEmpty());
    const QStringList units { QStringLiteral("none"), QStringLiteral("nanoseconds"),
        QStringLiteral("microseconds"), QStringLiteral("milliseconds"), QStringLiteral("seconds"),
        QStringLiteral("bytes") };
    QStringList names;
    for (const QJsonValue &value : profiles) {
        const QJsonObject p = value.toObject();
        QCOMPARE(p.value(QStringLiteral("type")).toString(), QStringLiteral("sampled"));
        QVERIFY(p.value(QStringLiteral("name")).isString());
        names << p.value(QStringLiteral("name")).toString();
        QVERIFY(units.contains(p.value(QStringLiteral("unit")).toString()));
        QVERIFY(p.value(QStringLiteral("startValue")).isDouble()
            && p.value(QStringLiteral("endValue")).isDouble());
        const QJsonArray samples = p.value(QStringLiteral("samples")).toArray();
        const QJsonArray weights = p.value(QStringLiteral("weights")).toArray();
        QVERIFY(!samples.isEmpty());
        QCOMPARE(weights.size(), samples.size());
        double sum = 0;
        for (int i = 0; i < samples.size(); ++i) {
            QVERIFY(weights[i].isDouble() && weights[i].toDouble() > 0);
            sum += weights[i].toDouble();
            for (const QJsonValue &index : samples[i].toArray())
                QVERIFY(index.isDouble() && index.toInt() >= 0 && index.toInt() < frames.size());
        }
        QVERIFY(qAbs(sum
                    - (p.value(QStringLiteral("endValue")).toDouble()
                        - p.value(QStringLiteral("startValue")).toDouble()))
            < 1e-6 * sum + 1e-9);
    }
    // Blur and load take about 10 ms of CPU each here, some 40 samples at
    // 4 kHz. At 400x300 and the default radius the blur had 2-4, and once none.
    QVERIFY2(names.contains(QStringLiteral("blur")) && names.contains(QStringLiteral("load")),
        qPrintable(names.join(QLatin1Char(','))));
}

void TestCliProfiler::repetitionsInFreshProcessesAreMerged()
{
    const QString stacks = m_tmp.filePath(QStringLiteral("repeats.folded"));
    const QString report = m_tmp.filePath(QStringLiteral("repeats.json"));
    const Run r = cli({ QStringLiteral("run"), m_small, QStringLiteral("-o"),
        m_tmp.filePath(QStringLiteral("out-r")), QStringLiteral("--size"), QStringLiteral("400x300"),
        QStringLiteral("--repeat"), QStringLiteral("2"), QStringLiteral("--warmup"), QStringLiteral("1"),
        QStringLiteral("--stacks"), stacks, QStringLiteral("--report"), report, QStringLiteral("--quiet") });
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QFile reportFile(report);
    QVERIFY(reportFile.open(QIODevice::ReadOnly));
    const QJsonObject profile
        = QJsonDocument::fromJson(reportFile.readAll()).object().value(QStringLiteral("profile")).toObject();
    // Both measured children's stacks, the warm-ups' none.
    QCOMPARE(profile.value(QStringLiteral("runs")).toInt(), 2);
    const Folded f = readFolded(stacks);
    QVERIFY2(f.error.isEmpty(), qPrintable(f.error));
    QVERIFY(f.samples > 0);
    QCOMPARE(qint64(profile.value(QStringLiteral("samples")).toInteger()), qint64(f.samples));
}

void TestCliProfiler::exportsNeedSampling()
{
    for (const QString &off : { QStringLiteral("--no-sample"), QStringLiteral("--no-profile") }) {
        const QString stacks = m_tmp.filePath(QStringLiteral("never.folded"));
        const Run r = cli({ QStringLiteral("run"), m_small, QStringLiteral("-o"),
            m_tmp.filePath(QStringLiteral("out-n")), off, QStringLiteral("--stacks"), stacks });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("--stacks needs sampled call stacks")) && r.err.contains(off),
            qPrintable(r.err));
        QVERIFY(!QFile::exists(stacks));
    }
    const Run r
        = cli({ QStringLiteral("run"), m_small, QStringLiteral("--sample-rate"), QStringLiteral("0") });
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("--sample-rate")), qPrintable(r.err));
}

// The run's peak RSS and its memory line are the pipeline's: naming the
// sampled frames (libdw's tables, a few MiB) comes after they are taken,
// so sampling moves neither by more than its rings and samples. On small
// images the peak is at the end of the run, where the naming had been.
void TestCliProfiler::samplingLeavesTheRunsMemoryAlone()
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    QSKIP("a sanitizer's shadow memory is not the product's memory");
#endif
    const QString tiny = m_tmp.filePath(QStringLiteral("tiny"));
    QVERIFY(generateSamples(tiny, 200, 160, 120, 5).error.isEmpty());
    struct Memory {
        std::vector<double> peak, last;
    } sampled, unsampled;
    const QString report = m_tmp.filePath(QStringLiteral("memory.json"));
    for (int round = 0; round < 3; ++round) {
        for (const bool sample : { true, false }) {
            QStringList args { QStringLiteral("run"), tiny, QStringLiteral("-o"),
                m_tmp.filePath(QStringLiteral("out-m")), QStringLiteral("--jobs"), QStringLiteral("2"),
                QStringLiteral("--report"), report, QStringLiteral("--no-history"),
                QStringLiteral("--quiet") };
            if (!sample)
                args << QStringLiteral("--no-sample");
            const Run r = cli(args);
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            QFile file(report);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
            QCOMPARE(json.contains(QStringLiteral("profile")), sample);
            const QJsonArray line = json.value(QStringLiteral("memory")).toArray();
            QVERIFY(line.size() >= 2);
            Memory &m = sample ? sampled : unsampled;
            m.peak.push_back(json.value(QStringLiteral("summary"))
                                 .toObject()
                                 .value(QStringLiteral("peak_rss_bytes"))
                                 .toDouble());
            m.last.push_back(line.last().toObject().value(QStringLiteral("rss_bytes")).toDouble());
        }
    }
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2] / (1024.0 * 1024.0);
    };
    // Naming had added 3.4 MiB to both here; the rings and the samples add
    // about 0.3.
    const double peakAdded = median(sampled.peak) - median(unsampled.peak);
    const double lastAdded = median(sampled.last) - median(unsampled.last);
    QVERIFY2(peakAdded < 1.5, qPrintable(QStringLiteral("sampling added %1 MiB to the peak").arg(peakAdded)));
    QVERIFY2(lastAdded < 1.5,
        qPrintable(QStringLiteral("sampling added %1 MiB to the last memory sample").arg(lastAdded)));
}

QTEST_GUILESS_MAIN(TestCliProfiler)
#include "tst_cli_profiler.moc"
