#include "panels/header.h"

#include <fmt/format.h>

#include "panels/format.h"
#include "ui/text.h"

namespace relaymon::panels {

using ui::Role;
using ui::Segments;

ui::Role descriptor_role(double percent) {
  if (percent >= 95) return Role::kCritical;
  if (percent >= 90) return Role::kWarning;
  if (percent >= 60) return Role::kAccent;
  return Role::kGood;
}

ui::Role version_role(const std::string& status) {
  if (status == "recommended") return Role::kGood;
  if (status == "obsolete" || status == "unrecommended" || status == "old") return Role::kCritical;
  if (status == "new" || status == "new in series") return Role::kAccent;
  return Role::kValue;
}

namespace {

Segments field(std::string label, std::string value, Role role = Role::kValue) {
  return {{std::move(label), Role::kLabel}, {std::move(value), role}};
}

std::string endpoint(const std::string& address, std::uint16_t port) {
  std::string shown = ui::sanitize(address.empty() ? "?" : address);
  if (shown.find(':') != std::string::npos) shown = "[" + shown + "]";
  return fmt::format("{}:{}", shown, port);
}

Segments alert_counts(const model::Snapshot& s, const HeaderView& view) {
  long counts[3] = {0, 0, 0};
  for (const model::Alert& a : s.alerts) {
    if (a.active) ++counts[static_cast<int>(a.severity)];
  }
  long acknowledged = 0;
  for (int i = 0; i < 3; ++i) {
    long hidden = std::min(counts[i], view.acknowledged[static_cast<std::size_t>(i)]);
    counts[i] -= hidden;
    acknowledged += hidden;
  }
  if (counts[0] + counts[1] + counts[2] == 0) {
    Segments out = field("alerts: ", "none", Role::kGood);
    if (acknowledged > 0)
      out.push_back({fmt::format(" ({} acknowledged)", acknowledged), Role::kDim});
    return out;
  }
  Segments out{{"alerts: ", Role::kLabel}};
  const char* names[3] = {"info", "warning", "critical"};
  Role roles[3] = {Role::kValue, Role::kWarning, Role::kCritical};
  bool first = true;
  for (int i = 2; i >= 0; --i) {
    if (counts[i] == 0) continue;
    if (!first) out.push_back({", ", Role::kNormal});
    out.push_back({fmt::format("{} {}", counts[i], names[i]), roles[i]});
    first = false;
  }
  if (acknowledged > 0)
    out.push_back({fmt::format(" (+{} acknowledged)", acknowledged), Role::kDim});
  return out;
}

}  // namespace

// relaymon - relay1 (Linux 6.1.0)  Tor 0.4.9.11 (recommended)  relay 1/3
// labrelay3 - 203.0.113.5:9001  DirPort 9030  control 127.0.0.1:9051 (safecookie)
// pid: 4242  alerts: 1 warning  fds: 345/1024 (34%)  uptime: 3d 04h  mem: 120 MiB
// cpu: 3.2% tor, 0.4% relaymon  exit policy: reject *:*  accounting: awake
// fingerprint: 1A94D1A794FCB2F8B6CBC179EF8FDD4008A98D3B
// flags: Fast, Guard, Running                                  (80 columns)
// (health first: when the terminal is short the last rows are the ones cut)
std::vector<ui::Segments> header_rows(const model::Snapshot& s, const HeaderView& view, int width) {
  std::vector<std::vector<Segments>> lines;
  const model::Relay& r = s.relay;
  const model::TorProcess& p = s.process;

  std::vector<Segments> identity{
      {{"relaymon", Role::kTitle},
       {" - " + ui::sanitize(s.host.empty() ? "?" : s.host), Role::kNormal}}};
  if (!s.tor.version.empty()) {
    Segments version{{"Tor ", Role::kLabel}, {ui::sanitize(s.tor.version), Role::kValue}};
    if (!s.tor.version_status.empty()) {
      version.push_back(
          {" (" + ui::sanitize(s.tor.version_status) + ")", version_role(s.tor.version_status)});
    }
    identity.push_back(std::move(version));
  }
  if (view.relay_count > 1) {
    identity.push_back(
        {{fmt::format("relay {}/{}", view.relay_index + 1, view.relay_count), Role::kAccent}});
  }
  if (!view.same_tor_as.empty()) {
    identity.push_back({{"same tor as " + ui::sanitize(view.same_tor_as), Role::kWarning}});
  }
  lines.push_back(std::move(identity));

  std::vector<Segments> details;
  std::string nickname = r.nickname.empty() ? "Unnamed" : ui::sanitize(r.nickname);
  if (r.or_port != 0) {
    details.push_back({{nickname, Role::kTitle}, {" - " + endpoint(r.address, r.or_port)}});
  } else if (!s.control.connected && r.nickname.empty()) {
    details.push_back({{"relay unknown until tor answers", Role::kDim}});
  } else {
    details.push_back({{nickname, Role::kTitle}, {" - not a relay (no ORPort)", Role::kDim}});
  }
  if (r.dir_port != 0) details.push_back(field("DirPort ", fmt::format("{}", r.dir_port)));
  Segments control{
      {"control ", Role::kLabel},
      {ui::sanitize(s.control.endpoint.empty() ? "?" : s.control.endpoint), Role::kValue},
      {" (", Role::kNormal}};
  // Never authenticated: the method is not known, and "no auth" would be a lie.
  bool never = !s.control.connected && !s.control.connected_since;
  bool open = !never && s.control.auth == model::AuthMethod::kNone;
  control.push_back({never  ? "not connected"
                     : open ? "no auth"
                            : std::string(model::to_string(s.control.auth)),
                     never  ? Role::kWarning
                     : open ? Role::kCritical
                            : Role::kValue});
  control.push_back({")", Role::kNormal});
  details.push_back(std::move(control));
  details.push_back(field("pid: ", p.pid ? fmt::format("{}", *p.pid) : "n/a"));

  // The addresses, health and usage flow as one line: each row is filled
  // before the next begins, so 80 columns need six rows, not seven.
  details.push_back(alert_counts(s, view));
  if (p.descriptors_used && p.descriptor_limit && *p.descriptor_limit > 0) {
    double pct =
        100.0 * static_cast<double>(*p.descriptors_used) / static_cast<double>(*p.descriptor_limit);
    details.push_back(field(
        "fds: ",
        fmt::format("{}/{} ({})", *p.descriptors_used, *p.descriptor_limit, format_percent(pct)),
        descriptor_role(pct)));
  } else {
    details.push_back(field("fds: ", "n/a", Role::kDim));
  }
  details.push_back(
      field("uptime: ", s.tor.uptime_seconds ? format_duration(*s.tor.uptime_seconds) : "n/a"));
  details.push_back(field("mem: ", p.rss_bytes ? format_bytes(*p.rss_bytes) : "n/a"));

  Segments cpu{{"cpu: ", Role::kLabel}};
  cpu.push_back({p.cpu_percent ? format_percent(*p.cpu_percent) : "n/a", Role::kValue});
  cpu.push_back({" tor, ", Role::kNormal});
  cpu.push_back(
      {s.relaymon_cpu_percent ? format_percent(*s.relaymon_cpu_percent) : "n/a", Role::kValue});
  cpu.push_back({" relaymon", Role::kNormal});
  details.push_back(std::move(cpu));
  if (r.or_port != 0) {
    details.push_back(
        field("exit policy: ",
              r.exit_policy_summary.empty() ? "unknown" : ui::sanitize(r.exit_policy_summary),
              r.is_exit ? Role::kFlagExit : Role::kValue));
  }
  if (s.tor.accounting_enabled) {
    details.push_back(
        field("accounting: ",
              s.tor.accounting_state.empty() ? "enabled" : ui::sanitize(s.tor.accounting_state),
              s.tor.accounting_state == "hibernating" ? Role::kWarning : Role::kValue));
  }
  // tor logs addresses unscrubbed: said where the operator always looks
  // (the safe-logging-off alert explains it).
  if (!s.tor.safe_logging.empty() && s.tor.safe_logging != "1") {
    details.push_back(field("SafeLogging: ", ui::sanitize(s.tor.safe_logging), Role::kWarning));
  }
  lines.push_back(std::move(details));

  std::vector<Segments> identity2;
  if (!r.fingerprint.empty()) {
    identity2.push_back(field("fingerprint: ", ui::sanitize(r.fingerprint)));
  }
  Segments flags{{"flags: ", Role::kLabel}};
  if (r.flags.empty()) {
    flags.push_back({r.in_consensus ? "none" : "not in the consensus", Role::kDim});
  }
  for (std::size_t i = 0; i < r.flags.size(); ++i) {
    if (i > 0) flags.push_back({", ", Role::kNormal});
    flags.push_back({ui::sanitize(r.flags[i]), ui::flag_role(r.flags[i])});
  }
  if (r.or_port != 0 || !r.flags.empty()) identity2.push_back(std::move(flags));
  if (!identity2.empty()) lines.push_back(std::move(identity2));

  return ui::flow(lines, width);
}

void draw_header(const model::Snapshot& snapshot, const HeaderView& view, ui::Canvas& canvas) {
  auto rows = header_rows(snapshot, view, canvas.width());
  for (int y = 0; y < canvas.height() && y < static_cast<int>(rows.size()); ++y) {
    ui::draw_segments(canvas, 0, y, rows[static_cast<std::size_t>(y)]);
  }
}

}  // namespace relaymon::panels
