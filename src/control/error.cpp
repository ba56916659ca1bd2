#include "control/error.h"

namespace relaymon::control {

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kConnectionRefused:
      return "connection-refused";
    case ErrorKind::kAuthFailed:
      return "auth-failed";
    case ErrorKind::kAuthUnavailable:
      return "auth-unavailable";
    case ErrorKind::kSafeCookieMismatch:
      return "safecookie-mismatch";
    case ErrorKind::kProtocol:
      return "protocol-error";
    case ErrorKind::kTimeout:
      return "timeout";
    case ErrorKind::kClosed:
      return "closed";
    case ErrorKind::kTorError:
      return "tor-error";
  }
  return "closed";
}

bool is_retryable(ErrorKind kind) {
  return kind != ErrorKind::kAuthFailed && kind != ErrorKind::kSafeCookieMismatch;
}

}  // namespace relaymon::control
