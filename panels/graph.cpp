#include "panels/graph.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "panels/format.h"
#include "ui/text.h"

namespace relaymon::panels {

using ui::Role;

const std::vector<GraphInterval>& graph_intervals() {
  static const std::vector<GraphInterval> kIntervals{
      {"each second", 1}, {"5 seconds", 5},    {"30 seconds", 30}, {"minutely", 60},
      {"15 minute", 900}, {"30 minute", 1800}, {"hourly", 3600},   {"daily", 86400}};
  return kIntervals;
}

std::string_view to_string(GraphBounds bounds) {
  switch (bounds) {
    case GraphBounds::kGlobalMax:
      return "global max";
    case GraphBounds::kLocalMax:
      return "local max";
    case GraphBounds::kTight:
      return "tight";
  }
  return "local max";
}

GraphSeries bucket_bandwidth(const std::vector<model::BandwidthSample>& samples,
                             int interval_seconds, int columns) {
  GraphSeries out;
  columns = std::max(0, columns);
  out.read.assign(static_cast<std::size_t>(columns), 0);
  out.written.assign(static_cast<std::size_t>(columns), 0);
  out.present.assign(static_cast<std::size_t>(columns), false);
  if (samples.empty() || interval_seconds <= 0) return out;
  struct Sum {
    double read = 0;
    double written = 0;
    int count = 0;
  };
  std::map<long long, Sum> buckets;
  for (const model::BandwidthSample& s : samples) {
    if (s.spike) continue;  // tor's start-up spike: off the scale
    auto t = std::chrono::duration_cast<std::chrono::seconds>(s.time.time_since_epoch()).count();
    long long key = static_cast<long long>(std::floor(static_cast<double>(t) / interval_seconds));
    Sum& sum = buckets[key];
    sum.read += static_cast<double>(s.read);
    sum.written += static_cast<double>(s.written);
    ++sum.count;
  }
  for (const auto& [key, sum] : buckets) {
    out.read_global_max = std::max(out.read_global_max, sum.read / sum.count);
    out.written_global_max = std::max(out.written_global_max, sum.written / sum.count);
  }
  long long newest = buckets.rbegin()->first;
  for (int c = 0; c < columns; ++c) {
    auto it = buckets.find(newest - (columns - 1 - c));
    if (it == buckets.end()) continue;
    auto i = static_cast<std::size_t>(c);
    out.read[i] = it->second.read / it->second.count;
    out.written[i] = it->second.written / it->second.count;
    out.present[i] = true;
  }
  return out;
}

std::string short_age(long seconds) {
  if (seconds < 60) return fmt::format("{}s", std::max(0L, seconds));
  if (seconds < 3600) {
    return seconds % 60 ? fmt::format("{}m{}s", seconds / 60, seconds % 60)
                        : fmt::format("{}m", seconds / 60);
  }
  if (seconds < 86400) {
    return seconds % 3600 / 60 ? fmt::format("{}h{}m", seconds / 3600, seconds % 3600 / 60)
                               : fmt::format("{}h", seconds / 3600);
  }
  return seconds % 86400 / 3600 ? fmt::format("{}d{}h", seconds / 86400, seconds % 86400 / 3600)
                                : fmt::format("{}d", seconds / 86400);
}

namespace {

// What one graph shows: its title, its halves' names, how a value reads,
// and the history it comes from.
struct StatSpec {
  std::string title;
  const char* left;
  const char* right;
  std::function<std::string(double)> left_value;
  std::function<std::string(double)> right_value;
  const std::vector<model::IntervalSeries>* history;
  bool per_poll;  // one sample per poll: carried forward between polls
};

// The title's parts that fit, most telling first (observed, limit,
// weight, burst), shown in their usual order; a part is whole or absent.
std::string limits_title(const model::Snapshot& s, bool bits, const std::string& head, int width) {
  struct Part {
    int rank;
    std::string text;
  };
  std::vector<Part> parts;
  if (s.tor.bandwidth_rate) {
    parts.push_back({1, "limit " + format_rate(static_cast<double>(*s.tor.bandwidth_rate), bits)});
  }
  if (s.tor.bandwidth_burst) {
    parts.push_back({3, "burst " + format_rate(static_cast<double>(*s.tor.bandwidth_burst), bits)});
  }
  if (s.tor.bandwidth_observed) {
    parts.push_back(
        {0, "observed " + format_rate(static_cast<double>(*s.tor.bandwidth_observed), bits)});
  }
  // The consensus weight is no rate: shown as the number the consensus has.
  if (s.tor.consensus_weight) {
    parts.push_back({2, fmt::format("weight {}{}", *s.tor.consensus_weight,
                                    s.tor.weight_unmeasured.value_or(false) ? " unmeasured" : "")});
  }
  std::vector<bool> shown(parts.size(), false);
  int used = ui::display_width(head);
  for (int rank = 0; rank < 4; ++rank) {
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (parts[i].rank != rank) continue;
      int need = ui::display_width(parts[i].text) + 2;  // ", " or " ("/")"
      if (used + need <= width) {
        shown[i] = true;
        used += need;
      }
    }
  }
  std::vector<std::string> kept;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (shown[i]) kept.push_back(parts[i].text);
  }
  if (kept.empty()) return head;
  return fmt::format("{} ({})", head, fmt::join(kept, ", "));
}

StatSpec spec_of(const model::Snapshot& s, const GraphView& view) {
  bool bits = view.bits;
  auto rate = [bits](double v) { return format_rate(v, bits); };
  auto count = [](double v) { return fmt::format("{:.0f}", v); };
  switch (view.stat) {
    case GraphStat::kConnections:
      return {"Connections", "Inbound", "Outbound", count, count, &*s.connection_history, true};
    case GraphStat::kResources:
      return {"tor's CPU and memory",
              "CPU",
              "Memory",
              [](double v) { return format_percent(v / 100); },
              [](double v) { return format_bytes(static_cast<std::uint64_t>(v)); },
              &*s.resource_history,
              true};
    case GraphStat::kBandwidth:
      break;
  }
  return {"Bandwidth", "Download", "Upload", rate, rate, &*s.bandwidth_history, false};
}

// Polled figures come every few seconds: at short intervals the columns
// between two polls repeat the last value, as a step.
void carry_forward(std::vector<double>& values, std::vector<bool>& present) {
  bool seen = false;
  double last = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (present[i]) {
      seen = true;
      last = values[i];
    } else if (seen) {
      values[i] = last;
      present[i] = true;
    }
  }
}

struct Half {
  int x0;
  int width;
  const char* name;
  std::function<std::string(double)> format;
  std::optional<std::uint64_t> total;  // tor's total since it started (bandwidth)
  Role role;
};

// One direction: subtitle row, axis labels, bars, the time axis and what
// the average covers, when there is room for them.
void draw_half(ui::Canvas& canvas, const Half& half, int axis_w, const std::vector<double>& values,
               const std::vector<bool>& present, double global_max, const GraphView& view,
               int interval_seconds) {
  int h = canvas.height();
  const int x0 = half.x0;
  const int width = half.width;
  double now = 0;
  double sum = 0;
  int count = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!present[i]) continue;
    now = values[i];
    sum += values[i];
    ++count;
  }
  canvas.put(x0, 1, ui::fit(fmt::format("{}: {}", half.name, half.format(now)), width),
             Role::kTitle);
  int rows = h - 2;
  if (rows < 1) return;
  // Below the bars: what the average covers (and tor's total), then above
  // it the time axis, each only when the bars keep three rows.
  bool stats_row = rows >= 4;
  bool time_row = rows >= 6;
  int bar_rows = rows - (stats_row ? 1 : 0) - (time_row ? 1 : 0);
  int bottom = 2 + bar_rows - 1;  // the lowest bar row

  double lo = 0;
  double hi = global_max;
  if (view.bounds != GraphBounds::kGlobalMax) {
    hi = 0;
    double min = -1;
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (!present[i]) continue;
      hi = std::max(hi, values[i]);
      min = min < 0 ? values[i] : std::min(min, values[i]);
    }
    if (view.bounds == GraphBounds::kTight && min > 0) lo = min;
  }
  if (axis_w > 0) {
    canvas.put(x0, 2, ui::pad_left(half.format(hi), axis_w - 1), Role::kDim);
    if (bar_rows > 1) {
      canvas.put(x0, bottom, ui::pad_left(half.format(lo), axis_w - 1), Role::kDim);
    }
  }
  int plot_x = x0 + axis_w;
  int columns = width - axis_w;
  if (stats_row && count > 0) {
    // The longest form that fits whole: a number or unit is never cut.
    long covered = static_cast<long>(count) * interval_seconds;
    std::string avg = "avg " + half.format(sum / count);
    std::string over = avg + " over " + short_age(covered);
    std::vector<std::string> forms;
    if (half.total) forms.push_back(over + ", total " + format_bytes(*half.total));
    forms.push_back(over);
    forms.push_back(avg);
    for (const std::string& stats : forms) {
      if (ui::display_width(stats) > width) continue;
      canvas.put(x0, 2 + bar_rows + (time_row ? 1 : 0), stats, Role::kDim);
      break;
    }
  }
  if (time_row && columns > 0) {
    // Labels every ten columns, ending where their column is: how long
    // ago that column's interval began ("now" at the right edge).
    int y = 2 + bar_rows;
    int n = std::min(columns, static_cast<int>(values.size()));
    for (int back = 10; back < n; back += 10) {
      std::string label = short_age(static_cast<long>(back) * interval_seconds);
      int end = plot_x + (n - 1 - back);
      int start = end - ui::display_width(label) + 1;
      if (start < plot_x) break;
      canvas.put(start, y, label, Role::kDim);
    }
  }
  if (count == 0) {
    canvas.put(plot_x, 2 + (bar_rows - 1) / 2, ui::fit("no data yet", columns), Role::kDim);
    return;
  }
  // values holds exactly `columns` entries: the newest on the right.
  for (int c = 0; c < columns && c < static_cast<int>(values.size()); ++c) {
    auto i = static_cast<std::size_t>(c);
    if (!present[i] || values[i] <= lo || hi <= lo) continue;
    int bar = static_cast<int>(std::ceil(bar_rows * (values[i] - lo) / (hi - lo)));
    bar = std::clamp(bar, 1, bar_rows);
    for (int r = 0; r < bar; ++r) canvas.glyph(plot_x + c, bottom - r, ui::Glyph::kBar, half.role);
  }
}

}  // namespace

// Bandwidth (observed 1.1 KiB/s, limit 1.0 MiB/s), each second, local max:
// Download: 1.2 KiB/s                   Upload: 800 B/s
//  1.5 KiB/s          #   #               900 B/s        #
//                    ##  ###                            ## #
//        0 B/s    ######  ####              0 B/s   ##########
//                 40s       30s  ...                40s       30s
// avg 900 B/s over 1m, total 2.0 GiB    avg 700 B/s over 1m, total 1.9 GiB
void draw_graph(const model::Snapshot& snapshot, const GraphView& view, ui::Canvas& canvas) {
  int w = canvas.width();
  if (canvas.height() < 1 || w < 1) return;
  const GraphInterval& interval =
      graph_intervals()[static_cast<std::size_t>(view.interval) % graph_intervals().size()];
  StatSpec spec = spec_of(snapshot, view);
  std::string tail = fmt::format(", {}, {}:", interval.name, to_string(view.bounds));
  std::string head =
      view.stat == GraphStat::kBandwidth
          ? limits_title(snapshot, view.bits, spec.title, w - ui::display_width(tail))
          : spec.title;
  canvas.put(0, 0, ui::ellipsize(head + tail, w), Role::kTitle);
  if (canvas.height() < 2) return;
  int half = (w - 1) / 2;
  int right_x = half + 1;
  int right_w = w - right_x;
  bool axis = half >= 24;  // both halves alike
  // Each interval has its own history (model/bandwidth_history.h).
  static const std::vector<model::BandwidthSample> kNone;
  const std::vector<model::BandwidthSample>* samples = &kNone;
  for (const model::IntervalSeries& series : *spec.history) {
    if (series.seconds == interval.seconds) samples = &series.samples;
  }
  // The axis labels' width is not known before the values are: the
  // series is bucketed for the widest plot, and drawn right-aligned.
  GraphSeries left = bucket_bandwidth(*samples, interval.seconds, half);
  GraphSeries right = bucket_bandwidth(*samples, interval.seconds, right_w);
  if (spec.per_poll) {
    carry_forward(left.read, left.present);
    carry_forward(right.written, right.present);
  }
  auto tail_of = [](std::vector<double> v, std::vector<bool> p, int keep) {
    auto drop = static_cast<std::ptrdiff_t>(v.size()) - std::max(0, keep);
    if (drop > 0) {
      v.erase(v.begin(), v.begin() + drop);
      p.erase(p.begin(), p.begin() + drop);
    }
    return std::pair{std::move(v), std::move(p)};
  };
  // As wide as the widest label any bounds could put there (a smaller
  // value can read longer: "999 B/s" and "1.0 KiB/s"), never cut.
  auto axis_width = [&](const std::vector<double>& v, const std::vector<bool>& p,
                        const std::function<std::string(double)>& f, int width, double global_max) {
    if (!axis) return 0;
    int widest = std::max(ui::display_width(f(global_max)), ui::display_width(f(0)));
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (p[i]) widest = std::max(widest, ui::display_width(f(v[i])));
    }
    int aw = widest + 1;
    return aw * 2 > width ? 0 : aw;  // the bars need the room more
  };
  int left_axis = axis_width(left.read, left.present, spec.left_value, half, left.read_global_max);
  int right_axis =
      axis_width(right.written, right.present, spec.right_value, right_w, right.written_global_max);
  auto [lv, lp] = tail_of(left.read, left.present, half - left_axis);
  auto [rv, rp] = tail_of(right.written, right.present, right_w - right_axis);
  bool bandwidth = view.stat == GraphStat::kBandwidth;
  draw_half(canvas,
            {0, half, spec.left, spec.left_value,
             bandwidth ? snapshot.tor.traffic_read : std::nullopt, Role::kGraphRead},
            left_axis, lv, lp, left.read_global_max, view, interval.seconds);
  draw_half(canvas,
            {right_x, right_w, spec.right, spec.right_value,
             bandwidth ? snapshot.tor.traffic_written : std::nullopt, Role::kGraphWrite},
            right_axis, rv, rp, right.written_global_max, view, interval.seconds);
}

const std::vector<ui::Action>& graph_actions() {
  static const std::vector<ui::Action> kActions{
      {"interval", "i", "graph interval: each second .. daily"},
      {"bounds", "b", "graph bounds: global max, local max, tight"},
      {"units", "t", "bytes or bits per second"},
      {"graph", "s", "graph: bandwidth, connections, tor's CPU and memory"},
  };
  return kActions;
}

Outcome handle_graph_key(GraphView& view, int key) {
  Outcome out;
  switch (key) {
    case 'i':
      view.interval = (view.interval + 1) % static_cast<int>(graph_intervals().size());
      out.handled = true;
      break;
    case 'b':
      view.bounds = view.bounds == GraphBounds::kGlobalMax  ? GraphBounds::kLocalMax
                    : view.bounds == GraphBounds::kLocalMax ? GraphBounds::kTight
                                                            : GraphBounds::kGlobalMax;
      out.handled = true;
      break;
    case 't':
      view.bits = !view.bits;
      out.handled = true;
      break;
    case 's':
      view.stat = view.stat == GraphStat::kBandwidth     ? GraphStat::kConnections
                  : view.stat == GraphStat::kConnections ? GraphStat::kResources
                                                         : GraphStat::kBandwidth;
      out.handled = true;
      break;
    default:
      break;
  }
  return out;
}

}  // namespace relaymon::panels
