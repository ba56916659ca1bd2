#include "model/relay_state.h"

#include <fmt/format.h>

#include <charconv>
#include <sstream>

namespace relaymon::model {

namespace {

template <typename T>
std::optional<T> number(std::string_view text) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  std::istringstream in{std::string(text)};
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

}  // namespace

void RelayState::apply_info(std::string_view key, std::string_view value) {
  Tor& tor = snapshot_.tor;
  Relay& relay = snapshot_.relay;
  TorProcess& process = snapshot_.process;
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
    process.pid = number<int>(value);
  } else if (key == "process/user") {
    process.user = std::string(value);
  } else if (key == "process/descriptor-limit") {
    process.descriptor_limit = number<long>(value);
  } else if (key == "fingerprint") {
    relay.fingerprint = std::string(value);
  } else if (key == "address") {
    relay.address = std::string(value);
  } else if (key.rfind("net/listeners/", 0) == 0) {
    std::string kind(key.substr(std::string_view("net/listeners/").size()));
    std::erase_if(snapshot_.listeners, [&](const Listener& l) { return l.kind == kind; });
    auto parsed = control::parse_listeners(value);
    if (auto* listeners = std::get_if<std::vector<control::ListenerAddress>>(&parsed)) {
      for (const auto& l : *listeners) {
        Listener listener{kind, {}};
        if (l.endpoint) {
          listener.endpoint = {l.endpoint->address, l.endpoint->port};
        } else {
          listener.endpoint = {l.unix_path.empty() ? l.raw : l.unix_path, 0};
        }
        snapshot_.listeners.push_back(listener);
        if (kind == "or" && relay.or_port == 0) relay.or_port = listener.endpoint.port;
        if (kind == "dir" && relay.dir_port == 0) relay.dir_port = listener.endpoint.port;
      }
    }
  } else if (key == "exit-policy/full") {
    relay.exit_policy = split_lines(value);
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
    circuits_.clear();
    auto parsed = control::parse_circuit_status(value);
    if (auto* circuits = std::get_if<std::vector<control::CircEvent>>(&parsed)) {
      for (const auto& c : *circuits) apply_circuit(c);
    }
  } else if (key == "orconn-status") {
    orconns_ = parse_orconn_status(value);
  } else if (key == "bw-event-cache") {
    // "R,W R,W ..." one pair per second, oldest first, ending now. Tor's
    // cache starts with a spike (the whole start-up burst counted in one
    // second), so the oldest sample is dropped.
    auto pairs = split_words(value);
    if (!pairs.empty()) pairs.erase(pairs.begin());
    auto now = Clock::now();
    auto t = now - std::chrono::seconds(static_cast<long>(pairs.size()));
    bandwidth_.clear();
    for (const auto& pair : pairs) {
      auto comma = pair.find(',');
      if (comma == std::string::npos) continue;
      auto read = number<std::uint64_t>(std::string_view(pair).substr(0, comma));
      auto written = number<std::uint64_t>(std::string_view(pair).substr(comma + 1));
      t += std::chrono::seconds(1);
      if (read && written) add_bandwidth(t, *read, *written);
    }
  }
}

void RelayState::apply_conf(std::string_view key, std::string_view value) {
  if (key == "Nickname") {
    if (snapshot_.relay.nickname.empty() || !snapshot_.relay.in_consensus) {
      snapshot_.relay.nickname = std::string(value);
    }
  } else if (key == "BandwidthRate" || key == "RelayBandwidthRate") {
    auto rate = number<std::uint64_t>(value);
    if (rate && *rate > 0) snapshot_.tor.bandwidth_rate = rate;
  } else if (key == "BandwidthBurst" || key == "RelayBandwidthBurst") {
    auto burst = number<std::uint64_t>(value);
    if (burst && *burst > 0) snapshot_.tor.bandwidth_burst = burst;
  }
}

void RelayState::apply_own_status(std::string_view entry) {
  Relay& relay = snapshot_.relay;
  for (const auto& line : split_lines(entry)) {
    auto words = split_words(line);
    if (words.empty()) continue;
    if (words[0] == "r" && words.size() >= 2) {
      relay.nickname = words[1];
      relay.in_consensus = true;
    } else if (words[0] == "s") {
      relay.flags.assign(words.begin() + 1, words.end());
    } else if (words[0] == "w") {
      for (const auto& w : words) {
        if (w.rfind("Bandwidth=", 0) == 0) {
          if (auto bw = number<std::uint64_t>(std::string_view(w).substr(10))) {
            snapshot_.tor.bandwidth_observed = *bw * 1000;  // consensus weight is in kB/s
          }
        }
      }
    }
  }
}

void RelayState::apply_circuit(const control::CircEvent& event) {
  if (event.status == "CLOSED" || event.status == "FAILED") {
    circuits_.erase(event.id);
    return;
  }
  if (circuits_.size() >= limits_.circuits && !circuits_.count(event.id)) return;
  Circuit& circuit = circuits_[event.id];
  circuit.id = event.id;
  circuit.status = event.status;
  circuit.purpose = event.purpose;
  circuit.build_flags = event.build_flags;
  circuit.path.clear();
  for (const auto& hop : event.path) circuit.path.push_back({hop.fingerprint, hop.nickname});
}

void RelayState::add_bandwidth(TimePoint time, std::uint64_t read, std::uint64_t written) {
  bandwidth_.push_back({time, read, written});
  while (bandwidth_.size() > limits_.bandwidth_samples) bandwidth_.pop_front();
}

void RelayState::add_log(LogSource source, std::string severity, std::string message,
                         TimePoint now) {
  if (!log_.empty() && log_.back().message == message && log_.back().severity == severity &&
      log_.back().source == source) {
    log_.back().repeats++;
    log_.back().time = now;
    return;
  }
  log_.push_back({now, std::move(severity), std::move(message), source, 1});
  while (log_.size() > limits_.log_entries) log_.pop_front();
}

void RelayState::apply_event(const control::Event& event, TimePoint now) {
  if (const auto* bw = event.get<control::BwEvent>()) {
    add_bandwidth(now, bw->read, bw->written);
  } else if (const auto* log = event.get<control::LogEvent>()) {
    add_log(LogSource::kTor, log->severity, log->message, now);
  } else if (const auto* circ = event.get<control::CircEvent>()) {
    apply_circuit(*circ);
  } else if (const auto* liveness = event.get<control::NetworkLivenessEvent>()) {
    snapshot_.tor.network_liveness = liveness->status == "UP" ? "up" : "down";
  } else if (const auto* status = event.get<control::StatusEvent>()) {
    add_log(LogSource::kTor, status->severity, fmt::format("{} {}", event.type, event.raw), now);
  } else if (const auto* signal = event.get<control::SignalEvent>()) {
    add_log(LogSource::kTor, "NOTICE", fmt::format("tor received signal {}", signal->signal), now);
  } else if (const auto* ns = event.get<control::NetworkStatusEvent>()) {
    if (event.type == "NEWCONSENSUS") {
      consensus_ = ns->document;
      ++consensus_generation_;
    }
  }
}

Snapshot RelayState::publish(TimePoint now) const {
  Snapshot snapshot = snapshot_;
  snapshot.taken = now;
  snapshot.bandwidth.assign(bandwidth_.begin(), bandwidth_.end());
  snapshot.log.assign(log_.begin(), log_.end());
  snapshot.circuits.clear();
  for (const auto& [id, circuit] : circuits_) snapshot.circuits.push_back(circuit);
  return snapshot;
}

}  // namespace relaymon::model
