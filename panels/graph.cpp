#include "panels/graph.h"

#include <algorithm>
#include <cmath>
#include <map>

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

namespace {

constexpr int kAxisWidth = 10;  // "1023 KiB/s" plus a space

std::string limits_title(const model::Snapshot& s, bool bits) {
  std::vector<std::string> parts;
  if (s.tor.bandwidth_rate) {
    parts.push_back("limit: " + format_rate(static_cast<double>(*s.tor.bandwidth_rate), bits));
  }
  if (s.tor.bandwidth_burst) {
    parts.push_back("burst: " + format_rate(static_cast<double>(*s.tor.bandwidth_burst), bits));
  }
  if (s.tor.bandwidth_observed) {
    parts.push_back("observed: " +
                    format_rate(static_cast<double>(*s.tor.bandwidth_observed), bits));
  }
  // The consensus weight is no rate: shown as the number the consensus has.
  if (s.tor.consensus_weight) {
    parts.push_back(fmt::format("weight: {}{}", *s.tor.consensus_weight,
                                s.tor.weight_unmeasured.value_or(false) ? " unmeasured" : ""));
  }
  if (parts.empty()) return "Bandwidth";
  return fmt::format("Bandwidth ({})", fmt::join(parts, ", "));
}

// One direction: subtitle row, axis labels, bars.
void draw_half(ui::Canvas& canvas, int x0, int width, bool axis, const std::string& name,
               const std::vector<double>& values, const std::vector<bool>& present,
               double global_max, const GraphView& view, Role role) {
  int h = canvas.height();
  double now = 0;
  double total = 0;
  int count = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!present[i]) continue;
    now = values[i];
    total += values[i];
    ++count;
  }
  std::string sub = fmt::format("{}: {}", name, format_rate(now, view.bits));
  std::string avg = count > 0 ? fmt::format(", avg {}", format_rate(total / count, view.bits)) : "";
  if (ui::display_width(sub + avg) <= width) sub += avg;  // the average only when it fits
  canvas.put(x0, 1, ui::fit(sub, width), Role::kTitle);
  int rows = h - 2;
  if (rows < 1) return;

  int plot_x = x0 + (axis ? kAxisWidth : 0);
  int columns = width - (axis ? kAxisWidth : 0);
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
  if (axis) {
    canvas.put(x0, 2, ui::pad_left(format_rate(hi, view.bits), kAxisWidth - 1), Role::kDim);
    if (rows > 1) {
      canvas.put(x0, h - 1, ui::pad_left(format_rate(lo, view.bits), kAxisWidth - 1), Role::kDim);
    }
  }
  if (count == 0) {
    canvas.put(plot_x, 2 + (rows - 1) / 2, ui::fit("no data yet", columns), Role::kDim);
    return;
  }
  // values holds exactly `columns` entries: the newest on the right.
  for (int c = 0; c < columns && c < static_cast<int>(values.size()); ++c) {
    auto i = static_cast<std::size_t>(c);
    if (!present[i] || values[i] <= lo || hi <= lo) continue;
    int bar = static_cast<int>(std::ceil(rows * (values[i] - lo) / (hi - lo)));
    bar = std::clamp(bar, 1, rows);
    for (int r = 0; r < bar; ++r) canvas.glyph(plot_x + c, h - 1 - r, ui::Glyph::kBar, role);
  }
}

}  // namespace

// Bandwidth (limit: 1.0 MiB/s, burst: 2.0 MiB/s), each second, local max:
// Download: 1.2 KiB/s, avg 900 B/s      Upload: 800 B/s, avg 700 B/s
//  1.5 KiB/s          #   #               900 B/s        #
//                    ##  ###                            ## #
//        0 B/s    ######  ####              0 B/s   ##########
void draw_graph(const model::Snapshot& snapshot, const GraphView& view, ui::Canvas& canvas) {
  int w = canvas.width();
  if (canvas.height() < 1 || w < 1) return;
  const GraphInterval& interval =
      graph_intervals()[static_cast<std::size_t>(view.interval) % graph_intervals().size()];
  std::string title = fmt::format("{}, {}, {}:", limits_title(snapshot, view.bits), interval.name,
                                  to_string(view.bounds));
  canvas.put(0, 0, ui::ellipsize(title, w), Role::kTitle);
  if (canvas.height() < 2) return;
  int half = (w - 1) / 2;
  int right_x = half + 1;
  int right_w = w - right_x;
  bool axis = half >= 2 * kAxisWidth;  // both halves alike
  // Each interval has its own history (model/bandwidth_history.h).
  static const std::vector<model::BandwidthSample> kNone;
  const std::vector<model::BandwidthSample>* samples = &kNone;
  for (const model::IntervalSeries& series : snapshot.bandwidth_history) {
    if (series.seconds == interval.seconds) samples = &series.samples;
  }
  GraphSeries left = bucket_bandwidth(*samples, interval.seconds, half - (axis ? kAxisWidth : 0));
  draw_half(canvas, 0, half, axis, "Download", left.read, left.present, left.read_global_max, view,
            Role::kGraphRead);
  GraphSeries right =
      bucket_bandwidth(*samples, interval.seconds, right_w - (axis ? kAxisWidth : 0));
  draw_half(canvas, right_x, right_w, axis, "Upload", right.written, right.present,
            right.written_global_max, view, Role::kGraphWrite);
}

const std::vector<ui::Action>& graph_actions() {
  static const std::vector<ui::Action> kActions{
      {"interval", "i", "graph interval: each second .. daily"},
      {"bounds", "b", "graph bounds: global max, local max, tight"},
      {"units", "t", "bytes or bits per second"},
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
    default:
      break;
  }
  return out;
}

}  // namespace relaymon::panels
