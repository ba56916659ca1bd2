#include "panels/config.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include <fmt/format.h>

#include "text/text.h"
#include "ui/table.h"
#include "ui/text.h"

namespace relaymon::panels {

using ui::Role;

std::string_view option_description(std::string_view name) {
  static const std::pair<std::string_view, std::string_view> kDescriptions[] = {
      {"AccountingMax", "Hibernate after this much traffic per accounting period."},
      {"AccountingStart", "When each accounting period starts (day, week or month)."},
      {"Address", "The address other relays and clients use to reach this relay."},
      {"BandwidthBurst", "The most traffic tor sends or receives in a burst."},
      {"BandwidthRate", "Average traffic limit for everything this tor does."},
      {"ContactInfo", "How the Tor community can reach the operator; published."},
      {"ControlPort", "Where controllers such as relaymon connect; keep it local."},
      {"CookieAuthentication", "Controllers authenticate with a cookie file."},
      {"DataDirectory", "Where tor keeps its keys and state."},
      {"DirPort", "Where tor serves directory documents (optional for relays)."},
      {"DisableNetwork", "When 1, tor makes and accepts no network connections."},
      {"ExitPolicy", "Which destinations this relay allows Tor users to reach."},
      {"ExitPolicyRejectPrivate", "Refuse exit traffic to private and local addresses."},
      {"ExitRelay", "Whether this relay is an exit at all."},
      {"HashedControlPassword", "A password controllers may use instead of the cookie."},
      {"IPv6Exit", "Allow exit traffic to IPv6 destinations."},
      {"Log", "Where and what tor logs."},
      {"MaxAdvertisedBandwidth", "Caps the bandwidth this relay announces."},
      {"MyFamily", "Other relays run by the same operator; clients avoid pairing them."},
      {"Nickname", "The relay's name in the consensus."},
      {"NumCPUs", "How many worker threads tor uses for crypto."},
      {"ORPort", "Where relays and clients connect to this relay."},
      {"OutboundBindAddress", "The local address tor uses for outgoing connections."},
      {"PublishServerDescriptor", "Whether tor publishes this relay to the authorities."},
      {"RelayBandwidthBurst", "Burst limit for relayed traffic only."},
      {"RelayBandwidthRate", "Average limit for relayed traffic only."},
      {"SocksPort", "Where local applications use tor as a proxy (0 disables)."},
      {"User", "The user tor switches to after starting."},
  };
  for (const auto& [option, text] : kDescriptions) {
    if (text::iequals(option, name)) return text;
  }
  return {};
}

namespace {

// "1073741824" -> "1 GByte" (tor's own unit words; powers of two as tor
// counts them), "" when not a whole number of a unit.
std::string size_in_words(std::uint64_t bytes) {
  static const std::pair<std::uint64_t, const char*> kUnits[] = {
      {1ULL << 40, "TByte"}, {1ULL << 30, "GByte"}, {1ULL << 20, "MByte"}, {1ULL << 10, "KByte"}};
  for (const auto& [size, unit] : kUnits) {
    if (bytes >= size && bytes % size == 0) {
      std::uint64_t n = bytes / size;
      return fmt::format("{} {}{}", n, unit, n == 1 ? "" : "s");
    }
  }
  return fmt::format("{} byte{}", bytes, bytes == 1 ? "" : "s");
}

std::string seconds_in_words(std::uint64_t seconds) {
  static const std::pair<std::uint64_t, const char*> kUnits[] = {
      {7 * 86400, "week"}, {86400, "day"}, {3600, "hour"}, {60, "minute"}};
  for (const auto& [size, unit] : kUnits) {
    if (seconds >= size && seconds % size == 0) {
      std::uint64_t n = seconds / size;
      return fmt::format("{} {}{}", n, unit, n == 1 ? "" : "s");
    }
  }
  return fmt::format("{} second{}", seconds, seconds == 1 ? "" : "s");
}

}  // namespace

std::string value_in_words(std::string_view type, std::string_view value) {
  auto number = text::to_number<std::uint64_t>(value);
  if (!number) return std::string(value);
  if (type == "DataSize") return size_in_words(*number);
  if (type == "TimeInterval") return seconds_in_words(*number);
  if (type == "TimeMsecInterval") {
    return *number % 1000 == 0 ? seconds_in_words(*number / 1000) : fmt::format("{} msec", *number);
  }
  return std::string(value);
}

std::string option_help(const model::Snapshot& snapshot, std::string_view name) {
  if (const auto& manual = snapshot.config->manual) {
    auto it = manual->find(name);
    if (it != manual->end() && !it->second.description.empty()) return it->second.description;
  }
  std::string_view own = option_description(name);
  return own.empty() ? std::string("see man tor") : std::string(own);
}

std::vector<const model::ConfigOption*> visible_options(const model::Snapshot& snapshot,
                                                        const ConfigView& view) {
  std::vector<const model::ConfigOption*> out;
  for (const model::ConfigOption& o : snapshot.config->options) {
    // Options starting with "__" are tor's internal ones.
    if (o.name.rfind("__", 0) == 0 && !view.show_all) continue;
    if (view.show_all || o.is_set) out.push_back(&o);
  }
  return out;
}

namespace {

std::string joined(const model::ConfigOption& o) {
  std::string out;
  for (const std::string& v : o.values) {
    out += (out.empty() ? "" : ", ") + ui::sanitize(value_in_words(o.type, v));
  }
  return out;
}

// The option and type columns as wide as the longest name and type listed
// ("DisableDebuggerAttachment", "Boolean+Auto"): never cut.
std::vector<ui::Column> columns(int name_width, int type_width) {
  return {{"", 1, 0},
          {"option", std::clamp(name_width, 6, 40), 0},
          {"type", std::clamp(type_width, 4, 16), 2},
          {"value", 12, 0, false, true}};
}

}  // namespace

namespace {

// Two rows below the list for the description.
int list_rows(int height) {
  return std::max(0, std::min(std::max(1, height - 4), height - 2));
}

}  // namespace

void layout_config(const model::Snapshot& snapshot, ConfigView& view, int /*width*/, int height) {
  view.cursor.fit(static_cast<int>(visible_options(snapshot, view).size()), list_rows(height));
}

// Config (5 set of 340 options; enter edits, a shows all):
//   option                 type       value
// * ORPort                 LineList   9001
// * Nickname               String     labrelay3
// ---------------------------------------------
// ORPort: Where relays and clients connect to this relay.
void draw_config(const model::Snapshot& snapshot, const ConfigView& view, ui::Canvas& canvas) {
  int w = canvas.width();
  int h = canvas.height();
  if (w < 1 || h < 1) return;
  auto list = visible_options(snapshot, view);
  long set = std::count_if(snapshot.config->options.begin(), snapshot.config->options.end(),
                           [](const model::ConfigOption& o) { return o.is_set; });
  std::string title =
      fmt::format("Config ({} set of {} options, {}):", set, snapshot.config->options.size(),
                  view.show_all ? "showing all" : "showing those set");
  canvas.put(0, 0, ui::ellipsize(title, w), Role::kTitle);
  if (h < 2) return;
  if (list.empty()) {
    canvas.put(0, 1,
               ui::ellipsize(snapshot.config->options.empty() ? "configuration not loaded yet"
                                                              : "no options set (a shows all)",
                             w),
               Role::kDim);
    return;
  }
  int count = static_cast<int>(list.size());
  int selected = view.cursor.clamped(count);
  int rows = list_rows(h);
  int first = view.cursor.first(count, rows);
  int name_width = 0;
  int type_width = 0;
  for (const model::ConfigOption* o : list) {  // the whole list: no jitter while scrolling
    name_width = std::max(name_width, ui::display_width(ui::sanitize(o->name)));
    type_width = std::max(type_width, ui::display_width(ui::sanitize(o->type)));
  }
  const auto table = columns(name_width, type_width);
  auto widths = ui::layout_columns(table, w);
  ui::draw_header_row(canvas, 1, table, widths, Role::kLabel);
  const Role selection = Role::kSelection;
  for (int r = 0; r < rows && first + r < count; ++r) {
    const model::ConfigOption& o = *list[static_cast<std::size_t>(first + r)];
    std::vector<ui::TableCell> cells{{o.is_set ? "*" : "", Role::kAccent},
                                     {ui::sanitize(o.name), Role::kValue},
                                     {ui::sanitize(o.type), Role::kDim},
                                     {joined(o), Role::kNormal}};
    ui::draw_row(canvas, 2 + r, table, widths, cells, first + r == selected ? &selection : nullptr);
  }
  int y = 2 + rows;
  if (y + 1 >= h) return;
  canvas.hline(0, y, w, Role::kDim);
  const model::ConfigOption& o = *list[static_cast<std::size_t>(selected)];
  std::string text = ui::sanitize(o.name) + ": " + ui::sanitize(option_help(snapshot, o.name));
  canvas.put(0, y + 1, ui::ellipsize(text, w), Role::kNormal);
}

const std::vector<ui::Action>& config_actions() {
  static const std::vector<ui::Action> kActions{
      {"select", "up/down pgup/pgdn", "choose an option"},
      {"edit", "enter", "set a new value (SETCONF, asks first)"},
      {"reset", "r", "reset the option to its default (RESETCONF, asks first)"},
      {"save", "w", "write the running configuration to the torrc (SAVECONF, asks first)"},
      {"all", "a", "show every option or only those set"},
  };
  return kActions;
}

std::vector<std::string> split_config_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t bar = text.find('|', start);
    if (bar == std::string_view::npos) bar = text.size();
    std::string line(text::trim(text.substr(start, bar - start)));
    if (!line.empty()) lines.push_back(std::move(line));
    start = bar + 1;
  }
  return lines;
}

namespace {

bool multi_line(const model::ConfigOption& o) {
  // Ports are "Dependent" (members of a *PortLines group) and take several
  // lines; LineList options (ExitPolicy, DirAuthority, Log) too.
  return o.type == "LineList" || o.type == "Dependent" || o.values.size() > 1;
}

// Enter on an option: a prompt with its value, or why it is not edited here.
void edit_option(const model::ConfigOption& o, Outcome& out) {
  std::string name = ui::sanitize(o.name);
  if (o.type == "Virtual") {
    out.message = fmt::format("{} stands for a group of options: edit those instead", name);
    return;
  }
  if (text::istarts_with(o.name, "HiddenService")) {
    // tor takes an onion service's options only as a whole ordered group.
    out.message = fmt::format("{}: change onion services in the torrc, then reload (x)", name);
    return;
  }
  if (!multi_line(o)) {
    out.prompt = Prompt{Prompt::Purpose::kConfigValue,
                        "set " + o.name + " to: ", o.values.empty() ? "" : o.values.back(), o.name};
    return;
  }
  for (const std::string& v : o.values) {
    if (v.find('|') != std::string::npos) {
      out.message = fmt::format(
          "a line of {} contains '|': edit it with SETCONF in the interpreter (7), which keeps "
          "every line you type",
          name);
      return;
    }
  }
  out.prompt = Prompt{Prompt::Purpose::kConfigValue,
                      fmt::format("set {} ({} line{}, | between) to: ", o.name, o.values.size(),
                                  o.values.size() == 1 ? "" : "s"),
                      text::join(o.values, kConfigLineSeparator), o.name};
  out.prompt->lines = true;
}

}  // namespace

Outcome handle_config_key(const model::Snapshot& snapshot, ConfigView& view, int key) {
  Outcome out;
  out.handled = true;
  auto list = visible_options(snapshot, view);
  int count = static_cast<int>(list.size());
  const model::ConfigOption* current =
      count > 0 ? list[static_cast<std::size_t>(view.cursor.clamped(count))] : nullptr;
  if (view.cursor.move(key, count)) return out;
  switch (key) {
    case 'a':
      view.show_all = !view.show_all;
      view.cursor = {};
      break;
    case ui::key::kEnter:
      if (current) edit_option(*current, out);
      break;
    case 'r':
      if (current) {
        out.confirm = Question{
            fmt::format("Reset {} to its default (RESETCONF)? (y/n)", ui::sanitize(current->name)),
            Request{Request::Kind::kResetConf, current->name}};
      }
      break;
    case 'w':
      out.confirm = Question{"Write the running configuration to the torrc (SAVECONF)? (y/n)",
                             Request{Request::Kind::kSaveConf, ""}};
      break;
    default:
      out.handled = false;
      break;
  }
  return out;
}

}  // namespace relaymon::panels
