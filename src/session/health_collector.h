// Gathers the relay-health inputs (model/health.h) from the control port,
// tor's events and its MetricsPort, and folds them into one Health with
// update_health() at most every `interval`. The monitor owns one per relay
// and puts health() into each poll's result.
//
// Cadence (cheap for tor): the GETINFO counters and the MetricsPort every
// refresh; status/fresh-relay-descs (tor builds and signs a descriptor to
// answer it) once a minute; ns/id/<own fingerprint> when a consensus
// arrives; the options (BridgeRelay, MyFamily, FamilyId, OfflineMasterKey)
// on connect and after CONF_CHANGED. A client (no fingerprint) has no
// health to watch and is asked nothing.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "control/controller.h"
#include "control/events.h"
#include "model/health.h"
#include "model/relay_state.h"

namespace relaymon::session {

class HealthCollector : public std::enable_shared_from_this<HealthCollector> {
 public:
  HealthCollector(boost::asio::io_context& io, control::Controller& controller,
                  const model::RelayState& state, std::chrono::milliseconds timeout)
      : io_(io), controller_(controller), state_(state), timeout_(timeout) {}

  // STATUS_SERVER/STATUS_GENERAL actions, NOTICE/WARN/ERR lines (heartbeat,
  // DoS, OOM), NEWCONSENSUS/NS (our flags may have changed), CONF_CHANGED.
  void on_event(const control::Event& event);
  // A new control connection (tor may have restarted): ask everything again.
  void on_connected();

  // Asks what is due and folds it in; `done` runs once, after the update
  // (at once when nothing is due yet or a refresh is already running).
  void refresh(std::function<void()> done);
  const model::Health& health() const { return health_; }

  std::chrono::seconds interval{10};
  std::chrono::seconds descriptor_interval{60};

 private:
  struct Round;  // one refresh's answers
  void ask_conf(const std::shared_ptr<Round>& round, std::function<void()> tick);
  void ask_counters(const std::shared_ptr<Round>& round, std::function<void()> tick);
  void ask_own_entry(const std::shared_ptr<Round>& round, std::function<void()> tick);
  void ask_descriptors(const std::shared_ptr<Round>& round, std::function<void()> tick);
  void ask_metrics(const std::shared_ptr<Round>& round, std::function<void()> tick);
  void fold(Round& round);

  boost::asio::io_context& io_;
  control::Controller& controller_;
  const model::RelayState& state_;
  std::chrono::milliseconds timeout_;
  model::Health health_;
  bool running_ = false;
  std::optional<std::chrono::steady_clock::time_point> last_refresh_;
  std::optional<std::chrono::steady_clock::time_point> last_descriptors_;
  bool own_entry_due_ = true;
  bool conf_due_ = true;
  // Options, as last read (GETCONF).
  std::optional<bool> bridge_;
  std::optional<bool> family_configured_;
  std::optional<bool> family_id_configured_;
  std::optional<bool> offline_master_key_;
  // Events and log lines since the last fold, in order (bounded).
  std::vector<model::HealthStatusEvent> status_events_;
  std::vector<model::HealthLogLine> log_lines_;
  model::AccountingValues accounting_;
};

}  // namespace relaymon::session
