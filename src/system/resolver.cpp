#include "system/resolver.h"

#include <fmt/format.h>

namespace relaymon::system {

std::string_view to_string(ResolveStatus status) {
  switch (status) {
    case ResolveStatus::kOk:
      return "ok";
    case ResolveStatus::kNoPermission:
      return "no permission";
    case ResolveStatus::kProcessGone:
      return "process gone";
    case ResolveStatus::kUnavailable:
      return "unavailable";
    case ResolveStatus::kTimeout:
      return "timeout";
    case ResolveStatus::kFailed:
      return "failed";
  }
  return "failed";
}

std::string no_permission_message(int pid, std::string_view user, std::string_view what_failed) {
  std::string owner = user.empty() ? std::string("its user") : std::string(user);
  std::string example = user.empty() ? std::string("sudo -u debian-tor relaymon")
                                     : fmt::format("sudo -u {} relaymon", user);
  return fmt::format(
      "relaymon may not see the sockets of tor (pid {}, user {}): {}. Still shown: tor's own view "
      "from the control port (its relay connections, circuits and listeners), without per-socket "
      "states and byte counts. To see every socket, run relaymon as tor's user (e.g. `{}`) or as "
      "root.",
      pid, owner, what_failed, example);
}

}  // namespace relaymon::system
