#include "control/connection.h"

#include "control/close_on_exec.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/socket.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

namespace relaymon::control {

namespace asio = boost::asio;

namespace {

std::string format_sockaddr(const sockaddr_storage& storage) {
  if (storage.ss_family == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(storage);
    asio::ip::address_v4 address(ntohl(in.sin_addr.s_addr));
    return fmt::format("{}:{}", address.to_string(), ntohs(in.sin_port));
  }
  if (storage.ss_family == AF_INET6) {
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(storage);
    asio::ip::address_v6::bytes_type bytes;
    std::copy(std::begin(in6.sin6_addr.s6_addr), std::end(in6.sin6_addr.s6_addr), bytes.begin());
    return fmt::format("[{}]:{}", asio::ip::address_v6(bytes).to_string(), ntohs(in6.sin6_port));
  }
  return {};
}

std::string command_name(const std::string& line) {
  return line.substr(0, line.find(' '));
}

Error connect_error(const ControlEndpoint& endpoint, const boost::system::error_code& ec) {
  std::string where = endpoint.to_string();
  if (ec == asio::error::connection_refused) {
    if (endpoint.kind == ControlEndpoint::Kind::kUnix) {
      return {ErrorKind::kConnectionRefused,
              fmt::format("nothing is listening on the control socket {} (connection refused). "
                          "Is tor running? Its torrc needs ControlSocket {}",
                          where, where)};
    }
    return {ErrorKind::kConnectionRefused,
            fmt::format("nothing is listening at {} (connection refused). Is tor running? Its "
                        "torrc needs ControlPort {} (or ControlSocket)",
                        where, endpoint.port)};
  }
  if (ec == asio::error::no_such_device || ec.value() == ENOENT) {
    return {ErrorKind::kConnectionRefused,
            fmt::format("the control socket {} does not exist. Is tor running with ControlSocket "
                        "{} in its torrc?",
                        where, where)};
  }
  if (ec == asio::error::access_denied || ec.value() == EPERM) {
    return {ErrorKind::kConnectionRefused,
            fmt::format("permission denied opening the control socket {}: run relaymon as tor's "
                        "user, or join the socket's group (on Debian: adduser $USER debian-tor, "
                        "then log in again)",
                        where)};
  }
  return {ErrorKind::kConnectionRefused,
          fmt::format("cannot connect to {}: {}", where, ec.message())};
}

}  // namespace

Connection::Connection(asio::io_context& io, FramingLimits limits)
    : io_(io), socket_(io), deadline_(io), framer_(limits) {}

void Connection::connect(const ControlEndpoint& endpoint, std::chrono::milliseconds timeout,
                         ConnectHandler done) {
  endpoint_text_ = endpoint.to_string();
  asio::generic::stream_protocol::endpoint target;
  try {
    if (endpoint.kind == ControlEndpoint::Kind::kUnix) {
      target = asio::local::stream_protocol::endpoint(endpoint.path);
    } else {
      target = asio::ip::tcp::endpoint(asio::ip::make_address(endpoint.host), endpoint.port);
    }
  } catch (const std::exception& e) {
    asio::post(io_, [done, e = Error{ErrorKind::kConnectionRefused,
                                     fmt::format("invalid control endpoint {}: {}", endpoint_text_,
                                                 e.what())}] { done(e); });
    return;
  }
  // asio opens sockets without SOCK_CLOEXEC: open it here and mark it, so
  // the tools relaymon runs (ss, netstat, lsof) never inherit the
  // authenticated control connection. Sockets are opened on the thread
  // that spawns the tools, so there is no window between the two.
  boost::system::error_code open_error;
  socket_.open(target.protocol(), open_error);
  if (!open_error) set_close_on_exec(socket_.native_handle());
  auto self = shared_from_this();
  deadline_.expires_after(timeout);
  deadline_.async_wait([self, timeout](const boost::system::error_code& ec) {
    if (ec || self->closed_ || self->connected_) return;
    self->socket_.close();  // completes async_connect with operation_aborted
  });
  socket_.async_connect(
      target, [self, endpoint, done, timeout](const boost::system::error_code& ec) {
        self->deadline_.cancel();
        if (self->closed_) {
          done(Error{ErrorKind::kClosed, "connection closed while connecting"});
          return;
        }
        if (ec == asio::error::operation_aborted) {
          self->closed_ = true;
          done(Error{ErrorKind::kTimeout, fmt::format("no answer from {} within {} ms",
                                                      self->endpoint_text_, timeout.count())});
          return;
        }
        if (ec) {
          self->closed_ = true;
          done(connect_error(endpoint, ec));
          return;
        }
        self->connected_ = true;
        self->remember_addresses();
        self->start_read();
        done(std::nullopt);
      });
}

void Connection::remember_addresses() {
  sockaddr_storage storage{};
  socklen_t length = sizeof storage;
  if (::getsockname(socket_.native_handle(), reinterpret_cast<sockaddr*>(&storage), &length) == 0) {
    local_address_ = format_sockaddr(storage);
  }
  length = sizeof storage;
  if (::getpeername(socket_.native_handle(), reinterpret_cast<sockaddr*>(&storage), &length) == 0) {
    remote_address_ = format_sockaddr(storage);
  }
}

void Connection::send(std::string line, std::chrono::milliseconds timeout, ReplyCallback done) {
  if (closed_ || !connected_) {
    asio::post(io_, [done] { done(Error{ErrorKind::kClosed, "not connected to tor"}, Reply{}); });
    return;
  }
  bool was_idle = pending_.empty();
  pending_.push_back(
      Pending{command_name(line), std::chrono::steady_clock::now() + timeout, std::move(done)});
  writes_.push_back(std::move(line) + "\r\n");
  if (was_idle) arm_deadline();
  write_next();
}

void Connection::write_next() {
  if (writing_ || writes_.empty() || closed_) return;
  writing_ = true;
  auto self = shared_from_this();
  asio::async_write(
      socket_, asio::buffer(writes_.front()),
      [self](const boost::system::error_code& ec, std::size_t) {
        self->writing_ = false;
        if (self->closed_) return;
        if (ec) {
          self->fail({ErrorKind::kClosed, fmt::format("writing to tor at {} failed: {}",
                                                      self->endpoint_text_, ec.message())});
          return;
        }
        self->writes_.pop_front();
        self->write_next();
      });
}

void Connection::arm_deadline() {
  if (pending_.empty()) {
    deadline_.cancel();
    return;
  }
  deadline_.expires_at(pending_.front().deadline);
  auto self = shared_from_this();
  deadline_.async_wait([self](const boost::system::error_code& ec) {
    if (ec || self->closed_ || self->pending_.empty()) return;
    if (std::chrono::steady_clock::now() < self->pending_.front().deadline) return;
    self->fail(
        {ErrorKind::kTimeout, fmt::format("tor at {} did not answer {} in time",
                                          self->endpoint_text_, self->pending_.front().name)});
  });
}

void Connection::start_read() {
  auto self = shared_from_this();
  socket_.async_read_some(
      asio::buffer(buffer_), [self](const boost::system::error_code& ec, std::size_t n) {
        if (self->closed_) return;
        if (ec) {
          std::string how = self->framer_.idle() ? "tor closed the control connection"
                                                 : "tor closed the control connection mid-reply";
          if (ec != asio::error::eof) how += fmt::format(" ({})", ec.message());
          self->fail({ErrorKind::kClosed, fmt::format("{} at {}", how, self->endpoint_text_)});
          return;
        }
        std::vector<Reply> replies;
        auto error = self->framer_.feed(std::string_view(self->buffer_.data(), n), replies);
        for (auto& reply : replies) {
          if (self->closed_) return;
          if (reply.is_event()) {
            if (self->on_event_) self->on_event_(reply);
            continue;
          }
          if (self->pending_.empty()) {
            self->fail({ErrorKind::kProtocol,
                        fmt::format("tor at {} sent a reply nobody asked for: {} {}",
                                    self->endpoint_text_, reply.code(), reply.message())});
            return;
          }
          Pending head = std::move(self->pending_.front());
          self->pending_.pop_front();
          self->arm_deadline();
          head.done(std::nullopt, std::move(reply));
        }
        if (self->closed_) return;
        if (error) {
          self->fail({ErrorKind::kProtocol, fmt::format("protocol error from {}: {}",
                                                        self->endpoint_text_, error->message)});
          return;
        }
        self->start_read();
      });
}

void Connection::close() {
  fail({ErrorKind::kClosed, "connection closed by relaymon"}, false);
}

void Connection::fail(Error error, bool notify_closed) {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  socket_.shutdown(asio::socket_base::shutdown_both, ignored);
  socket_.close(ignored);
  deadline_.cancel();
  auto pending = std::move(pending_);
  pending_.clear();
  writes_.clear();
  for (auto& p : pending) p.done(error, Reply{});
  // Handlers may hold whoever owns this connection: drop them once closed.
  auto on_closed = std::move(on_closed_);
  on_closed_ = nullptr;
  on_event_ = nullptr;
  if (notify_closed && on_closed) on_closed(error);
}

}  // namespace relaymon::control
