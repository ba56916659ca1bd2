// Private to the events_*.cpp and getinfo.cpp files: per-type parsers that
// work on an already tokenized argument list, and small value checks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "control/events.h"
#include "control/quoting.h"

namespace relaymon::control::detail {

// Unsigned decimal, digits only, no sign, no overflow.
std::optional<std::uint64_t> parse_u64(std::string_view text);

// CircuitID / StreamID / ConnID: 1*16 (ALPHA / DIGIT).
bool is_id(std::string_view text);

// Each returns the payload or a message without the "TYPE: " prefix.
std::variant<BwEvent, ParseError> parse_bw(const ArgList& args);
std::variant<CircEvent, ParseError> parse_circ(const ArgList& args);
std::variant<CircMinorEvent, ParseError> parse_circ_minor(const ArgList& args);
std::variant<StreamEvent, ParseError> parse_stream(const ArgList& args);
std::variant<OrConnEvent, ParseError> parse_orconn(const ArgList& args);
std::variant<CircBwEvent, ParseError> parse_circ_bw(const ArgList& args);
std::variant<StreamBwEvent, ParseError> parse_stream_bw(const ArgList& args);
std::variant<ConnBwEvent, ParseError> parse_conn_bw(const ArgList& args);
std::variant<StatusEvent, ParseError> parse_status(const ArgList& args);
std::variant<NewDescEvent, ParseError> parse_newdesc(const ArgList& args);
std::variant<SignalEvent, ParseError> parse_signal(const ArgList& args);
std::variant<GuardEvent, ParseError> parse_guard(const ArgList& args);
std::variant<NetworkLivenessEvent, ParseError> parse_liveness(const ArgList& args);
std::variant<AddrMapEvent, ParseError> parse_addrmap(const ArgList& args);
std::variant<HsDescEvent, ParseError> parse_hs_desc(const ArgList& args);

}  // namespace relaymon::control::detail
