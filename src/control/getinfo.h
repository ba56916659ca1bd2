// Pure helpers for the replies of GETINFO and GETCONF (control-spec 3.3,
// 3.9), and for the values of a few GETINFO keys relaymon reads:
// net/listeners/*, orconn-status, circuit-status, status/bootstrap-phase.
// PROTOCOLINFO and AUTHCHALLENGE are read in control/auth.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "control/events.h"
#include "control/quoting.h"
#include "control/reply.h"

namespace relaymon::control {

// Tor refused (code 5xx/4xx and its message), or the reply does not have
// the shape the command promises (malformed = true, code is the reply's).
struct ReplyError {
  int code = 0;
  std::string message;
  bool malformed = false;
};

// The key named by `552 Unrecognized key "conn/all"`, to retry without it
// (one unknown key fails a whole batched GETINFO).
std::optional<std::string> unrecognized_key(const ReplyError& error);

struct InfoEntry {
  std::string key;
  // "250-key=value": the value as sent. "250+key=" data block: its lines
  // joined by "\n", without a final newline.
  std::string value;
  bool from_data_block = false;
};

struct InfoMap {
  std::vector<InfoEntry> entries;  // in reply order
  const std::string* find(std::string_view key) const;
};

std::variant<InfoMap, ReplyError> parse_getinfo(const Reply& reply);

// "250-Key=Value" (value unquoted when tor quoted it), bare "250-Key" for
// an unset option (value absent), a key repeated for each of its values;
// the last one is on the end line ("250 Nickname=x").
struct ConfMap {
  std::vector<ConfEntry> entries;  // in reply order
  // Every value of `key` (case-insensitive, as tor's option names).
  std::vector<std::string> values(std::string_view key) const;
  // True if the key is in the reply at all, set or not.
  bool has(std::string_view key) const;
};

std::variant<ConfMap, ReplyError> parse_getconf(const Reply& reply);

// net/listeners/*: space-separated quoted "ADDR:PORT", "[v6]:PORT" or
// "unix:/path".
struct ListenerAddress {
  std::string raw;        // unquoted
  std::string unix_path;  // set for unix sockets
  std::optional<HostPort> endpoint;
};
std::variant<std::vector<ListenerAddress>, ParseError> parse_listeners(std::string_view value);

// orconn-status: one "$FP~nick STATUS" or "ADDR:PORT STATUS" per line.
struct OrConnStatus {
  OrConnTarget target;
  std::string status;
};
std::variant<std::vector<OrConnStatus>, ParseError> parse_orconn_status(std::string_view value);

// circuit-status: one CIRC event body per line. (parse_circuit_line gives
// a line's other keywords too, such as CONFLUX_ID.)
std::variant<std::vector<CircEvent>, ParseError> parse_circuit_status(std::string_view value);

// status/bootstrap-phase (and the STATUS_CLIENT BOOTSTRAP event's arguments):
// "NOTICE BOOTSTRAP PROGRESS=100 TAG=done SUMMARY=\"Done\"".
struct BootstrapPhase {
  std::string severity;
  int progress = 0;  // 0..100
  std::string tag;
  std::string summary;
  std::string warning;  // set when bootstrapping is stuck
  std::string reason;
  std::string recommendation;       // "ignore" / "warn"
  std::vector<KeyValue> arguments;  // all of them, unknown ones included
};
std::variant<BootstrapPhase, ParseError> parse_bootstrap_phase(std::string_view value);

}  // namespace relaymon::control
