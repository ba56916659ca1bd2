#include "export/snapshot_text.h"

#include <fmt/format.h>

namespace relaymon::exporter {

std::string snapshot_text(const model::Snapshot& s) {
  std::string out;
  const auto& r = s.relay;
  const auto& t = s.tor;
  out += fmt::format("{} {} at {} ({} auth)\n", r.nickname.empty() ? "tor" : r.nickname,
                     r.fingerprint.empty() ? "(not a relay)" : r.fingerprint, s.control.endpoint,
                     model::to_string(s.control.auth));
  out += fmt::format("  tor {} ({}), uptime {}s, bootstrap {}%\n", t.version,
                     t.version_status.empty() ? "status unknown" : t.version_status,
                     t.uptime_seconds.value_or(0), t.bootstrap_progress);
  out += fmt::format("  traffic read {} B, written {} B\n", t.traffic_read.value_or(0),
                     t.traffic_written.value_or(0));
  if (s.process.pid) {
    out +=
        fmt::format("  pid {} user {} descriptors {}/{}\n", *s.process.pid, s.process.user,
                    s.process.descriptors_used ? std::to_string(*s.process.descriptors_used) : "?",
                    s.process.descriptor_limit ? std::to_string(*s.process.descriptor_limit) : "?");
  }
  if (!r.flags.empty()) {
    std::string flags;
    for (const auto& f : r.flags) flags += (flags.empty() ? "" : " ") + f;
    out += fmt::format("  flags {}\n", flags);
  }
  if (!r.exit_policy_summary.empty())
    out += fmt::format("  exit policy {}\n", r.exit_policy_summary);
  return out;
}

std::string relay_label(const model::Snapshot& snapshot) {
  if (!snapshot.relay.nickname.empty()) return snapshot.relay.nickname;
  return snapshot.control.endpoint.empty() ? "tor" : snapshot.control.endpoint;
}

}  // namespace relaymon::exporter
