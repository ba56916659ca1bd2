// What the TUI (and any other front end) may ask of a monitored relay: the
// newest snapshot, and the few commands an operator sends. RelayMonitor is
// the real one; tests script their own. Nothing here draws.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "control/connection.h"
#include "control/events.h"
#include "model/snapshot.h"

namespace relaymon::session {

// "" when done, else why not (tor's refusal, unknown event names).
using Done = std::function<void(const std::string& error)>;

class RelaySession {
 public:
  virtual ~RelaySession() = default;

  // The newest published snapshot; the same pointer until something changed.
  virtual model::SnapshotPtr snapshot() = 0;
  virtual bool ready() const = 0;

  // A control-port command line as typed in the interpreter.
  virtual void command(const std::string& line, control::ReplyCallback done) = 0;
  virtual void setconf(std::vector<std::pair<std::string, std::string>> values,
                       control::ReplyCallback done) = 0;
  virtual void resetconf(std::vector<std::string> keys, control::ReplyCallback done) = 0;
  virtual void signal(const std::string& name, control::ReplyCallback done) = 0;
  // SAVECONF, retried with FORCE when the torrc uses %include (`forced` first).
  virtual void saveconf(control::ReplyCallback done,
                        std::function<void(const control::Reply&)> forced) = 0;

  // Extra events `owner` wants besides relaymon's own (replacing its earlier
  // wish); the session keeps one subscription with the union, also across
  // reconnects. Unknown names are refused in `done`.
  virtual void want_events(const std::string& owner, std::vector<std::string> events,
                           Done done) = 0;
  // The events the log shows besides tor's log lines (scrubbed as they
  // enter the model); subscribed like want_events("log", ...).
  virtual void set_logged_events(std::vector<std::string> events, Done done) = 0;
  // Every parsed event, as it arrives (one listener).
  virtual void set_event_tap(std::function<void(const control::Event&)> tap) = 0;

  virtual void stop() = 0;

  // With reveal_flood_addresses on: host tag (analysis::host_tag) -> its
  // address, for the hosts over connection-flood's limit. Empty otherwise.
  virtual std::map<std::string, std::string> revealed_hosts() const { return {}; }
};

}  // namespace relaymon::session
