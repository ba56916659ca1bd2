// Alert rules over the relay-health model (Snapshot::health, model/health.h):
// overload, onionskins, DoS, flags, consensus presence, reachability per
// address family, exit DNS, family certificate, memory, accounting and the
// signing key. Each is a pure function of the RuleContext, like the rules
// in rules_internal.h; each says in a comment when it would be a false
// alarm. To register them: append health_rules() to rules() and call
// add_health_defaults() from AlertConfig::defaults() (man/relaymon.1,
// ALERTS, lists the same defaults).
#pragma once

#include <vector>

#include "analysis/alerts.h"

namespace relaymon::analysis {

namespace health {
std::vector<Finding> overload_published(RuleContext& c);
std::vector<Finding> onionskins_dropped(RuleContext& c);
std::vector<Finding> dos_counters_rising(RuleContext& c);
std::vector<Finding> flag_changed(RuleContext& c);
std::vector<Finding> not_in_consensus(RuleContext& c);
std::vector<Finding> reachability_failing(RuleContext& c);
std::vector<Finding> exit_dns_failing(RuleContext& c);
std::vector<Finding> family_cert_missing(RuleContext& c);
std::vector<Finding> memory_pressure(RuleContext& c);
std::vector<Finding> accounting_exhaustion(RuleContext& c);
std::vector<Finding> signing_key_expiry(RuleContext& c);
}  // namespace health

// The rules above with their ids and one-line summaries, in display order.
const std::vector<Rule>& health_rules();

// Adds every health rule's documented defaults (hold, clear, thresholds).
void add_health_defaults(AlertConfig& config);

}  // namespace relaymon::analysis
