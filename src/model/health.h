// The relay's health as operators watch it beyond nyx (issue 13): one
// struct per concern, each with its figures and a HealthState saying "ok"
// or what is wrong since when, and update_health(), a pure function that
// folds one poll's parsed inputs (and the events and log lines seen since
// the previous call) into the previous Health. No asio, curses or
// control-client code: the monitor gathers the inputs, this decides.
//
// Where each figure comes from (all optional: a missing source leaves its
// figures empty and says so in the concern's `source`):
//   GETINFO status/fresh-relay-descs  overload lines, bandwidth, family
//   GETINFO stats/ntor/*              ntor (v1) onionskins asked / handled
//   GETINFO limits/max-mem-in-queues  memory limit
//   GETINFO ns/id/<own fingerprint>   flags (on NEWCONSENSUS / NS events)
//   GETINFO accounting/*              accounting
//   MetricsPort /metrics              DoS, onionskins, DNS, OOM, sockets,
//                                     rate limits, signing-key expiry
//   STATUS_SERVER/GENERAL events      reachability, DNS, hibernation
//   NOTICE/WARN log lines             heartbeat, DoS, handshakes, OOM
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/health_descriptor.h"
#include "model/health_events.h"
#include "model/health_values.h"
#include "model/prometheus_text.h"

namespace relaymon::model {

struct ConsensusEntry;

enum class HealthLevel { kUnknown, kOk, kWarning, kCritical };

struct HealthState {
  HealthLevel level = HealthLevel::kUnknown;
  std::string code;                 // stable id of the current problem ("ratelimits"), "" when ok
  std::string problem;              // one short line for a newcomer, "" when ok or unknown
  std::optional<HealthTime> since;  // when this level and code began
  std::string source;               // where the figures came from, or why none
};

// A cumulative counter sampled at each update, to tell how much it rose
// within a window. A decrease (tor restarted) starts the history again.
struct CounterHistory {
  static constexpr std::size_t kMaxSamples = 128;
  std::vector<std::pair<HealthTime, double>> samples;  // oldest first
  void add(HealthTime now, double value);
  std::optional<double> latest() const;
  // The rise from the oldest sample at most `window_seconds` before the
  // newest to the newest (0 with a single sample; nullopt with none).
  std::optional<double> increase(double window_seconds) const;
};

struct OverloadHealth {
  HealthState state;
  std::optional<OverloadSeen> general;            // server descriptor
  std::optional<OverloadRateLimits> ratelimits;   // extra-info
  std::optional<OverloadSeen> fd_exhausted;       // extra-info
  std::optional<double> rate_limit_reached_read;  // tor_relay_load_global_rate_limit_reached_total
  std::optional<double> rate_limit_reached_write;
  std::optional<double> tcp_exhaustion;         // tor_relay_load_tcp_exhaustion_total
  std::optional<double> sockets_open;           // tor_relay_load_socket_total{state="opened"}
  std::optional<double> sockets_limit;          // tor_relay_load_socket_total
  std::optional<std::uint64_t> bandwidth_rate;  // descriptor "bandwidth" average, bytes/s
  std::optional<std::uint64_t> bandwidth_burst;
  std::optional<std::uint64_t> bandwidth_observed;
};

struct DosHealth {
  HealthState state;
  std::vector<std::pair<std::string, double>> counters;  // by type, MetricsPort or heartbeat
  CounterHistory total;                                  // sum of the counters
  std::vector<std::string> disabled;                     // "DoSConnectionEnabled", ... (heartbeat)
  // Onionskins (create cells a relay must answer with public-key work):
  CounterHistory onionskins_processed;  // MetricsPort, every handshake type
  CounterHistory onionskins_dropped;
  std::optional<std::uint64_t> ntor_requested;  // stats/ntor/*: ntor v1 only
  std::optional<std::uint64_t> ntor_assigned;
  std::optional<HandshakeStats> last_heartbeat_handshakes;
  std::optional<double> dropped_share;  // over the window of the last update
};

struct FlagsHealth {
  HealthState state;
  bool known = false;  // ns/id was asked at least once
  bool in_consensus = false;
  std::vector<std::string> flags;     // the current consensus
  std::vector<std::string> previous;  // the consensus before the last change
  std::vector<std::string> lost;      // previous minus flags
  std::vector<std::string> gained;    // flags minus previous
  std::optional<HealthTime> changed_at;
  std::optional<HealthTime> absent_since;  // first update that found us absent
  std::optional<HealthTime> published;     // our descriptor's `published`
  std::optional<long> uptime_seconds;      // tor's uptime (GETINFO uptime or descriptor)
  bool hibernating = false;                // accounting: relays leave the consensus
  bool bridge = false;                     // BridgeRelay 1: never in the consensus
};

struct ReachabilityFamily {
  enum class State { kUnknown, kChecking, kReachable, kFailed };
  State state = State::kUnknown;
  std::string address;  // our own advertised ORPort, from the event
  std::optional<HealthTime> since;
  long failures = 0;
};

struct ReachabilityHealth {
  HealthState state;
  ReachabilityFamily ipv4;
  ReachabilityFamily ipv6;
};

struct DnsHealth {
  HealthState state;
  bool is_exit = false;
  CounterHistory queries;   // tor_relay_exit_dns_query_total
  CounterHistory failures;  // errors other than success, notexist, nodata
  CounterHistory timeouts;  // reason="tor_timeout"
  std::vector<std::pair<std::string, double>> errors;  // by reason
  std::vector<std::string> nameservers_down;
  bool all_down = false;
  bool hijacked = false;  // DNS_HIJACKED: tor treats the junk answer as "not found"
  bool useless = false;   // DNS_USELESS: tor stopped being an exit
  std::optional<HealthTime> last_event;
};

struct FamilyHealth {
  HealthState state;
  std::optional<bool> configured;     // MyFamily or FamilyId set (GETCONF)
  std::optional<bool> id_configured;  // FamilyId set
  std::size_t members = 0;            // descriptor `family` entries
  int certificates = 0;               // descriptor `family-cert` objects
  std::string tor_version;            // from the descriptor's platform
};

struct MemoryHealth {
  HealthState state;
  std::optional<std::uint64_t> max_in_queues;  // limits/max-mem-in-queues
  std::optional<std::uint64_t> rss_bytes;      // tor's resident memory (system)
  CounterHistory oom_bytes;                    // tor_relay_load_oom_bytes_total, summed
  std::optional<LowMemory> last_low_memory;
  std::optional<HealthTime> last_oom;
};

struct AccountingHealth {
  HealthState state;
  AccountingValues values;
  std::optional<std::uint64_t> max_bytes;  // used + left (rule max)
  std::optional<std::uint64_t> used_bytes;
  std::optional<HealthTime> projected_exhaustion;  // at the average rate so far
  std::optional<HealthTime> hibernating_since;
};

struct SigningKeyHealth {
  HealthState state;
  // tor_relay_signing_cert_expiry_timestamp: only with OfflineMasterKey 1.
  std::optional<HealthTime> expires;
  std::optional<bool> offline_master_key;  // GETCONF OfflineMasterKey
};

// A concern's level or problem changed (the health page's session history).
struct HealthChange {
  HealthTime at;
  std::string concern;  // its label, as health_concerns() names it
  HealthLevel from = HealthLevel::kUnknown;
  HealthLevel to = HealthLevel::kUnknown;
  std::string problem;  // the new problem ("" when ok)
};

struct Health {
  static constexpr std::size_t kMaxChanges = 100;
  OverloadHealth overload;
  DosHealth dos;
  FlagsHealth flags;
  ReachabilityHealth reachability;
  DnsHealth dns;
  FamilyHealth family;
  MemoryHealth memory;
  AccountingHealth accounting;
  SigningKeyHealth signing_key;
  bool metrics_port = false;    // a MetricsPort body was read at the last update
  std::string metrics_missing;  // why not, and which figures that leaves out
  std::optional<HealthTime> updated;
  // Every change of a concern's level or problem since relaymon started,
  // oldest first (at most kMaxChanges; `changes_dropped` older ones were
  // let go). The first update records only concerns that are not ok.
  std::vector<HealthChange> changes;
  long changes_dropped = 0;
};

// The thresholds behind the levels (the alert rules have their own,
// configurable, with the same defaults: man/relaymon.1, ALERTS).
struct HealthThresholds {
  double window_seconds = 3600;         // rises and shares are over this window
  double onionskin_drop_share = 0.01;   // tor's own overload threshold (1 %)
  double onionskin_min_requests = 100;  // below this, a share means nothing
  double dns_failure_share = 0.05;      // timeouts and server errors per query
  double dns_min_queries = 100;
  double not_in_consensus_hours = 3;
  double memory_warning_ratio = 0.8;  // tor's RSS against MaxMemInQueues
  double oom_recent_seconds = 3600;
  double signing_warning_days = 15;
  double signing_critical_days = 1;
  double signing_online_critical_hours = 12;  // an online master key renews at 1 day
  double accounting_min_elapsed_seconds = 3600;
};

// One poll's inputs. Pointers may be null (not polled this time).
struct HealthInputs {
  HealthTime now;
  const FreshDescriptors* descriptors = nullptr;
  const PromParse* metrics = nullptr;
  std::string metrics_error;  // "no MetricsPort configured", "connection refused", ...
  std::optional<std::uint64_t> ntor_requested;
  std::optional<std::uint64_t> ntor_assigned;
  std::optional<std::uint64_t> max_mem_in_queues;
  bool own_entry_polled = false;              // ns/id/<fp> was asked ...
  const ConsensusEntry* own_entry = nullptr;  // ... and this is the answer (null: absent)
  const AccountingValues* accounting = nullptr;
  std::vector<HealthStatusEvent> status_events;  // since the previous update, in order
  std::vector<HealthLogLine> log_lines;          // since the previous update, in order
  std::optional<bool> is_exit;
  std::optional<bool> bridge;  // GETCONF BridgeRelay
  std::optional<bool> family_configured;
  std::optional<bool> family_id_configured;
  std::optional<bool> offline_master_key;
  std::optional<std::uint64_t> rss_bytes;
  std::optional<long> uptime_seconds;
  HealthThresholds thresholds;
};

Health update_health(Health health, const HealthInputs& in);

// The concerns in display order, with their overview labels.
std::vector<std::pair<std::string_view, const HealthState*>> health_concerns(const Health& h);

// "ok", "unknown (no MetricsPort)" or "<problem> since 18:00" (UTC), at
// most `width` columns: the overview's health line after its label.
std::string health_line(const HealthState& state, std::size_t width);

std::string_view to_string(HealthLevel level);

// A concern's label as an identifier for JSON and metrics: "DoS/onionskins"
// -> "dos_onionskins", "signing key" -> "signing_key".
std::string health_concern_id(std::string_view label);

}  // namespace relaymon::model
