#include "app/options.h"

namespace relaymon::app {

std::vector<Target> resolve_targets(const Options& options, const Config& config,
                                    std::string& error) {
  bool from_command_line = !options.control_ports.empty() || !options.control_sockets.empty();
  const auto& ports = from_command_line ? options.control_ports : config.control_ports;
  const auto& sockets = from_command_line ? options.control_sockets : config.control_sockets;
  std::vector<Target> targets;
  if (from_command_line && !options.control_order.empty()) {
    for (const auto& [kind, value] : options.control_order) {
      if (kind == 's') {
        targets.push_back({{control::unix_endpoint(value)}});
        continue;
      }
      auto endpoint = control::parse_tcp_endpoint(value, error);
      if (!endpoint) return {};
      targets.push_back({{*endpoint}});
    }
    return targets;
  }
  for (const auto& text : ports) {
    auto endpoint = control::parse_tcp_endpoint(text, error);
    if (!endpoint) return {};
    targets.push_back({{*endpoint}});
  }
  for (const auto& path : sockets) targets.push_back({{control::unix_endpoint(path)}});
  if (targets.empty()) targets.push_back({control::default_endpoints()});
  return targets;
}

}  // namespace relaymon::app
