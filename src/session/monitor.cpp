#include "session/monitor.h"

#include <fmt/format.h>
#include <sys/utsname.h>

#include <algorithm>
#include <cmath>

#include "analysis/peers.h"
#include "control/getinfo.h"
#include "model/assemble.h"
#include "model/classify.h"
#include "session/countdown.h"
#include "system/endpoint.h"
#include "system/proc_reader.h"
#include "text/text.h"

namespace relaymon::session {

namespace asio = boost::asio;

namespace {

std::vector<model::IpAddr> resolv_conf_servers() {
  // Close-on-exec, like every file relaymon opens.
  return model::parse_resolv_conf(system::read_whole_file("/etc/resolv.conf").value_or(""));
}

std::string host_description() {
  utsname u{};
  if (::uname(&u) != 0) return "";
  return fmt::format("{} ({} {})", u.nodename, u.sysname, u.release);
}

// Tor not answering, as opposed to tor (or its cookie) refusing us.
bool unreachable(const control::Error& error) {
  using K = control::ErrorKind;
  return error.kind == K::kConnectionRefused || error.kind == K::kTimeout ||
         error.kind == K::kClosed;
}

model::AuthMethod to_model(control::AuthMethodUsed method) {
  switch (method) {
    case control::AuthMethodUsed::kNone:
      return model::AuthMethod::kNone;
    case control::AuthMethodUsed::kSafeCookie:
      return model::AuthMethod::kSafeCookie;
    case control::AuthMethodUsed::kCookie:
      return model::AuthMethod::kCookie;
    case control::AuthMethodUsed::kPassword:
      return model::AuthMethod::kPassword;
  }
  return model::AuthMethod::kNone;
}

// A reply as the Done of want_events sees it.
std::string refusal(const std::optional<control::Error>& error, const control::Reply& reply) {
  if (error) return error->message;
  if (!reply.ok())
    return fmt::format("tor refused the events: {} {}", reply.code(), reply.message());
  return "";
}

}  // namespace

RelayMonitor::RelayMonitor(asio::io_context& io, MonitorSettings settings,
                           std::function<void()> changed)
    : io_(io),
      settings_(std::move(settings)),
      changed_(std::move(changed)),
      events_(settings_.events),
      resolvers_(system::ResolverChain::make_default(io)),
      geo_(settings_.geo),
      poll_timer_(io),
      alerts_(settings_.alerts),
      crosscheck_(static_cast<int>(settings_.alerts.rules["crosscheck-mismatch"].param("polls"))),
      host_(host_description()) {
  if (settings_.resolver != "auto") resolvers_->force(settings_.resolver);
}

void RelayMonitor::start() {
  stopped_ = false;
  std::weak_ptr<RelayMonitor> weak = weak_from_this();
  control::ControllerOptions options;
  options.endpoints = settings_.endpoints;
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
    auto now = model::Clock::now();
    if (self->connection_tap_) {
      std::string endpoint =
          self->settings_.endpoints.empty() ? "" : self->settings_.endpoints.front().to_string();
      if (self->ever_connected_ && self->controller_->attempts() <= 1) {
        self->connection_tap_({"disconnected", endpoint, error.message});
        self->last_unreachable_.clear();
      } else if (!self->ever_connected_ && error.message != self->last_unreachable_) {
        self->connection_tap_({"unreachable", endpoint, error.message});
        self->last_unreachable_ = error.message;
      }
    }
    self->state_.disconnected(error.message, self->controller_->attempts(), now,
                              unreachable(error));
    self->state_.add_log(model::LogSource::kRelaymon, "WARN",
                         fmt::format("{} (retrying in {:.1f} s)", error.message,
                                     std::chrono::duration<double>(retry).count()),
                         now);
    self->analyse_disconnected(false);
    self->notify();
  };
  callbacks.on_fatal = [weak](const control::Error& error) {
    auto self = weak.lock();
    if (!self) return;
    self->failed_ = true;
    if (self->connection_tap_) {
      self->connection_tap_(
          {"gave_up",
           self->settings_.endpoints.empty() ? "" : self->settings_.endpoints.front().to_string(),
           error.message});
    }
    self->state_.gave_up(error.message, model::Clock::now(), unreachable(error));
    self->analyse_disconnected(true);
    self->notify();
  };
  controller_ = std::make_shared<control::Controller>(io_, options, callbacks);
  collector_ = std::make_shared<Collector>(*controller_, state_);
  health_ = std::make_shared<HealthCollector>(io_, *controller_, state_, options.command_timeout);
  state_.connecting(settings_.endpoints.empty() ? std::string()
                                                : settings_.endpoints.front().to_string());
  controller_->start();
}

void RelayMonitor::stop() {
  stopped_ = true;
  poll_timer_.cancel();
  if (controller_) controller_->stop();
}

void RelayMonitor::on_ready(const control::Session& session) {
  session_ = session;
  state_.connected(session.endpoint.to_string(), to_model(session.auth), model::Clock::now());
  ever_connected_ = true;
  last_unreachable_.clear();
  unlisted_peers_.clear();
  if (connection_tap_) connection_tap_({"connected", session.endpoint.to_string(), ""});
  subscribe({});
  health_->on_connected();
  tor_geo_->probe(*controller_);
  auto self = shared_from_this();
  collector_->refresh_static([self] {
    self->static_failures_ = self->collector_->failures();
    self->rebuild_index_if_needed();
    self->poll();
    if (self->settings_.config_pages) self->collector_->refresh_config([self] { self->notify(); });
  });
}

// One SETEVENTS with every wish, once tor's events/names is known (asked
// on every connection: a restarted tor may be another version).
void RelayMonitor::subscribe(Done done) {
  if (!ready()) {
    if (done) done("");  // sent with the next connection
    return;
  }
  auto self = shared_from_this();
  auto send = [self, done] {
    self->controller_->set_events(
        self->events_.all(), [self, done](std::optional<control::Error> e, control::Reply r) {
          std::string why = refusal(e, r);
          if (!why.empty() && !e) {
            self->state_.add_log(model::LogSource::kRelaymon, "WARN", why, model::Clock::now());
          }
          if (done) done(why);
        });
  };
  if (events_.known()) {
    send();
    return;
  }
  controller_->getinfo({"events/names"},
                       [self, send](std::optional<control::Error> error, control::Reply reply) {
                         if (error) return;  // the connection is gone; the next on_ready subscribes
                         auto parsed = control::parse_getinfo(reply);
                         if (auto* info = std::get_if<control::InfoMap>(&parsed)) {
                           if (const std::string* names = info->find("events/names")) {
                             self->events_.set_known(*names);
                             self->state_.apply_info("events/names", *names, model::Clock::now());
                           }
                         }
                         send();
                       });
}

void RelayMonitor::want_events(const std::string& owner, std::vector<std::string> events,
                               Done done) {
  events_.want(owner, events);
  // Which names tor refused is known only once events/names is: right after
  // connecting, that GETINFO may still be on its way, so ask when the
  // subscription is answered rather than now.
  std::weak_ptr<RelayMonitor> weak = weak_from_this();
  subscribe([weak, owner, done](const std::string& error) {
    auto self = weak.lock();
    std::vector<std::string> refused;
    if (self) refused = self->events_.unknown(owner);
    if (!done) return;
    if (refused.empty()) return done(error);
    std::string why = fmt::format("tor does not know {}", text::join(refused, ", "));
    done(error.empty() ? why : error + "; " + why);
  });
}

void RelayMonitor::set_logged_events(std::vector<std::string> events, Done done) {
  state_.set_logged_events({events.begin(), events.end()});
  want_events("log", std::move(events), std::move(done));
}

void RelayMonitor::command(const std::string& line, control::ReplyCallback done) {
  controller_->command(line, std::move(done));
}

void RelayMonitor::setconf(std::vector<std::pair<std::string, std::string>> values,
                           control::ReplyCallback done) {
  controller_->setconf(values, std::move(done));
}

void RelayMonitor::resetconf(std::vector<std::string> keys, control::ReplyCallback done) {
  controller_->resetconf(keys, std::move(done));
}

void RelayMonitor::signal(const std::string& name, control::ReplyCallback done) {
  controller_->signal(name, std::move(done));
}

void RelayMonitor::saveconf(control::ReplyCallback done,
                            std::function<void(const control::Reply&)> forced) {
  controller_->saveconf(std::move(done), std::move(forced));
}

void RelayMonitor::on_event(const control::Reply& reply) {
  auto parsed = control::parse_event(reply);
  auto now = model::Clock::now();
  if (auto* error = std::get_if<control::ParseError>(&parsed)) {
    state_.add_log(model::LogSource::kRelaymon, "WARN",
                   fmt::format("skipped a malformed event from tor: {}", error->message), now);
    if (malformed_tap_) malformed_tap_(reply, *error);
    return;
  }
  const auto& event = std::get<control::Event>(parsed);
  state_.apply_event(event, now);
  health_->on_event(event);
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
  notify();
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
  if (polling_ || stopped_ || !ready()) return;
  polling_ = true;
  auto self = shared_from_this();
  // The health inputs are asked beside the volatile keys (pipelined on the
  // same connection), so the first collection already has them.
  auto both = std::make_shared<int>(2);
  auto rest = [self] {
    self->poll_.health = self->health_->health();
    auto unanswered = self->static_failures_;
    for (const auto& f : self->collector_->failures()) unanswered.push_back(f);
    self->state_.set_unanswered(std::move(unanswered));
    // Weak from here on: the socket collection may run on a worker thread,
    // and its pending result must not keep a stopped monitor alive past
    // the io_context that would run it.
    std::weak_ptr<RelayMonitor> weak = self;
    self->ask_conn_all([weak] {
      auto self = weak.lock();
      if (!self) return;
      self->ask_unlisted_peers([weak] {
        auto self = weak.lock();
        if (!self) return;
        self->collect_sockets([weak] {
          auto self = weak.lock();
          if (!self) return;
          self->polling_ = false;
          self->poll_.collected = true;
          ++self->polls_;
          self->notify();
          self->schedule_poll(self->settings_.poll_interval);
        });
      });
    });
  };
  auto joined = [both, rest] {
    if (--*both == 0) rest();
  };
  health_->refresh(joined);
  collector_->refresh_volatile(joined);
}

void RelayMonitor::ask_conn_all(std::function<void()> done) {
  if (conn_all_unsupported_) {
    done();
    return;
  }
  auto self = shared_from_this();
  controller_->getinfo({"conn/all"},
                       [self, done](std::optional<control::Error> error, control::Reply reply) {
                         if (!error) {
                           auto parsed = control::parse_getinfo(reply);
                           if (auto* info = std::get_if<control::InfoMap>(&parsed)) {
                             if (const std::string* value = info->find("conn/all")) {
                               self->state_.apply_info("conn/all", *value, model::Clock::now());
                             }
                           } else {
                             self->conn_all_unsupported_ = true;  // 552 Unrecognized key
                           }
                         }
                         done();
                       });
}

// Relay peers our consensus lacks: tor's own entry for each, when it has
// one (session/unlisted_peers.h), before the sockets are classified.
void RelayMonitor::ask_unlisted_peers(std::function<void()> done) {
  // Looking every orconn-status relay up in the index each poll is wasted
  // when neither changed and the last look found nothing left to ask.
  UnlistedInputs inputs{state_.orconns_version(), state_.consensus_generation(),
                        unlisted_peers_.version(), index_.get()};
  std::vector<std::string> fingerprints;
  if (!(inputs == unlisted_settled_)) {
    fingerprints = unlisted_peers_.to_ask(state_.orconns(), *index_, state_.consensus_generation());
    unlisted_settled_ = fingerprints.empty() ? inputs : UnlistedInputs{};
  }
  if (fingerprints.empty() || !controller_->ready()) {
    rebuild_index_if_needed();  // a peer that left takes its entry along
    done();
    return;
  }
  std::weak_ptr<RelayMonitor> weak = weak_from_this();
  auto joined = countdown(fingerprints.size(), [weak, done] {
    if (auto self = weak.lock()) self->rebuild_index_if_needed();
    done();
  });
  // One key per request: tor refuses a whole GETINFO when one key fails.
  for (const std::string& fingerprint : fingerprints) {
    controller_->getinfo(
        {"ns/id/" + fingerprint},
        [weak, fingerprint, joined](std::optional<control::Error> error, control::Reply reply) {
          auto self = weak.lock();
          if (self && !error) {
            auto parsed = control::parse_getinfo(reply);
            if (auto* info = std::get_if<control::InfoMap>(&parsed)) {
              if (const std::string* entry = info->find("ns/id/" + fingerprint)) {
                self->unlisted_peers_.answered(fingerprint, *entry);
              }
            }
          }
          joined();
        });
  }
}

void RelayMonitor::rebuild_index_if_needed() {
  if (state_.consensus_generation() == indexed_generation_ &&
      unlisted_peers_.version() == indexed_peers_version_) {
    return;
  }
  if (state_.consensus_generation() != indexed_generation_) {
    consensus_index_ = std::make_shared<const model::RelayIndex>(
        model::RelayIndex::from_text(state_.take_consensus()));
  }
  indexed_generation_ = state_.consensus_generation();
  indexed_peers_version_ = unlisted_peers_.version();
  // Relays tor gave entries for that the consensus lacks (unlisted_peers.h).
  std::string extra = unlisted_peers_.missing_from(*consensus_index_);
  index_ = extra.empty() ? consensus_index_
                         : std::make_shared<const model::RelayIndex>(
                               consensus_index_->plus(model::parse_consensus(extra)));
  poll_.relay_index_size = static_cast<long>(index_->size());
  ++poll_version_;
}

model::ClassifyContext RelayMonitor::classify_context() {
  model::ClassifyContext context;
  context.listeners = state_.listeners();
  if (session_) {
    context.own_control_local = system::parse_endpoint(session_->local_address);
    context.own_control_remote = system::parse_endpoint(session_->remote_address);
  }
  if (!index_->empty()) context.relays = index_.get();
  context.keep_alive.push_back(index_);
  if (state_.exit_policy()) {
    auto policy = std::make_shared<const model::ExitPolicy>(*state_.exit_policy());
    context.exit_policy = policy.get();
    context.keep_alive.push_back(policy);
  }
  context.orconns = state_.orconns();
  // Authorities' DirPorts: tor's own directory fetches go there.
  if (authority_index_ != index_) {
    authority_dirports_.clear();
    for (const auto& relay : index_->relays()) {
      if (relay.dir_port != 0 && relay.has_flag("Authority")) {
        authority_dirports_.push_back({relay.ipv4, relay.dir_port});
      }
    }
    for (const auto& a : index_->authorities())
      authority_dirports_.push_back({a.address, a.dir_port});
    authority_index_ = index_;
  }
  context.authorities = authority_dirports_;
  context.hidden_service_targets = state_.hidden_service_targets();
  static const std::vector<model::IpAddr> dns = resolv_conf_servers();
  context.dns_servers = dns;
  bool use_tor = tor_geo_->usable();  // cached answers serve while disconnected too
  if (geo_.available() || geo_.has_asn() || use_tor) {
    std::weak_ptr<RelayMonitor> weak = weak_from_this();
    bool use_files = geo_.available() || geo_.has_asn();
    context.geo = [weak, use_tor, use_files](const model::IpAddr& ip) {
      geo::Info info;
      auto self = weak.lock();
      if (!self) return info;
      if (use_files) info = self->geo_.lookup(ip.to_string());
      if (info.country.empty() && use_tor) {
        if (auto country = self->tor_geo_->country(ip)) info.country = *country;
      }
      return info;
    };
  }
  context.now = model::Clock::now();
  return context;
}

void RelayMonitor::collect_sockets(std::function<void()> done) {
  auto pid = state_.pid();
  if (!pid) {
    done();
    return;
  }
  std::weak_ptr<RelayMonitor> weak = weak_from_this();
  // The result is taken by value so its sockets move into the
  // classification: 20,000 sockets copied every poll were a visible cost.
  resolvers_->async_collect(*pid, [weak, done](system::ResolveResult result) {
    auto self = weak.lock();
    if (!self) return;
    self->poll_.resolver = std::string(self->resolvers_->in_use());
    self->poll_.resolver_status = result.ok() ? self->resolvers_->reason() : result.message;
    if (!result.ok()) {
      ++self->poll_version_;
      self->analyse();
      done();
      return;
    }
    auto classified =
        std::make_shared<model::Classified>(std::move(result.sockets), self->classify_context());
    auto connections = classified->connections();
    classified->release_sockets();  // before the rest of the poll adds its own
    self->reveal_flood_hosts(*classified, connections);
    // Countries tor has not given yet (the lookups above queued them): ask
    // (a bounded number per poll), so this poll already shows them.
    if (self->tor_geo_->pending() && self->controller_->ready()) {
      auto pending = std::make_shared<std::vector<model::Connection>>(std::move(connections));
      self->tor_geo_->resolve(*self->controller_, [weak, classified, pending, done] {
        auto self = weak.lock();
        if (!self) return;
        classified->fill_missing_countries(*pending);
        self->finish_poll(std::move(*pending));
        done();
      });
      return;
    }
    self->finish_poll(std::move(connections));
    done();
  });
}

// Connections, their ages and rates, the cross-check and alerts: once a poll.
void RelayMonitor::finish_poll(std::vector<model::Connection> connections) {
  auto now = model::Clock::now();
  tracker_.update(connections, now);
  std::uint64_t inbound = 0;
  std::uint64_t outbound = 0;
  for (const model::Connection& c : connections) {
    if (c.direction == model::Direction::kInbound) ++inbound;
    if (c.direction == model::Direction::kOutbound) ++outbound;
  }
  state_.add_poll_figures(now, inbound, outbound);
  // The details views read relays' entries from the index itself.
  poll_.consensus = index_;
  poll_.connections = std::move(connections);
  update_geo_status();
  ++poll_version_;
  analyse();
}

// The operator's opt-in only: the addresses of hosts over connection-flood's
// limit, for the TUI's alerts page. Never in a snapshot.
void RelayMonitor::reveal_flood_hosts(const model::Classified& classified,
                                      const std::vector<model::Connection>& connections) {
  revealed_.clear();
  if (!settings_.reveal_flood_addresses) return;
  const auto* flood = settings_.alerts.find("connection-flood");
  double limit = flood ? flood->param("max_connections") : 50;
  auto over = static_cast<long>(std::floor(std::max(0.0, limit)));  // counts are whole
  for (const auto& peer : analysis::count_peers(connections, over)) {
    if (static_cast<double>(peer.count) <= limit) break;  // sorted, largest first
    revealed_[analysis::host_tag(peer.host_key)] = classified.host_text(peer.host_key);
  }
}

void RelayMonitor::update_geo_status() {
  bool use_tor = tor_geo_->usable();
  if (geo_.available()) {
    poll_.geo_source = "mmdb:" + geo_.country_path();
    poll_.geo_status = geo_.status();
    if (use_tor) poll_.geo_status += "; misses asked of tor";
  } else if (use_tor && tor_geo_->answering()) {
    poll_.geo_source = "tor";
    poll_.geo_status = tor_geo_->status() + "; " + geo_.status();
  } else {
    poll_.geo_source = "none";
    poll_.geo_status = geo_.status() + "; " + tor_geo_->status();
  }
}

// Cross-check and alerts over the snapshot this poll makes.
void RelayMonitor::analyse() {
  auto now = model::Clock::now();
  model::Snapshot view = model::assemble(state_, poll_, now, host_);
  if (!view.connections.empty()) {
    auto comparison = analysis::compare(analysis::control_side(view.orconns.get()),
                                        analysis::system_side(view.connections.get()));
    poll_.crosscheck = crosscheck_.update(comparison, view.orconns_source);
    // Assembled again rather than patched: only model::assemble writes a
    // snapshot (its big parts are shared, so this copies no connection).
    view = model::assemble(state_, poll_, now, host_);
  }
  publish_alert_changes(alerts_.evaluate(view, now, settings_.one_shot_alerts), now);
}

// While tor cannot be reached (after each failed attempt), only the rules
// about the connection run; the one-shot modes report the failure
// themselves (an error, or --check's CRITICAL) and skip this.
void RelayMonitor::analyse_disconnected(bool gave_up) {
  if (settings_.one_shot_alerts) return;
  auto now = model::Clock::now();
  model::Snapshot view = model::assemble(state_, poll_, now, host_);
  publish_alert_changes(alerts_.evaluate_disconnected(view, now, gave_up), now);
}

void RelayMonitor::publish_alert_changes(const std::vector<analysis::AlertChange>& changes,
                                         model::TimePoint now) {
  poll_.alerts = alerts_.alerts();
  ++poll_version_;
  for (const auto& change : changes) {
    state_.add_log(model::LogSource::kAlert,
                   change.kind == analysis::AlertChange::Kind::kRaised
                       ? std::string(analysis::log_severity(change.alert.severity))
                       : "NOTICE",
                   analysis::log_line(change), now);
    if (alert_tap_) alert_tap_(change);
  }
}

// Built when something changed since the last one, or a second has passed
// (ages and "disconnected N s ago" move even when tor is silent).
model::SnapshotPtr RelayMonitor::snapshot() {
  auto now = model::Clock::now();
  bool fresh = published_ && published_version_ == state_.version() &&
               published_poll_version_ == poll_version_ &&
               now - published_->taken < std::chrono::seconds(1);
  if (!fresh) {
    published_ =
        std::make_shared<const model::Snapshot>(model::assemble(state_, poll_, now, host_));
    published_version_ = state_.version();
    published_poll_version_ = poll_version_;
  }
  return published_;
}

void RelayMonitor::notify() {
  if (changed_) changed_();
}

}  // namespace relaymon::session
