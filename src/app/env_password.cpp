#include "app/env_password.h"

#include <cstdlib>
#include <cstring>

namespace relaymon::app {

std::optional<std::string> take_env_password() {
  static std::optional<std::string> taken;
  if (char* value = std::getenv("RELAYMON_PASSWORD")) {
    taken = std::string(value);
    // unsetenv only unlinks the entry: the bytes stay in the initial
    // environment block, which /proc/PID/environ shows to every process of
    // the same user. Overwrite them first.
    ::explicit_bzero(value, std::strlen(value));
    ::unsetenv("RELAYMON_PASSWORD");
  }
  return taken;
}

}  // namespace relaymon::app
