// Typed asynchronous events (control-spec 4.1) from framed 650 replies.
// Tolerant where the spec says clients MUST tolerate (unknown event types,
// keywords, statuses, purposes, extra arguments and extra lines: all kept),
// strict where a value we rely on is missing or not a number: then the
// result is a ParseError naming the event and the problem. Never throws.
// Error messages never repeat values from the event: a value may be a
// client's or an exit destination's address, which must not reach a log.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "control/quoting.h"
#include "control/reply.h"

namespace relaymon::control {

// A relay as named in paths and lists: "$FP~nick", "$FP=nick", "$FP" or
// (old ServerID form) "nick". fingerprint is 40 upper-case hex digits
// without "$", or empty; nickname may be empty.
struct RouterRef {
  std::string fingerprint;
  std::string nickname;
  bool operator==(const RouterRef&) const = default;
};
std::variant<RouterRef, ParseError> parse_router_ref(std::string_view text);

// "ADDR:PORT" or "[IPv6]:PORT" (brackets removed from address).
struct HostPort {
  std::string address;
  std::uint16_t port = 0;
};
std::variant<HostPort, ParseError> parse_host_port(std::string_view text);

struct BwEvent {
  std::uint64_t read = 0;
  std::uint64_t written = 0;
  // Per-type breakdown ("OR=…", "EXIT=…"), kept as tor sent it (see Event::args).
};

// CIRC, and the body of each GETINFO circuit-status line.
struct CircEvent {
  std::string id;      // CircuitID: 1*16 alphanumerics
  std::string status;  // LAUNCHED BUILT GUARD_WAIT EXTENDED FAILED CLOSED, or newer
  std::vector<RouterRef> path;
  std::vector<std::string> build_flags;
  std::string purpose;
  std::string hs_state;
  std::string rend_query;
  std::string time_created;  // ISOTime2Frac as sent
  std::string reason;
  std::string remote_reason;
  std::optional<std::string> socks_username;
  std::optional<std::string> socks_password;
};

struct CircMinorEvent : CircEvent {
  // `status` holds the CircEvent field: PURPOSE_CHANGED, CANNIBALIZED...
  std::string old_purpose;
  std::string old_hs_state;
};

struct StreamEvent {
  std::string id;
  std::string status;
  std::string circuit_id;  // "0" when unattached
  HostPort target;         // address may be "(Tor_internal)" or a .exit name
  std::string reason;
  std::string remote_reason;
  std::string source;
  std::optional<HostPort> source_addr;
  std::string purpose;
  std::optional<std::string> socks_username;
  std::optional<std::string> socks_password;
  std::string client_protocol;
  // Stream isolation (0.2.x+): NEWNYM epoch, the listener's session group
  // (tor numbers its default groups below zero) and the isolating fields.
  std::optional<std::uint64_t> nym_epoch;
  std::optional<std::int64_t> session_group;
  std::vector<std::string> iso_fields;
};

// An OR connection's far end: a relay ("$FP~nick") or, for a connection
// not yet (or never) identified, "ADDR:PORT".
struct OrConnTarget {
  std::string raw;
  std::optional<RouterRef> router;
  std::optional<HostPort> endpoint;
};
std::variant<OrConnTarget, ParseError> parse_orconn_target(std::string_view text);

struct OrConnEvent {
  OrConnTarget target;
  std::string status;  // NEW LAUNCHED CONNECTED FAILED CLOSED
  std::string reason;
  std::optional<std::uint64_t> ncircs;
  std::string conn_id;
};

struct CircBwEvent {
  std::string id;
  std::uint64_t read = 0;
  std::uint64_t written = 0;
  std::string time;
  std::optional<std::uint64_t> delivered_read, delivered_written;
  std::optional<std::uint64_t> overhead_read, overhead_written;
  std::optional<std::uint64_t> slow_start, cwnd, rtt_ms, min_rtt_ms;
};

struct StreamBwEvent {
  std::string id;
  std::uint64_t written = 0;  // note the order on the wire: written, then read
  std::uint64_t read = 0;
  std::string time;
};

struct ConnBwEvent {
  std::string id;
  std::string type;  // OR DIR EXIT, or newer
  std::uint64_t read = 0;
  std::uint64_t written = 0;
};

// DEBUG INFO NOTICE WARN ERR; a 650+ multi-line message is joined with "\n".
struct LogEvent {
  std::string severity;
  std::string message;
};

// STATUS_GENERAL / STATUS_CLIENT / STATUS_SERVER (Event::type tells which;
// the old misspelling STATUS_SEVER is accepted too).
struct StatusEvent {
  std::string severity;
  std::string action;
  std::vector<KeyValue> arguments;  // in order, values unquoted
  const std::string* find(std::string_view key) const;
};

// NS and NEWCONSENSUS: the router status entries, unparsed.
struct NetworkStatusEvent {
  std::string document;
};

struct NewDescEvent {
  std::vector<RouterRef> servers;
};

struct ConfEntry {
  std::string key;
  std::optional<std::string> value;  // absent: set back to its default
  bool operator==(const ConfEntry&) const = default;
};

struct ConfChangedEvent {
  std::vector<ConfEntry> entries;
};

struct SignalEvent {
  std::string signal;
};

struct GuardEvent {
  std::string type;  // ENTRY
  std::string name;  // as sent
  std::optional<RouterRef> router;
  std::string status;  // NEW UP DOWN BAD BAD_L2 GOOD DROPPED
};

struct NetworkLivenessEvent {
  std::string status;  // UP DOWN
};

struct AddrMapEvent {
  std::string address;
  std::string new_address;  // or "<error>"
  std::string expiry;       // local time, unquoted, or "NEVER"
  std::string error;
  std::string utc_expiry;
  std::optional<bool> cached;
  std::string stream_id;
};

struct HsDescEvent {
  std::string action;
  std::string address;
  std::string auth_type;
  std::string hs_dir;  // as sent: LongName, fingerprint or UNKNOWN
  std::optional<RouterRef> hs_dir_router;
  std::string descriptor_id;
  std::string reason;
  std::string replica;
  std::string hs_dir_index;
};

// An event type this parser has no struct for; see Event::raw and args.
struct UnknownEvent {};

using EventPayload =
    std::variant<UnknownEvent, BwEvent, CircEvent, CircMinorEvent, StreamEvent, OrConnEvent,
                 CircBwEvent, StreamBwEvent, ConnBwEvent, LogEvent, StatusEvent, NetworkStatusEvent,
                 NewDescEvent, ConfChangedEvent, SignalEvent, GuardEvent, NetworkLivenessEvent,
                 AddrMapEvent, HsDescEvent>;

struct Event {
  std::string type;  // "CIRC", "STATUS_SERVER", ... as sent
  // Everything after the type: the rest of the first line, then each further
  // line (and data block, without its final newline) after a "\n"; the
  // closing "650 OK" of a multi-line event is left out.
  std::string raw;
  // Arguments of the first line after the type, plus keywords from extra
  // 650- lines (extended events). Known and unknown keywords alike. Empty
  // for log, NS/NEWCONSENSUS and CONF_CHANGED events (free text).
  ArgList args;
  EventPayload payload;

  template <typename T>
  const T* get() const {
    return std::get_if<T>(&payload);
  }
};

using EventResult = std::variant<Event, ParseError>;

// The event's type name ("BW"), or "" if the reply is not a 650 event.
std::string_view event_type(const Reply& reply);

EventResult parse_event(const Reply& reply);

// One line of GETINFO circuit-status: "ID STATUS [PATH] KEY=VALUE...",
// with all its arguments (CONFLUX_ID and other keywords CircEvent lacks).
struct CircuitLine {
  CircEvent circuit;
  ArgList args;
};
std::variant<CircuitLine, ParseError> parse_circuit_line(std::string_view line);

}  // namespace relaymon::control
