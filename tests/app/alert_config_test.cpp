// Config-file keys for alert rules: validated with line numbers, applied
// to the monitor settings.
#include <catch2/catch.hpp>

#include "app/config.h"
#include "session/monitor.h"
#include "app/settings.h"

using namespace relaymon::app;

TEST_CASE("config: alert.<rule>.<setting> keys are kept and bad ones are errors with lines",
          "[config]") {
  std::vector<ConfigError> errors;
  Config config = parse_config(
      "alert.connection-flood.max_connections 200\n"
      "alert.tor-warnings.enabled 0\n"
      "alert.no-such-rule.hold 3\n"
      "alert.private-address.factor 2\n"
      "alert.circuit-stuck.seconds soon\n",
      errors);
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].line == 3);
  CHECK(errors[0].message.find("no-such-rule") != std::string::npos);
  CHECK(errors[1].line == 4);
  CHECK(errors[2].line == 5);
  REQUIRE(config.alert_settings.size() == 2);
  Options options;
  relaymon::session::MonitorSettings settings = monitor_settings(options, config, Target{});
  CHECK(settings.alerts.find("connection-flood")->param("max_connections") == 200);
  CHECK_FALSE(settings.alerts.find("tor-warnings")->enabled);
  CHECK(settings.alerts.find("circuit-stuck")->param("seconds") == 120);  // default kept
}
