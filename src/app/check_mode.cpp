#include "app/check_mode.h"

#include <fmt/format.h>

#include <boost/asio/steady_timer.hpp>

#include "app/headless.h"
#include "export/check_line.h"
#include "text/utf8.h"

namespace relaymon::app {

namespace asio = boost::asio;
using exporter::CheckRelay;
using exporter::CheckResult;
using exporter::CheckStatus;
using exporter::evaluate_check;

int run_check(const Options& options, const Config& config, const std::vector<Target>& targets) {
  // Thresholds first: a bad one is UNKNOWN before tor is asked anything.
  exporter::CheckThresholds thresholds;
  for (auto [given, list] : {std::pair{&options.warning, &thresholds.warning},
                             std::pair{&options.critical, &thresholds.critical}}) {
    for (const auto& text : *given) {
      auto parsed = exporter::parse_threshold(text);
      if (const auto* why = std::get_if<std::string>(&parsed)) {
        fmt::print("{}\n", text::printable(
                               exporter::check_unknown_line(fmt::format("threshold {}", *why))));
        return static_cast<int>(CheckStatus::kUnknown);
      }
      list->push_back(std::get<exporter::Threshold>(std::move(parsed)));
    }
  }
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
      r.unreachable = s->control.tor_unreachable;
    }
    relays.push_back(std::move(r));
  }
  CheckResult result = evaluate_check(relays, thresholds);
  fmt::print("{}\n", text::printable(result.line));
  return static_cast<int>(result.status);
}

}  // namespace relaymon::app
