// tor's own manual page (Debian's tor ships /usr/share/man/man1/tor.1.gz):
// each option's usage line and the first paragraph of its description,
// for the config page (issue 15), as nyx shows them. A pure parser of the
// roff text; reading and unpacking the file is the session's.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace relaymon::model {

struct OptionManual {
  std::string usage;        // "ExitPolicy policy,policy,..."
  std::string description;  // the first paragraph, plain text
};

struct CaseInsensitiveLess {
  bool operator()(std::string_view a, std::string_view b) const;
  using is_transparent = void;
};

using TorManual = std::map<std::string, OptionManual, CaseInsensitiveLess>;

// Entries are ".PP" then a line starting with the option's name in bold
// ("\fBExitPolicy\fR \fIpolicy\fR,...") then ".RS 4" and the description.
// Anything else (command-line flags, sections, malformed text) is skipped.
TorManual parse_tor_manual(std::string_view roff);

// Roff inline markup made plain: font changes dropped, \& removed, \-
// "-", \(cq "'", \(em "--", ... Unknown escapes are dropped.
std::string roff_to_text(std::string_view roff);

}  // namespace relaymon::model
