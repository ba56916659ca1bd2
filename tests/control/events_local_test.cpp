// Events from the project's own captures: one local tor with no network
// (tests/fixtures/tor-0.4.9.11-local: CONF_CHANGED, ADDRMAP, SIGNAL, ORCONN,
// STATUS_CLIENT, NOTICE, WARN) and the loopback network
// (tests/fixtures/testnet-capture).
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>

#include "control/events.h"
#include "control/getinfo.h"
#include "event_helpers.h"

using namespace relaymon::control;
using namespace relaymon::control::testing;

namespace {

constexpr std::string_view kLocal = "tor-0.4.9.11-local/session-recv.txt";

std::vector<Event> local_events() {
  std::vector<Event> out;
  for (const auto& reply : frame_fixture(kLocal)) {
    if (reply.is_event()) out.push_back(parse_ok(reply));
  }
  return out;
}

template <typename T>
std::vector<T> all_of(const std::vector<Event>& events) {
  std::vector<T> out;
  for (const auto& e : events) {
    if (const T* p = e.get<T>()) out.push_back(*p);
  }
  return out;
}

}  // namespace

TEST_CASE("local capture: every event parses, with the expected types", "[events]") {
  std::map<std::string, int> counts;
  for (const auto& e : local_events()) {
    CHECK_FALSE(std::holds_alternative<UnknownEvent>(e.payload));
    ++counts[e.type];
  }
  CHECK(counts["CONF_CHANGED"] == 5);
  CHECK(counts["ADDRMAP"] == 2);
  CHECK(counts["SIGNAL"] == 3);
  CHECK(counts["ORCONN"] == 8);
  CHECK(counts["STATUS_CLIENT"] == 5);
  CHECK(counts["NOTICE"] > 10);
  CHECK(counts["WARN"] > 0);
}

TEST_CASE("local capture: CONF_CHANGED multi-line, repeated and bare keys", "[events]") {
  const auto changes = all_of<ConfChangedEvent>(local_events());
  REQUIRE(changes.size() == 5);
  // SETCONF ContactInfo=... ExitPolicy=... ExitPolicy=...
  REQUIRE(changes[0].entries.size() == 3);
  CHECK(changes[0].entries[0] ==
        ConfEntry{"ContactInfo", "relaymon capture <ops@example.invalid>"});
  CHECK(changes[0].entries[1] == ConfEntry{"ExitPolicy", "reject *:25"});
  CHECK(changes[0].entries[2] == ConfEntry{"ExitPolicy", "reject *:*"});
  // RESETCONF ContactInfo: a bare key, back to the default.
  REQUIRE(changes[1].entries.size() == 1);
  CHECK(changes[1].entries[0] == ConfEntry{"ContactInfo", std::nullopt});
  // SIGNAL RELOAD re-read the torrc, which has no ExitPolicy.
  CHECK(changes[2].entries == std::vector<ConfEntry>{{"ExitPolicy", std::nullopt}});
  CHECK(changes[3].entries == std::vector<ConfEntry>{{"DisableNetwork", "0"}});
  CHECK(changes[4].entries == std::vector<ConfEntry>{{"DisableNetwork", "1"}});
}

TEST_CASE("local capture: ADDRMAP from MAPADDRESS", "[events]") {
  const auto maps = all_of<AddrMapEvent>(local_events());
  REQUIRE(maps.size() == 2);
  CHECK(maps[0].address == "10.40.40.40");
  CHECK(maps[0].new_address == "www.example.invalid");
  CHECK(maps[0].expiry == "NEVER");
  CHECK(maps[0].cached == true);
  CHECK(maps[0].utc_expiry.empty());
  CHECK(maps[1].new_address == "relaymon.example.invalid");
}

TEST_CASE("local capture: SIGNAL and log events", "[events]") {
  const auto events = local_events();
  std::vector<std::string> signals;
  for (const auto& s : all_of<SignalEvent>(events)) signals.push_back(s.signal);
  CHECK(signals == std::vector<std::string>{"CLEARDNSCACHE", "RELOAD", "DUMP"});
  bool reload_notice = false;
  for (const auto& log : all_of<LogEvent>(events)) {
    if (log.message ==
        "Received reload signal (hup). Reloading config and resetting internal "
        "state.") {
      CHECK(log.severity == "NOTICE");
      reload_notice = true;
    }
  }
  CHECK(reload_notice);
}

TEST_CASE("local capture: ORCONN to a relay known only by fingerprint", "[events]") {
  const auto conns = all_of<OrConnEvent>(local_events());
  REQUIRE(conns.size() == 8);
  CHECK(conns[0].status == "LAUNCHED");
  CHECK(conns[0].conn_id == "5");
  REQUIRE(conns[0].target.router.has_value());
  CHECK(conns[0].target.router->fingerprint == std::string(40, 'B'));
  CHECK(conns[0].target.router->nickname.empty());
  CHECK(conns[1].status == "FAILED");
  CHECK(conns[1].reason == "CONNECTREFUSED");
  CHECK(conns[1].ncircs == 1u);
  CHECK(conns[1].conn_id == "5");
}

TEST_CASE("local capture: STATUS_CLIENT BOOTSTRAP, progressing and stuck", "[events]") {
  const auto events = local_events();
  std::vector<const Event*> status;
  for (const auto& e : events) {
    if (e.type == "STATUS_CLIENT") status.push_back(&e);
  }
  REQUIRE(status.size() == 5);
  const auto& first = *status[0]->get<StatusEvent>();
  CHECK(first.severity == "NOTICE");
  CHECK(first.action == "BOOTSTRAP");
  CHECK(*first.find("PROGRESS") == "5");
  CHECK(*first.find("SUMMARY") == "Connecting to a relay");
  const auto& stuck = *status[1]->get<StatusEvent>();
  CHECK(stuck.severity == "WARN");
  CHECK(*stuck.find("WARNING") == "Connection refused");
  CHECK(*stuck.find("RECOMMENDATION") == "ignore");
  CHECK(*stuck.find("HOSTID") == std::string(40, 'B'));
  CHECK(*status[4]->get<StatusEvent>()->find("COUNT") == "4");
  // The same arguments read through the bootstrap-phase parser.
  auto phase = parse_bootstrap_phase(status[1]->raw);
  REQUIRE(std::holds_alternative<BootstrapPhase>(phase));
  CHECK(std::get<BootstrapPhase>(phase).progress == 5);
  CHECK(std::get<BootstrapPhase>(phase).reason == "CONNECTREFUSED");
}

TEST_CASE("local capture: GETINFO of a stuck bootstrap and a down network", "[getinfo]") {
  const auto replies = frame_fixture(kLocal);
  const Reply* reply = nullptr;
  for (const auto& r : replies) {
    if (!r.is_event() && r.lines.size() == 3) reply = &r;
  }
  REQUIRE(reply != nullptr);
  auto parsed = parse_getinfo(*reply);
  REQUIRE(std::holds_alternative<InfoMap>(parsed));
  const InfoMap& info = std::get<InfoMap>(parsed);
  CHECK(*info.find("network-liveness") == "down");
  auto phase = parse_bootstrap_phase(*info.find("status/bootstrap-phase"));
  REQUIRE(std::holds_alternative<BootstrapPhase>(phase));
  const BootstrapPhase& p = std::get<BootstrapPhase>(phase);
  CHECK(p.severity == "WARN");
  CHECK(p.progress == 5);
  CHECK(p.tag == "conn");
  CHECK(p.warning == "Connection refused");
  CHECK(p.recommendation == "ignore");
}

TEST_CASE("testnet-capture: every event of every tor parses, none unknown", "[events]") {
  namespace fs = std::filesystem;
  const fs::path root = fs::path(RELAYMON_FIXTURES) / "testnet-capture" / "control";
  REQUIRE(fs::is_directory(root));
  std::map<std::string, int> counts;
  int files = 0;
  for (const auto& dir : fs::directory_iterator(root)) {
    const fs::path raw = dir.path() / "events-raw.txt";
    if (!fs::exists(raw)) continue;
    ++files;
    INFO(raw.string());
    for (const auto& reply : frame_fixture("testnet-capture/control/" +
                                           dir.path().filename().string() + "/events-raw.txt")) {
      REQUIRE(reply.is_event());
      const Event e = parse_ok(reply);
      CHECK_FALSE(std::holds_alternative<UnknownEvent>(e.payload));
      ++counts[e.type];
    }
  }
  CHECK(files >= 4);
  CHECK(counts["BW"] > 0);
  CHECK(counts["CIRC_BW"] > 0);
  CHECK(counts["CONN_BW"] > 0);
  CHECK(counts["NOTICE"] > 0);
  CHECK(counts["STREAM"] > 0);
}
