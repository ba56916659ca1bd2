#include <catch2/catch.hpp>

#include "model/classify.h"
#include "model/connection_tracker.h"

using namespace relaymon;
using namespace relaymon::model;
using namespace std::chrono_literals;

namespace {

system::Socket sock(std::uint16_t lport, std::uint64_t in, std::uint64_t out) {
  system::Socket s;
  s.protocol = "tcp";
  s.state = "ESTAB";
  s.local = {"192.0.2.5", lport};
  s.remote = {"198.51.100.1", 9001};
  s.bytes_received = in;
  s.bytes_acked = out;
  return s;
}

}  // namespace

TEST_CASE("first seen and byte rates across polls", "[tracker]") {
  ConnectionTracker tracker;
  ClassifyContext ctx;
  TimePoint t0{std::chrono::seconds(1000)};

  system::Sockets poll1 = {sock(40000, 1000, 500), sock(40001, 0, 0)};
  auto c1 = classify(poll1, ctx);
  tracker.update(c1, t0);
  CHECK(c1[0].first_seen == t0);
  CHECK(c1[0].rate_in == 0);
  CHECK(tracker.size() == 2);

  // 5 s later: one socket grew, one is gone, one is new.
  system::Sockets poll2 = {sock(40000, 6000, 3000), sock(40002, 10, 10)};
  auto c2 = classify(poll2, ctx);
  tracker.update(c2, t0 + 5s);
  CHECK(c2[0].first_seen == t0);
  CHECK(c2[0].rate_in == Approx(1000.0));
  CHECK(c2[0].rate_out == Approx(500.0));
  CHECK(c2[1].first_seen == t0 + 5s);
  CHECK(c2[1].rate_in == 0);
  CHECK(tracker.size() == 2);

  // Same endpoints, counters back to small numbers: a new socket.
  system::Sockets poll3 = {sock(40000, 10, 10)};
  auto c3 = classify(poll3, ctx);
  tracker.update(c3, t0 + 10s);
  CHECK(c3[0].first_seen == t0 + 10s);
  CHECK(c3[0].rate_in == 0);
  CHECK(tracker.size() == 1);

  // No counters at all (netstat, lsof): first seen still works, rates stay 0.
  system::Socket bare = sock(40000, 0, 0);
  bare.bytes_received.reset();
  bare.bytes_acked.reset();
  system::Sockets poll4 = {bare};
  auto c4 = classify(poll4, ctx);
  tracker.update(c4, t0 + 15s);
  CHECK(c4[0].first_seen == t0 + 10s);
  CHECK(c4[0].rate_in == 0);
}
