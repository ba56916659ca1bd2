// What relaymon knows about one relay from tor's control port, kept across
// reconnects: the answers to GETINFO/GETCONF, the events, the connection's
// state, tor's process figures, with every history in a bounded ring. The
// monitor feeds it through the named methods below; only the assembly step
// (model/assemble.h) reads it whole to build a Snapshot. Nothing outside
// writes a Snapshot.
//
// Text from tor that reaches the log (log events, STATUS lines, events the
// operator chose to log) is scrubbed here, once, as it enters the model
// (model/scrub_text.h), so no presenter can show or save it raw.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "control/events.h"
#include "model/bandwidth_history.h"
#include "model/exit_policy.h"
#include "model/shared.h"
#include "model/snapshot.h"
#include "model/tor_inputs.h"
#include "model/tor_log_file.h"

namespace relaymon::model {

struct HistoryLimits {
  std::size_t bandwidth_samples = 3600;  // one per second: an hour
  std::size_t log_entries = 1000;
  std::size_t circuits = 1000;
};

class RelayState {
 public:
  explicit RelayState(HistoryLimits limits = {}) : limits_(limits) {}

  // --- what the control port says
  // One GETINFO value. Unknown keys are ignored.
  void apply_info(std::string_view key, std::string_view value, TimePoint now);
  // One GETCONF value (Nickname, BandwidthRate, ...).
  void apply_conf(std::string_view key, std::string_view value);
  // Every HiddenServicePort line (GETCONF): where onion services' traffic goes.
  void apply_hidden_service_ports(const std::vector<std::string>& values);
  void apply_event(const control::Event& event, TimePoint now);
  // Non-log events (CIRC, ORCONN, ...) the operator chose to see in the
  // log; log severities (NOTICE, WARN, ...) are always logged.
  void set_logged_events(std::set<std::string, std::less<>> types) {
    logged_events_ = std::move(types);
  }
  // tor's options with their running values and the torrc (config pages).
  // The names tor knows (info/events/signal names) stay as last answered.
  void set_config(TorConfig config);
  // Keys tor would not answer in the last collection.
  void set_unanswered(std::vector<std::string> unanswered) { unanswered_ = std::move(unanswered); }

  // --- the control connection
  void connecting(std::string endpoint);
  void connected(std::string endpoint, AuthMethod auth, TimePoint now);
  // `unreachable`: tor did not answer (ControlStatus::tor_unreachable).
  void disconnected(const std::string& error, int attempt, TimePoint now, bool unreachable = false);
  void gave_up(const std::string& error, TimePoint now, bool unreachable = false);

  // --- tor's process as /proc shows it, and relaymon's own CPU
  void set_process(const TorProcess& process);
  void set_relaymon_cpu(std::optional<double> percent) { relaymon_cpu_percent_ = percent; }
  // One poll's figures for the connection and resource graphs: the
  // connections by direction, and tor's CPU and memory as last sampled.
  void add_poll_figures(TimePoint now, std::uint64_t inbound, std::uint64_t outbound);

  // A message from relaymon itself (connection state, errors, alerts).
  void add_log(LogSource source, std::string severity, std::string message, TimePoint now);

  // --- what the monitor's poll reads
  const std::optional<int>& pid() const { return process_.pid; }
  const std::string& fingerprint() const { return relay_.fingerprint; }
  const std::vector<Listener>& listeners() const { return listeners_; }
  // Shared, not copied, with a classification in flight.
  const Shared<std::vector<OrConn>>& orconns() const { return orconns_; }
  // Grows each time orconn-status says something new (model/relay_state.cpp).
  std::size_t orconns_version() const { return orconns_version_; }
  // The last consensus text (ns/all or NEWCONSENSUS), handed over once:
  // its reader keeps the index made from it, and a big network's text is
  // over a megabyte that would otherwise stay for nothing.
  std::string take_consensus() { return std::exchange(consensus_, std::string()); }
  // Grows each time a new consensus text arrives (poll or NEWCONSENSUS).
  std::size_t consensus_generation() const { return consensus_generation_; }
  // Our exit policy, once tor has told us (exit-policy/full).
  const std::optional<ExitPolicy>& exit_policy() const { return exit_policy_; }
  // HiddenServicePort targets from tor's configuration (GETCONF).
  const std::vector<IpPort>& hidden_service_targets() const { return hidden_service_targets_; }
  // For the health collector (session/health_collector.h).
  bool is_exit() const { return relay_.is_exit; }
  const std::optional<std::uint64_t>& rss_bytes() const { return process_.rss_bytes; }
  const std::optional<long>& uptime_seconds() const { return tor_.uptime_seconds; }
  // Bumped on every change a snapshot would show.
  std::uint64_t version() const { return version_; }

  // The file tor logs to (GETCONF Log), when it logs to one.
  void set_tor_log_file(std::optional<std::string> path) { tor_log_file_ = std::move(path); }
  const std::optional<std::string>& tor_log_file() const { return tor_log_file_; }
  // tor's recent lines from its log file, put before everything logged
  // since (scrubbed, and counted in no WARN/ERR figure or alert: they are
  // older than relaymon). Once per process; false when already done.
  bool prefill_tor_log(const std::vector<TorLogLine>& lines);
  bool tor_log_prefilled() const { return tor_log_prefilled_; }

 private:
  friend Snapshot assemble_state(const RelayState& state, TimePoint now);

  void changed() { ++version_; }
  void add_bandwidth(const BandwidthSample& sample);
  void add_tor_log(std::string severity, std::string message, TimePoint now);
  void apply_own_status(std::string_view ns_entry);
  void apply_circuit(const control::CircEvent& circuit, TimePoint now);
  void apply_status(const control::Event& event, const control::StatusEvent& status, TimePoint now);
  void apply_listeners(std::string_view kind, std::string_view value);

  HistoryLimits limits_;
  std::uint64_t version_ = 0;
  ControlStatus control_;
  Tor tor_;
  Relay relay_;
  TorProcess process_;
  std::optional<double> relaymon_cpu_percent_;
  std::vector<Listener> listeners_;
  std::vector<std::string> unanswered_;
  Shared<TorConfig> config_;
  std::set<std::string, std::less<>> logged_events_;

  // Rings, published as shared values (rebuilt only after they changed).
  std::deque<BandwidthSample> bandwidth_;
  BandwidthHistory history_;
  mutable Shared<std::vector<IntervalSeries>> history_view_;
  BandwidthHistory connection_history_;
  BandwidthHistory resource_history_;
  mutable Shared<std::vector<IntervalSeries>> connection_history_view_;
  mutable Shared<std::vector<IntervalSeries>> resource_history_view_;
  mutable bool figures_stale_ = false;
  std::deque<LogEntry> log_;
  std::optional<std::string> tor_log_file_;
  bool tor_log_prefilled_ = false;
  std::uint64_t log_sequence_ = 0;
  std::map<std::string, Circuit> circuits_;  // by id
  mutable Shared<std::vector<BandwidthSample>> bandwidth_view_;
  mutable Shared<std::vector<LogEntry>> log_view_;
  mutable Shared<std::vector<Circuit>> circuits_view_;
  mutable Shared<std::vector<OrConnection>> orconns_view_;
  mutable bool orconns_stale_ = false;
  mutable bool bandwidth_stale_ = false;
  mutable bool log_stale_ = false;
  mutable bool circuits_stale_ = false;

  Shared<std::vector<OrConn>> orconns_;  // raw (a client's ADDR:PORT): never published as is
  std::size_t orconns_version_ = 0;
  std::size_t orconn_text_hash_ = 0;  // of the orconn-status text orconns_ was parsed from
  std::size_t orconn_text_size_ = 0;
  // GETINFO conn/all (seed 003) where a tor answers it: then the source of
  // tor's account for the cross-check instead of orconn-status.
  std::optional<std::vector<OrConn>> conn_all_;
  std::string consensus_;  // ns/all text, until the monitor takes it for its index
  std::size_t consensus_generation_ = 0;
  std::optional<ExitPolicy> exit_policy_;
  std::vector<IpPort> hidden_service_targets_;
};

}  // namespace relaymon::model
