// Label: the shared text of the compact connection record (issue 16).
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <string>

#include "model/label.h"
#include "model/snapshot.h"

using relaymon::model::Label;

TEST_CASE("label: equal texts are one stored text, compared as text", "[label]") {
  std::string built = std::string("ES") + "TAB";  // not the literal's storage
  Label a = "ESTAB";
  Label b = built;
  CHECK(a == b);
  CHECK(&a.str() == &b.str());  // one copy for every connection in that state
  CHECK(a == "ESTAB");
  CHECK(a != "SYN-SENT");
  CHECK(a == std::string("ESTAB"));
  CHECK(Label("CLOSE-WAIT") < Label("ESTAB"));
  CHECK(fmt::format("[{:>7}]", a) == "[  ESTAB]");
  CHECK(a.size() == 5);
  CHECK(a + "!" == "ESTAB!");
}

TEST_CASE("label: empty, cleared and default labels are alike", "[label]") {
  Label none;
  Label empty = "";
  Label cleared = "DE";
  cleared.clear();
  CHECK(none.empty());
  CHECK(empty.empty());
  CHECK(cleared.empty());
  CHECK(none == empty);
  CHECK(none == cleared);
  CHECK(none == "");
  CHECK(none.str().empty());
}

TEST_CASE("label: a connection record holds its texts as labels, not strings", "[label]") {
  // Seven shared texts of 8 bytes each where there were seven strings of
  // 32 (plus a heap block for every relay fingerprint).
  static_assert(sizeof(Label) == sizeof(void*));
  relaymon::model::Connection c;
  c.relay_fingerprint = std::string(40, 'A');
  relaymon::model::Connection copy = c;
  CHECK(&copy.relay_fingerprint.str() == &c.relay_fingerprint.str());
  CHECK(sizeof(relaymon::model::Connection) <= 320);
}

TEST_CASE("label cache: gives the shared table's label, made once per text", "[label]") {
  relaymon::model::LabelCache cache;
  Label first = cache("SYN-SENT");
  Label again = cache(std::string("SYN-") + "SENT");
  CHECK(first == again);
  CHECK(&first.str() == &Label("SYN-SENT").str());
  CHECK(cache("").empty());
}
