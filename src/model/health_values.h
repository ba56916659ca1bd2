// Pure parsers for the small GETINFO values behind the relay-health model:
// tor's ISO times, stats/ntor/{requested,assigned},
// limits/max-mem-in-queues, accounting/*. Captured answers of tor 0.4.9.11
// are in tests/fixtures/tor-0.4.9.11-health/.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace relaymon::model {

using HealthClock = std::chrono::system_clock;
using HealthTime = HealthClock::time_point;

// "2026-12-06 18:00:00" (UTC in descriptors and GETINFO accounting/*) ->
// the time point; nullopt unless exactly that shape and a valid date in
// 1970-2200 (what system_clock can hold, with room to spare).
std::optional<HealthTime> parse_tor_time(std::string_view text);

// `seconds` after `t`, clamped to +-50 years so that a huge projection or
// a hostile figure cannot overflow the clock's nanoseconds.
HealthTime add_seconds(HealthTime t, double seconds);

// A decimal unsigned integer that is the whole text (stats/ntor/*,
// limits/max-mem-in-queues, uptime); nullopt otherwise.
std::optional<std::uint64_t> parse_count(std::string_view text);

// Several GETINFO accounting/* values at once: give each key's value, e.g.
// update_accounting(info, "accounting/bytes", "1580221 1565888").
struct AccountingValues {
  std::optional<bool> enabled;
  std::string hibernating;                  // "awake", "soft", "hard"
  std::optional<std::uint64_t> read_bytes;  // accounting/bytes: read written
  std::optional<std::uint64_t> written_bytes;
  std::optional<std::uint64_t> read_left;  // accounting/bytes-left
  std::optional<std::uint64_t> written_left;
  std::optional<HealthTime> interval_start;
  std::optional<HealthTime> interval_wake;
  std::optional<HealthTime> interval_end;
};
// False when the key is not an accounting/* key or its value is malformed
// (then nothing is changed).
bool update_accounting(AccountingValues& values, std::string_view key, std::string_view value);

}  // namespace relaymon::model
