// Code addresses of this process to demangled function names: elfutils'
// libdwfl over /proc/self/maps (each module's symbol table, from a local
// separate debug file where one is installed, and the program's own DWARF
// for inlined frames where the build has debug info), and
// abi::__cxa_demangle. Results are cached per address.
#pragma once

#include <QString>

#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace pixelperf {

struct SymbolizedFrames {
    // Innermost first: the inlined functions at the address, then the
    // function that holds them. Empty when unknown.
    std::vector<QString> functions;
    QString module; // file name of the module, empty when none maps the address
};

class Symbolizer
{
public:
    Symbolizer();
    ~Symbolizer();
    Symbolizer(const Symbolizer &) = delete;
    Symbolizer &operator=(const Symbolizer &) = delete;

    // `address`: where the code is (for a return address, pass it minus 1,
    // so the call is found, not the instruction after it).
    const SymbolizedFrames &framesAt(uint64_t address);
    // Lets go of what naming read (each module's symbol table, the
    // program's DWARF and the files they are in); the names found so far
    // stay cached, and a later look-up reads its module again.
    void releaseModules();
    // False where this platform cannot symbolize (then every frame is unknown).
    bool available() const;
    // How often the process's module list (/proc/self/maps) was read: once,
    // and again only after the process loaded a library.
    int moduleListReads() const;

    static QString demangle(const char *name);
    // A lambda's demangled name as the same lambda inlined is named from
    // DWARF, which has no parameters and no lambda numbers:
    // "f(int)::{lambda(int)#1}::operator()(int) const" is
    // "f::{lambda}::operator()". Other names, and those that only name a
    // lambda among a template's arguments (std::sort's helpers), are
    // returned as they are.
    static QString lambdaAsInlined(const QString &demangled);

private:
    struct State;
    SymbolizedFrames lookUp(uint64_t address);

    std::unique_ptr<State> m_state;
    mutable std::mutex m_mutex;
    std::unordered_map<uint64_t, SymbolizedFrames> m_cache;
};

} // namespace pixelperf
