// The relaymon program against a scripted fake control port that offers
// only plain COOKIE (a real tor offers SAFECOOKIE): without the opt-in it
// exits 1 and says why without sending the cookie; --allow-plain-cookie
// and the config key `allow_plain_cookie 1` each make it send the cookie.
#include <unistd.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <thread>

#include "app/config.h"
#include "control/auth.h"
#include "support/fake_control_port.h"
#include "support/run_command.h"

using namespace relaymon;
using namespace relaymon::testing;

namespace {

std::string temp_file(const std::string& contents) {
  char name[] = "/tmp/relaymon-plaincli-XXXXXX";
  int fd = ::mkstemp(name);
  REQUIRE(fd >= 0);
  ::close(fd);
  std::ofstream(name, std::ios::binary) << contents;
  return name;
}

struct Run {
  CommandResult result;
  bool cookie_sent = false;
  bool any_authenticate = false;
};

// relaymon --snapshot against a COOKIE-only fake that accepts anything.
Run run_against_cookie_only_fake(std::vector<std::string> extra_args) {
  const std::string cookie(32, 'z');
  std::string cookie_file = temp_file(cookie);
  boost::asio::io_context io;
  FakeControlPort fake(io, [&](FakeSession& s, const std::string& line) {
    if (answer_protocolinfo(s, line, "COOKIE", cookie_file)) return;
    s.send("250 OK\r\n");
  });
  std::thread runner([&io] { io.run(); });
  std::vector<std::string> argv = {RELAYMON_BINARY,
                                   "--snapshot",
                                   "--timeout",
                                   "1",
                                   "-i",
                                   "127.0.0.1:" + std::to_string(fake.port())};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  Run run;
  run.result = run_command(argv, {}, 30);
  io.stop();
  runner.join();
  for (const auto& l : fake.received()) {
    if (l.rfind("AUTHENTICATE", 0) == 0) run.any_authenticate = true;
    if (l == "AUTHENTICATE " + control::to_hex(cookie)) run.cookie_sent = true;
  }
  ::unlink(cookie_file.c_str());
  return run;
}

}  // namespace

TEST_CASE("relaymon against a fake COOKIE-only port: refuses, exit 1, says why and how") {
  // An empty config of the test's own, so no config of the machine counts.
  std::string config = temp_file("");
  auto run = run_against_cookie_only_fake({"-c", config});
  ::unlink(config.c_str());
  INFO(run.result.err);
  CHECK(run.result.exit_code == 1);
  CHECK_FALSE(run.any_authenticate);
  CHECK_THAT(run.result.err,
             Catch::Contains("SAFECOOKIE") && Catch::Contains("--allow-plain-cookie"));
}

TEST_CASE("relaymon --allow-plain-cookie against a fake COOKIE-only port sends the cookie") {
  std::string config = temp_file("");
  auto run = run_against_cookie_only_fake({"-c", config, "--allow-plain-cookie"});
  ::unlink(config.c_str());
  INFO(run.result.err);
  CHECK(run.cookie_sent);
}

TEST_CASE("config allow_plain_cookie 1 against a fake COOKIE-only port sends the cookie") {
  std::string config = temp_file("allow_plain_cookie 1\n");
  auto run = run_against_cookie_only_fake({"-c", config});
  ::unlink(config.c_str());
  INFO(run.result.err);
  CHECK(run.cookie_sent);
}

TEST_CASE("config allow_plain_cookie takes 0 or 1") {
  std::vector<app::ConfigError> errors;
  CHECK(app::parse_config("allow_plain_cookie 1\n", errors).allow_plain_cookie);
  CHECK_FALSE(app::parse_config("allow_plain_cookie 0\n", errors).allow_plain_cookie);
  CHECK(errors.empty());
  CHECK_FALSE(app::parse_config("allow_plain_cookie yes\n", errors).allow_plain_cookie);
  REQUIRE(errors.size() == 1);
  CHECK_THAT(errors[0].message, Catch::Contains("0 or 1"));
}
