// update_health(): one poll's parsed inputs folded into the Health model.
// Each concern decides its own level from its figures; the thresholds are
// HealthThresholds (documented with the alert rules that share them).
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <tuple>

#include "model/health.h"
#include "model/snapshot.h"
#include "text/text.h"

namespace relaymon::model {

namespace {

using Seconds = std::chrono::duration<double>;

double seconds_between(HealthTime a, HealthTime b) {
  return Seconds(b - a).count();
}

HealthTime plus_seconds(HealthTime t, double s) {
  return add_seconds(t, s);
}

void set_state(HealthState& s, HealthLevel level, std::string code, std::string problem,
               std::string source, HealthTime now, std::optional<HealthTime> since = {}) {
  if (s.level != level || s.code != code || !s.since) s.since = since.value_or(now);
  s.level = level;
  s.code = std::move(code);
  s.problem = std::move(problem);
  s.source = std::move(source);
}

std::string clock_time(HealthTime t) {
  return fmt::format("{:%H:%M}", fmt::gmtime(HealthClock::to_time_t(t)));
}

std::string kib(double bytes) {
  if (bytes >= 1024.0 * 1024 * 1024) return fmt::format("{:.1f} GiB", bytes / (1 << 30));
  if (bytes >= 1024.0 * 1024) return fmt::format("{:.1f} MiB", bytes / (1 << 20));
  return fmt::format("{:.0f} KiB", bytes / 1024);
}

std::optional<double> metric(const PromParse* m, std::string_view name,
                             const PromMatch& match = {}) {
  if (!m) return std::nullopt;
  return m->value(name, match);
}

std::optional<double> metric_sum(const PromParse* m, std::string_view name,
                                 const PromMatch& match = {}) {
  if (!m) return std::nullopt;
  return m->sum(name, match);
}

template <typename T>
const T* last_line(const HealthInputs& in) {
  const T* found = nullptr;
  for (const auto& line : in.log_lines) {
    if (const T* t = std::get_if<T>(&line)) found = t;
  }
  return found;
}

constexpr std::string_view kMetricsFigures =
    "DoS counters, onionskins, exit DNS, OOM and signing-key expiry need tor's MetricsPort";

// ------------------------------------------------------------ overload

void update_overload(OverloadHealth& o, const HealthInputs& in) {
  const PromParse* m = in.metrics;
  if (in.descriptors) {
    if (const auto& s = in.descriptors->server) {
      o.general = s->overload_general;
      o.bandwidth_rate = s->bandwidth_average;
      o.bandwidth_burst = s->bandwidth_burst;
      o.bandwidth_observed = s->bandwidth_observed;
    }
    if (const auto& e = in.descriptors->extra_info) {
      o.ratelimits = e->overload_ratelimits;
      o.fd_exhausted = e->overload_fd_exhausted;
    }
  }
  if (m) {
    o.rate_limit_reached_read =
        metric(m, "tor_relay_load_global_rate_limit_reached_total", {{"side", "read"}});
    o.rate_limit_reached_write =
        metric(m, "tor_relay_load_global_rate_limit_reached_total", {{"side", "write"}});
    o.tcp_exhaustion = metric(m, "tor_relay_load_tcp_exhaustion_total");
    o.sockets_open = metric(m, "tor_relay_load_socket_total", {{"state", "opened"}});
    if (const PromFamily* f = m->family("tor_relay_load_socket_total")) {
      for (const auto& s : f->samples) {
        if (s.labels.empty()) o.sockets_limit = s.value;
      }
    }
  }
  const std::string source = "fresh descriptor (GETINFO status/fresh-relay-descs)";
  if (!in.descriptors && o.state.level == HealthLevel::kUnknown) return;
  if (o.general) {
    set_state(o.state, HealthLevel::kWarning, "overload-general",
              "overloaded: dropped onionskins, out of memory or TCP ports", source, in.now,
              o.general->since);
  } else if (o.fd_exhausted) {
    set_state(o.state, HealthLevel::kWarning, "fd-exhausted", "ran out of file descriptors", source,
              in.now, o.fd_exhausted->since);
  } else if (o.ratelimits) {
    set_state(
        o.state, HealthLevel::kWarning, "ratelimits",
        fmt::format("BandwidthRate {}/s reached", kib(static_cast<double>(o.ratelimits->rate))),
        source, in.now, o.ratelimits->since);
  } else {
    set_state(o.state, HealthLevel::kOk, "", "", source, in.now);
  }
}

// ------------------------------------------------------------ DoS

void update_dos(DosHealth& d, const HealthInputs& in, const HealthThresholds& t) {
  const PromParse* m = in.metrics;
  std::string source;
  if (const PromFamily* f = m ? m->family("tor_relay_dos_total") : nullptr) {
    d.counters.clear();
    double total = 0;
    for (const auto& s : f->samples) {
      const std::string* type = s.label("type");
      if (!type || !std::isfinite(s.value)) continue;
      d.counters.emplace_back(*type, s.value);
      total += s.value;
    }
    d.total.add(in.now, total);
    source = "MetricsPort";
  } else if (const DosHeartbeat* h = last_line<DosHeartbeat>(in)) {
    d.counters.clear();
    double total = 0;
    auto put = [&](const char* name, const std::optional<std::uint64_t>& v) {
      if (!v) return;
      d.counters.emplace_back(name, static_cast<double>(*v));
      total += static_cast<double>(*v);
    };
    put("circuit_killed_max_cell", h->circuits_killed_max_cells);
    put("circuit_rejected", h->circuits_rejected);
    put("marked_address", h->marked_addresses);
    put("marked_address_maxq", h->marked_addresses_max_queue);
    put("concurrent_conn_rejected", h->concurrent_connections_rejected);
    put("conn_rejected", h->connections_rejected);
    put("single_hop_refused", h->single_hop_refused);
    put("stream_rejected", h->streams_rejected);
    put("introduce2_rejected", h->introduce2_rejected);
    d.total.add(in.now, total);
    d.disabled = h->disabled;
    source = "heartbeat";
  }
  if (m) {
    if (auto p = metric_sum(m, "tor_relay_load_onionskins_total", {{"action", "processed"}})) {
      d.onionskins_processed.add(in.now, *p);
    }
    if (auto p = metric_sum(m, "tor_relay_load_onionskins_total", {{"action", "dropped"}})) {
      d.onionskins_dropped.add(in.now, *p);
    }
  }
  if (in.ntor_requested) d.ntor_requested = in.ntor_requested;
  if (in.ntor_assigned) d.ntor_assigned = in.ntor_assigned;
  if (const HandshakeStats* h = last_line<HandshakeStats>(in)) d.last_heartbeat_handshakes = *h;

  // The dropped share: MetricsPort over the window, else the last heartbeat.
  d.dropped_share.reset();
  auto processed = d.onionskins_processed.increase(t.window_seconds);
  auto dropped = d.onionskins_dropped.increase(t.window_seconds);
  if (processed && dropped && *processed + *dropped >= t.onionskin_min_requests) {
    d.dropped_share = *dropped / (*processed + *dropped);
  } else if (!processed && d.last_heartbeat_handshakes) {
    const auto& h = *d.last_heartbeat_handshakes;
    double req = static_cast<double>(h.tap.requested + h.ntor.requested + h.ntor_v3.requested);
    double asg = static_cast<double>(h.tap.assigned + h.ntor.assigned + h.ntor_v3.assigned);
    if (req >= t.onionskin_min_requests && asg <= req) d.dropped_share = (req - asg) / req;
  }
  if (source.empty() && d.onionskins_processed.samples.empty()) {
    if (d.state.level == HealthLevel::kUnknown || !in.metrics_error.empty()) {
      set_state(
          d.state, HealthLevel::kUnknown, "", "",
          in.metrics_error.empty() ? "no MetricsPort, no DoS heartbeat yet" : in.metrics_error,
          in.now);
    }
    return;
  }
  if (source.empty()) source = "MetricsPort";
  auto rise = d.total.increase(t.window_seconds);
  if (d.dropped_share && *d.dropped_share >= t.onionskin_drop_share) {
    set_state(d.state, HealthLevel::kWarning, "onionskins-dropped",
              fmt::format("{:.1f} % of onionskins dropped", *d.dropped_share * 100), source,
              in.now);
  } else if (rise && *rise > 0) {
    set_state(
        d.state, HealthLevel::kWarning, "dos-rising",
        fmt::format("DoS defenses rejected {:.0f} in {:.0f} min", *rise, t.window_seconds / 60),
        source, in.now);
  } else {
    set_state(d.state, HealthLevel::kOk, "", "", source, in.now);
  }
}

// ------------------------------------------------------------ flags

std::vector<std::string> minus(const std::vector<std::string>& a,
                               const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const auto& x : a) {
    if (std::find(b.begin(), b.end(), x) == b.end()) out.push_back(x);
  }
  return out;
}

void update_flags(FlagsHealth& f, const HealthInputs& in, const HealthThresholds& t) {
  if (in.descriptors && in.descriptors->server) {
    const auto& s = *in.descriptors->server;
    if (s.published) f.published = s.published;
    if (s.uptime_seconds) f.uptime_seconds = s.uptime_seconds;
    f.hibernating = s.hibernating;
  }
  if (in.uptime_seconds) f.uptime_seconds = in.uptime_seconds;
  if (in.bridge) f.bridge = *in.bridge;
  if (in.accounting && !in.accounting->hibernating.empty()) {
    f.hibernating = in.accounting->hibernating != "awake";
  }
  if (in.own_entry_polled) {
    f.known = true;
    if (in.own_entry) {
      std::vector<std::string> now_flags = in.own_entry->flags;
      std::sort(now_flags.begin(), now_flags.end());
      if (f.in_consensus && now_flags != f.flags) {
        f.previous = f.flags;
        f.lost = minus(f.previous, now_flags);
        f.gained = minus(now_flags, f.previous);
        f.changed_at = in.now;
      }
      f.flags = std::move(now_flags);
      f.in_consensus = true;
      f.absent_since.reset();
    } else {
      if (f.in_consensus || !f.absent_since) f.absent_since = in.now;
      f.in_consensus = false;
      f.lost.clear();
      f.gained.clear();
    }
  }
  const std::string source = "own consensus entry (GETINFO ns/id)";
  if (!f.known) return;
  auto has = [](const std::vector<std::string>& v, std::string_view x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  };
  if (!f.in_consensus) {
    double absent = f.absent_since ? seconds_between(*f.absent_since, in.now) : 0;
    double up = f.uptime_seconds ? static_cast<double>(*f.uptime_seconds) : absent;
    double limit = t.not_in_consensus_hours * 3600;
    if (f.bridge) {
      set_state(f.state, HealthLevel::kOk, "bridge", "a bridge: never in the consensus", source,
                in.now);
    } else if (f.hibernating) {
      set_state(f.state, HealthLevel::kOk, "hibernating", "not in the consensus while hibernating",
                source, in.now);
    } else if (std::min(absent, up) >= limit) {
      set_state(f.state, HealthLevel::kCritical, "not-in-consensus",
                fmt::format("not in the consensus for {:.0f} h", std::min(absent, up) / 3600),
                source, in.now, f.absent_since);
    } else {
      set_state(f.state, HealthLevel::kOk, "not-yet", "not in the consensus yet", source, in.now);
    }
    return;
  }
  if (has(f.lost, "Running") || has(f.lost, "Valid") || has(f.gained, "BadExit")) {
    set_state(f.state, HealthLevel::kCritical, "flags-critical",
              has(f.gained, "BadExit") ? "gained BadExit"
                                       : fmt::format("lost {}", fmt::join(f.lost, " ")),
              source, in.now, f.changed_at);
  } else if (!f.lost.empty() || has(f.gained, "MiddleOnly")) {
    std::string what = f.lost.empty() ? std::string("gained MiddleOnly")
                                      : fmt::format("lost {}", fmt::join(f.lost, " "));
    set_state(f.state, HealthLevel::kWarning, "flags-changed", what, source, in.now, f.changed_at);
  } else {
    set_state(f.state, HealthLevel::kOk, "", "", source, in.now);
  }
}

// ------------------------------------------------------------ reachability

void update_reachability(ReachabilityHealth& r, const HealthInputs& in) {
  using K = HealthStatusEvent::Kind;
  using S = ReachabilityFamily::State;
  for (const auto& e : in.status_events) {
    if (e.kind != K::kCheckingReachability && e.kind != K::kReachabilitySucceeded &&
        e.kind != K::kReachabilityFailed) {
      continue;
    }
    ReachabilityFamily& fam = e.family == AddressFamily::kIPv6 ? r.ipv6 : r.ipv4;
    S next = e.kind == K::kCheckingReachability    ? S::kChecking
             : e.kind == K::kReachabilitySucceeded ? S::kReachable
                                                   : S::kFailed;
    if (next != fam.state) fam.since = in.now;
    fam.state = next;
    fam.address = e.or_address;
    if (next == S::kFailed) ++fam.failures;
  }
  const std::string source = "STATUS_SERVER reachability events";
  if (r.ipv4.state == S::kFailed) {
    set_state(r.state, HealthLevel::kCritical, "ipv4-failed", "IPv4 ORPort unreachable", source,
              in.now, r.ipv4.since);
  } else if (r.ipv6.state == S::kFailed) {
    set_state(r.state, HealthLevel::kWarning, "ipv6-failed", "IPv6 ORPort unreachable", source,
              in.now, r.ipv6.since);
  } else if (r.ipv4.state == S::kChecking || r.ipv6.state == S::kChecking) {
    set_state(r.state, HealthLevel::kOk, "checking",
              r.ipv4.state == S::kChecking ? "testing IPv4 ORPort" : "testing IPv6 ORPort", source,
              in.now);
  } else if (r.ipv4.state == S::kReachable || r.ipv6.state == S::kReachable) {
    set_state(r.state, HealthLevel::kOk, "", "", source, in.now);
  } else if (r.state.level == HealthLevel::kUnknown) {
    r.state.source = "no self-test seen (AssumeReachable, or done earlier)";
  }
}

// ------------------------------------------------------------ exit DNS

void update_dns(DnsHealth& d, const HealthInputs& in, const HealthThresholds& t) {
  using K = HealthStatusEvent::Kind;
  if (in.is_exit) d.is_exit = *in.is_exit;
  for (const auto& e : in.status_events) {
    switch (e.kind) {
      case K::kNameserverStatus: {
        auto it = std::find(d.nameservers_down.begin(), d.nameservers_down.end(), e.nameserver);
        if (e.up) {
          if (it != d.nameservers_down.end()) d.nameservers_down.erase(it);
          d.all_down = false;
        } else if (it == d.nameservers_down.end() && d.nameservers_down.size() < 16) {
          d.nameservers_down.push_back(e.nameserver);
        }
        d.last_event = in.now;
        break;
      }
      case K::kNameserverAllDown:
        d.all_down = true;
        d.last_event = in.now;
        break;
      case K::kDnsHijacked:
        d.hijacked = true;
        d.last_event = in.now;
        break;
      case K::kDnsUseless:
        d.useless = true;
        d.last_event = in.now;
        break;
      default:
        break;
    }
  }
  const PromParse* m = in.metrics;
  if (const PromFamily* f = m ? m->family("tor_relay_exit_dns_error_total") : nullptr) {
    d.errors.clear();
    double failures = 0, timeouts = 0;
    for (const auto& s : f->samples) {
      const std::string* reason = s.label("reason");
      if (!reason || !std::isfinite(s.value)) continue;
      d.errors.emplace_back(*reason, s.value);
      // An answer "no such name" or "no such record" is DNS working.
      if (*reason != "success" && *reason != "notexist" && *reason != "nodata" &&
          *reason != "shutdown" && *reason != "cancel") {
        failures += s.value;
      }
      if (*reason == "tor_timeout") timeouts += s.value;
    }
    d.failures.add(in.now, failures);
    d.timeouts.add(in.now, timeouts);
  }
  if (auto q = metric(m, "tor_relay_exit_dns_query_total")) d.queries.add(in.now, *q);

  const std::string source = d.queries.samples.empty() ? "STATUS_SERVER events" : "MetricsPort";
  if (!d.is_exit) {
    set_state(d.state, HealthLevel::kOk, "not-exit", "not an exit", source, in.now);
    return;
  }
  auto queries = d.queries.increase(t.window_seconds);
  auto failures = d.failures.increase(t.window_seconds);
  if (d.useless) {
    set_state(d.state, HealthLevel::kCritical, "dns-useless",
              "resolver lies about real names: tor stopped exiting", source, in.now, d.last_event);
  } else if (d.all_down) {
    set_state(d.state, HealthLevel::kCritical, "all-down", "every nameserver down", source, in.now,
              d.last_event);
  } else if (d.hijacked) {
    set_state(d.state, HealthLevel::kWarning, "hijacked", "resolver hijacks failed lookups", source,
              in.now, d.last_event);
  } else if (queries && failures && *queries >= t.dns_min_queries &&
             *failures / *queries >= t.dns_failure_share) {
    set_state(d.state, HealthLevel::kWarning, "failures",
              fmt::format("{:.1f} % of lookups failed", *failures / *queries * 100), source,
              in.now);
  } else if (!d.nameservers_down.empty()) {
    set_state(d.state, HealthLevel::kWarning, "nameserver-down",
              fmt::format("nameserver {} down", d.nameservers_down.front()), source, in.now,
              d.last_event);
  } else if (d.queries.samples.empty() && !d.last_event) {
    set_state(d.state, HealthLevel::kUnknown, "", "",
              in.metrics_error.empty() ? "needs MetricsPort" : in.metrics_error, in.now);
  } else {
    set_state(d.state, HealthLevel::kOk, "", "", source, in.now);
  }
}

// ------------------------------------------------------------ family

bool version_at_least_049(std::string_view v) {
  int parts[3] = {0, 0, 0};
  for (int& p : parts) {
    auto dot = v.find('.');
    auto head = v.substr(0, dot);
    if (head.empty() || head.size() > 4) return false;
    for (char c : head) {
      if (c < '0' || c > '9') return false;
      p = p * 10 + (c - '0');
    }
    if (dot == std::string_view::npos) break;
    v.remove_prefix(dot + 1);
  }
  return std::make_tuple(parts[0], parts[1], parts[2]) >= std::make_tuple(0, 4, 9);
}

void update_family(FamilyHealth& f, const HealthInputs& in) {
  if (in.family_configured) f.configured = in.family_configured;
  if (in.family_id_configured) f.id_configured = in.family_id_configured;
  bool have_desc = in.descriptors && in.descriptors->server;
  if (have_desc) {
    const auto& s = *in.descriptors->server;
    f.members = s.family.size();
    f.certificates = s.family_certs;
    std::string_view p = s.platform;
    if (p.rfind("Tor ", 0) == 0) {
      p.remove_prefix(4);
      f.tor_version = std::string(p.substr(0, p.find(' ')));
    }
  }
  const std::string source = "fresh descriptor and GETCONF MyFamily/FamilyId";
  if (!have_desc && f.state.level == HealthLevel::kUnknown) return;
  bool configured = f.configured.value_or(f.members > 0);
  if (!configured && f.members == 0) {
    set_state(f.state, HealthLevel::kOk, "none", "no family", source, in.now);
  } else if (f.certificates > 0) {
    set_state(f.state, HealthLevel::kOk, "", "", source, in.now);
  } else if (!version_at_least_049(f.tor_version)) {
    set_state(f.state, HealthLevel::kOk, "old-tor", "tor < 0.4.9: MyFamily only", source, in.now);
  } else if (f.id_configured.value_or(false)) {
    set_state(f.state, HealthLevel::kWarning, "key-missing",
              "FamilyId set but no family-cert (key file missing?)", source, in.now);
  } else {
    set_state(f.state, HealthLevel::kWarning, "no-cert", "MyFamily without FamilyId key", source,
              in.now);
  }
}

// ------------------------------------------------------------ memory

void update_memory(MemoryHealth& mem, const HealthInputs& in, const HealthThresholds& t) {
  if (in.max_mem_in_queues) mem.max_in_queues = in.max_mem_in_queues;
  if (in.rss_bytes) mem.rss_bytes = in.rss_bytes;
  if (auto oom = metric_sum(in.metrics, "tor_relay_load_oom_bytes_total")) {
    mem.oom_bytes.add(in.now, *oom);
    auto rise = mem.oom_bytes.increase(t.oom_recent_seconds);
    if (mem.oom_bytes.samples.size() > 1 && rise && *rise > 0 &&
        mem.oom_bytes.samples[mem.oom_bytes.samples.size() - 2].second <
            mem.oom_bytes.samples.back().second) {
      mem.last_oom = in.now;
    }
  }
  for (const auto& line : in.log_lines) {
    if (const auto* low = std::get_if<LowMemory>(&line)) {
      mem.last_low_memory = *low;
      mem.last_oom = in.now;
    } else if (std::holds_alternative<OomKilled>(line)) {
      mem.last_oom = in.now;
    }
  }
  const std::string source = "limits/max-mem-in-queues, tor's RSS, OOM lines and MetricsPort";
  if (mem.last_oom && seconds_between(*mem.last_oom, in.now) < t.oom_recent_seconds) {
    set_state(mem.state, HealthLevel::kCritical, "oom",
              "out of memory: tor killed circuits (MaxMemInQueues)", source, in.now, mem.last_oom);
  } else if (mem.max_in_queues && mem.rss_bytes && *mem.max_in_queues > 0 &&
             static_cast<double>(*mem.rss_bytes) >=
                 t.memory_warning_ratio * static_cast<double>(*mem.max_in_queues)) {
    set_state(
        mem.state, HealthLevel::kWarning, "near-limit",
        fmt::format("tor uses {} of MaxMemInQueues {}", kib(static_cast<double>(*mem.rss_bytes)),
                    kib(static_cast<double>(*mem.max_in_queues))),
        source, in.now);
  } else if (mem.max_in_queues) {
    set_state(mem.state, HealthLevel::kOk, "", "", source, in.now);
  }
}

// ------------------------------------------------------------ accounting

void update_accounting_health(AccountingHealth& a, const HealthInputs& in,
                              const HealthThresholds& t) {
  if (in.accounting) a.values = *in.accounting;
  for (const auto& e : in.status_events) {
    if (e.kind == HealthStatusEvent::Kind::kHibernationStatus) {
      a.values.hibernating = text::lower(e.status);
    }
  }
  const auto& v = a.values;
  const std::string source = "GETINFO accounting/*";
  if (!v.enabled) return;
  if (!*v.enabled) {
    set_state(a.state, HealthLevel::kOk, "off", "off", source, in.now);
    return;
  }
  if (v.read_bytes && v.written_bytes && v.read_left && v.written_left) {
    std::uint64_t max = std::max(*v.read_bytes + *v.read_left, *v.written_bytes + *v.written_left);
    std::uint64_t left = std::min(*v.read_left, *v.written_left);
    a.max_bytes = max;
    a.used_bytes = max - std::min(max, left);
    a.projected_exhaustion.reset();
    if (v.interval_start) {
      double elapsed = seconds_between(*v.interval_start, in.now);
      if (elapsed >= t.accounting_min_elapsed_seconds && *a.used_bytes > 0) {
        double rate = static_cast<double>(*a.used_bytes) / elapsed;
        a.projected_exhaustion = plus_seconds(in.now, static_cast<double>(left) / rate);
      }
    }
  }
  bool hibernating = v.hibernating == "soft" || v.hibernating == "hard";
  if (hibernating && !a.hibernating_since) a.hibernating_since = in.now;
  if (!hibernating) a.hibernating_since.reset();
  if (hibernating) {
    set_state(a.state, HealthLevel::kWarning, "hibernating",
              v.interval_end ? fmt::format("hibernating until {} UTC", clock_time(*v.interval_end))
                             : std::string("hibernating"),
              source, in.now, a.hibernating_since);
  } else if (a.projected_exhaustion && v.interval_end &&
             *a.projected_exhaustion < *v.interval_end) {
    set_state(a.state, HealthLevel::kWarning, "projected",
              fmt::format("quota runs out at {} UTC, period ends {}",
                          clock_time(*a.projected_exhaustion), clock_time(*v.interval_end)),
              source, in.now);
  } else {
    set_state(a.state, HealthLevel::kOk, "", "", source, in.now);
  }
}

// ------------------------------------------------------------ signing key

void update_signing_key(SigningKeyHealth& k, const HealthInputs& in, const HealthThresholds& t) {
  if (in.offline_master_key) k.offline_master_key = in.offline_master_key;
  if (auto ts = metric(in.metrics, "tor_relay_signing_cert_expiry_timestamp")) {
    if (std::isfinite(*ts) && *ts > 0 && *ts < 7e9) {  // before 2191: fits the clock
      k.expires = HealthTime(std::chrono::duration_cast<HealthClock::duration>(Seconds(*ts)));
    }
  }
  if (!k.expires) {
    // tor exports the expiry only with OfflineMasterKey 1 (relay_metrics.c,
    // fill_signing_cert_expiry): without it tor renews the key by itself.
    if (in.metrics && !k.offline_master_key.value_or(false)) {
      set_state(k.state, HealthLevel::kOk, "online", "renewed by tor (online master key)",
                "MetricsPort (no expiry without OfflineMasterKey)", in.now);
    } else if (!in.metrics_error.empty()) {
      set_state(k.state, HealthLevel::kUnknown, "", "", "needs MetricsPort", in.now);
    }
    return;
  }
  const std::string source = "MetricsPort tor_relay_signing_cert_expiry_timestamp";
  double left = seconds_between(in.now, *k.expires);
  bool offline = k.offline_master_key.value_or(false);
  std::string when = left <= 0 ? "expired" : fmt::format("expires in {:.1f} days", left / 86400);
  if (left <= 0 || (offline && left < t.signing_critical_days * 86400) ||
      (!offline && left < t.signing_online_critical_hours * 3600)) {
    set_state(k.state, HealthLevel::kCritical, "expiring", "signing key " + when, source, in.now);
  } else if (offline && left < t.signing_warning_days * 86400) {
    set_state(k.state, HealthLevel::kWarning, "expiring-soon", "signing key " + when, source,
              in.now);
  } else {
    set_state(k.state, HealthLevel::kOk, "", "", source, in.now);
  }
}

}  // namespace

namespace {

void record_changes(Health& h, const std::vector<std::pair<HealthLevel, std::string>>& before,
                    bool first, HealthTime now) {
  auto after = health_concerns(h);
  for (std::size_t i = 0; i < after.size() && i < before.size(); ++i) {
    const HealthState& s = *after[i].second;
    if (before[i].first == s.level && before[i].second == s.code) continue;
    if (first && s.level == HealthLevel::kOk) continue;  // "ok" at start is no news
    h.changes.push_back({now, std::string(after[i].first), before[i].first, s.level, s.problem});
  }
  if (h.changes.size() > Health::kMaxChanges) {
    auto extra = h.changes.size() - Health::kMaxChanges;
    h.changes.erase(h.changes.begin(), h.changes.begin() + static_cast<long>(extra));
    h.changes_dropped += static_cast<long>(extra);
  }
}

}  // namespace

Health update_health(Health h, const HealthInputs& in) {
  const HealthThresholds& t = in.thresholds;
  std::vector<std::pair<HealthLevel, std::string>> before;
  for (const auto& [label, state] : health_concerns(h))
    before.emplace_back(state->level, state->code);
  bool first = !h.updated;
  h.metrics_port = in.metrics != nullptr;
  h.metrics_missing =
      h.metrics_port
          ? std::string{}
          : fmt::format("{}: {}", in.metrics_error.empty() ? "no MetricsPort" : in.metrics_error,
                        kMetricsFigures);
  update_overload(h.overload, in);
  update_dos(h.dos, in, t);
  update_flags(h.flags, in, t);
  update_reachability(h.reachability, in);
  update_dns(h.dns, in, t);
  update_family(h.family, in);
  update_memory(h.memory, in, t);
  update_accounting_health(h.accounting, in, t);
  update_signing_key(h.signing_key, in, t);
  record_changes(h, before, first, in.now);
  h.updated = in.now;
  return h;
}

}  // namespace relaymon::model
