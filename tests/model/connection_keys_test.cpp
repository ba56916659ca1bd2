// Socket keys follow a connection across polls and tell connections apart:
// the hash reads its texts eight bytes a step, so texts that differ only in
// their last byte, or only in length, must still give different keys.
#include <catch2/catch.hpp>

#include <set>

#include "model/connection_keys.h"

using relaymon::model::socket_key;
using relaymon::system::Socket;

namespace {

Socket tcp(const char* local, std::uint16_t local_port, const char* remote,
           std::uint16_t remote_port) {
  Socket s;
  s.protocol = "tcp";
  s.state = "ESTAB";
  s.local = {local, local_port};
  s.remote = {remote, remote_port};
  return s;
}

}  // namespace

TEST_CASE("socket keys: equal sockets agree and the state does not count", "[keys]") {
  Socket a = tcp("127.0.0.1", 9001, "127.0.1.100", 30099);
  Socket b = a;
  b.state = "CLOSE-WAIT";
  b.bytes_acked = 5;
  CHECK(socket_key(a) == socket_key(b));
}

TEST_CASE("socket keys: texts differing in one byte or in length differ", "[keys]") {
  std::set<std::uint64_t> keys;
  const char* remotes[] = {"127.0.1.1",    "127.0.1.10",    "127.0.1.100",
                           "127.0.1.101",  "127.0.10.1",    "2001:db8::1",
                           "2001:db8::10", "2001:db8::1:0", "2001:db8:0:0:0:0:0:1"};
  for (const char* remote : remotes) {
    keys.insert(socket_key(tcp("127.0.0.1", 9001, remote, 443)));
    keys.insert(socket_key(tcp("127.0.0.1", 9001, remote, 444)));
    keys.insert(socket_key(tcp("127.0.0.2", 9001, remote, 443)));
  }
  Socket udp = tcp("127.0.0.1", 9001, "127.0.1.1", 443);
  udp.protocol = "udp";
  keys.insert(socket_key(udp));
  CHECK(keys.size() == 3 * std::size(remotes) + 1);
}
