// GETINFO conn/all in the format of the seed proposal (003), which tor 0.4.x
// never merged (it answers 552) but a patched tor may offer:
// CONN_ID CIRC_ID OR_ID IP PORT L_PORT TYPE_FLAGS READ WRITE UPTIME
// Pure; the values may hold a client's address, which the model hashes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace relaymon::control {

struct ConnAllEntry {
  std::string conn_id;
  std::string circ_id;
  std::string or_id;  // relay fingerprint, "0" when not a relay
  std::string ip;     // "0" for client/exit traffic
  std::uint16_t port = 0;
  std::uint16_t local_port = 0;
  std::string flags;  // e.g. "IRt"
  std::uint64_t read = 0;
  std::uint64_t written = 0;
  std::uint64_t uptime = 0;
};

// Unparsable lines are skipped and counted in `skipped`; extra fields are
// ignored (the format allows future additions).
std::vector<ConnAllEntry> parse_conn_all(std::string_view data, int* skipped = nullptr);

}  // namespace relaymon::control
