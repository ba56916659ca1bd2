// Typed errors of the control client. Each carries a sentence meant for the
// operator: what failed, where, and what to do about it.
#pragma once

#include <string>
#include <string_view>

namespace relaymon::control {

enum class ErrorKind {
  kConnectionRefused,   // nothing listening at the endpoint
  kAuthFailed,          // tor refused our credentials
  kAuthUnavailable,     // no method we can use (cookie unreadable, no password...)
  kSafeCookieMismatch,  // the peer could not prove it knows the cookie
  kProtocol,            // bytes that break the control protocol
  kTimeout,             // no reply before the deadline
  kClosed,              // the connection ended
  kTorError,            // tor answered a command with 4xx/5xx
};

struct Error {
  ErrorKind kind = ErrorKind::kClosed;
  std::string message;
};

std::string_view to_string(ErrorKind kind);

// Whether reconnecting could help. Wrong passwords and a failed SAFECOOKIE
// proof don't fix themselves, and retrying the latter would keep talking to
// an impostor.
bool is_retryable(ErrorKind kind);

}  // namespace relaymon::control
