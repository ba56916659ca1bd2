#include "export/snapshot_text.h"

#include <algorithm>
#include <array>
#include <vector>

#include <fmt/format.h>

#include "text/text.h"
#include "text/units.h"

namespace relaymon::exporter {
namespace {

using text::format_bytes;
using text::format_duration;
using text::format_rate;

std::string identity_line(const model::Snapshot& s) {
  const auto& r = s.relay;
  std::string who = r.nickname.empty() ? "tor" : r.nickname;
  if (!r.fingerprint.empty()) who += fmt::format(" ({})", r.fingerprint);
  return fmt::format("{} at {}, {} auth\n", who, s.control.endpoint,
                     s.control.auth == model::AuthMethod::kNone ? std::string_view("no")
                                                                : model::to_string(s.control.auth));
}

std::string tor_line(const model::Tor& t) {
  std::vector<std::string> parts;
  parts.push_back(fmt::format("tor {} ({})", t.version.empty() ? "?" : t.version,
                              t.version_status.empty() ? "status unknown" : t.version_status));
  if (t.uptime_seconds) parts.push_back("up " + format_duration(*t.uptime_seconds));
  parts.push_back(fmt::format("bootstrapped {}%", t.bootstrap_progress));
  if (!t.accounting_state.empty() && t.accounting_state != "awake")
    parts.push_back("accounting: " + t.accounting_state);
  if (t.network_liveness == "down") parts.push_back("network down");
  return "  " + text::join(parts, ", ") + "\n";
}

// Totals, limit, observed and weight: the figures an operator compares.
std::string traffic_line(const model::Tor& t) {
  std::vector<std::string> parts;
  if (t.traffic_read || t.traffic_written) {
    parts.push_back(fmt::format("{} read, {} written", format_bytes(t.traffic_read.value_or(0)),
                                format_bytes(t.traffic_written.value_or(0))));
  }
  if (t.bandwidth_rate) {
    std::string limit = "rate limit " + format_rate(static_cast<double>(*t.bandwidth_rate));
    if (t.bandwidth_burst)
      limit += " (burst " + format_rate(static_cast<double>(*t.bandwidth_burst)) + ")";
    parts.push_back(limit);
  }
  if (t.bandwidth_observed)
    parts.push_back("observed " + format_rate(static_cast<double>(*t.bandwidth_observed)));
  if (t.consensus_weight) {
    parts.push_back(fmt::format("consensus weight {}{}", *t.consensus_weight,
                                t.weight_unmeasured.value_or(false) ? " (unmeasured)" : ""));
  }
  if (parts.empty()) return {};
  return "  traffic: " + text::join(parts, "; ") + "\n";
}

std::string process_line(const model::TorProcess& p) {
  if (!p.pid) {
    return p.unavailable_reason.empty() ? std::string{}
                                        : "  process: " + p.unavailable_reason + "\n";
  }
  std::vector<std::string> parts;
  parts.push_back(p.user.empty() ? fmt::format("pid {}", *p.pid)
                                 : fmt::format("pid {} ({})", *p.pid, p.user));
  if (p.descriptors_used) {
    parts.push_back(p.descriptor_limit ? fmt::format("descriptors {} of {}", *p.descriptors_used,
                                                     *p.descriptor_limit)
                                       : fmt::format("descriptors {}", *p.descriptors_used));
  }
  if (p.cpu_percent) parts.push_back("cpu " + text::format_percent(*p.cpu_percent));
  if (p.rss_bytes) parts.push_back("memory " + format_bytes(*p.rss_bytes));
  return "  process: " + text::join(parts, ", ") + "\n";
}

// "42 (20 inbound-relay, 12 exit, ...)", biggest first; listeners apart.
std::string connections_line(const model::Snapshot& s) {
  constexpr std::size_t kCategories = static_cast<std::size_t>(model::Category::kUnexpected) + 1;
  std::array<long, kCategories> counts{};
  long total = 0;
  for (const auto& c : *s.connections) {
    if (c.category == model::Category::kListener) continue;
    ++counts[static_cast<std::size_t>(c.category)];
    ++total;
  }
  std::vector<std::pair<long, model::Category>> present;
  for (std::size_t i = 0; i < kCategories; ++i) {
    if (counts[i] > 0) present.emplace_back(counts[i], static_cast<model::Category>(i));
  }
  std::stable_sort(present.begin(), present.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> parts;
  for (const auto& [count, category] : present)
    parts.push_back(fmt::format("{} {}", count, model::to_string(category)));
  std::string line = fmt::format("  connections: {}", total);
  if (!parts.empty()) line += " (" + text::join(parts, ", ") + ")";
  if (s.crosscheck.matched || s.crosscheck.only_control || s.crosscheck.only_system) {
    line += fmt::format(
        "; tor and the system agree on {}, {} only tor reports, {} only the "
        "system shows",
        s.crosscheck.matched, s.crosscheck.only_control, s.crosscheck.only_system);
  }
  return line + "\n";
}

// One count per level, then each concern that is not ok.
std::string health_lines(const model::Health& h) {
  auto concerns = model::health_concerns(h);
  std::array<int, 4> counts{};
  for (const auto& [label, state] : concerns) ++counts[static_cast<int>(state->level)];
  using L = model::HealthLevel;
  if (counts[static_cast<int>(L::kOk)] + counts[static_cast<int>(L::kWarning)] +
          counts[static_cast<int>(L::kCritical)] ==
      0) {
    return {};  // not a relay, or nothing collected yet
  }
  std::vector<std::string> parts;
  for (L level : {L::kCritical, L::kWarning, L::kOk, L::kUnknown}) {
    int n = counts[static_cast<int>(level)];
    if (n) parts.push_back(fmt::format("{} {}", n, model::to_string(level)));
  }
  std::string out = "  health: " + text::join(parts, ", ") + "\n";
  for (const auto& [label, state] : concerns) {
    if (state->level == L::kOk) continue;
    out += fmt::format("    {:<16} {}\n", label, model::health_line(*state, 100));
  }
  return out;
}

std::string alert_lines(const std::vector<model::Alert>& alerts) {
  std::vector<const model::Alert*> active;
  for (const auto& a : alerts) {
    if (a.active) active.push_back(&a);
  }
  if (active.empty()) return "  alerts: none\n";
  std::string out = fmt::format("  alerts: {} active\n", active.size());
  for (const auto* a : active) {
    out += fmt::format("    {} {}{}{}\n", text::upper(model::to_string(a->severity)), a->id,
                       a->subject.empty() ? "" : " ", a->subject);
  }
  return out;
}

}  // namespace

std::string snapshot_text(const model::Snapshot& s, const std::string& same_tor_as) {
  std::string out = identity_line(s);
  if (!same_tor_as.empty())
    out += fmt::format("  the same tor as {}: its figures are listed there too\n", same_tor_as);
  if (!s.control.connected && !s.control.last_error.empty())
    out += "  not connected: " + s.control.last_error + "\n";
  out += tor_line(s.tor);
  out += traffic_line(s.tor);
  out += process_line(s.process);
  if (!s.relay.flags.empty()) out += "  flags: " + text::join(s.relay.flags, " ") + "\n";
  if (!s.relay.exit_policy_summary.empty())
    out += "  exit policy: " + s.relay.exit_policy_summary + "\n";
  out += connections_line(s);
  out += health_lines(s.health);
  out += alert_lines(s.alerts);
  return out;
}

std::string relay_label(const model::Snapshot& snapshot) {
  if (!snapshot.relay.nickname.empty()) return snapshot.relay.nickname;
  return snapshot.control.endpoint.empty() ? "tor" : snapshot.control.endpoint;
}

}  // namespace relaymon::exporter
