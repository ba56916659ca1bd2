// Event dispatch: split off the type, build Event::raw and Event::args, hand
// the arguments to the per-type parser (events_traffic.cpp,
// events_status.cpp). Free-text events (logs, NS, CONF_CHANGED) are here.
#include "control/events.h"

#include <fmt/format.h>

#include <array>
#include <charconv>

#include "control/events_internal.h"

namespace relaymon::control {

namespace detail {

std::optional<std::uint64_t> parse_u64(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

bool is_id(std::string_view text) {
  if (text.empty() || text.size() > 16) return false;
  for (const char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

}  // namespace detail

namespace {

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

char ascii_upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

bool is_nickname(std::string_view s) {
  if (s.empty() || s.size() > 19) return false;
  for (const char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

constexpr std::array<std::string_view, 5> kLogSeverities = {"DEBUG", "INFO", "NOTICE", "WARN",
                                                            "ERR"};

bool is_log_type(std::string_view type) {
  for (const auto s : kLogSeverities) {
    if (s == type) return true;
  }
  return false;
}

std::string_view strip_trailing_newline(std::string_view s) {
  if (!s.empty() && s.back() == '\n') s.remove_suffix(1);
  return s;
}

// Lines after the first, minus the closing "650 OK" of a multi-line event.
std::size_t extra_line_end(const Reply& reply) {
  const std::size_t n = reply.lines.size();
  if (n > 1 && reply.lines.back().separator == ' ' && reply.lines.back().text == "OK") return n - 1;
  return n;
}

ParseError typed_error(std::string_view type, std::string_view message) {
  return ParseError{fmt::format("{} event: {}", type, message)};
}

// Moves a per-type parser's value into the payload, or its error out.
template <typename T>
std::optional<ParseError> store(std::variant<T, ParseError>&& parsed, Event& event) {
  if (auto* err = std::get_if<ParseError>(&parsed)) return typed_error(event.type, err->message);
  event.payload = std::move(std::get<T>(parsed));
  return std::nullopt;
}

std::optional<ParseError> parse_log(const Reply& reply, std::string_view rest, Event& event) {
  LogEvent log;
  log.severity = event.type;
  const ReplyLine& first = reply.lines.front();
  if (first.separator == '+') {
    // "650+NOTICE" CRLF Data "." CRLF "650 OK"
    log.message = std::string(strip_trailing_newline(first.data));
    if (!rest.empty()) log.message = fmt::format("{}\n{}", rest, log.message);
  } else {
    log.message = std::string(rest);
    for (std::size_t i = 1; i < extra_line_end(reply); ++i) {
      log.message += '\n';
      log.message += reply.lines[i].text;
      if (reply.lines[i].separator == '+') {
        log.message += '\n';
        log.message += strip_trailing_newline(reply.lines[i].data);
      }
    }
  }
  event.payload = std::move(log);
  return std::nullopt;
}

std::optional<ParseError> parse_network_status(const Reply& reply, Event& event) {
  const ReplyLine& first = reply.lines.front();
  if (first.separator != '+') return typed_error(event.type, "no data block");
  event.payload = NetworkStatusEvent{first.data};
  return std::nullopt;
}

std::optional<ParseError> parse_conf_changed(const Reply& reply, std::string_view rest,
                                             Event& event) {
  if (!rest.empty()) return typed_error(event.type, "unexpected text after CONF_CHANGED");
  ConfChangedEvent changed;
  for (std::size_t i = 1; i < extra_line_end(reply); ++i) {
    const ReplyLine& line = reply.lines[i];
    const std::string_view text = line.text;
    const auto eq = text.find('=');
    ConfEntry entry;
    entry.key = std::string(text.substr(0, eq));
    if (!is_keyword(entry.key)) {
      return typed_error(event.type, fmt::format("bad option name in line {}", i + 1));
    }
    if (eq != std::string_view::npos) {
      entry.value = std::string(text.substr(eq + 1));
      if (line.separator == '+') *entry.value += strip_trailing_newline(line.data);
    }
    changed.entries.push_back(std::move(entry));
  }
  event.payload = std::move(changed);
  return std::nullopt;
}

bool is_known_tokenized(std::string_view t) {
  static constexpr std::array<std::string_view, 18> kTypes = {
      "BW",        "CIRC",    "CIRC_MINOR",       "STREAM",        "ORCONN",        "CIRC_BW",
      "STREAM_BW", "CONN_BW", "STATUS_GENERAL",   "STATUS_CLIENT", "STATUS_SERVER", "NEWDESC",
      "SIGNAL",    "GUARD",   "NETWORK_LIVENESS", "ADDRMAP",       "HS_DESC",       "STATUS_SEVER"};
  for (const auto k : kTypes) {
    if (k == t) return true;
  }
  return false;
}

// Arguments of the first line, plus those of extra "650-KEYWORD=VALUE"
// lines that extended events may add (control-spec 4.1).
std::variant<ArgList, ParseError> collect_args(const Reply& reply, std::string_view rest) {
  auto tokens = tokenize_args(rest);
  auto* all = std::get_if<ArgList>(&tokens);
  if (!all || reply.lines.front().separator != '-') return tokens;
  for (std::size_t i = 1; i < extra_line_end(reply); ++i) {
    auto more = tokenize_args(reply.lines[i].text);
    auto* args = std::get_if<ArgList>(&more);
    if (!args) return more;
    for (auto& kv : args->keywords) all->keywords.push_back(std::move(kv));
    for (auto& word : args->positional) all->keywords.push_back(KeyValue{std::move(word), ""});
    if (all->keywords.size() > kMaxArgs) return ParseError{"too many arguments"};
  }
  return tokens;
}

std::optional<ParseError> parse_tokenized(const Reply& reply, std::string_view rest, Event& event) {
  auto tokens = collect_args(reply, rest);
  if (auto* err = std::get_if<ParseError>(&tokens)) {
    // An event type we don't know has no format we could hold it to: keep
    // it with its raw text only.
    if (!is_known_tokenized(event.type)) return std::nullopt;
    return typed_error(event.type, err->message);
  }
  event.args = std::get<ArgList>(std::move(tokens));

  const std::string_view t = event.type;
  const ArgList& a = event.args;
  if (t == "BW") return store(detail::parse_bw(a), event);
  if (t == "CIRC") return store(detail::parse_circ(a), event);
  if (t == "CIRC_MINOR") return store(detail::parse_circ_minor(a), event);
  if (t == "STREAM") return store(detail::parse_stream(a), event);
  if (t == "ORCONN") return store(detail::parse_orconn(a), event);
  if (t == "CIRC_BW") return store(detail::parse_circ_bw(a), event);
  if (t == "STREAM_BW") return store(detail::parse_stream_bw(a), event);
  if (t == "CONN_BW") return store(detail::parse_conn_bw(a), event);
  // Tor before 0.2.0.22-rc spelled STATUS_SERVER "STATUS_SEVER" (control-spec 4.1.10).
  if (t == "STATUS_GENERAL" || t == "STATUS_CLIENT" || t == "STATUS_SERVER" ||
      t == "STATUS_SEVER") {
    return store(detail::parse_status(a), event);
  }
  if (t == "NEWDESC") return store(detail::parse_newdesc(a), event);
  if (t == "SIGNAL") return store(detail::parse_signal(a), event);
  if (t == "GUARD") return store(detail::parse_guard(a), event);
  if (t == "NETWORK_LIVENESS") return store(detail::parse_liveness(a), event);
  if (t == "ADDRMAP") return store(detail::parse_addrmap(a), event);
  if (t == "HS_DESC") return store(detail::parse_hs_desc(a), event);
  event.payload = UnknownEvent{};
  return std::nullopt;
}

}  // namespace

std::variant<RouterRef, ParseError> parse_router_ref(std::string_view text) {
  RouterRef ref;
  if (text.empty()) return ParseError{"empty relay name"};
  if (text.front() != '$') {
    if (!is_nickname(text)) return ParseError{"bad relay nickname"};
    ref.nickname = std::string(text);
    return ref;
  }
  const std::string_view fp = text.substr(1, 40);
  if (fp.size() != 40) return ParseError{"short fingerprint"};
  for (const char c : fp) {
    if (!is_hex(c)) return ParseError{"bad fingerprint"};
    ref.fingerprint.push_back(ascii_upper(c));
  }
  if (text.size() == 41) return ref;
  if (text[41] != '~' && text[41] != '=') {
    return ParseError{"bad fingerprint"};
  }
  const std::string_view nick = text.substr(42);
  if (!is_nickname(nick)) return ParseError{"bad relay nickname"};
  ref.nickname = std::string(nick);
  return ref;
}

std::variant<HostPort, ParseError> parse_host_port(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return ParseError{"no port in the address"};
  }
  std::string_view host = text.substr(0, colon);
  if (!host.empty() && host.front() == '[') {
    if (host.size() < 2 || host.back() != ']') {
      return ParseError{"bad bracketed address"};
    }
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) return ParseError{"no address before the port"};
  const auto port = detail::parse_u64(text.substr(colon + 1));
  if (!port || *port > 65535) return ParseError{"bad port"};
  return HostPort{std::string(host), static_cast<std::uint16_t>(*port)};
}

std::variant<OrConnTarget, ParseError> parse_orconn_target(std::string_view text) {
  OrConnTarget target;
  target.raw = std::string(text);
  if (text.empty()) return ParseError{"empty connection target"};
  if (text.front() == '$' || text.find(':') == std::string_view::npos) {
    auto ref = parse_router_ref(text);
    if (auto* err = std::get_if<ParseError>(&ref)) return *err;
    target.router = std::get<RouterRef>(std::move(ref));
    return target;
  }
  auto hp = parse_host_port(text);
  if (auto* err = std::get_if<ParseError>(&hp)) return *err;
  target.endpoint = std::get<HostPort>(std::move(hp));
  return target;
}

std::string_view event_type(const Reply& reply) {
  if (reply.lines.empty() || reply.lines.front().code != 650) return {};
  const std::string_view text = reply.lines.front().text;
  return text.substr(0, text.find(' '));
}

EventResult parse_event(const Reply& reply) {
  if (reply.lines.empty()) return ParseError{"empty reply"};
  for (const auto& line : reply.lines) {
    if (line.code != 650) {
      return ParseError{fmt::format("not an asynchronous event (code {})", line.code)};
    }
  }
  Event event;
  event.type = std::string(event_type(reply));
  if (!is_keyword(event.type)) {
    return ParseError{"bad event type"};
  }
  std::string_view rest = std::string_view(reply.lines.front().text).substr(event.type.size());
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);

  event.raw = std::string(rest);
  for (std::size_t i = 0; i < extra_line_end(reply); ++i) {
    const ReplyLine& line = reply.lines[i];
    if (i > 0) {
      event.raw += '\n';
      event.raw += line.text;
    }
    if (line.separator == '+') {
      event.raw += '\n';
      event.raw += strip_trailing_newline(line.data);
    }
  }

  std::optional<ParseError> err;
  if (is_log_type(event.type)) {
    err = parse_log(reply, rest, event);
  } else if (event.type == "NS" || event.type == "NEWCONSENSUS") {
    err = parse_network_status(reply, event);
  } else if (event.type == "CONF_CHANGED") {
    err = parse_conf_changed(reply, rest, event);
  } else {
    err = parse_tokenized(reply, rest, event);
  }
  if (err) return *err;
  return event;
}

std::variant<CircuitLine, ParseError> parse_circuit_line(std::string_view line) {
  auto tokens = tokenize_args(line);
  if (auto* err = std::get_if<ParseError>(&tokens)) return *err;
  CircuitLine out;
  out.args = std::get<ArgList>(std::move(tokens));
  auto circ = detail::parse_circ(out.args);
  if (auto* err = std::get_if<ParseError>(&circ)) return *err;
  out.circuit = std::get<CircEvent>(std::move(circ));
  return out;
}

const std::string* StatusEvent::find(std::string_view key) const {
  for (const auto& kv : arguments) {
    if (kv.key.size() == key.size()) {
      bool same = true;
      for (std::size_t i = 0; i < key.size() && same; ++i) {
        same = ascii_upper(kv.key[i]) == ascii_upper(key[i]);
      }
      if (same) return &kv.value;
    }
  }
  return nullptr;
}

}  // namespace relaymon::control
