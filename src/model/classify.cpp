#include "model/classify.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "model/scrub.h"

namespace relaymon::model {

namespace {

struct ListenerAddr {
  Category inbound;          // what a connection accepted here is
  std::optional<IpAddr> ip;  // nullopt: wildcard (0.0.0.0, ::, *)
  std::uint16_t port = 0;
};

Category inbound_category(std::string_view kind) {
  if (kind == "or") return Category::kInboundRelay;  // refined per peer
  if (kind == "dir") return Category::kInboundDirectory;
  if (kind == "socks" || kind == "trans" || kind == "natd" || kind == "httptunnel") {
    return Category::kSocks;
  }
  if (kind == "control" || kind == "metrics") return Category::kControl;
  if (kind == "dns") return Category::kDns;
  if (kind == "extor") return Category::kInboundClient;  // bridge users behind a transport
  return Category::kUnexpected;
}

std::optional<IpAddr> parse_wild(std::string_view ip) {
  if (ip == "*" || ip.empty()) return std::nullopt;
  auto a = IpAddr::parse(ip);
  if (a && a->value == 0) return std::nullopt;  // 0.0.0.0 and ::
  return a;
}

bool is_listening(const system::Socket& s) {
  return s.state == "LISTEN" || s.state == "UNCONN";
}

// What classify() decided for one socket before it becomes a Connection.
struct Decision {
  Category category = Category::kUnexpected;
  Direction direction = Direction::kOutbound;
  const RelayEntry* relay = nullptr;
  std::optional<IpAddr> remote;
};

class Classifier {
 public:
  Classifier(const system::Sockets& sockets, const ClassifyContext& ctx) : ctx_(ctx) {
    for (const Listener& l : ctx.listeners) {
      listeners_.push_back(
          {inbound_category(l.kind), parse_wild(l.endpoint.address), l.endpoint.port});
    }
    // A listening socket tor did not report (net/listeners unknown or stale)
    // still makes what arrives on it inbound: never mistake a peer's
    // ephemeral port for a destination.
    for (const system::Socket& s : sockets) {
      if (s.state == "LISTEN") {
        listeners_.push_back({Category::kUnexpected, parse_wild(s.local.ip), s.local.port});
      }
    }
    for (const OrConn& o : ctx.orconns) {
      if (o.address) {
        clients_.insert(*o.address);
        if (!o.id.empty()) client_ids_.emplace(*o.address, o.id);
      } else if (!o.fingerprint.empty()) {
        peers_.insert(o.fingerprint);
        if (!o.id.empty()) relay_ids_.emplace(o.fingerprint, o.id);
      }
    }
    if (ctx.own_control_local && ctx.own_control_remote) {
      own_local_ = parse_ip_port_of(*ctx.own_control_local);
      own_remote_ = parse_ip_port_of(*ctx.own_control_remote);
    }
  }

  Decision decide(const system::Socket& s) const {
    Decision d;
    d.remote = IpAddr::parse(s.remote.ip);
    if (is_listening(s)) {
      d.category = Category::kListener;
      d.direction = Direction::kListen;
      return d;
    }
    auto local = IpAddr::parse(s.local.ip);
    if (const ListenerAddr* l = listener_for(local, s.local.port)) {
      d.direction = Direction::kInbound;
      d.category = l->inbound;
      if (d.category == Category::kInboundRelay) inbound_or(d, s);
      return d;
    }
    d.direction = Direction::kOutbound;
    if (!d.remote) return d;  // unexpected
    const IpAddr& ip = *d.remote;
    std::uint16_t port = s.remote.port;
    if (port == 53 && (s.protocol == "udp" || is_dns_server(ip))) {
      d.category = Category::kDns;  // tor's own resolver (evdns speaks UDP only)
    } else if (contains(ctx_.hidden_service_targets, IpPort{ip, port})) {
      d.category = Category::kHiddenService;
    } else if (const RelayEntry* r = ctx_.relays ? ctx_.relays->by_or_address(ip, port) : nullptr) {
      d.category = Category::kOutboundRelay;
      d.relay = r;
    } else if (const RelayEntry* r =
                   ctx_.relays ? ctx_.relays->by_dir_address(ip, port) : nullptr) {
      d.category = Category::kDirectoryFetch;
      d.relay = r;
    } else if (contains(ctx_.authorities, IpPort{ip, port})) {
      d.category = Category::kDirectoryFetch;
    } else if (s.protocol == "tcp" && ctx_.exit_policy && ctx_.exit_policy->allows(ip, port)) {
      d.category = Category::kExit;
    }
    return d;
  }

  bool is_own_control(const system::Socket& s) const {
    if (!own_local_ || !own_remote_) return false;
    auto local = parse_ip_port_of(s.local);
    auto remote = parse_ip_port_of(s.remote);
    return local && remote && *local == *own_remote_ && *remote == *own_local_;
  }

  std::string orconn_id(const Decision& d, const system::Socket& s) const {
    if (d.relay) {
      auto it = relay_ids_.find(d.relay->fingerprint);
      return it == relay_ids_.end() ? std::string{} : it->second;
    }
    if (d.category == Category::kInboundClient && d.remote) {
      auto it = client_ids_.find(IpPort{*d.remote, s.remote.port});
      return it == client_ids_.end() ? std::string{} : it->second;
    }
    return {};
  }

  bool has_peers() const { return !peers_.empty(); }
  bool is_peer(const std::string& fp) const { return peers_.count(fp) != 0; }

 private:
  static std::optional<IpPort> parse_ip_port_of(const system::Address& a) {
    auto ip = IpAddr::parse(a.ip);
    if (!ip) return std::nullopt;
    return IpPort{*ip, a.port};
  }

  template <typename T>
  static bool contains(const std::vector<T>& v, const T& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  }

  bool is_dns_server(const IpAddr& ip) const { return contains(ctx_.dns_servers, ip); }

  const ListenerAddr* listener_for(const std::optional<IpAddr>& local, std::uint16_t port) const {
    for (const ListenerAddr& l : listeners_) {
      if (l.port != port) continue;
      if (!l.ip || (local && *local == *l.ip)) return &l;
    }
    return nullptr;
  }

  // A peer on our ORPort: a relay unless orconn-status names this exact
  // ADDR:PORT as unauthenticated, or the address is no relay's.
  void inbound_or(Decision& d, const system::Socket& s) const {
    bool relay_address = d.remote && ctx_.relays && ctx_.relays->is_relay_address(*d.remote);
    bool listed_client = d.remote && clients_.count(IpPort{*d.remote, s.remote.port}) != 0;
    d.category =
        relay_address && !listed_client ? Category::kInboundRelay : Category::kInboundClient;
  }

  const ClassifyContext& ctx_;
  std::vector<ListenerAddr> listeners_;
  std::unordered_set<IpPort, IpPortHash> clients_;
  std::unordered_map<IpPort, std::string, IpPortHash> client_ids_;
  std::unordered_set<std::string> peers_;
  std::unordered_map<std::string, std::string> relay_ids_;
  std::optional<IpPort> own_local_;
  std::optional<IpPort> own_remote_;
};

// Inbound relay connections come from an ephemeral port, so the consensus
// alone cannot say which relay it is when several share an address. Name it
// only when exactly one candidate is left: the relays at that address that
// tor reports connected (orconn-status), minus those our outbound sockets
// already account for, and only one unnamed inbound socket from there.
void name_inbound_relays(std::vector<Decision>& decisions, const Classifier& c,
                         const RelayIndex* relays) {
  if (!relays) return;
  std::unordered_map<IpAddr, std::vector<std::size_t>, IpAddrHash> unnamed;
  std::unordered_set<const RelayEntry*> outbound;
  for (std::size_t i = 0; i < decisions.size(); ++i) {
    const Decision& d = decisions[i];
    if (d.category == Category::kInboundRelay && d.remote) unnamed[*d.remote].push_back(i);
    if (d.category == Category::kOutboundRelay && d.relay) outbound.insert(d.relay);
  }
  for (auto& [ip, sockets] : unnamed) {
    std::vector<const RelayEntry*> all = relays->by_address(ip);
    std::vector<const RelayEntry*> candidates;
    for (const RelayEntry* r : all) {
      if (!c.has_peers() || c.is_peer(r->fingerprint)) candidates.push_back(r);
    }
    if (candidates.size() > 1) {
      std::erase_if(candidates, [&](const RelayEntry* r) { return outbound.count(r) != 0; });
    }
    if (candidates.size() == 1 && sockets.size() == 1) decisions[sockets[0]].relay = candidates[0];
  }
}

bool wants_geo(Category c) {
  switch (c) {
    case Category::kInboundRelay:
    case Category::kInboundClient:
    case Category::kInboundDirectory:
    case Category::kOutboundRelay:
    case Category::kDirectoryFetch:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::vector<Connection> classify(const system::Sockets& sockets, const ClassifyContext& ctx) {
  Classifier classifier(sockets, ctx);
  std::vector<Decision> decisions;
  decisions.reserve(sockets.size());
  for (const system::Socket& s : sockets) decisions.push_back(classifier.decide(s));
  name_inbound_relays(decisions, classifier, ctx.relays);

  std::vector<Connection> out;
  out.reserve(sockets.size());
  for (std::size_t i = 0; i < sockets.size(); ++i) {
    const system::Socket& s = sockets[i];
    const Decision& d = decisions[i];
    Connection c;
    c.category = d.category;
    c.direction = d.direction;
    c.protocol = s.protocol;
    c.state = s.state;
    c.local = Endpoint{s.local.ip, s.local.port};
    c.remote = Endpoint{s.remote.ip, s.remote.port};
    if (d.relay) {
      c.relay_fingerprint = d.relay->fingerprint;
      c.relay_nickname = d.relay->nickname;
    }
    c.bytes_in = s.bytes_received;
    c.bytes_out = s.bytes_acked ? s.bytes_acked : s.bytes_sent;
    c.rtt_ms = s.rtt_ms;
    c.first_seen = ctx.now;
    c.orconn_id = classifier.orconn_id(d, s);
    c.is_own_control = d.category == Category::kControl && classifier.is_own_control(s);
    geo::Info info;
    if (ctx.geo && d.remote && wants_geo(d.category)) {
      info = ctx.geo(d.remote->to_string());
      c.country = info.country.empty() ? "??" : info.country;
      c.asn = info.asn_text();
    }
    scrub(c, d.remote, info);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace relaymon::model
