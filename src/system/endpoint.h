// Endpoints and TCP states as the system tools print them, normalised to the
// one spelling a system::Socket uses (socket.h): canonical IP text (IPv6
// without brackets or %scope, v4-mapped IPv6 turned into IPv4) and ss's
// state names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "system/socket.h"
#include "text/label.h"

namespace relaymon::system {

// Canonical text of an IP address: "127.0.0.1", "::1", "fe80::1"
// ("%scope" dropped), "::ffff:127.0.0.1" -> "127.0.0.1". nullopt when the
// text is not an address.
std::optional<std::string> canonical_ip(std::string_view text);

// Parses "ADDR:PORT" in any of the forms ss, netstat and lsof print:
// "127.0.0.1:9050", "[::1]:9050", "[fe80::1]%eth0:123", "127.0.0.53%lo:53",
// "::1:9050" and ":::*" (old ss, netstat: the last colon splits),
// "*:9050" (any address: `wildcard` is used as the IP), port "*" -> 0.
std::optional<Address> parse_endpoint(std::string_view text, std::string_view wildcard = "::");

// Maps a state name from ss ("ESTAB"), netstat ("ESTABLISHED", "FIN_WAIT1")
// or lsof ("CLOSED", "SYN_SENT") to ss's spelling ("ESTAB", "FIN-WAIT-1").
// `protocol` decides the closed state: "CLOSE" for tcp, "UNCONN" for udp.
// nullopt for a name none of them prints.
std::optional<std::string_view> normalize_state(std::string_view name, std::string_view protocol);

// The kernel's numeric TCP state (include/net/tcp_states.h, the "st" column
// of /proc/net/tcp) in ss's spelling; UDP sockets use 1 (connected, "ESTAB")
// and 7 (unconnected, "UNCONN").
std::optional<std::string_view> kernel_state_name(unsigned code, std::string_view protocol);
// The same as a shared text, made once: a dump names tens of thousands of
// sockets' states. Empty when the code is not a state.
Label kernel_state_label(unsigned code, std::string_view protocol);

}  // namespace relaymon::system
