// One control-port connection: an asio actor that writes commands, frames
// what tor sends back, hands replies to their commands in FIFO order and
// events to the event handler. It knows nothing of authentication or
// reconnecting (control/controller.h does that).
//
//   send(cmd) -> writes_ ──socket──> tor
//                pending_ (FIFO, head has a deadline)
//   socket ──> ReplyFramer ──> reply  -> pending_.front() callback
//                          └─> event  -> event handler
//
// Every handler starts with `if (closed_) return;` (as in asio's timeout
// examples); fail() is the one way out and runs each callback once.
#pragma once

#include <array>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "control/endpoint.h"
#include "control/error.h"
#include "control/framing.h"
#include "control/reply.h"

namespace relaymon::control {

using ReplyCallback = std::function<void(std::optional<Error>, Reply)>;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using EventHandler = std::function<void(const Reply&)>;
  using ClosedHandler = std::function<void(const Error&)>;
  using ConnectHandler = std::function<void(std::optional<Error>)>;

  Connection(boost::asio::io_context& io, FramingLimits limits = {});
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void set_event_handler(EventHandler handler) { on_event_ = std::move(handler); }
  void set_closed_handler(ClosedHandler handler) { on_closed_ = std::move(handler); }

  void connect(const ControlEndpoint& endpoint, std::chrono::milliseconds timeout,
               ConnectHandler done);

  // Queues `line` (without CRLF) and calls `done` with its reply, or with
  // the error that ended the connection. A command unanswered after
  // `timeout` ends the connection: replies come in order, so a lost one
  // leaves every later reply ambiguous.
  void send(std::string line, std::chrono::milliseconds timeout, ReplyCallback done);

  // Ends the connection; pending commands get kClosed. No closed handler call.
  void close();

  bool is_open() const { return connected_ && !closed_; }
  // Our side and tor's side of a TCP connection ("127.0.0.1:40312"), empty
  // for unix sockets. Lets the model mark relaymon's own control connection.
  const std::string& local_address() const { return local_address_; }
  const std::string& remote_address() const { return remote_address_; }

 private:
  struct Pending {
    std::string name;  // the command word only: AUTHENTICATE lines carry secrets
    std::chrono::steady_clock::time_point deadline;
    ReplyCallback done;
  };

  void start_read();
  void write_next();
  void arm_deadline();
  void fail(Error error, bool notify_closed = true);
  void remember_addresses();

  boost::asio::io_context& io_;
  boost::asio::generic::stream_protocol::socket socket_;
  boost::asio::steady_timer deadline_;
  ReplyFramer framer_;
  std::array<char, 64 * 1024> buffer_{};
  std::deque<Pending> pending_;
  std::deque<std::string> writes_;
  bool writing_ = false;
  bool connected_ = false;
  bool closed_ = false;
  std::string endpoint_text_;
  std::string local_address_;
  std::string remote_address_;
  EventHandler on_event_;
  ClosedHandler on_closed_;
};

}  // namespace relaymon::control
