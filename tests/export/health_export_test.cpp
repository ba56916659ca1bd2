// The relay's health in every headless output (--snapshot --json schema 2,
// /metrics, --check perfdata), from the real captures of a tor 0.4.9.11
// middle with a MetricsPort (tests/fixtures/tor-0.4.9.11-health).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "../model/model_fixtures.h"
#include "export/check_line.h"
#include "export/metrics_text.h"
#include "export/snapshot_json.h"
#include "model/health.h"
#include "model/relay_index.h"
#include "support/json_schema.h"

using namespace relaymon;
using model::testing::getinfo_value;
using model::testing::read_fixture;
using nlohmann::json;

namespace {

const std::string kHealth = "tor-0.4.9.11-health/";

// middle1 as the health collector would have folded it.
model::Snapshot middle_with_health() {
  auto desc = model::parse_fresh_relay_descs(
      getinfo_value(kHealth + "middle1/getinfo-fresh-relay-descs.txt"));
  auto metrics = model::parse_prometheus_text(read_fixture(kHealth + "middle1/metrics.txt"));
  auto parsed = model::parse_consensus(getinfo_value(kHealth + "middle1/getinfo-ns-id-own.txt"));
  REQUIRE(parsed.relays.size() == 1);
  auto entry = model::to_consensus_entry(parsed.relays[0]);
  model::HealthInputs in;
  in.now = *model::parse_tor_time("2026-12-06 18:36:00");
  in.descriptors = &desc;
  in.metrics = &metrics;
  in.own_entry_polled = true;
  in.own_entry = &entry;
  in.max_mem_in_queues = 8589934592u;
  in.rss_bytes = 80u << 20;
  in.is_exit = false;
  in.family_configured = true;
  in.family_id_configured = true;
  in.offline_master_key = false;
  model::Snapshot s;
  s.relay.fingerprint = entry.fingerprint;
  s.relay.nickname = "middle1";
  s.control.connected = true;
  s.health = model::update_health({}, in);
  // A failed IPv6 self-test, as tor reports it (the address is our own).
  model::HealthStatusEvent failed;
  failed.kind = model::HealthStatusEvent::Kind::kReachabilityFailed;
  failed.family = model::AddressFamily::kIPv6;
  failed.or_address = "[2001:db8::5]:9001";
  in.status_events = {failed};
  s.health = model::update_health(s.health, in);
  return s;
}

std::vector<model::SnapshotPtr> one(model::Snapshot s) {
  return {std::make_shared<const model::Snapshot>(std::move(s))};
}

}  // namespace

TEST_CASE("health json: real figures, every concern, valid schema 2, no address",
          "[health_export]") {
  json doc = exporter::snapshots_to_json(one(middle_with_health()));
  CHECK(doc["schema"] == 2);
  CHECK(testing::snapshot_schema_errors(doc.dump()) == "");
  const json& h = doc["relays"][0]["health"];
  INFO(h.dump(1));
  CHECK(h["metrics_port"] == true);
  REQUIRE(h["concerns"].size() == 9);
  CHECK(h["concerns"][0]["id"] == "overload");
  CHECK(h["concerns"][1]["id"] == "dos_onionskins");
  CHECK(h["concerns"][8]["id"] == "signing_key");
  CHECK(h["overload"]["bandwidth_observed"] == 419106);
  CHECK(h["family"]["certificates"] == 1);
  CHECK(h["flags"]["flags"].size() == 6);
  CHECK(h["memory"]["max_in_queues"] == 8589934592u);
  CHECK(h["reachability"]["ipv6"]["state"] == "failed");
  CHECK(h["reachability"]["ipv6"]["port"] == "9001");
  // The relay's own address from the STATUS event is not repeated.
  CHECK(doc.dump().find("2001:db8::5") == std::string::npos);
}

TEST_CASE("health metrics: a state set per concern, and the onionskin figures", "[health_export]") {
  exporter::MetricsRelay relay{"middle1", true,
                               std::make_shared<const model::Snapshot>(middle_with_health())};
  std::string text = exporter::render_metrics({relay});
  INFO(text);
  CHECK(text.find("relaymon_health{relay=\"middle1\",concern=\"family\",level=\"ok\"} 1") !=
        std::string::npos);
  CHECK(text.find("relaymon_health{relay=\"middle1\",concern=\"family\",level=\"warning\"} 0") !=
        std::string::npos);
  CHECK(text.find("relaymon_health{relay=\"middle1\",concern=\"reachability\",level=\"warning\"} "
                  "1") != std::string::npos);
  CHECK(text.find("relaymon_health_metrics_port{relay=\"middle1\"} 1") != std::string::npos);
  CHECK(text.find("2001:db8") == std::string::npos);
  // A client has no health samples.
  exporter::MetricsRelay client{"client", true, std::make_shared<const model::Snapshot>()};
  CHECK(exporter::render_metrics({client}).find("relaymon_health{") == std::string::npos);
}

TEST_CASE("health perfdata: concerns by level in --check", "[health_export]") {
  exporter::CheckRelay relay{"middle1",
                             std::make_shared<const model::Snapshot>(middle_with_health()), ""};
  auto result = exporter::evaluate_check({relay});
  INFO(result.line);
  CHECK(result.line.find("health_warning=1;") != std::string::npos);  // the IPv6 ORPort
  CHECK(result.line.find("health_critical=0;") != std::string::npos);
  // No offline key: the figure is left out rather than invented.
  CHECK(result.line.find("signing_key_days") == std::string::npos);
}

TEST_CASE("metrics of a tor relaymon cannot reach: relaymon_up 0, and no connection counts",
          "[metrics]") {
  model::Snapshot down;
  down.control.endpoint = "127.0.0.1:9051";
  down.control.connected = false;
  down.control.last_error = "nothing is listening at 127.0.0.1:9051";
  exporter::MetricsRelay relay{"127.0.0.1:9051", false,
                               std::make_shared<const model::Snapshot>(down)};
  std::string text = exporter::render_metrics({relay});
  INFO(text);
  CHECK(text.find("relaymon_up{relay=\"127.0.0.1:9051\"} 0") != std::string::npos);
  CHECK(text.find("relaymon_connections{") == std::string::npos);
  CHECK(text.find("relaymon_crosscheck_connections{") == std::string::npos);
  // Once connected, every category is counted (0 included).
  down.control.connected = true;
  relay.snapshot = std::make_shared<const model::Snapshot>(down);
  CHECK(exporter::render_metrics({relay}).find("relaymon_connections{relay=\"127.0.0.1:9051\","
                                               "category=\"exit\"} 0") != std::string::npos);
}
