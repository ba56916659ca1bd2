// The connections page's secondary views: details, circuits, summaries.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "model/relay_index.h"
#include "panels/connections.h"
#include "panels/explain.h"
#include "panels/format.h"
#include "text/text.h"
#include "ui/flow.h"
#include "ui/table.h"
#include "ui/text.h"

namespace relaymon::panels {

using model::Category;
using ui::Role;
using ui::Segments;

namespace {

Segments field(std::string label, std::string value) {
  return {{std::move(label), Role::kLabel}, {std::move(value), Role::kValue}};
}

std::string hop_name(const model::CircuitHop& hop) {
  if (!hop.nickname.empty()) return ui::sanitize(hop.nickname);
  return "$" + ui::sanitize(hop.fingerprint.substr(0, 8));
}

// The last hop's job, from the circuit's purpose (control-spec 4.1.1).
std::string_view last_hop_role(std::string_view purpose) {
  if (purpose.find("REND") != std::string_view::npos) return "rend";
  if (purpose.find("INTRO") != std::string_view::npos) return "intro";
  if (purpose.find("HSDIR") != std::string_view::npos) return "hsdir";
  if (purpose == "GENERAL" || purpose.rfind("CONFLUX", 0) == 0) return "exit";
  return "last";
}

// "G middle1 > M reach1 > E exit2": each hop with its role's letter.
std::string path_text(const model::Circuit& circ) {
  std::string path;
  auto roles = hop_roles(circ);
  for (std::size_t i = 0; i < circ.path.size(); ++i) {
    char letter = text::upper(roles[i][0]);
    path += fmt::format("{}{} {}", path.empty() ? "" : " > ", letter, hop_name(circ.path[i]));
  }
  return path;
}

void draw_circuit_details(const model::Snapshot& snapshot, const model::Circuit& circ,
                          ui::Canvas& canvas) {
  int w = canvas.width();
  int h = canvas.height();
  if (w < 4 || h < 3) {
    canvas.put(0, 0, ui::fit("details: window too small", w), Role::kDim);
    return;
  }
  canvas.fill(0, 0, w, h, Role::kNormal);
  canvas.box(0, 0, w, h, Role::kDim);
  std::string title = fmt::format(" Circuit {}: {} ({}) ", ui::sanitize(circ.id),
                                  ui::sanitize(circ.status), ui::sanitize(circ.purpose));
  canvas.put(2, 0, ui::fit(title, w - 4), Role::kTitle);
  ui::Region inner(canvas, 2, 1, w - 4, h - 2);
  std::vector<Segments> groups;
  if (circ.created) {
    groups.push_back(
        field("age: ", format_duration(seconds_between(*circ.created, snapshot.taken))));
  } else {
    groups.push_back(
        field("first seen: ",
              format_duration(seconds_between(circ.first_seen, snapshot.taken)) + " ago"));
  }
  if (!circ.build_flags.empty()) {
    std::string flags;
    for (const auto& f : circ.build_flags) flags += (flags.empty() ? "" : " ") + ui::sanitize(f);
    groups.push_back(field("build flags: ", flags));
  }
  if (circ.bytes_read || circ.bytes_written) {
    groups.push_back(field("read: ", format_bytes(circ.bytes_read)));
    groups.push_back(field("written: ", format_bytes(circ.bytes_written)));
  }
  int y = 0;
  for (const auto& row : ui::flow({groups}, inner.width())) {
    if (y >= inner.height()) return;
    ui::draw_segments(inner, 0, y++, row);
  }
  if (y < inner.height()) inner.put(0, y++, "hops:", Role::kTitle);
  auto roles = hop_roles(circ);
  for (std::size_t i = 0; i < circ.path.size() && y < inner.height(); ++i) {
    const auto& hop = circ.path[i];
    std::string line = fmt::format("{}. {:<7}{} {}", i + 1, roles[i],
                                   ui::sanitize(hop.nickname.empty() ? "?" : hop.nickname),
                                   ui::sanitize(hop.fingerprint));
    if (auto entry = find_peer_relay(snapshot, hop.fingerprint)) {
      std::string flags;
      for (const auto& f : entry->flags) flags += (flags.empty() ? "" : " ") + ui::sanitize(f);
      line += fmt::format("  {}:{}  {}", ui::sanitize(entry->address), entry->or_port, flags);
    }
    inner.put(2, y++, ui::ellipsize(line, inner.width() - 2), Role::kValue);
  }
  if (circ.path.empty() && y < inner.height()) inner.put(2, y, "(no hops yet)", Role::kDim);
}

}  // namespace

std::vector<std::string> hop_roles(const model::Circuit& circ) {
  std::vector<std::string> roles(circ.path.size(), "middle");
  if (roles.empty()) return roles;
  roles.front() = "guard";
  if (roles.size() > 1) roles.back() = std::string(last_hop_role(circ.purpose));
  return roles;
}

std::optional<model::ConsensusEntry> find_peer_relay(const model::Snapshot& snapshot,
                                                     std::string_view fingerprint) {
  auto it = std::lower_bound(
      snapshot.peer_relays.begin(), snapshot.peer_relays.end(), fingerprint,
      [](const model::ConsensusEntry& e, std::string_view fp) { return e.fingerprint < fp; });
  if (it != snapshot.peer_relays.end() && it->fingerprint == fingerprint) return *it;
  if (!snapshot.consensus) return std::nullopt;
  const model::RelayEntry* relay = snapshot.consensus->by_fingerprint(fingerprint);
  if (!relay) return std::nullopt;
  return model::to_consensus_entry(*relay);
}

// Consensus entry (nyx's consensus popup), in the order of the `r` line:
// nickname: moria1  fingerprint: 9695DFC3...  published: 2038-01-01 00:00:00
// address: 128.31.0.34:9101  DirPort: 9131  IPv6: [2001:db8::1]:9101
// flags: Authority Fast Running Stable V2Dir Valid
// version: Tor 0.4.9.11  bandwidth: 20 KB/s (consensus weight)
// exit policy: reject 1-65535
int draw_consensus_entry(const model::ConsensusEntry& e, ui::Canvas& canvas) {
  int w = canvas.width();
  int h = canvas.height();
  if (w < 1 || h < 1) return 0;
  canvas.put(0, 0, ui::ellipsize("Consensus entry:", w), Role::kTitle);
  std::vector<Segments> groups{field("nickname: ", ui::sanitize(e.nickname)),
                               field("fingerprint: ", ui::sanitize(e.fingerprint))};
  if (!e.published.empty()) groups.push_back(field("published: ", ui::sanitize(e.published)));
  std::vector<Segments> addresses{
      field("address: ", fmt::format("{}:{}", ui::sanitize(e.address), e.or_port)),
      field("DirPort: ", e.dir_port == 0 ? std::string("none") : std::to_string(e.dir_port))};
  for (const std::string& a : e.or_addresses) {
    addresses.push_back(field(a.find('[') == 0 ? "IPv6: " : "also: ", ui::sanitize(a)));
  }
  std::vector<std::vector<Segments>> lines{groups, addresses};
  std::string flags;
  for (const std::string& f : e.flags) flags += (flags.empty() ? "" : " ") + ui::sanitize(f);
  lines.push_back({field("flags: ", flags.empty() ? "none" : flags)});
  lines.push_back(
      {field("version: ", e.version.empty() ? "n/a" : ui::sanitize(e.version)),
       field("bandwidth: ",
             e.bandwidth ? fmt::format("{} KB/s (consensus weight)", *e.bandwidth) : "n/a")});
  lines.push_back(
      {field("exit policy: ", e.exit_summary.empty() ? "n/a" : ui::sanitize(e.exit_summary))});
  // The entry's fields are indented by two under the title.
  ui::Region inner(canvas, std::min(2, w), 1, std::max(0, w - 2), h - 1);
  int y = 0;
  for (const Segments& row : ui::flow(lines, inner.width())) {
    if (y >= inner.height()) break;
    ui::draw_segments(inner, 0, y++, row);
  }
  return 1 + y;
}

// +- Connection: client (inbound) ----------------+
// | remote: client (DE)  country: DE  state: ESTAB |
// | local: 203.0.113.5:9001  first seen: 5m 03s ago|
// |                                                |
// | A Tor user's client uses this relay as ...     |
// | Why the address is hidden: ...                 |
// +------------------------------------------------+
void draw_connection_details(const model::Snapshot& snapshot, const model::Connection& c,
                             ui::Canvas& canvas) {
  int w = canvas.width();
  int h = canvas.height();
  if (w < 1 || h < 1) return;
  if (w < 4 || h < 3) {
    canvas.put(0, 0, ui::fit("details: window too small", w), Role::kDim);
    return;
  }
  canvas.fill(0, 0, w, h, Role::kNormal);
  canvas.box(0, 0, w, h, Role::kDim);
  std::string title = fmt::format(" Connection: {} ({}) ", category_label(c.category),
                                  model::to_string(c.direction));
  canvas.put(2, 0, ui::fit(title, w - 4), Role::kTitle);
  ui::Region inner(canvas, 2, 1, w - 4, h - 2);

  std::vector<Segments> groups{field("remote: ", shown_remote(c))};
  if (!shown_country(c).empty()) groups.push_back(field("country: ", shown_country(c)));
  if (!c.asn.empty() && !hides_address(c.category)) {
    groups.push_back(field("AS: ", ui::sanitize(c.asn)));
  }
  groups.push_back(field("state: ", ui::sanitize(c.state.empty() ? "?" : c.state)));
  std::string local = ui::sanitize(c.local.address);
  if (local.find(':') != std::string::npos) local = "[" + local + "]";
  groups.push_back(field("local: ", fmt::format("{}:{}", local, c.local.port)));
  groups.push_back(field("protocol: ", ui::sanitize(c.protocol.empty() ? "tcp" : c.protocol)));
  // The kernel gives no age for a socket: this is when relaymon first saw it.
  groups.push_back(field("first seen: ",
                         format_duration(seconds_between(c.first_seen, snapshot.taken)) + " ago"));
  if (c.bytes_in || c.bytes_out) {
    groups.push_back(field("received: ", c.bytes_in ? format_bytes(*c.bytes_in) : "n/a"));
    groups.push_back(field("sent: ", c.bytes_out ? format_bytes(*c.bytes_out) : "n/a"));
  }
  if (c.rate_in + c.rate_out > 0) {
    groups.push_back(field(
        "rate: ", fmt::format("{} in, {} out", format_rate(c.rate_in), format_rate(c.rate_out))));
  }
  if (c.rtt_ms) groups.push_back(field("rtt: ", fmt::format("{:.1f} ms", *c.rtt_ms)));
  if (c.orconn_id) groups.push_back(field("ORCONN: ", fmt::to_string(c.orconn_id)));
  if (c.is_own_control) groups.push_back({{"(relaymon's own connection)", Role::kDim}});
  std::vector<std::vector<Segments>> lines{groups};
  if (!c.relay_fingerprint.empty() || !c.relay_nickname.empty()) {
    lines.push_back(
        {field("relay: ", ui::sanitize(c.relay_nickname.empty() ? "(unnamed)" : c.relay_nickname)),
         field("fingerprint: ", ui::sanitize(c.relay_fingerprint))});
  }
  int y = 0;
  for (const Segments& row : ui::flow(lines, inner.width())) {
    if (y >= inner.height()) return;
    ui::draw_segments(inner, 0, y++, row);
  }
  if (!c.relay_fingerprint.empty() && y < inner.height()) {
    ui::Region rest(inner, 0, y, inner.width(), inner.height() - y);
    if (auto entry = find_peer_relay(snapshot, c.relay_fingerprint)) {
      y += draw_consensus_entry(*entry, rest);
    } else {
      rest.put(0, 0,
               ui::ellipsize("consensus entry: not in the consensus relaymon has", rest.width()),
               Role::kDim);
      ++y;
    }
  }
  ++y;  // a blank line before the explanation
  std::string state_text = state_explanation(c);
  for (std::string_view para : {category_explanation(c.category), std::string_view(state_text),
                                address_explanation(c.category)}) {
    if (para.empty()) continue;
    for (const std::string& line : ui::wrap(para, inner.width())) {
      if (y >= inner.height()) return;
      inner.put(0, y++, line, Role::kNormal);
    }
  }
}

// Circuits (3):
// id  status    purpose   age     path
// 12  BUILT     GENERAL   2m 10s  moria1 > relay2 > exit3
void draw_circuits(const model::Snapshot& snapshot, const ConnectionsView& view,
                   ui::Canvas& canvas) {
  int w = canvas.width();
  int h = canvas.height();
  if (w < 1 || h < 1) return;
  canvas.put(0, 0,
             ui::ellipsize(fmt::format("Circuits ({}; G guard, M middle, E exit; enter: details):",
                                       snapshot.circuits.size()),
                           w),
             Role::kTitle);
  if (h < 2) return;
  if (snapshot.circuits.empty()) {
    canvas.put(0, 1, ui::ellipsize("no circuits (tor reports only circuits it builds itself)", w),
               Role::kDim);
    return;
  }
  // The bytes each circuit carried only where a three-hop path still fits
  // beside them: the path says more.
  static const std::vector<ui::Column> kNarrow{{"id", 5, 0},
                                               {"status", 9, 1},
                                               {"purpose", 14, 3},
                                               {"age", 7, 2, true},
                                               {"path", 12, 0, false, true}};
  static const std::vector<ui::Column> kWide{{"id", 5, 0},
                                             {"status", 9, 1},
                                             {"purpose", 14, 3},
                                             {"age", 7, 2, true},
                                             {"read", 9, 4, true},
                                             {"written", 9, 5, true},
                                             {"path", 12, 0, false, true}};
  const bool wide = w >= 100;
  const std::vector<ui::Column>& kColumns = wide ? kWide : kNarrow;
  int count = static_cast<int>(snapshot.circuits.size());
  int selected = view.cursor.clamped(count);
  if (view.details) {
    return draw_circuit_details(snapshot, snapshot.circuits[static_cast<std::size_t>(selected)],
                                canvas);
  }
  auto widths = ui::layout_columns(kColumns, w);
  ui::draw_header_row(canvas, 1, kColumns, widths, Role::kLabel);
  int rows = h - 2;
  int first = view.cursor.first(count, rows);
  const Role selection = Role::kSelection;
  for (int r = 0; r < rows && first + r < count; ++r) {
    const model::Circuit& circ = snapshot.circuits[static_cast<std::size_t>(first + r)];
    std::string path = path_text(circ);
    Role status_role = circ.status == "BUILT"    ? Role::kGood
                       : circ.status == "FAILED" ? Role::kWarning
                                                 : Role::kNormal;
    std::vector<ui::TableCell> cells{
        {ui::sanitize(circ.id), Role::kNormal},
        {ui::sanitize(circ.status), status_role},
        {ui::sanitize(circ.purpose), Role::kDim},
        {circ.created ? format_duration(seconds_between(*circ.created, snapshot.taken)) : "",
         Role::kNormal},
        {path.empty() ? "(no hops yet)" : path, Role::kValue}};
    if (wide) {  // CIRC_BW totals since relaymon saw the circuit
      cells.insert(cells.end() - 1, {{format_bytes(circ.bytes_read), Role::kNormal},
                                     {format_bytes(circ.bytes_written), Role::kNormal}});
    }
    ui::draw_row(canvas, 2 + r, kColumns, widths, cells,
                 first + r == selected ? &selection : nullptr);
  }
}

// Exit connections by port:        Tor users (guard clients) by country:
//   443 https           12           DE   40
//    80 http             3           US   12
void draw_connection_summary(const model::Snapshot& snapshot, ui::Canvas& canvas) {
  int w = canvas.width();
  int h = canvas.height();
  if (w < 1 || h < 1) return;
  std::map<std::pair<std::uint16_t, std::string>, long> ports;
  std::map<std::string, long> countries;
  for (const model::Connection& c : snapshot.connections) {
    if (c.category == Category::kExit) ++ports[{c.remote.port, c.service}];
    if (c.category == Category::kInboundClient) ++countries[c.country.empty() ? "??" : c.country];
  }
  auto by_count = [](auto& map) {
    std::vector<std::pair<typename std::decay_t<decltype(map)>::key_type, long>> v(map.begin(),
                                                                                   map.end());
    std::stable_sort(v.begin(), v.end(), [](auto& a, auto& b) { return a.second > b.second; });
    return v;
  };
  bool side = w >= 60;
  int col_w = side ? (w - 2) / 2 : w;
  ui::Region left(canvas, 0, 0, col_w, side ? h : h / 2);
  ui::Region right(canvas, side ? col_w + 2 : 0, side ? 0 : h / 2, side ? w - col_w - 2 : w,
                   side ? h : h - h / 2);

  if (left.height() > 0) {
    left.put(0, 0, ui::ellipsize("Exit connections by port:", left.width()), Role::kTitle);
  }
  int y = 1;
  if (ports.empty() && y < left.height()) {
    // Every exit connection counts, whatever its state (SYN-SENT,
    // CLOSE-WAIT...), so "none" is only said when none is listed.
    left.put(0, y++,
             ui::ellipsize(snapshot.relay.is_exit ? "none open right now"
                                                  : "none: not an exit (its policy rejects all)",
                           left.width()),
             Role::kDim);
  }
  for (const auto& [key, count] : by_count(ports)) {
    if (y >= left.height()) break;
    std::string name = key.second.empty() ? "" : ui::sanitize(key.second);
    std::string line = fmt::format("{:>5} {}", key.first, name);
    left.put(0, y, ui::ellipsize(line, std::max(0, left.width() - 7)), Role::kNormal);
    left.put(std::max(0, left.width() - 6), y, ui::pad_left(fmt::format("{}", count), 6),
             Role::kValue);
    ++y;
  }
  if (right.height() > 0) {
    right.put(0, 0, ui::ellipsize("Tor users (guard clients) by country:", right.width()),
              Role::kTitle);
  }
  y = 1;
  if (countries.empty() && y < right.height()) {
    right.put(0, y++, ui::ellipsize("none", right.width()), Role::kDim);
  }
  for (const auto& [country, count] : by_count(countries)) {
    if (y >= right.height()) break;
    right.put(0, y, ui::fit(fmt::format("  {}", ui::sanitize(country)), right.width()),
              Role::kNormal);
    right.put(std::max(0, right.width() - 6), y, ui::pad_left(fmt::format("{}", count), 6),
              Role::kValue);
    ++y;
  }
}

}  // namespace relaymon::panels
