// Pure parsers for the small control-port and system values the classifier
// needs: net/listeners/* values, orconn-status, resolv.conf nameservers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "control/conn_all.h"
#include "model/ip.h"
#include "model/label.h"
#include "model/snapshot.h"

namespace relaymon::model {

// `"127.0.0.1:5004" "[::1]:5004" "unix:/path"` (the value of
// GETINFO net/listeners/KIND) -> one Listener per TCP address; unix
// sockets are left out (they never show up as TCP sockets).
std::vector<Listener> parse_listeners(std::string_view kind, std::string_view value);

// One line of orconn-status or one ORCONN event's target: either a relay
// ("$FP~nick", "$FP=nick", "$FP") or an unauthenticated peer ("ADDR:PORT").
struct OrConn {
  // Relays' names and the status words as shared texts (model/label.h): a
  // big relay's orconn-status has tens of thousands of lines. Never a
  // client's ADDR:PORT, which stays in `address`.
  Label fingerprint;  // 40 upper hex, empty for an ADDR:PORT entry
  Label nickname;
  std::optional<IpPort> address;  // set for ADDR:PORT entries (clients)
  Label status;                   // CONNECTED, LAUNCHED, ...
  std::string id;                 // ORCONN event ID=, when known
};

// The data block of GETINFO orconn-status; unparsable lines are skipped.
std::vector<OrConn> parse_orconn_status(std::string_view data);
std::optional<OrConn> parse_orconn_target(std::string_view target);

// One HiddenServicePort value, "VIRTPORT [TARGET]": where tor sends an
// onion service's streams. TARGET is "PORT" or "ADDR:PORT" ("[::1]:PORT");
// absent, it is 127.0.0.1:VIRTPORT. Unix-socket targets have no address.
std::optional<IpPort> parse_hidden_service_port(std::string_view value);

// conn/all entries (seed 003) as OR connections in orconn-status terms:
// established, inter-tor, not control; a relay by fingerprint, the rest by
// ADDR:PORT. Status is CONNECTED.
std::vector<OrConn> orconns_from_conn_all(const std::vector<control::ConnAllEntry>& entries);

// "nameserver 1.2.3.4" lines of /etc/resolv.conf.
std::vector<IpAddr> parse_resolv_conf(std::string_view text);

// "127.0.0.1:80", "[::1]:80" -> address and port.
std::optional<IpPort> parse_ip_port(std::string_view text);

}  // namespace relaymon::model
