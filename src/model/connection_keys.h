// Keys that let analysis follow connections and group peers without raw
// addresses (issue 10: raw sockets stop at the model). Each is a hash keyed
// with a random secret drawn once per process, so equal inputs give equal
// keys inside this process and nothing outside can turn a key back into an
// address. Keys never leave the process (no output writes them).
#pragma once

#include <cstdint>

#include "model/ip.h"
#include "system/socket.h"

namespace relaymon::model {

// Protocol, local and remote endpoint of a socket: stable while it lives.
std::uint64_t socket_key(const system::Socket& socket);
// The remote ADDR:PORT (what orconn-status names an unauthenticated peer by).
std::uint64_t peer_key_of(const IpPort& peer);
// The host behind an address: an IPv4 address, or the /64 of an IPv6 one
// (one subscriber's usual allocation), for counting connections per peer.
std::uint64_t host_key_of(const IpAddr& address);

}  // namespace relaymon::model
