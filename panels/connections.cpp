#include "panels/connections.h"

#include <algorithm>
#include <functional>
#include <map>

#include <fmt/format.h>

#include "panels/explain.h"
#include "panels/format.h"
#include "ui/table.h"
#include "ui/text.h"

namespace relaymon::panels {

using model::Category;
using model::Connection;
using ui::Role;

std::string_view to_string(ConnSort sort) {
  switch (sort) {
    case ConnSort::kCategory:
      return "category";
    case ConnSort::kAge:
      return "age";
    case ConnSort::kRate:
      return "rate";
    case ConnSort::kBytes:
      return "bytes";
    case ConnSort::kCountry:
      return "country";
    case ConnSort::kRelay:
      return "relay";
    case ConnSort::kState:
      return "state";
  }
  return "category";
}

namespace {

std::uint64_t total_bytes(const Connection& c) {
  return c.bytes_in.value_or(0) + c.bytes_out.value_or(0);
}

// The key compared first for each sort; ties fall back to category and
// the remote end so the order is stable from one frame to the next.
bool less(const Connection& a, const Connection& b, ConnSort sort) {
  switch (sort) {
    case ConnSort::kCategory:
      if (a.category != b.category) return a.category < b.category;
      break;
    case ConnSort::kAge:  // oldest first
      if (a.first_seen != b.first_seen) return a.first_seen < b.first_seen;
      break;
    case ConnSort::kRate:  // busiest first
      if (a.rate_in + a.rate_out != b.rate_in + b.rate_out) {
        return a.rate_in + a.rate_out > b.rate_in + b.rate_out;
      }
      break;
    case ConnSort::kBytes:
      if (total_bytes(a) != total_bytes(b)) return total_bytes(a) > total_bytes(b);
      break;
    case ConnSort::kCountry:
      if (a.country != b.country) return a.country < b.country;
      break;
    case ConnSort::kRelay:
      if (a.relay_nickname != b.relay_nickname) return a.relay_nickname < b.relay_nickname;
      if (a.relay_fingerprint != b.relay_fingerprint) {
        return a.relay_fingerprint < b.relay_fingerprint;
      }
      break;
    case ConnSort::kState:
      if (a.state != b.state) return a.state < b.state;
      break;
  }
  if (a.category != b.category) return a.category < b.category;
  if (a.remote.address != b.remote.address) return a.remote.address < b.remote.address;
  if (a.remote.port != b.remote.port) return a.remote.port < b.remote.port;
  return a.local.port < b.local.port;
}

std::string_view direction_label(model::Direction d) {
  switch (d) {
    case model::Direction::kInbound:
      return "in";
    case model::Direction::kOutbound:
      return "out";
    case model::Direction::kListen:
      return "lsn";
    case model::Direction::kLocal:
      return "loc";
  }
  return "?";
}

// The nickname, or the start of the fingerprint for an unnamed relay (the
// whole fingerprint is in the details view).
std::string relay_label(const Connection& c) {
  if (!c.relay_nickname.empty()) return ui::sanitize(c.relay_nickname);
  if (!c.relay_fingerprint.empty()) return "$" + ui::sanitize(c.relay_fingerprint.substr(0, 8));
  return "";
}

Role state_role(const Connection& c) {
  if (c.state == "SYN-SENT" || c.state == "SYN-RECV") return Role::kWarning;
  if (c.category == Category::kUnexpected) return Role::kCritical;
  return Role::kNormal;
}

// Priorities: what stays as the terminal narrows (0 always). The column
// the list is sorted by comes right after the always-shown ones, so at 80
// columns "sort: rate" shows the rate. The relay column is as wide as the
// longest name on screen, and gone when no row on screen has one.
std::vector<ui::Column> columns(ConnSort sort, int relay_width) {
  std::vector<ui::Column> c{
      {"dir", 3, 1},
      {"remote", 21, 0, false, true},
      {"relay", std::clamp(relay_width, 5, 16), 2},
      {"cc", 2, 2},
      {"category", 10, 0},
      {"state", 8, 3},
      {"age", 8, 3, true},
      {"rate", 10, 4, true},
      {"bytes in/out", 19, 5, true},
  };
  auto sorted = [&](std::size_t i) { c[i].priority = 1; };
  switch (sort) {
    case ConnSort::kRelay:
      if (relay_width > 0) sorted(2);
      break;
    case ConnSort::kCountry:
      sorted(3);
      break;
    case ConnSort::kState:
      sorted(5);
      break;
    case ConnSort::kAge:
      sorted(6);
      break;
    case ConnSort::kRate:
      sorted(7);
      break;
    case ConnSort::kBytes:
      sorted(8);
      break;
    case ConnSort::kCategory:
      break;
  }
  return c;
}

// A listener by what it is: "127.0.0.1:5004 ORPort" (its remote is the
// wildcard, which says nothing). The kind comes from tor's net/listeners.
std::string listener_label(const model::Snapshot& s, const Connection& c) {
  static const std::map<std::string_view, std::string_view> kNames = {
      {"or", "ORPort"},           {"dir", "DirPort"},     {"socks", "SocksPort"},
      {"control", "ControlPort"}, {"dns", "DNSPort"},     {"trans", "TransPort"},
      {"natd", "NATDPort"},       {"extor", "ExtORPort"}, {"metrics", "MetricsPort"}};
  std::string address = ui::sanitize(c.local.address);
  if (address.find(':') != std::string::npos) address = "[" + address + "]";
  std::string text = fmt::format("{}:{}", address, c.local.port);
  for (const auto& l : s.listeners) {
    if (l.endpoint.port != c.local.port) continue;
    auto it = kNames.find(l.kind);
    text += fmt::format(" {}", it == kNames.end() ? ui::sanitize(l.kind) : std::string(it->second));
    break;
  }
  return text;
}

std::vector<ui::TableCell> cells(const model::Snapshot& s, const Connection& c) {
  Role cat_role = c.category == Category::kUnexpected ? Role::kCritical : Role::kLabel;
  std::string bytes;
  if (c.bytes_in || c.bytes_out) {
    bytes = fmt::format("{} / {}", c.bytes_in ? format_bytes(*c.bytes_in) : "?",
                        c.bytes_out ? format_bytes(*c.bytes_out) : "?");
  }
  return {
      {std::string(direction_label(c.direction)), Role::kDim},
      {c.category == Category::kListener ? listener_label(s, c) : shown_remote(c), Role::kValue},
      {relay_label(c), Role::kNormal},
      {shown_country(c), Role::kNormal},
      {std::string(category_label(c.category)), cat_role},
      {ui::sanitize(c.state), state_role(c)},
      // Open before relaymon first looked: the age is a lower bound ("+", as nyx).
      {format_duration(seconds_between(c.first_seen, s.taken)) +
           (c.opened_before_relaymon ? "+" : ""),
       Role::kNormal},
      {c.rate_in + c.rate_out > 0 ? format_rate(c.rate_in + c.rate_out) : "", Role::kNormal},
      {bytes, Role::kNormal},
  };
}

// Every list mode has a title and a header row above its rows.
int list_rows(int height) {
  return std::max(1, height - 2);
}

int item_count(const model::Snapshot& s, const ConnectionsView& view) {
  if (view.mode == ConnMode::kCircuits) return static_cast<int>(s.circuits.size());
  if (view.mode == ConnMode::kSummary) return 0;
  if (!view.filter) return static_cast<int>(s.connections.size());
  // Counted, not sorted: the layout step runs every frame.
  return static_cast<int>(
      std::count_if(s.connections.begin(), s.connections.end(),
                    [&](const Connection& c) { return c.category == *view.filter; }));
}

}  // namespace

void layout_connections(const model::Snapshot& snapshot, ConnectionsView& view, int /*width*/,
                        int height) {
  view.cursor.fit(item_count(snapshot, view), list_rows(height));
}

std::vector<const Connection*> visible_connections(const model::Snapshot& snapshot,
                                                   const ConnectionsView& view,
                                                   std::size_t sorted) {
  std::vector<const Connection*> out;
  out.reserve(snapshot.connections.size());
  for (const Connection& c : snapshot.connections) {
    if (view.filter && c.category != *view.filter) continue;
    out.push_back(&c);
  }
  // Pointers into one vector compare by position: the snapshot's order
  // settles what the keys leave equal, as a stable sort would.
  auto before = [&](const Connection* a, const Connection* b) {
    if (view.descending ? less(*b, *a, view.sort) : less(*a, *b, view.sort)) return true;
    if (view.descending ? less(*a, *b, view.sort) : less(*b, *a, view.sort)) return false;
    return std::less<const Connection*>()(a, b);
  };
  auto middle = out.begin() + static_cast<std::ptrdiff_t>(std::min(sorted, out.size()));
  std::partial_sort(out.begin(), middle, out.end(), before);
  return out;
}

// Connections (3 of 40, sort: category, all categories):
// dir remote               cc category   state      age
// in  client (DE)          DE client     ESTAB   5m 03s
// out 198.51.100.7:9001    US relay out  ESTAB   1h 02m   <- selected (reverse)
void draw_connections(const model::Snapshot& snapshot, const ConnectionsView& view,
                      ui::Canvas& canvas) {
  int w = canvas.width();
  int h = canvas.height();
  if (h < 1 || w < 1) return;
  if (view.mode == ConnMode::kCircuits) return draw_circuits(snapshot, view, canvas);
  if (view.mode == ConnMode::kSummary) return draw_connection_summary(snapshot, canvas);

  // Sorted as far as this frame can show: the rows below the screenful
  // are never drawn. The page redraws every second (BW events) while the
  // connections change every poll: the order is remembered for the same
  // connections and view, keeping them alive so the memo cannot outlive
  // what it points into. Invisible to callers: the page stays a function
  // of the snapshot and the view.
  struct Memo {
    std::shared_ptr<const std::vector<Connection>> connections;
    ConnSort sort = ConnSort::kCategory;
    bool descending = false;
    std::optional<Category> filter;
    std::size_t sorted = 0;
    std::vector<const Connection*> list;
  };
  static thread_local Memo memo;
  auto wanted = static_cast<std::size_t>(std::max(view.cursor.selected + 1, view.cursor.top + h));
  auto current = snapshot.connections.share();
  if (!current || memo.connections != current || memo.sort != view.sort ||
      memo.descending != view.descending || memo.filter != view.filter || memo.sorted < wanted) {
    memo.list = visible_connections(snapshot, view, wanted);
    memo.connections = current;
    memo.sort = view.sort;
    memo.descending = view.descending;
    memo.filter = view.filter;
    memo.sorted = wanted;
  }
  const std::vector<const Connection*>& list = memo.list;
  int count = static_cast<int>(list.size());
  int selected = view.cursor.clamped(count);
  if (view.details && count > 0) {
    return draw_connection_details(snapshot, *list[static_cast<std::size_t>(selected)], canvas);
  }
  std::string title = fmt::format(
      "Connections ({} of {}, sort: {}{}, {}):", count, snapshot.connections.size(),
      to_string(view.sort), view.descending ? " reversed" : "",
      view.filter ? std::string(category_label(*view.filter)) + " only" : "all categories");
  canvas.put(0, 0, ui::ellipsize(title, w), Role::kTitle);
  if (h < 2) return;
  if (count == 0) {
    std::string why = snapshot.connections.empty()
                          ? (snapshot.resolver_status.empty()
                                 ? "no connections"
                                 : "no connections: " + ui::sanitize(snapshot.resolver_status))
                          : "no connections in this category";
    canvas.put(0, 1, ui::ellipsize(why, w), Role::kDim);
    return;
  }
  int rows = h - 2;
  if (rows < 1) return;
  int first = view.cursor.first(count, rows);
  int relay_width = 0;
  for (int r = 0; r < rows && first + r < count; ++r) {
    relay_width = std::max(
        relay_width, ui::display_width(relay_label(*list[static_cast<std::size_t>(first + r)])));
  }
  const auto table = columns(view.sort, relay_width);
  auto widths = ui::layout_columns(table, w);
  if (relay_width == 0 && widths[2] > 0) {  // no relay on screen: the remote takes its room
    widths[1] += widths[2] + 1;
    widths[2] = 0;
  }
  ui::draw_header_row(canvas, 1, table, widths, Role::kLabel);
  const Role selection = Role::kSelection;
  for (int r = 0; r < rows && first + r < count; ++r) {
    const Connection& c = *list[static_cast<std::size_t>(first + r)];
    bool is_selected = first + r == selected;
    ui::draw_row(canvas, 2 + r, table, widths, cells(snapshot, c),
                 is_selected ? &selection : nullptr);
  }
}

const std::vector<ui::Action>& connections_actions() {
  static const std::vector<ui::Action> kActions{
      {"select", "up/down pgup/pgdn", "move the selection"},
      {"details", "enter", "explain the selected connection (esc closes)"},
      {"sort", "s", "sort by category, age, rate, bytes, country, relay, state"},
      {"reverse", "r", "reverse the sort order"},
      {"filter", "f", "show one category at a time"},
      {"circuits", "c", "tor's circuits, hops with roles (enter: details)"},
      {"summary", "e", "exit ports and client countries"},
  };
  return kActions;
}

Outcome handle_connections_key(const model::Snapshot& snapshot, ConnectionsView& view, int key) {
  Outcome out;
  out.handled = true;
  int count = item_count(snapshot, view);
  if (view.cursor.move(key, count)) return out;
  switch (key) {
    case ui::key::kEnter:
      if (view.mode != ConnMode::kSummary && count > 0) view.details = !view.details;
      break;
    case ui::key::kEscape:
      // Closes the details first, then the circuits or summary view.
      if (view.details) {
        view.details = false;
        break;
      }
      if (view.mode == ConnMode::kList) out.handled = false;
      view.mode = ConnMode::kList;
      break;
    case 's':
      view.sort = static_cast<ConnSort>((static_cast<int>(view.sort) + 1) %
                                        (static_cast<int>(ConnSort::kState) + 1));
      break;
    case 'r':
      view.descending = !view.descending;
      break;
    case 'f': {
      // Cycle through the categories present, then back to all.
      std::vector<bool> present(static_cast<std::size_t>(Category::kUnexpected) + 1, false);
      for (const Connection& c : snapshot.connections) {
        present[static_cast<std::size_t>(c.category)] = true;
      }
      int start = view.filter ? static_cast<int>(*view.filter) + 1 : 0;
      view.filter.reset();
      for (int i = start; i < static_cast<int>(present.size()); ++i) {
        if (present[static_cast<std::size_t>(i)]) {
          view.filter = static_cast<Category>(i);
          break;
        }
      }
      view.cursor = {};
      view.details = false;
      break;
    }
    case 'c':
      view.mode = view.mode == ConnMode::kCircuits ? ConnMode::kList : ConnMode::kCircuits;
      view.cursor = {};
      view.details = false;
      break;
    case 'e':
      view.mode = view.mode == ConnMode::kSummary ? ConnMode::kList : ConnMode::kSummary;
      view.cursor = {};
      view.details = false;
      break;
    default:
      out.handled = false;
      break;
  }
  return out;
}

}  // namespace relaymon::panels
