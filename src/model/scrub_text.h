// The one scrubber for free text that leaves the process (issue 10, issue
// 12): tor's log and STATUS lines, events shown on the log page or printed
// by --watch, alert subjects built from tor's text. Connections are scrubbed
// structurally in model/scrub.h; this is for text relaymon cannot parse.
//
// What it removes:
//  - every IP address, IPv4 and IPv6 in any spelling: digit-only groups
//    ("2001:1900:2100:1:0:1:0:22"), mapped ("::ffff:192.0.2.1"), with a zone
//    ("fe80::1%eth0"), bracketed ("[2001:db8::1]:443"), glued to punctuation
//    ("(203.0.113.5)", "OR:203.0.113.5,"). Each candidate run of address
//    characters is tried as an address (brackets, a trailing port and a zone
//    stripped) with inet_pton, so clock times ("10:00:00.5") and
//    fingerprints stay. 0.0.0.0/8 is left alone: it holds no host, and tor's
//    versions ("0.4.9.11") look like it. A port after an address stays
//    ("[scrubbed]:443"): it identifies a service, not a person.
//  - hostnames and onion addresses: quoted tokens holding a dot
//    ("Passing request for \"example.com\"", "mapped 'x.org' to ..."),
//    and any *.onion word.
//  - the values of the sensitive keyword fields (sensitive_keyword()).
#pragma once

#include <string>
#include <string_view>

namespace relaymon::model {

inline constexpr std::string_view kScrubbed = "[scrubbed]";

// Free text, one or several lines: addresses, hostnames, onions and
// sensitive KEY=value fields replaced.
std::string scrub_text(std::string_view text);

// KEY=value fields whose value identifies a user or a destination, in
// every event and STATUS line: SOURCE_ADDR, SOURCE, ADDRESS, HOSTNAME,
// SOCKS_USERNAME, SOCKS_PASSWORD, REND_QUERY, HS_ADDRESS, ... (the list is
// in the .cpp). Case-insensitive.
bool sensitive_keyword(std::string_view key);

// One event's text as a single scrubbed line: its positional fields that
// hold a destination (STREAM's target keeps only ":port"; ADDRMAP's
// addresses; HS_DESC's onion address) replaced, then scrub_text.
std::string scrub_event_text(std::string_view type, std::string_view raw);

// A destination "host:port" -> "[scrubbed]:port" ("[scrubbed]" without a port).
std::string scrub_destination(std::string_view target);

// A value from an event whose format relaymon does not know (a positional
// word or a keyword's value, unquoted, possibly several words): each word
// that is a DNS name ("example.com", "x.onion", "a.$FP.exit", with or
// without ":port"; the last label letters only, so versions like
// "0.4.9.1-alpha" stay) is a possible destination and is replaced as
// scrub_destination does; then the whole goes through scrub_text.
std::string scrub_token(std::string_view token);

}  // namespace relaymon::model
