// The mutable side of the model for one relay: what the control port has
// told us so far (poll results and events), kept across reconnects, with
// every history in a bounded ring. publish() turns it into an immutable
// Snapshot for the presenters.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "control/events.h"
#include "control/getinfo.h"
#include "model/exit_policy.h"
#include "model/snapshot.h"
#include "model/tor_inputs.h"

namespace relaymon::model {

struct HistoryLimits {
  std::size_t bandwidth_samples = 3600;  // one per second: an hour
  std::size_t log_entries = 1000;
  std::size_t circuits = 1000;
};

class RelayState {
 public:
  explicit RelayState(HistoryLimits limits = {}) : limits_(limits) {}

  // One GETINFO value. Unknown keys are ignored.
  void apply_info(std::string_view key, std::string_view value);
  // One GETCONF value (Nickname, BandwidthRate, ...).
  void apply_conf(std::string_view key, std::string_view value);
  void apply_event(const control::Event& event, TimePoint now);
  // A message from relaymon itself (connection state, errors, alerts).
  void add_log(LogSource source, std::string severity, std::string message, TimePoint now);

  ControlStatus& control() { return snapshot_.control; }
  TorProcess& process() { return snapshot_.process; }
  Snapshot& mutable_snapshot() { return snapshot_; }
  const std::vector<OrConn>& orconns() const { return orconns_; }
  const std::string& consensus() const { return consensus_; }
  // Grows each time a new consensus text arrives (poll or NEWCONSENSUS).
  std::size_t consensus_generation() const { return consensus_generation_; }
  // Our exit policy, once tor has told us (exit-policy/full).
  const std::optional<ExitPolicy>& exit_policy() const { return exit_policy_; }

  Snapshot publish(TimePoint now) const;

 private:
  void add_bandwidth(TimePoint time, std::uint64_t read, std::uint64_t written);
  void apply_own_status(std::string_view ns_entry);
  void apply_circuit(const control::CircEvent& circuit);

  HistoryLimits limits_;
  Snapshot snapshot_;  // the scalar fields; rings below are copied in publish()
  std::deque<BandwidthSample> bandwidth_;
  std::deque<LogEntry> log_;
  std::map<std::string, Circuit> circuits_;  // by id
  std::vector<OrConn> orconns_;
  std::string consensus_;  // ns/all text, for the relay index
  std::size_t consensus_generation_ = 0;
  std::optional<ExitPolicy> exit_policy_;
};

}  // namespace relaymon::model
