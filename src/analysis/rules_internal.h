// The rule functions behind analysis::rules(), split by what they read.
#pragma once

#include <optional>
#include <string>

#include "analysis/alerts.h"
#include "model/exit_policy.h"

namespace relaymon::analysis::detail {

// rules_connections.cpp: over Snapshot::connections
std::vector<Finding> asymmetric_traffic(RuleContext& c);
std::vector<Finding> unestablished_exit(RuleContext& c);
std::vector<Finding> private_address(RuleContext& c);
std::vector<Finding> non_relay_outbound(RuleContext& c);
std::vector<Finding> connection_flood(RuleContext& c);
std::vector<Finding> short_lived_connections(RuleContext& c);

// rules_status.cpp: over tor's status, process and events
std::vector<Finding> crosscheck_mismatch(RuleContext& c);
std::vector<Finding> descriptors_near_limit(RuleContext& c);
std::vector<Finding> circuit_stuck(RuleContext& c);
std::vector<Finding> orport_unreachable(RuleContext& c);
std::vector<Finding> tor_version(RuleContext& c);
std::vector<Finding> control_port_open(RuleContext& c);
std::vector<Finding> safe_logging_off(RuleContext& c);
std::vector<Finding> tor_unreachable(RuleContext& c);
std::vector<Finding> tor_warnings(RuleContext& c);

// The relay's exit policy rebuilt from Snapshot::relay.exit_policy.
std::optional<model::ExitPolicy> exit_policy_of(const model::Snapshot& s);
std::string human_bytes(double bytes);

}  // namespace relaymon::analysis::detail
