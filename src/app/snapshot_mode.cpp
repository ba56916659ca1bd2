#include "app/snapshot_mode.h"

#include <fmt/format.h>

#include <boost/asio/io_context.hpp>
#include <iostream>
#include <memory>

#include "app/headless.h"
#include "export/snapshot_json.h"
#include "export/snapshot_text.h"
#include "text/utf8.h"

namespace relaymon::app {

int run_snapshot(const Options& options, const Config& config, const std::vector<Target>& targets) {
  boost::asio::io_context io;
  auto monitors = collect_once(io, options, config, targets);
  int status = 0;
  std::vector<model::SnapshotPtr> snapshots;
  for (auto& m : *monitors) {
    model::SnapshotPtr snapshot = m->snapshot();
    if (m->failed()) {
      fmt::print(stderr, "relaymon: {}\n", text::printable(snapshot->control.last_error));
      status = 1;
    } else if (!m->collected()) {
      fmt::print(stderr, "relaymon: {}: no complete answer within {} s\n",
                 text::printable(snapshot->control.endpoint), options.timeout * 3);
      status = 1;
    }
    snapshots.push_back(std::move(snapshot));
  }
  if (status != 0) return status;
  if (options.json) {
    // Tor's text may hold invalid UTF-8: replaced, not thrown.
    std::cout << text::json_printable(exporter::snapshots_to_json(snapshots).dump(
                     2, ' ', false, nlohmann::json::error_handler_t::replace))
              << "\n";
  } else {
    for (const auto& s : snapshots) {
      fmt::print("{}", text::printable(exporter::snapshot_text(*s), true));
    }
  }
  return 0;
}

}  // namespace relaymon::app
