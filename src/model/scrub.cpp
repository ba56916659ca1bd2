#include "model/scrub.h"

#include <fmt/format.h>

#include "model/reserved.h"
#include "model/services.h"

namespace relaymon::model {

namespace {

std::string client_label(const geo::Info& geo) {
  return fmt::format("client ({})", geo.country.empty() ? "??" : geo.country);
}

bool loopback(const std::optional<IpAddr>& ip) {
  static const IpAddr v4 = *IpAddr::parse("127.0.0.0");
  static const IpAddr v6 = *IpAddr::parse("::1");
  return ip && (ip->in(v4, 8) || *ip == v6);
}

}  // namespace

bool must_scrub(Category category, Direction direction, const std::optional<IpAddr>& remote) {
  switch (category) {
    case Category::kInboundClient:
    case Category::kInboundDirectory:
    case Category::kExit:
    case Category::kUnexpected:
      return true;
    case Category::kSocks:  // local applications, unless the SocksPort is exposed
    case Category::kDns:
      return direction == Direction::kInbound && !loopback(remote);
    default:
      return false;
  }
}

void scrub(Connection& c, const std::optional<IpAddr>& remote, const geo::Info& geo) {
  if (!must_scrub(c.category, c.direction, remote)) return;
  c.scrubbed = true;
  if (c.direction == Direction::kInbound) {
    // Someone connected to us: show where from, not who.
    c.remote = Endpoint{client_label(geo), 0};
    c.country = geo.country.empty() ? "??" : geo.country;
    // No AS: it narrows a client down to one provider, often in one town.
    c.asn.clear();
    return;
  }
  // We connected somewhere for someone: show the port, not the address.
  auto range = remote ? reserved_range(*remote) : std::nullopt;
  std::string label = c.category == Category::kExit ? "exit" : "unknown";
  c.remote.address = range ? std::string(*range) : label;
  c.service = std::string(service_name(c.remote.port));
  c.country.clear();
  c.asn.clear();
}

}  // namespace relaymon::model
