// The control client relaymon uses: finds tor's control port, authenticates
// (NULL, SAFECOOKIE, COOKIE when allowed, HASHEDPASSWORD, in that order),
// and reconnects with exponential backoff when the connection drops,
// re-authenticating. Callers keep their accumulated state across reconnects;
// they only see on_disconnected and a new on_ready, where they subscribe
// their events again (a new connection starts with none).
//
//   start() ─> connect ─> PROTOCOLINFO ─> AUTHCHALLENGE/AUTHENTICATE
//                 ^                              │
//                 │ backoff timer                v
//          on_disconnected <── closed ── ready: on_ready (the caller subscribes)
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "control/auth.h"
#include "control/connection.h"
#include "control/endpoint.h"

namespace relaymon::control {

enum class AuthMethodUsed { kNone, kSafeCookie, kCookie, kPassword };
std::string_view to_string(AuthMethodUsed method);

struct Session {
  ControlEndpoint endpoint;
  AuthMethodUsed auth = AuthMethodUsed::kNone;
  ProtocolInfo protocol_info;
  std::string local_address;  // our end of a TCP control connection
  std::string remote_address;
};

struct ControllerOptions {
  // Tried in order until one answers; the one that answers is kept for
  // reconnects.
  std::vector<ControlEndpoint> endpoints = default_endpoints();
  // Asked once, only when tor wants a password; the answer is kept.
  std::function<std::optional<std::string>()> password;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds command_timeout{15000};
  std::chrono::milliseconds backoff_initial{500};
  std::chrono::milliseconds backoff_max{30000};
  bool reconnect = true;
  // Plain COOKIE sends the cookie file's bytes to whatever answers, and the
  // peer names the file: a fake control port offering only COOKIE gets
  // another tor's cookie. Every tor since 0.2.3.13 offers SAFECOOKIE, so
  // plain COOKIE is used only when the operator opts in.
  bool allow_plain_cookie = false;
  FramingLimits limits;
};

struct ControllerCallbacks {
  std::function<void(const Session&)> on_ready;
  std::function<void(const Reply&)> on_event;
  // The connection dropped (or a connect attempt failed) and a retry is
  // scheduled after `retry_in`.
  std::function<void(const Error&, std::chrono::milliseconds retry_in)> on_disconnected;
  // Gave up: not retryable (wrong password, SAFECOOKIE mismatch) or
  // reconnect disabled.
  std::function<void(const Error&)> on_fatal;
};

class Controller : public std::enable_shared_from_this<Controller> {
 public:
  Controller(boost::asio::io_context& io, ControllerOptions options, ControllerCallbacks callbacks);

  void start();
  void stop();
  bool ready() const { return ready_; }
  const Session& session() const { return session_; }
  int attempts() const { return attempts_; }

  // A raw command line, as typed in the interpreter (no CRLF).
  void command(std::string line, ReplyCallback done);

  void getinfo(const std::vector<std::string>& keys, ReplyCallback done);
  void getconf(const std::vector<std::string>& keys, ReplyCallback done);
  void setconf(const std::vector<std::pair<std::string, std::string>>& values, ReplyCallback done);
  void resetconf(const std::vector<std::string>& keys, ReplyCallback done);
  void signal(const std::string& name, ReplyCallback done);
  // SAVECONF; when tor answers 551 because the torrc uses %include, retries
  // with SAVECONF FORCE and calls `forced` first so the caller can say why.
  void saveconf(ReplyCallback done, std::function<void(const Reply&)> forced = {});
  // Subscribes exactly `events` (replacing earlier ones) on this connection.
  void set_events(std::vector<std::string> events, ReplyCallback done);

 private:
  void connect_next(std::size_t index, std::optional<Error> last_error);
  void on_connected();
  void authenticate(const ProtocolInfo& info);
  void authenticate_safecookie(const ProtocolInfo& info, std::string cookie);
  void send_authenticate(std::string line, AuthMethodUsed method);
  void on_authenticated();
  void lost(const Error& error);
  void send(std::string line, ReplyCallback done);

  boost::asio::io_context& io_;
  ControllerOptions options_;
  ControllerCallbacks callbacks_;
  std::shared_ptr<Connection> connection_;
  boost::asio::steady_timer retry_timer_;
  std::chrono::milliseconds backoff_;
  std::optional<ControlEndpoint> chosen_;  // the endpoint that answered
  std::optional<std::string> password_;
  Session session_;
  bool ready_ = false;
  bool stopped_ = true;
  int attempts_ = 0;
};

}  // namespace relaymon::control
