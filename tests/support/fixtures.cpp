#include "support/fixtures.h"

#include <fstream>
#include <iterator>
#include <stdexcept>

namespace relaymon::testing {

std::string fixture_path(const std::string& relative) {
  return std::string(RELAYMON_FIXTURES) + "/" + relative;
}

std::string read_fixture(const std::string& relative) {
  std::ifstream in(fixture_path(relative), std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + fixture_path(relative));
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace relaymon::testing
