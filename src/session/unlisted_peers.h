// Relays tor has an OR connection with that relaymon's copy of the
// consensus does not list. tor names each of them in orconn-status
// ("$FP~nick"), but not its address: the classifier can only place their
// sockets by count (model/classify.cpp). Before guessing, relaymon asks tor
// for each one's own consensus entry (GETINFO ns/id/FP): when relaymon's
// copy lags tor's (it is read at connect and on NEWCONSENSUS, and an event
// can be missed), tor answers with the entry, the relay index gains it,
// and its sockets are placed by address and ORPort and named. When tor
// has no entry either (a relay newer than every consensus), the relay
// stays named by its fingerprint and nickname from orconn-status.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/relay_index.h"
#include "model/tor_inputs.h"

namespace relaymon::session {

class UnlistedPeers {
 public:
  // Fingerprints to ask tor about now: relay peers the index lacks, each
  // asked at most once per consensus generation (a refusal then means
  // tor's consensus lacks it too; a new consensus may list it). At most
  // `limit`, so a burst of new peers cannot stall one poll.
  std::vector<std::string> to_ask(const std::vector<model::OrConn>& orconns,
                                  const model::RelayIndex& index, std::size_t generation,
                                  std::size_t limit = 16);
  // tor's answer: the entry's text ("r ...\ns ...\n..."), or nothing (552).
  void answered(const std::string& fingerprint, std::string_view entry);
  // The entries tor gave that `consensus` lacks, as text to append to it.
  std::string missing_from(const model::RelayIndex& consensus) const;
  // Changes whenever an entry was added.
  std::size_t version() const { return version_; }
  // A new connection to tor: its consensus may differ, so ask again.
  void clear();

 private:
  std::map<std::string, std::size_t, std::less<>> asked_;  // fingerprint -> generation
  std::map<std::string, std::string, std::less<>> entries_;
  std::size_t version_ = 0;
};

}  // namespace relaymon::session
