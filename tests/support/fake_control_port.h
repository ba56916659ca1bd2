// A scripted fake control port, for what a real tor can't be made to do: a
// wrong SAFECOOKIE server hash, garbage, over-long lines, closing mid-reply,
// a conn/all answer. It listens on 127.0.0.1 (port chosen by the kernel) on
// the test's own io_context; the script sees each line the client sends.
#pragma once

#include "support/run_command.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace relaymon::testing {

class FakeSession {
 public:
  virtual ~FakeSession() = default;
  virtual void send(std::string bytes) = 0;  // written as is (include CRLF yourself)
  virtual void close() = 0;                  // after pending sends
};

class FakeControlPort {
 public:
  // Called for every CRLF- or LF-terminated line the client sends (line
  // without its terminator).
  using Script = std::function<void(FakeSession&, const std::string& line)>;

  FakeControlPort(boost::asio::io_context& io, Script script);
  ~FakeControlPort();

  std::uint16_t port() const;
  // Every line received so far, across sessions.
  const std::vector<std::string>& received() const { return *received_; }
  int sessions() const { return *sessions_; }

 private:
  void accept();

  boost::asio::ip::tcp::acceptor acceptor_;
  Script script_;
  std::shared_ptr<std::vector<std::string>> received_;
  std::shared_ptr<int> sessions_;
};

// The usual start of a tor conversation, for scripts: answers PROTOCOLINFO
// offering `methods` with `cookie_file`; returns true if it handled `line`.
bool answer_protocolinfo(FakeSession& session, const std::string& line, const std::string& methods,
                         const std::string& cookie_file = "");

// Runs `io` until `done()` is true or `timeout` passes; returns done().
bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
               std::chrono::milliseconds timeout = std::chrono::seconds(20));

// Runs the relaymon binary (`-c /dev/null -i 127.0.0.1:PORT`, then `args`)
// against a fake following `script`, served on its own thread, for at most
// `seconds`.
CommandResult run_relaymon_against(FakeControlPort::Script script,
                                   const std::vector<std::string>& args, int seconds);

}  // namespace relaymon::testing
