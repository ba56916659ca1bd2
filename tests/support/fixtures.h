// Access to tests/fixtures/ (RELAYMON_FIXTURES is set by tests/CMakeLists).
#pragma once

#include <string>

namespace relaymon::testing {

// The bytes of tests/fixtures/<relative>; fails the test (throws) if absent.
std::string read_fixture(const std::string& relative);

// The path of tests/fixtures/<relative>.
std::string fixture_path(const std::string& relative);

}  // namespace relaymon::testing
