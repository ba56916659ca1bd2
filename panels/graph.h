// The graph of the overview page: download and upload side by side (or
// inbound and outbound connections, or tor's CPU and memory), each
// interval from its own history in the snapshot, with a time axis and
// what the average covers.
#pragma once

#include <string>
#include <vector>

#include "model/snapshot.h"
#include "panels/request.h"
#include "ui/canvas.h"
#include "ui/keys.h"

namespace relaymon::panels {

struct GraphInterval {
  const char* name;  // "5 seconds"
  int seconds;
};
// each second, 5 seconds, 30 seconds, minutely, 15 minute, 30 minute,
// hourly, daily (nyx's intervals).
const std::vector<GraphInterval>& graph_intervals();

enum class GraphBounds {
  kGlobalMax,  // 0 .. the largest value in the whole history
  kLocalMax,   // 0 .. the largest value on screen
  kTight,      // the smallest .. the largest value on screen
};
std::string_view to_string(GraphBounds bounds);

// What the graph shows (`s` cycles, as nyx's graphs): bandwidth,
// connections (inbound and outbound), or tor's CPU and memory.
enum class GraphStat { kBandwidth, kConnections, kResources };

struct GraphView {
  int interval = 0;  // index into graph_intervals()
  GraphBounds bounds = GraphBounds::kLocalMax;
  bool bits = false;  // show bits/s instead of bytes/s
  GraphStat stat = GraphStat::kBandwidth;
};

// "10s", "5m", "1m40s", "2h", "1h30m", "3d": a time axis label.
std::string short_age(long seconds);

// Average rates per interval, newest last; columns with no sample at all
// (tor was disconnected) are marked missing.
struct GraphSeries {
  std::vector<double> read;
  std::vector<double> written;
  std::vector<bool> present;
  double read_global_max = 0;
  double written_global_max = 0;
};
GraphSeries bucket_bandwidth(const std::vector<model::BandwidthSample>& samples,
                             int interval_seconds, int columns);

void draw_graph(const model::Snapshot& snapshot, const GraphView& view, ui::Canvas& canvas);

const std::vector<ui::Action>& graph_actions();
Outcome handle_graph_key(GraphView& view, int key);

}  // namespace relaymon::panels
