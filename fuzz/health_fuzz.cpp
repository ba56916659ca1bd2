// The relay-health parsers: status/fresh-relay-descs, tor's health log
// lines (each input line, with and without a log-file prefix), the small
// GETINFO values, STATUS_* events framed like a control connection's, and
// the health model fed with all of it (its windows and projections too).
#include "control/events.h"
#include "fuzz_input.h"
#include "model/health.h"
#include "model/health_descriptor.h"
#include "model/health_events.h"
#include "model/health_values.h"
#include "model/text.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace relaymon;
  using namespace relaymon::model;
  std::string_view text = fuzz::as_text(data, size);
  FreshDescriptors desc = parse_fresh_relay_descs(text);
  PromParse metrics = parse_prometheus_text(text, PromLimits{512, 64, 8, 4});
  AccountingValues acct;
  std::vector<HealthLogLine> log_lines;
  for_each_line(text, [&](std::string_view line) {
    if (auto parsed = parse_health_log(line)) log_lines.push_back(*parsed);
    if (auto message = log_file_message(line)) (void)parse_health_log(*message);
    (void)parse_tor_time(line);
    (void)parse_count(line);
    (void)parse_usage(line);
    (void)parse_uptime_text(line);
    auto eq = line.find('=');
    if (eq != std::string_view::npos) {
      (void)update_accounting(acct, line.substr(0, eq), line.substr(eq + 1));
    }
    return true;
  });
  std::vector<HealthStatusEvent> events;
  for (const auto& reply : fuzz::frame(text)) {
    auto parsed = control::parse_event(reply);
    const auto* event = std::get_if<control::Event>(&parsed);
    if (!event) continue;
    if (const auto* s = event->get<control::StatusEvent>()) {
      if (auto h = parse_health_status(event->type, *s)) events.push_back(*h);
    }
  }
  // The model over whatever came out, twice (so windows and rises run).
  HealthInputs in;
  in.now = *parse_tor_time("2026-12-06 18:00:00");
  in.descriptors = &desc;
  in.metrics = &metrics;
  in.accounting = &acct;
  in.status_events = events;
  in.log_lines = log_lines;
  in.is_exit = size % 2 == 0;
  in.max_mem_in_queues = 1u << 30;
  in.rss_bytes = size * 4096;
  Health h = update_health({}, in);
  in.now = add_seconds(in.now, 600);
  h = update_health(h, in);
  for (const auto& [label, state] : health_concerns(h)) (void)health_line(*state, 40);
  return 0;
}
