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

namespace relaymon::session {

class Collector : public std::enable_shared_from_this<Collector> {
 public:
  Collector(control::Controller& controller, model::RelayState& state)
      : controller_(controller), state_(state) {}

  // What changes only on (re)connect, SIGHUP or CONF_CHANGED: version,
  // listeners, exit policy, process, our consensus entry, the consensus,
  // the options relaymon reads (nickname, rates, ExitPolicyRejectPrivate,
  // HiddenServicePort).
  void refresh_static(std::function<void()> done);
  // What changes all the time: uptime, traffic, bootstrap, circuits,
  // OR connections; plus the tor process's /proc figures.
  void refresh_volatile(std::function<void()> done);

  // tor's options with their running values, the torrc file and the names
  // tor knows (info/config/events/signal names), for the config, torrc and
  // interpreter pages (on connect and after CONF_CHANGED).
  void refresh_config(std::function<void()> done);

  // Keys that failed in the last refresh, with tor's answer (for --snapshot
  // and the log). Expected refusals (a client has no fingerprint) included.
  const std::vector<std::string>& failures() const { return failures_; }

 private:
  void ask_info(const std::vector<std::string>& keys, std::function<void()> done);
  void ask_conf(const std::vector<std::string>& keys, std::function<void()> done);
  void sample_process();
  void prefill_tor_log();

  control::Controller& controller_;
  model::RelayState& state_;
  std::vector<std::string> failures_;
  std::optional<system::ProcessSampler> tor_sampler_;  // recreated when tor's pid changes
  system::ProcessSampler self_sampler_;                // relaymon's own CPU
};

// The torrc as the file on disk, which may differ from the running
// configuration; relaymon often may not read it (tor's own file), and says
// why. Opened without blocking (a FIFO cannot freeze relaymon), required to
// be a regular file (checked on the open descriptor), and read up to
// `limit` bytes (the rest is cut, and the config says so).
void read_torrc(const std::string& path, model::TorConfig& config, std::size_t limit = 1024 * 1024);

}  // namespace relaymon::session
