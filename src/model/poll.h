// What one poll of a relay found beyond the control port's answers: tor's
// sockets classified, the cross-check and the alerts over them, and where
// they came from. The monitor keeps the latest one; the assembly step
// (model/assemble.h) puts it into each Snapshot.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/shared.h"
#include "model/snapshot.h"

namespace relaymon::model {

struct PollResult {
  Shared<std::vector<Connection>> connections;
  std::shared_ptr<const RelayIndex> consensus;  // Snapshot::consensus
  std::string resolver;                         // "netlink", "proc", "ss", ..., or ""
  std::string resolver_status;                  // why it is the one in use, or why none works
  std::string geo_source;
  std::string geo_status;
  long relay_index_size = 0;
  CrossCheck crosscheck;
  std::vector<Alert> alerts;
  Health health;           // session/health_collector.h
  bool collected = false;  // a complete collection (control port and sockets) is in
};

}  // namespace relaymon::model
