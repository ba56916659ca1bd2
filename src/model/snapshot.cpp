#include "model/snapshot.h"

namespace relaymon::model {

std::string_view to_string(Category category) {
  switch (category) {
    case Category::kListener:
      return "listener";
    case Category::kInboundRelay:
      return "inbound-relay";
    case Category::kInboundClient:
      return "inbound-client";
    case Category::kInboundDirectory:
      return "inbound-directory";
    case Category::kSocks:
      return "socks";
    case Category::kControl:
      return "control";
    case Category::kOutboundRelay:
      return "outbound-relay";
    case Category::kDirectoryFetch:
      return "directory-fetch";
    case Category::kExit:
      return "exit";
    case Category::kHiddenService:
      return "hidden-service";
    case Category::kDns:
      return "dns";
    case Category::kUnexpected:
      return "unexpected";
  }
  return "unexpected";
}

std::string_view to_string(Direction direction) {
  switch (direction) {
    case Direction::kInbound:
      return "inbound";
    case Direction::kOutbound:
      return "outbound";
    case Direction::kListen:
      return "listen";
    case Direction::kLocal:
      return "local";
  }
  return "outbound";
}

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kCritical:
      return "critical";
  }
  return "warning";
}

std::string_view to_string(AuthMethod auth) {
  switch (auth) {
    case AuthMethod::kNone:
      return "none";
    case AuthMethod::kSafeCookie:
      return "safecookie";
    case AuthMethod::kCookie:
      return "cookie";
    case AuthMethod::kPassword:
      return "password";
  }
  return "none";
}

}  // namespace relaymon::model

namespace relaymon::model {

const std::vector<std::string>& log_severities() {
  static const std::vector<std::string> all = {"DEBUG", "INFO", "NOTICE", "WARN", "ERR"};
  return all;
}

int log_severity_rank(std::string_view name) {
  const auto& all = log_severities();
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i] == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace relaymon::model
