#include "profiling/symbolizer.h"

#include <QFile>
#include <QFileInfo>

#include <cstdlib>
#include <cxxabi.h>

#ifdef PIXELPERF_HAVE_LIBDW
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <link.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <tuple>
#endif

namespace pixelperf {

QString Symbolizer::demangle(const char *name)
{
    if (!name)
        return {};
    int status = -1;
    char *plain = abi::__cxa_demangle(name, nullptr, nullptr, &status);
    // ';' separates frames in folded stacks: none may be in a name.
    QString text
        = QString::fromUtf8(status == 0 && plain ? plain : name).replace(QLatin1Char(';'), QLatin1Char(':'));
    std::free(plain);
    return text;
}

QString Symbolizer::lambdaAsInlined(const QString &demangled)
{
    static const QString lambda = QStringLiteral("{lambda(");
    if (!demangled.contains(lambda))
        return demangled;
    static const QString operatorWord = QStringLiteral("operator");
    // Past the operator's own symbol at `at` ("operator()", "operator<<"),
    // which is its name, not brackets.
    const auto pastOperator = [&](qsizetype at) {
        qsizetype end = at + operatorWord.size();
        if (QStringView(demangled).mid(end).startsWith(QLatin1String("()")))
            return end + 2;
        while (end < demangled.size() && QStringLiteral("<>=!+-*/%^&|~[],").contains(demangled[end]))
            ++end;
        return end;
    };
    // The position past the parenthesis (or brace) that closes the one at `at`.
    const auto pastClosing = [&](qsizetype at, QChar open, QChar close) {
        int depth = 0;
        for (qsizetype k = at; k < demangled.size(); ++k) {
            if (demangled[k] == open)
                ++depth;
            else if (demangled[k] == close && --depth == 0)
                return k + 1;
        }
        return demangled.size();
    };
    // Past a parameter list at `at` and what qualifies it (" const", "&&"):
    // at the next scope or the end.
    const auto pastSignature = [&](qsizetype at) {
        qsizetype k = pastClosing(at, QLatin1Char('('), QLatin1Char(')'));
        while (k < demangled.size() && !QStringView(demangled).mid(k).startsWith(QLatin1String("::")))
            ++k;
        return k;
    };
    QString out;
    out.reserve(demangled.size());
    int angles = 0; // inside a template's arguments everything is kept
    // Only a lambda's own name is rewritten: one that merely names a lambda
    // among its template's arguments (std::sort's helpers, a
    // std::function's invoker) is returned as it is.
    bool isLambda = false;
    for (qsizetype i = 0; i < demangled.size();) {
        const QChar c = demangled[i];
        if (angles == 0 && QStringView(demangled).mid(i).startsWith(lambda)) {
            isLambda = true;
            out += QStringLiteral("{lambda}");
            i = pastClosing(i, QLatin1Char('{'), QLatin1Char('}'));
        } else if (QStringView(demangled).mid(i).startsWith(operatorWord)) {
            const qsizetype end = pastOperator(i);
            out += demangled.mid(i, end - i);
            i = end;
            if (angles == 0 && i < demangled.size() && demangled[i] == QLatin1Char('('))
                i = pastSignature(i);
        } else if (angles == 0 && c == QLatin1Char('(') && i > 0
            && (demangled[i - 1].isLetterOrNumber() || demangled[i - 1] == QLatin1Char('_')
                || demangled[i - 1] == QLatin1Char('>'))) {
            // A parameter list after a name. "(anonymous namespace)" follows none.
            i = pastSignature(i);
        } else {
            if (c == QLatin1Char('<'))
                ++angles;
            else if (c == QLatin1Char('>') && angles > 0)
                --angles;
            out += c;
            ++i;
        }
    }
    return isLambda ? out : demangled;
}

#ifdef PIXELPERF_HAVE_LIBDW

namespace {

char *g_debugInfoPath = nullptr;
// Separate debug files are looked up on this machine only, by build ID (where
// Debian's -dbg and -dbgsym packages put them). Not libdwfl's standard
// search, whose last resort is a debuginfod server: naming the frames of a
// run must not reach the network, and merely loading the debuginfod client
// (for every library without local debug information) brought in libcurl
// and its TLS libraries, some 10 ms per process.
const Dwfl_Callbacks g_callbacks
    = { dwfl_linux_proc_find_elf, dwfl_build_id_find_debuginfo, nullptr, &g_debugInfoPath };

// The DIE that declares `die` (through its abstract origin and
// specification), where its plain name and its enclosing scopes are.
Dwarf_Die declarationOf(Dwarf_Die *die)
{
    Dwarf_Die current = *die;
    for (int hops = 0; hops < 8; ++hops) {
        Dwarf_Attribute attr;
        Dwarf_Die next;
        if (!dwarf_attr(&current, DW_AT_abstract_origin, &attr)
            && !dwarf_attr(&current, DW_AT_specification, &attr))
            break;
        if (!dwarf_formref_die(&attr, &next))
            break;
        current = next;
    }
    return current;
}

// One enclosing scope's part of a qualified name; empty for scopes that
// name nothing (blocks, the compile unit). `inner` is the name it
// encloses: a closure type without a name (GCC's lambdas) around an
// "operator()" is a lambda, written as the demangler writes one.
QString scopeName(Dwarf_Die *scope, const QString &inner)
{
    const char *name = dwarf_diename(scope);
    switch (dwarf_tag(scope)) {
    case DW_TAG_namespace:
        return name ? QString::fromUtf8(name) : QStringLiteral("(anonymous namespace)");
    case DW_TAG_class_type:
    case DW_TAG_structure_type:
    case DW_TAG_union_type:
        if (name)
            return QString::fromUtf8(name);
        return inner.startsWith(QLatin1String("operator()")) ? QStringLiteral("{lambda}")
                                                             : QStringLiteral("{unnamed type}");
    default:
        return {};
    }
}

// A name from DW_AT_name alone ("operator()", "term") qualified with the
// scopes that declare it, so that a lambda reads as the lambda of the
// function it is in rather than as one of many "operator()". A function
// scope is qualified through its own declaration (a namespace's function
// is defined outside the namespace's DIE).
QString qualifiedPlainName(Dwarf_Die *declaration, const char *plain)
{
    QString name = Symbolizer::demangle(plain);
    Dwarf_Die *scopes = nullptr;
    const int count = dwarf_getscopes_die(declaration, &scopes);
    for (int i = 1; i < count; ++i) {
        if (dwarf_tag(&scopes[i]) == DW_TAG_subprogram) {
            Dwarf_Die function = declarationOf(&scopes[i]);
            if (const char *functionName = dwarf_diename(&function))
                name = qualifiedPlainName(&function, functionName) + QStringLiteral("::") + name;
            break;
        }
        const QString part = scopeName(&scopes[i], name);
        if (!part.isEmpty())
            name = part + QStringLiteral("::") + name;
    }
    std::free(scopes);
    return name;
}

// An inlined subroutine's name: its linkage name (mangled) where given,
// else its plain name qualified with its scopes, both through its
// abstract origin.
QString inlinedName(Dwarf_Die *die)
{
    Dwarf_Attribute attr;
    for (int name : { DW_AT_linkage_name, DW_AT_MIPS_linkage_name }) {
        if (dwarf_attr_integrate(die, name, &attr))
            if (const char *text = dwarf_formstring(&attr))
                return Symbolizer::lambdaAsInlined(Symbolizer::demangle(text)); // a template's lambda has one
    }
    Dwarf_Die declaration = declarationOf(die);
    if (const char *plain = dwarf_diename(&declaration))
        return qualifiedPlainName(&declaration, plain);
    return {};
}

// The inlined functions at `address`, innermost first.
std::vector<QString> inlinedAt(Dwfl_Module *module, Dwarf_Addr address)
{
    std::vector<QString> names;
    Dwarf_Addr bias = 0;
    Dwarf_Die *cu = dwfl_module_addrdie(module, address, &bias);
    if (!cu)
        return names;
    Dwarf_Die *scopes = nullptr;
    const int count = dwarf_getscopes(cu, address - bias, &scopes);
    for (int i = 0; i < count; ++i) {
        if (dwarf_tag(&scopes[i]) != DW_TAG_inlined_subroutine)
            continue;
        const QString name = inlinedName(&scopes[i]);
        if (!name.isEmpty())
            names.push_back(name);
    }
    std::free(scopes);
    return names;
}

// How many shared objects the dynamic linker has loaded and unloaded so
// far: a module the process loaded since the module list was read shows
// here, without reading /proc/self/maps again.
std::pair<unsigned long long, unsigned long long> linkerLoads()
{
    std::pair<unsigned long long, unsigned long long> loads { 0, 0 };
    dl_iterate_phdr(
        [](dl_phdr_info *info, size_t size, void *data) {
            auto *out = static_cast<std::pair<unsigned long long, unsigned long long> *>(data);
            if (size >= offsetof(dl_phdr_info, dlpi_subs) + sizeof(info->dlpi_subs))
                *out = { info->dlpi_adds, info->dlpi_subs };
            return 1; // the counters are the same in every entry: the first is enough
        },
        &loads);
    return loads;
}

// A module's functions by address, read from its symbol table once, so
// that naming an address is a binary search: libdwfl's own look-up
// (dwfl_module_addrinfo) walks the whole table for every address, some
// thousands of symbols for the program and Qt.
class FunctionTable
{
public:
    explicit FunctionTable(Dwfl_Module *module)
    {
        const int count = dwfl_module_getsymtab(module);
        for (int i = 1; i < count; ++i) {
            GElf_Sym sym;
            GElf_Addr address = 0;
            GElf_Word section = 0;
            Elf *elf = nullptr;
            Dwarf_Addr bias = 0;
            const char *name = dwfl_module_getsym_info(module, i, &sym, &address, &section, &elf, &bias);
            const int type = GELF_ST_TYPE(sym.st_info);
            if (!name || !*name || section == SHN_UNDEF || (type != STT_FUNC && type != STT_GNU_IFUNC))
                continue;
            const uint64_t end = sym.st_size ? address + sym.st_size : sectionEnd(elf, section, bias);
            if (end > address)
                m_functions.push_back({ address, end, rank(GELF_ST_BIND(sym.st_info)), i, name });
        }
        // By address; at one address the global name first (an alias's
        // local or weak names after it), then the longest, then the first
        // in the table (as libdwfl chooses among aliases).
        std::sort(m_functions.begin(), m_functions.end(), [](const Function &a, const Function &b) {
            return std::tie(a.start, a.rank, b.end, a.index) < std::tie(b.start, b.rank, a.end, b.index);
        });
        m_functions.erase(std::unique(m_functions.begin(), m_functions.end(),
                              [](const Function &a, const Function &b) { return a.start == b.start; }),
            m_functions.end());
    }

    // The function whose code holds `address`, or null.
    const char *nameAt(uint64_t address) const
    {
        auto it = std::upper_bound(m_functions.begin(), m_functions.end(), address,
            [](uint64_t a, const Function &f) { return a < f.start; });
        if (it == m_functions.begin())
            return nullptr;
        const Function &f = *(it - 1);
        return address < f.end ? f.name : nullptr;
    }

private:
    struct Function {
        uint64_t start = 0;
        uint64_t end = 0;
        int rank = 0;
        int index = 0;
        const char *name = nullptr; // in the module's symbol table, alive with the Dwfl
    };

    // A function without a size (hand-written assembly) holds the code up
    // to the next function, within its section.
    static uint64_t sectionEnd(Elf *elf, GElf_Word section, Dwarf_Addr bias)
    {
        GElf_Shdr header;
        Elf_Scn *scn = elf ? elf_getscn(elf, section) : nullptr;
        if (!scn || !gelf_getshdr(scn, &header))
            return 0;
        return header.sh_addr + header.sh_size + bias;
    }

    static int rank(int binding) { return binding == STB_GLOBAL ? 0 : (binding == STB_WEAK ? 1 : 2); }

    std::vector<Function> m_functions;
};

} // namespace

struct Symbolizer::State {
    Dwfl *dwfl = nullptr;
    bool reported = false;
    int reports = 0;
    // linkerLoads() when the module list was last read.
    std::pair<unsigned long long, unsigned long long> loadsAtReport { 0, 0 };
    std::unordered_map<Dwfl_Module *, std::unique_ptr<FunctionTable>> functions;
    // The executable's path as /proc/self/maps names it, which is how
    // libdwfl names its module.
    const QByteArray program = QFile::symLinkTarget(QStringLiteral("/proc/self/exe")).toLocal8Bit();

    bool isProgram(Dwfl_Module *module) const
    {
        const char *path
            = dwfl_module_info(module, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr);
        return path && program == path;
    }

    // (Re)reads /proc/self/maps: a module loaded since the last report
    // (a plugin) is found after it.
    void report()
    {
        loadsAtReport = linkerLoads();
        functions.clear(); // the modules are reported anew
        dwfl_report_begin(dwfl);
        dwfl_linux_proc_report(dwfl, getpid());
        dwfl_report_end(dwfl, nullptr, nullptr);
        reported = true;
        ++reports;
    }

    const char *functionAt(Dwfl_Module *module, uint64_t address)
    {
        std::unique_ptr<FunctionTable> &table = functions[module];
        if (!table)
            table = std::make_unique<FunctionTable>(module);
        if (const char *name = table->nameAt(address))
            return name;
        // Not in a function the table holds (an untyped label, an entry
        // point inside a larger assembly routine, or no symbol at all):
        // libdwfl's own search, as before the table.
        GElf_Off offset = 0;
        GElf_Sym symbol;
        return dwfl_module_addrinfo(module, address, &offset, &symbol, nullptr, nullptr, nullptr);
    }
};

Symbolizer::Symbolizer()
    : m_state(std::make_unique<State>())
{
    m_state->dwfl = dwfl_begin(&g_callbacks);
}

Symbolizer::~Symbolizer()
{
    if (m_state->dwfl)
        dwfl_end(m_state->dwfl);
}

bool Symbolizer::available() const
{
    return m_state->dwfl != nullptr;
}

int Symbolizer::moduleListReads() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_state->reports;
}

void Symbolizer::releaseModules()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    if (!m_state->dwfl || !m_state->reported)
        return;
    m_state->functions.clear();
    dwfl_end(m_state->dwfl);
    m_state->dwfl = dwfl_begin(&g_callbacks);
    m_state->reported = false;
}

SymbolizedFrames Symbolizer::lookUp(uint64_t address)
{
    SymbolizedFrames frames;
    if (!m_state->dwfl)
        return frames;
    // Read again as soon as the process has loaded or unloaded a library
    // since, not only when an address lies outside every module: libdwfl's
    // range for a module can reach past its last mapping, over the place a
    // library loaded later got (a plugin's function was named as one of its
    // neighbour's, 1 look-up in 10).
    if (!m_state->reported || linkerLoads() != m_state->loadsAtReport)
        m_state->report();
    Dwfl_Module *module = dwfl_addrmodule(m_state->dwfl, address);
    if (!module)
        return frames;
    const char *moduleName
        = dwfl_module_info(module, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr);
    frames.module = moduleName ? QFileInfo(QString::fromLocal8Bit(moduleName)).fileName() : QString();
    const char *name = m_state->functionAt(module, address);
    if (!name)
        return frames;
    // Inlined frames only in the program itself, where the pipeline's code
    // is: a library's DWARF is usually a distribution's separate, compressed
    // debug file (libc's is tens of MB), and reading it for the rare sample
    // inside memset or malloc cost about 0.07 s and 20 MiB per process. A
    // library's functions are still named, from its symbol table.
    if (m_state->isProgram(module))
        frames.functions = inlinedAt(module, address);
    // One lambda is one frame whether a build inlined it or not.
    frames.functions.push_back(lambdaAsInlined(demangle(name)));
    return frames;
}

#else

struct Symbolizer::State {
};

Symbolizer::Symbolizer()
    : m_state(std::make_unique<State>())
{ }
Symbolizer::~Symbolizer() = default;

bool Symbolizer::available() const
{
    return false;
}

int Symbolizer::moduleListReads() const
{
    return 0;
}

void Symbolizer::releaseModules()
{ }

SymbolizedFrames Symbolizer::lookUp(uint64_t)
{
    return {};
}

#endif

const SymbolizedFrames &Symbolizer::framesAt(uint64_t address)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    auto it = m_cache.find(address);
    if (it == m_cache.end())
        it = m_cache.emplace(address, lookUp(address)).first;
    return it->second;
}

} // namespace pixelperf
