// A control port that offers only plain COOKIE, played by a scripted fake
// (a real tor has offered SAFECOOKIE since 0.2.3.13, so only a very old tor
// or an impostor does this). An impostor names any 32-byte file it wants,
// e.g. another tor's cookie, and plain COOKIE would send it the bytes.
// relaymon refuses unless the operator opted in (allow_plain_cookie).
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>

#include "control/auth.h"
#include "support/controller_harness.h"
#include "support/fake_control_port.h"

using namespace relaymon;
using namespace relaymon::testing;

namespace {

struct TempCookie {
  std::string path;
  explicit TempCookie(const std::string& bytes) {
    char name[] = "/tmp/relaymon-plaincookie-XXXXXX";
    int fd = ::mkstemp(name);
    REQUIRE(fd >= 0);
    ::close(fd);
    path = name;
    std::ofstream(path, std::ios::binary) << bytes;
  }
  ~TempCookie() { ::unlink(path.c_str()); }
};

// The fake: COOKIE only, and it accepts whatever is sent (an impostor would).
FakeControlPort::Script cookie_only(const std::string& file, const std::string& extra = "") {
  return [file, extra](FakeSession& s, const std::string& line) {
    if (answer_protocolinfo(s, line, extra.empty() ? "COOKIE" : "COOKIE," + extra, file)) return;
    s.send("250 OK\r\n");
  };
}

bool any_line_contains(const FakeControlPort& fake, const std::string& text) {
  return std::any_of(fake.received().begin(), fake.received().end(),
                     [&](const std::string& l) { return l.find(text) != std::string::npos; });
}

}  // namespace

TEST_CASE("fake tor offering only plain COOKIE: refused by default, the cookie is never sent") {
  const std::string cookie(32, 's');
  TempCookie file(cookie);
  ControllerHarness h;
  FakeControlPort fake(h.io, cookie_only(file.path));
  h.make(tcp_options(fake.port()));
  h.controller->start();
  REQUIRE_FALSE(h.wait_ready(std::chrono::seconds(10)));
  REQUIRE(h.fatal);
  CHECK(h.fatal->kind == control::ErrorKind::kAuthUnavailable);
  // Why, and how to opt in.
  CHECK_THAT(h.fatal->message, Catch::Contains("SAFECOOKIE") && Catch::Contains("0.2.3.13") &&
                                   Catch::Contains("fake") && Catch::Contains(file.path) &&
                                   Catch::Contains("--allow-plain-cookie") &&
                                   Catch::Contains("allow_plain_cookie 1"));
  CHECK_FALSE(any_line_contains(fake, "AUTHENTICATE"));
  CHECK_FALSE(any_line_contains(fake, control::to_hex(cookie)));
}

TEST_CASE("fake tor offering plain COOKIE and a password: the cookie is still not sent") {
  const std::string cookie(32, 'p');
  TempCookie file(cookie);
  ControllerHarness h;
  FakeControlPort fake(h.io, cookie_only(file.path, "HASHEDPASSWORD"));
  auto options = tcp_options(fake.port());
  options.password = [] { return std::optional<std::string>("operator-chose-this"); };
  h.make(options);
  h.controller->start();
  REQUIRE(h.wait_ready(std::chrono::seconds(10)));
  CHECK(h.session->auth == control::AuthMethodUsed::kPassword);
  CHECK_FALSE(any_line_contains(fake, control::to_hex(cookie)));
}

TEST_CASE("fake tor offering only plain COOKIE gets the cookie in hex when the operator opts in") {
  const std::string cookie(32, 'k');
  TempCookie file(cookie);
  ControllerHarness h;
  FakeControlPort fake(h.io, [&](FakeSession& s, const std::string& line) {
    if (answer_protocolinfo(s, line, "COOKIE", file.path)) return;
    if (line.rfind("AUTHENTICATE ", 0) == 0) {
      s.send(line == "AUTHENTICATE " + control::to_hex(cookie) ? "250 OK\r\n"
                                                               : "515 Bad cookie\r\n");
      return;
    }
    s.send("250 OK\r\n");
  });
  auto options = tcp_options(fake.port());
  options.allow_plain_cookie = true;
  h.make(options);
  h.controller->start();
  REQUIRE(h.wait_ready(std::chrono::seconds(10)));
  CHECK(h.session->auth == control::AuthMethodUsed::kCookie);
}

TEST_CASE("fake tor offering SAFECOOKIE and COOKIE: SAFECOOKIE even with the opt-in") {
  TempCookie file(std::string(32, 'b'));
  ControllerHarness h;
  FakeControlPort fake(h.io, [&](FakeSession& s, const std::string& line) {
    if (answer_protocolinfo(s, line, "COOKIE,SAFECOOKIE", file.path)) return;
    if (line.rfind("AUTHCHALLENGE SAFECOOKIE ", 0) == 0) {
      s.send("250 AUTHCHALLENGE SERVERHASH=" + std::string(64, '0') +
             " SERVERNONCE=" + std::string(64, '1') + "\r\n");
      return;
    }
    s.send("250 OK\r\n");
  });
  auto options = tcp_options(fake.port());
  options.allow_plain_cookie = true;
  h.make(options);
  h.controller->start();
  REQUIRE_FALSE(h.wait_ready(std::chrono::seconds(10)));
  REQUIRE(h.fatal);
  CHECK(h.fatal->kind == control::ErrorKind::kSafeCookieMismatch);
  CHECK_FALSE(any_line_contains(fake, "AUTHENTICATE"));
}
