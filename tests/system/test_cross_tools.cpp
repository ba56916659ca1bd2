// The four system views of one tor (labexit4, pid 31103) in the captures
// must agree on its (local, remote, state) tuples.
//
// lsof and /proc were captured together and agree exactly. ss and netstat
// were taken a few seconds apart from them (and from each other) while
// HTTP downloads flowed through the exit: the exit's streams to the web
// server 127.0.0.1:18080 each live a second or two, so those differ between
// captures (ss has :50880, netstat :50880 and :50898, lsof//proc :50910 and
// :48114). Every other connection (ORPort, control port, relay links) is
// long-lived and must match in all four.
#include <algorithm>
#include <catch2/catch.hpp>
#include <iterator>

#include "fixtures.h"
#include "system/lsof_parser.h"
#include "system/netstat_parser.h"
#include "system/proc_net.h"
#include "system/ss_parser.h"

using namespace relaymon::system;
using namespace relaymon::system::testing;

namespace {
constexpr int kExit4 = 31103;

std::set<Tuple> without_exit_streams(const std::set<Tuple>& in) {
  std::set<Tuple> out;
  for (const auto& t : in) {
    if (std::get<1>(t) != "127.0.0.1:18080") out.insert(t);
  }
  return out;
}

std::set<Tuple> intersection(const std::set<Tuple>& a, const std::set<Tuple>& b) {
  std::set<Tuple> out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  return out;
}

std::set<Tuple> only_state(const std::set<Tuple>& in, const std::string& state, bool keep) {
  std::set<Tuple> out;
  for (const auto& t : in) {
    if ((std::get<2>(t) == state) == keep) out.insert(t);
  }
  return out;
}
}  // namespace

TEST_CASE("capture cross-check: ss, netstat, lsof and /proc agree on labexit4's sockets",
          "[cross]") {
  Sockets ss = filter_by_pid(parse_ss(os_capture("ss-tnp.txt")), kExit4);
  Sockets ss_listen = filter_by_pid(parse_ss(os_capture("ss-tlnp.txt")), kExit4);
  ss.insert(ss.end(), ss_listen.begin(), ss_listen.end());
  Sockets netstat = filter_by_pid(parse_netstat(os_capture("netstat-tnp.txt")), kExit4);
  Sockets lsof = parse_lsof(os_capture("lsof-nPi-labexit4.txt"));
  std::string tcp = os_capture("proc-net-tcp.txt");
  Sockets proc = join_proc_net({tcp, {}, {}, {}},
                               parse_fd_listing(os_capture("proc-fd-labexit4.txt")), kExit4);

  auto t_ss = tuples(ss);
  auto t_netstat = tuples(netstat);  // -tnp: no listeners
  auto t_lsof = tuples(lsof);
  auto t_proc = tuples(proc);
  REQUIRE(t_lsof.size() == 12);

  // Same moment: identical, inodes included.
  CHECK(t_lsof == t_proc);
  std::set<unsigned long> lsof_inodes;
  std::set<unsigned long> proc_inodes;
  for (const auto& s : lsof) lsof_inodes.insert(*s.inode);
  for (const auto& s : proc) proc_inodes.insert(*s.inode);
  CHECK(lsof_inodes == proc_inodes);

  // Other moments: the long-lived sockets are identical...
  auto stable = without_exit_streams(t_proc);
  CHECK(stable.size() == 10);
  CHECK(without_exit_streams(t_ss) == stable);
  CHECK(without_exit_streams(t_netstat) == only_state(stable, "LISTEN", false));
  // ...and the intersection is most of each view (all but the exit streams).
  CHECK(intersection(t_ss, t_proc).size() == 10);
  CHECK(t_ss.size() == 11);
  CHECK(intersection(t_netstat, t_proc).size() == 8);
  CHECK(t_netstat.size() == 10);
}

TEST_CASE("capture cross-check: lsof and /proc agree for every tor instance", "[cross]") {
  std::string tcp = os_capture("proc-net-tcp.txt");
  for (const char* nick : {"labauth0", "labauth1", "labauth2", "labrelay3", "labexit4", "labexit5",
                           "labrelay6", "labclient7"}) {
    INFO(nick);
    auto lsof = parse_lsof(os_capture(std::string("lsof-nPi-") + nick + ".txt"));
    auto proc = join_proc_net(
        {tcp, {}, {}, {}}, parse_fd_listing(os_capture(std::string("proc-fd-") + nick + ".txt")));
    auto a = tuples(lsof);
    auto b = tuples(proc);
    // Allow one socket opened or closed between the two reads.
    CHECK(intersection(a, b).size() + 1 >= std::max(a.size(), b.size()));
  }
}
