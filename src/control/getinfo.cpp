#include "control/getinfo.h"

#include <fmt/format.h>

#include "control/events_internal.h"

namespace relaymon::control {

namespace {

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

std::string_view strip_trailing_newline(std::string_view s) {
  if (!s.empty() && s.back() == '\n') s.remove_suffix(1);
  return s;
}

// A non-2xx reply becomes tor's code and message; an empty one is malformed.
std::optional<ReplyError> refusal(const Reply& reply) {
  if (reply.lines.empty()) return ReplyError{0, "empty reply", true};
  if (!reply.ok()) return ReplyError{reply.code(), std::string(reply.message()), false};
  return std::nullopt;
}

ReplyError malformed(const Reply& reply, std::string message) {
  return ReplyError{reply.code(), std::move(message), true};
}

// Calls fn(line_number, line) for each non-empty line of a data value.
template <typename Fn>
std::optional<ParseError> for_each_line(std::string_view value, Fn&& fn) {
  std::size_t number = 0;
  while (!value.empty()) {
    ++number;
    const auto nl = value.find('\n');
    std::string_view line = value.substr(0, nl);
    value.remove_prefix(nl == std::string_view::npos ? value.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (auto err = fn(line)) return ParseError{fmt::format("line {}: {}", number, err->message)};
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> unrecognized_key(const ReplyError& error) {
  constexpr std::string_view kPrefix = "Unrecognized key ";
  std::string_view msg = error.message;
  if (error.code != 552 || msg.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  msg.remove_prefix(kPrefix.size());
  if (auto key = unquote(msg)) return key;
  return std::string(msg);
}

const std::string* InfoMap::find(std::string_view key) const {
  for (const auto& e : entries) {
    if (e.key == key) return &e.value;
  }
  return nullptr;
}

std::variant<InfoMap, ReplyError> parse_getinfo(const Reply& reply) {
  if (auto err = refusal(reply)) return *err;
  InfoMap map;
  const std::size_t last = reply.lines.size() - 1;
  for (std::size_t i = 0; i < reply.lines.size(); ++i) {
    const ReplyLine& line = reply.lines[i];
    if (i == last) {
      if (line.separator != ' ' || line.text != "OK") {
        return malformed(reply, "GETINFO reply does not end with \"OK\"");
      }
      break;
    }
    const auto eq = line.text.find('=');
    if (eq == std::string::npos || eq == 0) {
      return malformed(reply, fmt::format("GETINFO line {} has no key=value", i + 1));
    }
    InfoEntry entry;
    entry.key = line.text.substr(0, eq);
    if (line.separator == '+') {
      entry.from_data_block = true;
      entry.value = line.text.substr(eq + 1);  // normally empty
      entry.value += strip_trailing_newline(line.data);
    } else {
      entry.value = line.text.substr(eq + 1);
    }
    map.entries.push_back(std::move(entry));
  }
  return map;
}

std::vector<std::string> ConfMap::values(std::string_view key) const {
  std::vector<std::string> out;
  for (const auto& e : entries) {
    if (e.value && iequals(e.key, key)) out.push_back(*e.value);
  }
  return out;
}

bool ConfMap::has(std::string_view key) const {
  for (const auto& e : entries) {
    if (iequals(e.key, key)) return true;
  }
  return false;
}

std::variant<ConfMap, ReplyError> parse_getconf(const Reply& reply) {
  if (auto err = refusal(reply)) return *err;
  ConfMap map;
  // Tor puts the last value on the end line ("250 Nickname=x"); a bare
  // "250 OK" (GETCONF without keys) ends the reply without one. No option
  // is named "OK".
  std::size_t end = reply.lines.size();
  if (reply.lines.back().text == "OK") --end;
  for (std::size_t i = 0; i < end; ++i) {
    const ReplyLine& line = reply.lines[i];
    const std::string_view text = line.text;
    const auto eq = text.find('=');
    ConfEntry entry;
    entry.key = std::string(text.substr(0, eq));
    if (!is_keyword(entry.key)) {
      return malformed(reply, fmt::format("GETCONF line {} has no option name", i + 1));
    }
    if (eq != std::string_view::npos) {
      std::string value(text.substr(eq + 1));
      if (line.separator == '+') value += strip_trailing_newline(line.data);
      // Tor quotes a value that starts with a quote or holds special bytes.
      if (!value.empty() && value.front() == '"') {
        auto unquoted = unquote(value);
        if (!unquoted) {
          return malformed(reply, fmt::format("GETCONF line {}: bad quoted value", i + 1));
        }
        value = std::move(*unquoted);
      }
      entry.value = std::move(value);
    }
    map.entries.push_back(std::move(entry));
  }
  return map;
}

std::variant<std::vector<ListenerAddress>, ParseError> parse_listeners(std::string_view value) {
  auto tokens = tokenize_args(value);
  if (auto* err = std::get_if<ParseError>(&tokens)) return *err;
  const ArgList& args = std::get<ArgList>(tokens);
  if (!args.keywords.empty()) {
    return ParseError{fmt::format("unexpected \"{}=\" in listener list", args.keywords[0].key)};
  }
  std::vector<ListenerAddress> out;
  for (const auto& raw : args.positional) {
    ListenerAddress l;
    l.raw = raw;
    constexpr std::string_view kUnix = "unix:";
    if (std::string_view(raw).substr(0, kUnix.size()) == kUnix) {
      l.unix_path = raw.substr(kUnix.size());
      if (l.unix_path.empty()) return ParseError{"unix listener without a path"};
    } else {
      auto hp = parse_host_port(raw);
      if (auto* err = std::get_if<ParseError>(&hp)) return *err;
      l.endpoint = std::get<HostPort>(std::move(hp));
    }
    out.push_back(std::move(l));
  }
  return out;
}

std::variant<std::vector<OrConnStatus>, ParseError> parse_orconn_status(std::string_view value) {
  std::vector<OrConnStatus> out;
  auto err = for_each_line(value, [&](std::string_view line) -> std::optional<ParseError> {
    const auto space = line.find(' ');
    if (space == std::string_view::npos || space + 1 >= line.size()) {
      return ParseError{"missing connection status"};
    }
    auto target = parse_orconn_target(line.substr(0, space));
    if (auto* e = std::get_if<ParseError>(&target)) return *e;
    out.push_back(OrConnStatus{std::get<OrConnTarget>(std::move(target)),
                               std::string(line.substr(space + 1))});
    if (out.size() > kMaxArgs * 16) return ParseError{"too many connections"};
    return std::nullopt;
  });
  if (err) return *err;
  return out;
}

std::variant<std::vector<CircEvent>, ParseError> parse_circuit_status(std::string_view value) {
  std::vector<CircEvent> out;
  auto err = for_each_line(value, [&](std::string_view line) -> std::optional<ParseError> {
    auto circ = parse_circuit_line(line);
    if (auto* e = std::get_if<ParseError>(&circ)) return *e;
    out.push_back(std::get<CircuitLine>(std::move(circ)).circuit);
    if (out.size() > kMaxArgs * 16) return ParseError{"too many circuits"};
    return std::nullopt;
  });
  if (err) return *err;
  return out;
}

std::variant<BootstrapPhase, ParseError> parse_bootstrap_phase(std::string_view value) {
  auto tokens = tokenize_args(value);
  if (auto* err = std::get_if<ParseError>(&tokens)) return *err;
  const ArgList& args = std::get<ArgList>(tokens);
  if (args.positional.size() < 2 || args.positional[1] != "BOOTSTRAP") {
    return ParseError{"expected \"SEVERITY BOOTSTRAP ...\""};
  }
  BootstrapPhase phase;
  phase.severity = args.positional[0];
  const std::string* progress = args.find("PROGRESS");
  if (!progress) return ParseError{"missing PROGRESS="};
  const auto p = detail::parse_u64(*progress);
  if (!p || *p > 100) return ParseError{"bad PROGRESS="};
  phase.progress = static_cast<int>(*p);
  auto get = [&](std::string_view key) {
    const std::string* v = args.find(key);
    return v ? *v : std::string{};
  };
  phase.tag = get("TAG");
  phase.summary = get("SUMMARY");
  phase.warning = get("WARNING");
  phase.reason = get("REASON");
  phase.recommendation = get("RECOMMENDATION");
  phase.arguments = args.keywords;
  return phase;
}

}  // namespace relaymon::control
