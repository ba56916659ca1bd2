// What the tools relaymon runs inherit. A fake `ss` first on PATH (a shell
// script of this test's own) records its descriptors and environment and
// then runs the real ss; relaymon --snapshot --resolver ss talks to a real
// tor (DisableNetwork 1, password authentication) meanwhile. The child must
// hold no socket (the authenticated control connection was inherited) and
// no RELAYMON_PASSWORD (it stayed in the environment); under the TUI, no
// copy of the terminal either.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "support/json_schema.h"
#include "support/run_command.h"
#include "support/tmux.h"
#include "support/tor_process.h"

using namespace relaymon::testing;
namespace fs = std::filesystem;

namespace {

std::string real_tool(const std::string& name) {
  for (const char* dir : {"/usr/bin", "/bin", "/usr/sbin", "/sbin"}) {
    std::string path = std::string(dir) + "/" + name;
    if (::access(path.c_str(), X_OK) == 0) return path;
  }
  FAIL(name << " is not installed");
  return {};
}

struct FakeTool {
  std::string dir;
  std::string record;
  explicit FakeTool(const std::string& name) {
    char tmpl[] = "/tmp/relaymon-fakebin-XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    dir = tmpl;
    record = dir + "/record.txt";
    std::string script = dir + "/" + name;
    std::ofstream(script) << "#!/bin/sh\n"
                          << "{ echo '== fds'; ls -l /proc/self/fd; echo '== env'; env; "
                          << "echo '== parent env'; tr '\\0' '\\n' < /proc/$PPID/environ; "
                          << "echo '== end'; } >> " << record << " 2>&1\n"
                          << "exec " << real_tool(name) << " \"$@\"\n";
    REQUIRE(::chmod(script.c_str(), 0755) == 0);
  }
  ~FakeTool() { fs::remove_all(dir); }
  std::string recorded() const {
    std::ifstream in(record);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
};

// Checks one record: no socket, no password, and beyond stdin, stdout and
// stderr only ls's own handle on the listing.
void check_record(const std::string& record, const std::string& password) {
  // Shown on failure: the descriptors, not the whole environment.
  INFO(record.substr(0, record.find("== env")));
  REQUIRE(record.find("== fds") != std::string::npos);  // the fake ran
  CHECK(record.find("socket:") == std::string::npos);
  // Not in the child's environment; not even the value in relaymon's own
  // /proc/PID/environ (the parent's), which its user's processes can read.
  CHECK(record.find("== parent env") != std::string::npos);
  CHECK(record.find(password) == std::string::npos);
  std::istringstream sections(record);
  std::string section;
  for (std::string line; std::getline(sections, line);) {
    if (line.rfind("== ", 0) == 0) {
      section = line;
    } else if (section == "== env") {
      CHECK(line.rfind("RELAYMON_PASSWORD", 0) == std::string::npos);
    }
  }
  std::regex fd_line(R"( (\d+) -> (.*)$)");
  std::istringstream lines(record);
  int listed = 0;
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (!std::regex_search(line, m, fd_line)) continue;
    ++listed;
    int fd = std::stoi(m[1]);
    INFO(line);
    if (fd > 2) CHECK(std::regex_match(m[2].str(), std::regex(R"(/proc/\d+/fd)")));
  }
  CHECK(listed >= 4);
}

}  // namespace

TEST_CASE("real tor, fake ss on PATH: the child holds no control socket and no password") {
  TorProcess tor(TorConfig::Auth::kPassword);
  FakeTool ss("ss");
  const char* path = std::getenv("PATH");
  auto result = run_command({RELAYMON_BINARY, "--snapshot", "--json", "--resolver", "ss", "-c",
                             "/dev/null", "-i", "127.0.0.1:" + std::to_string(tor.control_port())},
                            {"PATH=" + ss.dir + ":" + (path ? path : "/usr/bin:/bin"),
                             "RELAYMON_PASSWORD=" + tor.config().password});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  // The password from the environment authenticated (it is kept after
  // being removed from the environment).
  CHECK(snapshot_schema_errors(result.out) == "");
  auto doc = nlohmann::json::parse(result.out);
  CHECK(doc["relays"][0]["control"]["auth"] == "password");

  check_record(ss.recorded(), tor.config().password);
}

TEST_CASE("tmux: the TUI's tools (fake ss) hold no terminal, socket or password") {
  TorProcess tor(TorConfig::Auth::kPassword);
  FakeTool ss("ss");
  const char* path = std::getenv("PATH");
  TmuxSession tmux(
      "env PATH=" + ss.dir + ":" + (path ? path : "/usr/bin:/bin") +
          " RELAYMON_PASSWORD=" + tor.config().password + " " + RELAYMON_BINARY +
          " --resolver ss -c /dev/null -i 127.0.0.1:" + std::to_string(tor.control_port()),
      100, 30);
  REQUIRE(tmux.wait_for("Tor 0.4.9.11"));
  // The first poll may run before curses takes the terminal: wait for the
  // second (5 s later), which runs with the screen up.
  auto runs = [&] {
    std::string r = ss.recorded();
    int n = 0;
    for (auto at = r.find("== end"); at != std::string::npos; at = r.find("== end", at + 1)) ++n;
    return n;
  };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (runs() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(runs() >= 2);
  check_record(ss.recorded(), tor.config().password);
}
