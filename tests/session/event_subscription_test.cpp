// One owner of tor's event subscription: the union of relaymon's own events
// and every owner's wish, names tor does not know refused up front.
#include <catch2/catch.hpp>

#include "session/event_subscription.h"

using relaymon::session::EventSubscription;

TEST_CASE("the union of own events and every owner's, sorted, without duplicates", "[events]") {
  EventSubscription sub({"BW", "CIRC", "WARN"});
  CHECK(sub.want("log", {"CIRC", "ORCONN"}).empty());
  CHECK(sub.want("interpreter", {"stream"}).empty());  // upper-cased
  CHECK(sub.all() == std::vector<std::string>{"BW", "CIRC", "ORCONN", "STREAM", "WARN"});
  CHECK(sub.wanted_by("interpreter", "STREAM"));
  CHECK_FALSE(sub.wanted_by("log", "STREAM"));
  // A new wish replaces the owner's old one; others stay.
  sub.want("log", {});
  CHECK(sub.all() == std::vector<std::string>{"BW", "CIRC", "STREAM", "WARN"});
}

TEST_CASE("names tor does not know are refused and never sent", "[events]") {
  EventSubscription sub({"BW", "CONN_BW"});
  sub.set_known("BW CIRC STREAM");
  auto refused = sub.want("interpreter", {"CIRC", "NO_SUCH"});
  CHECK(refused == std::vector<std::string>{"NO_SUCH"});
  // relaymon's own unknown name (CONN_BW on an old tor) is left out too.
  CHECK(sub.all() == std::vector<std::string>{"BW", "CIRC"});
}

TEST_CASE("a wish made before events/names is known is judged once it is", "[events]") {
  EventSubscription sub({"BW"});
  CHECK(sub.want("interpreter", {"circ", "NO_SUCH"}).empty());  // taken on trust
  sub.set_known("BW CIRC");
  CHECK(sub.unknown("interpreter") == std::vector<std::string>{"NO_SUCH"});
  CHECK(sub.all() == std::vector<std::string>{"BW", "CIRC"});
  CHECK(sub.unknown("nobody").empty());
}
