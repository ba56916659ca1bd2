#include "app/main.h"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "app/check_mode.h"
#include "app/config.h"
#include "app/config_file.h"
#include "app/env_password.h"
#include "app/metrics.h"
#include "app/options.h"
#include "app/snapshot_mode.h"
#include "app/tui_mode.h"
#include "app/watch_mode.h"
#include "export/check_line.h"
#include "text/utf8.h"

namespace relaymon::app {

namespace {

// Reads the config file; a missing default file is fine, a missing file
// named with -c is an error.
bool load_config(const Options& options, Config& config) {
  int error = 0;
  auto file = read_config_file(options.config_path, error);
  if (!file) {
    if (options.config_given) {
      fmt::print(stderr, "relaymon: cannot read config file {}: {}\n", options.config_path,
                 std::strerror(error));
      return false;
    }
    return true;
  }
  std::vector<ConfigError> errors;
  config = parse_config(file->text, errors);
  for (const auto& e : errors) {
    fmt::print(stderr, "relaymon: {}:{}: {}\n", options.config_path, e.line, e.message);
  }
  if (config.password) {
    std::string warning = password_file_warning(options.config_path, file->st, ::geteuid());
    if (!warning.empty()) fmt::print(stderr, "relaymon: {}\n", text::printable(warning));
  }
  return errors.empty();
}

// With --check, "-c descriptors_pct=95" is the plugin convention's
// critical threshold, not a config file: a known figure, then '='.
bool threshold_argument(const std::string& text) {
  auto eq = text.find('=');
  return eq != std::string::npos && exporter::find_check_metric(text.substr(0, eq));
}

}  // namespace

int main(int argc, char** argv) {
  take_env_password();  // out of the environment before anything runs
  // --check speaks the monitoring-plugins convention: -c METRIC=RANGE is
  // its critical threshold (the config file is then --config), and every
  // error is one "RELAYMON UNKNOWN - why" line on standard output, exit 3.
  std::vector<std::string> args(argv, argv + argc);
  const bool check = std::find(args.begin() + 1, args.end(), "--check") != args.end();
  for (std::size_t i = 1; check && i + 1 < args.size(); ++i) {
    if (args[i] == "-c" && threshold_argument(args[i + 1])) args[i] = "--critical";
  }
  std::vector<char*> cargs;
  for (auto& a : args) cargs.push_back(a.data());
  auto fail = [check](const std::string& why) {
    if (check) {
      fmt::print("{}\n", text::printable(exporter::check_unknown_line(why)));
      return 3;
    }
    fmt::print(stderr, "relaymon: {}\n", text::printable(why));
    return 2;
  };
  Options options;
  options.config_path = default_config_path();
  CLI::App cli{"relaymon: a terminal monitor for Tor relays (see man relaymon)"};
  cli.set_version_flag("-V,--version", fmt::format("relaymon {}", RELAYMON_VERSION));
  auto* port_option = cli.add_option("-i,--interface", options.control_ports,
                                     "tor's control port, [ADDR:]PORT (repeat for several relays)");
  auto* socket_option = cli.add_option("-s,--socket", options.control_sockets,
                                       "tor's control socket path (repeat for several relays)");
  auto* config_option =
      cli.add_option("-c,--config", options.config_path, "config file")->capture_default_str();
  cli.add_flag("--snapshot", options.snapshot, "collect once, print, exit");
  cli.add_flag("--json", options.json, "print JSON (with --snapshot or --watch)");
  cli.add_flag("--watch", options.watch,
               "print alerts and tor warnings as they happen until interrupted");
  cli.add_flag("--check", options.check,
               "collect once, print a Nagios/Icinga plugin line, exit 0/1/2/3");
  cli.add_option("--metrics", options.metrics,
                 "serve Prometheus metrics on [ADDR:]PORT (127.0.0.1 by default)");
  cli.add_option("--events", options.events,
                 "with --watch: also print these tor events as JSON lines (e.g. CIRC,ORCONN)")
      ->delimiter(',');
  cli.add_option("--resolver", options.resolver,
                 "how to read tor's sockets: auto, netlink, proc, ss, netstat, lsof")
      ->check(CLI::IsMember({"auto", "netlink", "proc", "ss", "netstat", "lsof"}));
  cli.add_flag("--no-color", options.no_color, "no colours (also when NO_COLOR is set)");
  cli.add_flag("--ascii", options.ascii, "ASCII line drawing");
  cli.add_flag("--allow-plain-cookie", options.allow_plain_cookie,
               "use plain COOKIE auth when tor offers no SAFECOOKIE (only tors before 0.2.3.13)");
  cli.add_option("-w,--warning", options.warning,
                 "with --check: WARNING when METRIC is outside RANGE (METRIC=RANGE, repeatable)");
  cli.add_option("--critical", options.critical,
                 "with --check: CRITICAL when METRIC is outside RANGE (with --check, -c too)");
  cli.add_option("-t,--timeout", options.timeout, "seconds to wait for tor in one-shot modes")
      ->check(CLI::Range(0.1, 3600.0));
  try {
    cli.parse(static_cast<int>(cargs.size()), cargs.data());
  } catch (const CLI::ParseError& e) {
    if (check && e.get_exit_code() != 0) return fail(e.what());
    return cli.exit(e);
  }
  options.config_given = config_option->count() > 0;
  // -i and -s interleaved as typed (CLI11 keeps each option's values apart).
  {
    std::size_t ports = 0, sockets = 0;
    for (const CLI::Option* o : cli.parse_order()) {
      if (o == port_option && ports < options.control_ports.size()) {
        options.control_order.emplace_back('i', options.control_ports[ports++]);
      } else if (o == socket_option && sockets < options.control_sockets.size()) {
        options.control_order.emplace_back('s', options.control_sockets[sockets++]);
      }
    }
    // Several values after one -i: order unknown, the old order stands.
    if (ports != options.control_ports.size() || sockets != options.control_sockets.size()) {
      options.control_order.clear();
    }
  }
  if (const char* no_color = std::getenv("NO_COLOR"); no_color && *no_color) {
    options.no_color = true;
  }

  Config config;
  if (!load_config(options, config)) {
    return fail(
        fmt::format("cannot use the config file {} (see standard error)", options.config_path));
  }
  if (options.resolver == "auto" && config.resolver) options.resolver = *config.resolver;
  std::string error;
  auto targets = resolve_targets(options, config, error);
  if (targets.empty()) return fail(error);
  int modes = int(options.snapshot) + int(options.watch) + int(options.check) +
              int(!options.metrics.empty());
  if (modes > 1) return fail("choose one of --snapshot, --watch, --check, --metrics");
  if (!options.events.empty() && !options.watch) return fail("--events goes with --watch");
  if ((!options.warning.empty() || !options.critical.empty()) && !options.check) {
    return fail("-w and --critical go with --check");
  }
  if (options.snapshot) return run_snapshot(options, config, targets);
  if (options.json && !options.watch) return fail("--json goes with --snapshot or --watch");
  if (options.check) return run_check(options, config, targets);
  if (options.watch) return run_watch(options, config, targets);
  if (!options.metrics.empty()) return run_metrics(options, config, targets);
  return run_tui(options, config, targets);
}

}  // namespace relaymon::app
