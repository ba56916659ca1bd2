#include "session/collector.h"

#include "model/torrc.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <set>

#include "control/getinfo.h"
#include "session/countdown.h"
#include "session/tor_log_reader.h"
#include "session/tor_manual_file.h"
#include "text/text.h"

namespace relaymon::session {

void read_torrc(const std::string& path, model::TorConfig& config, std::size_t limit) {
  config.torrc_path = path;
  config.torrc_lines.clear();
  config.torrc_truncated = false;
  config.torrc_error.clear();
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    config.torrc_error = fmt::format("cannot read {}: {}", path, std::strerror(errno));
    return;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    config.torrc_error = fmt::format("not reading {}: not a regular file", path);
    ::close(fd);
    return;
  }
  std::string text;
  text.resize(std::min<std::size_t>(limit, static_cast<std::size_t>(st.st_size)) + 1);
  std::size_t got = 0;
  while (got < text.size()) {
    ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (got > limit) {
    got = limit;
    config.torrc_truncated = true;
  }
  text.resize(got);
  if (config.torrc_truncated) {
    auto last_newline = text.rfind('\n');  // no half line at the cut
    text.resize(last_newline == std::string::npos ? 0 : last_newline + 1);
  }
  config.torrc_lines = text::split_lines(text, false);
  if (!text.empty() && text.back() == '\n' && !config.torrc_lines.empty() &&
      config.torrc_lines.back().empty()) {
    config.torrc_lines.pop_back();
  }
}

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
              auto now = model::Clock::now();
              for (const auto& entry : info->entries) {
                self->state_.apply_info(entry.key, entry.value, now);
              }
            } else {
              const auto& why = std::get<control::ReplyError>(parsed);
              self->failures_.push_back(fmt::format("{}: {} {}", key, why.code, why.message));
            }
          }
          tick();
        });
  }
}

void Collector::ask_conf(const std::vector<std::string>& keys, std::function<void()> done) {
  auto self = shared_from_this();
  controller_.getconf(
      keys, [self, keys, done](std::optional<control::Error> error, control::Reply reply) {
        if (!error) {
          auto parsed = control::parse_getconf(reply);
          if (auto* conf = std::get_if<control::ConfMap>(&parsed)) {
            for (const auto& key : keys) {
              std::vector<std::string> values = conf->values(key);
              if (key == "HiddenServicePort") {
                self->state_.apply_hidden_service_ports(values);
              } else if (key == "Log") {
                self->state_.set_tor_log_file(model::tor_log_file(values));
              } else if (!values.empty()) {
                self->state_.apply_conf(key, values.front());
              }
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
                                   "net/listeners/metrics",
                                   "exit-policy/full",
                                   "accounting/enabled",
                                   "config-file",
                                   "bw-event-cache"};
  // Our own consensus entry needs the fingerprint first.
  ask_info(keys, [self, done]() {
    auto after_conf = [self, done]() {
      const std::string& fingerprint = self->state_.fingerprint();
      std::vector<std::string> more = {"ns/all"};
      if (!fingerprint.empty()) more.push_back("ns/id/" + fingerprint);
      self->prefill_tor_log();
      self->ask_info(more, done);
    };
    self->ask_conf(
        {"Nickname", "BandwidthRate", "BandwidthBurst", "RelayBandwidthRate", "RelayBandwidthBurst",
         "ExitPolicyRejectPrivate", "HiddenServicePort", "TestingTorNetwork", "SafeLogging", "Log"},
        after_conf);
  });
}

// tor's recent lines from its log file, once per process (a reconnect
// would repeat them), when tor logs to a file relaymon can read on this
// host; otherwise a line says why, and the log page's title keeps counting
// the WARN and ERR tor reports from now on.
void Collector::prefill_tor_log() {
  const auto& path = state_.tor_log_file();
  if (!path || state_.tor_log_prefilled()) return;
  auto now = model::Clock::now();
  LogTail tail = read_log_tail(*path);
  if (!tail.error.empty()) {
    state_.prefill_tor_log({});
    state_.add_log(model::LogSource::kRelaymon, "NOTICE", tail.error, now);
    return;
  }
  auto lines = model::parse_tor_log_tail(tail.text, now, 200);
  state_.prefill_tor_log(lines);
  state_.add_log(
      model::LogSource::kRelaymon, "NOTICE",
      fmt::format("the log starts with tor's last {} lines from {}", lines.size(), *path), now);
}

void Collector::refresh_config(std::function<void()> done) {
  auto self = shared_from_this();
  // The names first: the interpreter completes with them, the log page
  // offers events/names, and config/names lists every option.
  ask_info({"info/names", "events/names", "signal/names"}, [] {});
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
          text::for_each_line(*text, [&](std::string_view line) {
            set_options.insert(text::lower(line.substr(0, line.find(' '))));
          });
        }
        config->config_names = *info->find("config/names");
        std::vector<std::string> names;
        text::for_each_line(config->config_names, [&](std::string_view line) {
          std::vector<std::string_view> words;
          text::split_words(line, words);
          model::ConfigOption option;
          if (!words.empty()) option.name = std::string(words[0]);
          if (words.size() > 1) option.type = std::string(words[1]);
          // "__" options are tor's internal ones; nyx hides them too.
          if (option.name.empty() || option.name.rfind("__", 0) == 0) return;
          // A Virtual option (SocksPortLines) answers GETCONF with its members'
          // names (SocksPort=...): asking both would list each value twice.
          if (option.type != "Virtual") names.push_back(option.name);
          config->options.push_back(std::move(option));
        });
        if (const std::string* path = info->find("config-file")) read_torrc(*path, *config);
        config->manual = tor_manual();
        // "Set" is what config-text lists (values that differ from tor's
        // defaults) and what the torrc names: an option written there with
        // its default value (ExitPolicyRejectPrivate 1) is still the
        // operator's choice.
        for (const auto& line : model::analyze_torrc(*config)) {
          if (line.kind == model::TorrcLine::Kind::kOption)
            set_options.insert(text::lower(line.keyword));
        }
        for (auto& option : config->options) {
          option.is_set = set_options.count(text::lower(option.name)) > 0;
        }
        self->controller_.getconf(
            names, [self, config, done](std::optional<control::Error> e, control::Reply r) {
              auto conf = control::parse_getconf(r);
              if (auto* values = e ? nullptr : std::get_if<control::ConfMap>(&conf)) {
                for (auto& option : config->options) option.values = values->values(option.name);
              }
              std::sort(config->options.begin(), config->options.end(),
                        [](const auto& a, const auto& b) { return a.name < b.name; });
              self->state_.set_config(std::move(*config));
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
  state_.set_relaymon_cpu(self_sampler_.sample().cpu_percent);
  const auto& pid = state_.pid();
  if (!pid) return;
  if (!tor_sampler_ || tor_sampler_->pid() != *pid) tor_sampler_.emplace(*pid);
  system::ProcessStats stats = tor_sampler_->sample();
  model::TorProcess process;
  process.cpu_percent = stats.cpu_percent;
  process.rss_bytes = stats.rss_bytes;
  process.threads =
      stats.threads ? std::optional<int>(static_cast<int>(*stats.threads)) : std::nullopt;
  process.start_time = stats.start_time;
  // Descriptors used: tor has no GETINFO for it, so /proc/PID/fd is counted.
  process.descriptors_used = stats.descriptors_used;
  process.unavailable_reason =
      !stats.unavailable.empty() ? stats.unavailable : stats.descriptors_unavailable;
  state_.set_process(process);
}

}  // namespace relaymon::session
