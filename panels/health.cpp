#include "panels/health.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "panels/format.h"
#include "text/text.h"
#include "text/time.h"
#include "ui/text.h"

namespace relaymon::panels {

using ui::Role;
using ui::Segments;

namespace {

// UTC, like the overview's health lines and tor's own times.
std::string utc(model::HealthTime t) {
  return fmt::format("{:%H:%M:%S}", fmt::gmtime(model::HealthClock::to_time_t(t)));
}

std::string count(double value) {
  return fmt::format("{:.0f}", value);
}

template <typename T>
std::string figure(const std::optional<T>& value, std::string (*show)(T)) {
  return value ? show(*value) : "n/a";
}

std::string bytes_of(std::uint64_t b) {
  return format_bytes(b);
}

std::string rate_of(std::uint64_t b) {
  return format_rate(static_cast<double>(b));
}

std::string count_of(double v) {
  return count(v);
}

std::string yes_no(bool v) {
  return v ? "yes" : "no";
}

// Builds the page: a concern's heading, then its figures as groups that
// flow into indented rows of the page's width.
class Lines {
 public:
  Lines(const model::Snapshot& s, int width) : snapshot(s), width_(std::max(width, 10)) {}

  void heading(std::string_view label, const model::HealthState& state) {
    Segments row{{ui::pad_right(std::string(label), 16), Role::kTitle}};
    std::string line =
        model::health_line(state, static_cast<std::size_t>(std::max(width_ - 16, 1)));
    row.push_back({ui::sanitize(line), health_role(state.level)});
    out_.push_back(std::move(row));
    if (!state.source.empty() && state.level != model::HealthLevel::kUnknown) {
      group("source:", ui::sanitize(state.source), Role::kDim);
    }
  }

  // One "label value" group; groups flow into rows when the line is ended.
  void group(std::string label, std::string value, Role value_role = Role::kValue) {
    Segments g;
    if (!label.empty()) g.push_back({std::move(label) + " ", Role::kLabel});
    g.push_back({std::move(value), value_role});
    groups_.push_back(std::move(g));
  }

  void history(std::string label, const model::CounterHistory& h) {
    if (h.samples.size() < 2) return;
    int room = std::clamp(width_ - 40, 8, 60);
    std::string spark = sparkline(h, room);
    long minutes = seconds_between(h.samples.front().first, h.samples.back().first) / 60;
    group(std::move(label), fmt::format("[{}] last {} min", spark, std::max(1L, minutes)));
  }

  void end_line() {
    if (groups_.empty()) return;
    for (Segments row : ui::flow({groups_}, width_ - 2)) {
      row.insert(row.begin(), {"  ", Role::kNormal});
      out_.push_back(std::move(row));
    }
    groups_.clear();
  }

  // A line of text, word-wrapped to the page; continuation rows indented.
  void text(const std::string& line, Role role = Role::kNormal, int indent = 0) {
    if (line.empty()) {
      out_.push_back({});
      return;
    }
    std::string pad(static_cast<std::size_t>(indent), ' ');
    bool first = true;
    for (std::string& row : ui::wrap(line, std::max(1, width_ - indent - 2))) {
      out_.push_back({{pad + (first ? "" : "  ") + row, role}});
      first = false;
    }
  }

  std::vector<Segments> take() { return std::move(out_); }

  const model::Snapshot& snapshot;

 private:
  int width_;
  std::vector<Segments> groups_;
  std::vector<Segments> out_;
};

void overload_lines(Lines& l, const model::OverloadHealth& o) {
  l.group("published overload:", o.general ? "since " + utc(o.general->since) : "none",
          o.general ? Role::kWarning : Role::kValue);
  if (o.ratelimits) {
    l.group(
        "rate limits hit:",
        fmt::format("since {} (rate {}, burst {}; read {} times, write {} times)",
                    utc(o.ratelimits->since), format_rate(static_cast<double>(o.ratelimits->rate)),
                    format_rate(static_cast<double>(o.ratelimits->burst)), o.ratelimits->read_count,
                    o.ratelimits->write_count),
        Role::kWarning);
  } else {
    l.group("rate limits hit:", "none");
  }
  l.group("file descriptors exhausted:",
          o.fd_exhausted ? "since " + utc(o.fd_exhausted->since) : "none",
          o.fd_exhausted ? Role::kWarning : Role::kValue);
  l.end_line();
  l.group("bandwidth rate:", figure(o.bandwidth_rate, rate_of));
  l.group("burst:", figure(o.bandwidth_burst, rate_of));
  l.group("observed:", figure(o.bandwidth_observed, rate_of));
  l.end_line();
  if (o.sockets_limit) {
    l.group("sockets open:",
            fmt::format("{} of {}", figure(o.sockets_open, count_of), count(*o.sockets_limit)));
    l.group("global rate limit reached: read", figure(o.rate_limit_reached_read, count_of));
    l.group("write", figure(o.rate_limit_reached_write, count_of));
    l.group("TCP port exhaustion:", figure(o.tcp_exhaustion, count_of));
    l.end_line();
  }
}

void dos_lines(Lines& l, const model::DosHealth& d) {
  if (!d.counters.empty()) {
    l.group("", "DoS defenses (tor's totals):", Role::kLabel);
    for (const auto& [name, value] : d.counters) l.group(ui::sanitize(name), count(value));
    l.end_line();
    if (auto rise = d.total.increase(3600)) l.group("rejected in the last hour:", count(*rise));
    l.history("each 10 s:", d.total);
    l.end_line();
  }
  if (!d.disabled.empty()) {
    l.group("disabled (heartbeat):", ui::sanitize(text::join(d.disabled, ", ")), Role::kWarning);
    l.end_line();
  }
  if (auto processed = d.onionskins_processed.latest()) {
    l.group("onionskins processed:", count(*processed));
    l.group("dropped:", figure(d.onionskins_dropped.latest(), count_of));
    if (d.dropped_share) l.group("dropped share:", format_percent(*d.dropped_share * 100));
    l.history("drops each 10 s:", d.onionskins_dropped);
  }
  if (d.ntor_requested) {
    l.group("ntor asked:", std::to_string(*d.ntor_requested));
    l.group("handled:", d.ntor_assigned ? std::to_string(*d.ntor_assigned) : "n/a");
  }
  l.end_line();
}

void flags_lines(Lines& l, const model::FlagsHealth& f) {
  if (!f.known) {
    l.group("consensus:", "not asked yet");
  } else if (f.in_consensus) {
    l.group("in the consensus:", "yes");
    l.group("flags:", f.flags.empty() ? "none" : ui::sanitize(text::join(f.flags, " ")));
  } else {
    l.group("in the consensus:", f.absent_since ? "no, absent since " + utc(*f.absent_since) : "no",
            Role::kWarning);
  }
  l.end_line();
  if (f.changed_at) {
    l.group("last change:", utc(*f.changed_at));
    l.group("lost:", f.lost.empty() ? "none" : ui::sanitize(text::join(f.lost, " ")),
            f.lost.empty() ? Role::kValue : Role::kWarning);
    l.group("gained:", f.gained.empty() ? "none" : ui::sanitize(text::join(f.gained, " ")));
  } else if (f.known) {
    l.group("", "no flag changed since relaymon started", Role::kDim);
  }
  if (f.published) l.group("descriptor published:", utc(*f.published));
  if (f.uptime_seconds) l.group("tor's uptime:", format_duration(*f.uptime_seconds));
  if (f.hibernating) l.group("", "hibernating (accounting): out of the consensus", Role::kWarning);
  if (f.bridge) l.group("", "a bridge: never in the consensus", Role::kDim);
  l.end_line();
}

std::string reach_text(const model::ReachabilityFamily& f) {
  using S = model::ReachabilityFamily::State;
  std::string state = f.state == S::kChecking    ? "checking"
                      : f.state == S::kReachable ? "reachable"
                      : f.state == S::kFailed    ? "FAILED"
                                                 : "no event yet";
  std::string out = state;
  if (!f.address.empty()) out += " " + ui::sanitize(f.address);
  if (f.since) out += " since " + utc(*f.since);
  if (f.failures > 0) out += fmt::format(", {} failure{}", f.failures, f.failures == 1 ? "" : "s");
  return out;
}

void reachability_lines(Lines& l, const model::ReachabilityHealth& r) {
  using S = model::ReachabilityFamily::State;
  l.group("IPv4 ORPort:", reach_text(r.ipv4),
          r.ipv4.state == S::kFailed ? Role::kCritical : Role::kValue);
  l.group("IPv6 ORPort:", reach_text(r.ipv6),
          r.ipv6.state == S::kFailed ? Role::kCritical : Role::kValue);
  l.end_line();
}

void dns_lines(Lines& l, const model::DnsHealth& d) {
  if (!d.is_exit) return;
  if (auto q = d.queries.latest()) {
    l.group("queries:", count(*q));
    l.group("failures:", figure(d.failures.latest(), count_of));
    l.group("timeouts:", figure(d.timeouts.latest(), count_of));
    l.history("queries each 10 s:", d.queries);
    l.end_line();
  }
  if (!d.errors.empty()) {
    l.group("", "answers by kind:", Role::kLabel);
    for (const auto& [reason, value] : d.errors) l.group(ui::sanitize(reason), count(value));
    l.end_line();
  }
  if (!d.nameservers_down.empty()) {
    l.group("nameservers down:", std::to_string(d.nameservers_down.size()), Role::kWarning);
  }
  if (d.all_down) l.group("", "all nameservers down", Role::kCritical);
  if (d.hijacked) l.group("", "resolver hijacks unknown names", Role::kCritical);
  if (d.useless) l.group("", "tor stopped exiting (DNS useless)", Role::kCritical);
  if (d.last_event) l.group("last resolver event:", utc(*d.last_event));
  l.end_line();
}

void family_lines(Lines& l, const model::FamilyHealth& f) {
  l.group("configured:", f.configured ? yes_no(*f.configured) : "n/a");
  l.group("FamilyId:", f.id_configured ? yes_no(*f.id_configured) : "n/a");
  l.group("members in the descriptor:", std::to_string(f.members));
  l.group("family certificates:", std::to_string(f.certificates));
  if (!f.tor_version.empty()) l.group("tor:", ui::sanitize(f.tor_version));
  l.end_line();
}

void memory_lines(Lines& l, const model::MemoryHealth& m) {
  std::string rss = figure(m.rss_bytes, bytes_of);
  if (m.rss_bytes && m.max_in_queues && *m.max_in_queues > 0) {
    rss += fmt::format(" ({} of MaxMemInQueues)",
                       format_percent(100.0 * static_cast<double>(*m.rss_bytes) /
                                      static_cast<double>(*m.max_in_queues)));
  }
  l.group("tor's resident memory:", rss);
  l.group("MaxMemInQueues:", figure(m.max_in_queues, bytes_of));
  l.end_line();
  if (auto oom = m.oom_bytes.latest()) {
    l.group("freed by the OOM handler:", format_bytes(static_cast<std::uint64_t>(*oom)));
  }
  if (m.last_oom) l.group("last OOM:", utc(*m.last_oom), Role::kWarning);
  if (m.last_low_memory) l.group("", "tor logged that it is low on memory", Role::kWarning);
  l.end_line();
}

void accounting_lines(Lines& l, const model::AccountingHealth& a) {
  if (!a.values.enabled.value_or(false)) {
    l.group("", "accounting is off (no AccountingMax)", Role::kDim);
    l.end_line();
    return;
  }
  l.group("used:",
          fmt::format("{} of {}", figure(a.used_bytes, bytes_of), figure(a.max_bytes, bytes_of)));
  l.group("state:", a.values.hibernating.empty() ? "n/a" : ui::sanitize(a.values.hibernating));
  if (a.values.interval_end) l.group("period ends:", text::iso8601(*a.values.interval_end));
  if (a.projected_exhaustion) {
    l.group("runs out at this rate:", text::iso8601(*a.projected_exhaustion), Role::kWarning);
  }
  l.end_line();
}

void signing_lines(Lines& l, const model::SigningKeyHealth& k) {
  if (k.offline_master_key) {
    l.group("OfflineMasterKey:", *k.offline_master_key ? "1" : "0 (tor renews the signing key)");
  }
  if (k.expires) {
    long left = seconds_between(l.snapshot.taken, *k.expires);
    l.group("signing key expires:",
            fmt::format("{} (in {})", text::iso8601(*k.expires), format_duration(left)));
  }
  l.end_line();
}

std::string_view level_word(model::HealthLevel level) {
  return model::to_string(level);
}

void change_lines(Lines& l, const model::Health& h) {
  l.text("");
  l.text(fmt::format("Changes this session ({}, newest first, times UTC):",
                     h.changes.empty() ? "none yet" : std::to_string(h.changes.size())),
         Role::kTitle);
  if (h.changes.empty()) {
    l.text("every concern has kept its level since relaymon started", Role::kDim, 2);
  }
  for (auto it = h.changes.rbegin(); it != h.changes.rend(); ++it) {
    std::string text = fmt::format("{} {}: {} -> {}", utc(it->at), it->concern,
                                   level_word(it->from), level_word(it->to));
    if (!it->problem.empty()) text += ", " + ui::sanitize(it->problem);
    l.text(text, health_role(it->to), 2);
  }
  if (h.changes_dropped > 0) {
    l.text(fmt::format("({} older changes not kept)", h.changes_dropped), Role::kDim, 2);
  }
}

}  // namespace

ui::Role health_role(model::HealthLevel level) {
  switch (level) {
    case model::HealthLevel::kOk:
      return Role::kGood;
    case model::HealthLevel::kWarning:
      return Role::kWarning;
    case model::HealthLevel::kCritical:
      return Role::kCritical;
    case model::HealthLevel::kUnknown:
      break;
  }
  return Role::kDim;
}

std::string sparkline(const model::CounterHistory& history, int width) {
  static constexpr std::string_view kLevels = "_.:-=+*#";
  const auto& samples = history.samples;
  if (samples.size() < 2 || width < 1) return "";
  std::vector<double> rises;
  for (std::size_t i = 1; i < samples.size(); ++i) {
    rises.push_back(std::max(0.0, samples[i].second - samples[i - 1].second));
  }
  if (rises.size() > static_cast<std::size_t>(width)) {
    rises.erase(rises.begin(), rises.end() - width);
  }
  double top = *std::max_element(rises.begin(), rises.end());
  std::string out;
  for (double r : rises) {
    // Any rise at all shows above the baseline.
    std::size_t level =
        top <= 0 || r <= 0
            ? 0
            : 1 + static_cast<std::size_t>(std::floor(r / top * (kLevels.size() - 2) + 1e-9));
    out += kLevels[std::min(level, kLevels.size() - 1)];
  }
  return out;
}

std::vector<ui::Segments> health_lines(const model::Snapshot& s, int width) {
  Lines l(s, width);
  const model::Health& h = s.health;
  if (s.relay.fingerprint.empty()) {
    l.text("not a relay: a client has no relay health", Role::kDim);
    return l.take();
  }
  if (!h.updated) {
    l.text("no health figures yet (the first update comes within 10 s of connecting)", Role::kDim);
    return l.take();
  }
  if (!h.metrics_port) l.text(ui::sanitize(h.metrics_missing), Role::kWarning);
  auto concerns = model::health_concerns(h);
  using Draw = std::function<void(Lines&)>;
  const std::vector<Draw> figures{
      [&](Lines& x) { overload_lines(x, h.overload); },
      [&](Lines& x) { dos_lines(x, h.dos); },
      [&](Lines& x) { flags_lines(x, h.flags); },
      [&](Lines& x) { reachability_lines(x, h.reachability); },
      [&](Lines& x) { dns_lines(x, h.dns); },
      [&](Lines& x) { family_lines(x, h.family); },
      [&](Lines& x) { memory_lines(x, h.memory); },
      [&](Lines& x) { accounting_lines(x, h.accounting); },
      [&](Lines& x) { signing_lines(x, h.signing_key); },
  };
  for (std::size_t i = 0; i < concerns.size() && i < figures.size(); ++i) {
    l.heading(concerns[i].first, *concerns[i].second);
    figures[i](l);
  }
  change_lines(l, h);
  return l.take();
}

// Health of middle1 (updated 18:36:10 UTC, every 10 s; up/down scroll):
// overload        ok
//   source: descriptor, MetricsPort
//   published overload: none  rate limits hit: none  ...
// ...
// Changes this session (2, newest first, times UTC):
//   18:35:40 DoS/onionskins: ok -> warning, DoS defenses rejected 43 in 60 min
void draw_health(const model::Snapshot& snapshot, const HealthView& view, ui::Canvas& canvas) {
  int w = canvas.width();
  int h = canvas.height();
  if (w < 1 || h < 1) return;
  std::string title = "Health";
  if (!snapshot.relay.nickname.empty()) title += " of " + ui::sanitize(snapshot.relay.nickname);
  if (snapshot.health.updated) {
    title += fmt::format(" (updated {} UTC, every 10 s)", utc(*snapshot.health.updated));
  }
  canvas.put(0, 0, ui::ellipsize(title + ":", w), Role::kTitle);
  auto lines = health_lines(snapshot, w);
  int first = view.scroll.first_line(static_cast<int>(lines.size()), h - 1);
  for (int y = 1; y < h && first + y - 1 < static_cast<int>(lines.size()); ++y) {
    ui::draw_segments(canvas, 0, y, lines[static_cast<std::size_t>(first + y - 1)]);
  }
}

void layout_health(const model::Snapshot& snapshot, HealthView& view, int width, int height) {
  view.scroll.fit_window(static_cast<int>(health_lines(snapshot, width).size()), height - 1);
}

const std::vector<ui::Action>& health_actions() {
  static const std::vector<ui::Action> kActions{
      {"scroll", "up/down pgup/pgdn", "scroll the figures and the session's changes"},
  };
  return kActions;
}

Outcome handle_health_key(const model::Snapshot& snapshot, HealthView& view, int key) {
  Outcome out;
  // Width only changes how the figures flow; the count is close enough here
  // (layout_health corrects the window before drawing).
  out.handled = view.scroll.scroll(key, static_cast<int>(health_lines(snapshot, 80).size()));
  return out;
}

}  // namespace relaymon::panels
