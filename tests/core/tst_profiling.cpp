// The profile as data (core/profiling): raw stacks named with libdw and
// attributed to the stage span their thread was in; the call tree, the top
// functions, merging, and the JSON that reports carry (older reports have
// none). The sampler itself on a thread of this test.
#include "profiling/callstacksampler.h"
#include "profiling/cpuprofile.h"
#include "profiling/profilebuilder.h"
#include "profiling/samplesources.h"

#include <QtTest>

#include <cmath>
#include <dlfcn.h>
#include <limits>
#include <unistd.h>

using namespace pixelperf;

// Named frames for the symbolizer to find: kept out of line, with external
// linkage so the symbol table names them.
extern "C++" __attribute__((noinline)) double profilingTestLeaf(double x)
{
    double s = 0;
    for (int i = 1; i < 2000; ++i)
        s += std::sin(x * i) / i;
    return s;
}

__attribute__((noinline)) double profilingTestCaller(double x)
{
    return profilingTestLeaf(x) + 1;
}

// A lambda inlined into its function: its frame is named from the debug
// information alone (no symbol of its own), where GCC gives it the plain
// name "operator()".
namespace profilingscope {

__attribute__((noinline)) uintptr_t returnAddress()
{
    return reinterpret_cast<uintptr_t>(__builtin_return_address(0));
}

__attribute__((noinline)) uintptr_t lambdaHost(int n)
{
    uintptr_t where = 0;
    auto inner = [&](int i) __attribute__((always_inline))
    {
        if (i == n - 1)
            where = returnAddress();
    };
    for (int i = 0; i < n; ++i)
        inner(i);
    return where;
}

// The same kind of lambda kept out of line: its symbol demangles as
// "outOfLineLambdaHost(int)::{lambda(int)#1}::operator()(int) const".
__attribute__((noinline)) uintptr_t outOfLineLambdaHost(int n)
{
    uintptr_t where = 0;
    auto inner = [&](int i) __attribute__((noinline))
    {
        if (i == n - 1)
            where = returnAddress();
    };
    for (int i = 0; i < n; ++i)
        inner(i);
    return where;
}

// A lambda in a function template, inlined: GCC gives it a linkage name.
template <typename T> __attribute__((noinline)) uintptr_t templateLambdaHost(T n)
{
    uintptr_t where = 0;
    auto inner = [&](T i) __attribute__((always_inline))
    {
        if (i == n - 1)
            where = returnAddress();
    };
    for (T i = 0; i < n; ++i)
        inner(i);
    return where;
}

} // namespace profilingscope

namespace {

uint64_t addressOf(double (*f)(double), int offset)
{
    return uint64_t(reinterpret_cast<uintptr_t>(f)) + uint64_t(offset);
}

StageSpan span(Stage stage, int worker, int image, int64_t start, int64_t end)
{
    StageSpan s;
    s.setStage(stage);
    s.setWorker(worker);
    s.setImage(image);
    s.setTimes(start, end);
    return s;
}

} // namespace

class TestProfiling : public QObject
{
    Q_OBJECT

private slots:
    void samplesAreNamedAndAttributedToTheirSpans();
    void treeTopFunctionsAndMerge();
    void jsonRoundTripsAndOldReportsHaveNone();
    void samplerSamplesARegisteredThread();
    void inlinedLambdaIsNamedWithItsFunction();
    void lambdaOutOfLineIsNamedAsWhenInlined();
    void lambdaNamesLoseSignatures_data();
    void lambdaNamesLoseSignatures();
    void librariesAreNamedAndTheModuleListIsReadOnce();
    void libraryLoadedLaterIsNamed();
    void frameWalkReadsOnlyTheStack();
};

void TestProfiling::librariesAreNamedAndTheModuleListIsReadOnce()
{
    Symbolizer symbolizer;
    if (!symbolizer.available())
        QSKIP("no symbolizer on this platform");
    // A function of this program, one of Qt's (exported) and one of libc's,
    // each some bytes into its code.
    const SymbolizedFrames &leaf = symbolizer.framesAt(addressOf(profilingTestLeaf, 3));
    QCOMPARE(leaf.functions.back(), QStringLiteral("profilingTestLeaf(double)"));
    const SymbolizedFrames &qt = symbolizer.framesAt(uint64_t(reinterpret_cast<uintptr_t>(&qVersion)) + 1);
    QCOMPARE(qt.functions.back(), QStringLiteral("qVersion"));
    QVERIFY2(qt.module.startsWith(QLatin1String("libQt6Core.so")), qPrintable(qt.module));
    const SymbolizedFrames &libc = symbolizer.framesAt(uint64_t(reinterpret_cast<uintptr_t>(&::getpid)) + 1);
    QVERIFY2(!libc.functions.empty() && libc.functions.back().contains(QLatin1String("getpid")),
        qPrintable(libc.functions.empty() ? QString() : libc.functions.back()));
    // Addresses in no module (data read as frames, as a walk through code
    // without frame pointers does): unknown, and the module list is not
    // read again for each of them.
    for (uint64_t address = 0x10; address < 0x10 + 64 * 0x1000; address += 0x1000)
        QVERIFY(symbolizer.framesAt(address).functions.empty());
    QCOMPARE(symbolizer.moduleListReads(), 1);
}

void TestProfiling::libraryLoadedLaterIsNamed()
{
    Symbolizer symbolizer;
    if (!symbolizer.available())
        QSKIP("no symbolizer on this platform");
    QVERIFY(!symbolizer.framesAt(addressOf(profilingTestLeaf, 3)).functions.empty());
    QCOMPARE(symbolizer.moduleListReads(), 1);
    // A library of every Debian system (coreutils needs it) that this test
    // does not link: loaded after the list was read, as a plugin is.
    if (void *already = dlopen("libacl.so.1", RTLD_NOW | RTLD_NOLOAD)) {
        dlclose(already);
        QSKIP("libacl.so.1 is already loaded in this process");
    }
    void *library = dlopen("libacl.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!library)
        QSKIP("libacl.so.1 is not installed");
    void *function = dlsym(library, "acl_init");
    QVERIFY(function);
    const SymbolizedFrames &f = symbolizer.framesAt(uint64_t(reinterpret_cast<uintptr_t>(function)) + 1);
    QVERIFY2(!f.functions.empty(),
        qPrintable(QStringLiteral("module '%1', %2 reads").arg(f.module).arg(symbolizer.moduleListReads())));
    QCOMPARE(f.functions.back(), QStringLiteral("acl_init"));
    QVERIFY2(f.module.startsWith(QLatin1String("libacl.so")), qPrintable(f.module));
    QCOMPARE(symbolizer.moduleListReads(), 2);
    dlclose(library);
}

// The timer-signal sampler walks frame pointers from whatever the registers
// hold when the signal lands, in code built with or without frame pointers:
// it must follow a real chain and read nothing off the sampled stack.
void TestProfiling::frameWalkReadsOnlyTheStack()
{
    alignas(16) uintptr_t stack[16] = {};
    const auto at = [&](int i) { return uintptr_t(&stack[i]); };
    const uintptr_t sp = at(0), high = at(16), pc = 0x1000;
    stack[2] = at(6), stack[3] = 0x2000; // frame 1 -> frame 2
    stack[6] = at(10), stack[7] = 0x3000; // frame 2 -> frame 3
    stack[10] = at(1), stack[11] = 0x4000; // frame 3 points back down: the end
    uint64_t ips[MaxSampledFrames] = {};

    QCOMPARE(walkFramePointers(ips, MaxSampledFrames, pc, at(2), sp, high), 4u);
    QCOMPARE(ips[0], uint64_t(pc));
    QCOMPARE(ips[1], uint64_t(0x2000));
    QCOMPARE(ips[2], uint64_t(0x3000));
    QCOMPARE(ips[3], uint64_t(0x4000));
    QCOMPARE(walkFramePointers(ips, 2, pc, at(2), sp, high), 2u); // deeper stacks keep the innermost

    // Registers holding data: only pc, and nothing read. -8 is what a
    // library built without frame pointers left there in a CI run; fp + 16
    // wraps past zero for it.
    for (const uintptr_t fp :
        { ~uintptr_t(7), ~uintptr_t(15), uintptr_t(0), sp - 16, high - 8, high, at(2) + 4 })
        QCOMPARE(walkFramePointers(ips, MaxSampledFrames, pc, fp, sp, high), 1u);

    // A chain that leaves the stack ends there.
    stack[6] = ~uintptr_t(7);
    QCOMPARE(walkFramePointers(ips, MaxSampledFrames, pc, at(2), sp, high), 3u);
}

void TestProfiling::inlinedLambdaIsNamedWithItsFunction()
{
    Symbolizer symbolizer;
    if (!symbolizer.available())
        QSKIP("no symbolizer on this platform");
    // The call's return address, less one: inside the call instruction, in
    // the lambda's inlined code, as the sampler looks up a caller's frame.
    const uint64_t address = uint64_t(profilingscope::lambdaHost(3)) - 1;
    const SymbolizedFrames &f = symbolizer.framesAt(address);
    QVERIFY(!f.functions.empty());
    // Innermost first: the lambda, then its function, the symbol itself.
    QCOMPARE(f.functions.front(), QStringLiteral("profilingscope::lambdaHost::{lambda}::operator()"));
    QVERIFY2(f.functions.back().startsWith(QLatin1String("profilingscope::lambdaHost(int)")),
        qPrintable(f.functions.back()));
}

void TestProfiling::lambdaOutOfLineIsNamedAsWhenInlined()
{
    Symbolizer symbolizer;
    if (!symbolizer.available())
        QSKIP("no symbolizer on this platform");
    const uint64_t address = uint64_t(profilingscope::outOfLineLambdaHost(3)) - 1;
    const SymbolizedFrames &f = symbolizer.framesAt(address);
    QVERIFY(!f.functions.empty());
    // The name an inlined lambda gets (see above), not the symbol's
    // demangled "...(int)::{lambda(int)#1}::operator()(int) const": a flame
    // graph of two builds, one inlining it and one not, has one frame for it.
    QCOMPARE(f.functions.back(), QStringLiteral("profilingscope::outOfLineLambdaHost::{lambda}::operator()"));

    // A function template's lambda, inlined, is named from its linkage name,
    // rewritten the same way.
    const SymbolizedFrames &t = symbolizer.framesAt(uint64_t(profilingscope::templateLambdaHost(3)) - 1);
    QVERIFY(!t.functions.empty());
    QCOMPARE(
        t.functions.front(), QStringLiteral("profilingscope::templateLambdaHost<int>::{lambda}::operator()"));
}

void TestProfiling::lambdaNamesLoseSignatures_data()
{
    QTest::addColumn<QString>("demangled");
    QTest::addColumn<QString>("named");
    QTest::newRow("lambda") << "f(int)::{lambda(int)#1}::operator()(int) const"
                            << "f::{lambda}::operator()";
    QTest::newRow("nested, in a method") << "ns::Outer::run(int) &&::{lambda()#1}::operator()() const::"
                                            "{lambda(int)#2}::operator()(int) const"
                                         << "ns::Outer::run::{lambda}::operator()::{lambda}::operator()";
    QTest::newRow("anonymous namespace, templates kept")
        << "(anonymous namespace)::g(std::vector<int, std::allocator<int> > const&)::"
           "{lambda(auto:1)#2}::operator()<std::pair<int, int (*)(int)> >(std::pair<int, int (*)(int)>) const"
        << "(anonymous namespace)::g::{lambda}::operator()<std::pair<int, int (*)(int)> >";
    QTest::newRow("operator<< with a lambda") << "operator<<(Log&, int)::{lambda()#1}::operator()() const"
                                              << "operator<<::{lambda}::operator()";
    QTest::newRow("not a lambda: as it is") << "ns::h(int, char const*) const"
                                            << "ns::h(int, char const*) const";
    // Named so when inlined too: a template's lambda has a linkage name.
    QTest::newRow("a lambda in a template") << "g<int>(int)::{lambda(int)#1}::operator()(int) const"
                                            << "g<int>::{lambda}::operator()";
    const QString sortHelper = QStringLiteral(
        "void std::__insertion_sort<int*, __gnu_cxx::__ops::_Iter_comp_iter<g(std::vector<int>&)::"
        "{lambda(int, int)#1}> >(int*, int*, __gnu_cxx::__ops::_Iter_comp_iter<"
        "g(std::vector<int>&)::{lambda(int, int)#1}>)");
    QTest::newRow("a lambda among template arguments: as it is") << sortHelper << sortHelper;
}

void TestProfiling::lambdaNamesLoseSignatures()
{
    QFETCH(QString, demangled);
    QFETCH(QString, named);
    QCOMPARE(Symbolizer::lambdaAsInlined(demangled), named);
}

void TestProfiling::samplesAreNamedAndAttributedToTheirSpans()
{
    const int64_t t0 = 1000000000;
    SamplerReading reading;
    reading.method = SamplingMethod::PerfEvent;
    reading.rateHz = 1000;
    reading.lost = 3;
    // Thread 41 is lane 0, in blur for image 2 from 100 to 200 µs; thread 42
    // lane 1, in resize for image 5 from 150 to 300.
    auto raw = [&](int tid, int64_t t, std::vector<uint64_t> ips) {
        RawSample s;
        s.tid = tid;
        s.timeNs = t0 + t;
        s.ips = std::move(ips);
        return s;
    };
    const uint64_t leaf = addressOf(profilingTestLeaf, 4);
    const uint64_t callerReturn = addressOf(profilingTestCaller, 5); // looked up at -1: inside the caller
    reading.samples = { raw(41, 120000, { leaf, callerReturn }), raw(42, 160000, { leaf }),
        raw(41, 250000, { leaf, callerReturn }), raw(41, 130000, { 0x10, 0x20, callerReturn }) };
    const std::vector<StageSpan> spans { span(Stage::Blur, 0, 2, 100000, 200000),
        span(Stage::Resize, 1, 5, 150000, 300000) };
    Symbolizer symbolizer;
    const CpuProfile p = buildProfile(reading, spans, { { 41, 0 }, { 42, 1 } }, t0, symbolizer);
    QCOMPARE(p.samples, int64_t(4));
    QCOMPARE(p.lostSamples, int64_t(3));
    // Three with a named innermost frame; two unknown frames, shown as one.
    QCOMPARE(p.symbolizedSamples, int64_t(3));
    QCOMPARE(p.unknownFrames, int64_t(2));
    const QString leafName = QStringLiteral("profilingTestLeaf(double)");
    const QString callerName = QStringLiteral("profilingTestCaller(double)");
    QCOMPARE(p.folded.at(QStringLiteral("blur;") + callerName + QLatin1Char(';') + leafName), int64_t(1));
    QCOMPARE(p.folded.at(QStringLiteral("resize;") + leafName), int64_t(1));
    QCOMPARE(p.folded.at(outsideStagesName() + QLatin1Char(';') + callerName + QLatin1Char(';') + leafName),
        int64_t(1));
    QCOMPARE(p.folded.at(QStringLiteral("blur;") + callerName + QLatin1Char(';') + unknownFrameName()),
        int64_t(1));
    // The timeline: time order, each sample with its lane, stage and image.
    QCOMPARE(p.timeline.size(), size_t(4));
    QCOMPARE(p.timeline[0].tNs, int64_t(120000));
    QCOMPARE(p.timeline[0].stage, int(Stage::Blur));
    QCOMPARE(p.timeline[0].image, 2);
    QCOMPARE(p.timeline[2].worker, 1);
    QCOMPARE(p.timeline[2].image, 5);
    QCOMPARE(p.timeline[3].stage, -1);
    QCOMPARE(p.stacks[size_t(p.timeline[2].stack)], leafName);
}

void TestProfiling::treeTopFunctionsAndMerge()
{
    CpuProfile a;
    a.method = SamplingMethod::TimerSignal;
    a.rateHz = 500;
    a.runs = 1;
    a.samples = 10;
    a.folded = { { QStringLiteral("blur;main;work;inner"), 6 }, { QStringLiteral("blur;main;work"), 2 },
        { QStringLiteral("load;main;decode"), 2 } };
    CpuProfile b = a;
    b.folded = { { QStringLiteral("blur;main;work;inner"), 4 } };
    b.samples = 4;
    const CpuProfile merged = mergeProfiles({ &a, &b });
    QCOMPARE(merged.runs, 2);
    QCOMPARE(merged.samples, int64_t(14));
    QCOMPARE(merged.folded.at(QStringLiteral("blur;main;work;inner")), int64_t(10));
    QCOMPARE(
        foldedStacks(merged), QByteArray("blur;main;work 2\nblur;main;work;inner 10\nload;main;decode 2\n"));

    const CallTree tree = callTree(merged);
    QCOMPARE(tree.nodes[0].total, int64_t(14));
    // The stages in pipeline order: load before blur.
    QCOMPARE(tree.nodes[size_t(tree.nodes[0].children[0])].name, QStringLiteral("load"));
    const CallTreeNode &blur = tree.nodes[size_t(tree.nodes[0].children[1])];
    QCOMPARE(blur.total, int64_t(12));
    const CallTreeNode &work = tree.nodes[size_t(tree.nodes[size_t(blur.children[0])].children[0])];
    QCOMPARE(work.name, QStringLiteral("work"));
    QCOMPARE(work.self, int64_t(2));
    QCOMPARE(work.total, int64_t(12));

    const std::vector<StageFunctions> top = topFunctionsByStage(merged, 2);
    QCOMPARE(top.size(), size_t(2));
    QCOMPARE(top[1].stage, QStringLiteral("blur"));
    QCOMPARE(top[1].top[0].name, QStringLiteral("inner"));
    QCOMPARE(top[1].top[0].self, int64_t(10));
    QCOMPARE(top[1].top[1].name, QStringLiteral("work"));
    QCOMPARE(top[1].top[1].total, int64_t(12));
}

void TestProfiling::jsonRoundTripsAndOldReportsHaveNone()
{
    CpuProfile p;
    p.method = SamplingMethod::PerfEvent;
    p.rateHz = 1000;
    p.runs = 2;
    p.samples = 7;
    p.symbolizedSamples = 6;
    p.unknownFrames = 1;
    p.lostSamples = 2;
    p.folded = { { QStringLiteral("save;main;[unknown in libjpeg.so.62]"), 1 },
        { QStringLiteral("blur;main;f"), 6 } };
    const QJsonObject json = profileToJson(p);
    QCOMPARE(json.value(QStringLiteral("stages"))
                 .toObject()
                 .value(QStringLiteral("blur"))
                 .toObject()
                 .value(QStringLiteral("top_self"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QStringLiteral("function"))
                 .toString(),
        QStringLiteral("f"));
    const std::shared_ptr<CpuProfile> back = profileFromJson(json);
    QVERIFY(back);
    QCOMPARE(back->method, p.method);
    QCOMPARE(back->rateHz, 1000);
    QCOMPARE(back->runs, 2);
    QCOMPARE(back->samples, int64_t(7));
    QCOMPARE(back->symbolizedSamples, int64_t(6));
    QCOMPARE(back->unknownFrames, int64_t(1));
    QCOMPARE(back->lostSamples, int64_t(2));
    QCOMPARE(back->folded, p.folded);
    QVERIFY(!profileFromJson(QJsonObject()));

    // A damaged or crafted report's counts: negative ones read as 0, and
    // merging (compare, repetitions) stops at the largest count instead of
    // wrapping to a negative one.
    const int64_t most = std::numeric_limits<int64_t>::max();
    QJsonObject huge = json;
    huge[QStringLiteral("samples")] = QJsonValue(qint64(most));
    huge[QStringLiteral("lost_samples")] = -5;
    huge[QStringLiteral("folded")] = QJsonArray { QJsonArray { QStringLiteral("blur;f"), qint64(most) },
        QJsonArray { QStringLiteral("blur;f"), 3 } };
    const std::shared_ptr<CpuProfile> damaged = profileFromJson(huge);
    QVERIFY(damaged);
    QCOMPARE(damaged->lostSamples, int64_t(0));
    QCOMPARE(damaged->folded.at(QStringLiteral("blur;f")), most);
    const CpuProfile merged = mergeProfiles({ damaged.get(), damaged.get() });
    QCOMPARE(merged.samples, most);
    QCOMPARE(merged.folded.at(QStringLiteral("blur;f")), most);
}

void TestProfiling::samplerSamplesARegisteredThread()
{
    CallStackSampler sampler(1000);
    if (sampler.method() == SamplingMethod::Off)
        QSKIP(qPrintable(QStringLiteral("no sampling here: ") + sampler.note()));
    double sink = 0;
    std::thread worker([&] {
        sampler.addCurrentThread();
        // About 0.2 s of this thread's CPU time.
        const int64_t until = RunRecorder::threadCpuNs() + 200000000;
        while (RunRecorder::threadCpuNs() < until)
            sink += profilingTestCaller(sink);
    });
    worker.join();
    sampler.stop();
    const std::vector<RawSample> samples = sampler.samples();
    int64_t periods = 0;
    for (const RawSample &s : samples)
        periods += s.weight;
    // 1 kHz of 0.2 s of CPU time: about 200 periods (the timer signal's
    // come at the kernel's tick, weighted by their overrun).
    QVERIFY2(periods >= 100 && periods <= 300, qPrintable(QString::number(periods)));
    Symbolizer symbolizer;
    // The walk reaches the test's frames from where the thread was (mostly
    // inside libm's sin, called by them).
    int throughTest = 0;
    for (const RawSample &s : samples) {
        QVERIFY(!s.ips.empty());
        bool found = false;
        for (size_t i = 0; i < s.ips.size() && !found; ++i) {
            const SymbolizedFrames &f = symbolizer.framesAt(i == 0 ? s.ips[i] : s.ips[i] - 1);
            found = !f.functions.empty() && f.functions.back().startsWith(QLatin1String("profilingTest"));
        }
        throughTest += found;
    }
    QVERIFY2(throughTest * 10 >= int(samples.size()) * 9,
        qPrintable(QStringLiteral("%1 of %2").arg(throughTest).arg(samples.size())));
    QVERIFY(sink != 0.5);
}

QTEST_GUILESS_MAIN(TestProfiling)
#include "tst_profiling.moc"
