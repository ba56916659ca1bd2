// --snapshot --json (schema 2) from a synthetic snapshot that fills every
// field the JSON has, validated against share/schema/relaymon-snapshot;
// and the schema's privacy rule: an exit or client connection carrying a
// bare address fails it.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "export/snapshot_json.h"
#include "support/json_schema.h"

using namespace relaymon;
using nlohmann::json;

namespace {

std::vector<model::SnapshotPtr> ptrs(std::vector<model::Snapshot> snapshots) {
  std::vector<model::SnapshotPtr> out;
  for (auto& s : snapshots) out.push_back(std::make_shared<const model::Snapshot>(std::move(s)));
  return out;
}

model::Snapshot full() {
  model::Snapshot s;
  s.taken = model::TimePoint(std::chrono::seconds(1'800'000'000));
  s.host = "host (Linux)";
  s.control.endpoint = "127.0.0.1:9051";
  s.control.auth = model::AuthMethod::kSafeCookie;
  s.control.connected = true;
  s.tor.version = "0.4.9.11";
  s.tor.uptime_seconds = 60;
  s.tor.traffic_read = 1;
  s.tor.bootstrap_progress = 100;
  s.tor.bandwidth_rate = 1 << 20;
  s.process.pid = 42;
  s.process.descriptor_limit = 1024;
  s.process.descriptors_used = 30;
  s.process.cpu_percent = 1.5;
  s.relay.nickname = "exit1";
  s.relay.fingerprint = std::string(40, 'A');
  s.relay.flags = {"Exit", "Running"};
  s.listeners = {{"or", {"127.0.0.1", 5000}}};
  model::Circuit circuit;
  circuit.id = "7";
  circuit.status = "BUILT";
  circuit.path = {{std::string(40, 'B'), "middle1"}};
  s.circuits = {circuit};
  for (int c = 0; c <= static_cast<int>(model::Category::kUnexpected); ++c) {
    model::Connection conn;
    conn.category = static_cast<model::Category>(c);
    conn.local = {"127.0.0.1", 5000};
    conn.remote = {"127.0.0.2", 6000};
    if (conn.category == model::Category::kExit) {
      conn.remote = {"exit", 443};
      conn.scrubbed = true;
      conn.service = "https";
    }
    if (conn.category == model::Category::kInboundClient) {
      conn.remote = {"client (DE)", 0};
      conn.scrubbed = true;
    }
    conn.bytes_in = 10;
    conn.rtt_ms = 0.5;
    s.connections.edit().push_back(conn);
  }
  model::Alert alert;
  alert.id = "private-address";
  alert.evidence = {{"count", "3"}};
  s.alerts = {alert};
  s.crosscheck.control_counts = {{"relay", 3}};
  s.unanswered = {"exit-policy/full: 551 Descriptor still rebuilding"};
  return s;
}

}  // namespace

TEST_CASE("snapshot json: every field of schema 2 validates", "[snapshot_json]") {
  json doc = exporter::snapshots_to_json(
      ptrs({full(), model::Snapshot{}}),
      {{"127.0.0.1:9099", "nothing is listening at 127.0.0.1:9099 (is tor running?)"}});
  CHECK(doc["schema"] == 2);
  CHECK(doc["errors"][0]["endpoint"] == "127.0.0.1:9099");
  CHECK(testing::snapshot_schema_errors(doc.dump(2)) == "");
}

TEST_CASE("snapshot json: the schema refuses an exit or client connection with an address",
          "[snapshot_json]") {
  for (auto category : {model::Category::kExit, model::Category::kInboundClient}) {
    for (const char* address : {"203.0.113.9", "2001:db8::1"}) {
      model::Snapshot s = full();
      for (auto& c : s.connections.edit()) {
        if (c.category == category) c.remote.address = address;
      }
      std::string errors =
          testing::snapshot_schema_errors(exporter::snapshots_to_json(ptrs({s})).dump());
      INFO(model::to_string(category) << " " << address);
      CHECK_THAT(errors, Catch::Contains("connections"));
    }
  }
  model::Snapshot s = full();
  for (auto& c : s.connections.edit()) c.scrubbed = false;
  CHECK_THAT(testing::snapshot_schema_errors(exporter::snapshots_to_json(ptrs({s})).dump()),
             Catch::Contains("scrubbed"));
}
