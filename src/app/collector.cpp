#include "app/collector.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "control/getinfo.h"
#include "text/text.h"

namespace relaymon::app {

namespace {

// The torrc as the file on disk, which may differ from the running
// configuration; relaymon often may not read it (tor's own file), and says why.
void read_torrc(const std::string& path, model::TorConfig& config) {
  config.torrc_path = path;
  std::ifstream in(path);
  if (!in) {
    config.torrc_error = fmt::format("cannot read {}: {}", path, std::strerror(errno));
    return;
  }
  for (std::string line; std::getline(in, line) && config.torrc_lines.size() < 100000;) {
    config.torrc_lines.push_back(line);
  }
}

// Runs `done` once, after `count` callbacks have reported in.
std::shared_ptr<std::function<void()>> countdown(std::size_t count, std::function<void()> done) {
  auto remaining = std::make_shared<std::size_t>(count);
  return std::make_shared<std::function<void()>>([remaining, done]() {
    if (--*remaining == 0 && done) done();
  });
}

}  // namespace

void Collector::ask_info(const std::vector<std::string>& keys, std::function<void()> done) {
  auto tick = countdown(keys.size(), std::move(done));
  auto self = shared_from_this();
  for (const auto& key : keys) {
    controller_.getinfo(
        {key}, [self, key, tick](std::optional<control::Error> error, control::Reply reply) {
          if (error) {
            self->failures_.push_back(fmt::format("{}: {}", key, error->message));
          } else {
            auto parsed = control::parse_getinfo(reply);
            if (auto* info = std::get_if<control::InfoMap>(&parsed)) {
              for (const auto& entry : info->entries)
                self->state_.apply_info(entry.key, entry.value);
            } else {
              const auto& why = std::get<control::ReplyError>(parsed);
              self->failures_.push_back(fmt::format("{}: {} {}", key, why.code, why.message));
            }
          }
          (*tick)();
        });
  }
}

void Collector::ask_conf(const std::vector<std::string>& keys, std::function<void()> done) {
  auto self = shared_from_this();
  controller_.getconf(keys,
                      [self, done](std::optional<control::Error> error, control::Reply reply) {
                        if (!error) {
                          auto parsed = control::parse_getconf(reply);
                          if (auto* conf = std::get_if<control::ConfMap>(&parsed)) {
                            for (const auto& entry : conf->entries) {
                              if (entry.value) self->state_.apply_conf(entry.key, *entry.value);
                            }
                          }
                        }
                        done();
                      });
}

void Collector::refresh_static(std::function<void()> done) {
  failures_.clear();
  auto self = shared_from_this();
  std::vector<std::string> keys = {"version",
                                   "status/version/current",
                                   "process/pid",
                                   "process/user",
                                   "process/descriptor-limit",
                                   "fingerprint",
                                   "address",
                                   "net/listeners/or",
                                   "net/listeners/dir",
                                   "net/listeners/socks",
                                   "net/listeners/control",
                                   "net/listeners/dns",
                                   "exit-policy/full",
                                   "accounting/enabled",
                                   "config-file",
                                   "bw-event-cache"};
  // Our own consensus entry needs the fingerprint first.
  ask_info(keys, [self, done]() {
    auto after_conf = [self, done]() {
      const std::string& fingerprint = self->state_.mutable_snapshot().relay.fingerprint;
      std::vector<std::string> more = {"ns/all"};
      if (!fingerprint.empty()) more.push_back("ns/id/" + fingerprint);
      self->ask_info(more, done);
    };
    self->ask_conf({"Nickname", "BandwidthRate", "BandwidthBurst", "RelayBandwidthRate",
                    "RelayBandwidthBurst"},
                   after_conf);
  });
}

void Collector::refresh_config(std::function<void()> done) {
  auto self = shared_from_this();
  controller_.getinfo(
      {"config/names", "config-text", "config-file"},
      [self, done](std::optional<control::Error> error, control::Reply reply) {
        auto parsed = control::parse_getinfo(reply);
        auto* info = error ? nullptr : std::get_if<control::InfoMap>(&parsed);
        if (!info || !info->find("config/names")) {
          done();
          return;
        }
        auto config = std::make_shared<model::TorConfig>();
        std::set<std::string> set_options;
        if (const std::string* text = info->find("config-text")) {
          std::istringstream lines(*text);
          for (std::string line; std::getline(lines, line);) {
            set_options.insert(text::lower(line.substr(0, line.find(' '))));
          }
        }
        std::vector<std::string> names;
        std::istringstream lines(*info->find("config/names"));
        for (std::string line; std::getline(lines, line);) {
          std::istringstream words(line);
          model::ConfigOption option;
          words >> option.name >> option.type;
          // "__" options are tor's internal ones; nyx hides them too.
          if (option.name.empty() || option.name.rfind("__", 0) == 0) continue;
          option.is_set = set_options.count(text::lower(option.name)) > 0;
          names.push_back(option.name);
          config->options.push_back(std::move(option));
        }
        if (const std::string* path = info->find("config-file")) read_torrc(*path, *config);
        self->controller_.getconf(
            names, [self, config, done](std::optional<control::Error> e, control::Reply r) {
              auto conf = control::parse_getconf(r);
              if (auto* values = e ? nullptr : std::get_if<control::ConfMap>(&conf)) {
                for (auto& option : config->options) option.values = values->values(option.name);
              }
              std::sort(config->options.begin(), config->options.end(),
                        [](const auto& a, const auto& b) { return a.name < b.name; });
              self->state_.mutable_snapshot().config = std::move(*config);
              done();
            });
      });
}

void Collector::refresh_volatile(std::function<void()> done) {
  failures_.clear();
  sample_process();
  ask_info({"uptime", "traffic/read", "traffic/written", "status/bootstrap-phase",
            "network-liveness", "accounting/hibernating", "circuit-status", "orconn-status"},
           std::move(done));
}

void Collector::sample_process() {
  model::TorProcess& process = state_.process();
  state_.mutable_snapshot().relaymon_cpu_percent = self_sampler_.sample().cpu_percent;
  if (!process.pid) return;
  if (!tor_sampler_ || tor_sampler_->pid() != *process.pid) tor_sampler_.emplace(*process.pid);
  system::ProcessStats stats = tor_sampler_->sample();
  process.cpu_percent = stats.cpu_percent;
  process.rss_bytes = stats.rss_bytes;
  process.threads =
      stats.threads ? std::optional<int>(static_cast<int>(*stats.threads)) : std::nullopt;
  process.start_time = stats.start_time;
  // Descriptors used: tor has no GETINFO for it, so /proc/PID/fd is counted.
  process.descriptors_used = stats.descriptors_used;
  process.unavailable_reason =
      !stats.unavailable.empty() ? stats.unavailable : stats.descriptors_unavailable;
}

}  // namespace relaymon::app
