// /metrics the Prometheus way: `promtool check metrics` (Debian's
// prometheus package) on the exposition of synthetic snapshots that fill
// every family and on a real scrape of relaymon --metrics against a real
// tor (DisableNetwork 1); the naming conventions promtool does not check;
// and the shipped alert rules and Grafana dashboard name only metrics
// relaymon serves.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "export/metrics_text.h"
#include "support/run_command.h"
#include "support/tor_process.h"

using namespace relaymon;
using namespace relaymon::testing;
using nlohmann::json;

namespace {

std::vector<exporter::MetricsRelay> relays() {
  exporter::MetricsRelay a;
  a.label = "exit1";
  a.collected = true;
  model::Snapshot s;
  s.control.connected = true;
  s.tor.version = "0.4.9.11";
  s.tor.version_status = "recommended";
  s.tor.traffic_read = 123456789012ULL;
  s.tor.traffic_written = 5;
  s.tor.uptime_seconds = 60;
  s.process.descriptors_used = 30;
  s.process.descriptor_limit = 1024;
  s.relay.fingerprint = std::string(40, 'A');
  s.relay.in_consensus = true;
  s.relay.flags = {"Exit", "Fast", "Running", "Valid"};
  s.bandwidth.edit().push_back({model::Clock::now(), 10, 20});
  model::Connection c;
  c.category = model::Category::kExit;
  s.connections = {c, c};
  model::Alert alert;
  alert.id = "private-address";
  alert.severity = model::Severity::kWarning;
  s.alerts = {alert};
  s.crosscheck.matched = 7;
  a.snapshot = std::make_shared<const model::Snapshot>(s);
  exporter::MetricsRelay b;  // a relay relaymon cannot reach yet
  b.label = "middle1";
  return {a, b};
}

std::string write_temp(const std::string& text) {
  char path[] = "/tmp/relaymon-metrics-XXXXXX";
  int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  REQUIRE(::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  ::close(fd);
  return path;
}

// promtool check metrics reads the exposition on standard input.
CommandResult promtool_check_metrics(const std::string& text) {
  std::string path = write_temp(text);
  auto result = run_command({"sh", "-c", "promtool check metrics < \"$0\"", path});
  ::unlink(path.c_str());
  return result;
}

// Family name -> type, from the # TYPE lines.
std::map<std::string, std::string> families(const std::string& text) {
  std::map<std::string, std::string> out;
  static const std::regex type(R"(^# TYPE (\S+) (\S+)$)");
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_match(line, m, type)) out[m[1]] = m[2];
  }
  return out;
}

std::string read_file(const std::string& relative) {
  std::ifstream in(std::string(RELAYMON_SOURCE_DIR) + "/" + relative);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every relaymon_* name a PromQL text uses.
std::set<std::string> metric_names(const std::string& text) {
  static const std::regex name(R"(relaymon_[a-z_]+)");
  std::set<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), name); it != std::sregex_iterator();
       ++it) {
    out.insert(it->str());
  }
  return out;
}

std::uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

}  // namespace

TEST_CASE("promtool check metrics accepts the exposition of every family", "[prometheus]") {
  std::string text = exporter::render_metrics(relays());
  auto result = promtool_check_metrics(text);
  INFO(text << result.out << result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.out.empty());  // promtool prints lint problems on stdout
  // ...and it does fail on a broken exposition, so the check means something.
  auto broken = promtool_check_metrics("# TYPE relaymon_bytes counter\nrelaymon_bytes 1\n");
  CHECK(broken.exit_code != 0);
}

TEST_CASE("metric and label names follow Prometheus conventions", "[prometheus]") {
  std::string text = exporter::render_metrics(relays());
  auto types = families(text);
  REQUIRE(types.size() >= 14);
  for (const auto& [name, type] : types) {
    INFO(name);
    CHECK(name.rfind("relaymon_", 0) == 0);
    bool total = name.size() > 6 && name.compare(name.size() - 6, 6, "_total") == 0;
    CHECK(total == (type == "counter"));  // _total exactly on counters
  }
  // Labels: a bounded set of names, and values that are never an address.
  static const std::regex sample(R"(^\w+\{([^}]*)\} \S+$)");
  static const std::regex label(R"re((\w+)="([^"]*)")re");
  // An IPv4 address (0.0.0.0/8 holds no host: tor's versions look like it)
  // or an IPv6 one.
  static const std::regex address(R"(^[1-9]\d*\.\d+\.\d+\.\d+|:.*:)");
  const std::set<std::string> allowed = {"relay",     "id",     "severity", "category",
                                         "direction", "result", "version",  "version_status",
                                         "flag"};
  std::istringstream in(text);
  long labelled = 0;
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (line.empty() || line[0] == '#' || !std::regex_match(line, m, sample)) continue;
    std::string labels = m[1];
    for (auto it = std::sregex_iterator(labels.begin(), labels.end(), label);
         it != std::sregex_iterator(); ++it) {
      INFO(line);
      CHECK(allowed.count((*it)[1].str()) == 1);
      CHECK_FALSE(std::regex_search((*it)[2].str(), address));
      ++labelled;
    }
  }
  CHECK(labelled > 50);
  CHECK(text.find("relaymon_relay_flag{relay=\"exit1\",flag=\"Exit\"} 1") != std::string::npos);
  CHECK(text.find("relaymon_tor_info{relay=\"exit1\",version=\"0.4.9.11\","
                  "version_status=\"recommended\"} 1") != std::string::npos);
  CHECK(text.find("relaymon_relay_in_consensus{relay=\"exit1\"} 1") != std::string::npos);
}

TEST_CASE("the alert rules and the fleet dashboard use only metrics relaymon serves",
          "[prometheus]") {
  auto served = families(exporter::render_metrics(relays()));
  for (const char* file :
       {"share/prometheus/relaymon-alerts.yml", "share/grafana/relaymon-fleet.json"}) {
    auto used = metric_names(read_file(file));
    INFO(file);
    CHECK(used.size() >= 5);
    for (const auto& name : used) {
      INFO(name);
      CHECK(served.count(name) == 1);
    }
  }
}

TEST_CASE("the fleet dashboard: one repeated row per relay, every query on the chosen datasource",
          "[prometheus]") {
  json dash = json::parse(read_file("share/grafana/relaymon-fleet.json"));
  CHECK(dash["uid"] == "relaymon-fleet");
  json relay_var;
  for (const auto& v : dash["templating"]["list"]) {
    if (v["name"] == "relay") relay_var = v;
  }
  REQUIRE(relay_var.is_object());
  CHECK(relay_var["query"]["query"] == "label_values(relaymon_up, relay)");
  CHECK(relay_var["multi"] == true);
  CHECK(relay_var["includeAll"] == true);
  int repeated_rows = 0;
  std::set<int> ids;
  int targets = 0;
  for (const auto& p : dash["panels"]) {
    INFO(p.dump());
    CHECK(ids.insert(p["id"].get<int>()).second);
    CHECK(p["gridPos"]["w"].get<int>() > 0);
    if (p["type"] == "row" && p.value("repeat", "") == "relay") ++repeated_rows;
    for (const auto& t : p.value("targets", json::array())) {
      ++targets;
      CHECK(t["datasource"]["uid"] == "${datasource}");
      CHECK_FALSE(t["expr"].get<std::string>().empty());
    }
  }
  CHECK(repeated_rows == 1);
  CHECK(targets >= 10);
  // Per-relay panels filter on the row's relay.
  std::string text = dash.dump();
  CHECK(text.find("relay=\\\"$relay\\\"") != std::string::npos);
}

TEST_CASE("relaymon --metrics against a real tor passes promtool check metrics", "[prometheus]") {
  TorProcess tor;
  std::string port = std::to_string(free_port());
  std::thread server([&] {
    run_command({RELAYMON_BINARY, "-c", "/dev/null", "--metrics", "127.0.0.1:" + port, "-i",
                 "127.0.0.1:" + std::to_string(tor.control_port())},
                {}, 10);
  });
  std::string relay = "{relay=\"127.0.0.1:" + std::to_string(tor.control_port()) + "\"}";
  CommandResult scrape;
  for (int i = 0; i < 16; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    scrape = run_command({"curl", "-sf", "http://127.0.0.1:" + port + "/metrics"}, {}, 5);
    if (scrape.out.find("relaymon_collected" + relay + " 1") != std::string::npos) break;
  }
  server.join();
  INFO(scrape.out);
  REQUIRE(scrape.exit_code == 0);
  auto check = promtool_check_metrics(scrape.out);
  INFO(check.out << check.err);
  CHECK(check.exit_code == 0);
  CHECK(check.out.empty());
  CHECK(scrape.out.find("relaymon_up" + relay + " 1") != std::string::npos);
  CHECK(scrape.out.find("relaymon_collected" + relay + " 1") != std::string::npos);
  CHECK(scrape.out.find("relaymon_tor_info{") != std::string::npos);
}
