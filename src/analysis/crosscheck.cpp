#include "analysis/crosscheck.h"

#include <fmt/format.h>

#include <charconv>

namespace relaymon::analysis {

namespace {

template <typename T>
bool number(std::string_view s, T& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size() && !s.empty();
}

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

bool is_or_category(model::Category c) {
  return c == model::Category::kInboundRelay || c == model::Category::kInboundClient ||
         c == model::Category::kOutboundRelay || c == model::Category::kDirectoryFetch;
}

std::vector<std::pair<std::string, long>> count_kinds(const std::vector<SideEntry>& entries) {
  std::map<std::string, long> counts;
  for (const auto& e : entries) ++counts[e.kind];
  return {counts.begin(), counts.end()};
}

}  // namespace

std::vector<ConnAllEntry> parse_conn_all(std::string_view data, int* skipped) {
  std::vector<ConnAllEntry> out;
  int bad = 0;
  while (!data.empty()) {
    auto newline = data.find('\n');
    std::string_view line = data.substr(0, newline);
    data.remove_prefix(newline == std::string_view::npos ? data.size() : newline + 1);
    auto w = words(line);
    if (w.empty()) continue;
    ConnAllEntry e;
    if (w.size() < 10 || !number(w[4], e.port) || !number(w[5], e.local_port) ||
        !number(w[7], e.read) || !number(w[8], e.written) || !number(w[9], e.uptime)) {
      ++bad;
      continue;
    }
    e.conn_id = w[0];
    e.circ_id = w[1];
    e.or_id = w[2];
    e.ip = w[3];
    e.flags = w[6];
    out.push_back(std::move(e));
  }
  if (skipped) *skipped = bad;
  return out;
}

std::vector<SideEntry> control_side(const std::vector<model::OrConn>& orconns) {
  std::vector<SideEntry> out;
  for (const auto& o : orconns) {
    if (o.status != "CONNECTED") continue;
    if (!o.fingerprint.empty()) {
      out.push_back(
          {"$" + o.fingerprint,
           fmt::format("relay ${}{}", o.fingerprint, o.nickname.empty() ? "" : "~" + o.nickname),
           "relay"});
    } else if (o.address) {
      out.push_back({fmt::format("{}:{}", o.address->ip.to_string(), o.address->port),
                     "unauthenticated peer (client or bridge user)", "client"});
    }
  }
  return out;
}

std::vector<SideEntry> control_side(const std::vector<ConnAllEntry>& entries) {
  std::vector<SideEntry> out;
  for (const auto& e : entries) {
    if (e.flags.size() < 3 || (e.flags[0] != 'I' && e.flags[0] != 'O') || e.flags[2] != 'T') {
      continue;  // listening, unestablished or outside the tor network
    }
    if (e.flags[1] == 'X') continue;  // control connections are not OR connections
    std::string kind = e.flags[1] == 'C' ? "client" : "relay";
    if (e.or_id != "0" && !e.or_id.empty()) {
      std::string fp = e.or_id.front() == '$' ? e.or_id.substr(1) : e.or_id;
      out.push_back({"$" + fp, fmt::format("relay ${}", fp), kind});
    } else if (e.ip != "0" && e.port != 0) {
      auto ip = model::IpAddr::parse(e.ip);
      out.push_back({fmt::format("{}:{}", ip ? ip->to_string() : e.ip, e.port),
                     "unauthenticated peer (client or bridge user)", kind});
    }
  }
  return out;
}

std::vector<SideEntry> system_side(const system::Sockets& sockets,
                                   const std::vector<model::Connection>& connections) {
  std::vector<SideEntry> out;
  for (std::size_t i = 0; i < connections.size() && i < sockets.size(); ++i) {
    const auto& c = connections[i];
    if (!is_or_category(c.category) || c.state != "ESTAB") continue;
    std::string kind(model::to_string(c.category));
    if (!c.relay_fingerprint.empty()) {
      out.push_back({"$" + c.relay_fingerprint,
                     fmt::format("relay ${}{}", c.relay_fingerprint,
                                 c.relay_nickname.empty() ? "" : "~" + c.relay_nickname),
                     kind});
    } else {
      auto ip = model::IpAddr::parse(sockets[i].remote.ip);
      std::string description =
          c.scrubbed ? fmt::format("{} {}", kind, c.remote.address)
                     : fmt::format("{} {}:{}", kind, c.remote.address, c.remote.port);
      out.push_back({fmt::format("{}:{}", ip ? ip->to_string() : sockets[i].remote.ip,
                                 sockets[i].remote.port),
                     description, kind, c.category == model::Category::kInboundRelay});
    }
  }
  return out;
}

Comparison compare(const std::vector<SideEntry>& control, const std::vector<SideEntry>& system) {
  Comparison result;
  std::map<std::string, long> system_left;  // exact keys not yet matched
  for (const auto& s : system) {
    if (!s.any_relay) ++system_left[s.key];
  }
  std::vector<const SideEntry*> control_left;
  for (const auto& c : control) {
    auto it = system_left.find(c.key);
    if (it != system_left.end() && it->second > 0) {
      --it->second;
      ++result.matched;
    } else {
      control_left.push_back(&c);
    }
  }
  // Unattributed inbound relay connections take leftover relay entries.
  long wildcards = 0;
  for (const auto& s : system) wildcards += s.any_relay ? 1 : 0;
  std::vector<const SideEntry*> still_control;
  for (const SideEntry* c : control_left) {
    if (wildcards > 0 && c->key.front() == '$') {
      --wildcards;
      ++result.matched;
    } else {
      result.only_control.push_back(*c);
    }
  }
  // What the system has beyond the matches: exact keys left, then the
  // wildcards nobody took.
  std::map<std::string, long> left = system_left;
  for (const auto& s : system) {
    if (s.any_relay) {
      if (wildcards > 0) {
        --wildcards;
        result.only_system.push_back(s);
      }
    } else if (left[s.key] > 0) {
      --left[s.key];
      result.only_system.push_back(s);
    }
  }
  result.control_counts = count_kinds(control);
  result.system_counts = count_kinds(system);
  return result;
}

model::CrossCheck CrossCheckTracker::update(const Comparison& comparison, std::string_view source) {
  model::CrossCheck out;
  out.matched = comparison.matched;
  out.only_control = static_cast<long>(comparison.only_control.size());
  out.only_system = static_cast<long>(comparison.only_system.size());
  out.control_counts = comparison.control_counts;
  out.system_counts = comparison.system_counts;
  out.control_source = std::string(source);
  std::map<std::string, int> next;
  auto track = [&](const SideEntry& e, const char* side, const char* what) {
    std::string key = std::string(side) + e.key;
    int streak = streak_.count(key) ? streak_[key] + 1 : 1;
    // Two surplus connections with one key count once per poll.
    if (next.count(key)) return;
    next[key] = streak;
    if (streak >= polls_) {
      out.persistent.push_back(fmt::format("{} {} (for {} polls)", e.description, what, streak));
    }
  };
  for (const auto& e : comparison.only_control)
    track(e, "c", "reported by tor, not seen by the system");
  for (const auto& e : comparison.only_system) track(e, "s", "seen by the system, unknown to tor");
  streak_ = std::move(next);
  return out;
}

}  // namespace relaymon::analysis
