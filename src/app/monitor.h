// One monitored tor, kept up to date on the shared io_context: the control
// connection (events, polls, reconnects), tor's sockets through the
// resolver chain, classification, and the RelayState behind each Snapshot.
// The TUI and the headless modes read Snapshots from it; nothing here draws.
//
//   Controller ──events──> RelayState ──publish()──> Snapshot ──> presenters
//       │ polls (Collector)     ^
//   poll timer ──> ResolverChain ──> classify ──> ConnectionTracker
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "analysis/alerts.h"
#include "analysis/crosscheck.h"
#include "app/collector.h"
#include "app/options.h"
#include "app/tor_geo.h"
#include "control/controller.h"
#include "geo/geo.h"
#include "model/connection_tracker.h"
#include "model/exit_policy.h"
#include "model/relay_index.h"
#include "model/relay_state.h"
#include "system/resolver_chain.h"

namespace relaymon::app {

struct MonitorSettings {
  Target target;
  std::function<std::optional<std::string>()> password;
  std::chrono::milliseconds poll_interval{5000};
  std::string resolver = "auto";
  geo::Lookup::Config geo;
  // control::ControllerOptions::allow_plain_cookie
  bool allow_plain_cookie = false;
  bool reconnect = true;      // one-shot modes give up at the first failure
  bool config_pages = false;  // fetch every option and the torrc (the TUI's config pages)
  std::chrono::milliseconds timeout{10000};  // to connect, and for each answer
  // Events relaymon subscribes to; intersected with tor's events/names,
  // since one unknown name fails the whole SETEVENTS.
  std::vector<std::string> events = {
      "BW",           "CIRC",         "ORCONN",        "NOTICE",
      "WARN",         "ERR",          "STATUS_SERVER", "STATUS_GENERAL",
      "NEWCONSENSUS", "CONF_CHANGED", "SIGNAL",        "NETWORK_LIVENESS"};
  // Alert rules (config keys alert.<id>.<setting>); `one_shot_alerts`
  // ignores hold times, for --check's single collection.
  analysis::AlertConfig alerts = analysis::AlertConfig::defaults();
  bool one_shot_alerts = false;
};

class RelayMonitor : public std::enable_shared_from_this<RelayMonitor> {
 public:
  // `changed` runs whenever something worth redrawing happened.
  RelayMonitor(boost::asio::io_context& io, MonitorSettings settings,
               std::function<void()> changed = {});

  void start();
  void stop();

  model::Snapshot snapshot() const;
  control::Controller& controller() { return *controller_; }
  // Every parsed event, for --watch --events and the interpreter.
  void set_event_tap(std::function<void(const control::Event&)> tap) { tap_ = std::move(tap); }
  // True once the first complete collection (static + volatile + sockets) is in.
  bool collected() const { return collected_; }
  // Polls completed so far (each one a cross-check and alert evaluation).
  long polls() const { return polls_; }
  // Every alert raised or cleared, for --watch.
  void set_alert_tap(std::function<void(const analysis::AlertChange&)> tap) {
    alert_tap_ = std::move(tap);
  }
  // Gave up (not retryable, or reconnect off); the reason is in the log and
  // in Snapshot::control.last_error.
  bool failed() const { return failed_; }

 private:
  void on_ready(const control::Session& session);
  void on_event(const control::Reply& reply);
  void subscribe();
  void schedule_poll(std::chrono::milliseconds delay);
  void poll();
  void collect_sockets(std::function<void()> done);
  void classify_sockets(const system::Sockets& sockets);
  void finish_sockets(const system::Sockets& sockets);
  void rebuild_index_if_needed();
  void notify();
  void analyse(const system::Sockets& sockets);
  void ask_conn_all(std::function<void()> done);

  boost::asio::io_context& io_;
  MonitorSettings settings_;
  std::function<void()> changed_;
  std::function<void(const control::Event&)> tap_;
  model::RelayState state_;
  std::shared_ptr<control::Controller> controller_;
  std::shared_ptr<Collector> collector_;
  std::unique_ptr<system::ResolverChain> resolvers_;
  geo::Lookup geo_;
  // Countries from tor when the .mmdb is missing or misses an address.
  std::shared_ptr<TorGeo> tor_geo_ = std::make_shared<TorGeo>();
  model::RelayIndex index_;
  std::size_t indexed_generation_ = 0;
  model::ConnectionTracker tracker_;
  std::optional<control::Session> session_;
  boost::asio::steady_timer poll_timer_;
  bool polling_ = false;
  bool collected_ = false;
  long polls_ = 0;
  bool failed_ = false;
  bool stopped_ = false;
  std::vector<std::string> static_failures_;
  analysis::Engine alerts_;
  analysis::CrossCheckTracker crosscheck_;
  std::optional<bool> reject_private_;  // GETCONF ExitPolicyRejectPrivate
  // GETINFO conn/all (seed 003 format) where a tor answers it; tor 0.4.x
  // does not, and is then asked no more (orconn-status is used instead).
  std::optional<std::vector<analysis::ConnAllEntry>> conn_all_;
  bool conn_all_unsupported_ = false;
  std::function<void(const analysis::AlertChange&)> alert_tap_;
};

}  // namespace relaymon::app
