// RELAYMON_PASSWORD is taken out of the environment the first time it is
// read (no tool relaymon runs inherits it) and kept for every later ask:
// a reconnect authenticates again with the same password.
#include <catch2/catch.hpp>
#include <cstdlib>

#include "app/config.h"
#include "app/env_password.h"
#include "app/settings.h"

using namespace relaymon::app;

TEST_CASE("RELAYMON_PASSWORD: removed from the environment once read, value kept") {
  ::setenv("RELAYMON_PASSWORD", "from-the-environment", 1);
  auto source = password_source(Config{});
  CHECK(std::getenv("RELAYMON_PASSWORD") == nullptr);  // gone before tor asks
  CHECK(source() == std::optional<std::string>("from-the-environment"));
  CHECK(source() == std::optional<std::string>("from-the-environment"));  // a reconnect
  // Another relay's source, made later, gets it too.
  CHECK(password_source(Config{})() == std::optional<std::string>("from-the-environment"));
  CHECK(take_env_password() == std::optional<std::string>("from-the-environment"));
  CHECK(std::getenv("RELAYMON_PASSWORD") == nullptr);
}

TEST_CASE("RELAYMON_PASSWORD wins over the config file's password") {
  ::setenv("RELAYMON_PASSWORD", "env-wins", 1);
  Config config;
  config.password = "from-config";
  CHECK(password_source(config)() == std::optional<std::string>("env-wins"));
  CHECK(std::getenv("RELAYMON_PASSWORD") == nullptr);
}
