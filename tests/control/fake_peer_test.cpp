// What a real tor can't be made to do, played by a scripted fake control
// port (hence "fake" in each name): an impostor that fails the SAFECOOKIE
// proof, garbage, an over-long line, a close mid-reply (a COOKIE-only tor:
// plain_cookie_fake_test.cpp).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "control/auth.h"
#include "support/controller_harness.h"
#include "support/fake_control_port.h"

using namespace relaymon;
using namespace relaymon::testing;

namespace {

std::string write_cookie(const std::string& bytes) {
  char path[] = "/tmp/relaymon-cookie-XXXXXX";
  int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  ::close(fd);
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

bool sent_line_starting(const FakeControlPort& fake, const std::string& prefix) {
  for (const auto& line : fake.received()) {
    if (line.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("fake tor with a wrong SAFECOOKIE server hash: refused, nothing secret sent") {
  std::string cookie_file = write_cookie(std::string(32, 'C'));
  ControllerHarness h;
  FakeControlPort fake(h.io, [&](FakeSession& s, const std::string& line) {
    if (answer_protocolinfo(s, line, "COOKIE,SAFECOOKIE", cookie_file)) return;
    if (line.rfind("AUTHCHALLENGE SAFECOOKIE ", 0) == 0) {
      s.send("250 AUTHCHALLENGE SERVERHASH=" + std::string(64, '0') +
             " SERVERNONCE=" + std::string(64, '1') + "\r\n");
      return;
    }
    s.send("250 OK\r\n");
  });
  auto options = tcp_options(fake.port());
  options.reconnect = true;  // a mismatch must not be retried
  h.make(options);
  h.controller->start();
  REQUIRE_FALSE(h.wait_ready());
  REQUIRE(h.fatal);
  CHECK(h.fatal->kind == control::ErrorKind::kSafeCookieMismatch);
  CHECK_THAT(h.fatal->message, Catch::Contains(cookie_file) && Catch::Contains("refuses"));
  CHECK_FALSE(sent_line_starting(fake, "AUTHENTICATE"));
  CHECK(fake.sessions() == 1);
  ::unlink(cookie_file.c_str());
}

TEST_CASE("fake tor that proves the cookie correctly gets our client hash") {
  std::string cookie(32, '\x07');
  std::string cookie_file = write_cookie(cookie);
  std::string server_nonce(32, 'N');
  std::string expected_client_hash;
  ControllerHarness h;
  FakeControlPort fake(h.io, [&](FakeSession& s, const std::string& line) {
    if (answer_protocolinfo(s, line, "SAFECOOKIE", cookie_file)) return;
    const std::string prefix = "AUTHCHALLENGE SAFECOOKIE ";
    if (line.rfind(prefix, 0) == 0) {
      auto client_nonce = control::from_hex(line.substr(prefix.size()));
      REQUIRE(client_nonce);
      REQUIRE(client_nonce->size() == 32);
      expected_client_hash =
          control::to_hex(control::safecookie_client_hash(cookie, *client_nonce, server_nonce));
      s.send("250 AUTHCHALLENGE SERVERHASH=" +
             control::to_hex(control::safecookie_server_hash(cookie, *client_nonce, server_nonce)) +
             " SERVERNONCE=" + control::to_hex(server_nonce) + "\r\n");
      return;
    }
    if (line.rfind("AUTHENTICATE ", 0) == 0) {
      s.send(line == "AUTHENTICATE " + expected_client_hash ? "250 OK\r\n"
                                                            : "515 Authentication failed\r\n");
      return;
    }
    s.send("250 OK\r\n");
  });
  h.make(tcp_options(fake.port()));
  h.controller->start();
  REQUIRE(h.wait_ready());
  CHECK(h.session->auth == control::AuthMethodUsed::kSafeCookie);
  ::unlink(cookie_file.c_str());
}

TEST_CASE("fake tor sending garbage: a protocol error, reported") {
  ControllerHarness h;
  FakeControlPort fake(
      h.io, [](FakeSession& s, const std::string&) { s.send("hello, I am not tor\r\n"); });
  h.make(tcp_options(fake.port()));
  h.controller->start();
  REQUIRE_FALSE(h.wait_ready());
  REQUIRE(h.fatal);
  CHECK(h.fatal->kind == control::ErrorKind::kProtocol);
  CHECK_THAT(h.fatal->message, Catch::Contains("malformed reply line"));
}

TEST_CASE("fake tor sending an endless line: stopped at the line limit") {
  ControllerHarness h;
  FakeControlPort fake(h.io, [](FakeSession& s, const std::string&) {
    s.send("250-" + std::string(300 * 1024, 'x'));
  });
  auto options = tcp_options(fake.port());
  options.limits.max_line = 64 * 1024;
  h.make(options);
  h.controller->start();
  REQUIRE_FALSE(h.wait_ready());
  REQUIRE(h.fatal);
  CHECK(h.fatal->kind == control::ErrorKind::kProtocol);
  CHECK_THAT(h.fatal->message, Catch::Contains("longer than"));
}

TEST_CASE("fake tor closing mid-reply: closed, and said so") {
  ControllerHarness h;
  FakeControlPort fake(h.io, [](FakeSession& s, const std::string&) {
    s.send("250-PROTOCOLINFO 1\r\n250-AUTH METHODS=NULL\r\n");
    s.close();
  });
  h.make(tcp_options(fake.port()));
  h.controller->start();
  REQUIRE_FALSE(h.wait_ready());
  REQUIRE(h.fatal);
  CHECK(h.fatal->kind == control::ErrorKind::kClosed);
  CHECK_THAT(h.fatal->message, Catch::Contains("mid-reply"));
}

TEST_CASE("fake tor that never answers: the command times out") {
  ControllerHarness h;
  FakeControlPort fake(h.io, [](FakeSession&, const std::string&) {});
  auto options = tcp_options(fake.port());
  options.command_timeout = std::chrono::milliseconds(300);
  h.make(options);
  h.controller->start();
  REQUIRE_FALSE(h.wait_ready());
  REQUIRE(h.fatal);
  CHECK(h.fatal->kind == control::ErrorKind::kTimeout);
  CHECK_THAT(h.fatal->message, Catch::Contains("PROTOCOLINFO"));
}

TEST_CASE("fake tor: events between replies reach the event handler, replies their commands") {
  ControllerHarness h;
  FakeControlPort fake(h.io, [](FakeSession& s, const std::string& line) {
    if (answer_protocolinfo(s, line, "NULL")) return;
    if (line == "GETINFO version") {
      s.send("650 BW 1 2\r\n250-version=0.4.9.11\r\n650 BW 3 4\r\n250 OK\r\n");
      return;
    }
    s.send("250 OK\r\n");
  });
  h.make(tcp_options(fake.port()));
  h.controller->start();
  REQUIRE(h.wait_ready());
  auto [error, reply] = h.call("GETINFO version");
  REQUIRE_FALSE(error);
  CHECK(reply.lines.front().text == "version=0.4.9.11");
  REQUIRE(h.events.size() == 2);
  CHECK(h.events[1].lines.front().text == "BW 3 4");
}
