// tor's exit policy (GETINFO exit-policy/full, or torrc ExitPolicy syntax)
// and the decision tor makes with it: rules are tried in order and the first
// one whose address and port match decides; when none matches, the address
// is accepted (dir-spec 2.1.3). An IPv4 rule never matches an IPv6 address
// and back; only a bare `*` matches both; `accept6`/`reject6` rules are
// IPv6-only (tor ignores them when they name an IPv4 address); `private`
// expands to tor's private networks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/ip.h"

namespace relaymon::model {

struct PolicyRule {
  enum class Family : std::uint8_t { kAny, kV4, kV6 };
  bool accept = false;
  Family family = Family::kAny;
  IpAddr network;  // unused for kAny (which is always the wildcard)
  int prefix = 0;  // 0: every address of the family
  std::uint16_t port_min = 1;
  std::uint16_t port_max = 65535;
  std::string text;  // the rule as written, e.g. "reject private:*"

  bool matches(const IpAddr& ip, std::uint16_t port) const;
  bool is_catch_all() const;  // "accept *:*" / "reject *:*" (both families)
};

class ExitPolicy {
 public:
  // Rules separated by newlines or commas (exit-policy/full uses lines,
  // exit-policy/default commas). One malformed rule fails the whole policy,
  // as it does in tor; `error` then names it.
  static std::optional<ExitPolicy> parse(std::string_view text, std::string* error = nullptr);

  // tor's decision for a connection to ip:port.
  bool allows(const IpAddr& ip, std::uint16_t port) const;
  // The first rule that matches, the one that decides (nullptr: none does,
  // and the address is accepted by default).
  const PolicyRule* deciding_rule(const IpAddr& ip, std::uint16_t port) const;
  // Whether an accept rule naming addresses (not `*`) lets this through:
  // the operator chose this destination, e.g. "accept 127.0.0.1:*".
  bool names_accepted(const IpAddr& ip, std::uint16_t port) const;
  bool allows(std::string_view ip, std::uint16_t port) const;
  // Whether some public (not private or reserved) address is allowed on
  // this port: "does the policy exit to port N at all".
  bool accepts_public_port(std::uint16_t port) const;
  // Whether any connection at all, public or private, can be allowed.
  bool accepts_anything() const;
  // One line for people: "reject *:*", "accept 127.0.0.1:*, reject all else",
  // "reject *:25, reject *:119, ..., accept all else".
  std::string summary() const;

  const std::vector<PolicyRule>& rules() const { return rules_; }
  // The rules as written (a `private` rule once, not expanded).
  std::vector<std::string> lines() const;
  bool empty() const { return rules_.empty(); }

 private:
  bool accepts_some_address(std::uint16_t port, bool v4, bool public_only) const;

  std::vector<PolicyRule> rules_;
};

}  // namespace relaymon::model
