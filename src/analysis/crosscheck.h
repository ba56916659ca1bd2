// The cross-check: tor's own account of its OR connections (orconn-status
// and ORCONN events, or GETINFO conn/all where a tor answers it) against
// the sockets the system shows for tor's process. Pure comparison plus a
// small tracker that reports only discrepancies persisting for N polls in
// a row, since the two views are taken moments apart and briefly differ.
//
// Both sides come from the model: a relay is keyed by its fingerprint, an
// unauthenticated peer by the keyed hash of its ADDR:PORT (the model gives
// its socket and tor's entry the same one), so no address is needed here.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "model/snapshot.h"

namespace relaymon::analysis {

// One connection as one side sees it. Built for every OR connection every
// poll (tens of thousands on a big relay), so it holds no text: the key is
// a number and the description is made only for what is left unmatched.
struct SideEntry {
  std::uint64_t key = 0;  // relay: a hash of its fingerprint; else the keyed ADDR:PORT hash
  bool relay = false;     // keyed by a relay's fingerprint
  std::string_view kind;  // counted per kind: "relay", "client", category name (static text)
  // An inbound relay connection the system cannot attribute to one relay
  // (the peer's port is ephemeral, so only its address is known): it
  // matches any relay entry of the other side left over by exact keys.
  bool any_relay = false;
  // Where the entry came from (exactly one is set); it outlives the
  // comparison, which describes leftovers from it.
  const model::OrConnection* orconn = nullptr;
  const model::Connection* connection = nullptr;
};

// Scrubbed text for one entry: "relay $FP~nick", "inbound-client client (DE)".
std::string describe(const SideEntry& entry);

// Established OR connections as tor reports them (status CONNECTED).
std::vector<SideEntry> control_side(const std::vector<model::OrConnection>& orconns);
// tor's established OR-protocol sockets as the system shows them.
std::vector<SideEntry> system_side(const std::vector<model::Connection>& connections);

// One connection only one side has: the entry itself (it points into the
// compared lists, which outlive the comparison). A big relay can have
// thousands in a poll, so the texts are made only when asked for.
struct Discrepancy {
  SideEntry entry;
  // "$FINGERPRINT" or "peer:<hash>": never shown.
  std::string key() const;
  // Scrubbed: "relay $FP~nick", "inbound-client client (DE)".
  std::string description() const { return describe(entry); }
  std::string_view kind() const { return entry.kind; }
  bool any_relay() const { return entry.any_relay; }
};

struct Comparison {
  long matched = 0;
  std::vector<Discrepancy> only_control;
  std::vector<Discrepancy> only_system;
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
  // (side, keyed by a fingerprint, key) -> consecutive polls
  std::map<std::tuple<char, bool, std::uint64_t>, int> streak_;
};

}  // namespace relaymon::analysis
