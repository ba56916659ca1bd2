#include "app/snapshot_mode.h"

#include <fmt/format.h>

#include <boost/asio/io_context.hpp>
#include <iostream>
#include <memory>

#include "app/headless.h"
#include "export/snapshot_json.h"
#include "export/snapshot_text.h"
#include "model/same_tor.h"
#include "text/utf8.h"

namespace relaymon::app {

// Every relay it reached is printed; each one it did not is named on
// stderr and, with --json, as an entry of "errors". Exit 1 when any relay
// could not be read (the others are still printed); when none could,
// nothing is printed on stdout, so a script cannot mistake it for data.
int run_snapshot(const Options& options, const Config& config, const std::vector<Target>& targets) {
  boost::asio::io_context io;
  auto monitors = collect_once(io, options, config, targets);
  std::vector<model::SnapshotPtr> snapshots;
  std::vector<exporter::SnapshotError> errors;
  for (auto& m : *monitors) {
    model::SnapshotPtr snapshot = m->snapshot();
    std::string why;
    if (m->failed()) {
      why = snapshot->control.last_error;
    } else if (!m->collected()) {
      why = fmt::format("{}: no complete answer within {} s", snapshot->control.endpoint,
                        options.timeout * 3);
    }
    if (why.empty()) {
      snapshots.push_back(std::move(snapshot));
      continue;
    }
    fmt::print(stderr, "relaymon: {}\n", text::printable(why));
    errors.push_back({snapshot->control.endpoint, why});
  }
  if (snapshots.empty()) return 1;
  std::vector<const model::Snapshot*> listed;
  for (const auto& s : snapshots) listed.push_back(s.get());
  auto same = model::same_tor_as(listed);
  if (options.json) {
    // Said on stderr: stdout stays the documented document.
    for (std::size_t i = 0; i < same.size(); ++i) {
      if (same[i].empty()) continue;
      fmt::print(stderr, "relaymon: {} is the same tor as {} (fingerprint {})\n",
                 text::printable(snapshots[i]->control.endpoint), text::printable(same[i]),
                 snapshots[i]->relay.fingerprint);
    }
    // Tor's text may hold invalid UTF-8: replaced, not thrown.
    std::cout << text::json_printable(
                     exporter::snapshots_to_json(snapshots, errors)
                         .dump(2, ' ', false, nlohmann::json::error_handler_t::replace))
              << "\n";
  } else {
    for (std::size_t i = 0; i < snapshots.size(); ++i) {
      fmt::print("{}", text::printable(exporter::snapshot_text(*snapshots[i], same[i]), true));
    }
  }
  return errors.empty() ? 0 : 1;
}

}  // namespace relaymon::app
