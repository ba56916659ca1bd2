// The cross-check: tor's own account of its OR connections (orconn-status
// and ORCONN events, or GETINFO conn/all where a tor answers it) against
// the sockets the system shows for tor's process. Pure comparison plus a
// small tracker that reports only discrepancies persisting for N polls in
// a row, since the two views are taken moments apart and briefly differ.
//
// Keys may hold raw addresses (a client's ADDR:PORT); they never leave this
// module: results carry scrubbed descriptions only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/snapshot.h"
#include "model/tor_inputs.h"
#include "system/socket.h"

namespace relaymon::analysis {

// One line of GETINFO conn/all in the format of the seed proposal (003):
// CONN_ID CIRC_ID OR_ID IP PORT L_PORT TYPE_FLAGS READ WRITE UPTIME
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

// One connection as one side sees it.
struct SideEntry {
  std::string key;          // "$FINGERPRINT" or raw "ip:port": never shown
  std::string description;  // scrubbed: "relay $FP~nick", "client (DE)"
  std::string kind;         // counted per kind: "relay", "client", category name
  // An inbound relay connection the system cannot attribute to one relay
  // (the peer's port is ephemeral, so only its address is known): it
  // matches any relay entry of the other side left over by exact keys.
  bool any_relay = false;
};

// Established OR connections from orconn-status (status CONNECTED).
std::vector<SideEntry> control_side(const std::vector<model::OrConn>& orconns);
// OR connections from conn/all: relaying (R) or client (C) entries that are
// inter-tor (T) and established (I/O).
std::vector<SideEntry> control_side(const std::vector<ConnAllEntry>& entries);
// tor's established OR-protocol sockets: `sockets` and `connections` are
// the same list before and after classification (same order).
std::vector<SideEntry> system_side(const system::Sockets& sockets,
                                   const std::vector<model::Connection>& connections);

struct Comparison {
  long matched = 0;
  std::vector<SideEntry> only_control;
  std::vector<SideEntry> only_system;
  std::vector<std::pair<std::string, long>> control_counts;
  std::vector<std::pair<std::string, long>> system_counts;
};

// Multiset comparison by key (two connections to one relay need two on
// each side), then unattributed inbound relay connections against the
// control side's leftover relay entries, one for one.
Comparison compare(const std::vector<SideEntry>& control, const std::vector<SideEntry>& system);

class CrossCheckTracker {
 public:
  explicit CrossCheckTracker(int polls = 3) : polls_(polls < 1 ? 1 : polls) {}
  // One poll's comparison -> the Snapshot's view; a discrepancy is
  // persistent once seen in `polls` consecutive polls.
  model::CrossCheck update(const Comparison& comparison, std::string_view source);

 private:
  int polls_;
  std::map<std::string, int> streak_;  // side + key -> consecutive polls
};

}  // namespace relaymon::analysis
