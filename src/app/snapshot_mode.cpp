#include "app/snapshot_mode.h"

#include <fmt/format.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "app/collector.h"
#include "app/password.h"
#include "app/snapshot_json.h"
#include "control/controller.h"
#include "model/relay_state.h"

namespace relaymon::app {

namespace asio = boost::asio;

std::string host_description() {
  utsname u{};
  if (::uname(&u) != 0) return "";
  return fmt::format("{} ({} {})", u.nodename, u.sysname, u.release);
}

std::function<std::optional<std::string>()> password_source(const Config& config) {
  return [config]() -> std::optional<std::string> {
    if (const char* env = std::getenv("RELAYMON_PASSWORD")) return std::string(env);
    if (config.password) return config.password;
    if (::isatty(STDIN_FILENO)) return prompt_password("Tor control password: ");
    return std::nullopt;
  };
}

model::AuthMethod to_model(control::AuthMethodUsed method) {
  switch (method) {
    case control::AuthMethodUsed::kNone: return model::AuthMethod::kNone;
    case control::AuthMethodUsed::kSafeCookie: return model::AuthMethod::kSafeCookie;
    case control::AuthMethodUsed::kCookie: return model::AuthMethod::kCookie;
    case control::AuthMethodUsed::kPassword: return model::AuthMethod::kPassword;
  }
  return model::AuthMethod::kNone;
}

namespace {

struct OneShot {
  model::RelayState state;
  std::shared_ptr<control::Controller> controller;
  std::shared_ptr<Collector> collector;
  std::string error;
  std::vector<std::string> unanswered;
  bool done = false;
};

void print_text(const model::Snapshot& s) {
  const auto& r = s.relay;
  const auto& t = s.tor;
  fmt::print("{} {} at {} ({} auth)\n", r.nickname.empty() ? "tor" : r.nickname,
             r.fingerprint.empty() ? "(not a relay)" : r.fingerprint, s.control.endpoint,
             model::to_string(s.control.auth));
  fmt::print("  tor {} ({}), uptime {}s, bootstrap {}%\n", t.version,
             t.version_status.empty() ? "status unknown" : t.version_status,
             t.uptime_seconds.value_or(0), t.bootstrap_progress);
  fmt::print("  traffic read {} B, written {} B\n", t.traffic_read.value_or(0),
             t.traffic_written.value_or(0));
  if (s.process.pid) {
    fmt::print("  pid {} user {} descriptors {}/{}\n", *s.process.pid, s.process.user,
               s.process.descriptors_used ? std::to_string(*s.process.descriptors_used) : "?",
               s.process.descriptor_limit ? std::to_string(*s.process.descriptor_limit) : "?");
  }
  if (!r.flags.empty()) {
    std::string flags;
    for (const auto& f : r.flags) flags += (flags.empty() ? "" : " ") + f;
    fmt::print("  flags {}\n", flags);
  }
  if (!r.exit_policy_summary.empty()) fmt::print("  exit policy {}\n", r.exit_policy_summary);
}

}  // namespace

int run_snapshot(const Options& options, const Config& config, const std::vector<Target>& targets) {
  asio::io_context io;
  std::vector<std::unique_ptr<OneShot>> shots;
  std::size_t remaining = targets.size();
  auto finish_one = [&](OneShot& shot) {
    if (shot.done) return;
    shot.done = true;
    shot.controller->stop();
    if (--remaining == 0) io.stop();
  };
  auto timeout = std::chrono::milliseconds(static_cast<long>(options.timeout * 1000));
  for (const auto& target : targets) {
    auto shot = std::make_unique<OneShot>();
    OneShot* raw = shot.get();
    control::ControllerOptions controller_options;
    controller_options.endpoints = target.endpoints;
    controller_options.password = password_source(config);
    controller_options.reconnect = false;
    controller_options.connect_timeout = timeout;
    controller_options.command_timeout = timeout;
    control::ControllerCallbacks callbacks;
    callbacks.on_ready = [&, raw](const control::Session& session) {
      raw->state.control().endpoint = session.endpoint.to_string();
      raw->state.control().auth = to_model(session.auth);
      raw->state.control().connected = true;
      raw->collector->refresh_static([&, raw] {
        raw->unanswered = raw->collector->failures();
        raw->collector->refresh_volatile([&, raw] {
          for (const auto& f : raw->collector->failures()) raw->unanswered.push_back(f);
          finish_one(*raw);
        });
      });
    };
    callbacks.on_fatal = [&, raw](const control::Error& error) {
      raw->error = error.message;
      finish_one(*raw);
    };
    raw->controller = std::make_shared<control::Controller>(io, controller_options, callbacks);
    raw->collector = std::make_shared<Collector>(*raw->controller, raw->state);
    shots.push_back(std::move(shot));
  }
  for (auto& shot : shots) shot->controller->start();
  asio::steady_timer deadline(io);
  deadline.expires_after(timeout * 3);
  deadline.async_wait([&](const boost::system::error_code& ec) {
    if (ec) return;
    for (auto& shot : shots) {
      if (!shot->done) {
        shot->error = fmt::format("no complete answer within {} s", options.timeout * 3);
        finish_one(*shot);
      }
    }
  });
  io.run();

  int status = 0;
  std::vector<model::Snapshot> snapshots;
  std::string host = host_description();
  for (std::size_t i = 0; i < shots.size(); ++i) {
    if (!shots[i]->error.empty()) {
      fmt::print(stderr, "relaymon: {}\n", shots[i]->error);
      status = 1;
      continue;
    }
    model::Snapshot snapshot = shots[i]->state.publish(model::Clock::now());
    snapshot.host = host;
    snapshot.unanswered = shots[i]->unanswered;
    snapshots.push_back(std::move(snapshot));
  }
  if (status != 0) return status;
  if (options.json) {
    std::cout << snapshots_to_json(snapshots).dump(2) << "\n";
  } else {
    for (const auto& s : snapshots) print_text(s);
  }
  return 0;
}

}  // namespace relaymon::app
