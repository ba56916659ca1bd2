#include "control/controller.h"

#include <fmt/format.h>

#include <boost/asio/post.hpp>
#include <variant>

#include "control/quoting.h"

namespace relaymon::control {

namespace asio = boost::asio;

std::string_view to_string(AuthMethodUsed method) {
  switch (method) {
    case AuthMethodUsed::kNone:
      return "none";
    case AuthMethodUsed::kSafeCookie:
      return "safecookie";
    case AuthMethodUsed::kCookie:
      return "cookie";
    case AuthMethodUsed::kPassword:
      return "password";
  }
  return "none";
}

Controller::Controller(asio::io_context& io, ControllerOptions options,
                       ControllerCallbacks callbacks)
    : io_(io),
      options_(std::move(options)),
      callbacks_(std::move(callbacks)),
      retry_timer_(io),
      backoff_(options_.backoff_initial) {}

void Controller::start() {
  stopped_ = false;
  connect_next(0, std::nullopt);
}

void Controller::stop() {
  stopped_ = true;
  ready_ = false;
  retry_timer_.cancel();
  if (connection_) connection_->close();
  connection_.reset();
}

void Controller::connect_next(std::size_t index, std::optional<Error> last_error) {
  if (stopped_) return;
  std::vector<ControlEndpoint> candidates =
      chosen_ ? std::vector<ControlEndpoint>{*chosen_} : options_.endpoints;
  if (index >= candidates.size()) {
    if (!last_error) last_error = Error{ErrorKind::kConnectionRefused, "no control endpoint given"};
    if (candidates.size() > 1) {
      std::string tried;
      for (const auto& c : candidates) tried += (tried.empty() ? "" : ", ") + c.to_string();
      last_error->message =
          fmt::format("no tor control port found (tried {}). Last: {}", tried, last_error->message);
    }
    lost(*last_error);
    return;
  }
  const ControlEndpoint endpoint = candidates[index];
  auto connection = std::make_shared<Connection>(io_, options_.limits);
  connection_ = connection;
  std::weak_ptr<Controller> weak = weak_from_this();
  connection->set_event_handler([weak](const Reply& reply) {
    if (auto self = weak.lock(); self && self->callbacks_.on_event)
      self->callbacks_.on_event(reply);
  });
  // A raw pointer, not the shared_ptr: the connection owns this handler, and
  // capturing itself would keep it alive forever (a leak ASan reports).
  connection->set_closed_handler([weak, raw = connection.get()](const Error& error) {
    auto self = weak.lock();
    if (self && self->connection_.get() == raw) self->lost(error);
  });
  connection->connect(endpoint, options_.connect_timeout,
                      [weak, connection, endpoint, index](std::optional<Error> error) {
                        auto self = weak.lock();
                        if (!self || self->stopped_ || self->connection_ != connection) return;
                        if (error) {
                          self->connect_next(index + 1, error);
                          return;
                        }
                        self->chosen_ = endpoint;
                        self->session_ = Session{};
                        self->session_.endpoint = endpoint;
                        self->session_.local_address = connection->local_address();
                        self->session_.remote_address = connection->remote_address();
                        self->on_connected();
                      });
}

void Controller::on_connected() {
  auto self = shared_from_this();
  connection_->send(
      "PROTOCOLINFO 1", options_.command_timeout, [self](std::optional<Error> error, Reply reply) {
        if (error) return;  // the closed handler reports it
        std::string why;
        auto info = parse_protocolinfo(reply, why);
        if (!info) {
          self->connection_->close();
          self->lost(
              {ErrorKind::kProtocol, fmt::format("{}: {}", self->chosen_->to_string(), why)});
          return;
        }
        self->session_.protocol_info = *info;
        self->authenticate(*info);
      });
}

void Controller::authenticate(const ProtocolInfo& info) {
  auto fail = [this](Error error) {
    connection_->close();
    lost(error);
  };
  if (info.has("NULL")) {
    send_authenticate("AUTHENTICATE", AuthMethodUsed::kNone);
    return;
  }
  std::optional<Error> cookie_error;
  bool plain_cookie = info.has("COOKIE") && options_.allow_plain_cookie;
  if (info.has("SAFECOOKIE") || plain_cookie) {
    auto cookie = read_cookie(info.cookie_file);
    if (auto* bytes = std::get_if<std::string>(&cookie)) {
      if (info.has("SAFECOOKIE")) {
        authenticate_safecookie(info, *bytes);
      } else {
        send_authenticate("AUTHENTICATE " + to_hex(*bytes), AuthMethodUsed::kCookie);
      }
      return;
    }
    cookie_error = std::get<Error>(cookie);
  } else if (info.has("COOKIE")) {
    // Not even read: nothing of the file may reach this peer.
    cookie_error = Error{
        ErrorKind::kAuthUnavailable,
        fmt::format("the control port at {} offers only plain COOKIE authentication, which would "
                    "send it the bytes of {}. Every tor since 0.2.3.13 offers SAFECOOKIE, so a "
                    "port offering only COOKIE may be a fake that wants your cookie: relaymon "
                    "refuses. If it is an old tor you trust, opt in with --allow-plain-cookie or "
                    "`allow_plain_cookie 1` in the config file",
                    chosen_->to_string(),
                    info.cookie_file.empty() ? "its cookie file" : info.cookie_file)};
  }
  if (info.has("HASHEDPASSWORD")) {
    if (!password_ && options_.password) password_ = options_.password();
    if (password_) {
      send_authenticate("AUTHENTICATE " + quote(*password_), AuthMethodUsed::kPassword);
      return;
    }
    std::string message = fmt::format(
        "tor at {} wants a password (HASHEDPASSWORD) and none was given: set RELAYMON_PASSWORD, "
        "put `password` in the config file, or run relaymon in a terminal to be asked",
        chosen_->to_string());
    if (cookie_error)
      message += fmt::format(". Cookie authentication failed too: {}", cookie_error->message);
    fail({ErrorKind::kAuthUnavailable, message});
    return;
  }
  if (cookie_error) {
    fail(*cookie_error);
    return;
  }
  std::string methods;
  for (const auto& m : info.methods) methods += (methods.empty() ? "" : ",") + m;
  fail({ErrorKind::kAuthUnavailable,
        fmt::format("tor at {} offers no authentication method relaymon knows ({})",
                    chosen_->to_string(), methods)});
}

void Controller::authenticate_safecookie(const ProtocolInfo& info, std::string cookie) {
  std::string client_nonce = random_bytes(32);
  auto self = shared_from_this();
  connection_->send(
      "AUTHCHALLENGE SAFECOOKIE " + to_hex(client_nonce), options_.command_timeout,
      [self, cookie, client_nonce, file = info.cookie_file](std::optional<Error> error,
                                                            Reply reply) {
        if (error) return;
        std::string why;
        auto challenge = parse_authchallenge(reply, why);
        if (!challenge) {
          self->connection_->close();
          self->lost(
              {ErrorKind::kProtocol, fmt::format("{}: {}", self->chosen_->to_string(), why)});
          return;
        }
        std::string expected =
            safecookie_server_hash(cookie, client_nonce, challenge->server_nonce);
        if (!equal_secrets(expected, challenge->server_hash)) {
          // Never fall back to COOKIE here: that would hand the cookie to a
          // peer that just failed to prove it knows it.
          self->connection_->close();
          self->lost({ErrorKind::kSafeCookieMismatch,
                      fmt::format("the control port at {} could not prove it knows the cookie in "
                                  "{} (SAFECOOKIE server hash mismatch): it is not the tor that "
                                  "wrote that file. relaymon refuses to authenticate to it",
                                  self->chosen_->to_string(), file)});
          return;
        }
        self->send_authenticate(
            "AUTHENTICATE " +
                to_hex(safecookie_client_hash(cookie, client_nonce, challenge->server_nonce)),
            AuthMethodUsed::kSafeCookie);
      });
}

void Controller::send_authenticate(std::string line, AuthMethodUsed method) {
  auto self = shared_from_this();
  connection_->send(std::move(line), options_.command_timeout,
                    [self, method](std::optional<Error> error, Reply reply) {
                      if (error) return;
                      if (!reply.ok()) {
                        if (method == AuthMethodUsed::kPassword) self->password_.reset();
                        self->connection_->close();
                        self->lost({ErrorKind::kAuthFailed,
                                    fmt::format("tor at {} refused {} authentication: {} {}",
                                                self->chosen_->to_string(), to_string(method),
                                                reply.code(), reply.message())});
                        return;
                      }
                      self->session_.auth = method;
                      self->on_authenticated();
                    });
}

void Controller::on_authenticated() {
  backoff_ = options_.backoff_initial;
  attempts_ = 0;
  // The subscription is the caller's: it sends one SETEVENTS from on_ready
  // (a reconnected tor has none).
  ready_ = true;
  if (callbacks_.on_ready) callbacks_.on_ready(session_);
}

void Controller::lost(const Error& error) {
  ready_ = false;
  connection_.reset();
  if (stopped_) return;
  if (!options_.reconnect || !is_retryable(error.kind)) {
    stopped_ = true;
    if (callbacks_.on_fatal) callbacks_.on_fatal(error);
    return;
  }
  ++attempts_;
  auto delay = backoff_;
  backoff_ = std::min(backoff_ * 2, options_.backoff_max);
  if (callbacks_.on_disconnected) callbacks_.on_disconnected(error, delay);
  retry_timer_.expires_after(delay);
  std::weak_ptr<Controller> weak = weak_from_this();
  retry_timer_.async_wait([weak](const boost::system::error_code& ec) {
    auto self = weak.lock();
    if (ec || !self || self->stopped_) return;
    self->connect_next(0, std::nullopt);
  });
}

void Controller::send(std::string line, ReplyCallback done) {
  if (!ready_ || !connection_) {
    asio::post(io_, [done] {
      done(Error{ErrorKind::kClosed, "not connected to tor (reconnecting)"}, Reply{});
    });
    return;
  }
  connection_->send(std::move(line), options_.command_timeout, std::move(done));
}

void Controller::command(std::string line, ReplyCallback done) {
  send(std::move(line), std::move(done));
}

namespace {
std::string join_words(std::string head, const std::vector<std::string>& words) {
  for (const auto& w : words) head += " " + w;
  return head;
}
}  // namespace

void Controller::getinfo(const std::vector<std::string>& keys, ReplyCallback done) {
  send(join_words("GETINFO", keys), std::move(done));
}

void Controller::getconf(const std::vector<std::string>& keys, ReplyCallback done) {
  send(join_words("GETCONF", keys), std::move(done));
}

void Controller::setconf(const std::vector<std::pair<std::string, std::string>>& values,
                         ReplyCallback done) {
  std::string line = "SETCONF";
  for (const auto& [key, value] : values) line += fmt::format(" {}={}", key, quote(value));
  send(std::move(line), std::move(done));
}

void Controller::resetconf(const std::vector<std::string>& keys, ReplyCallback done) {
  send(join_words("RESETCONF", keys), std::move(done));
}

void Controller::signal(const std::string& name, ReplyCallback done) {
  send("SIGNAL " + name, std::move(done));
}

void Controller::saveconf(ReplyCallback done, std::function<void(const Reply&)> forced) {
  auto self = shared_from_this();
  send("SAVECONF", [self, done, forced](std::optional<Error> error, Reply reply) {
    // Tor refuses to overwrite a torrc that uses %include (551) unless told
    // to; the caller is told before we force it.
    if (!error && reply.code() == 551) {
      if (forced) forced(reply);
      self->send("SAVECONF FORCE", done);
      return;
    }
    done(std::move(error), std::move(reply));
  });
}

void Controller::set_events(std::vector<std::string> events, ReplyCallback done) {
  send(join_words("SETEVENTS", events), std::move(done));
}

}  // namespace relaymon::control
