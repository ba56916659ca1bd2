#include "app/monitor.h"

#include <fmt/format.h>

#include <set>
#include <sstream>

#include "analysis/peers.h"
#include "app/snapshot_mode.h"
#include "control/getinfo.h"
#include "model/classify.h"
#include "system/endpoint.h"
#include "system/proc_reader.h"

namespace relaymon::app {

namespace asio = boost::asio;

namespace {

std::vector<model::IpAddr> resolv_conf_servers() {
  // Close-on-exec, like every file relaymon opens.
  return model::parse_resolv_conf(system::read_whole_file("/etc/resolv.conf").value_or(""));
}

}  // namespace

RelayMonitor::RelayMonitor(asio::io_context& io, MonitorSettings settings,
                           std::function<void()> changed)
    : io_(io),
      settings_(std::move(settings)),
      changed_(std::move(changed)),
      resolvers_(system::ResolverChain::make_default(io)),
      geo_(settings_.geo),
      poll_timer_(io),
      alerts_(settings_.alerts),
      crosscheck_(static_cast<int>(settings_.alerts.rules["crosscheck-mismatch"].param("polls"))) {
  if (settings_.resolver != "auto") resolvers_->force(settings_.resolver);
}

void RelayMonitor::start() {
  stopped_ = false;
  std::weak_ptr<RelayMonitor> weak = weak_from_this();
  control::ControllerOptions options;
  options.endpoints = settings_.target.endpoints;
  options.password = settings_.password;
  options.allow_plain_cookie = settings_.allow_plain_cookie;
  options.reconnect = settings_.reconnect;
  options.connect_timeout = settings_.timeout;
  options.command_timeout = std::max(settings_.timeout, std::chrono::milliseconds(1000));
  control::ControllerCallbacks callbacks;
  callbacks.on_ready = [weak](const control::Session& session) {
    if (auto self = weak.lock()) self->on_ready(session);
  };
  callbacks.on_event = [weak](const control::Reply& reply) {
    if (auto self = weak.lock()) self->on_event(reply);
  };
  callbacks.on_disconnected = [weak](const control::Error& error, std::chrono::milliseconds retry) {
    auto self = weak.lock();
    if (!self) return;
    auto& control = self->state_.control();
    if (control.connected || !control.disconnected_since) {
      control.disconnected_since = model::Clock::now();
    }
    control.connected = false;
    control.last_error = error.message;
    control.reconnect_attempt = self->controller_->attempts();
    self->state_.add_log(model::LogSource::kRelaymon, "WARN",
                         fmt::format("{} (retrying in {:.1f} s)", error.message,
                                     std::chrono::duration<double>(retry).count()),
                         model::Clock::now());
    self->notify();
  };
  callbacks.on_fatal = [weak](const control::Error& error) {
    auto self = weak.lock();
    if (!self) return;
    self->failed_ = true;
    auto& control = self->state_.control();
    control.connected = false;
    control.last_error = error.message;
    if (!control.disconnected_since) control.disconnected_since = model::Clock::now();
    self->state_.add_log(model::LogSource::kRelaymon, "ERR", error.message, model::Clock::now());
    self->notify();
  };
  controller_ = std::make_shared<control::Controller>(io_, options, callbacks);
  collector_ = std::make_shared<Collector>(*controller_, state_);
  state_.control().endpoint = settings_.target.endpoints.empty()
                                  ? std::string()
                                  : settings_.target.endpoints.front().to_string();
  controller_->start();
}

void RelayMonitor::stop() {
  stopped_ = true;
  poll_timer_.cancel();
  if (controller_) controller_->stop();
}

void RelayMonitor::on_ready(const control::Session& session) {
  session_ = session;
  auto& control = state_.control();
  control.endpoint = session.endpoint.to_string();
  control.auth = to_model(session.auth);
  control.connected = true;
  control.disconnected_since.reset();
  control.last_error.clear();
  control.reconnect_attempt = 0;
  state_.add_log(model::LogSource::kRelaymon, "NOTICE",
                 fmt::format("connected to tor at {} ({} authentication)", control.endpoint,
                             control::to_string(session.auth)),
                 model::Clock::now());
  subscribe();
  tor_geo_->probe(*controller_);
  auto self = shared_from_this();
  // Which severity a private-address alert has depends on it.
  controller_->getconf({"ExitPolicyRejectPrivate"},
                       [self](std::optional<control::Error> error, control::Reply reply) {
                         if (error) return;
                         auto parsed = control::parse_getconf(reply);
                         if (auto* conf = std::get_if<control::ConfMap>(&parsed)) {
                           for (const auto& entry : conf->entries) {
                             if (entry.key == "ExitPolicyRejectPrivate" && entry.value) {
                               self->reject_private_ = *entry.value == "1";
                             }
                           }
                         }
                       });
  collector_->refresh_static([self] {
    self->static_failures_ = self->collector_->failures();
    self->rebuild_index_if_needed();
    self->poll();
    if (self->settings_.config_pages) self->collector_->refresh_config([self] { self->notify(); });
  });
}

void RelayMonitor::subscribe() {
  auto self = shared_from_this();
  controller_->getinfo(
      {"events/names"}, [self](std::optional<control::Error> error, control::Reply reply) {
        if (error) return;
        std::set<std::string> known;
        auto parsed = control::parse_getinfo(reply);
        if (auto* info = std::get_if<control::InfoMap>(&parsed)) {
          if (const std::string* names = info->find("events/names")) {
            std::istringstream words(*names);
            for (std::string w; words >> w;) known.insert(w);
          }
        }
        std::vector<std::string> wanted;
        for (const auto& e : self->settings_.events) {
          if (known.empty() || known.count(e)) wanted.push_back(e);
        }
        self->controller_->set_events(
            wanted, [self](std::optional<control::Error> e, control::Reply r) {
              if (!e && !r.ok()) {
                self->state_.add_log(
                    model::LogSource::kRelaymon, "WARN",
                    fmt::format("tor refused the event subscription: {} {}", r.code(), r.message()),
                    model::Clock::now());
              }
            });
      });
}

void RelayMonitor::on_event(const control::Reply& reply) {
  auto parsed = control::parse_event(reply);
  auto now = model::Clock::now();
  if (auto* error = std::get_if<control::ParseError>(&parsed)) {
    state_.add_log(model::LogSource::kRelaymon, "WARN",
                   fmt::format("skipped a malformed event from tor: {}", error->message), now);
    return;
  }
  const auto& event = std::get<control::Event>(parsed);
  state_.apply_event(event, now);
  alerts_.observe(event, now);
  if (tap_) tap_(event);
  if (event.type == "CONF_CHANGED" ||
      (event.type == "SIGNAL" && event.get<control::SignalEvent>() &&
       event.get<control::SignalEvent>()->signal == "RELOAD")) {
    collector_->refresh_static([] {});
    if (settings_.config_pages) {
      auto self = shared_from_this();
      collector_->refresh_config([self] { self->notify(); });
    }
  }
  if (event.type == "NEWCONSENSUS") rebuild_index_if_needed();
  if (event.type == "BW" || event.get<control::LogEvent>()) notify();
}

void RelayMonitor::schedule_poll(std::chrono::milliseconds delay) {
  poll_timer_.expires_after(delay);
  std::weak_ptr<RelayMonitor> weak = weak_from_this();
  poll_timer_.async_wait([weak](const boost::system::error_code& ec) {
    auto self = weak.lock();
    if (ec || !self || self->stopped_) return;
    self->poll();
  });
}

void RelayMonitor::poll() {
  if (polling_ || stopped_ || !controller_->ready()) return;
  polling_ = true;
  auto self = shared_from_this();
  collector_->refresh_volatile([self] {
    auto& unanswered = self->state_.mutable_snapshot().unanswered;
    unanswered = self->static_failures_;
    for (const auto& f : self->collector_->failures()) unanswered.push_back(f);
    // Weak from here on: the socket collection may run on a worker thread,
    // and its pending result must not keep a stopped monitor alive past
    // the io_context that would run it.
    std::weak_ptr<RelayMonitor> weak = self;
    self->ask_conn_all([weak] {
      auto self = weak.lock();
      if (!self) return;
      self->collect_sockets([weak] {
        auto self = weak.lock();
        if (!self) return;
        self->polling_ = false;
        self->collected_ = true;
        ++self->polls_;
        self->notify();
        self->schedule_poll(self->settings_.poll_interval);
      });
    });
  });
}

void RelayMonitor::ask_conn_all(std::function<void()> done) {
  if (conn_all_unsupported_) {
    done();
    return;
  }
  auto self = shared_from_this();
  controller_->getinfo({"conn/all"},
                       [self, done](std::optional<control::Error> error, control::Reply reply) {
                         self->conn_all_.reset();
                         if (!error) {
                           auto parsed = control::parse_getinfo(reply);
                           if (auto* info = std::get_if<control::InfoMap>(&parsed)) {
                             if (const std::string* value = info->find("conn/all")) {
                               self->conn_all_ = analysis::parse_conn_all(*value);
                             }
                           } else {
                             self->conn_all_unsupported_ = true;  // 552 Unrecognized key
                           }
                         }
                         done();
                       });
}

void RelayMonitor::rebuild_index_if_needed() {
  if (state_.consensus_generation() == indexed_generation_) return;
  indexed_generation_ = state_.consensus_generation();
  index_ = model::RelayIndex::from_text(state_.consensus());
  state_.mutable_snapshot().relay_index_size = static_cast<long>(index_.size());
}

void RelayMonitor::collect_sockets(std::function<void()> done) {
  auto pid = state_.process().pid;
  if (!pid) {
    done();
    return;
  }
  std::weak_ptr<RelayMonitor> weak = weak_from_this();
  resolvers_->async_collect(*pid, [weak, done](const system::ResolveResult& result) {
    auto self = weak.lock();
    if (!self) return;
    auto& snapshot = self->state_.mutable_snapshot();
    snapshot.resolver = std::string(self->resolvers_->in_use());
    snapshot.resolver_status = result.ok() ? self->resolvers_->reason() : result.message;
    if (!result.ok()) {
      self->analyse({});
      done();
      return;
    }
    self->classify_sockets(result.sockets);
    if (self->tor_geo_->pending() && self->controller_->ready()) {
      // Countries tor has not given yet: ask (a bounded number per poll),
      // then classify again so this poll already shows them.
      auto sockets = std::make_shared<system::Sockets>(result.sockets);
      self->tor_geo_->resolve(*self->controller_, [self, sockets, done] {
        self->classify_sockets(*sockets);
        self->finish_sockets(*sockets);
        done();
      });
      return;
    }
    self->finish_sockets(result.sockets);
    done();
  });
}

void RelayMonitor::classify_sockets(const system::Sockets& sockets) {
  auto& snapshot = state_.mutable_snapshot();
  model::ClassifyContext context;
  context.listeners = snapshot.listeners;
  if (session_) {
    context.own_control_local = system::parse_endpoint(session_->local_address);
    context.own_control_remote = system::parse_endpoint(session_->remote_address);
  }
  if (!index_.empty()) context.relays = &index_;
  if (state_.exit_policy()) context.exit_policy = &*state_.exit_policy();
  context.orconns = state_.orconns();
  static const std::vector<model::IpAddr> dns = resolv_conf_servers();
  context.dns_servers = dns;
  bool use_tor = tor_geo_->usable();  // cached answers serve while disconnected too
  if (geo_.available() || geo_.has_asn() || use_tor) {
    auto self = shared_from_this();
    context.geo = [self, use_tor](std::string_view ip) {
      geo::Info info = self->geo_.lookup(ip);
      if (info.country.empty() && use_tor) {
        if (auto country = self->tor_geo_->country(ip)) info.country = *country;
      }
      return info;
    };
  }
  context.now = model::Clock::now();
  snapshot.connections = model::classify(sockets, context);
  if (geo_.available()) {
    snapshot.geo_source = "mmdb:" + geo_.country_path();
    snapshot.geo_status = geo_.status();
    if (use_tor) snapshot.geo_status += "; misses asked of tor";
  } else if (use_tor && tor_geo_->answering()) {
    snapshot.geo_source = "tor";
    snapshot.geo_status = tor_geo_->status() + "; " + geo_.status();
  } else {
    snapshot.geo_source = "none";
    snapshot.geo_status = geo_.status() + "; " + tor_geo_->status();
  }
}

// Connection ages, the cross-check and alerts, once per poll.
void RelayMonitor::finish_sockets(const system::Sockets& sockets) {
  auto& snapshot = state_.mutable_snapshot();
  tracker_.update(sockets, snapshot.connections, model::Clock::now());
  analyse(sockets);
}

// Cross-check and alerts, once per poll, while raw sockets are at hand.
void RelayMonitor::analyse(const system::Sockets& sockets) {
  auto& snapshot = state_.mutable_snapshot();
  auto now = model::Clock::now();
  if (!sockets.empty()) {
    auto control =
        conn_all_ ? analysis::control_side(*conn_all_) : analysis::control_side(state_.orconns());
    auto comparison =
        analysis::compare(control, analysis::system_side(sockets, snapshot.connections));
    snapshot.crosscheck = crosscheck_.update(comparison, conn_all_ ? "conn/all" : "orconn-status");
  }
  analysis::AlertInputs inputs;
  inputs.exit_policy_reject_private = reject_private_;
  inputs.peers = analysis::count_peers(sockets, snapshot.connections);
  // Alerts see the published view (with circuits and the log rings).
  model::Snapshot view = state_.publish(now);
  auto changes = alerts_.evaluate(view, inputs, now, settings_.one_shot_alerts);
  snapshot.alerts = alerts_.alerts();
  for (const auto& change : changes) {
    state_.add_log(model::LogSource::kAlert,
                   change.kind == analysis::AlertChange::Kind::kRaised
                       ? std::string(analysis::log_severity(change.alert.severity))
                       : "NOTICE",
                   analysis::log_line(change), now);
    if (alert_tap_) alert_tap_(change);
  }
}

model::Snapshot RelayMonitor::snapshot() const {
  model::Snapshot snapshot = state_.publish(model::Clock::now());
  snapshot.host = host_description();
  return snapshot;
}

void RelayMonitor::notify() {
  if (changed_) changed_();
}

}  // namespace relaymon::app
