// Reads tor's manual page for the config page's option descriptions: the
// gzip-compressed /usr/share/man/man1/tor.1.gz Debian's tor installs (zlib,
// which also reads an uncompressed file as is). Read once per process, at
// most 4 MiB; a missing or unreadable manual gives an empty one (the page
// then falls back to relaymon's own short descriptions).
#pragma once

#include <memory>
#include <string>

#include "model/tor_manual.h"

namespace relaymon::session {

inline constexpr const char* kTorManualPath = "/usr/share/man/man1/tor.1.gz";

std::shared_ptr<const model::TorManual> read_tor_manual(const std::string& path);
// read_tor_manual(kTorManualPath), once.
std::shared_ptr<const model::TorManual> tor_manual();

}  // namespace relaymon::session
