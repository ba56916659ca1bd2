// The typed JSON line of one tor event (--watch --json --events, schema 2):
// one documented shape per event type (man/relaymon.1, JSON OUTPUT, and
// share/schema/relaymon-watch-event-*.schema.json), names in snake_case,
// numbers as numbers, lists as lists, null for what tor did not send.
// Identifiers (circuit, stream, connection ids) stay strings: the
// control-spec defines them as 1*16 alphanumerics, not as numbers. A
// field whose tor name would clash with the line's envelope (type, schema,
// time, relay, event) is renamed: CONN_BW's TYPE is conn_type, GUARD's
// type and name are guard_type and guard, CIRC_BW's and STREAM_BW's TIME
// is event_time.
//
// Privacy: built from the parsed event, field by field, never from the raw
// line. A stream's or an address map's destination, a SOCKS username or
// password, an onion address and a client's address are left out; free
// text (log messages, STATUS arguments, option values) and every value of
// an event type relaymon has no shape for go through model/scrub_text.h.
// Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "control/events.h"
#include "control/quoting.h"
#include "model/snapshot.h"

namespace relaymon::exporter {

// The version of every --watch JSON line's shape; listed in the man page's
// CHANGELOG. 1 was the untyped event lines of relaymon 0.1.0.
inline constexpr int kWatchSchema = 2;

// The event's own fields, without the line's envelope.
nlohmann::json event_fields(const control::Event& event);

// {"type":"event","schema":2,"time":...,"relay":...,"event":"CIRC",...fields}
nlohmann::json event_json(const std::string& relay, const control::Event& event,
                          model::TimePoint now);

// An event tor sent that relaymon could not parse: {"type":"malformed",
// "schema":2,"time","relay","event":"STREAM" (null if the type itself is
// not a keyword),"error":why}. The error names the problem, never a value
// (control/events.h), so no address can reach it; the event's text is not
// repeated.
nlohmann::json malformed_event_json(const std::string& relay, std::string_view event_type,
                                    const control::ParseError& error, model::TimePoint now);

// One JSON line (no newline) for --watch. Tor's text is not always valid
// UTF-8 (a log line can carry any byte); an invalid sequence becomes
// U+FFFD instead of an exception that would end the stream.
std::string json_line(const nlohmann::json& line);

// "TimeStarted" -> "time_started", "BUILD_FLAGS" -> "build_flags",
// "HSDir" -> "hs_dir": the names of keywords relaymon has no shape for.
std::string snake_case(std::string_view keyword);

}  // namespace relaymon::exporter
