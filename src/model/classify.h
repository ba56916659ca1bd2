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
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "geo/geo.h"
#include "model/exit_policy.h"
#include "model/ip.h"
#include "model/relay_index.h"
#include "model/shared.h"
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
  Shared<std::vector<OrConn>> orconns;      // orconn-status, shared with the state
  std::vector<IpPort> hidden_service_targets;
  std::vector<IpAddr> dns_servers;  // resolv.conf nameservers
  std::vector<IpPort> authorities;  // authorities' DirPort addresses
  // empty: no geolocation. Takes the parsed address: most answers come
  // from caches keyed by it, so no text is formatted per socket.
  std::function<geo::Info(const IpAddr& ip)> geo;
  TimePoint now{};
  // Owners of what the pointers above point into, kept while a
  // classification is in flight (the index may be rebuilt meanwhile).
  std::vector<std::shared_ptr<const void>> keep_alive;
};

// One poll's sockets with their categories decided, before geolocation:
// the monitor asks a slow geo source (tor's ip-to-country) for the peers
// geo_wanted() names, then makes the connections once. Raw addresses stay
// inside; what comes out is scrubbed.
class Classified {
 public:
  Classified(system::Sockets sockets, ClassifyContext context);
  ~Classified();
  Classified(Classified&&) noexcept;
  Classified& operator=(Classified&&) noexcept;

  // The peers whose country the connections will show.
  std::vector<IpAddr> geo_wanted() const;
  // Every socket as exactly one Connection, in the same order; countries
  // from context.geo as it answers now.
  std::vector<Connection> connections() const;
  // Frees the sockets once connections() has made the connections: what
  // follows (fill_missing_countries, host_text) needs only the decisions,
  // and the sockets are megabytes at the peak of a big relay's poll.
  // connections() makes nothing after it.
  void release_sockets();
  // Asks context.geo again for the connections (made by connections())
  // whose country is still unknown ("??"), after a slow source answered.
  void fill_missing_countries(std::vector<Connection>& connections) const;
  // The host behind a Connection::host_key as text ("203.0.113.9", or
  // "2001:db8:1:2::/64"), "" if no socket has it. Only for the operator's
  // explicit opt-in (reveal_flood_addresses): it is an address.
  std::string host_text(std::uint64_t host_key) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Both steps at once.
std::vector<Connection> classify(const system::Sockets& sockets, const ClassifyContext& context);

}  // namespace relaymon::model
