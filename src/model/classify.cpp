#include "model/classify.h"

#include <algorithm>

#include "model/connection_keys.h"
#include "model/scrub.h"
#include "text/text.h"

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
// One per socket, all alive at a poll's peak: the pointers first and the
// one-byte fields together, so nothing is padding (56 bytes, was 80).
struct Decision {
  const RelayEntry* relay = nullptr;
  const OrConn* unlisted_orconn = nullptr;  // when only one such relay can be it
  std::optional<IpAddr> remote;
  Category category = Category::kUnexpected;
  Direction direction = Direction::kOutbound;
  bool own_control = false;
  // Inbound on the ORPort, not a client tor names, not at a relay's address:
  // a relay our consensus lacks, or a client connected since orconn-status.
  bool unplaced_inbound = false;
  // A relay tor reports (orconn-status) that our consensus lacks: its
  // address is not shown (we cannot tell it from a client or a destination).
  bool unlisted_relay = false;
};
static_assert(sizeof(Decision) <= 56);

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
    // Sized for the unauthenticated entries only (the table is per poll
    // and sits at the poll's memory peak).
    clients_.reset(static_cast<std::size_t>(std::count_if(
        ctx.orconns.begin(), ctx.orconns.end(), [](const OrConn& o) { return o.address; })));
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
        const RelayEntry* r = ctx.relays ? ctx.relays->find_fingerprint(o.fingerprint) : nullptr;
        if (r && peer_orconn_[position(r)] == kNone) peer_orconn_[position(r)] = idx;
        if (!r && (o.status == "CONNECTED" || o.status == "LAUNCHED")) unlisted_.push_back(&o);
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
    // The client end of a connection to tor's own control port, when the
    // controller shares the process (relaymon's tests, a controller
    // embedded in tor's host program): a control connection, never a peer.
    if (const ListenerAddr* l = listener_for(d.remote, s.remote.port);
        l && l->inbound == Category::kControl) {
      d.category = Category::kControl;
      return d;
    }
    const IpAddr& ip = *d.remote;
    std::uint16_t port = s.remote.port;
    bool exit_allowed =
        s.protocol == "tcp" && ctx_.exit_policy && ctx_.exit_policy->allows(ip, port);
    if (port == 53 && s.protocol == "udp") {
      // tor's own resolver: evdns speaks UDP only. A TCP stream to port 53
      // is an exit user's (below), whoever the nameserver is.
      d.category = Category::kDns;
    } else if (contains(ctx_.hidden_service_targets, IpPort{ip, port})) {
      d.category = Category::kHiddenService;
    } else if (const RelayEntry* r = ctx_.relays ? ctx_.relays->by_or_address(ip, port) : nullptr) {
      d.category = Category::kOutboundRelay;
      d.relay = r;
    } else if (contains(ctx_.authorities, IpPort{ip, port})) {
      d.category = Category::kDirectoryFetch;  // tor fetches from authorities' DirPorts
    } else if (const RelayEntry* r =
                   ctx_.relays ? ctx_.relays->by_dir_address(ip, port) : nullptr) {
      // Another relay's DirPort: tor's own fetches use the ORPort (BEGIN_DIR)
      // except from authorities, so on an exit this is a user's stream.
      bool authority = r->has_flag("Authority");
      d.category = exit_allowed && !authority ? Category::kExit : Category::kDirectoryFetch;
      if (d.category == Category::kDirectoryFetch) d.relay = r;
    } else if (exit_allowed) {
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
  const std::vector<const OrConn*>& unlisted_peers() const { return unlisted_; }
  const ExitPolicy* exit_policy() const { return ctx_.exit_policy; }
  const RelayIndex* relays() const { return ctx_.relays; }
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
    bool client = d.remote && clients_.find(IpPort{*d.remote, s.remote.port}) != nullptr;
    bool relay = !client && d.remote && ctx_.relays && ctx_.relays->is_relay_address(*d.remote);
    if (relay && has_peers_) {
      relay = ctx_.relays->any_at(*d.remote, [&](const RelayEntry& r) { return is_peer(&r); });
    }
    d.category = relay ? Category::kInboundRelay : Category::kInboundClient;
    d.unplaced_inbound = !client && !relay;
  }

  const ClassifyContext& ctx_;
  std::vector<ListenerAddr> listeners_;
  static constexpr std::uint32_t kNone = 0xffffffff;
  FlatIndex<IpPort, IpPortHash> clients_;   // ADDR:PORT -> its orconn-status entry
  std::vector<std::uint32_t> peer_orconn_;  // per relay of the index: its entry, or kNone
  bool has_peers_ = false;
  std::vector<const OrConn*> unlisted_;  // relay peers tor names that our consensus lacks
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

// tor names each relay it has an OR connection with (orconn-status
// "$FP~nick"), also one our consensus does not list yet: a relay newer than
// our consensus, or one that moved. The consensus cannot place their
// sockets, so they are among the sockets left unexplained: inbound on the
// ORPort but not a client tor names, outbound to no relay we know. As many
// of those as tor has relay peers left over (peers minus the relay sockets
// placed) are taken as relay connections, the likeliest first: an outbound
// port the exit policy rejects (it cannot be an exit stream), an address
// where relays live, an inbound peer, then the rest. Their addresses are
// never shown (the guess could be a client or an exit destination), and
// with one such peer and one such socket the socket gets its name.
void place_unlisted_relays(std::vector<Decision>& decisions, const system::Sockets& sockets,
                           const Classifier& c, std::size_t relay_peers) {
  std::size_t placed = 0;
  for (const Decision& d : decisions) {
    bool relay = d.category == Category::kInboundRelay || d.category == Category::kOutboundRelay;
    if (relay) ++placed;
  }
  if (relay_peers <= placed) return;
  std::size_t left = relay_peers - placed;
  struct Candidate {
    std::size_t index;
    int rank;
  };
  std::vector<Candidate> candidates;
  for (std::size_t i = 0; i < decisions.size(); ++i) {
    const Decision& d = decisions[i];
    const system::Socket& s = sockets[i];
    if (s.protocol != "tcp" || !d.remote) continue;
    if (d.direction == Direction::kInbound && d.unplaced_inbound) {
      candidates.push_back({i, 2});
    } else if (d.direction == Direction::kOutbound &&
               (d.category == Category::kUnexpected || d.category == Category::kExit) &&
               (s.state == "ESTAB" || s.state == "SYN-SENT")) {
      bool can_exit = c.exit_policy() && c.exit_policy()->allows(*d.remote, s.remote.port);
      bool relay_host = c.relays() && c.relays()->is_relay_address(*d.remote);
      candidates.push_back({i, !can_exit ? 0 : relay_host ? 1 : 3});
    }
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.rank < b.rank; });
  if (candidates.size() > left) candidates.resize(left);
  const OrConn* only = c.unlisted_peers().size() == 1 && candidates.size() == 1
                           ? c.unlisted_peers().front()
                           : nullptr;
  for (const Candidate& cand : candidates) {
    Decision& d = decisions[cand.index];
    d.category =
        d.direction == Direction::kInbound ? Category::kInboundRelay : Category::kOutboundRelay;
    d.unlisted_relay = true;
    d.unplaced_inbound = false;
    d.unlisted_orconn = only;
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
  std::vector<std::uint64_t> orconn_ids;  // per socket, 0 when none
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
  std::size_t relay_peers = 0;
  for (const OrConn& o : impl_->ctx.orconns) {
    if (!o.fingerprint.empty() && (o.status == "CONNECTED" || o.status == "LAUNCHED")) {
      ++relay_peers;
    }
  }
  place_unlisted_relays(impl_->decisions, all, classifier, relay_peers);
  impl_->orconn_ids.resize(all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    Decision& d = impl_->decisions[i];
    if (const std::string* id = classifier.orconn_id(d, all[i])) {
      impl_->orconn_ids[i] = text::to_number<std::uint64_t>(*id).value_or(0);
    }
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
  LabelCache label;
  // Most connections share a country and an AS with the one before: the
  // last text's Label is kept, and the same text takes it without a lookup.
  struct Last {
    std::string text;
    Label label;
  };
  Last last_country, last_asn;
  auto recent = [&](Last& last, std::string_view text) {
    if (text != last.text || (last.label.empty() && !text.empty())) {
      last.text = text;
      last.label = label(text);
    }
    return last.label;
  };
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
    c.protocol = s.protocol;  // shared texts already
    c.state = s.state;
    c.local = Endpoint{s.local.ip, s.local.port};
    c.remote.port = s.remote.port;
    // The raw address is copied only where it may be shown.
    if (!must_scrub(d.category, d.direction, d.remote) && !d.unlisted_relay) {
      c.remote.address = s.remote.ip;
    }
    if (d.relay) {
      c.relay_fingerprint = d.relay->fingerprint;
      c.relay_nickname = d.relay->nickname;
    }
    if (d.unlisted_relay) {
      c.relay_unlisted = true;
      c.scrubbed = true;
      c.remote.address = "unlisted relay";
      if (d.direction == Direction::kInbound) c.remote.port = 0;  // its ephemeral port
      if (d.unlisted_orconn) {
        c.relay_fingerprint = label(d.unlisted_orconn->fingerprint);
        c.relay_nickname = label(d.unlisted_orconn->nickname);
      }
    }
    c.bytes_in = s.bytes_received;
    c.bytes_out = s.bytes_acked ? s.bytes_acked : s.bytes_sent;
    c.rtt_ms = s.rtt_ms;
    c.first_seen = ctx.now;
    c.orconn_id = impl_->orconn_ids[i];
    if (d.category == Category::kExit && d.remote && ctx.exit_policy) {
      c.exit_named_by_policy = ctx.exit_policy->names_accepted(*d.remote, s.remote.port);
    }
    c.is_own_control = d.own_control;
    geo::Info info;
    if (ctx.geo && d.remote && wants_geo(d.category)) {
      info = ctx.geo(*d.remote);
      c.country = recent(last_country, info.country.empty() ? "??" : info.country);
      if (!d.unlisted_relay && info.asn) {
        c.asn = recent(last_asn, info.asn_text());
      }
    }
    scrub(c, d.remote, info);
  }
  return out;
}

void Classified::release_sockets() {
  system::Sockets().swap(impl_->sockets);
}

std::string Classified::host_text(std::uint64_t host_key) const {
  for (const Decision& d : impl_->decisions) {
    if (!d.remote || host_key_of(*d.remote) != host_key) continue;
    if (d.remote->is_v4()) return d.remote->to_string();
    return network_of(*d.remote, 64).to_string() + "/64";
  }
  return "";
}

void Classified::fill_missing_countries(std::vector<Connection>& connections) const {
  const ClassifyContext& ctx = impl_->ctx;
  if (!ctx.geo) return;
  for (std::size_t i = 0; i < connections.size() && i < impl_->decisions.size(); ++i) {
    const Decision& d = impl_->decisions[i];
    Connection& c = connections[i];
    if (!d.remote || !wants_geo(d.category) || c.country != "??") continue;
    geo::Info info = ctx.geo(*d.remote);
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
