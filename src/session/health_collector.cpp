#include "session/health_collector.h"

#include <fmt/format.h>

#include "control/getinfo.h"
#include "model/relay_index.h"
#include "session/countdown.h"
#include "session/metrics_fetch.h"

namespace relaymon::session {

namespace {

// Events and heartbeat lines kept between two folds: a DoS storm of log
// lines must not grow memory while a refresh waits for tor.
constexpr std::size_t kMaxPending = 512;

template <typename T>
void keep(std::vector<T>& pending, T item) {
  if (pending.size() >= kMaxPending) pending.erase(pending.begin());
  pending.push_back(std::move(item));
}

bool truthy(const std::vector<std::string>& values) {
  return !values.empty() && !values.front().empty() && values.front() != "0";
}

}  // namespace

// One refresh's answers; null/empty where not asked or not answered.
struct HealthCollector::Round {
  model::HealthTime now = model::HealthClock::now();
  std::optional<model::FreshDescriptors> descriptors;
  std::optional<model::PromParse> metrics;
  std::string metrics_error;
  std::optional<std::uint64_t> ntor_requested;
  std::optional<std::uint64_t> ntor_assigned;
  std::optional<std::uint64_t> max_mem_in_queues;
  bool own_entry_polled = false;
  std::optional<model::ConsensusEntry> own_entry;
  bool accounting_answered = false;
};

void HealthCollector::on_connected() {
  own_entry_due_ = true;
  conf_due_ = true;
  last_descriptors_.reset();
  last_refresh_.reset();
}

void HealthCollector::on_event(const control::Event& event) {
  if (event.type == "NEWCONSENSUS" || event.type == "NS") {
    own_entry_due_ = true;
  } else if (event.type == "CONF_CHANGED") {
    conf_due_ = true;
    last_descriptors_.reset();  // the family or the rates may have changed
  } else if (const auto* status = event.get<control::StatusEvent>()) {
    if (auto parsed = model::parse_health_status(event.type, *status)) {
      keep(status_events_, std::move(*parsed));
    }
  } else if (const auto* log = event.get<control::LogEvent>()) {
    if (log->severity == "NOTICE" || log->severity == "WARN" || log->severity == "ERR") {
      if (auto parsed = model::parse_health_log(log->message)) keep(log_lines_, std::move(*parsed));
    }
  }
}

void HealthCollector::refresh(std::function<void()> done) {
  auto steady = std::chrono::steady_clock::now();
  bool due = !last_refresh_ || steady - *last_refresh_ >= interval;
  if (running_ || !due || state_.fingerprint().empty() || !controller_.ready()) {
    if (done) done();
    return;
  }
  running_ = true;
  last_refresh_ = steady;
  auto round = std::make_shared<Round>();
  bool descriptors_due = !last_descriptors_ || steady - *last_descriptors_ >= descriptor_interval;
  if (descriptors_due) last_descriptors_ = steady;
  std::weak_ptr<HealthCollector> weak = weak_from_this();
  auto tick = countdown(5, [weak, round, done] {
    if (auto self = weak.lock()) {
      self->fold(*round);
      self->running_ = false;
    }
    if (done) done();
  });
  ask_conf(round, tick);
  ask_counters(round, tick);
  ask_own_entry(round, tick);
  if (descriptors_due) {
    ask_descriptors(round, tick);
  } else {
    tick();
  }
  ask_metrics(round, tick);
}

void HealthCollector::ask_conf(const std::shared_ptr<Round>&, std::function<void()> tick) {
  if (!conf_due_) return tick();
  conf_due_ = false;
  auto self = shared_from_this();
  auto both = countdown(2, tick);
  controller_.getconf({"BridgeRelay", "MyFamily", "OfflineMasterKey"},
                      [self, both](std::optional<control::Error> e, control::Reply r) {
                        auto parsed = control::parse_getconf(r);
                        if (auto* conf = e ? nullptr : std::get_if<control::ConfMap>(&parsed)) {
                          self->bridge_ = truthy(conf->values("BridgeRelay"));
                          self->family_configured_ = truthy(conf->values("MyFamily"));
                          self->offline_master_key_ = truthy(conf->values("OfflineMasterKey"));
                        } else {
                          self->conf_due_ = true;  // ask again next time
                        }
                        both();
                      });
  // FamilyId is new in 0.4.9; an older tor refuses the key (and would fail
  // the batch above with it), which leaves it unknown.
  controller_.getconf({"FamilyId"},
                      [self, both](std::optional<control::Error> e, control::Reply r) {
                        auto parsed = control::parse_getconf(r);
                        if (auto* conf = e ? nullptr : std::get_if<control::ConfMap>(&parsed)) {
                          self->family_id_configured_ = truthy(conf->values("FamilyId"));
                        }
                        both();
                      });
}

void HealthCollector::ask_counters(const std::shared_ptr<Round>& round,
                                   std::function<void()> tick) {
  static const std::vector<std::string> keys = {
      "stats/ntor/requested",   "stats/ntor/assigned",       "limits/max-mem-in-queues",
      "accounting/enabled",     "accounting/hibernating",    "accounting/bytes",
      "accounting/bytes-left",  "accounting/interval-start", "accounting/interval-wake",
      "accounting/interval-end"};
  auto all = countdown(keys.size(), tick);
  auto self = shared_from_this();
  // One key per GETINFO: tor fails a batch on one key it cannot answer
  // (accounting/bytes without accounting), and the others still count.
  for (const auto& key : keys) {
    controller_.getinfo({key},
                        [self, round, key, all](std::optional<control::Error> e, control::Reply r) {
                          auto parsed = control::parse_getinfo(r);
                          const std::string* value = nullptr;
                          if (auto* info = e ? nullptr : std::get_if<control::InfoMap>(&parsed))
                            value = info->find(key);
                          if (value) {
                            if (key == "stats/ntor/requested") {
                              round->ntor_requested = model::parse_count(*value);
                            } else if (key == "stats/ntor/assigned") {
                              round->ntor_assigned = model::parse_count(*value);
                            } else if (key == "limits/max-mem-in-queues") {
                              round->max_mem_in_queues = model::parse_count(*value);
                            } else if (model::update_accounting(self->accounting_, key, *value)) {
                              round->accounting_answered = true;
                            }
                          }
                          all();
                        });
  }
}

void HealthCollector::ask_own_entry(const std::shared_ptr<Round>& round,
                                    std::function<void()> tick) {
  const std::string& fingerprint = state_.fingerprint();
  if (!own_entry_due_ || fingerprint.empty()) return tick();
  auto self = shared_from_this();
  controller_.getinfo({"ns/id/" + fingerprint}, [self, round, tick](std::optional<control::Error> e,
                                                                    control::Reply r) {
    if (!e) {
      auto parsed = control::parse_getinfo(r);
      if (auto* info = std::get_if<control::InfoMap>(&parsed)) {
        if (!info->entries.empty()) {
          auto relays = model::parse_consensus(info->entries.front().value).relays;
          if (!relays.empty()) round->own_entry = model::to_consensus_entry(relays.front());
          round->own_entry_polled = true;
        }
      } else if (std::get<control::ReplyError>(parsed).code == 552) {
        round->own_entry_polled = true;  // tor knows no entry of ours: not in its consensus
      }
      if (round->own_entry_polled) self->own_entry_due_ = false;
    }
    tick();
  });
}

void HealthCollector::ask_descriptors(const std::shared_ptr<Round>& round,
                                      std::function<void()> tick) {
  controller_.getinfo({"status/fresh-relay-descs"},
                      [round, tick](std::optional<control::Error> e, control::Reply r) {
                        auto parsed = control::parse_getinfo(r);
                        if (auto* info = e ? nullptr : std::get_if<control::InfoMap>(&parsed)) {
                          if (const auto* text = info->find("status/fresh-relay-descs")) {
                            round->descriptors = model::parse_fresh_relay_descs(*text);
                          }
                        }
                        tick();
                      });
}

void HealthCollector::ask_metrics(const std::shared_ptr<Round>& round, std::function<void()> tick) {
  const model::Listener* metrics = nullptr;
  for (const auto& l : state_.listeners()) {
    if (l.kind == "metrics" && l.endpoint.port != 0) metrics = &l;
  }
  if (!metrics) {
    round->metrics_error = "no MetricsPort configured";
    return tick();
  }
  // A MetricsPort on 0.0.0.0 or :: is reached on loopback.
  std::string address = metrics->endpoint.address;
  if (address == "0.0.0.0") address = "127.0.0.1";
  if (address == "::") address = "::1";
  fetch_metrics(io_, address, metrics->endpoint.port, timeout_,
                [round, tick, where = fmt::format("{}:{}", address, metrics->endpoint.port)](
                    MetricsReply reply) {
                  if (reply.body) {
                    round->metrics = model::parse_prometheus_text(*reply.body);
                  } else {
                    round->metrics_error = fmt::format("MetricsPort {}: {}", where, reply.error);
                  }
                  tick();
                });
}

void HealthCollector::fold(Round& round) {
  model::HealthInputs in;
  in.now = round.now;
  if (round.descriptors) in.descriptors = &*round.descriptors;
  if (round.metrics) in.metrics = &*round.metrics;
  in.metrics_error = round.metrics_error;
  in.ntor_requested = round.ntor_requested;
  in.ntor_assigned = round.ntor_assigned;
  in.max_mem_in_queues = round.max_mem_in_queues;
  in.own_entry_polled = round.own_entry_polled;
  if (round.own_entry) in.own_entry = &*round.own_entry;
  if (round.accounting_answered) in.accounting = &accounting_;
  in.status_events = std::move(status_events_);
  in.log_lines = std::move(log_lines_);
  status_events_.clear();
  log_lines_.clear();
  in.is_exit = state_.is_exit();
  in.bridge = bridge_;
  in.family_configured = family_configured_;
  in.family_id_configured = family_id_configured_;
  in.offline_master_key = offline_master_key_;
  in.rss_bytes = state_.rss_bytes();
  in.uptime_seconds = state_.uptime_seconds();
  health_ = model::update_health(std::move(health_), in);
}

}  // namespace relaymon::session
