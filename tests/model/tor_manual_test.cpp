// tor's manual page parsed for the config page: real excerpts of Debian's
// tor 0.4.9.11 manual (tests/fixtures/tor-0.4.9.11-manual).
#include <catch2/catch.hpp>

#include "model/tor_manual.h"
#include "model_fixtures.h"

using namespace relaymon::model;
using relaymon::model::testing::read_fixture;

TEST_CASE("real manual: option usage lines and first paragraphs, flags left out", "[tor_manual]") {
  auto manual = parse_tor_manual(read_fixture("tor-0.4.9.11-manual/tor.1-excerpt"));
  REQUIRE(manual.count("ExitPolicyRejectPrivate") == 1);
  const auto& reject = manual.at("ExitPolicyRejectPrivate");
  CHECK(reject.usage == "ExitPolicyRejectPrivate 0|1");
  CHECK(reject.description ==
        "Reject all private (local) networks, along with the relay's advertised public IPv4 and "
        "IPv6 addresses, at the beginning of your exit policy. See above entry on ExitPolicy. "
        "(Default: 1)");
  REQUIRE(manual.count("BandwidthRate") == 1);
  CHECK(manual.at("BandwidthRate").usage ==
        "BandwidthRate N bytes|KBytes|MBytes|GBytes|TBytes|KBits|MBits|GBits|TBits");
  CHECK(manual.at("BandwidthRate").description.rfind("A token bucket limits the average", 0) == 0);
  CHECK(manual.at("BandwidthRate").description.find("(Default: 1 GByte)") != std::string::npos);
  // Case-insensitive, as tor's option names are.
  CHECK(manual.count("exitpolicy") == 1);
  CHECK(manual.at("ExitPolicy").description.rfind("Set an exit policy for this server.", 0) == 0);
  CHECK(manual.count("MaxCircuitDirtiness") == 1);
  // Command-line flags ("\fB\-f\fR") are not options.
  for (const auto& [name, entry] : manual) CHECK(name.find('-') == std::string::npos);
  // No markup left.
  for (const auto& [name, entry] : manual) {
    CHECK(entry.description.find("\\f") == std::string::npos);
    CHECK(entry.description.find("\\&") == std::string::npos);
  }
}

TEST_CASE("roff markup made plain", "[tor_manual]") {
  CHECK(roff_to_text("\\fBaccept\\fR|\\fBreject\\fR") == "accept|reject");
  CHECK(roff_to_text("0\\&.0\\&.0\\&.0/0 \\- you\\(cqve \\(em x") == "0.0.0.0/0 - you've -- x");
  CHECK(roff_to_text("trailing \\") == "trailing \\");
  CHECK(roff_to_text("\\(") == "");
  CHECK(roff_to_text("\\f(CWcode\\fP") == "code");
}

TEST_CASE("garbage is no manual", "[tor_manual]") {
  CHECK(parse_tor_manual("").empty());
  CHECK(parse_tor_manual(".PP\n\\fBX").empty());
  CHECK(parse_tor_manual(".PP\n\\fBName\\fR\n").empty());  // no .RS: not an entry
  auto one = parse_tor_manual(".PP\n\\fBName\\fR \\fIN\\fR\n.RS 4\nText \\fIhere\\fR\\&.\n.RE\n");
  REQUIRE(one.count("Name") == 1);
  CHECK(one.at("Name").usage == "Name N");
  CHECK(one.at("Name").description == "Text here.");
}
