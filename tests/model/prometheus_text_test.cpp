#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "model/prometheus_text.h"
#include "model_fixtures.h"

using namespace relaymon::model;
using relaymon::model::testing::read_fixture;

namespace {
const std::string kHealth = "tor-0.4.9.11-health/";
}

TEST_CASE("MetricsPort body of a real tor 0.4.9.11 middle parses without errors", "[prometheus]") {
  auto p = parse_prometheus_text(read_fixture(kHealth + "middle1/metrics.txt"));
  CHECK(p.errors.empty());
  CHECK(p.error_count == 0);
  CHECK_FALSE(p.truncated);
  CHECK(p.families.size() > 20);
  CHECK(p.sample_count > 200);
  const PromFamily* dos = p.family("tor_relay_dos_total");
  REQUIRE(dos);
  CHECK(dos->type == PromType::kCounter);
  CHECK(dos->help == "Denial of Service defenses related counters");
  CHECK(dos->samples.size() >= 9);
  CHECK(p.value("tor_relay_dos_total", {{"type", "concurrent_conn_rejected"}}) == 0.0);
  // The socket limit is the one sample without labels.
  auto limit = p.value("tor_relay_load_socket_total");
  REQUIRE(limit);
  CHECK(*limit > 0);
  CHECK(p.value("tor_relay_load_socket_total", {{"state", "opened"}}).value_or(-1) > 0);
  // Only a tor with OfflineMasterKey 1 exports its signing key's expiry.
  CHECK(p.family("tor_relay_signing_cert_expiry_timestamp") == nullptr);
  // Processed onionskins of every type (0.4.9 clients use ntor_v3).
  CHECK(p.sum("tor_relay_load_onionskins_total", {{"action", "processed"}}).value_or(0) > 0);
  CHECK(p.value("tor_relay_load_onionskins_total", {{"type", "nonexistent"}}) == std::nullopt);
}

TEST_CASE("MetricsPort of a real relay with an offline master key: signing-key expiry",
          "[prometheus]") {
  auto p = parse_prometheus_text(read_fixture(kHealth + "signing/metrics.txt"));
  CHECK(p.errors.empty());
  const PromFamily* cert = p.family("tor_relay_signing_cert_expiry_timestamp");
  REQUIRE(cert);
  CHECK(cert->type == PromType::kGauge);
  CHECK(cert->help == "Timestamp at which the current online keys will expire");
  CHECK(p.value("tor_relay_signing_cert_expiry_timestamp") == 1796760000.0);
}

TEST_CASE("MetricsPort DoS counters before and after the loopback DoS run (real)", "[prometheus]") {
  auto before = parse_prometheus_text(read_fixture(kHealth + "middle2/metrics-dos-before.txt"));
  auto after = parse_prometheus_text(read_fixture(kHealth + "middle2/metrics-dos-after.txt"));
  CHECK(after.errors.empty());
  auto b = before.value("tor_relay_dos_total", {{"type", "concurrent_conn_rejected"}});
  auto a = after.value("tor_relay_dos_total", {{"type", "concurrent_conn_rejected"}});
  REQUIRE(a);
  REQUIRE(b);
  CHECK(*b == 19);
  CHECK(*a == 62);
  CHECK(after.value("tor_relay_connections_total", {{"type", "OR"},
                                                    {"direction", "received"},
                                                    {"state", "rejected"},
                                                    {"family", "ipv4"}}) == 62.0);
}

TEST_CASE("MetricsPort exit DNS counters (real, exit3 with its own resolver)", "[prometheus]") {
  auto p = parse_prometheus_text(read_fixture(kHealth + "exit3/metrics-dns-down.txt"));
  CHECK(p.errors.empty());
  CHECK(p.value("tor_relay_exit_dns_query_total") == 14.0);
  CHECK(p.value("tor_relay_exit_dns_error_total", {{"reason", "tor_timeout"}}) == 5.0);
  CHECK(p.value("tor_relay_exit_dns_error_total", {{"reason", "notexist"}}) == 1.0);
  CHECK(p.sum("tor_relay_exit_dns_error_total").value_or(0) == 14.0);
}

TEST_CASE("synthetic: label escapes, NaN and infinities, timestamps, histograms", "[prometheus]") {
  const std::string text =
      "# HELP x_total A \\\\ backslash\\nand a new line\n"
      "# TYPE x_total counter\n"
      "x_total{path=\"a\\\"b\",dir=\"c:\\\\d\",note=\"l1\\nl2\",} 3 1700000000000\n"
      "x_total{path=\"e\"} +Inf\n"
      "x_total{path=\"f\"} -Inf\n"
      "x_total{path=\"g\"} NaN\n"
      "x_total { path = \"h\" } 1.5e3\n"
      "  # a comment that is not HELP or TYPE\n"
      "\n"
      "# TYPE lat histogram\n"
      "lat_bucket{le=\"0.5\"} 1\n"
      "lat_bucket{le=\"+Inf\"} 2\n"
      "lat_sum 0.75\n"
      "lat_count 2\n"
      "untyped_one -0.25\r\n";
  auto p = parse_prometheus_text(text);
  INFO((p.errors.empty() ? std::string() : p.errors[0].message));
  CHECK(p.errors.empty());
  const PromFamily* x = p.family("x_total");
  REQUIRE(x);
  CHECK(x->help == "A \\ backslash\nand a new line");
  REQUIRE(x->samples.size() == 5);
  CHECK(*x->samples[0].label("path") == "a\"b");
  CHECK(*x->samples[0].label("dir") == "c:\\d");
  CHECK(*x->samples[0].label("note") == "l1\nl2");
  CHECK(x->samples[0].timestamp_ms == 1700000000000);
  CHECK(std::isinf(x->samples[1].value));
  CHECK(x->samples[1].value > 0);
  CHECK(x->samples[2].value < 0);
  CHECK(std::isnan(x->samples[3].value));
  CHECK(x->samples[4].value == 1500.0);
  const PromFamily* lat = p.family("lat");
  REQUIRE(lat);
  CHECK(lat->type == PromType::kHistogram);
  CHECK(lat->samples.size() == 4);  // buckets, sum and count belong to the histogram
  CHECK(p.value("lat_bucket", {{"le", "+Inf"}}) == 2.0);
  CHECK(p.value("untyped_one") == -0.25);
  CHECK(p.family("untyped_one")->type == PromType::kUntyped);
}

TEST_CASE("synthetic: bad lines become errors with line numbers, good lines still count",
          "[prometheus]") {
  const std::string text =
      "good 1\n"
      "9bad 1\n"                 // 2: name starts with a digit
      "x{a=\"unterminated} 1\n"  // 3
      "x{a=\"v\",a=\"w\"} 1\n"   // 4: repeated label
      "x{a=\"\\q\"} 1\n"         // 5: unknown escape
      "x{a:b=\"v\"} 1\n"         // 6: ':' not allowed in a label name
      "x 1 2 3\n"                // 7: text after the timestamp
      "x one\n"                  // 8
      "x nan(1)\n"               // 9: from_chars would take it, the format does not
      "# TYPE good counter\n"    // 10: after good's sample
      "# TYPE y sometype\n"      // 11
      "# TYPE z gauge\n"
      "# TYPE z counter\n"      // 13: repeated
      "x{a=\"v\" b=\"w\"} 1\n"  // 14: missing comma
      "also_good{a=\"v\"} 2\n";
  auto p = parse_prometheus_text(text);
  CHECK(p.value("good") == 1.0);
  CHECK(p.value("also_good", {{"a", "v"}}) == 2.0);
  CHECK(p.sample_count == 2);
  REQUIRE(p.error_count == 12);
  std::vector<std::size_t> lines;
  for (const auto& e : p.errors) lines.push_back(e.line);
  CHECK(lines == std::vector<std::size_t>{2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14});
  for (const auto& e : p.errors) CHECK(e.message.find("unterminated}") == std::string::npos);
}

TEST_CASE("synthetic: limits bound line length, labels, samples and kept errors", "[prometheus]") {
  PromLimits limits;
  limits.max_line = 32;
  limits.max_samples = 3;
  limits.max_labels = 2;
  limits.max_errors = 2;
  std::string text = "a 1\n" + std::string(40, 'b') + " 1\n" +
                     "c{x=\"1\",y=\"2\",z=\"3\"} 1\nd 1\ne 1\nf 1\ng 1\n";
  auto p = parse_prometheus_text(text, limits);
  CHECK(p.error_count == 2);
  CHECK(p.errors.size() == 2);
  CHECK(p.errors[0].message == "line too long");
  CHECK(p.sample_count == 3);
  CHECK(p.truncated);
  CHECK(p.value("e") == 1.0);
  CHECK_FALSE(p.value("f").has_value());
  std::string many;
  for (int i = 0; i < 10; ++i) many += "bad line " + std::to_string(i) + "\n";
  auto q = parse_prometheus_text(many, limits);
  CHECK(q.error_count == 10);
  CHECK(q.errors.size() == 2);
}
