// GETINFO conn/all in the seed 003 format (a patched tor's; tor 0.4.x
// answers 552): the parser, and its entries as OR connections.
#include <catch2/catch.hpp>

#include "control/conn_all.h"

using namespace relaymon;

namespace {
const std::string kFp1 = "1111111111111111111111111111111111111111";
}

TEST_CASE("conn/all in the seed 003 format is parsed and bad lines are counted", "[conn_all]") {
  std::string data = "1 0 " + kFp1 +
                     " 127.0.0.1 5001 40000 ORT 100 200 60\n"
                     "2 7 0 0 0 0 IRt 5 6 7 extra-future-field\n"
                     "broken line\n"
                     "3 0 0 203.0.113.4 443 5000 OCt x 1 1\n";
  int skipped = 0;
  auto entries = control::parse_conn_all(data, &skipped);
  REQUIRE(entries.size() == 2);
  CHECK(skipped == 2);
  CHECK(entries[0].or_id == kFp1);
  CHECK(entries[0].port == 5001);
  CHECK(entries[0].local_port == 40000);
  CHECK(entries[0].flags == "ORT");
  CHECK(entries[0].read == 100);
  CHECK(entries[0].written == 200);
  CHECK(entries[0].uptime == 60);
  CHECK(entries[1].flags == "IRt");
  CHECK(control::parse_conn_all("").empty());
}
