#include "system/ss_parser.h"

#include <algorithm>

#include "system/endpoint.h"
#include "system/text.h"

namespace relaymon::system {
namespace {

bool is_netid(std::string_view s) {
  return s == "tcp" || s == "udp" || s == "raw" || s == "sctp" || s == "mptcp" || s == "dccp" ||
         s == "u_str" || s == "u_dgr" || s == "u_seq" || s == "nl" || s == "p_raw" ||
         s == "p_dgr" || s == "v_str" || s == "v_dgr" || s == "xdp" || s == "tipc";
}

struct User {
  std::string_view name;
  std::optional<int> pid;
};

// Reads `users:(("tor",pid=123,fd=5),("x",456,7))` into at most kMax users.
// Returns false when the text after "users:(" is not in either format.
constexpr std::size_t kMaxUsers = 16;
bool parse_users(std::string_view field, User (&users)[kMaxUsers], std::size_t& count) {
  count = 0;
  auto start = field.find("users:(");
  if (start == std::string_view::npos) return true;  // no process shown (no permission)
  std::string_view s = field.substr(start + 7);
  while (!s.empty() && s.front() == '(') {
    if (s.size() < 2 || s[1] != '"') return false;
    auto name_end = s.find("\",", 2);
    if (name_end == std::string_view::npos) return false;
    User u;
    u.name = s.substr(2, name_end - 2);
    s.remove_prefix(name_end + 2);
    auto close = s.find(')');
    if (close == std::string_view::npos) return false;
    std::string_view attrs = s.substr(0, close);
    // New format "pid=123,fd=5"; old format "123,5": the first number is the pid.
    std::string_view first = attrs.substr(0, attrs.find(','));
    if (text::starts_with(first, "pid=")) first.remove_prefix(4);
    u.pid = text::to_number<int>(first);
    if (!u.pid) return false;
    if (count < kMaxUsers) users[count++] = u;
    s.remove_prefix(close + 1);
    if (!s.empty() && s.front() == ',') s.remove_prefix(1);
  }
  return true;
}

// The value of the token starting with `key` ("rtt:") at or after `from`,
// where it starts a token (so "mrtt:" inside "bbr:(bw:..,mrtt:0.005)" and
// "minrtt:" are not taken for "rtt:"); `next` is set past the value.
std::string_view token_value(std::string_view line, std::string_view key, std::size_t from,
                             std::size_t& next) {
  std::size_t pos = from;
  while ((pos = line.find(key, pos)) != std::string_view::npos) {
    if (pos == 0 || text::is_space(line[pos - 1])) {
      std::size_t start = pos + key.size();
      std::size_t end = start;
      while (end < line.size() && !text::is_space(line[end])) ++end;
      next = end;
      return line.substr(start, end - start);
    }
    pos += key.size();
  }
  next = line.size();
  return {};
}

// Applies one -i line to the sockets of the row above it. iproute2 prints
// "rtt:" early and the byte counters as one run ("bytes_sent:.. bytes_retrans:..
// bytes_acked:.. bytes_received:.."): reading that run in place avoids
// scanning the ~450-byte line once per key.
void apply_info(std::string_view line, Sockets& out, std::size_t first) {
  std::size_t next = 0;
  std::string_view rtt_text = token_value(line, "rtt:", 0, next);
  auto rtt = text::to_double(rtt_text.substr(0, rtt_text.find('/')));
  std::optional<std::uint64_t> sent, acked, received;
  std::size_t pos = 0;
  while (!(sent && acked && received)) {
    std::string_view value = token_value(line, "bytes_", pos, next);
    if (next >= line.size() && value.empty()) break;
    // `value` is "sent:123", "acked:45"...: the rest of the key, then the number.
    auto colon = value.find(':');
    if (colon != std::string_view::npos) {
      std::string_view key = value.substr(0, colon);
      auto number = text::to_number<std::uint64_t>(value.substr(colon + 1));
      if (key == "sent") sent = number;
      if (key == "acked") acked = number;
      if (key == "received") received = number;
    }
    pos = next;
  }
  for (std::size_t k = first; k < out.size(); ++k) {
    Socket& s = out[k];
    s.bytes_sent = sent;
    s.bytes_acked = acked;
    s.bytes_received = received;
    s.rtt_ms = rtt;
  }
}

}  // namespace

Sockets parse_ss(std::string_view output, ParseDiagnostics* diagnostics,
                 std::string_view default_protocol) {
  Sockets out;
  // A row is ~100 bytes, ~550 with its -i line: start big enough to rarely
  // move every Socket while growing.
  out.reserve(output.size() / 256);
  ParseDiagnostics local;
  ParseDiagnostics& diag = diagnostics ? *diagnostics : local;
  // Index of the first Socket produced by the last socket row; the -i line
  // belongs to it. npos when the previous row was not a parsed socket.
  std::size_t last_row = std::string_view::npos;
  text::for_each_line(output, [&](std::string_view line) {
    if (text::trim(line).empty()) return;
    ++diag.lines;
    if (line.front() == '\t' || line.front() == ' ') {
      // The -i continuation line. (Rows never start with a blank: the
      // first column is left-aligned.)
      if (last_row != std::string_view::npos) apply_info(line, out, last_row);
      return;
    }
    last_row = std::string_view::npos;
    std::string_view first = text::split<1>(line).at[0];
    if (first == "Netid" || first == "State") return;  // header
    std::size_t i = 0;
    std::string_view protocol = default_protocol;
    if (is_netid(first)) {
      protocol = first;
      i = 1;
    }
    // The process column is taken whole (`rest`): a name may hold blanks.
    auto f = text::split<6>(line, i + 5);
    if (protocol != "tcp" && protocol != "udp") return;  // not an internet socket we track
    if (f.count < i + 5) return diag.skip(line);
    auto state = normalize_state(f.at[i], protocol);
    auto recv_q = text::to_number<std::uint64_t>(f.at[i + 1]);
    auto send_q = text::to_number<std::uint64_t>(f.at[i + 2]);
    auto local = parse_endpoint(f.at[i + 3]);
    auto remote = parse_endpoint(f.at[i + 4]);
    if (!state || !recv_q || !send_q || !local || !remote) return diag.skip(line);
    User users[kMaxUsers];
    std::size_t user_count = 0;
    if (!parse_users(f.rest, users, user_count)) return diag.skip(line);

    Socket s;
    s.protocol = std::string(protocol);
    s.state = std::string(*state);
    s.local = std::move(*local);
    s.remote = std::move(*remote);
    last_row = out.size();
    if (user_count == 0) {
      out.push_back(std::move(s));
      return;
    }
    for (std::size_t u = 0; u + 1 < user_count; ++u) {
      out.push_back(s);
      out.back().pid = users[u].pid;
      out.back().process = std::string(users[u].name);
    }
    s.pid = users[user_count - 1].pid;
    s.process = std::string(users[user_count - 1].name);
    out.push_back(std::move(s));
  });
  return out;
}

Sockets filter_by_pid(const Sockets& sockets, int pid) {
  Sockets out;
  for (const auto& s : sockets) {
    if (s.pid == pid) out.push_back(s);
  }
  return out;
}

Sockets filter_by_pid(Sockets&& sockets, int pid) {
  sockets.erase(std::remove_if(sockets.begin(), sockets.end(),
                               [pid](const Socket& s) { return s.pid != pid; }),
                sockets.end());
  return std::move(sockets);
}

}  // namespace relaymon::system
