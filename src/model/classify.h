// Turns tor's sockets (as the system sees them) into classified, scrubbed
// model::Connections: the only place where raw socket addresses are read.
//
//   system::Sockets ──┐
//   listeners, own control endpoint, RelayIndex, ExitPolicy,
//   orconn-status, HiddenServicePort targets, resolvers, authorities ──┤
//   geo lookup ───────┴─> classify() ─> scrub ─> std::vector<Connection>
//
// Rules (DESIGN.md "Connections"): LISTEN/UNCONN sockets are listeners; a
// socket whose local address and port match one of tor's listeners was
// accepted there (a 0.0.0.0 or :: listener matches any local address, one
// bound to 127.0.0.2 matches only that); everything else tor opened itself.
// Inbound on the ORPort: a relay when the peer's address is a relay's in the
// consensus and orconn-status does not list that exact ADDR:PORT as an
// unauthenticated (client) connection; otherwise a client. Outbound: tor's
// resolver, a HiddenServicePort target, a relay's ORPort, a DirPort, an exit
// connection allowed by our exit policy, or unexpected.
#pragma once

#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "geo/geo.h"
#include "model/exit_policy.h"
#include "model/ip.h"
#include "model/relay_index.h"
#include "model/snapshot.h"
#include "model/tor_inputs.h"
#include "system/socket.h"

namespace relaymon::model {

struct ClassifyContext {
  // From GETINFO net/listeners/{or,dir,socks,control,dns,...} (kind = key).
  std::vector<Listener> listeners;
  // relaymon's own control connection: our end and tor's end.
  std::optional<system::Address> own_control_local;
  std::optional<system::Address> own_control_remote;
  const RelayIndex* relays = nullptr;       // nullptr: no consensus yet
  const ExitPolicy* exit_policy = nullptr;  // nullptr: unknown, nothing is an exit
  std::vector<OrConn> orconns;              // orconn-status (and ORCONN events)
  std::vector<IpPort> hidden_service_targets;
  std::vector<IpAddr> dns_servers;                    // resolv.conf nameservers
  std::vector<IpPort> authorities;                    // authorities' DirPort addresses
  std::function<geo::Info(std::string_view ip)> geo;  // empty: no geolocation
  TimePoint now{};
};

// Every socket becomes exactly one Connection, in the same order.
std::vector<Connection> classify(const system::Sockets& sockets, const ClassifyContext& context);

}  // namespace relaymon::model
