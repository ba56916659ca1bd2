#include "model/classify.h"

#include <algorithm>

#include "model/connection_keys.h"
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
  bool own_control = false;
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
    clients_.reset(ctx.orconns.size());
    if (ctx.relays) {
      peer_orconn_.assign(ctx.relays->size(), kNone);
    }
    for (std::size_t i = 0; i < ctx.orconns.size(); ++i) {
      const OrConn& o = ctx.orconns[i];
      auto idx = static_cast<std::uint32_t>(i);
      if (o.address) {
        clients_.insert(*o.address, idx);
      } else if (!o.fingerprint.empty()) {
        has_peers_ = true;
        const RelayEntry* r = ctx.relays ? ctx.relays->by_fingerprint(o.fingerprint) : nullptr;
        if (r && peer_orconn_[position(r)] == kNone) peer_orconn_[position(r)] = idx;
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
    auto local = parse_local(s.local.ip);
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

  const std::string* orconn_id(const Decision& d, const system::Socket& s) const {
    const std::uint32_t* i = nullptr;
    if (d.relay) {
      i = &peer_orconn_[position(d.relay)];
    } else if (d.category == Category::kInboundClient && d.remote) {
      i = clients_.find(IpPort{*d.remote, s.remote.port});
    }
    return i && *i != kNone ? &ctx_.orconns[*i].id : nullptr;
  }

  bool has_peers() const { return has_peers_; }
  bool is_peer(const RelayEntry* r) const { return peer_orconn_[position(r)] != kNone; }
  std::size_t position(const RelayEntry* r) const {
    return static_cast<std::size_t>(r - ctx_.relays->relays().data());
  }

  // Most sockets share tor's one or two local addresses: parse each once.
  std::optional<IpAddr> parse_local(const std::string& ip) const {
    if (ip != last_local_text_) {
      last_local_text_ = ip;
      last_local_ = IpAddr::parse(ip);
    }
    return last_local_;
  }

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

  // A peer on our ORPort: a relay when its address is a relay's, unless
  // orconn-status names this exact ADDR:PORT as unauthenticated, or lists
  // relay peers but none at that address. Doubt makes it a client: a
  // client's address must never be shown, a relay's may wait a poll.
  void inbound_or(Decision& d, const system::Socket& s) const {
    bool relay = d.remote && ctx_.relays && ctx_.relays->is_relay_address(*d.remote);
    if (relay && clients_.find(IpPort{*d.remote, s.remote.port}) != nullptr) relay = false;
    if (relay && has_peers_) {
      relay = ctx_.relays->any_at(*d.remote, [&](const RelayEntry& r) { return is_peer(&r); });
    }
    d.category = relay ? Category::kInboundRelay : Category::kInboundClient;
  }

  const ClassifyContext& ctx_;
  std::vector<ListenerAddr> listeners_;
  static constexpr std::uint32_t kNone = 0xffffffff;
  FlatIndex<IpPort, IpPortHash> clients_;   // ADDR:PORT -> its orconn-status entry
  std::vector<std::uint32_t> peer_orconn_;  // per relay of the index: its entry, or kNone
  bool has_peers_ = false;
  mutable std::string last_local_text_;
  mutable std::optional<IpAddr> last_local_;
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
  std::vector<std::pair<IpAddr, std::size_t>> inbound;
  std::vector<bool> outbound(relays->size(), false);
  for (std::size_t i = 0; i < decisions.size(); ++i) {
    const Decision& d = decisions[i];
    if (d.category == Category::kInboundRelay && d.remote) inbound.emplace_back(*d.remote, i);
    if (d.category == Category::kOutboundRelay && d.relay) outbound[c.position(d.relay)] = true;
  }
  auto less = [](const auto& a, const auto& b) {
    return a.first.family != b.first.family ? a.first.family < b.first.family
                                            : a.first.value < b.first.value;
  };
  std::sort(inbound.begin(), inbound.end(), less);
  for (std::size_t b = 0, e = 0; b < inbound.size(); b = e) {
    e = b + 1;
    while (e < inbound.size() && inbound[e].first == inbound[b].first) ++e;
    if (e - b != 1) continue;  // several sockets from one address: cannot tell which is which
    std::vector<const RelayEntry*> candidates = relays->by_address(inbound[b].first);
    if (c.has_peers()) {
      std::erase_if(candidates, [&](const RelayEntry* r) { return !c.is_peer(r); });
    }
    if (candidates.size() > 1) {
      std::erase_if(candidates, [&](const RelayEntry* r) { return outbound[c.position(r)]; });
    }
    if (candidates.size() == 1) decisions[inbound[b].second].relay = candidates[0];
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

struct Classified::Impl {
  system::Sockets sockets;
  ClassifyContext ctx;
  std::vector<Decision> decisions;
  std::vector<std::string> orconn_ids;  // per socket, "" when none
};

Classified::Classified(system::Sockets sockets, ClassifyContext context)
    : impl_(std::make_unique<Impl>()) {
  impl_->sockets = std::move(sockets);
  impl_->ctx = std::move(context);
  const auto& all = impl_->sockets;
  Classifier classifier(all, impl_->ctx);
  impl_->decisions.reserve(all.size());
  for (const system::Socket& s : all) impl_->decisions.push_back(classifier.decide(s));
  name_inbound_relays(impl_->decisions, classifier, impl_->ctx.relays);
  impl_->orconn_ids.resize(all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    Decision& d = impl_->decisions[i];
    if (const std::string* id = classifier.orconn_id(d, all[i])) impl_->orconn_ids[i] = *id;
    d.own_control = d.category == Category::kControl && classifier.is_own_control(all[i]);
  }
}

Classified::~Classified() = default;
Classified::Classified(Classified&&) noexcept = default;
Classified& Classified::operator=(Classified&&) noexcept = default;

std::vector<IpAddr> Classified::geo_wanted() const {
  std::vector<IpAddr> out;
  for (const Decision& d : impl_->decisions) {
    if (d.remote && wants_geo(d.category)) out.push_back(*d.remote);
  }
  return out;
}

std::vector<Connection> Classified::connections() const {
  const auto& sockets = impl_->sockets;
  const ClassifyContext& ctx = impl_->ctx;
  std::vector<Connection> out(sockets.size());
  for (std::size_t i = 0; i < sockets.size(); ++i) {
    const system::Socket& s = sockets[i];
    const Decision& d = impl_->decisions[i];
    Connection& c = out[i];
    c.key = socket_key(s);
    if (d.remote) {
      c.peer_key = peer_key_of(IpPort{*d.remote, s.remote.port});
      c.host_key = host_key_of(*d.remote);
    }
    c.category = d.category;
    c.direction = d.direction;
    c.protocol = s.protocol;
    c.state = s.state;
    c.local = Endpoint{s.local.ip, s.local.port};
    c.remote.port = s.remote.port;
    // The raw address is copied only where it may be shown.
    if (!must_scrub(d.category, d.direction, d.remote)) c.remote.address = s.remote.ip;
    if (d.relay) {
      c.relay_fingerprint = d.relay->fingerprint;
      c.relay_nickname = d.relay->nickname;
    }
    c.bytes_in = s.bytes_received;
    c.bytes_out = s.bytes_acked ? s.bytes_acked : s.bytes_sent;
    c.rtt_ms = s.rtt_ms;
    c.first_seen = ctx.now;
    c.orconn_id = impl_->orconn_ids[i];
    c.is_own_control = d.own_control;
    geo::Info info;
    if (ctx.geo && d.remote && wants_geo(d.category)) {
      info = ctx.geo(d.remote->to_string());
      c.country = info.country.empty() ? "??" : info.country;
      c.asn = info.asn_text();
    }
    scrub(c, d.remote, info);
  }
  return out;
}

void Classified::fill_missing_countries(std::vector<Connection>& connections) const {
  const ClassifyContext& ctx = impl_->ctx;
  if (!ctx.geo) return;
  for (std::size_t i = 0; i < connections.size() && i < impl_->decisions.size(); ++i) {
    const Decision& d = impl_->decisions[i];
    Connection& c = connections[i];
    if (!d.remote || !wants_geo(d.category) || c.country != "??") continue;
    geo::Info info = ctx.geo(d.remote->to_string());
    if (info.country.empty()) continue;
    c.country = info.country;
    if (c.asn.empty()) c.asn = info.asn_text();
    scrub(c, d.remote, info);
  }
}

std::vector<Connection> classify(const system::Sockets& sockets, const ClassifyContext& ctx) {
  return Classified(sockets, ctx).connections();
}

}  // namespace relaymon::model
