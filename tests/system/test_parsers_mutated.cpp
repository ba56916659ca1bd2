// Robustness: every parser gets thousands of randomly damaged copies of the
// real captures and of random bytes (a cheap in-tree fuzzer; the build with
// RELAYMON_SANITIZE=ON turns any out-of-bounds read into a failure). They
// must never throw or crash, and every socket they return must be sane.
#include <catch2/catch.hpp>
#include <random>

#include "fixtures.h"
#include "system/lsof_parser.h"
#include "system/netstat_parser.h"
#include "system/proc_net.h"
#include "system/process_stats.h"
#include "system/ss_parser.h"

using namespace relaymon::system;
using relaymon::system::testing::os_capture;

namespace {

std::string mutate(std::string text, std::mt19937& rng) {
  static constexpr char kAlphabet[] = " \t\r\n:[]%()*,.=\"/-0123456789abcdefABCDEF->";
  int edits = 1 + static_cast<int>(rng() % 20);
  for (int e = 0; e < edits && !text.empty(); ++e) {
    std::size_t at = rng() % text.size();
    switch (rng() % 5) {
      case 0:
        text[at] = kAlphabet[rng() % (sizeof(kAlphabet) - 1)];
        break;
      case 1:
        text.erase(at, 1 + rng() % 8);
        break;
      case 2:
        text.insert(at, 1, kAlphabet[rng() % (sizeof(kAlphabet) - 1)]);
        break;
      case 3:
        text.resize(at);
        break;  // truncated mid-line
      case 4:
        text[at] = static_cast<char>(rng() % 256);
        break;
    }
  }
  return text;
}

void check_sane(const Sockets& sockets) {
  for (const auto& s : sockets) {
    REQUIRE((s.protocol == "tcp" || s.protocol == "udp"));
    REQUIRE_FALSE(s.state.empty());
    REQUIRE_FALSE(s.local.ip.empty());
    REQUIRE_FALSE(s.remote.ip.empty());
  }
}

}  // namespace

TEST_CASE("parsers survive damaged captures", "[malformed][mutation]") {
  std::mt19937 rng(20261122);
  const std::string ss_i = os_capture("ss-tinp.txt");
  const std::string ss_l = os_capture("ss-tlnp.txt");
  const std::string netstat = os_capture("netstat-tnp.txt");
  const std::string lsof = os_capture("lsof-nPi-labexit4.txt");
  // A slice of /proc/net/tcp keeps each run short.
  const std::string proc = os_capture("proc-net-tcp.txt").substr(0, 20'000);
  const std::string fds = os_capture("proc-fd-labexit4.txt");
  const InodeSet inodes = parse_fd_listing(fds);
  for (int k = 0; k < 1500; ++k) {
    ParseDiagnostics d;
    check_sane(parse_ss(mutate(ss_i, rng), &d));
    check_sane(parse_ss(mutate(ss_l, rng), &d, "udp"));
    check_sane(parse_netstat(mutate(netstat, rng), &d));
    check_sane(parse_lsof(mutate(lsof, rng), &d));
    check_sane(parse_proc_net(mutate(proc, rng), k % 2 ? "tcp" : "udp", &d));
    check_sane(join_proc_net({mutate(proc, rng), {}, {}, {}}, inodes));
    parse_fd_listing(mutate(fds, rng));
    REQUIRE(d.examples.size() <= ParseDiagnostics::kMaxExamples);
  }
}

TEST_CASE("parsers survive random bytes", "[malformed][mutation]") {
  std::mt19937 rng(7);
  for (int k = 0; k < 2000; ++k) {
    std::string junk(rng() % 400, '\0');
    for (auto& c : junk) c = static_cast<char>(rng() % 256);
    check_sane(parse_ss(junk));
    check_sane(parse_netstat(junk));
    check_sane(parse_lsof(junk));
    check_sane(parse_proc_net(junk, "tcp"));
    parse_proc_stat(junk);
    parse_proc_statm(junk);
    parse_boot_time(junk);
  }
}
