// Pure parsers for what tor says about its own health in its log (NOTICE
// and WARN messages, as LogEvent::message or a log file line after its
// "Mon DD HH:MM:SS.mmm [severity] " prefix) and in STATUS_SERVER /
// STATUS_GENERAL events. The formats are tor 0.4.9.11's (each was seen in
// a real log or checked against the strings of the Debian binary; see
// tests/fixtures/tor-0.4.9.11-health/README.md). Never throws.
//
// Privacy: nothing here keeps a client's address. CLOCK_SKEW's SOURCE
// (which can name a peer's address) is reduced to its kind.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace relaymon::control {
struct StatusEvent;  // control/events.h (kept out of Snapshot's includes)
}

namespace relaymon::model {

// "Heartbeat: Tor's uptime is 1 day 2:03 hours, with 108 circuits open.
// I've sent 22.47 MB and received 22.44 MB. I've received 10 connections
// on IPv4 and 0 on IPv6. I've made 61 connections with IPv4 and 0 with
// IPv6.[ We are currently hibernating.]" (core/or/status.c, log_heartbeat)
struct HeartbeatSummary {
  long uptime_seconds = 0;  // minute resolution
  long circuits = 0;
  std::uint64_t sent_bytes = 0;  // tor rounds: kB, or MB/GB with 2 decimals
  std::uint64_t received_bytes = 0;
  long inbound_ipv4 = 0, inbound_ipv6 = 0, outbound_ipv4 = 0, outbound_ipv6 = 0;
  bool hibernating = false;
};

// "Heartbeat: It seems like we are not in the cached consensus."
struct HeartbeatNotInConsensus {};

// "Heartbeat: DoS mitigation since startup: 0 circuits killed with too many
// cells, 0 circuits rejected, 0 marked addresses, 0 marked addresses for
// max queue, 62 same address concurrent connections rejected, 0
// connections rejected, [DoSRefuseSingleHopClientRendezvous disabled],
// [DoSStreamCreationEnabled disabled], 0 INTRODUCE2 rejected."
// (core/or/dos.c, dos_log_heartbeat). Absent counters: that defense is off.
struct DosHeartbeat {
  std::optional<std::uint64_t> circuits_killed_max_cells;
  std::optional<std::uint64_t> circuits_rejected;
  std::optional<std::uint64_t> marked_addresses;
  std::optional<std::uint64_t> marked_addresses_max_queue;
  std::optional<std::uint64_t> concurrent_connections_rejected;
  std::optional<std::uint64_t> connections_rejected;
  std::optional<std::uint64_t> single_hop_refused;
  std::optional<std::uint64_t> streams_rejected;
  std::optional<std::uint64_t> introduce2_rejected;
  std::vector<std::string> disabled;  // "DoSConnectionEnabled", ...
};

// "Circuit handshake stats since last time: 0/0 TAP, 0/0 NTor, 15/15 NTor
// (v3)." (feature/stats/rephist.c, rep_hist_log_circuit_handshake_stats):
// assigned/requested per handshake type since the previous heartbeat. Fewer
// assigned than requested: onionskins were dropped.
struct HandshakeStats {
  struct Pair {
    std::uint64_t assigned = 0;
    std::uint64_t requested = 0;
  };
  Pair tap, ntor, ntor_v3;
};

// "Heartbeat: Accounting enabled. Sent: 569 kB, Received: 575 kB, Used:
// 1.29 MB / 1.00 GB, Rule: max. The current accounting interval ends on
// 2026-12-07 00:00:00, in 5:24 hours." (core/or/status.c, log_accounting)
struct AccountingHeartbeat {
  std::uint64_t sent_bytes = 0, received_bytes = 0, used_bytes = 0, max_bytes = 0;
  std::string rule;          // max, sum, in, out
  std::string interval_end;  // tor's local time, as written
  long remaining_seconds = 0;
};

// "We're low on memory (cell queues total alloc: N buffer total alloc: N,
// tor compress total alloc: N (zlib: N, zstd: N, lzma: N), rendezvous cache
// total alloc: N). Killing circuits withover-long queues. (This behavior is
// controlled by MaxMemInQueues.)" (core/or/circuitlist.c,
// circuits_handle_oom; "withover-long" is tor's own typo)
struct LowMemory {
  std::uint64_t cell_queues = 0, buffers = 0, compression = 0, rendezvous_cache = 0;
};

// "Removed N bytes by killing N circuits; N circuits remain alive. Also
// killed N non-linked directory connections. Killed N edge connections"
// (core/or/circuitlist.c, circuits_handle_oom)
struct OomKilled {
  std::uint64_t bytes = 0;
  long circuits_killed = 0, circuits_alive = 0;
};

// "General overload -> Ntor dropped (N) fraction F% is above threshold of
// T%" (feature/stats/rephist.c, overload_general_onionskin_assessment)
struct NtorOverload {
  std::uint64_t dropped = 0;
  double fraction_percent = 0;
  double threshold_percent = 0;
};

// "Failing because we have N connections already. Please read doc/TUNING
// for guidance." (core/mainloop/connection.c, warn_about_resource_exhaution)
struct ConnectionsExhausted {
  long connections = 0;
};

using HealthLogLine =
    std::variant<HeartbeatSummary, HeartbeatNotInConsensus, DosHeartbeat, HandshakeStats,
                 AccountingHeartbeat, LowMemory, OomKilled, NtorOverload, ConnectionsExhausted>;

// One log message; nullopt when it is none of the above or malformed.
std::optional<HealthLogLine> parse_health_log(std::string_view message);

// A log file line "Dec 06 18:35:39.759 [notice] message" -> "message"
// (and the severity into *severity when given); nullopt if not that shape.
std::optional<std::string_view> log_file_message(std::string_view line,
                                                 std::string_view* severity = nullptr);

enum class AddressFamily { kUnknown, kIPv4, kIPv6 };

// The STATUS_SERVER / STATUS_GENERAL actions the health model uses
// (control-spec 4.1.10), with their keyword arguments.
struct HealthStatusEvent {
  enum class Kind {
    kCheckingReachability,   // ORADDRESS
    kReachabilitySucceeded,  // ORADDRESS
    kReachabilityFailed,     // ORADDRESS
    kNameserverStatus,       // NS, STATUS=UP|DOWN, ERR
    kNameserverAllDown,
    kDnsHijacked,
    kDnsUseless,
    kHibernationStatus,         // STATUS=AWAKE|SOFT|HARD
    kBadServerDescriptor,       // DIRAUTH, REASON
    kAcceptedServerDescriptor,  // DIRAUTH
    kGoodServerDescriptor,
    kExternalAddress,     // ADDRESS, METHOD
    kTooManyConnections,  // CURRENT (STATUS_GENERAL)
    kClockSkew,           // SKEW, SOURCE (STATUS_GENERAL)
    kClockJumped,         // TIME (STATUS_GENERAL)
    kDangerousVersion,    // CURRENT, REASON, RECOMMENDED (STATUS_GENERAL)
    kDirAllUnreachable,   // (STATUS_GENERAL)
    kBug,                 // REASON (STATUS_GENERAL)
  };
  Kind kind = Kind::kBug;
  std::string severity;  // NOTICE, WARN, ERR
  // Reachability: our own advertised ORPort ("127.0.0.1:24097", "[2001:db8::1]:9001").
  AddressFamily family = AddressFamily::kUnknown;
  std::string or_address;
  std::string nameserver;     // NS= (the operator's resolver)
  bool up = false;            // NAMESERVER_STATUS STATUS=UP
  std::string status;         // HIBERNATION_STATUS STATUS=, NAMESERVER_STATUS STATUS=
  std::string error;          // ERR=
  std::string reason;         // REASON=
  std::string dirauth;        // DIRAUTH= (an authority: public)
  std::optional<long> count;  // TOO_MANY_CONNECTIONS CURRENT=, CLOCK_SKEW SKEW=, CLOCK_JUMPED TIME=
  std::string source_kind;    // CLOCK_SKEW SOURCE=: "DIRSERV", "OR", "CONSENSUS"
  std::string version;        // DANGEROUS_VERSION CURRENT=
  std::string recommended;    // DANGEROUS_VERSION RECOMMENDED=
};

// `type` is the event type ("STATUS_SERVER", "STATUS_GENERAL"); nullopt for
// other types, other actions, or a missing required argument.
std::optional<HealthStatusEvent> parse_health_status(std::string_view type,
                                                     const control::StatusEvent& event);

// tor's usage text ("569 kB", "22.47 MB", "1.00 GB") -> bytes (kB = 1024).
std::optional<std::uint64_t> parse_usage(std::string_view text);
// tor's uptime text ("0:02 hours", "1 day 2:03 hours", "5 days 0:00 hours").
std::optional<long> parse_uptime_text(std::string_view text);

}  // namespace relaymon::model
