// Status, descriptor, guard, signal, liveness, address-map and onion
// service descriptor events (control-spec 4.1.6, 4.1.7, 4.1.10, 4.1.11,
// 4.1.17, 4.1.25, 4.1.27).
#include <fmt/format.h>

#include "control/events_internal.h"

namespace relaymon::control::detail {

namespace {

std::string keyword_or_empty(const ArgList& args, std::string_view key) {
  const std::string* v = args.find(key);
  return v ? *v : std::string{};
}

// The first `n` positional arguments must be present and non-empty.
std::optional<ParseError> require_positional(const ArgList& args,
                                             std::initializer_list<std::string_view> names) {
  std::size_t i = 0;
  for (const auto name : names) {
    if (i >= args.positional.size() || args.positional[i].empty()) {
      return ParseError{fmt::format("missing {}", name)};
    }
    ++i;
  }
  return std::nullopt;
}

std::optional<RouterRef> router_if_valid(std::string_view text) {
  auto ref = parse_router_ref(text);
  if (auto* r = std::get_if<RouterRef>(&ref)) return std::move(*r);
  return std::nullopt;
}

}  // namespace

std::variant<StatusEvent, ParseError> parse_status(const ArgList& args) {
  if (auto err = require_positional(args, {"severity", "action"})) return *err;
  StatusEvent s;
  s.severity = args.positional[0];
  s.action = args.positional[1];
  s.arguments = args.keywords;
  return s;
}

std::variant<NewDescEvent, ParseError> parse_newdesc(const ArgList& args) {
  if (args.positional.empty()) return ParseError{"no relays listed"};
  NewDescEvent d;
  for (const auto& name : args.positional) {
    auto ref = parse_router_ref(name);
    if (auto* err = std::get_if<ParseError>(&ref)) return *err;
    d.servers.push_back(std::get<RouterRef>(std::move(ref)));
  }
  return d;
}

std::variant<SignalEvent, ParseError> parse_signal(const ArgList& args) {
  if (auto err = require_positional(args, {"signal name"})) return *err;
  return SignalEvent{args.positional[0]};
}

std::variant<GuardEvent, ParseError> parse_guard(const ArgList& args) {
  if (auto err = require_positional(args, {"guard type", "guard name", "guard status"})) {
    return *err;
  }
  GuardEvent g;
  g.type = args.positional[0];
  g.name = args.positional[1];
  g.router = router_if_valid(g.name);
  g.status = args.positional[2];
  return g;
}

std::variant<NetworkLivenessEvent, ParseError> parse_liveness(const ArgList& args) {
  if (auto err = require_positional(args, {"status"})) return *err;
  return NetworkLivenessEvent{args.positional[0]};
}

std::variant<AddrMapEvent, ParseError> parse_addrmap(const ArgList& args) {
  if (auto err = require_positional(args, {"address", "new address", "expiry"})) return *err;
  AddrMapEvent a;
  a.address = args.positional[0];
  a.new_address = args.positional[1];
  a.expiry = args.positional[2];
  a.error = keyword_or_empty(args, "error");
  a.utc_expiry = keyword_or_empty(args, "EXPIRES");
  if (const std::string* cached = args.find("CACHED")) {
    if (*cached == "YES") a.cached = true;
    if (*cached == "NO") a.cached = false;
  }
  a.stream_id = keyword_or_empty(args, "STREAMID");
  return a;
}

std::variant<HsDescEvent, ParseError> parse_hs_desc(const ArgList& args) {
  if (auto err = require_positional(args, {"action", "onion address", "auth type", "HSDir"})) {
    return *err;
  }
  HsDescEvent h;
  h.action = args.positional[0];
  h.address = args.positional[1];
  h.auth_type = args.positional[2];
  h.hs_dir = args.positional[3];
  if (h.hs_dir != "UNKNOWN") h.hs_dir_router = router_if_valid(h.hs_dir);
  if (args.positional.size() > 4) h.descriptor_id = args.positional[4];
  h.reason = keyword_or_empty(args, "REASON");
  h.replica = keyword_or_empty(args, "REPLICA");
  h.hs_dir_index = keyword_or_empty(args, "HSDIR_INDEX");
  return h;
}

}  // namespace relaymon::control::detail
