// Rules over the classified (already scrubbed) connections.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <unordered_set>

#include "analysis/peers.h"
#include "analysis/rules_internal.h"
#include "model/flat_index.h"
#include "model/ip.h"
#include "model/reserved.h"

namespace relaymon::analysis::detail {

using model::Category;
using model::Connection;

namespace {

struct KeyHash {
  std::uint64_t operator()(std::uint64_t key) const { return model::mix64(key); }
};

double seconds(model::TimePoint::duration d) {
  return std::chrono::duration<double>(d).count();
}

// The reserved range a scrubbed remote stands for ("10.0.0.0/8"), if any.
std::optional<std::string> reserved_of(const model::Endpoint& remote) {
  if (remote.address.find('/') != std::string::npos) return remote.address;
  if (auto ip = model::IpAddr::parse(remote.address)) {
    if (auto range = model::reserved_range(*ip)) return std::string(*range);
  }
  return std::nullopt;
}

// What tor's directory sockets moved within the window (read, written),
// from the sockets' byte counters as relaymon sampled them: a socket's
// first sample is its starting point, so nothing before it is counted.
std::pair<double, double> directory_volume(RuleContext& c, double window) {
  auto& volumes = c.memory.directory_volumes;
  std::unordered_set<std::uint64_t> open;
  double read = 0;
  double written = 0;
  for (const Connection& conn : c.snapshot.connections) {
    if (conn.category != Category::kInboundDirectory &&
        conn.category != Category::kDirectoryFetch) {
      continue;
    }
    if (!conn.bytes_in || !conn.bytes_out) continue;
    open.insert(conn.key);
    auto& samples = volumes[conn.key];
    samples.emplace_back(c.now, *conn.bytes_in, *conn.bytes_out);
    while (samples.size() > 1 && seconds(c.now - std::get<0>(samples.front())) > window) {
      samples.erase(samples.begin());
    }
    read += static_cast<double>(*conn.bytes_in -
                                std::min(*conn.bytes_in, std::get<1>(samples.front())));
    written += static_cast<double>(*conn.bytes_out -
                                   std::min(*conn.bytes_out, std::get<2>(samples.front())));
  }
  std::erase_if(volumes, [&](const auto& kv) { return !open.count(kv.first); });
  return {read, written};
}

}  // namespace

// Balance where the seed means it (seed 003: "10 kb/s inbound on a circuit
// and 5 mb/s outbound"), never on one relay connection: a connection that
// carries a download is one-way by nature (the guard side sends, the exit
// side receives), so every busy relay would raise it.
//  - The relay as a whole: a relay forwards what it reads, so over the
//    window what tor read and wrote (BW events) match but for the cells'
//    overhead, its directory service and its own circuits. Its own
//    circuits (CIRC_BW) and its directory sockets (DirPort requests it
//    served, documents it fetched from DirPorts: the sockets' byte
//    counters) are taken out. Far more one way than the other means it is
//    a source or a sink. Not seen: directory answers tunnelled inside OR
//    connections (BEGIN_DIR), which tor does not count apart.
//  - Its own (origin) circuits: far more sent into one than came back (an
//    upload, or a flood). The other way round is a download: normal. An
//    onion service's circuits (purpose HS_SERVICE_*) are left out: a
//    service sends its pages down its rendezvous circuits by design.
// Volumes count only what moved within the window, from the first sample
// relaymon has (tor's bw-event-cache included, its start-up spike not).
// A false alarm: a relay that mostly serves directory documents and relays
// little (a fresh directory cache), or a client tor uploading a big file.
// Circuits' bytes are CIRC_BW totals kept across polls (model/relay_state).
std::vector<Finding> asymmetric_traffic(RuleContext& c) {
  const double factor = c.settings.param("factor");
  const double floor = c.settings.param("floor_bytes");
  const double window = c.settings.param("window");
  std::vector<Finding> out;
  // Origin circuits: CIRC_BW totals, only what moved within the window.
  auto& circuit_volumes = c.memory.circuit_volumes;
  std::set<std::string, std::less<>> circuits;
  double own_read = 0;
  double own_written = 0;
  for (const model::Circuit& circuit : c.snapshot.circuits) {
    circuits.insert(circuit.id);
    auto& samples = circuit_volumes[circuit.id];
    samples.emplace_back(c.now, circuit.bytes_read, circuit.bytes_written);
    while (samples.size() > 1 && seconds(c.now - std::get<0>(samples.front())) > window) {
      samples.erase(samples.begin());
    }
    double read = static_cast<double>(circuit.bytes_read);
    double written = static_cast<double>(circuit.bytes_written);
    if (samples.size() > 1) {
      read -= static_cast<double>(std::get<1>(samples.front()));
      written -= static_cast<double>(std::get<2>(samples.front()));
    }
    own_read += read;
    own_written += written;
    if (circuit.purpose.rfind("HS_SERVICE", 0) == 0) continue;
    if (written < floor || written < factor * std::max(read, 1.0)) continue;
    Finding f;
    f.subject = fmt::format("origin circuit {}", circuit.id);
    f.severity = model::Severity::kInfo;
    f.evidence = {{"bytes_written", fmt::format("{:.0f}", written)},
                  {"bytes_read", fmt::format("{:.0f}", read)},
                  {"window_seconds", fmt::format("{:.0f}", window)}};
    f.explanation = fmt::format(
        "This tor sent {} into one of its own circuits but got only {} back within {:.0f} s. "
        "A big upload looks like this; so does a program using this tor to flood a "
        "destination.",
        human_bytes(written), human_bytes(read), window);
    f.action =
        "If nobody on this host is uploading through tor, find which application uses its "
        "SOCKS port (ss -tnp on the SocksPort).";
    out.push_back(std::move(f));
  }
  std::erase_if(circuit_volumes, [&](const auto& kv) { return !circuits.count(kv.first); });

  // The relay as a whole, from the per-second BW samples within the window.
  if (c.snapshot.relay.fingerprint.empty()) return out;  // a client: downloads are its purpose
  double read = 0;
  double written = 0;
  double covered = 0;
  for (const model::BandwidthSample& b : c.snapshot.bandwidth) {
    if (b.spike || seconds(c.now - b.time) > window) continue;
    read += static_cast<double>(b.read);
    written += static_cast<double>(b.written);
    covered = std::max(covered, seconds(c.now - b.time));
  }
  auto [directory_read, directory_written] = directory_volume(c, window);
  read = std::max(0.0, read - own_read - directory_read);
  written = std::max(0.0, written - own_written - directory_written);
  double big = std::max(read, written);
  double small = std::max(std::min(read, written), 1.0);
  if (big < floor || big < factor * small) return out;
  Finding f;
  f.subject = read > written ? "the relay reads far more than it writes"
                             : "the relay writes far more than it reads";
  f.severity = model::Severity::kWarning;
  f.evidence = {{"bytes_read", fmt::format("{:.0f}", read)},
                {"bytes_written", fmt::format("{:.0f}", written)},
                {"ratio", fmt::format("{:.0f}", big / small)},
                {"seconds", fmt::format("{:.0f}", covered)}};
  f.explanation = fmt::format(
      "Over the last {:.0f} s tor read {} and wrote {} (its own circuits not counted). A "
      "relay passes on what it receives, so both directions normally match; this much "
      "imbalance means something on this relay is a source or a sink of traffic: a local "
      "program using tor heavily, a directory mirror serving much more than it relays, or "
      "tor being used to pull data off this host.",
      covered, human_bytes(read), human_bytes(written));
  f.action =
      "Compare with the connections page (sort by bytes) and the circuits; check which "
      "local programs use tor's SocksPort. A new directory cache with little relay traffic "
      "can look like this for its first days.";
  out.push_back(std::move(f));
  return out;
}

// Exit connections stuck in SYN-SENT, by destination port: when several
// are stuck and they are at least min_share of that port's exit
// connections, the port is blocked on the way out (a firewall), not one
// dead destination. A false alarm: a port whose destinations are mostly
// down or filtered at their end (a port few services use), on an exit
// carrying little traffic to it.
std::vector<Finding> unestablished_exit(RuleContext& c) {
  const double stuck = c.settings.param("stuck_seconds");
  const double min_count = std::max(1.0, c.settings.param("min_connections"));
  const double min_share = c.settings.param("min_share");
  struct Group {
    long count = 0;
    long all = 0;  // exit connections on the port, stuck or not
    double oldest = 0;
    std::string service;
  };
  std::map<std::uint16_t, Group> by_port;
  for (const Connection& conn : c.snapshot.connections) {
    if (conn.category != Category::kExit) continue;
    Group& g = by_port[conn.remote.port];
    ++g.all;
    if (conn.state != "SYN-SENT") continue;
    double age = seconds(c.now - conn.first_seen);
    if (age < stuck) continue;
    ++g.count;
    g.oldest = std::max(g.oldest, age);
    if (g.service.empty()) g.service = conn.service;
  }
  auto policy = exit_policy_of(c.snapshot);
  std::vector<Finding> out;
  for (const auto& [port, g] : by_port) {
    if (g.count == 0 || static_cast<double>(g.count) < min_count) continue;
    if (static_cast<double>(g.count) < min_share * static_cast<double>(g.all)) continue;
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

// Exit or unexplained connections to a private or reserved range. Silent
// when ExitPolicyRejectPrivate is 0 and an accept rule names that very
// network (the operator chose it, as every loopback test network does),
// and for relay connections (tor names its peers, model/classify.cpp). It
// sees only what tor's sockets show; a false alarm: a relay our consensus
// lacks on a private network that tor did not report as an OR peer yet
// (the hold time covers the moment between a connection and its report).
std::vector<Finding> private_address(RuleContext& c) {
  struct Group {
    long count = 0;
    std::vector<std::uint16_t> ports;
    bool allowed_by_policy = true;
    bool chosen = true;  // every one named by an accept rule
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
    g.chosen = g.chosen && conn.category == Category::kExit && conn.exit_named_by_policy;
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
    if (!reject_private && g.chosen) continue;  // the operator's own choice
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

// Many connections from one host that is no relay: clients and directory
// users per IPv4 address or IPv6 /64 (relays are named by tor and may share
// an address; exit destinations are left out: a popular site legitimately
// gets many streams from a busy exit). A false alarm: many Tor users behind
// one NAT (a university, a carrier-grade NAT) connecting to this guard.
std::vector<Finding> connection_flood(RuleContext& c) {
  const double limit = c.settings.param("max_connections");
  std::vector<Finding> out;
  auto over = static_cast<long>(std::floor(std::max(0.0, limit)));  // counts are whole
  for (const PeerCount& p : count_peers(c.snapshot.connections.get(), over)) {
    if (static_cast<double>(p.count) <= limit) continue;
    Finding f;
    f.subject = p.description;
    f.evidence = {{"connections", std::to_string(p.count)},
                  {"max_connections", fmt::format("{:.0f}", limit)}};
    f.explanation = fmt::format(
        "{} connections are open with one host ({}) that is no relay. An ordinary client keeps "
        "one or two; this many usually means a denial-of-service attempt, a broken client, or "
        "many users behind one NAT. Its address is not shown, to protect it (see the man page "
        "for reveal_flood_addresses).",
        p.count, p.description);
    f.action =
        "Make sure tor's DoS defences are on (DoSConnectionEnabled, "
        "DoSConnectionMaxConcurrentCount). To block the host in the firewall you need its "
        "address: set reveal_flood_addresses 1 and read it on the alerts page.";
    out.push_back(std::move(f));
  }
  return out;
}

// Relay connections that close fast (RST injection, a flaky link, a
// connection-limit firewall). Only lifetimes relaymon saw whole count: a
// connection already open at its first look has an unknown age. A false
// alarm: a relay whose peers restart often, or the minutes after this
// relay's own (re)start, when tor probes many relays once.
std::vector<Finding> short_lived_connections(RuleContext& c) {
  const double median_limit = c.settings.param("median_seconds");
  const double min_closed = c.settings.param("min_closed");
  const double window = c.settings.param("window");
  auto& open = c.memory.open_connections;
  auto& lifetimes = c.memory.lifetimes;
  // A flat index: a set of nodes for 20,000 connections a poll cost more.
  model::FlatIndex<std::uint64_t, KeyHash> present;
  present.reset(c.snapshot.connections.size());
  for (const Connection& conn : c.snapshot.connections) {
    if (conn.category != Category::kInboundRelay && conn.category != Category::kOutboundRelay) {
      continue;
    }
    if (conn.opened_before_relaymon) continue;  // its opening was not seen
    present.insert(conn.key, 0);
    auto [it, inserted] = open.try_emplace(conn.key, conn.first_seen, c.now);
    if (!inserted) it->second.second = c.now;
  }
  for (auto it = open.begin(); it != open.end();) {
    if (present.find(it->first)) {
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
