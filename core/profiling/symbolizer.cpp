#include "profiling/symbolizer.h"

#include <QFileInfo>

#include <cstdlib>
#include <cxxabi.h>

#ifdef PIXELPERF_HAVE_LIBDW
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <unistd.h>
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

#ifdef PIXELPERF_HAVE_LIBDW

namespace {

char *g_debugInfoPath = nullptr;
const Dwfl_Callbacks g_callbacks
    = { dwfl_linux_proc_find_elf, dwfl_standard_find_debuginfo, nullptr, &g_debugInfoPath };

// An inlined subroutine's name: its linkage name (mangled) where given,
// else its plain name, both through its abstract origin.
QString inlinedName(Dwarf_Die *die)
{
    Dwarf_Attribute attr;
    for (int name : { DW_AT_linkage_name, DW_AT_MIPS_linkage_name, DW_AT_name }) {
        if (dwarf_attr_integrate(die, name, &attr))
            if (const char *text = dwarf_formstring(&attr))
                return Symbolizer::demangle(text);
    }
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

} // namespace

struct Symbolizer::State {
    Dwfl *dwfl = nullptr;
    bool reported = false;
    int reports = 0;

    // (Re)reads /proc/self/maps: a module loaded since the last report
    // (a plugin) is found after it.
    void report()
    {
        dwfl_report_begin(dwfl);
        dwfl_linux_proc_report(dwfl, getpid());
        dwfl_report_end(dwfl, nullptr, nullptr);
        reported = true;
        ++reports;
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

SymbolizedFrames Symbolizer::lookUp(uint64_t address)
{
    SymbolizedFrames frames;
    if (!m_state->dwfl)
        return frames;
    if (!m_state->reported)
        m_state->report();
    Dwfl_Module *module = dwfl_addrmodule(m_state->dwfl, address);
    if (!module && m_state->reports < 8) {
        m_state->report();
        module = dwfl_addrmodule(m_state->dwfl, address);
    }
    if (!module)
        return frames;
    const char *moduleName
        = dwfl_module_info(module, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr);
    frames.module = moduleName ? QFileInfo(QString::fromLocal8Bit(moduleName)).fileName() : QString();
    GElf_Off offset = 0;
    GElf_Sym symbol;
    const char *name = dwfl_module_addrinfo(module, address, &offset, &symbol, nullptr, nullptr, nullptr);
    if (!name)
        return frames;
    frames.functions = inlinedAt(module, address);
    frames.functions.push_back(demangle(name));
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
