// Rules over the classified (already scrubbed) connections.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <unordered_set>

#include "analysis/peers.h"
#include "analysis/rules_internal.h"
#include "model/ip.h"
#include "model/reserved.h"

namespace relaymon::analysis::detail {

using model::Category;
using model::Connection;

namespace {

double seconds(model::TimePoint::duration d) {
  return std::chrono::duration<double>(d).count();
}

std::string describe(const Connection& c) {
  std::string peer =
      c.relay_nickname.empty()
          ? fmt::format("{}:{}", c.remote.address, c.remote.port)
          : fmt::format("{} ({}:{})", c.relay_nickname, c.remote.address, c.remote.port);
  if (c.category == Category::kExit) {
    peer = fmt::format("{} port {}{}", c.remote.address, c.remote.port,
                       c.service.empty() ? "" : " (" + c.service + ")");
  }
  return fmt::format("{} {} local port {}", model::to_string(c.category), peer, c.local.port);
}

// The reserved range a scrubbed remote stands for ("10.0.0.0/8"), if any.
std::optional<std::string> reserved_of(const model::Endpoint& remote) {
  if (remote.address.find('/') != std::string::npos) return remote.address;
  if (auto ip = model::IpAddr::parse(remote.address)) {
    if (auto range = model::reserved_range(*ip)) return std::string(*range);
  }
  return std::nullopt;
}

}  // namespace

std::vector<Finding> asymmetric_traffic(RuleContext& c) {
  const double factor = c.settings.param("factor");
  const double floor = c.settings.param("floor_bytes");
  const double window = c.settings.param("window");
  std::vector<Finding> out;
  auto judge = [&](const std::string& subject, double in, double out_bytes, const char* what) {
    double big = std::max(in, out_bytes);
    double small = std::max(std::min(in, out_bytes), 1.0);
    if (big < floor || big < factor * small) return;
    Finding f;
    f.subject = subject;
    f.severity = model::Severity::kInfo;
    f.evidence = {{"bytes_in", fmt::format("{:.0f}", in)},
                  {"bytes_out", fmt::format("{:.0f}", out_bytes)},
                  {"ratio", fmt::format("{:.0f}", big / small)},
                  {"window_seconds", fmt::format("{:.0f}", window)}};
    f.explanation = fmt::format(
        "This {} moved {} in one direction but only {} in the other within {:.0f} s. A large "
        "download or upload through the relay looks like this and is usually harmless; a "
        "connection that only ever sends or only ever receives for a long time can also be a "
        "traffic-confirmation or bandwidth-inflation attempt.",
        what, human_bytes(big), human_bytes(small), window);
    f.action =
        "Usually none. If it persists for hours on the same connection, compare with "
        "tor's own counters (BW, CIRC_BW) and report it to the network health team.";
    out.push_back(std::move(f));
  };
  auto& volumes = c.memory.volumes;
  std::unordered_set<std::uint64_t> present;
  for (const Connection& conn : c.snapshot.connections) {
    if (!conn.bytes_in || !conn.bytes_out || conn.category == Category::kListener ||
        conn.category == Category::kControl) {
      continue;
    }
    present.insert(conn.key);
    auto& samples = volumes[conn.key];
    samples.emplace_back(c.now, *conn.bytes_in, *conn.bytes_out);
    while (!samples.empty() && seconds(c.now - std::get<0>(samples.front())) > window) {
      samples.erase(samples.begin());
    }
    double in = static_cast<double>(*conn.bytes_in);
    double out_bytes = static_cast<double>(*conn.bytes_out);
    // A connection older than the window: only what moved within it counts.
    if (seconds(c.now - conn.first_seen) > window && samples.size() > 1) {
      in -= static_cast<double>(std::get<1>(samples.front()));
      out_bytes -= static_cast<double>(std::get<2>(samples.front()));
    }
    judge(describe(conn), in, out_bytes, "connection");
  }
  std::erase_if(volumes, [&](const auto& kv) { return !present.count(kv.first); });
  // Origin circuits: CIRC_BW totals, only what moved within the window.
  auto& circuit_volumes = c.memory.circuit_volumes;
  std::set<std::string, std::less<>> circuits;
  for (const model::Circuit& circuit : c.snapshot.circuits) {
    circuits.insert(circuit.id);
    auto& samples = circuit_volumes[circuit.id];
    samples.emplace_back(c.now, circuit.bytes_read, circuit.bytes_written);
    while (samples.size() > 1 && seconds(c.now - std::get<0>(samples.front())) > window) {
      samples.erase(samples.begin());
    }
    double in = static_cast<double>(circuit.bytes_read - std::get<1>(samples.front()));
    double out_bytes = static_cast<double>(circuit.bytes_written - std::get<2>(samples.front()));
    if (samples.size() == 1) {
      in = static_cast<double>(circuit.bytes_read);
      out_bytes = static_cast<double>(circuit.bytes_written);
    }
    judge(fmt::format("origin circuit {}", circuit.id), in, out_bytes, "circuit");
  }
  std::erase_if(circuit_volumes, [&](const auto& kv) { return !circuits.count(kv.first); });
  return out;
}

std::vector<Finding> unestablished_exit(RuleContext& c) {
  const double stuck = c.settings.param("stuck_seconds");
  const double min_count = std::max(1.0, c.settings.param("min_connections"));
  struct Group {
    long count = 0;
    double oldest = 0;
    std::string service;
  };
  std::map<std::uint16_t, Group> by_port;
  for (const Connection& conn : c.snapshot.connections) {
    if (conn.category != Category::kExit || conn.state != "SYN-SENT") continue;
    double age = seconds(c.now - conn.first_seen);
    if (age < stuck) continue;
    Group& g = by_port[conn.remote.port];
    ++g.count;
    g.oldest = std::max(g.oldest, age);
    if (g.service.empty()) g.service = conn.service;
  }
  auto policy = exit_policy_of(c.snapshot);
  std::vector<Finding> out;
  for (const auto& [port, g] : by_port) {
    if (static_cast<double>(g.count) < min_count) continue;
    Finding f;
    f.subject = fmt::format("port {}{}", port, g.service.empty() ? "" : " (" + g.service + ")");
    f.severity = model::Severity::kWarning;
    bool accepted = policy && policy->accepts_public_port(port);
    f.evidence = {{"port", std::to_string(port)},
                  {"syn_sent", std::to_string(g.count)},
                  {"oldest_seconds", fmt::format("{:.0f}", g.oldest)},
                  {"policy_accepts_port", accepted ? "yes" : "no"}};
    f.explanation = fmt::format(
        "{} exit connection(s) to port {} have been waiting for the destination to answer "
        "(SYN-SENT) for up to {:.0f} s. Users whose streams leave through this relay on that port "
        "see timeouts.{}",
        g.count, port, g.oldest,
        accepted ? " Your exit policy accepts this port, so a firewall (host, hosting provider "
                   "or upstream) probably drops outbound traffic to it."
                 : "");
    f.action = accepted ? fmt::format(
                              "Check outbound firewall rules for TCP port {} (iptables/nft, "
                              "the provider's panel); if the port cannot be opened, reject "
                              "it in ExitPolicy so clients pick another exit.",
                              port)
                        : "If only a few destinations are affected this is their problem; if "
                          "every destination on the port fails, check the outbound firewall.";
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<Finding> private_address(RuleContext& c) {
  struct Group {
    long count = 0;
    std::vector<std::uint16_t> ports;
    bool allowed_by_policy = true;
  };
  std::map<std::string, Group> by_range;
  auto policy = exit_policy_of(c.snapshot);
  for (const Connection& conn : c.snapshot.connections) {
    if (conn.direction != model::Direction::kOutbound) continue;
    if (conn.category != Category::kExit && conn.category != Category::kUnexpected) continue;
    auto range = reserved_of(conn.remote);
    if (!range) continue;
    Group& g = by_range[*range];
    ++g.count;
    if (std::find(g.ports.begin(), g.ports.end(), conn.remote.port) == g.ports.end() &&
        g.ports.size() < 10) {
      g.ports.push_back(conn.remote.port);
    }
    if (policy) {
      std::string network = range->substr(0, range->find('/'));
      if (!policy->allows(network, conn.remote.port)) g.allowed_by_policy = false;
    }
  }
  std::vector<Finding> out;
  for (const auto& [range, g] : by_range) {
    const auto& reject_setting = c.snapshot.relay.exit_policy_reject_private;
    bool reject_private = reject_setting.value_or(!g.allowed_by_policy);
    std::string ports;
    for (auto p : g.ports) ports += (ports.empty() ? "" : ",") + std::to_string(p);
    Finding f;
    f.subject = range;
    f.severity = reject_private ? model::Severity::kCritical : model::Severity::kWarning;
    f.evidence = {
        {"range", range},
        {"connections", std::to_string(g.count)},
        {"ports", ports},
        {"exit_policy_reject_private", reject_setting ? (*reject_setting ? "1" : "0") : "unknown"}};
    if (reject_private) {
      f.explanation = fmt::format(
          "tor has {} connection(s) to {} although ExitPolicyRejectPrivate is on: tor should "
          "never open these. Something on this host (a compromised tor, another process sharing "
          "its user, or a misconfigured proxy) is reaching private addresses through it.",
          g.count, range);
      f.action =
          "Check which program owns these sockets, the tor binary's origin and its "
          "configuration; report it to the Tor Project if tor itself does it.";
    } else {
      f.explanation = fmt::format(
          "Exit traffic goes to {} ({} connection(s), ports {}), a private or reserved range. "
          "Your exit policy allows it (ExitPolicyRejectPrivate 0), so any Tor user can reach "
          "services on this host's local networks through your relay.",
          range, g.count, ports);
      f.action =
          "Unless this is a test network, set ExitPolicyRejectPrivate 1 (the default) "
          "and reload tor.";
    }
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<Finding> non_relay_outbound(RuleContext& c) {
  const auto& relay = c.snapshot.relay;
  if (relay.fingerprint.empty() || relay.is_exit) return {};
  std::map<std::string, long> by_peer;
  for (const Connection& conn : c.snapshot.connections) {
    if (conn.category != Category::kUnexpected || conn.direction != model::Direction::kOutbound) {
      continue;
    }
    ++by_peer[fmt::format("{}:{}", conn.remote.address, conn.remote.port)];
  }
  std::vector<Finding> out;
  for (const auto& [peer, count] : by_peer) {
    Finding f;
    f.subject = peer;
    f.evidence = {{"peer", peer}, {"connections", std::to_string(count)}};
    f.explanation = fmt::format(
        "This relay's exit policy rejects everything, yet tor has {} outbound connection(s) to "
        "{}, which is neither a relay in the consensus, a directory authority, a name server "
        "nor a hidden-service target. A non-exit relay has no reason to connect there.",
        count, peer);
    f.action =
        "Check whether another program shares tor's process or user, whether a "
        "HiddenServicePort or proxy setting explains it, and whether the consensus is "
        "current; treat it as a possible compromise if nothing does.";
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<Finding> connection_flood(RuleContext& c) {
  const double limit = c.settings.param("max_connections");
  std::vector<Finding> out;
  for (const PeerCount& p : count_peers(c.snapshot.connections.get())) {
    if (static_cast<double>(p.count) <= limit) continue;
    Finding f;
    f.subject = p.description;
    f.evidence = {{"connections", std::to_string(p.count)},
                  {"max_connections", fmt::format("{:.0f}", limit)}};
    f.explanation = fmt::format(
        "{} connections are open with one address ({}). Ordinary clients and relays keep one or "
        "two; this many usually means a denial-of-service attempt or a broken client.",
        p.count, p.description);
    f.action =
        "Make sure tor's DoS defences are on (DoSConnectionEnabled, "
        "DoSConnectionMaxConcurrentCount); if it persists, rate-limit that address in the "
        "firewall.";
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<Finding> short_lived_connections(RuleContext& c) {
  const double median_limit = c.settings.param("median_seconds");
  const double min_closed = c.settings.param("min_closed");
  const double window = c.settings.param("window");
  auto& open = c.memory.open_connections;
  auto& lifetimes = c.memory.lifetimes;
  std::unordered_set<std::uint64_t> present;
  for (const Connection& conn : c.snapshot.connections) {
    if (conn.category != Category::kInboundRelay && conn.category != Category::kOutboundRelay) {
      continue;
    }
    present.insert(conn.key);
    auto [it, inserted] = open.try_emplace(conn.key, conn.first_seen, c.now);
    if (!inserted) it->second.second = c.now;
  }
  for (auto it = open.begin(); it != open.end();) {
    if (present.count(it->first)) {
      ++it;
      continue;
    }
    lifetimes.emplace_back(c.now, seconds(it->second.second - it->second.first));
    it = open.erase(it);
  }
  while (!lifetimes.empty() && seconds(c.now - lifetimes.front().first) > window) {
    lifetimes.erase(lifetimes.begin());
  }
  if (lifetimes.empty() || static_cast<double>(lifetimes.size()) < min_closed) return {};
  std::vector<double> values;
  for (const auto& l : lifetimes) values.push_back(l.second);
  std::nth_element(values.begin(), values.begin() + static_cast<long>(values.size() / 2),
                   values.end());
  double median = values[values.size() / 2];
  if (median >= median_limit) return {};
  Finding f;
  f.subject = "relay connections";
  f.evidence = {{"closed", std::to_string(lifetimes.size())},
                {"median_lifetime_seconds", fmt::format("{:.1f}", median)},
                {"window_seconds", fmt::format("{:.0f}", window)}};
  f.explanation = fmt::format(
      "{} connections with other relays closed within {:.0f} s, half of them after less than "
      "{:.1f} s. Relay connections normally live for minutes to hours; connections cycling this "
      "fast often mean something resets them (a middlebox injecting TCP resets, a flaky link, or "
      "a connection-limit firewall).",
      lifetimes.size(), window, median);
  f.action =
      "Look for RST injection or connection tracking limits (conntrack -S, the "
      "provider's DDoS protection) and check tor's log for connection errors.";
  return {f};
}

}  // namespace relaymon::analysis::detail
