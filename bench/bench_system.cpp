// System-side parsing at relay scale (issue 4, "Speed"): `ss -tuanpi` of
// 50,000 sockets with their -i lines, and the /proc fast path, 50,000 rows of
// /proc/net/tcp joined with 30,000 socket inodes of tor. Target: < 30 ms each.
#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>

#include <fmt/format.h>

#include "system/proc_net.h"
#include "system/sock_diag_parser.h"
#include "system/ss_parser.h"

namespace {

using namespace relaymon::system;

constexpr int kSockets = 50'000;
constexpr int kTorPid = 4242;

// A relay's host: mostly tor's ESTAB ORPort and exit connections (IPv4 and
// some IPv6), TIME-WAIT leftovers without an owner, a few listeners and
// other processes' sockets. Each TCP row has its -i line, as long as the
// ones in tests/fixtures (about 450 bytes).
std::string make_ss_output() {
  std::mt19937 rng(42);
  std::string out =
      "Netid State      Recv-Q Send-Q          Local Address:Port           Peer "
      "Address:Port Process\n";
  out.reserve(static_cast<std::size_t>(kSockets) * 560);
  for (int k = 0; k < kSockets; ++k) {
    unsigned r = rng();
    bool v6 = k % 10 == 0;
    bool tor = k % 5 != 4;
    const char* state = k % 13 == 0 ? "TIME-WAIT" : (k % 97 == 0 ? "SYN-SENT" : "ESTAB");
    std::string local = v6 ? "[2001:db8::5]:9001" : "198.51.100.5:9001";
    std::string peer =
        v6 ? fmt::format("[2001:db8:{:x}::{:x}]:{}", r % 65536, (r >> 16) % 65536, 1024 + r % 60000)
           : fmt::format("{}.{}.{}.{}:{}", 1 + r % 223, (r >> 8) % 256, (r >> 16) % 256,
                         1 + (r >> 24) % 254, 1024 + r % 60000);
    std::string users;
    if (std::string_view(state) != "TIME-WAIT") {
      users = tor ? fmt::format("users:((\"tor\",pid={},fd={}))", kTorPid, 10 + k)
                  : fmt::format("users:((\"nginx\",pid={},fd={}))", 900 + k % 4, 10 + k);
    }
    out += fmt::format("tcp   {:<10} {:<6} {:<6} {:>26} {:>30} {}\n", state, r % 3 ? 0 : r % 90000,
                       r % 5 ? 0 : r % 70000, local, peer, users);
    if (std::string_view(state) == "TIME-WAIT") {
      out += "\t            \n";
      continue;
    }
    out += fmt::format(
        "\t bbr wscale:10,10 rto:{} rtt:{}.{}/{}.{} ato:40 mss:1448 pmtu:1500 rcvmss:536 "
        "advmss:1448 cwnd:{} ssthresh:8 bytes_sent:{} bytes_acked:{} bytes_received:{} "
        "segs_out:{} segs_in:{} data_segs_out:{} data_segs_in:{} bbr:(bw:{}bps,mrtt:0.{},"
        "pacing_gain:1.25,cwnd_gain:2) send {}bps lastsnd:{} lastrcv:{} lastack:{} pacing_rate "
        "{}bps delivery_rate {}bps delivered:{} busy:{}ms rcv_rtt:{} rcv_space:14480 "
        "rcv_ssthresh:64088 minrtt:{}.{} snd_wnd:{}\n",
        200 + r % 100, r % 300, r % 1000, r % 100, r % 1000, 10 + r % 40, r, r - r % 1000, r / 3,
        r % 9000, r % 8000, r % 7000, r % 6000, r, r % 1000, r * 3ull, r % 10000, r % 10000,
        r % 10000, r * 5ull, r * 2ull, r % 5000, r % 100000, r % 400, r % 200, r % 1000,
        64000 + r % 1000);
  }
  // Listeners and a few UDP sockets, with the Netid column as -u adds it.
  out += fmt::format(
      "tcp   LISTEN     0      4096              0.0.0.0:9001               0.0.0.0:*     "
      "users:((\"tor\",pid={},fd=6))\n\t bbr cwnd:10\n"
      "tcp   LISTEN     0      4096                 [::]:9001                  [::]:*     "
      "users:((\"tor\",pid={},fd=7))\n\t bbr cwnd:10\n"
      "udp   UNCONN     0      0           127.0.0.53%lo:53                 0.0.0.0:*     "
      "users:((\"systemd-resolve\",pid=412,fd=13))\n",
      kTorPid, kTorPid);
  return out;
}

// One /proc/net/tcp row in the kernel's layout (net/ipv4/tcp_ipv4.c).
std::string make_proc_tcp(InodeSet& tor_inodes) {
  std::mt19937 rng(7);
  std::string out =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
      "timeout inode                                                     \n";
  out.reserve(static_cast<std::size_t>(kSockets) * 152);
  in_addr local{};
  inet_pton(AF_INET, "198.51.100.5", &local);
  std::uint32_t local_word = 0;
  std::memcpy(&local_word, &local, 4);
  for (int k = 0; k < kSockets; ++k) {
    unsigned r = rng();
    unsigned long inode = 400'000 + static_cast<unsigned long>(k) * 3;
    int state = k % 13 == 0 ? 6 : 1;
    if (state == 6) inode = 0;  // TIME-WAIT rows have no inode
    if (state != 6 && tor_inodes.size() < 30'000 && k % 5 != 4) tor_inodes.insert(inode);
    out += fmt::format(
        "{:>4}: {:08X}:{:04X} {:08X}:{:04X} {:02X} {:08X}:{:08X} 00:00000000 00000000   110     "
        "   0 {} 1 {:016x} 20 4 30 10 -1                     \n",
        k, local_word, 9001, r, 1024 + r % 60000, state, r % 3 ? 0 : r % 90000, 0, inode,
        static_cast<unsigned long long>(r) * 2654435761ull);
  }
  return out;
}

void BM_ParseSsTuanpi50k(benchmark::State& state) {
  const std::string output = make_ss_output();
  std::size_t tor = 0;
  for (auto _ : state) {
    ParseDiagnostics diag;
    Sockets sockets = filter_by_pid(parse_ss(output, &diag), kTorPid);
    tor = sockets.size();
    benchmark::DoNotOptimize(sockets.data());
    if (diag.skipped != 0) state.SkipWithError("ss lines skipped");
  }
  state.counters["tor_sockets"] = static_cast<double>(tor);
  state.counters["MB"] = static_cast<double>(output.size()) / 1e6;
  state.SetItemsProcessed(state.iterations() * kSockets);
}
BENCHMARK(BM_ParseSsTuanpi50k)->Unit(benchmark::kMillisecond);

void BM_ProcNetTcp50kJoin30k(benchmark::State& state) {
  InodeSet tor_inodes;
  const std::string table = make_proc_tcp(tor_inodes);
  std::size_t found = 0;
  for (auto _ : state) {
    ParseDiagnostics diag;
    Sockets sockets = join_proc_net({table, {}, {}, {}}, tor_inodes, kTorPid, "tor", &diag);
    found = sockets.size();
    benchmark::DoNotOptimize(sockets.data());
    if (diag.skipped != 0) state.SkipWithError("proc rows skipped");
  }
  if (found != tor_inodes.size()) state.SkipWithError("join lost sockets");
  state.counters["tor_sockets"] = static_cast<double>(found);
  state.counters["MB"] = static_cast<double>(table.size()) / 1e6;
  state.SetItemsProcessed(state.iterations() * kSockets);
}
BENCHMARK(BM_ProcNetTcp50kJoin30k)->Unit(benchmark::kMillisecond);

// A netlink sock_diag dump of 50,000 TCP sockets (IPv4 and IPv6, each with
// a 232-byte tcp_info, as the kernel sends them), 30,000 of them tor's:
// what NetlinkResolver parses per poll. The records are built here with
// the kernel's layout (linux/inet_diag.h); the parser's tests read a real
// recorded dump.
std::string make_sock_diag_dump(InodeSet& tor_inodes) {
  std::string out;
  std::mt19937 random(7);
  for (int k = 0; k < kSockets; ++k) {
    struct {
      nlmsghdr header;
      inet_diag_msg record;
      rtattr info_header;
      tcp_info info;
    } m{};
    m.header.nlmsg_len = sizeof m;
    m.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    m.record.idiag_family = k % 5 == 0 ? AF_INET6 : AF_INET;
    m.record.idiag_state = k % 50 == 0 ? 10 : 1;  // LISTEN, ESTAB
    m.record.id.idiag_sport = htons(static_cast<std::uint16_t>(9001 + k % 3));
    m.record.id.idiag_dport = htons(static_cast<std::uint16_t>(1024 + random() % 60000));
    std::uint32_t remote = static_cast<std::uint32_t>(random());
    if (m.record.idiag_family == AF_INET) {
      m.record.id.idiag_src[0] = htonl(0xC0000201);  // 192.0.2.1
      m.record.id.idiag_dst[0] = remote;
    } else {
      m.record.id.idiag_src[0] = htonl(0x20010db8);
      m.record.id.idiag_src[3] = htonl(1);
      m.record.id.idiag_dst[0] = htonl(0x20010db8);
      m.record.id.idiag_dst[3] = remote;
    }
    m.record.idiag_inode = static_cast<std::uint32_t>(500'000 + k);
    if (k % 5 < 3) tor_inodes.insert(m.record.idiag_inode);
    m.info_header.rta_len = sizeof(rtattr) + sizeof(tcp_info);
    m.info_header.rta_type = INET_DIAG_INFO;
    m.info.tcpi_rtt = 12'345;
    m.info.tcpi_bytes_acked = random();
    m.info.tcpi_bytes_received = random();
    out.append(reinterpret_cast<const char*>(&m), sizeof m);
  }
  nlmsghdr done{};
  done.nlmsg_len = NLMSG_LENGTH(sizeof(int));
  done.nlmsg_type = NLMSG_DONE;
  out.append(reinterpret_cast<const char*>(&done), sizeof done);
  out.append(sizeof(int), '\0');
  return out;
}

void BM_SockDiag50kJoin30k(benchmark::State& state) {
  InodeSet tor_inodes;
  const std::string dump = make_sock_diag_dump(tor_inodes);
  std::size_t found = 0;
  for (auto _ : state) {
    ParseDiagnostics diag;
    Sockets sockets;
    sockets.reserve(tor_inodes.size());
    auto summary = parse_sock_diag_into(dump, "tcp", sockets, &tor_inodes, kTorPid, "tor", &diag);
    found = sockets.size();
    benchmark::DoNotOptimize(sockets.data());
    if (diag.skipped != 0 || !summary.done) state.SkipWithError("netlink records skipped");
  }
  if (found != tor_inodes.size()) state.SkipWithError("join lost sockets");
  state.counters["tor_sockets"] = static_cast<double>(found);
  state.counters["MB"] = static_cast<double>(dump.size()) / 1e6;
  state.SetItemsProcessed(state.iterations() * kSockets);
}
BENCHMARK(BM_SockDiag50kJoin30k)->Unit(benchmark::kMillisecond);

// Building the inode set from /proc/PID/fd is part of every poll too.
void BM_InodeSet30k(benchmark::State& state) {
  for (auto _ : state) {
    InodeSet set;
    set.reserve(30'000);
    for (unsigned long k = 0; k < 30'000; ++k) set.insert(400'000 + k * 3);
    benchmark::DoNotOptimize(set.size());
  }
}
BENCHMARK(BM_InodeSet30k)->Unit(benchmark::kMillisecond);

}  // namespace
