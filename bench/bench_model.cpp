// Model-side work at relay scale (issue 4, "Speed"): parsing and indexing a
// consensus of 8,000 relays, and classifying 50,000 sockets of a busy exit
// against it. Target: < 30 ms each (Release build).
#include <benchmark/benchmark.h>

#include <random>
#include <string>

#include <fmt/format.h>

#include "model/classify.h"
#include "model/exit_policy.h"
#include "model/relay_index.h"

namespace {

using namespace relaymon;
using namespace relaymon::model;

constexpr int kRelays = 8'000;
constexpr int kSockets = 50'000;

std::string relay_ip(int i) {
  return fmt::format("{}.{}.{}.{}", 11 + i / 65536 % 200, i / 256 % 256, i % 256, 7);
}
std::string relay_ip6(int i) {
  return fmt::format("2001:db8:{:x}::7", i);
}

// A microdescriptor-consensus-like ns/all: every relay with s/v/pr/w lines,
// a third with an IPv6 `a` line.
std::string make_consensus() {
  static const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::mt19937 rng(7);
  std::string out;
  out.reserve(kRelays * 330);
  for (int i = 0; i < kRelays; ++i) {
    std::string id(27, 'A');
    for (char& c : id) c = kB64[rng() % 64];
    id[26] = 'A';  // the last character carries only 2 significant bits
    out += fmt::format("r relay{} {} 2038-01-01 00:00:00 {} {} {}\n", i, id, relay_ip(i),
                       9001 + i % 3, i % 4 == 0 ? 9030 : 0);
    if (i % 3 == 0) out += fmt::format("a [{}]:9001\n", relay_ip6(i));
    out += i % 5 == 0 ? "s Exit Fast Guard HSDir Running Stable V2Dir Valid\n"
                      : "s Fast Running Stable V2Dir Valid\n";
    out += "v Tor 0.4.8.12\n";
    out +=
        "pr Conflux=1 Cons=1-2 Desc=1-2 DirCache=2 FlowCtrl=1-2 HSDir=2 HSIntro=4-5 HSRend=1-2 "
        "Link=1-5 LinkAuth=1,3 Microdesc=1-2 Padding=2 Relay=1-4\n";
    out += fmt::format("w Bandwidth={}\n", rng() % 100000);
  }
  return out;
}

const char* kReducedExitPolicy =
    "reject private:*\n"
    "accept *:20-23\naccept *:43\naccept *:53\naccept *:79-81\naccept *:88\naccept *:110\n"
    "accept *:143\naccept *:194\naccept *:220\naccept *:389\naccept *:443\naccept *:464\n"
    "accept *:465\naccept *:531\naccept *:543-544\naccept *:554\naccept *:563\naccept *:587\n"
    "accept *:636\naccept *:706\naccept *:749\naccept *:873\naccept *:902-904\naccept *:981\n"
    "accept *:989-995\naccept *:1194\naccept *:1220\naccept *:1293\naccept *:1500\n"
    "accept *:1533\naccept *:1677\naccept *:1723\naccept *:1755\naccept *:1863\n"
    "accept *:2082-2083\naccept *:2086-2087\naccept *:2095-2096\naccept *:2102-2104\n"
    "accept *:3128\naccept *:3389\naccept *:3690\naccept *:4321\naccept *:4643\naccept *:5050\n"
    "accept *:5190\naccept *:5222-5223\naccept *:5228\naccept *:5900\naccept *:6660-6669\n"
    "accept *:6679\naccept *:6697\naccept *:8000\naccept *:8008\naccept *:8074\naccept *:8080\n"
    "accept *:8082\naccept *:8087-8088\naccept *:8232-8233\naccept *:8332-8333\naccept *:8443\n"
    "accept *:8888\naccept *:9418\naccept *:9999\naccept *:10000\naccept *:11371\n"
    "accept *:19294\naccept *:19638\naccept *:50002\naccept *:64738\nreject *:*\n";

// A busy exit: listeners, inbound relays and guard clients on the ORPort,
// outbound relay connections, exit connections (mostly allowed ports), DNS.
struct Workload {
  RelayIndex index;
  ExitPolicy policy;
  ClassifyContext ctx;
  system::Sockets sockets;
};

Workload make_workload() {
  Workload w{
      RelayIndex::from_text(make_consensus()), *ExitPolicy::parse(kReducedExitPolicy), {}, {}};
  w.ctx.relays = &w.index;
  w.ctx.exit_policy = &w.policy;
  w.ctx.listeners = {{"or", {"198.51.100.5", 9001}},
                     {"or", {"2001:db8::5", 9001}},
                     {"control", {"127.0.0.1", 9051}}};
  w.ctx.dns_servers = {*IpAddr::parse("127.0.0.53")};
  std::mt19937 rng(42);
  const std::uint16_t ports[] = {443, 80, 22, 5222, 6667, 8080, 25, 993};
  for (int k = 0; k < kSockets; ++k) {
    system::Socket s;
    s.protocol = "tcp";
    s.state = k % 97 == 0 ? "SYN-SENT" : "ESTAB";
    s.bytes_received = rng();
    s.bytes_acked = rng();
    int relay = static_cast<int>(rng() % kRelays);
    auto eph = static_cast<std::uint16_t>(32768 + rng() % 28000);
    switch (k % 10) {
      case 0:
      case 1:
      case 2:  // inbound relay
        s.local = {"198.51.100.5", 9001};
        s.remote = {relay_ip(relay), eph};
        if (k % 3 == 0)
          w.ctx.orconns.edit().push_back(*parse_orconn_target(
              "$" + w.index.relays()[static_cast<std::size_t>(relay)].fingerprint));
        break;
      case 3:
      case 4:  // guard clients
        s.local = {"198.51.100.5", 9001};
        s.remote = {fmt::format("{}.{}.{}.{}", 100 + rng() % 100, rng() % 256, rng() % 256,
                                1 + rng() % 254),
                    eph};
        if (k % 4 == 0)
          w.ctx.orconns.edit().push_back(
              *parse_orconn_target(fmt::format("{}:{}", s.remote.ip, eph)));
        break;
      case 5:
      case 6:  // outbound relay, IPv4 or IPv6
        if (relay % 3 == 0 && k % 2 == 0) {
          s.local = {"2001:db8::5", eph};
          s.remote = {relay_ip6(relay), 9001};
        } else {
          s.local = {"198.51.100.5", eph};
          s.remote = {relay_ip(relay), static_cast<std::uint16_t>(9001 + relay % 3)};
        }
        break;
      case 9:
        if (k % 20 == 9) {
          s.protocol = "udp";
          s.local = {"127.0.0.1", eph};
          s.remote = {"127.0.0.53", 53};
          break;
        }
        [[fallthrough]];
      default:  // exit
        s.local = {"198.51.100.5", eph};
        s.remote = {
            fmt::format("{}.{}.{}.{}", 20 + rng() % 80, rng() % 256, rng() % 256, 1 + rng() % 254),
            ports[rng() % 8]};
        break;
    }
    w.sockets.push_back(std::move(s));
  }
  return w;
}

void BM_ParseAndIndexConsensus8000(benchmark::State& state) {
  const std::string text = make_consensus();
  for (auto _ : state) {
    RelayIndex index = RelayIndex::from_text(text);
    benchmark::DoNotOptimize(index.size());
  }
  state.counters["relays"] = kRelays;
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ParseAndIndexConsensus8000)->Unit(benchmark::kMillisecond);

void BM_Classify50000(benchmark::State& state) {
  Workload w = make_workload();
  std::size_t unexpected = 0;
  for (auto _ : state) {
    auto cs = classify(w.sockets, w.ctx);
    unexpected =
        static_cast<std::size_t>(std::count_if(cs.begin(), cs.end(), [](const Connection& c) {
          return c.category == Category::kUnexpected;
        }));
    benchmark::DoNotOptimize(cs.data());
  }
  state.counters["sockets"] = kSockets;
  state.counters["unexpected"] = static_cast<double>(unexpected);  // rejected ports: 25
}
BENCHMARK(BM_Classify50000)->Unit(benchmark::kMillisecond);

}  // namespace
