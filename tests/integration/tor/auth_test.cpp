// Authentication against a real tor (DisableNetwork 1): each method tor
// offers, right and wrong credentials, unix sockets, and the errors an
// operator meets (nothing listening, cookie missing or unreadable).
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <filesystem>
#include <variant>

#include "control/auth.h"
#include "support/controller_harness.h"
#include "support/tor_process.h"

using namespace relaymon;
using namespace relaymon::testing;

TEST_CASE("real tor: cookie authentication uses SAFECOOKIE and proves the server") {
  TorProcess tor(TorConfig::Auth::kCookie);
  ControllerHarness h(tcp_options(tor.control_port()));
  h.controller->start();
  REQUIRE(h.wait_ready());
  CHECK(h.session->auth == control::AuthMethodUsed::kSafeCookie);
  CHECK(h.session->protocol_info.cookie_file == tor.cookie_path());
  CHECK(h.session->protocol_info.tor_version.rfind("0.4", 0) == 0);
  auto [error, reply] = h.call("GETINFO version");
  REQUIRE_FALSE(error);
  CHECK(reply.ok());
}

TEST_CASE("real tor: hashed password, right and wrong") {
  TorConfig config{TorConfig::Auth::kPassword};
  TorProcess tor(config);
  SECTION("right password") {
    auto options = tcp_options(tor.control_port());
    options.password = [&] { return config.password; };
    ControllerHarness h(options);
    h.controller->start();
    REQUIRE(h.wait_ready());
    CHECK(h.session->auth == control::AuthMethodUsed::kPassword);
  }
  SECTION("wrong password is a fatal auth failure quoting tor") {
    auto options = tcp_options(tor.control_port());
    options.password = [] { return std::string("not-the-password"); };
    options.reconnect = true;  // even when reconnecting, a wrong password is final
    ControllerHarness h(options);
    h.controller->start();
    REQUIRE_FALSE(h.wait_ready());
    REQUIRE(h.fatal);
    CHECK(h.fatal->kind == control::ErrorKind::kAuthFailed);
    CHECK_THAT(h.fatal->message, Catch::Contains("Password did not match"));
    CHECK(h.disconnects.empty());
  }
  SECTION("no password available says where to put one") {
    auto options = tcp_options(tor.control_port());
    options.password = [] { return std::optional<std::string>(); };
    ControllerHarness h(options);
    h.controller->start();
    REQUIRE_FALSE(h.wait_ready());
    REQUIRE(h.fatal);
    CHECK(h.fatal->kind == control::ErrorKind::kAuthUnavailable);
    CHECK_THAT(h.fatal->message, Catch::Contains("RELAYMON_PASSWORD"));
  }
}

TEST_CASE("real tor: no authentication") {
  TorProcess tor(TorConfig::Auth::kNone);
  ControllerHarness h(tcp_options(tor.control_port()));
  h.controller->start();
  REQUIRE(h.wait_ready());
  CHECK(h.session->auth == control::AuthMethodUsed::kNone);
  CHECK(h.session->protocol_info.has("NULL"));
}

TEST_CASE("real tor: unix control socket with cookie") {
  TorConfig config{TorConfig::Auth::kCookie};
  config.unix_socket = true;
  TorProcess tor(config);
  control::ControllerOptions options = tcp_options(0);
  options.endpoints = {control::unix_endpoint(tor.socket_path())};
  ControllerHarness h(options);
  h.controller->start();
  REQUIRE(h.wait_ready());
  CHECK(h.session->auth == control::AuthMethodUsed::kSafeCookie);
  CHECK(h.session->local_address.empty());
  auto [error, reply] = h.call("GETINFO net/listeners/control");
  REQUIRE_FALSE(error);
  CHECK_THAT(reply.lines.front().text, Catch::Contains(tor.socket_path()));
}

TEST_CASE("real tor: the cookie file missing is named in the error") {
  TorProcess tor(TorConfig::Auth::kCookie);
  std::filesystem::remove(tor.cookie_path());
  ControllerHarness h(tcp_options(tor.control_port()));
  h.controller->start();
  REQUIRE_FALSE(h.wait_ready());
  REQUIRE(h.fatal);
  CHECK(h.fatal->kind == control::ErrorKind::kAuthUnavailable);
  CHECK_THAT(h.fatal->message,
             Catch::Contains(tor.cookie_path()) && Catch::Contains("does not exist"));
}

TEST_CASE("real tor's cookie unreadable by another user: file, group and fix are named") {
  // root reads every file, so the check runs in a child that drops to
  // nobody, as an operator without tor's group would be.
  TorProcess tor(TorConfig::Auth::kCookie);
  std::filesystem::permissions(tor.directory(), std::filesystem::perms::all,
                               std::filesystem::perm_options::add);
  std::filesystem::permissions(tor.directory() + "/data", std::filesystem::perms::all,
                               std::filesystem::perm_options::add);
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::close(pipe_fds[0]);
    const passwd* nobody = ::getpwnam("nobody");
    if (!nobody || ::setgid(nobody->pw_gid) != 0 || ::setuid(nobody->pw_uid) != 0) _exit(3);
    auto result = control::read_cookie(tor.cookie_path());
    std::string message = std::holds_alternative<control::Error>(result)
                              ? std::get<control::Error>(result).message
                              : "READ OK";
    (void)!::write(pipe_fds[1], message.data(), message.size());
    _exit(0);
  }
  ::close(pipe_fds[1]);
  std::string message;
  char buffer[512];
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) message.append(buffer, n);
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  CHECK_THAT(message, Catch::Contains("cannot read the cookie file " + tor.cookie_path()));
  CHECK_THAT(message, Catch::Contains("group root"));
  CHECK_THAT(message, Catch::Contains("adduser nobody root"));
}

TEST_CASE("nothing listening: the address tried and the torrc fix are named") {
  std::uint16_t port = 0;
  {
    // A port tor just released is free: start a tor, note its port, stop it.
    TorProcess tor(TorConfig::Auth::kNone);
    port = tor.control_port();
  }
  ControllerHarness h(tcp_options(port));
  h.controller->start();
  REQUIRE_FALSE(h.wait_ready());
  REQUIRE(h.fatal);
  CHECK(h.fatal->kind == control::ErrorKind::kConnectionRefused);
  CHECK_THAT(h.fatal->message,
             Catch::Contains(fmt::format("127.0.0.1:{}", port)) && Catch::Contains("ControlPort"));
}
