#include "app/check_mode.h"

#include <fmt/format.h>

#include <boost/asio/steady_timer.hpp>

#include "app/headless.h"
#include "export/check_line.h"

namespace relaymon::app {

namespace asio = boost::asio;
using exporter::CheckRelay;
using exporter::CheckResult;
using exporter::evaluate_check;

int run_check(const Options& options, const Config& config, const std::vector<Target>& targets) {
  asio::io_context io;
  auto monitors = collect_once(io, options, config, targets);
  std::vector<CheckRelay> relays;
  for (auto& m : *monitors) {
    model::SnapshotPtr s = m->snapshot();
    CheckRelay r;
    r.label = relay_label(*s);
    if (m->collected() && !m->failed()) {
      r.snapshot = s;
    } else {
      r.error =
          s->control.last_error.empty() ? "no complete answer in time" : s->control.last_error;
    }
    relays.push_back(std::move(r));
  }
  CheckResult result = evaluate_check(relays);
  fmt::print("{}\n", result.line);
  return static_cast<int>(result.status);
}

}  // namespace relaymon::app
