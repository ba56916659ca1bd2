// Circuits, streams, OR connections and their bandwidth events
// (control-spec 4.1.1-4.1.4, 4.1.13, 4.1.19, 4.1.21, 4.1.22).
#include <fmt/format.h>

#include <cstdint>

#include "control/events_internal.h"

namespace relaymon::control::detail {

namespace {

std::string keyword_or_empty(const ArgList& args, std::string_view key) {
  const std::string* v = args.find(key);
  return v ? *v : std::string{};
}

std::optional<std::string> keyword_opt(const ArgList& args, std::string_view key) {
  const std::string* v = args.find(key);
  return v ? std::optional<std::string>(*v) : std::nullopt;
}

// A numeric keyword: absent is fine (nullopt), present must be a number.
std::optional<ParseError> optional_number(const ArgList& args, std::string_view key,
                                          std::optional<std::uint64_t>& out) {
  const std::string* v = args.find(key);
  if (!v) return std::nullopt;
  out = parse_u64(*v);
  if (!out) return ParseError{fmt::format("{}= is not a number", key)};
  return std::nullopt;
}

// SESSION_GROUP: a signed decimal ("-4" for tor's default groups).
std::optional<std::int64_t> parse_i64(std::string_view text) {
  const bool negative = !text.empty() && text.front() == '-';
  const auto magnitude = parse_u64(negative ? text.substr(1) : text);
  if (!magnitude || *magnitude > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
  const auto value = static_cast<std::int64_t>(*magnitude);
  return negative ? -value : value;
}

std::optional<ParseError> required_number(const ArgList& args, std::string_view key,
                                          std::uint64_t& out) {
  std::optional<std::uint64_t> v;
  if (auto err = optional_number(args, key, v)) return err;
  if (!v) return ParseError{fmt::format("missing {}=", key)};
  out = *v;
  return std::nullopt;
}

std::optional<ParseError> positional_number(const ArgList& args, std::size_t index,
                                            std::string_view what, std::uint64_t& out) {
  if (index >= args.positional.size()) return ParseError{fmt::format("missing {}", what)};
  const auto v = parse_u64(args.positional[index]);
  if (!v) {
    return ParseError{fmt::format("{} is not a number", what)};
  }
  out = *v;
  return std::nullopt;
}

std::optional<ParseError> id_at(const ArgList& args, std::size_t index, std::string_view what,
                                std::string& out) {
  if (index >= args.positional.size()) return ParseError{fmt::format("missing {}", what)};
  if (!is_id(args.positional[index])) {
    return ParseError{fmt::format("bad {}", what)};
  }
  out = args.positional[index];
  return std::nullopt;
}

std::optional<ParseError> id_keyword(const ArgList& args, std::string_view what, std::string& out) {
  const std::string* v = args.find("ID");
  if (!v) return ParseError{fmt::format("missing ID= ({})", what)};
  if (!is_id(*v)) return ParseError{fmt::format("bad {} ID=", what)};
  out = *v;
  return std::nullopt;
}

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty() && out.size() < kMaxArgs) {
    const auto comma = text.find(',');
    out.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

// Fills the fields CIRC and CIRC_MINOR share.
std::optional<ParseError> fill_circ(const ArgList& args, CircEvent& c) {
  if (auto err = id_at(args, 0, "circuit id", c.id)) return err;
  if (args.positional.size() < 2 || args.positional[1].empty()) {
    return ParseError{"missing circuit status"};
  }
  c.status = args.positional[1];
  if (args.positional.size() > 2) {
    for (const auto& hop : split_commas(args.positional[2])) {
      auto ref = parse_router_ref(hop);
      if (auto* err = std::get_if<ParseError>(&ref)) {
        return ParseError{fmt::format("bad path: {}", err->message)};
      }
      c.path.push_back(std::get<RouterRef>(std::move(ref)));
    }
  }
  if (const std::string* flags = args.find("BUILD_FLAGS")) c.build_flags = split_commas(*flags);
  c.purpose = keyword_or_empty(args, "PURPOSE");
  c.hs_state = keyword_or_empty(args, "HS_STATE");
  c.rend_query = keyword_or_empty(args, "REND_QUERY");
  c.time_created = keyword_or_empty(args, "TIME_CREATED");
  c.reason = keyword_or_empty(args, "REASON");
  c.remote_reason = keyword_or_empty(args, "REMOTE_REASON");
  c.socks_username = keyword_opt(args, "SOCKS_USERNAME");
  c.socks_password = keyword_opt(args, "SOCKS_PASSWORD");
  return std::nullopt;
}

}  // namespace

std::variant<BwEvent, ParseError> parse_bw(const ArgList& args) {
  BwEvent bw;
  if (auto err = positional_number(args, 0, "bytes read", bw.read)) return *err;
  if (auto err = positional_number(args, 1, "bytes written", bw.written)) return *err;
  return bw;
}

std::variant<CircEvent, ParseError> parse_circ(const ArgList& args) {
  CircEvent c;
  if (auto err = fill_circ(args, c)) return *err;
  return c;
}

std::variant<CircMinorEvent, ParseError> parse_circ_minor(const ArgList& args) {
  CircMinorEvent c;
  if (auto err = fill_circ(args, c)) return *err;
  c.old_purpose = keyword_or_empty(args, "OLD_PURPOSE");
  c.old_hs_state = keyword_or_empty(args, "OLD_HS_STATE");
  return c;
}

std::variant<StreamEvent, ParseError> parse_stream(const ArgList& args) {
  StreamEvent s;
  if (auto err = id_at(args, 0, "stream id", s.id)) return *err;
  if (args.positional.size() < 2 || args.positional[1].empty()) {
    return ParseError{"missing stream status"};
  }
  s.status = args.positional[1];
  if (auto err = id_at(args, 2, "circuit id", s.circuit_id)) return *err;
  if (args.positional.size() < 4) return ParseError{"missing target"};
  auto target = parse_host_port(args.positional[3]);
  if (auto* err = std::get_if<ParseError>(&target)) {
    return ParseError{fmt::format("bad target: {}", err->message)};
  }
  s.target = std::get<HostPort>(std::move(target));
  s.reason = keyword_or_empty(args, "REASON");
  s.remote_reason = keyword_or_empty(args, "REMOTE_REASON");
  s.source = keyword_or_empty(args, "SOURCE");
  if (const std::string* src = args.find("SOURCE_ADDR")) {
    auto hp = parse_host_port(*src);
    if (auto* err = std::get_if<ParseError>(&hp)) {
      return ParseError{fmt::format("bad SOURCE_ADDR: {}", err->message)};
    }
    s.source_addr = std::get<HostPort>(std::move(hp));
  }
  s.purpose = keyword_or_empty(args, "PURPOSE");
  s.socks_username = keyword_opt(args, "SOCKS_USERNAME");
  s.socks_password = keyword_opt(args, "SOCKS_PASSWORD");
  s.client_protocol = keyword_or_empty(args, "CLIENT_PROTOCOL");
  if (auto err = optional_number(args, "NYM_EPOCH", s.nym_epoch)) return *err;
  if (const std::string* group = args.find("SESSION_GROUP")) {
    s.session_group = parse_i64(*group);
    if (!s.session_group) return ParseError{"SESSION_GROUP= is not a number"};
  }
  if (const std::string* fields = args.find("ISO_FIELDS")) s.iso_fields = split_commas(*fields);
  return s;
}

std::variant<OrConnEvent, ParseError> parse_orconn(const ArgList& args) {
  OrConnEvent o;
  if (args.positional.empty()) return ParseError{"missing connection target"};
  auto target = parse_orconn_target(args.positional[0]);
  if (auto* err = std::get_if<ParseError>(&target)) {
    return ParseError{fmt::format("bad target: {}", err->message)};
  }
  o.target = std::get<OrConnTarget>(std::move(target));
  if (args.positional.size() < 2 || args.positional[1].empty()) {
    return ParseError{"missing connection status"};
  }
  o.status = args.positional[1];
  o.reason = keyword_or_empty(args, "REASON");
  if (auto err = optional_number(args, "NCIRCS", o.ncircs)) return *err;
  if (const std::string* id = args.find("ID")) {
    if (!is_id(*id)) return ParseError{"bad connection ID="};
    o.conn_id = *id;
  }
  return o;
}

std::variant<CircBwEvent, ParseError> parse_circ_bw(const ArgList& args) {
  CircBwEvent c;
  if (auto err = id_keyword(args, "circuit", c.id)) return *err;
  if (auto err = required_number(args, "READ", c.read)) return *err;
  if (auto err = required_number(args, "WRITTEN", c.written)) return *err;
  c.time = keyword_or_empty(args, "TIME");
  const std::pair<std::string_view, std::optional<std::uint64_t>*> optional[] = {
      {"DELIVERED_READ", &c.delivered_read},
      {"DELIVERED_WRITTEN", &c.delivered_written},
      {"OVERHEAD_READ", &c.overhead_read},
      {"OVERHEAD_WRITTEN", &c.overhead_written},
      {"SS", &c.slow_start},
      {"CWND", &c.cwnd},
      {"RTT", &c.rtt_ms},
      {"MIN_RTT", &c.min_rtt_ms},
  };
  for (const auto& [key, field] : optional) {
    if (auto err = optional_number(args, key, *field)) return *err;
  }
  return c;
}

std::variant<StreamBwEvent, ParseError> parse_stream_bw(const ArgList& args) {
  StreamBwEvent s;
  if (auto err = id_at(args, 0, "stream id", s.id)) return *err;
  if (auto err = positional_number(args, 1, "bytes written", s.written)) return *err;
  if (auto err = positional_number(args, 2, "bytes read", s.read)) return *err;
  if (args.positional.size() > 3) s.time = args.positional[3];
  return s;
}

std::variant<ConnBwEvent, ParseError> parse_conn_bw(const ArgList& args) {
  ConnBwEvent c;
  if (auto err = id_keyword(args, "connection", c.id)) return *err;
  const std::string* type = args.find("TYPE");
  if (!type || type->empty()) return ParseError{"missing TYPE="};
  c.type = *type;
  if (auto err = required_number(args, "READ", c.read)) return *err;
  if (auto err = required_number(args, "WRITTEN", c.written)) return *err;
  return c;
}

}  // namespace relaymon::control::detail
