// The same tor reached twice is named as such (issue 15, item 14).
#include <catch2/catch.hpp>

#include "model/same_tor.h"

using namespace relaymon;

namespace {

model::Snapshot relay(std::string endpoint, std::string fingerprint) {
  model::Snapshot s;
  s.control.endpoint = std::move(endpoint);
  s.relay.fingerprint = std::move(fingerprint);
  return s;
}

}  // namespace

TEST_CASE("same tor: a fingerprint reached twice names the first endpoint") {
  const std::string a(40, 'A');
  const std::string b(40, 'B');
  auto port = relay("127.0.0.1:9051", a);
  auto other = relay("127.0.0.1:9052", b);
  auto socket = relay("/run/tor/control", a);
  auto client1 = relay("127.0.0.1:9151", "");
  auto client2 = relay("127.0.0.1:9152", "");
  auto same = model::same_tor_as({&port, &other, &socket, nullptr, &client1, &client2});
  CHECK(same == std::vector<std::string>{"", "", "127.0.0.1:9051", "", "", ""});
}
