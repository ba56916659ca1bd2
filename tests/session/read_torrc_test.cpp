// GETINFO config-file names a path tor chose, opened by relaymon
// (issue 12, item 3): never blocks on a FIFO, never reads a device, reads
// at most its limit and says so.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "session/collector.h"
#include "session/tor_log_reader.h"

using namespace relaymon;

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    char name[] = "/tmp/relaymon-torrc-XXXXXX";
    path = ::mkdtemp(name);
  }
  ~TempDir() { std::system(("rm -rf " + path).c_str()); }
};

}  // namespace

TEST_CASE("read_torrc: a FIFO is refused at once, without blocking") {
  TempDir dir;
  std::string fifo = dir.path + "/torrc";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  model::TorConfig config;
  session::read_torrc(fifo, config);  // no writer: a blocking open would hang here
  CHECK(config.torrc_lines.empty());
  CHECK(config.torrc_error == "not reading " + fifo + ": not a regular file");
}

TEST_CASE("read_torrc: a device such as /dev/zero is refused, nothing read") {
  model::TorConfig config;
  session::read_torrc("/dev/zero", config);
  CHECK(config.torrc_lines.empty());
  CHECK(config.torrc_error == "not reading /dev/zero: not a regular file");
  CHECK_FALSE(config.torrc_truncated);
}

TEST_CASE("read_torrc: a file past the limit is cut at a whole line and marked") {
  TempDir dir;
  std::string path = dir.path + "/torrc";
  {
    std::ofstream out(path);
    for (int i = 0; i < 200000; ++i) out << "ORPort " << 10000 + i % 50000 << "\n";  // ~2.4 MB
  }
  model::TorConfig config;
  config.torrc_error = "an earlier failure";
  session::read_torrc(path, config);
  CHECK(config.torrc_truncated);
  CHECK(config.torrc_error.empty());
  std::size_t bytes = 0;
  for (const auto& line : config.torrc_lines) bytes += line.size() + 1;
  CHECK(bytes <= 1024 * 1024);
  CHECK(bytes > 1024 * 1024 - 20);
  REQUIRE_FALSE(config.torrc_lines.empty());
  CHECK(config.torrc_lines.back().rfind("ORPort ", 0) == 0);
  CHECK(config.torrc_lines.back().size() == std::string("ORPort 12345").size());
}

TEST_CASE("read_torrc: a small file is read whole, its lines kept") {
  TempDir dir;
  std::string path = dir.path + "/torrc";
  {
    std::ofstream out(path);
    out << "# a relay\nORPort 9001\n\nNickname x\n";
  }
  model::TorConfig config;
  session::read_torrc(path, config);
  CHECK_FALSE(config.torrc_truncated);
  CHECK(config.torrc_lines ==
        std::vector<std::string>{"# a relay", "ORPort 9001", "", "Nickname x"});
}

TEST_CASE("tor's log tail: the end of the file, and why it cannot be read", "[session][log]") {
  std::string dir = "/tmp/relaymon-logtail-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  {
    std::ofstream f(dir + "/notices.log");
    for (int i = 0; i < 1000; ++i) f << "Dec 06 18:35:39.759 [notice] line " << i << "\n";
  }
  auto tail = session::read_log_tail(dir + "/notices.log", 1024);
  CHECK(tail.error.empty());
  CHECK(tail.text.size() == 1024);
  CHECK(tail.text.find("line 999\n") != std::string::npos);
  auto missing = session::read_log_tail(dir + "/absent.log");
  CHECK(missing.error.find("cannot read tor's log file " + dir + "/absent.log") == 0);
  REQUIRE(::mkfifo((dir + "/fifo").c_str(), 0600) == 0);
  auto fifo = session::read_log_tail(dir + "/fifo");  // must not block
  CHECK(fifo.error.find("no regular file") != std::string::npos);
  std::filesystem::remove_all(dir);
}
