// ToolRun with real child processes: output, exit status, the deadline, the
// output cap, missing and non-executable programs, and the event loop
// staying free while a child runs.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <fstream>

#include "system/tool_runner.h"

using namespace relaymon::system;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {
ToolResult run(std::vector<std::string> argv, ToolOptions options = {}) {
  asio::io_context io;
  std::optional<ToolResult> result;
  ToolRun::start(io, std::move(argv), options, [&](ToolResult r) { result = std::move(r); });
  io.run();
  REQUIRE(result.has_value());
  return std::move(*result);
}
}  // namespace

TEST_CASE("tool runner: stdout of a real child", "[runner]") {
  auto result = run({"printf", "%s\\n", "hello", "world"});
  REQUIRE(std::holds_alternative<ToolOutput>(result));
  CHECK(std::get<ToolOutput>(result).stdout_text == "hello\nworld\n");
}

TEST_CASE("tool runner: the child runs with LC_ALL=C and stdin at EOF", "[runner]") {
  auto result = run({"sh", "-c", "echo \"$LC_ALL\"; cat; echo done"});
  REQUIRE(std::holds_alternative<ToolOutput>(result));
  CHECK(std::get<ToolOutput>(result).stdout_text == "C\ndone\n");
}

TEST_CASE("tool runner: non-zero exit gives the status, stderr and stdout", "[runner]") {
  auto result = run({"sh", "-c", "echo partial; echo 'it broke' >&2; exit 3"});
  REQUIRE(std::holds_alternative<ToolError>(result));
  const auto& e = std::get<ToolError>(result);
  CHECK(e.kind == ToolErrorKind::kExitStatus);
  CHECK(e.exit_code == 3);
  CHECK(e.stderr_text == "it broke\n");
  CHECK(e.stdout_text == "partial\n");
  CHECK(e.message() == "sh failed with exit status 3: \"it broke\".");
}

TEST_CASE("tool runner: a real `sleep 5` is killed at the 200 ms deadline", "[runner]") {
  asio::io_context io;
  std::optional<ToolResult> result;
  ToolOptions options;
  options.timeout = 200ms;
  auto start = std::chrono::steady_clock::now();
  auto child =
      ToolRun::start(io, {"sleep", "5"}, options, [&](ToolResult r) { result = std::move(r); });
  pid_t pid = child->pid();
  REQUIRE(pid > 0);
  // The loop stays free: a 50 ms timer fires while sleep runs.
  bool timer_fired_first = false;
  asio::steady_timer timer(io, 50ms);
  timer.async_wait([&](const boost::system::error_code&) { timer_fired_first = !result; });
  io.run();
  auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(timer_fired_first);
  REQUIRE(result.has_value());
  REQUIRE(std::holds_alternative<ToolError>(*result));
  CHECK(std::get<ToolError>(*result).kind == ToolErrorKind::kTimeout);
  CHECK(elapsed >= 200ms);
  CHECK(elapsed < 2s);
  // Killed and reaped: the pid no longer exists.
  CHECK(::kill(pid, 0) == -1);
  CHECK(errno == ESRCH);
}

TEST_CASE("tool runner: a missing program is a typed error, not an exception", "[runner]") {
  auto result = run({"relaymon-no-such-tool-4f2a"});
  REQUIRE(std::holds_alternative<ToolError>(result));
  const auto& e = std::get<ToolError>(result);
  CHECK(e.kind == ToolErrorKind::kMissing);
  CHECK(e.message() ==
        "relaymon-no-such-tool-4f2a is not installed (not found on PATH, /usr/sbin or /sbin).");
  CHECK_FALSE(find_program("relaymon-no-such-tool-4f2a"));
  CHECK(find_program("sh").has_value());
}

TEST_CASE("tool runner: a program that is not executable", "[runner]") {
  std::string path = "/tmp/relaymon-test-noexec-" + std::to_string(::getpid());
  std::ofstream(path) << "#!/bin/sh\necho hi\n";
  ::chmod(path.c_str(), 0644);
  auto result = run({path});
  ::unlink(path.c_str());
  REQUIRE(std::holds_alternative<ToolError>(result));
  CHECK(std::get<ToolError>(result).kind == ToolErrorKind::kPermissionDenied);
}

TEST_CASE("tool runner: output past the cap stops the child", "[runner]") {
  ToolOptions options;
  options.max_output = 100'000;
  auto result =
      run({"sh", "-c", "while :; do echo xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; done"}, options);
  REQUIRE(std::holds_alternative<ToolError>(result));
  CHECK(std::get<ToolError>(result).kind == ToolErrorKind::kOutputTooLarge);
}

TEST_CASE("tool runner: a large output arrives whole", "[runner]") {
  auto result = run({"head", "-c", "3000000", "/dev/zero"});
  REQUIRE(std::holds_alternative<ToolOutput>(result));
  CHECK(std::get<ToolOutput>(result).stdout_text.size() == 3'000'000);
}

TEST_CASE("tool runner: cancel kills the child", "[runner]") {
  asio::io_context io;
  std::optional<ToolResult> result;
  auto child = ToolRun::start(io, {"sleep", "5"}, {}, [&](ToolResult r) { result = std::move(r); });
  child->cancel();
  auto start = std::chrono::steady_clock::now();
  io.run();
  CHECK(std::chrono::steady_clock::now() - start < 2s);
  REQUIRE(result.has_value());
  REQUIRE(std::holds_alternative<ToolError>(*result));
  CHECK(std::get<ToolError>(*result).kind == ToolErrorKind::kCancelled);
}

TEST_CASE("tool runner: several children at once on one io_context", "[runner]") {
  asio::io_context io;
  int done = 0;
  std::vector<std::string> outputs(5);
  for (int k = 0; k < 5; ++k) {
    ToolRun::start(io, {"sh", "-c", "sleep 0.1; echo " + std::to_string(k)}, {},
                   [&, k](ToolResult r) {
                     ++done;
                     if (auto* out = std::get_if<ToolOutput>(&r)) outputs[k] = out->stdout_text;
                   });
  }
  auto start = std::chrono::steady_clock::now();
  io.run();
  CHECK(done == 5);
  CHECK(std::chrono::steady_clock::now() - start < 400ms);  // in parallel, not 5 x 100 ms
  for (int k = 0; k < 5; ++k) CHECK(outputs[k] == std::to_string(k) + "\n");
}
