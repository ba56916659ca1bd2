#include "support/fake_control_port.h"

#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <deque>
#include <istream>
#include <thread>

namespace relaymon::testing {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

class Session : public FakeSession, public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, FakeControlPort::Script script,
          std::shared_ptr<std::vector<std::string>> received)
      : socket_(std::move(socket)), script_(std::move(script)), received_(std::move(received)) {}

  void start() { read(); }

  void send(std::string bytes) override {
    writes_.push_back(std::move(bytes));
    if (writes_.size() == 1) write_next();
  }

  void close() override {
    closing_ = true;
    if (writes_.empty()) shutdown();
  }

 private:
  void read() {
    auto self = shared_from_this();
    asio::async_read_until(socket_, buffer_, '\n',
                           [self](const boost::system::error_code& ec, std::size_t) {
                             if (ec) return;
                             std::istream in(&self->buffer_);
                             std::string line;
                             std::getline(in, line);
                             if (!line.empty() && line.back() == '\r') line.pop_back();
                             self->received_->push_back(line);
                             self->script_(*self, line);
                             if (!self->closed_) self->read();
                           });
  }

  void write_next() {
    auto self = shared_from_this();
    asio::async_write(socket_, asio::buffer(writes_.front()),
                      [self](const boost::system::error_code& ec, std::size_t) {
                        if (ec) return;
                        self->writes_.pop_front();
                        if (!self->writes_.empty()) {
                          self->write_next();
                        } else if (self->closing_) {
                          self->shutdown();
                        }
                      });
  }

  void shutdown() {
    closed_ = true;
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  tcp::socket socket_;
  FakeControlPort::Script script_;
  std::shared_ptr<std::vector<std::string>> received_;
  asio::streambuf buffer_;
  std::deque<std::string> writes_;
  bool closing_ = false;
  bool closed_ = false;
};

}  // namespace

FakeControlPort::FakeControlPort(asio::io_context& io, Script script)
    : acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
      script_(std::move(script)),
      received_(std::make_shared<std::vector<std::string>>()),
      sessions_(std::make_shared<int>(0)) {
  accept();
}

FakeControlPort::~FakeControlPort() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

std::uint16_t FakeControlPort::port() const {
  return acceptor_.local_endpoint().port();
}

void FakeControlPort::accept() {
  acceptor_.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
    if (ec) return;
    ++*sessions_;
    std::make_shared<Session>(std::move(socket), script_, received_)->start();
    accept();
  });
}

bool answer_protocolinfo(FakeSession& session, const std::string& line, const std::string& methods,
                         const std::string& cookie_file) {
  if (line.rfind("PROTOCOLINFO", 0) != 0) return false;
  std::string auth = "250-AUTH METHODS=" + methods;
  if (!cookie_file.empty()) auth += " COOKIEFILE=\"" + cookie_file + "\"";
  session.send("250-PROTOCOLINFO 1\r\n" + auth + "\r\n250-VERSION Tor=\"0.4.9.11\"\r\n250 OK\r\n");
  return true;
}

bool run_until(asio::io_context& io, const std::function<bool()>& done,
               std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  io.restart();
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    io.run_for(std::chrono::milliseconds(20));
    io.restart();
  }
  return done();
}

CommandResult run_relaymon_against(FakeControlPort::Script script,
                                   const std::vector<std::string>& args, int seconds) {
  asio::io_context io;
  FakeControlPort fake(io, std::move(script));
  std::thread runner([&io] { io.run(); });
  std::vector<std::string> argv = {RELAYMON_BINARY, "-c", "/dev/null", "-i",
                                   "127.0.0.1:" + std::to_string(fake.port())};
  argv.insert(argv.end(), args.begin(), args.end());
  auto result = run_command(argv, {}, seconds);
  io.stop();
  runner.join();
  return result;
}

}  // namespace relaymon::testing
