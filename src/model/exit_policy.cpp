#include "model/exit_policy.h"

#include <fmt/format.h>

#include <algorithm>

#include "model/reserved.h"
#include "model/text.h"

namespace relaymon::model {

namespace {

using Family = PolicyRule::Family;

struct Interval {
  Uint128 lo;
  Uint128 hi;  // inclusive
};

Interval span(const IpAddr& net, int prefix) {
  int shift = net.bits() - prefix;
  Uint128 ones = shift >= 128 ? ~Uint128{0} : ((Uint128{1} << shift) - 1);
  Uint128 lo = network_of(net, prefix).value;
  return {lo, lo + ones};
}

// Removes [cut.lo, cut.hi] from a sorted list of disjoint intervals.
void subtract(std::vector<Interval>& set, Interval cut) {
  std::vector<Interval> out;
  out.reserve(set.size() + 1);
  for (const Interval& i : set) {
    if (i.hi < cut.lo || i.lo > cut.hi) {
      out.push_back(i);
      continue;
    }
    if (i.lo < cut.lo) out.push_back({i.lo, cut.lo - 1});
    if (i.hi > cut.hi) out.push_back({cut.hi + 1, i.hi});
  }
  set = std::move(out);
}

bool overlaps(const std::vector<Interval>& set, Interval x) {
  return std::any_of(set.begin(), set.end(),
                     [&](const Interval& i) { return !(i.hi < x.lo || i.lo > x.hi); });
}

bool family_matches(Family rule, bool v4) {
  return rule == Family::kAny || (rule == Family::kV4) == v4;
}

std::optional<std::pair<std::uint16_t, std::uint16_t>> parse_ports(std::string_view s) {
  if (s == "*") return std::pair<std::uint16_t, std::uint16_t>{1, 65535};
  auto dash = s.find('-');
  auto lo = parse_port(s.substr(0, dash), true);
  auto hi = dash == std::string_view::npos ? lo : parse_port(s.substr(dash + 1), true);
  if (!lo || !hi || *lo > *hi) return std::nullopt;
  return std::pair{*lo, *hi};
}

// "/24" or an old-style "/255.255.255.0" mask.
std::optional<int> parse_prefix(std::string_view s, bool v4) {
  if (s.find('.') != std::string_view::npos) {
    auto mask = IpAddr::parse(s);
    if (!v4 || !mask || !mask->is_v4()) return std::nullopt;
    auto m = static_cast<std::uint32_t>(mask->value);
    int bits = 0;
    while (bits < 32 && (m & (0x80000000u >> bits))) ++bits;
    if (bits < 32 && (m << bits) != 0) return std::nullopt;  // not contiguous
    return bits;
  }
  auto p = parse_port(s, true);  // a small unsigned number
  if (!p || *p > (v4 ? 32 : 128)) return std::nullopt;
  return static_cast<int>(*p);
}

// Parses one rule; appends 0 (ignored accept6-with-IPv4), 1, or several
// (`private`) rules. Returns false when malformed.
bool parse_rule(std::string_view text, std::vector<PolicyRule>& out) {
  auto sp = text.find_first_of(" \t");
  if (sp == std::string_view::npos) return false;
  std::string_view verb = text.substr(0, sp);
  std::string_view arg = trim(text.substr(sp + 1));
  bool accept = verb == "accept" || verb == "accept6";
  bool six = verb == "accept6" || verb == "reject6";
  if (!accept && verb != "reject" && verb != "reject6") return false;
  if (arg.empty() || arg.find_first_of(" \t") != std::string_view::npos) return false;

  // Split address and ports at the last ':' outside brackets.
  std::string_view addr = arg;
  std::string_view ports = "*";
  std::size_t close = arg.front() == '[' ? arg.find(']') : 0;
  if (close == std::string_view::npos) return false;
  auto colon = arg.find(':', close);
  if (colon != std::string_view::npos) {
    addr = arg.substr(0, colon);
    ports = arg.substr(colon + 1);
  }
  auto port_range = parse_ports(ports);
  if (!port_range || addr.empty()) return false;

  PolicyRule base;
  base.accept = accept;
  base.port_min = port_range->first;
  base.port_max = port_range->second;
  base.text = std::string(text);

  if (addr == "private") {
    for (const IpRange& r : tor_private_networks()) {
      if (six && r.network.is_v4()) continue;
      PolicyRule rule = base;
      rule.family = r.network.is_v4() ? Family::kV4 : Family::kV6;
      rule.network = r.network;
      rule.prefix = r.prefix;
      out.push_back(std::move(rule));
    }
    return true;
  }
  if (addr == "*" || addr == "*4" || addr == "*6") {
    base.family = addr == "*4" ? Family::kV4 : addr == "*6" || six ? Family::kV6 : Family::kAny;
    base.network =
        IpAddr{base.family == Family::kV6 ? IpAddr::Family::kV6 : IpAddr::Family::kV4, 0};
    if (six && addr == "*4") return true;  // tor ignores IPv4 in accept6/reject6
    out.push_back(std::move(base));
    return true;
  }
  auto slash = addr.find('/', addr.front() == '[' ? addr.find(']') : 0);
  std::string_view host = addr.substr(0, slash);
  bool bracketed = host.size() > 2 && host.front() == '[' && host.back() == ']';
  auto ip = IpAddr::parse(host);
  if (!ip || bracketed == ip->is_v4()) return false;  // IPv6 must be bracketed, IPv4 not
  int prefix = ip->bits();
  if (slash != std::string_view::npos) {
    auto p = parse_prefix(addr.substr(slash + 1), ip->is_v4());
    if (!p) return false;
    prefix = *p;
  }
  if (six && ip->is_v4()) return true;  // ignored, as tor does
  base.family = ip->is_v4() ? Family::kV4 : Family::kV6;
  base.network = network_of(*ip, prefix);
  base.prefix = prefix;
  out.push_back(std::move(base));
  return true;
}

// Whether `a` (earlier) makes `b` unreachable: same or wider family,
// address space and port range.
bool shadows(const PolicyRule& a, const PolicyRule& b) {
  if (a.port_min > b.port_min || a.port_max < b.port_max) return false;
  if (a.family == Family::kAny) return true;
  if (b.family != a.family) return false;
  return b.prefix >= a.prefix && b.network.in(a.network, a.prefix);
}

}  // namespace

bool PolicyRule::matches(const IpAddr& ip, std::uint16_t port) const {
  if (port < port_min || port > port_max) return false;
  if (family == Family::kAny) return true;
  if (!family_matches(family, ip.is_v4())) return false;
  return ip.in(network, prefix);
}

bool PolicyRule::is_catch_all() const {
  return family == Family::kAny && port_min <= 1 && port_max == 65535;
}

std::optional<ExitPolicy> ExitPolicy::parse(std::string_view text, std::string* error) {
  ExitPolicy policy;
  bool ok = true;
  for_each_line(text, [&](std::string_view line) {
    while (ok) {
      auto comma = line.find(',');
      std::string_view item = trim(line.substr(0, comma));
      if (auto hash = item.find('#'); hash != std::string_view::npos) {
        item = trim(item.substr(0, hash));
      }
      if (!item.empty() && !parse_rule(item, policy.rules_)) {
        ok = false;
        if (error) *error = fmt::format("malformed exit policy rule \"{}\"", item);
      }
      if (comma == std::string_view::npos) break;
      line = line.substr(comma + 1);
    }
    return ok;
  });
  if (!ok) return std::nullopt;
  return policy;
}

bool ExitPolicy::allows(const IpAddr& ip, std::uint16_t port) const {
  for (const PolicyRule& r : rules_) {
    if (r.matches(ip, port)) return r.accept;
  }
  return true;  // dir-spec: no matching rule means accepted
}

const PolicyRule* ExitPolicy::deciding_rule(const IpAddr& ip, std::uint16_t port) const {
  for (const PolicyRule& r : rules_) {
    if (r.matches(ip, port)) return &r;
  }
  return nullptr;
}

bool ExitPolicy::names_accepted(const IpAddr& ip, std::uint16_t port) const {
  const PolicyRule* r = deciding_rule(ip, port);
  return r && r->accept && r->family != PolicyRule::Family::kAny && r->prefix > 0;
}

bool ExitPolicy::allows(std::string_view ip, std::uint16_t port) const {
  auto addr = IpAddr::parse(ip);
  return addr && allows(*addr, port);
}

// Whether some address of the family (optionally only public ones) is
// accepted on `port`: walk the rules keeping the part of the address space
// no earlier rule has decided; an accept that reaches into it wins.
bool ExitPolicy::accepts_some_address(std::uint16_t port, bool v4, bool public_only) const {
  IpAddr zero{v4 ? IpAddr::Family::kV4 : IpAddr::Family::kV6, 0};
  std::vector<Interval> open{span(zero, 0)};
  if (public_only) {
    for (const IpRange& r : reserved_ranges()) {
      if (r.network.is_v4() == v4) subtract(open, span(r.network, r.prefix));
    }
  }
  for (const PolicyRule& r : rules_) {
    if (open.empty()) return false;
    if (port < r.port_min || port > r.port_max || !family_matches(r.family, v4)) continue;
    Interval net = r.family == Family::kAny ? span(zero, 0) : span(r.network, r.prefix);
    if (r.accept && overlaps(open, net)) return true;
    subtract(open, net);
  }
  return !open.empty();  // falls off the end: accepted
}

bool ExitPolicy::accepts_public_port(std::uint16_t port) const {
  return accepts_some_address(port, true, true) || accepts_some_address(port, false, true);
}

bool ExitPolicy::accepts_anything() const {
  // Decisions only change at the rules' port boundaries.
  std::vector<std::uint16_t> ports{1, 65535};
  for (const PolicyRule& r : rules_) {
    ports.push_back(r.port_min);
    ports.push_back(r.port_max);
    if (r.port_max < 65535) ports.push_back(static_cast<std::uint16_t>(r.port_max + 1));
    if (r.port_min > 1) ports.push_back(static_cast<std::uint16_t>(r.port_min - 1));
  }
  std::sort(ports.begin(), ports.end());
  ports.erase(std::unique(ports.begin(), ports.end()), ports.end());
  return std::any_of(ports.begin(), ports.end(), [&](std::uint16_t p) {
    return accepts_some_address(p, true, false) || accepts_some_address(p, false, false);
  });
}

std::vector<std::string> ExitPolicy::lines() const {
  std::vector<std::string> out;
  for (const PolicyRule& r : rules_) {
    if (out.empty() || out.back() != r.text || r.text.find("private") == std::string::npos) {
      out.push_back(r.text);
    }
  }
  return out;
}

std::string ExitPolicy::summary() const {
  // The first catch-all ends the policy; without one, the rest is accepted.
  auto end = std::find_if(rules_.begin(), rules_.end(),
                          [](const PolicyRule& r) { return r.is_catch_all(); });
  bool default_accept = end == rules_.end() || end->accept;
  // Only the rules that differ from the default matter, once each, reachable.
  std::vector<std::string> shown;
  for (auto it = rules_.begin(); it != end; ++it) {
    if (it->accept == default_accept) continue;
    bool hidden =
        std::any_of(rules_.begin(), it, [&](const PolicyRule& a) { return shadows(a, *it); });
    if (hidden || (!shown.empty() && shown.back() == it->text)) continue;
    shown.push_back(it->text);
  }
  if (shown.empty()) return default_accept ? "accept *:*" : "reject *:*";
  constexpr std::size_t kMax = 4;
  std::string out;
  for (std::size_t i = 0; i < shown.size() && i < kMax; ++i) {
    if (i) out += ", ";
    out += shown[i];
  }
  if (shown.size() > kMax) out += fmt::format(", +{} more", shown.size() - kMax);
  out += default_accept ? ", accept all else" : ", reject all else";
  return out;
}

}  // namespace relaymon::model
