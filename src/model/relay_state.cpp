#include "model/relay_state.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <string_view>

#include "control/getinfo.h"
#include "model/scrub_text.h"
#include "model/torrc.h"
#include "text/text.h"
#include "text/time.h"

namespace relaymon::model {

namespace {

template <typename T>
std::optional<T> number(std::string_view text) {
  return text::to_number<T>(text);
}

bool is_log_severity(std::string_view type) {
  const auto& all = log_severities();
  return std::find(all.begin(), all.end(), type) != all.end();
}

constexpr std::size_t kReachabilityFailures = 20;

}  // namespace

void RelayState::apply_info(std::string_view key, std::string_view value, TimePoint now) {
  changed();
  Tor& tor = tor_;
  Relay& relay = relay_;
  if (key == "version") {
    tor.version = std::string(value.substr(0, value.find(' ')));
  } else if (key == "status/version/current") {
    tor.version_status = std::string(value);
  } else if (key == "uptime") {
    tor.uptime_seconds = number<long>(value);
  } else if (key == "traffic/read") {
    tor.traffic_read = number<std::uint64_t>(value);
  } else if (key == "traffic/written") {
    tor.traffic_written = number<std::uint64_t>(value);
  } else if (key == "process/pid") {
    process_.pid = number<int>(value);
  } else if (key == "process/user") {
    process_.user = std::string(value);
  } else if (key == "process/descriptor-limit") {
    process_.descriptor_limit = number<long>(value);
  } else if (key == "fingerprint") {
    relay.fingerprint = std::string(value);
  } else if (key == "address") {
    relay.address = std::string(value);
  } else if (key.rfind("net/listeners/", 0) == 0) {
    apply_listeners(key.substr(std::string_view("net/listeners/").size()), value);
  } else if (key == "exit-policy/full") {
    relay.exit_policy = text::split_lines(value);
    exit_policy_ = ExitPolicy::parse(value);
    relay.exit_policy_summary = exit_policy_ ? exit_policy_->summary() : "unreadable policy";
    relay.is_exit = exit_policy_ && exit_policy_->accepts_anything();
  } else if (key == "accounting/enabled") {
    tor.accounting_enabled = value == "1";
  } else if (key == "accounting/hibernating") {
    tor.accounting_state = std::string(value);
  } else if (key == "status/bootstrap-phase") {
    tor.bootstrap_phase = std::string(value);
    auto parsed = control::parse_bootstrap_phase(value);
    if (auto* phase = std::get_if<control::BootstrapPhase>(&parsed)) {
      tor.bootstrap_progress = phase->progress;
    }
  } else if (key == "network-liveness") {
    tor.network_liveness = std::string(value);
  } else if (key.rfind("ns/id/", 0) == 0) {
    apply_own_status(value);
  } else if (key == "ns/all") {
    consensus_ = std::string(value);
    ++consensus_generation_;
  } else if (key == "circuit-status") {
    // tor's list decides which circuits exist (one whose CLOSED event was
    // missed goes), updated in place so that what relaymon counted of each
    // circuit that stays (its CIRC_BW bytes, when it was first seen) is
    // kept: rebuilding the list reset the bytes to zero every poll.
    auto parsed = control::parse_circuit_status(value);
    if (auto* circuits = std::get_if<std::vector<control::CircEvent>>(&parsed)) {
      std::set<std::string_view> listed;
      for (const auto& c : *circuits) listed.insert(c.id);
      std::erase_if(circuits_, [&](const auto& kv) { return !listed.count(kv.first); });
      for (const auto& c : *circuits) apply_circuit(c, now);
    }
    circuits_stale_ = true;
  } else if (key == "orconn-status") {
    // Asked every poll, tens of thousands of lines on a big relay, and
    // often unchanged: parsed (and what derives from it rebuilt) only when
    // the text differs from the last one's, by length and 64-bit hash.
    std::size_t hash = std::hash<std::string_view>{}(value);
    if (orconns_version_ == 0 || hash != orconn_text_hash_ || value.size() != orconn_text_size_) {
      orconns_ = parse_orconn_status(value);
      orconn_text_hash_ = hash;
      orconn_text_size_ = value.size();
      ++orconns_version_;
      orconns_stale_ = true;
    }
  } else if (key == "conn/all") {
    conn_all_ = orconns_from_conn_all(control::parse_conn_all(value));
    orconns_stale_ = true;
  } else if (key == "bw-event-cache") {
    // "R,W R,W ..." one pair per second, oldest first, ending now. Tor's
    // cache starts with a spike (the whole start-up burst counted in one
    // second), so the oldest sample is dropped.
    // The spike tor puts at its start is flagged, not dropped: it shows
    // where it is, off the graph's scale (flag_startup_spikes).
    auto pairs = text::split_words(value);
    auto t = now - std::chrono::seconds(static_cast<long>(pairs.size()));
    std::vector<BandwidthSample> cache;
    for (const auto& pair : pairs) {
      auto comma = pair.find(',');
      t += std::chrono::seconds(1);
      if (comma == std::string::npos) continue;
      auto read = number<std::uint64_t>(std::string_view(pair).substr(0, comma));
      auto written = number<std::uint64_t>(std::string_view(pair).substr(comma + 1));
      if (read && written) cache.push_back({t, *read, *written});
    }
    flag_startup_spikes(cache, tor.bandwidth_burst);
    bandwidth_.clear();
    history_.clear();
    for (const auto& sample : cache) add_bandwidth(sample);
    bandwidth_stale_ = true;
  } else if (key == "info/names") {
    config_.edit().info_names = std::string(value);
  } else if (key == "config/names") {
    config_.edit().config_names = std::string(value);
  } else if (key == "events/names") {
    config_.edit().event_names = std::string(value);
  } else if (key == "signal/names") {
    config_.edit().signal_names = std::string(value);
  }
}

void RelayState::apply_listeners(std::string_view kind, std::string_view value) {
  std::erase_if(listeners_, [&](const Listener& l) { return l.kind == kind; });
  for (Listener& l : parse_listeners(kind, value)) {
    if (kind == "or" && relay_.or_port == 0) relay_.or_port = l.endpoint.port;
    if (kind == "dir" && relay_.dir_port == 0) relay_.dir_port = l.endpoint.port;
    listeners_.push_back(std::move(l));
  }
}

void RelayState::apply_conf(std::string_view key, std::string_view value) {
  changed();
  if (key == "Nickname") {
    if (relay_.nickname.empty() || !relay_.in_consensus) relay_.nickname = std::string(value);
  } else if (key == "BandwidthRate" || key == "RelayBandwidthRate") {
    auto rate = number<std::uint64_t>(value);
    if (rate && *rate > 0) tor_.bandwidth_rate = rate;
  } else if (key == "SafeLogging") {
    tor_.safe_logging = std::string(value);
  } else if (key == "TestingTorNetwork") {
    tor_.testing_network = value == "1";
  } else if (key == "ExitPolicyRejectPrivate") {
    relay_.exit_policy_reject_private = value == "1";
  } else if (key == "BandwidthBurst" || key == "RelayBandwidthBurst") {
    auto burst = number<std::uint64_t>(value);
    if (burst && *burst > 0) tor_.bandwidth_burst = burst;
  }
}

void RelayState::apply_hidden_service_ports(const std::vector<std::string>& values) {
  changed();
  hidden_service_targets_.clear();
  for (const auto& line : values) {
    if (auto target = parse_hidden_service_port(line)) hidden_service_targets_.push_back(*target);
  }
}

void RelayState::apply_own_status(std::string_view entry) {
  Relay& relay = relay_;
  text::for_each_line(entry, [&](std::string_view line) {
    auto words = text::split_words(line);
    if (words.empty()) return;
    if (words[0] == "r" && words.size() >= 2) {
      relay.nickname = words[1];
      relay.in_consensus = true;
    } else if (words[0] == "s") {
      relay.flags.assign(words.begin() + 1, words.end());
    } else if (words[0] == "w") {
      for (const auto& w : words) {
        if (w.rfind("Bandwidth=", 0) == 0) {
          if (auto bw = number<std::uint64_t>(std::string_view(w).substr(10))) {
            tor_.consensus_weight = *bw;
            tor_.weight_unmeasured = false;
          }
        } else if (w == "Unmeasured=1") {
          tor_.weight_unmeasured = true;
        }
      }
    }
  });
}

void RelayState::apply_circuit(const control::CircEvent& event, TimePoint now) {
  circuits_stale_ = true;
  if (event.status == "CLOSED" || event.status == "FAILED") {
    circuits_.erase(event.id);
    return;
  }
  if (circuits_.size() >= limits_.circuits && !circuits_.count(event.id)) return;
  auto [it, inserted] = circuits_.try_emplace(event.id);
  Circuit& circuit = it->second;
  if (inserted) circuit.first_seen = now;
  if (!circuit.created) circuit.created = text::parse_iso8601(event.time_created);
  circuit.id = event.id;
  circuit.status = event.status;
  circuit.purpose = event.purpose;
  circuit.build_flags = event.build_flags;
  circuit.path.clear();
  for (const auto& hop : event.path) circuit.path.push_back({hop.fingerprint, hop.nickname});
}

void RelayState::add_bandwidth(const BandwidthSample& sample) {
  bandwidth_.push_back(sample);
  history_.add(sample);
  while (bandwidth_.size() > limits_.bandwidth_samples) bandwidth_.pop_front();
  bandwidth_stale_ = true;
}

void RelayState::add_log(LogSource source, std::string severity, std::string message,
                         TimePoint now) {
  changed();
  log_stale_ = true;
  ++log_sequence_;
  if (!log_.empty() && log_.back().message == message && log_.back().severity == severity &&
      log_.back().source == source) {
    log_.back().repeats++;
    log_.back().time = now;
    log_.back().sequence = log_sequence_;
    return;
  }
  log_.push_back({now, std::move(severity), std::move(message), source, 1, log_sequence_});
  while (log_.size() > limits_.log_entries) log_.pop_front();
}

// tor's text enters the log scrubbed: SafeLogging may be off.
void RelayState::add_tor_log(std::string severity, std::string message, TimePoint now) {
  if (severity == "WARN") ++tor_.warn_messages;
  if (severity == "ERR") ++tor_.err_messages;
  add_log(LogSource::kTor, std::move(severity), scrub_text(message), now);
}

void RelayState::apply_status(const control::Event& event, const control::StatusEvent& status,
                              TimePoint now) {
  add_log(LogSource::kTor, status.severity,
          scrub_event_text(event.type, fmt::format("{} {}", event.type, event.raw)), now);
  if (event.type != "STATUS_SERVER" && event.type != "STATUS_SEVER") return;
  if (status.action == "REACHABILITY_SUCCEEDED") {
    tor_.reachability_succeeded = now;
  } else if (status.action == "REACHABILITY_FAILED" || status.action == "BAD_SERVER_DESCRIPTOR" ||
             status.action == "CHECKING_REACHABILITY_FAILED") {
    // The ORADDRESS is our own public address: still, keep only the action.
    auto& failures = tor_.reachability_failures;
    failures.emplace_back(now, status.action);
    if (failures.size() > kReachabilityFailures) failures.erase(failures.begin());
  }
}

void RelayState::apply_event(const control::Event& event, TimePoint now) {
  changed();
  if (const auto* bw = event.get<control::BwEvent>()) {
    add_bandwidth({now, bw->read, bw->written});
  } else if (const auto* log = event.get<control::LogEvent>()) {
    add_tor_log(log->severity, log->message, now);
  } else if (const auto* circ = event.get<control::CircEvent>()) {
    apply_circuit(*circ, now);
  } else if (const auto* bytes = event.get<control::CircBwEvent>()) {
    if (auto it = circuits_.find(bytes->id); it != circuits_.end()) {
      it->second.bytes_read += bytes->read;
      it->second.bytes_written += bytes->written;
      circuits_stale_ = true;
    }
  } else if (const auto* liveness = event.get<control::NetworkLivenessEvent>()) {
    tor_.network_liveness = liveness->status == "UP" ? "up" : "down";
  } else if (const auto* status = event.get<control::StatusEvent>()) {
    apply_status(event, *status, now);
  } else if (const auto* signal = event.get<control::SignalEvent>()) {
    add_log(LogSource::kTor, "NOTICE", fmt::format("tor received signal {}", signal->signal), now);
  } else if (const auto* ns = event.get<control::NetworkStatusEvent>()) {
    if (event.type == "NEWCONSENSUS") {
      consensus_ = ns->document;
      ++consensus_generation_;
    }
  }
  // Events the operator chose for the log, as one scrubbed line each.
  if (!is_log_severity(event.type) && logged_events_.count(event.type)) {
    add_log(LogSource::kTor, event.type, scrub_event_text(event.type, event.raw), now);
  }
}

void RelayState::set_config(TorConfig config) {
  changed();
  const TorConfig& old = config_.get();
  if (config.info_names.empty()) config.info_names = old.info_names;
  if (config.event_names.empty()) config.event_names = old.event_names;
  if (config.signal_names.empty()) config.signal_names = old.signal_names;
  if (config.config_names.empty()) config.config_names = old.config_names;
  analyze_torrc_into(config);
  config_ = std::move(config);
}

void RelayState::connecting(std::string endpoint) {
  changed();
  control_.endpoint = std::move(endpoint);
}

void RelayState::connected(std::string endpoint, AuthMethod auth, TimePoint now) {
  changed();
  control_.endpoint = std::move(endpoint);
  control_.auth = auth;
  control_.connected = true;
  control_.connected_since = now;
  control_.disconnected_since.reset();
  control_.last_error.clear();
  control_.tor_unreachable = false;
  control_.reconnect_attempt = 0;
  control_.gave_up = false;
  add_log(
      LogSource::kRelaymon, "NOTICE",
      fmt::format("connected to tor at {} ({} authentication)", control_.endpoint, to_string(auth)),
      now);
}

void RelayState::disconnected(const std::string& error, int attempt, TimePoint now,
                              bool unreachable) {
  changed();
  control_.tor_unreachable = unreachable;
  if (control_.connected || !control_.disconnected_since) control_.disconnected_since = now;
  control_.connected = false;
  control_.last_error = error;
  control_.reconnect_attempt = attempt;
}

void RelayState::gave_up(const std::string& error, TimePoint now, bool unreachable) {
  changed();
  control_.tor_unreachable = unreachable;
  control_.connected = false;
  control_.gave_up = true;
  control_.last_error = error;
  if (!control_.disconnected_since) control_.disconnected_since = now;
  add_log(LogSource::kRelaymon, "ERR", error, now);
}

void RelayState::set_process(const TorProcess& process) {
  changed();
  // pid, user and the limit come from tor; the rest from /proc.
  TorProcess merged = process;
  merged.pid = process_.pid;
  merged.user = process_.user;
  merged.descriptor_limit = process_.descriptor_limit;
  process_ = std::move(merged);
}

void RelayState::add_poll_figures(TimePoint now, std::uint64_t inbound, std::uint64_t outbound) {
  connection_history_.add({now, inbound, outbound});
  if (process_.cpu_percent && process_.rss_bytes) {
    auto hundredths = static_cast<std::uint64_t>(std::max(0.0, *process_.cpu_percent) * 100 + 0.5);
    resource_history_.add({now, hundredths, *process_.rss_bytes});
  }
  figures_stale_ = true;
}

bool RelayState::prefill_tor_log(const std::vector<TorLogLine>& lines) {
  if (tor_log_prefilled_) return false;
  tor_log_prefilled_ = true;
  // Oldest first, all before what is already there; sequence 0 marks them
  // older than anything the rules look at.
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
    log_.push_front({it->time, it->severity, scrub_text(it->message), LogSource::kTor, 1, 0});
  }
  while (log_.size() > limits_.log_entries) log_.pop_front();
  log_stale_ = true;
  changed();
  return true;
}

}  // namespace relaymon::model
