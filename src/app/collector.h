// Gathers what a Snapshot needs from the control port into a RelayState.
// Each key is its own GETINFO, pipelined: tor fails a whole batched GETINFO
// on one key it does not know or cannot answer (a client has no
// fingerprint), and one failure must not hide the other answers.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "control/controller.h"
#include "model/relay_state.h"
#include "system/process_stats.h"

namespace relaymon::app {

class Collector : public std::enable_shared_from_this<Collector> {
 public:
  Collector(control::Controller& controller, model::RelayState& state)
      : controller_(controller), state_(state) {}

  // What changes only on (re)connect, SIGHUP or CONF_CHANGED: version,
  // listeners, exit policy, process, our consensus entry, the consensus.
  void refresh_static(std::function<void()> done);
  // What changes all the time: uptime, traffic, bootstrap, circuits,
  // OR connections; plus the tor process's /proc figures.
  void refresh_volatile(std::function<void()> done);

  // tor's options with their running values and the torrc file, for the
  // config and torrc pages (on connect and after CONF_CHANGED).
  void refresh_config(std::function<void()> done);

  // Keys that failed in the last refresh, with tor's answer (for --snapshot
  // and the log). Expected refusals (a client has no fingerprint) included.
  const std::vector<std::string>& failures() const { return failures_; }

 private:
  void ask_info(const std::vector<std::string>& keys, std::function<void()> done);
  void ask_conf(const std::vector<std::string>& keys, std::function<void()> done);
  void sample_process();

  control::Controller& controller_;
  model::RelayState& state_;
  std::vector<std::string> failures_;
  std::optional<system::ProcessSampler> tor_sampler_;  // recreated when tor's pid changes
  system::ProcessSampler self_sampler_;                // relaymon's own CPU
};

}  // namespace relaymon::app
