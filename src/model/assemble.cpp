#include "model/assemble.h"

#include <algorithm>

#include "model/connection_keys.h"

namespace relaymon::model {

namespace {

// tor's account of its OR connections, as a snapshot may carry it: a
// client's ADDR:PORT becomes the same keyed hash its socket gets.
std::vector<OrConnection> published_orconns(const std::vector<OrConn>& orconns) {
  std::vector<OrConnection> out;
  out.reserve(orconns.size());
  for (const OrConn& o : orconns) {
    OrConnection c;
    c.id = o.id;
    c.status = o.status;
    c.fingerprint = o.fingerprint;
    c.nickname = o.nickname;
    if (o.address) c.peer_key = peer_key_of(*o.address);
    out.push_back(std::move(c));
  }
  return out;
}

template <typename T, typename Ring>
void refresh(Shared<std::vector<T>>& view, bool& stale, const Ring& ring) {
  if (!stale) return;
  view = std::vector<T>(ring.begin(), ring.end());
  stale = false;
}

}  // namespace

Snapshot assemble_state(const RelayState& state, TimePoint now) {
  if (state.bandwidth_stale_) state.history_view_ = state.history_.series();
  if (state.figures_stale_) {
    state.connection_history_view_ = state.connection_history_.series();
    state.resource_history_view_ = state.resource_history_.series();
    state.figures_stale_ = false;
  }
  refresh(state.bandwidth_view_, state.bandwidth_stale_, state.bandwidth_);
  refresh(state.log_view_, state.log_stale_, state.log_);
  if (state.circuits_stale_) {
    std::vector<Circuit> circuits;
    circuits.reserve(state.circuits_.size());
    for (const auto& [id, circuit] : state.circuits_) circuits.push_back(circuit);
    // tor's circuit ids are numbers: "42" before "106", oldest first.
    std::sort(circuits.begin(), circuits.end(), [](const Circuit& a, const Circuit& b) {
      return a.id.size() != b.id.size() ? a.id.size() < b.id.size() : a.id < b.id;
    });
    state.circuits_view_ = std::move(circuits);
    state.circuits_stale_ = false;
  }
  Snapshot s;
  s.taken = now;
  s.control = state.control_;
  s.tor = state.tor_;
  s.relay = state.relay_;
  s.process = state.process_;
  s.relaymon_cpu_percent = state.relaymon_cpu_percent_;
  s.listeners = state.listeners_;
  s.bandwidth = state.bandwidth_view_;
  s.bandwidth_history = state.history_view_;
  s.connection_history = state.connection_history_view_;
  s.resource_history = state.resource_history_view_;
  s.circuits = state.circuits_view_;
  s.log = state.log_view_;
  s.config = state.config_;
  s.unanswered = state.unanswered_;
  if (state.orconns_stale_) {
    state.orconns_view_ =
        published_orconns(state.conn_all_ ? *state.conn_all_ : state.orconns_.get());
    state.orconns_stale_ = false;
  }
  s.orconns = state.orconns_view_;
  s.orconns_source = state.conn_all_ ? "conn/all" : "orconn-status";
  return s;
}

Snapshot assemble(const RelayState& state, const PollResult& poll, TimePoint now,
                  const std::string& host) {
  Snapshot s = assemble_state(state, now);
  s.host = host;
  s.connections = poll.connections;
  s.consensus = poll.consensus;
  s.resolver = poll.resolver;
  s.resolver_status = poll.resolver_status;
  s.geo_source = poll.geo_source;
  s.geo_status = poll.geo_status;
  s.relay_index_size = poll.relay_index_size;
  s.crosscheck = poll.crosscheck;
  s.alerts = poll.alerts;
  s.health = poll.health;
  s.tor.bandwidth_observed = s.health.overload.bandwidth_observed;
  s.collected = poll.collected;
  return s;
}

}  // namespace relaymon::model
