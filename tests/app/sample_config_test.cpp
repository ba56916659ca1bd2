// The sample config installed as share/doc/relaymon/relaymon.conf.example:
// it parses without errors as shipped and with every commented example
// enabled, and names every key man/relaymon.1 documents in CONFIGURATION.
#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "app/config.h"

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

const std::string kSample = std::string(RELAYMON_SOURCE_DIR) + "/share/relaymon.conf.example";

}  // namespace

TEST_CASE("sample config: parses without errors as shipped") {
  std::vector<relaymon::app::ConfigError> errors;
  auto config = relaymon::app::parse_config(read_file(kSample), errors);
  for (const auto& e : errors) INFO("line " << e.line << ": " << e.message);
  CHECK(errors.empty());
  CHECK(config.control_ports == std::vector<std::string>{"127.0.0.1:9051"});
  CHECK(config.poll_interval == 5);
}

TEST_CASE("sample config: every commented example is valid when enabled") {
  // "#key value" lines (no space after '#') are examples; prose comments
  // start with "# ".
  std::istringstream in(read_file(kSample));
  std::string text, line;
  int examples = 0;
  while (std::getline(in, line)) {
    if (line.size() > 1 && line[0] == '#' && line[1] != ' ') {
      line.erase(0, 1);
      ++examples;
    }
    text += line + "\n";
  }
  CHECK(examples >= 5);
  std::vector<relaymon::app::ConfigError> errors;
  auto config = relaymon::app::parse_config(text, errors);
  for (const auto& e : errors) INFO("line " << e.line << ": " << e.message);
  CHECK(errors.empty());
  CHECK(config.control_sockets.size() == 1);
  CHECK(config.alert_settings.size() >= 4);
}

TEST_CASE("sample config: names every key of the man page's CONFIGURATION") {
  std::string man = read_file(std::string(RELAYMON_SOURCE_DIR) + "/man/relaymon.1");
  auto start = man.find(".SH CONFIGURATION");
  REQUIRE(start != std::string::npos);
  auto end = man.find("\n.SH ", start + 1);
  std::string section = man.substr(start, end - start);
  std::regex key(R"(\n\.BI? ([a-z_]+)[ \n])");
  std::set<std::string> keys;
  for (std::sregex_iterator it(section.begin(), section.end(), key), last; it != last; ++it) {
    keys.insert((*it)[1]);
  }
  CHECK(keys.size() >= 7);
  std::string sample = read_file(kSample);
  for (const auto& k : keys) {
    INFO("key " << k);
    CHECK(std::regex_search(sample, std::regex("(^|\n)#?" + k + " ")));
  }
}
