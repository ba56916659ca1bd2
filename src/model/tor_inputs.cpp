#include "model/tor_inputs.h"

#include <algorithm>

#include "control/events.h"
#include "model/text.h"

namespace relaymon::model {

std::optional<IpPort> parse_ip_port(std::string_view text) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view host = text.substr(0, colon);
  auto ip = IpAddr::parse(host);
  auto port = parse_port(text.substr(colon + 1), true);
  if (!ip || !port) return std::nullopt;
  if (!ip->is_v4() && host.front() != '[') return std::nullopt;  // "::1:80" is ambiguous
  return IpPort{*ip, *port};
}

std::vector<Listener> parse_listeners(std::string_view kind, std::string_view value) {
  std::vector<Listener> out;
  std::vector<std::string_view> items;
  split_spaces(value, items);
  for (std::string_view item : items) {
    if (item.size() >= 2 && item.front() == '"' && item.back() == '"') {
      item = item.substr(1, item.size() - 2);
    }
    if (item.rfind("unix:", 0) == 0) continue;
    if (auto ap = parse_ip_port(item)) {
      out.push_back({std::string(kind), Endpoint{ap->ip.to_string(), ap->port}});
    }
  }
  return out;
}

// The control layer parses the target; this keeps the model's leniency
// (nullopt instead of an error) and turns the address into an IpAddr.
std::optional<OrConn> parse_orconn_target(std::string_view target) {
  auto parsed = control::parse_orconn_target(target);
  auto* t = std::get_if<control::OrConnTarget>(&parsed);
  if (!t) return std::nullopt;
  OrConn c;
  if (t->router) {
    // A bare nickname names nobody the index can find: not an OR connection
    // the classifier could match.
    if (t->router->fingerprint.empty()) return std::nullopt;
    c.fingerprint = t->router->fingerprint;
    c.nickname = t->router->nickname;
    return c;
  }
  // tor writes an unauthenticated IPv6 peer without brackets
  // ("::1:55238", seen from tor 0.4.9.11 on the loopback network): the port
  // is after the last colon, which the control layer splits at.
  if (!t->endpoint) return std::nullopt;
  auto ip = IpAddr::parse(t->endpoint->address);
  if (!ip) return std::nullopt;
  c.address = IpPort{*ip, t->endpoint->port};
  return c;
}

std::vector<OrConn> parse_orconn_status(std::string_view data) {
  std::vector<OrConn> out;
  // A big relay lists tens of thousands: one allocation, not a doubling series.
  out.reserve(static_cast<std::size_t>(std::count(data.begin(), data.end(), '\n')) + 1);
  std::vector<std::string_view> f;
  for_each_line(data, [&](std::string_view line) {
    split_spaces(line, f);
    if (f.size() >= 2) {
      if (auto c = parse_orconn_target(f[0])) {
        c->status = std::string(f[1]);
        out.push_back(std::move(*c));
      }
    }
    return true;
  });
  return out;
}

std::vector<IpAddr> parse_resolv_conf(std::string_view text) {
  std::vector<IpAddr> out;
  std::vector<std::string_view> f;
  for_each_line(text, [&](std::string_view line) {
    split_spaces(line, f);
    if (f.size() >= 2 && f[0] == "nameserver") {
      // "fe80::1%eth0": the zone is not part of the address ss prints.
      std::string_view host = f[1].substr(0, f[1].find('%'));
      if (auto ip = IpAddr::parse(host)) out.push_back(*ip);
    }
    return true;
  });
  return out;
}

}  // namespace relaymon::model

namespace relaymon::model {

std::optional<IpPort> parse_hidden_service_port(std::string_view value) {
  std::vector<std::string_view> words;
  split_spaces(value, words);
  if (words.empty()) return std::nullopt;
  auto virtual_port = parse_port(words[0]);
  if (!virtual_port) return std::nullopt;
  if (words.size() < 2) return IpPort{IpAddr::v4(0x7f000001), *virtual_port};
  std::string_view target = words[1];
  if (target.rfind("unix:", 0) == 0) return std::nullopt;
  if (auto port = parse_port(target)) return IpPort{IpAddr::v4(0x7f000001), *port};
  return parse_ip_port(target);
}

}  // namespace relaymon::model

namespace relaymon::model {

std::vector<OrConn> orconns_from_conn_all(const std::vector<control::ConnAllEntry>& entries) {
  std::vector<OrConn> out;
  for (const auto& e : entries) {
    if (e.flags.size() < 3 || (e.flags[0] != 'I' && e.flags[0] != 'O') || e.flags[2] != 'T') {
      continue;  // listening, unestablished or outside the tor network
    }
    if (e.flags[1] == 'X') continue;  // control connections are not OR connections
    OrConn c;
    c.status = "CONNECTED";
    c.id = e.conn_id;
    if (e.or_id != "0" && !e.or_id.empty() && e.flags[1] != 'C') {
      c.fingerprint = e.or_id.front() == '$' ? e.or_id.substr(1) : e.or_id;
    } else if (auto ip = IpAddr::parse(e.ip); ip && e.port != 0) {
      c.address = IpPort{*ip, e.port};
    } else {
      continue;
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace relaymon::model
