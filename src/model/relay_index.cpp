#include "model/relay_index.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <functional>
#include <iterator>

#include <fmt/format.h>

#include "model/text.h"

namespace relaymon::model {

namespace {

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// `r` line: nick identity [digest] date time IP ORPort DirPort. The
// microdescriptor form has no digest: tell them apart by the field count.
bool parse_r_line(const std::vector<std::string_view>& f, RelayEntry& e, LabelCache& labels) {
  if (f.size() != 8 && f.size() != 9) return false;
  std::size_t date = f.size() == 9 ? 4 : 3;
  auto fp = identity_to_hex(f[2]);
  auto ip = IpAddr::parse(f[date + 2]);
  auto or_port = parse_port(f[date + 3]);
  auto dir_port = parse_port(f[date + 4], /*allow_zero=*/true);
  if (!fp || !ip || !ip->is_v4() || !or_port || !dir_port || f[1].empty()) return false;
  e.nickname = labels(f[1]);
  e.fingerprint = Label(*fp);
  e.published = fmt_join_space(f[date], f[date + 1]);
  e.ipv4 = *ip;
  e.or_port = *or_port;
  e.dir_port = *dir_port;
  return true;
}

// `a [2001:db8::1]:9001` or `a 1.2.3.4:9001`.
std::optional<IpPort> parse_address_port(std::string_view text) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto ip = IpAddr::parse(text.substr(0, colon));
  auto port = parse_port(text.substr(colon + 1));
  if (!ip || !port) return std::nullopt;
  // An unbracketed IPv6 address has its own colons: "::1:9001" is ambiguous.
  if (!ip->is_v4() && text.front() != '[') return std::nullopt;
  return IpPort{*ip, *port};
}

}  // namespace

bool RelayEntry::has_flag(std::string_view flag) const {
  return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

std::optional<std::string> identity_to_hex(std::string_view b64) {
  while (!b64.empty() && b64.back() == '=') b64.remove_suffix(1);
  if (b64.size() != 27) return std::nullopt;
  std::array<unsigned char, 21> bytes{};
  unsigned acc = 0;
  int nbits = 0;
  std::size_t n = 0;
  for (char c : b64) {
    int v = base64_value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<unsigned>(v);
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      bytes[n++] = static_cast<unsigned char>((acc >> nbits) & 0xff);
    }
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string hex(40, '0');
  for (std::size_t i = 0; i < 20; ++i) {
    hex[2 * i] = kHex[bytes[i] >> 4];
    hex[2 * i + 1] = kHex[bytes[i] & 0xf];
  }
  return hex;
}

ConsensusParse parse_consensus(std::string_view text) {
  ConsensusParse out;
  // Sized first: grown by doubling, 7,000 entries left a third unused.
  std::size_t r_lines = text.substr(0, 2) == "r " ? 1 : 0;
  for (auto at = text.find("\nr "); at != std::string_view::npos; at = text.find("\nr ", at + 1)) {
    ++r_lines;
  }
  out.relays.reserve(r_lines);
  LabelCache labels;  // flags and nicknames repeat
  RelayEntry* current = nullptr;
  std::vector<std::string_view> f;
  for_each_line(text, [&](std::string_view line) {
    split_spaces(line, f);
    if (f.empty()) return true;
    std::string_view kw = f[0];
    if (kw == "r") {
      RelayEntry e;
      if (parse_r_line(f, e, labels)) {
        out.relays.push_back(std::move(e));
        current = &out.relays.back();
      } else {
        ++out.malformed_lines;
        current = nullptr;
      }
    } else if (kw == "directory-footer") {
      return false;  // signatures follow; nothing more to index
    } else if (kw == "dir-source") {
      // dir-source nick identity hostname IP DirPort ORPort
      auto ip = f.size() == 7 ? IpAddr::parse(f[4]) : std::nullopt;
      auto dir = f.size() == 7 ? parse_port(f[5], true) : std::nullopt;
      auto orp = f.size() == 7 ? parse_port(f[6], true) : std::nullopt;
      if (ip && dir && orp) {
        out.authorities.push_back({std::string(f[1]), std::string(f[2]), *ip, *dir, *orp});
      } else {
        ++out.malformed_lines;
      }
    } else if (current == nullptr) {
      return true;  // header lines, or the tail of a dropped entry
    } else if (kw == "a") {
      if (auto ap = f.size() == 2 ? parse_address_port(f[1]) : std::nullopt) {
        current->or_addresses.push_back(*ap);
      } else {
        ++out.malformed_lines;
      }
    } else if (kw == "s") {
      current->flags.clear();
      for (std::size_t i = 1; i < f.size(); ++i) current->flags.push_back(labels(f[i]));
    } else if (kw == "w") {
      for (std::size_t i = 1; i < f.size(); ++i) {
        if (f[i].substr(0, 10) == "Bandwidth=") {
          std::uint64_t bw = 0;
          auto v = f[i].substr(10);
          auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), bw);
          if (ec == std::errc{} && p == v.data() + v.size()) current->bandwidth = bw;
        }
      }
    } else if (kw == "v") {
      current->version = std::string(line.substr(std::min(line.size(), std::size_t{2})));
    } else if (kw == "p") {
      current->exit_summary = std::string(line.substr(std::min(line.size(), std::size_t{2})));
    }
    return true;
  });
  return out;
}

void RelayIndex::replace(ConsensusParse parsed) {
  relays_ = std::move(parsed.relays);
  authorities_ = std::move(parsed.authorities);
  // Sized for what goes in (most relays have no `a` line, many no
  // DirPort): the tables hold wide keys, and 7,000 relays sized for twice
  // as many addresses cost megabytes for nothing.
  std::size_t addresses = relays_.size();
  std::size_t dir_ports = 0;
  for (const RelayEntry& r : relays_) {
    addresses += r.or_addresses.size();
    dir_ports += r.dir_port != 0 ? 1 : 0;
  }
  by_or_.reset(addresses);
  by_dir_.reset(dir_ports);
  by_ip_.reset(addresses);
  by_fp_.reset(relays_.size());
  by_fp_label_.reset(relays_.size());
  ip_nodes_.clear();
  auto add_ip = [&](const IpAddr& ip, std::uint32_t relay) {
    if (!by_ip_.insert(ip, static_cast<std::uint32_t>(ip_nodes_.size()))) {
      // Already known: link the new node right after the head.
      std::uint32_t head = *by_ip_.find(ip);
      ip_nodes_.push_back({relay, ip_nodes_[head].next});
      ip_nodes_[head].next = static_cast<std::uint32_t>(ip_nodes_.size() - 1);
      return;
    }
    ip_nodes_.push_back({relay, kEnd});
  };
  for (std::size_t i = 0; i < relays_.size(); ++i) {
    RelayEntry& r = relays_[i];
    auto idx = static_cast<std::uint32_t>(i);
    by_or_.insert(IpPort{r.ipv4, r.or_port}, idx);
    if (r.dir_port != 0) by_dir_.insert(IpPort{r.ipv4, r.dir_port}, idx);
    if (auto d = digest_of(r.fingerprint)) by_fp_.insert(*d, idx);
    by_fp_label_.insert(r.fingerprint.identity(), idx);
    add_ip(r.ipv4, idx);
    for (const IpPort& a : r.or_addresses) {
      by_or_.insert(a, idx);
      if (!(a.ip == r.ipv4)) add_ip(a.ip, idx);
    }
  }
}

RelayIndex RelayIndex::plus(ConsensusParse more) const {
  ConsensusParse all;
  all.relays.reserve(relays_.size() + more.relays.size());
  all.relays = relays_;
  std::move(more.relays.begin(), more.relays.end(), std::back_inserter(all.relays));
  all.authorities = authorities_;
  all.authorities.insert(all.authorities.end(), more.authorities.begin(), more.authorities.end());
  return RelayIndex(std::move(all));
}

const RelayEntry* RelayIndex::by_or_address(const IpAddr& ip, std::uint16_t port) const {
  const std::uint32_t* i = by_or_.find(IpPort{ip, port});
  return i ? &relays_[*i] : nullptr;
}

const RelayEntry* RelayIndex::by_dir_address(const IpAddr& ip, std::uint16_t port) const {
  const std::uint32_t* i = by_dir_.find(IpPort{ip, port});
  return i ? &relays_[*i] : nullptr;
}

const RelayEntry* RelayIndex::by_fingerprint(std::string_view fp) const {
  if (!fp.empty() && fp.front() == '$') fp.remove_prefix(1);
  fp = fp.substr(0, std::min(fp.find_first_of("~="), fp.size()));
  auto d = digest_of(fp);
  const std::uint32_t* i = d ? by_fp_.find(*d) : nullptr;
  return i ? &relays_[*i] : nullptr;
}

const RelayEntry* RelayIndex::by_fingerprint_label(const Label& fp) const {
  if (fp.empty()) return nullptr;
  const std::uint32_t* i = by_fp_label_.find(fp.identity());
  return i ? &relays_[*i] : nullptr;
}

namespace {

// Hex digit values by character, 0xff for anything else: a poll turns
// every orconn-status fingerprint into a digest.
constexpr std::array<std::uint8_t, 256> kHexValue = [] {
  std::array<std::uint8_t, 256> t{};
  t.fill(0xff);
  for (int c = 0; c < 10; ++c) t['0' + c] = static_cast<std::uint8_t>(c);
  for (int c = 0; c < 6; ++c) {
    t['A' + c] = static_cast<std::uint8_t>(10 + c);
    t['a' + c] = static_cast<std::uint8_t>(10 + c);
  }
  return t;
}();

}  // namespace

std::optional<RelayIndex::Digest> RelayIndex::digest_of(std::string_view hex) {
  if (hex.size() != 40) return std::nullopt;
  Digest d;
  std::uint8_t bad = 0;
  for (std::size_t k = 0; k < 40; ++k) {
    std::uint8_t v = kHexValue[static_cast<unsigned char>(hex[k])];
    bad |= v;
    d.words[k / 16] |= static_cast<std::uint64_t>(v & 0x0f) << (4 * (k % 16));
  }
  if (bad & 0xf0) return std::nullopt;
  return d;
}

std::vector<const RelayEntry*> RelayIndex::by_address(const IpAddr& ip) const {
  std::vector<const RelayEntry*> out;
  const std::uint32_t* head = by_ip_.find(ip);
  for (std::uint32_t n = head ? *head : kEnd; n != kEnd; n = ip_nodes_[n].next) {
    const RelayEntry* r = &relays_[ip_nodes_[n].relay];
    // A relay listed twice at one address (two `a` lines) counts once.
    if (std::find(out.begin(), out.end(), r) == out.end()) out.push_back(r);
  }
  return out;
}

ConsensusEntry to_consensus_entry(const RelayEntry& r) {
  ConsensusEntry e;
  e.nickname = r.nickname;
  e.fingerprint = r.fingerprint;
  e.published = r.published;
  e.address = r.ipv4.to_string();
  e.or_port = r.or_port;
  e.dir_port = r.dir_port;
  for (const IpPort& a : r.or_addresses) {
    std::string ip = a.ip.to_string();
    e.or_addresses.push_back(a.ip.is_v4() ? fmt::format("{}:{}", ip, a.port)
                                          : fmt::format("[{}]:{}", ip, a.port));
  }
  e.flags.assign(r.flags.begin(), r.flags.end());
  e.bandwidth = r.bandwidth;
  e.version = r.version;
  e.exit_summary = r.exit_summary;
  return e;
}

}  // namespace relaymon::model
