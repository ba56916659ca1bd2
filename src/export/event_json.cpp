#include "export/event_json.h"

#include <charconv>
#include <initializer_list>

#include "model/relay_index.h"
#include "model/scrub_text.h"
#include "text/text.h"
#include "text/time.h"

namespace relaymon::exporter {

using nlohmann::json;

namespace {

json str_or_null(const std::string& s) {
  return s.empty() ? json(nullptr) : json(s);
}

template <typename T>
json opt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json list(const std::vector<std::string>& words) {
  json out = json::array();
  for (const auto& w : words) out.push_back(w);
  return out;
}

json router(const control::RouterRef& r) {
  return {{"fingerprint", str_or_null(r.fingerprint)}, {"nickname", str_or_null(r.nickname)}};
}

json router_or_null(const std::optional<control::RouterRef>& r) {
  return r ? router(*r) : json(nullptr);
}

// A value of a keyword relaymon has no shape for: a decimal integer is a
// number (leading zeros keep it a string: it may be a code), the rest is
// scrubbed text.
json loose_value(const std::string& value) {
  std::string_view digits = value;
  if (!digits.empty() && digits.front() == '-') digits.remove_prefix(1);
  bool integer = !digits.empty() && digits.size() <= 18 && (digits == "0" || digits[0] != '0');
  for (char c : digits) integer = integer && c >= '0' && c <= '9';
  if (integer) {
    long long n = 0;
    std::from_chars(value.data(), value.data() + value.size(), n);
    return n;
  }
  return model::scrub_token(value);
}

// Keywords by snake_case name, except `skip` (the ones the shape names).
// A sensitive keyword keeps its name with "[scrubbed]"; a name that comes
// more than once holds the list of its values.
json keyword_object(const control::ArgList& args, std::initializer_list<std::string_view> skip) {
  json out = json::object();
  for (const auto& kv : args.keywords) {
    bool named = false;
    for (auto k : skip) named = named || text::iequals(kv.key, k);
    if (named) continue;
    json value = model::sensitive_keyword(kv.key) ? json(model::kScrubbed) : loose_value(kv.value);
    std::string name = snake_case(kv.key);
    if (!out.contains(name)) {
      out[name] = std::move(value);
    } else {
      if (!out[name].is_array()) out[name] = json::array({out[name]});
      out[name].push_back(std::move(value));
    }
  }
  return out;
}

json circ_fields(const control::CircEvent& c, const control::ArgList& args) {
  json path = json::array();
  for (const auto& hop : c.path) path.push_back(router(hop));
  // REND_QUERY (an onion address) and the SOCKS credentials are known and
  // left out.
  return {
      {"id", c.id},
      {"status", c.status},
      {"path", path},
      {"build_flags", list(c.build_flags)},
      {"purpose", str_or_null(c.purpose)},
      {"hs_state", str_or_null(c.hs_state)},
      {"time_created", str_or_null(c.time_created)},
      {"reason", str_or_null(c.reason)},
      {"remote_reason", str_or_null(c.remote_reason)},
      {"other", keyword_object(args, {"BUILD_FLAGS", "PURPOSE", "HS_STATE", "REND_QUERY",
                                      "TIME_CREATED", "REASON", "REMOTE_REASON", "SOCKS_USERNAME",
                                      "SOCKS_PASSWORD", "OLD_PURPOSE", "OLD_HS_STATE"})}};
}

json stream_fields(const control::StreamEvent& s, const control::ArgList& args) {
  // SOURCE is CACHE or EXIT; anything else is not what the spec means by it.
  bool source_word = !s.source.empty();
  for (char c : s.source) source_word = source_word && ((c >= 'A' && c <= 'Z') || c == '_');
  return {
      {"id", s.id},
      {"status", s.status},
      {"circuit_id", s.circuit_id == "0" ? json(nullptr) : json(s.circuit_id)},
      {"target_port", s.target.port},
      {"purpose", str_or_null(s.purpose)},
      {"reason", str_or_null(s.reason)},
      {"remote_reason", str_or_null(s.remote_reason)},
      {"source", source_word ? json(s.source) : json(nullptr)},
      {"client_protocol", str_or_null(s.client_protocol)},
      {"nym_epoch", opt(s.nym_epoch)},
      {"session_group", opt(s.session_group)},
      {"iso_fields", list(s.iso_fields)},
      {"other", keyword_object(args, {"REASON", "REMOTE_REASON", "SOURCE", "SOURCE_ADDR", "PURPOSE",
                                      "SOCKS_USERNAME", "SOCKS_PASSWORD", "CLIENT_PROTOCOL",
                                      "NYM_EPOCH", "SESSION_GROUP", "ISO_FIELDS"})}};
}

json orconn_fields(const control::OrConnEvent& o, const control::ArgList& args) {
  // tor names a peer by its identity once it has one; before (or without)
  // a relay handshake only by ADDR:PORT, which is a client's address.
  json peer = o.target.router ? router(*o.target.router) : json("client");
  return {{"id", str_or_null(o.conn_id)},
          {"status", o.status},
          {"reason", str_or_null(o.reason)},
          {"circuits", opt(o.ncircs)},
          {"peer", peer},
          {"other", keyword_object(args, {"REASON", "NCIRCS", "ID"})}};
}

json bw_fields(const control::BwEvent& b, const control::ArgList& args) {
  // "BW read written [TYPE=NUM...]": a per-type breakdown tor may add.
  json by_type = json::object();
  control::ArgList rest;
  for (const auto& kv : args.keywords) {
    json v = loose_value(kv.value);
    if (v.is_number_integer() && v >= 0) {
      by_type[snake_case(kv.key)] = v;
    } else {
      rest.keywords.push_back(kv);
    }
  }
  return {{"read", b.read},
          {"written", b.written},
          {"by_type", by_type},
          {"other", keyword_object(rest, {})}};
}

json circ_bw_fields(const control::CircBwEvent& c, const control::ArgList& args) {
  return {{"id", c.id},
          {"read", c.read},
          {"written", c.written},
          {"event_time", str_or_null(c.time)},
          {"delivered_read", opt(c.delivered_read)},
          {"delivered_written", opt(c.delivered_written)},
          {"overhead_read", opt(c.overhead_read)},
          {"overhead_written", opt(c.overhead_written)},
          {"slow_start", c.slow_start ? json(*c.slow_start != 0) : json(nullptr)},
          {"cwnd", opt(c.cwnd)},
          {"rtt_ms", opt(c.rtt_ms)},
          {"min_rtt_ms", opt(c.min_rtt_ms)},
          {"other", keyword_object(args, {"ID", "READ", "WRITTEN", "TIME", "DELIVERED_READ",
                                          "DELIVERED_WRITTEN", "OVERHEAD_READ", "OVERHEAD_WRITTEN",
                                          "SS", "CWND", "RTT", "MIN_RTT"})}};
}

json status_fields(const control::StatusEvent& s) {
  control::ArgList args;
  args.keywords = s.arguments;
  return {{"severity", s.severity}, {"action", s.action}, {"arguments", keyword_object(args, {})}};
}

json consensus_fields(const control::NetworkStatusEvent& ns) {
  // Relays' public entries; their addresses are left out all the same.
  auto parsed = model::parse_consensus(ns.document);
  json relays = json::array();
  for (const auto& r : parsed.relays) {
    relays.push_back({{"fingerprint", r.fingerprint.str()},
                      {"nickname", r.nickname.str()},
                      {"flags", list(std::vector<std::string>(r.flags.begin(), r.flags.end()))}});
  }
  return {{"relay_count", parsed.relays.size()},
          {"relays", relays},
          {"malformed_entries", parsed.malformed_lines}};
}

json unknown_fields(const control::Event& event) {
  json positional = json::array();
  for (const auto& word : event.args.positional) positional.push_back(model::scrub_token(word));
  return {{"positional", positional}, {"keywords", keyword_object(event.args, {})}};
}

template <class... F>
struct Overload : F... {
  using F::operator()...;
};
template <class... F>
Overload(F...) -> Overload<F...>;

}  // namespace

std::string snake_case(std::string_view keyword) {
  std::string out;
  for (std::size_t i = 0; i < keyword.size(); ++i) {
    char c = keyword[i];
    bool upper = c >= 'A' && c <= 'Z';
    if (upper && i > 0) {
      char prev = keyword[i - 1];
      bool prev_lower = (prev >= 'a' && prev <= 'z') || (prev >= '0' && prev <= '9');
      bool next_lower = i + 1 < keyword.size() && keyword[i + 1] >= 'a' && keyword[i + 1] <= 'z';
      bool prev_upper = prev >= 'A' && prev <= 'Z';
      if (prev_lower || (prev_upper && next_lower)) out += '_';
    }
    out += text::lower(c);
  }
  return out;
}

json event_fields(const control::Event& event) {
  const auto& args = event.args;
  return std::visit(
      Overload{
          [&](const control::UnknownEvent&) { return unknown_fields(event); },
          [&](const control::BwEvent& b) { return bw_fields(b, args); },
          [&](const control::CircEvent& c) { return circ_fields(c, args); },
          [&](const control::CircMinorEvent& c) {
            json out = circ_fields(c, args);
            out["old_purpose"] = str_or_null(c.old_purpose);
            out["old_hs_state"] = str_or_null(c.old_hs_state);
            return out;
          },
          [&](const control::StreamEvent& s) { return stream_fields(s, args); },
          [&](const control::OrConnEvent& o) { return orconn_fields(o, args); },
          [&](const control::CircBwEvent& c) { return circ_bw_fields(c, args); },
          [&](const control::StreamBwEvent& s) {
            return json{{"id", s.id},
                        {"read", s.read},
                        {"written", s.written},
                        {"event_time", str_or_null(s.time)}};
          },
          [&](const control::ConnBwEvent& c) {
            return json{{"id", c.id},
                        {"conn_type", c.type},
                        {"read", c.read},
                        {"written", c.written},
                        {"other", keyword_object(args, {"ID", "TYPE", "READ", "WRITTEN"})}};
          },
          [&](const control::LogEvent& l) {
            return json{{"severity", l.severity}, {"message", model::scrub_text(l.message)}};
          },
          [&](const control::StatusEvent& s) { return status_fields(s); },
          [&](const control::NetworkStatusEvent& ns) { return consensus_fields(ns); },
          [&](const control::NewDescEvent& n) {
            json relays = json::array();
            for (const auto& r : n.servers) relays.push_back(router(r));
            return json{{"relays", relays}};
          },
          [&](const control::ConfChangedEvent& c) {
            json changes = json::array();
            for (const auto& e : c.entries) {
              changes.push_back(
                  {{"option", e.key},
                   {"value", e.value ? json(model::scrub_text(*e.value)) : json(nullptr)}});
            }
            return json{{"changes", changes}};
          },
          [&](const control::SignalEvent& s) {
            return json{{"signal", s.signal}};
          },
          [&](const control::GuardEvent& g) {
            return json{
                {"guard_type", g.type}, {"guard", router_or_null(g.router)}, {"status", g.status}};
          },
          [&](const control::NetworkLivenessEvent& n) {
            return json{{"status", n.status}};
          },
          [&](const control::AddrMapEvent& a) {
            // Both addresses are a user's destination: never shown.
            return json{{"expiry", str_or_null(a.expiry)},
                        {"utc_expiry", str_or_null(a.utc_expiry)},
                        {"cached", opt(a.cached)},
                        {"error", str_or_null(a.error)},
                        {"stream_id", str_or_null(a.stream_id)}};
          },
          [&](const control::HsDescEvent& h) {
            // The onion address, descriptor id and HSDir index name a
            // service: left out.
            return json{{"action", h.action},
                        {"auth_type", h.auth_type},
                        {"hs_dir", router_or_null(h.hs_dir_router)},
                        {"reason", str_or_null(h.reason)},
                        {"replica", h.replica.empty() ? json(nullptr) : loose_value(h.replica)}};
          },
      },
      event.payload);
}

json event_json(const std::string& relay, const control::Event& event, model::TimePoint now) {
  json out = {{"type", "event"},
              {"schema", kWatchSchema},
              {"time", text::iso8601(now)},
              {"relay", relay},
              {"event", event.type}};
  json fields = event_fields(event);
  for (auto& [key, value] : fields.items()) out[key] = std::move(value);
  return out;
}

std::string json_line(const json& line) {
  return line.dump(-1, ' ', false, json::error_handler_t::replace);
}

json malformed_event_json(const std::string& relay, std::string_view event_type,
                          const control::ParseError& error, model::TimePoint now) {
  return {{"type", "malformed"},
          {"schema", kWatchSchema},
          {"time", text::iso8601(now)},
          {"relay", relay},
          {"event", control::is_keyword(event_type) ? json(event_type) : json(nullptr)},
          {"error", error.message}};
}

}  // namespace relaymon::exporter
