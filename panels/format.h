// Number, size, rate and time formatting shared by the pages.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "model/snapshot.h"
#include "text/text.h"
#include "text/units.h"

namespace relaymon::panels {

// Sizes, rates, durations and shares live in src/text (the headless text
// outputs use them too).
using text::format_bytes;
using text::format_duration;
using text::format_percent;
using text::format_rate;

// Seconds between two times, never negative.
long seconds_between(model::TimePoint from, model::TimePoint to);
// "HH:MM:SS" in local time.
std::string format_clock(model::TimePoint time);
// "warning" -> "WARNING" (ASCII only).
using text::upper;
// "n/a" for an empty optional.
std::string or_na(const std::optional<std::string>& text);

}  // namespace relaymon::panels
