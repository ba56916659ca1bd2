#include "support/json_schema.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "support/run_command.h"

namespace relaymon::testing {

namespace {

std::string validate(const std::string& kind, const std::string& text) {
  char path[] = "/tmp/relaymon-json-XXXXXX";
  int fd = ::mkstemp(path);
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  ::close(fd);
  {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }
  // Debian's interpreter, whose python3-jsonschema install-deps installs,
  // whatever python3 comes first in PATH.
  auto result = run_command({"/usr/bin/python3",
                             std::string(RELAYMON_SOURCE_DIR) + "/tests/support/validate_json.py",
                             std::string(RELAYMON_SOURCE_DIR) + "/share/schema", kind, path});
  ::unlink(path);
  if (result.exit_code == 0) return "";
  return result.out + result.err +
         (result.out.empty() && result.err.empty() ? "validator failed" : "");
}

}  // namespace

std::string snapshot_schema_errors(const std::string& document) {
  return validate("snapshot", document);
}

std::string watch_schema_errors(const std::string& lines) {
  return validate("watch", lines);
}

}  // namespace relaymon::testing
