// What is written about pixelperf-cli outside the program, made from the same
// table its parser reads (clisyntax.h): the bash and zsh completions and the
// man page. The build runs pixelperf-clidocs to write them; the package
// installs them where Debian puts them.
#pragma once

#include <QString>

namespace pixelperf {

// For /usr/share/bash-completion/completions/pixelperf-cli: defines
// _pixelperf_cli and registers it with `complete`. Needs only bash itself.
QString bashCompletion();
// For /usr/share/zsh/vendor-completions/_pixelperf-cli.
QString zshCompletion();
// pixelperf-cli(1) in roff (man(7) macros).
QString cliManPage(const QString &version);

} // namespace pixelperf
