// Validation of relaymon's JSON output against the schemas it publishes
// (share/schema/), by tests/support/validate_json.py with Debian's
// python3-jsonschema. Every test that reads relaymon's JSON checks it here
// first, so a field the schemas do not describe fails a test.
#pragma once

#include <string>

namespace relaymon::testing {

// "" when `document` (one --snapshot --json output) is valid, else the
// validator's report, one error a line.
std::string snapshot_schema_errors(const std::string& document);

// "" when every line of `lines` (--watch --json output, one JSON object a
// line; at least one) is valid, else the validator's report.
std::string watch_schema_errors(const std::string& lines);

}  // namespace relaymon::testing
