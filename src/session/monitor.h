// One monitored tor, kept up to date on the shared io_context. The monitor
// alone owns the relay's session: the control connection (authentication,
// reconnects), the event subscription (relaymon's own events and what the
// TUI or --watch ask for, one SETEVENTS with the union), the polls, the
// socket collections, classification, the cross-check and the alerts. It
// publishes immutable snapshots; presenters read them and never write.
//
//   Controller ──answers, events──> RelayState ─┐
//   poll timer ──> ResolverChain ──> classify ──> PollResult ─┴─> assemble ─> SnapshotPtr
//                                   tracker, cross-check, alerts ──┘
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
#include "control/controller.h"
#include "geo/geo.h"
#include "model/classify.h"
#include "model/connection_tracker.h"
#include "model/poll.h"
#include "model/relay_index.h"
#include "model/relay_state.h"
#include "session/collector.h"
#include "session/event_subscription.h"
#include "session/health_collector.h"
#include "session/relay_session.h"
#include "session/settings.h"
#include "session/tor_geo.h"
#include "session/unlisted_peers.h"
#include "system/resolver_chain.h"

namespace relaymon::session {

class RelayMonitor : public RelaySession, public std::enable_shared_from_this<RelayMonitor> {
 public:
  // `changed` runs whenever something worth redrawing happened.
  RelayMonitor(boost::asio::io_context& io, MonitorSettings settings,
               std::function<void()> changed = {});

  void start();
  void stop() override;

  model::SnapshotPtr snapshot() override;
  bool ready() const override { return controller_ && controller_->ready(); }
  void command(const std::string& line, control::ReplyCallback done) override;
  void setconf(std::vector<std::pair<std::string, std::string>> values,
               control::ReplyCallback done) override;
  void resetconf(std::vector<std::string> keys, control::ReplyCallback done) override;
  void signal(const std::string& name, control::ReplyCallback done) override;
  void saveconf(control::ReplyCallback done,
                std::function<void(const control::Reply&)> forced) override;
  void want_events(const std::string& owner, std::vector<std::string> events, Done done) override;
  void set_logged_events(std::vector<std::string> events, Done done) override;
  std::map<std::string, std::string> revealed_hosts() const override { return revealed_; }
  void set_event_tap(std::function<void(const control::Event&)> tap) override {
    tap_ = std::move(tap);
  }
  // Every event tor sent that the parser refused (the stream goes on).
  void set_malformed_tap(
      std::function<void(const control::Reply&, const control::ParseError&)> tap) {
    malformed_tap_ = std::move(tap);
  }
  // Runs whenever something worth redrawing happened.
  void set_changed(std::function<void()> changed) { changed_ = std::move(changed); }

  // True once the first complete collection (static + volatile + sockets) is in.
  bool collected() const { return poll_.collected; }
  // Polls completed so far (each one a cross-check and alert evaluation).
  long polls() const { return polls_; }
  // The control connection's state as it changes, for --watch: connected,
  // disconnected (after having been connected), unreachable (never reached,
  // reported at the first failure and when the reason changes), gave_up.
  struct ConnectionChange {
    std::string state;
    std::string endpoint;
    std::string error;
  };
  void set_connection_tap(std::function<void(const ConnectionChange&)> tap) {
    connection_tap_ = std::move(tap);
  }
  // Every alert raised or cleared, for --watch.
  void set_alert_tap(std::function<void(const analysis::AlertChange&)> tap) {
    alert_tap_ = std::move(tap);
  }
  // Gave up (not retryable, or reconnect off); the reason is in the log and
  // in Snapshot::control.last_error.
  bool failed() const { return failed_; }
  // The control session once authenticated (endpoint, method, addresses).
  const control::Session* session() const { return session_ ? &*session_ : nullptr; }

 private:
  void on_ready(const control::Session& session);
  void on_event(const control::Reply& reply);
  void subscribe(Done done);
  void schedule_poll(std::chrono::milliseconds delay);
  void poll();
  void collect_sockets(std::function<void()> done);
  void finish_poll(std::vector<model::Connection> connections);
  void rebuild_index_if_needed();
  void analyse();
  void analyse_disconnected(bool gave_up);
  void publish_alert_changes(const std::vector<analysis::AlertChange>& changes,
                             model::TimePoint now);
  void ask_conn_all(std::function<void()> done);
  void ask_unlisted_peers(std::function<void()> done);
  model::ClassifyContext classify_context();
  void update_geo_status();
  void reveal_flood_hosts(const model::Classified& classified,
                          const std::vector<model::Connection>& connections);
  void notify();

  boost::asio::io_context& io_;
  MonitorSettings settings_;
  std::function<void()> changed_;
  std::function<void(const control::Event&)> tap_;
  std::function<void(const control::Reply&, const control::ParseError&)> malformed_tap_;
  model::RelayState state_;
  model::PollResult poll_;
  EventSubscription events_;
  std::shared_ptr<control::Controller> controller_;
  std::shared_ptr<Collector> collector_;
  std::shared_ptr<HealthCollector> health_;
  std::unique_ptr<system::ResolverChain> resolvers_;
  geo::Lookup geo_;
  // Countries from tor when the .mmdb is missing or misses an address.
  std::shared_ptr<TorGeo> tor_geo_ = std::make_shared<TorGeo>();
  // Shared with a classification in flight, which may outlive a rebuild.
  std::shared_ptr<const model::RelayIndex> index_ = std::make_shared<model::RelayIndex>();
  // The index of the consensus text alone (state_ hands the text over
  // once); index_ is it plus the entries tor gave for unlisted peers.
  std::shared_ptr<const model::RelayIndex> consensus_index_ = std::make_shared<model::RelayIndex>();
  std::size_t indexed_generation_ = 0;
  UnlistedPeers unlisted_peers_;
  // What the last look for unlisted peers saw, when it found none to ask
  // (the index pointer is compared while index_ holds it, so it is live).
  struct UnlistedInputs {
    std::size_t orconns_version = 0;
    std::size_t consensus_generation = 0;
    std::size_t peers_version = 0;
    const model::RelayIndex* index = nullptr;
    bool operator==(const UnlistedInputs&) const = default;
  };
  UnlistedInputs unlisted_settled_;
  std::size_t indexed_peers_version_ = 0;
  // The authorities' DirPorts of the index they were read from: a walk
  // over every relay's flags, done once per index instead of every poll.
  std::vector<model::IpPort> authority_dirports_;
  std::shared_ptr<const model::RelayIndex> authority_index_;
  model::ConnectionTracker tracker_;
  std::optional<control::Session> session_;
  boost::asio::steady_timer poll_timer_;
  bool polling_ = false;
  long polls_ = 0;
  bool failed_ = false;
  bool stopped_ = false;
  std::vector<std::string> static_failures_;
  analysis::Engine alerts_;
  analysis::CrossCheckTracker crosscheck_;
  // GETINFO conn/all (seed 003 format) where a tor answers it; tor 0.4.x
  // does not, and is then asked no more (orconn-status is used instead).
  bool conn_all_unsupported_ = false;
  std::function<void(const analysis::AlertChange&)> alert_tap_;
  std::function<void(const ConnectionChange&)> connection_tap_;
  std::string last_unreachable_;  // the reason last reported as unreachable
  bool ever_connected_ = false;
  // The last published snapshot and the state it was built from.
  model::SnapshotPtr published_;
  std::uint64_t published_version_ = 0;
  std::uint64_t poll_version_ = 0;
  std::uint64_t published_poll_version_ = 0;
  std::string host_;
  std::map<std::string, std::string> revealed_;  // reveal_flood_addresses only
};

}  // namespace relaymon::session
