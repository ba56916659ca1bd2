// Rules over tor's status, the process and events.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>

#include "analysis/rules_internal.h"
#include "text/time.h"

namespace relaymon::analysis::detail {

std::vector<Finding> crosscheck_mismatch(RuleContext& c) {
  const auto& x = c.snapshot.crosscheck;
  if (x.persistent.empty()) return {};
  std::string list;
  for (std::size_t i = 0; i < x.persistent.size() && i < 5; ++i) {
    list += (list.empty() ? "" : "; ") + x.persistent[i];
  }
  Finding f;
  f.subject = "control port vs system";
  f.evidence = {{"matched", std::to_string(x.matched)},
                {"only_control", std::to_string(x.only_control)},
                {"only_system", std::to_string(x.only_system)},
                {"persistent", std::to_string(x.persistent.size())},
                {"examples", list}};
  f.explanation = fmt::format(
      "For several polls in a row, tor's own list of OR connections and the sockets the system "
      "shows for tor's process disagree ({} only known to tor, {} only seen by the system). "
      "Brief differences are normal lag; persistent ones mean either tor is not telling the "
      "whole story or another process is using tor's sockets.",
      x.only_control, x.only_system);
  f.action =
      "Compare `ss -tnp` with GETINFO orconn-status by hand; make sure relaymon reads the "
      "right tor (pid) and that no other program runs as tor's user.";
  return {f};
}

std::vector<Finding> descriptors_near_limit(RuleContext& c) {
  const auto& p = c.snapshot.process;
  if (!p.descriptors_used || !p.descriptor_limit || *p.descriptor_limit <= 0) return {};
  double ratio =
      static_cast<double>(*p.descriptors_used) / static_cast<double>(*p.descriptor_limit);
  double warn = c.settings.param("warning_ratio");
  double crit = c.settings.param("critical_ratio");
  // Hysteresis: once raised, it stays until the ratio falls a margin below.
  double threshold = c.active("file descriptors") ? warn - c.settings.param("clear_margin") : warn;
  if (ratio < threshold) return {};
  Finding f;
  f.subject = "file descriptors";
  f.severity = ratio >= crit ? model::Severity::kCritical : model::Severity::kWarning;
  f.evidence = {{"used", std::to_string(*p.descriptors_used)},
                {"limit", std::to_string(*p.descriptor_limit)},
                {"percent", fmt::format("{:.0f}", ratio * 100)}};
  f.explanation = fmt::format(
      "tor uses {} of its {} file descriptors ({:.0f} %). Every connection needs one; at the "
      "limit tor refuses new connections and clients and relays fail to reach it.",
      *p.descriptors_used, *p.descriptor_limit, ratio * 100);
  f.action =
      "Raise the limit (LimitNOFILE in tor's systemd unit, or ulimit -n) and restart "
      "tor; ConnLimit in torrc must stay below it.";
  return {f};
}

std::vector<Finding> circuit_stuck(RuleContext& c) {
  const double limit = c.settings.param("seconds");
  long stuck = 0;
  double oldest = 0;
  std::string oldest_id;
  for (const auto& circuit : c.snapshot.circuits) {
    if (circuit.status == "BUILT" || circuit.status == "FAILED" || circuit.status == "CLOSED" ||
        !circuit.created) {
      continue;
    }
    double age = std::chrono::duration<double>(c.now - *circuit.created).count();
    if (age < limit) continue;
    ++stuck;
    if (age > oldest) {
      oldest = age;
      oldest_id = circuit.id;
    }
  }
  if (stuck == 0 || static_cast<double>(stuck) < c.settings.param("min_circuits")) return {};
  Finding f;
  f.subject = "origin circuits";
  f.evidence = {{"stuck", std::to_string(stuck)},
                {"oldest_seconds", fmt::format("{:.0f}", oldest)},
                {"oldest_id", oldest_id}};
  f.explanation = fmt::format(
      "{} circuit(s) this tor built itself have been unfinished for more than {:.0f} s (the "
      "oldest, {}, for {:.0f} s). Circuits normally build in seconds; stuck ones point to a "
      "network problem, an overloaded relay, or a clock that is far off.",
      stuck, limit, oldest_id, oldest);
  f.action =
      "Check the network path, the system clock (timedatectl) and tor's log for "
      "circuit errors.";
  return {f};
}

// REACHABILITY_FAILED is left to reachability-failing (rules_health.cpp),
// which tells IPv4 from IPv6: one failure raises one alert, not two. This
// rule keeps a rejected descriptor and a relay that never confirmed
// reachability (no REACHABILITY_SUCCEEDED, not listed, past startup_seconds).
std::vector<Finding> orport_unreachable(RuleContext& c) {
  const auto& s = c.snapshot;
  if (s.relay.fingerprint.empty()) return {};
  std::vector<Finding> out;
  // Failures tor reported since the previous round.
  std::map<std::string, long> by_action;
  for (const auto& [time, action] : s.tor.reachability_failures) {
    if (time > c.memory.reachability_seen && action != "REACHABILITY_FAILED") ++by_action[action];
  }
  if (!s.tor.reachability_failures.empty()) {
    c.memory.reachability_seen = s.tor.reachability_failures.back().first;
  }
  for (const auto& [action, count] : by_action) {
    Finding f;
    f.subject = action;
    f.severity = model::Severity::kCritical;
    f.occurrences = count;
    f.evidence = {{"event", "STATUS_SERVER " + action}, {"count", std::to_string(count)}};
    f.explanation =
        action == "BAD_SERVER_DESCRIPTOR"
            ? "A directory authority rejected this relay's descriptor, so it will not be in the "
              "consensus and receives no traffic."
            : "tor tried to reach its own ORPort from outside and failed: other relays and "
              "clients cannot connect to it, so it will not be used.";
    f.action = action == "BAD_SERVER_DESCRIPTOR"
                   ? "Read tor's log for the authority's reason (clock skew, bad address, "
                     "obsolete version) and fix it."
                   : "Open the ORPort in the firewall and forward it on the router; check "
                     "Address/ORPort in torrc.";
    out.push_back(std::move(f));
  }
  const double startup = c.settings.param("startup_seconds");
  bool succeeded = s.tor.reachability_succeeded.has_value();
  if (!succeeded && !s.relay.in_consensus && s.tor.uptime_seconds &&
      static_cast<double>(*s.tor.uptime_seconds) > startup) {
    Finding f;
    f.subject = "no reachability confirmation";
    f.evidence = {{"uptime_seconds", std::to_string(*s.tor.uptime_seconds)},
                  {"in_consensus", "no"}};
    f.explanation = fmt::format(
        "tor has run for {} s without confirming that its ORPort is reachable and the relay is "
        "not in the consensus. Relays normally confirm reachability within minutes of starting.",
        *s.tor.uptime_seconds);
    f.action =
        "Check that the ORPort is open from outside (firewall, NAT forwarding) and read "
        "tor's log for \"reachability\" messages.";
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<Finding> tor_version(RuleContext& c) {
  const auto& t = c.snapshot.tor;
  const std::string& status = t.version_status;
  if (status != "obsolete" && status != "unrecommended" && status != "old") return {};
  Finding f;
  f.subject = fmt::format("tor {}", t.version.empty() ? "(unknown version)" : t.version);
  f.severity = model::Severity::kWarning;
  f.evidence = {{"version", t.version}, {"status", status}};
  f.explanation = fmt::format(
      "The directory authorities list tor {} as {}: it may lack security fixes, and relays on "
      "unrecommended versions can be rejected from the network.",
      t.version, status);
  f.action = "Upgrade tor from your distribution or deb.torproject.org and restart it.";
  return {f};
}

std::vector<Finding> control_port_open(RuleContext& c) {
  const auto& control = c.snapshot.control;
  if (!control.connected || control.auth != model::AuthMethod::kNone) return {};
  const std::string& e = control.endpoint;
  if (e.empty() || e.front() == '/' || e.rfind("unix:", 0) == 0) return {};
  bool loopback =
      e.rfind("127.", 0) == 0 || e.rfind("[::1]", 0) == 0 || e.rfind("localhost", 0) == 0;
  Finding f;
  f.subject = e;
  f.severity = loopback ? model::Severity::kWarning : model::Severity::kCritical;
  f.evidence = {{"endpoint", e}, {"authentication", "none"}};
  f.explanation = fmt::format(
      "tor's control port {} accepts commands without any authentication. {} can read the "
      "relay's state, change its configuration and shut it down.",
      e,
      loopback ? "Every local user and every local program (including a browser visiting a "
                 "malicious page)"
               : "Anyone who can reach this address");
  f.action =
      "Set CookieAuthentication 1 (or HashedControlPassword) in torrc, or use a "
      "ControlSocket instead, and reload tor.";
  return {f};
}

// SafeLogging 0 (or "relay") makes tor write client addresses and exit
// destinations into its own logs, on disk and to controllers: relaymon
// scrubs what it shows, but tor's log files still hold them. Silent on a
// private test network (TestingTorNetwork 1: no users to protect, and its
// logs are kept whole on purpose) and while the value is unknown.
std::vector<Finding> safe_logging_off(RuleContext& c) {
  const auto& t = c.snapshot.tor;
  if (t.testing_network || t.safe_logging.empty() || t.safe_logging == "1") return {};
  Finding f;
  f.subject = "SafeLogging " + t.safe_logging;
  f.severity = t.safe_logging == "0" ? model::Severity::kWarning : model::Severity::kInfo;
  f.evidence = {{"SafeLogging", t.safe_logging}};
  f.explanation =
      t.safe_logging == "0"
          ? "tor writes client addresses, exit destinations and hostnames into its logs "
            "unscrubbed. relaymon scrubs everything it shows, but tor's own log files (and any "
            "other controller) hold them: a disclosure risk for the relay's users."
          : "SafeLogging relay scrubs only what tor logs as a relay; what it logs as a client "
            "keeps addresses.";
  f.action = "Set SafeLogging 1 in torrc (the default) and reload tor; delete old logs.";
  return {f};
}

// relaymon cannot reach tor's control port (never reached, or lost). The
// subject is the control endpoint the operator gave, never a peer's
// address. Held 30 s by default: tor restarting or reloading its control
// listener takes a few seconds and is no alarm.
std::vector<Finding> tor_unreachable(RuleContext& c) {
  const auto& control = c.snapshot.control;
  if (control.connected) return {};
  auto since = control.disconnected_since;
  if (!since) return {};  // still connecting for the first time
  Finding f;
  f.subject = control.endpoint.empty() ? "tor" : control.endpoint;
  f.severity = model::Severity::kCritical;
  f.evidence = {{"since", text::iso8601(*since)},
                {"reason", control.last_error.empty() ? "unknown" : control.last_error}};
  if (control.reconnect_attempt > 0)
    f.evidence.emplace_back("attempts", std::to_string(control.reconnect_attempt));
  f.explanation =
      control.connected_since
          ? "relaymon lost its connection to tor's control port and cannot make a new one: tor "
            "stopped, crashed or restarted with another control port. Nothing relaymon shows is "
            "current until it reconnects."
          : "relaymon has never reached tor's control port at this address: tor is not running, "
            "listens elsewhere, or refuses the connection.";
  f.action = control.gave_up
                 ? "Fix what the reason says (the password, the cookie's permissions), then "
                   "start relaymon again."
                 : "Check that tor runs (systemctl status tor@default) and that ControlPort or "
                   "ControlSocket in its torrc match relaymon's -i/-s. relaymon keeps retrying.";
  return {f};
}

namespace {

// Warnings a private test network (TestingTorNetwork 1) logs by design: its
// minutes-long voting schedule makes relays ask for consensuses that do not
// exist yet and authorities receive late votes; in its first minutes too
// few relays carry the flags a path needs ("No available nodes"), and a
// network of a dozen relays cannot satisfy vanguards-lite's layer-2
// restrictions; fresh authorities have no SR state or approved-routers;
// and a relay's path-bias counters for its one or two guards are dominated
// by the circuits it built while the network's first consensuses lagged
// (seen in CI: "Guard middle1 ... is failing an extremely large amount of
// circuits", 2/151, minutes after start under load). They say
// nothing about the relay, so tor-warnings does not alert on them there
// (the log page still shows them). On the public network (TestingTorNetwork
// 0) every warning counts.
bool expected_on_test_network(std::string_view message) {
  static constexpr std::string_view kExpected[] = {
      "TestingTorNetwork is set",
      "to specify alternate directory authorities",
      "while fetching consensus directory",
      "(\"Not found\") from server",
      "Could not find a node that matches the configured _HSLayer2Nodes",
      "Posted vote received too late",
      "posted vote from",
      "VAuthVotingInterval is very low",
      "enough votes to generate a consensus",
      "Not enough info to publish pending",
      "Error publishing ns consensus",
      "Error publishing microdesc consensus",
      "No available nodes when trying to choose node",
      "SR: Unable to read SR state file",
      "sr-state\": No such file or directory",
      "approved-routers",
      "is failing an extremely large amount of circuits",
      "is failing a very large amount of circuits",
  };
  for (auto expected : kExpected) {
    if (message.find(expected) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

std::vector<Finding> tor_warnings(RuleContext& c) {
  struct Group {
    std::string severity;
    long count = 0;
  };
  std::map<std::string, Group> by_message;
  // tor's WARN/ERR entries logged since the previous round (already scrubbed).
  std::uint64_t newest = c.memory.log_sequence;
  for (const auto& log : c.snapshot.log) {
    if (log.sequence <= c.memory.log_sequence) continue;
    newest = std::max(newest, log.sequence);
    if (log.source != model::LogSource::kTor) continue;
    if (log.severity != "WARN" && log.severity != "ERR") continue;
    if (c.snapshot.tor.testing_network && expected_on_test_network(log.message)) continue;
    std::string message = log.message.substr(0, 300);
    Group& g = by_message[message];
    if (g.severity != "ERR") g.severity = log.severity;
    // A folded entry's repeats have consecutive sequence numbers ending at
    // its own: count those newer than the previous round.
    g.count += static_cast<long>(std::min<std::uint64_t>(static_cast<std::uint64_t>(log.repeats),
                                                         log.sequence - c.memory.log_sequence));
  }
  c.memory.log_sequence = newest;
  std::vector<Finding> out;
  for (const auto& [message, g] : by_message) {
    Finding f;
    f.subject = message;
    f.severity = g.severity == "ERR" ? model::Severity::kCritical : model::Severity::kWarning;
    f.occurrences = g.count;
    f.evidence = {{"severity", g.severity}, {"count", std::to_string(g.count)}};
    f.explanation = "tor logged this at " + g.severity +
                    " level. Warnings mean tor noticed something wrong that may affect the "
                    "relay; errors usually mean it could not do something it needed to.";
    f.action =
        "Read the message; tor's manual and the Tor relay guide explain most of them. "
        "The alert clears after it has not recurred for the clear time.";
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace relaymon::analysis::detail
