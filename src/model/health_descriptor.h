// A pure parser for GETINFO status/fresh-relay-descs: the server
// descriptor and extra-info document tor would publish now (not stored,
// rebuilt on every request). Only what the relay-health model reads:
// bandwidth, platform, family lines and family certificates, hibernation,
// and the overload lines of proposal 328 (dir-spec "overload-general" in
// the server descriptor; "overload-ratelimits" and "overload-fd-exhausted"
// in the extra-info), plus the directory-request and connection statistics
// tor publishes after its first 24 hours. Unknown lines are ignored,
// malformed known ones counted. Never throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/health_values.h"

namespace relaymon::model {

// "overload-general 1 2026-12-06 18:00:00": the version and the hour
// (tor rounds down to the hour) when the overload was last seen.
struct OverloadSeen {
  int version = 0;
  HealthTime since;
};

// "overload-ratelimits 1 2026-12-06 18:00:00 76800 76800 1 1": the global
// BandwidthRate/BandwidthBurst bucket ran empty; the configured rate and
// burst (bytes/s) and how many minutes each side hit the limit.
struct OverloadRateLimits {
  int version = 0;
  HealthTime since;
  std::uint64_t rate = 0;
  std::uint64_t burst = 0;
  std::uint64_t read_count = 0;
  std::uint64_t write_count = 0;
};

// "conn-bi-direct 2026-12-06 18:00:00 (86400 s) BELOW,READ,WRITE,BOTH".
struct ConnBiDirect {
  HealthTime end;
  long interval_seconds = 0;
  std::uint64_t below = 0, read = 0, write = 0, both = 0;
};

struct ServerDescriptor {
  std::string nickname;
  std::string address;
  std::uint16_t or_port = 0;
  std::vector<std::string> or_addresses;  // "or-address [2001:db8::1]:9001"
  std::string fingerprint;                // 40 hex digits, spaces removed
  std::string platform;                   // "Tor 0.4.9.11 on Linux"
  std::optional<HealthTime> published;
  std::optional<long> uptime_seconds;
  std::optional<std::uint64_t> bandwidth_average;  // bytes/s
  std::optional<std::uint64_t> bandwidth_burst;
  std::optional<std::uint64_t> bandwidth_observed;
  std::vector<std::string> family;  // "$FP" entries (or nicknames) of `family`
  int family_certs = 0;             // "family-cert" objects (0.4.9 family keys)
  bool hibernating = false;         // "hibernating 1"
  std::optional<OverloadSeen> overload_general;
};

struct ExtraInfo {
  std::string nickname;
  std::string fingerprint;
  std::optional<HealthTime> published;
  std::optional<OverloadRateLimits> overload_ratelimits;
  std::optional<OverloadSeen> overload_fd_exhausted;
  std::optional<HealthTime> dirreq_stats_end;
  long dirreq_interval_seconds = 0;
  // "dirreq-v3-resp served=N,ok=N,...,busy=N" in tor's order.
  std::vector<std::pair<std::string, std::uint64_t>> dirreq_v3_resp;
  std::optional<ConnBiDirect> conn_bi_direct;
  std::optional<ConnBiDirect> ipv6_conn_bi_direct;
};

struct FreshDescriptors {
  std::optional<ServerDescriptor> server;
  std::optional<ExtraInfo> extra_info;
  // Known lines that did not parse, as "keyword: problem" (no values).
  std::vector<std::string> errors;
};

// The data block of GETINFO status/fresh-relay-descs ("\n" or "\r\n").
FreshDescriptors parse_fresh_relay_descs(std::string_view text);

}  // namespace relaymon::model
