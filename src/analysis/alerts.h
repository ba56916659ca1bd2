// The alert engine: rules evaluated over successive Snapshots, each finding
// held for the rule's hold time before it is raised and cleared only after
// it has been absent for the rule's clear time (hysteresis: no flapping on
// a boundary). Rules read the model only (never control events or raw
// sockets): tor's warnings come from the snapshot's log, reachability from
// its STATUS_SERVER record, circuit volumes from its circuits.
//
//   Snapshot ──> rules (pure, with their memory) ──> findings ──> Engine ──> Alerts
//                                                                     └─> changes (raise/clear)
//
// Every rule, its default thresholds and its config keys are in
// man/relaymon.1 (ALERTS). Subjects and evidence are scrubbed: they are
// built from Snapshot fields only, which are already scrubbed.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "model/snapshot.h"

namespace relaymon::analysis {

using model::Severity;
using model::TimePoint;
using Seconds = std::chrono::duration<double>;

// One rule's settings: enabled, hold and clear times, and named numeric
// thresholds ("factor", "floor_bytes", ...).
struct RuleSettings {
  bool enabled = true;
  double hold = 0;   // seconds the condition must hold before raising
  double clear = 0;  // seconds it must be gone before clearing
  std::map<std::string, double, std::less<>> params;
  double param(std::string_view name) const;
};

struct AlertConfig {
  std::map<std::string, RuleSettings, std::less<>> rules;  // by rule id
  // Every rule with its documented defaults.
  static AlertConfig defaults();
  // Applies one config-file key "alert.<id>.<param>" (param: enabled,
  // hold, clear or a threshold name). Returns an error message, or "".
  std::string set(std::string_view key, std::string_view value);
  const RuleSettings* find(std::string_view id) const;
};

// What a rule found this round. The engine turns it into an Alert.
struct Finding {
  std::string subject;
  Severity severity = Severity::kWarning;
  std::vector<std::pair<std::string, std::string>> evidence;
  std::string explanation;
  std::string action;
  // Events behind the finding (tor-warnings: messages; reachability
  // failures), added to the alert's count. 0 for a state a rule sees at
  // each poll: the count is then of incidents (raised, cleared, raised
  // again), never of polls.
  long occurrences = 0;
};

// Counts of connections per peer host (analysis/peers.h), described in
// scrubbed form only.
struct PeerCount {
  std::string description;  // "host 3fa21c (inbound-client, DE)": never an address
  std::uint64_t host_key = 0;
  long count = 0;
};

// Engine state a rule may read: its own memory across rounds.
struct RuleMemory {
  using Volume = std::tuple<TimePoint, std::uint64_t, std::uint64_t>;  // time, in, out
  // Connection::key -> (first seen, last seen); keys absent this round closed.
  std::unordered_map<std::uint64_t, std::pair<TimePoint, TimePoint>> open_connections;
  std::vector<std::pair<TimePoint, double>> lifetimes;  // (closed at, seconds)
  // circuit id -> volume samples within the window
  std::map<std::string, std::vector<Volume>> circuit_volumes;
  // Connection::key of a directory socket (DirPort served, fetches from
  // authorities) -> its byte counters within the window
  std::unordered_map<std::uint64_t, std::vector<Volume>> directory_volumes;
  // The newest log entry and reachability failure already looked at.
  std::uint64_t log_sequence = 0;
  TimePoint reachability_seen{};
};

struct RuleContext {
  const model::Snapshot& snapshot;
  const RuleSettings& settings;
  RuleMemory& memory;
  TimePoint now;
  // Whether (this rule, subject) is currently raised: rules use it for
  // threshold hysteresis (raise at 80 %, clear below 75 %).
  std::function<bool(std::string_view subject)> active;
};

struct Rule {
  std::string_view id;
  std::string_view summary;  // one line, for --help-like listings and the man page
  std::vector<Finding> (*evaluate)(RuleContext& context);
};

// Every rule, in a stable order.
const std::vector<Rule>& rules();
// Whether a rule judges the connection to tor itself, and so runs while tor
// cannot be reached (Engine::evaluate_disconnected).
bool judges_the_connection(std::string_view rule_id);

struct AlertChange {
  enum class Kind { kRaised, kCleared };
  Kind kind;
  model::Alert alert;
};

class Engine {
 public:
  explicit Engine(AlertConfig config = AlertConfig::defaults()) : config_(std::move(config)) {}

  // One round over a new Snapshot. `one_shot` ignores hold times (for
  // --check, which sees a single collection). Returns what was raised or
  // cleared in this round.
  std::vector<AlertChange> evaluate(const model::Snapshot& snapshot, TimePoint now,
                                    bool one_shot = false);
  // A round while tor cannot be reached: only the rules about the
  // connection itself run (tor-unreachable); every other alert keeps its
  // state, neither raised nor cleared from a snapshot that is not current.
  // `immediate` skips the hold time (relaymon gave up: no later round
  // would raise it).
  std::vector<AlertChange> evaluate_disconnected(const model::Snapshot& snapshot, TimePoint now,
                                                 bool immediate = false);
  // Active alerts, then recently cleared ones (newest first), for Snapshot::alerts.
  std::vector<model::Alert> alerts() const;

 private:
  struct Tracked {
    model::Alert alert;
    TimePoint pending_since;
    TimePoint last_true;
    bool raised = false;
  };
  static constexpr std::size_t kMaxSubjectsPerRule = 64;  // see evaluate()
  static constexpr const char* kOverflowSubject = "(further subjects)";
  std::vector<AlertChange> round(const model::Snapshot& snapshot, TimePoint now, bool one_shot,
                                 bool disconnected);

  AlertConfig config_;
  std::map<std::pair<std::string, std::string>, Tracked> tracked_;  // (id, subject), bounded
  std::map<std::string, RuleMemory, std::less<>> memory_;
  std::vector<model::Alert> cleared_;  // newest last, bounded
  // Incidents per (id, subject) this session, kept across clears (bounded).
  std::map<std::pair<std::string, std::string>, long> incidents_;
};

// "alert unestablished-exit raised: port 443 (https) — ..." (the log page
// marks it as relaymon's own line)
std::string log_line(const AlertChange& change);
// tor's log severity for an alert severity ("NOTICE", "WARN", "ERR").
std::string_view log_severity(Severity severity);

}  // namespace relaymon::analysis
