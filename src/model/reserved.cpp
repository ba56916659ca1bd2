#include "model/reserved.h"

#include <string>

namespace relaymon::model {

namespace {

std::vector<IpRange> build(std::initializer_list<std::string_view> texts) {
  std::vector<IpRange> out;
  for (std::string_view t : texts) {
    auto slash = t.find('/');
    auto ip = IpAddr::parse(t.substr(0, slash));
    int prefix = std::stoi(std::string(t.substr(slash + 1)));
    out.push_back({*ip, prefix, t});
  }
  return out;
}

}  // namespace

const std::vector<IpRange>& reserved_ranges() {
  static const std::vector<IpRange> ranges = build({
      "0.0.0.0/8",
      "10.0.0.0/8",
      "100.64.0.0/10",
      "127.0.0.0/8",
      "169.254.0.0/16",
      "172.16.0.0/12",
      "192.0.0.0/24",
      "192.0.2.0/24",
      "192.168.0.0/16",
      "198.18.0.0/15",
      "198.51.100.0/24",
      "203.0.113.0/24",
      "224.0.0.0/4",
      "240.0.0.0/4",
      // IPv6: loopback and unspecified before the ::/8 block that holds them.
      "::1/128",
      "::/128",
      "::/8",
      "100::/64",
      "2001:db8::/32",
      "fc00::/7",
      "fe80::/10",
      "fec0::/10",
      "ff00::/8",
  });
  return ranges;
}

std::optional<std::string_view> reserved_range(const IpAddr& ip) {
  for (const IpRange& r : reserved_ranges()) {
    if (ip.in(r.network, r.prefix)) return r.text;
  }
  return std::nullopt;
}

const std::vector<IpRange>& tor_private_networks() {
  static const std::vector<IpRange> ranges = build({
      "0.0.0.0/8",
      "169.254.0.0/16",
      "127.0.0.0/8",
      "192.168.0.0/16",
      "10.0.0.0/8",
      "172.16.0.0/12",
      "::/8",
      "fc00::/7",
      "fe80::/10",
      "fec0::/10",
      "ff00::/8",
      "::/127",
  });
  return ranges;
}

}  // namespace relaymon::model
