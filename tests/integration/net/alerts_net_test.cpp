// Alerts on the loopback network, from real situations: transfers through
// an exit whose policy accepts 127.0.0.1 (quiet), exit connections that never
// establish (a listener whose accept queue is full), and a healthy middle
// relay. Only 127.0.0.0/8 is ever contacted.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "support/json_schema.h"
#include "support/run_command.h"
#include "support/testnet.h"

using namespace relaymon::testing;
using nlohmann::json;

namespace {

std::string endpoint(const TestnetInstance& i) {
  return "127.0.0.1:" + std::to_string(i.control_port);
}

std::uint16_t socks_port(const Testnet& net) {
  for (const auto& i : net.state()["instances"]) {
    if (i["role"] == "client") return i["ports"]["socks"].get<std::uint16_t>();
  }
  FAIL("no client in the loopback network");
  return 0;
}

// A config with fast polls and thresholds a short test can reach.
std::string write_config(const std::string& name, const std::string& extra) {
  std::string path = "/tmp/relaymon-alerts-" + name + "-" + std::to_string(::getpid());
  std::ofstream out(path);
  out << "poll_interval 1\n" << extra;
  return path;
}

// Listens on 127.0.0.1 with backlog 0 and never accepts; two connections
// of its own fill the accept queue, so every later SYN is dropped.
struct FullListener {
  int fd = -1;
  std::vector<int> fillers;
  std::uint16_t port = 0;
  FullListener() {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(fd, 0) == 0);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
    for (int i = 0; i < 3; ++i) {
      int f = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
      ::connect(f, reinterpret_cast<sockaddr*>(&a), sizeof a);
      fillers.push_back(f);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  ~FullListener() {
    for (int f : fillers) ::close(f);
    ::close(fd);
  }
};

// SOCKS5 CONNECT to host:port through the client; the stream stays open
// until `stop` (tor answers when the exit gives up).
void socks_connect_loop(std::uint16_t socks, std::string host, std::uint16_t port,
                        std::atomic<bool>& stop) {
  std::vector<int> open;
  while (!stop) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(socks);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
      std::string hello("\x05\x01\x00", 3);
      ::write(fd, hello.data(), hello.size());
      char reply[2];
      ::read(fd, reply, 2);
      std::string request("\x05\x01\x00\x03", 4);
      request += static_cast<char>(host.size());
      request += host;
      request += static_cast<char>(port >> 8);
      request += static_cast<char>(port & 0xff);
      ::write(fd, request.data(), request.size());
      open.push_back(fd);
    } else {
      ::close(fd);
    }
    for (int i = 0; i < 30 && !stop; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (int fd : open) ::close(fd);
}

std::vector<json> json_lines(const std::string& out) {
  // Validated against the published schemas first (a quiet watch prints
  // nothing, which is valid too).
  if (!out.empty()) CHECK(watch_schema_errors(out) == "");
  std::vector<json> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    INFO(line);
    REQUIRE_NOTHROW(lines.push_back(json::parse(line)));
  }
  return lines;
}

// A freshly started network is not yet healthy: until a relay's consensus
// lists every relay, a client's circuit can make it extend to a relay it
// cannot place (non-relay-outbound, private-address), and tor warns that it
// has no nodes to choose. Waits (up to 90 s) until the relay's index holds
// every relay of the network.
void wait_for_full_consensus(const Testnet& net, const TestnetInstance& relay) {
  long relays = 0;
  // The network's own relays; --health's extras start late, and unreach1
  // never publishes a descriptor (its ORPort cannot be reached).
  for (const auto& i : net.all()) {
    relays += i.role == "authority" || i.role == "middle" || i.role == "exit";
  }
  long indexed = 0;
  std::string last;
  for (int attempt = 0; attempt < 45 && indexed < relays; ++attempt) {
    auto snap = run_command(
        {RELAYMON_BINARY, "-c", "/dev/null", "--snapshot", "--json", "-i", endpoint(relay)});
    if (snap.exit_code == 0) {
      last = snap.out;
      auto j = json::parse(snap.out, nullptr, false);
      if (!j.is_discarded()) indexed = j["relays"][0].value("relay_index_size", 0L);
    }
    if (indexed < relays) std::this_thread::sleep_for(std::chrono::seconds(2));
  }
  INFO(relay.nickname << "'s consensus lists " << indexed << " of " << relays << " relays");
  REQUIRE(relays >= 7);
  REQUIRE(indexed >= relays);
  CHECK(snapshot_schema_errors(last) == "");
}

}  // namespace

TEST_CASE("loopback network: a healthy middle relay has no alerts (--check OK, --watch quiet)") {
  Testnet net;
  auto middle = net.instance("middle1");
  wait_for_full_consensus(net, middle);
  auto check = run_command({RELAYMON_BINARY, "-c", "/dev/null", "--check", "-i", endpoint(middle)});
  INFO(check.out << check.err);
  CHECK(check.exit_code == 0);
  CHECK(check.out.rfind("RELAYMON OK - 1 relay(s) without alerts (middle1) | conns=", 0) == 0);
  std::string config = write_config("middle", "");
  auto watch = run_command(
      {RELAYMON_BINARY, "-c", config, "--watch", "--json", "-i", endpoint(middle)}, {}, 12);
  INFO(watch.out << watch.err);
  for (const auto& line : json_lines(watch.out)) CHECK(line["type"] != "alert");
  ::unlink(config.c_str());
}

// Downloads and uploads through exit1, whose policy accepts 127.0.0.1 (the
// web server): a relay connection carrying a download is one-way by nature
// and the destination is one the operator allowed, so the exit stays quiet
// under the default configuration. (The rule's positive cases, an origin
// circuit and a whole relay out of balance, are unit tests in
// tests/analysis: an upload-only circuit on the loopback client did not
// raise it reliably within 40 s, which is left for a later look.)
TEST_CASE(
    "loopback network: an exit carrying downloads and uploads to an address its policy accepts "
    "raises nothing") {
  Testnet net;
  net.start_traffic(60);  // starts the HTTP server the transfers below use
  auto exit = net.instance("exit1");
  std::atomic<bool> stop{false};
  std::atomic<int> uploaded{0}, downloaded{0};
  std::string base =
      "http://exit1.testnet:" + std::to_string(net.state()["http"]["port"].get<int>());
  std::string socks = "127.0.0.1:" + std::to_string(socks_port(net));
  std::string file = net.state()["http"]["root"].get<std::string>() + "/4MB.bin";
  std::thread transfers([&] {
    for (int n = 0; !stop; ++n) {
      std::vector<std::string> args = {
          "curl", "-s", "-o", "/dev/null", "--limit-rate", "2M", "--socks5-hostname", socks};
      if (n % 2) {
        args.insert(args.end(), {"--upload-file", file, base + "/up"});
      } else {
        args.push_back(base + "/4MB.bin");
      }
      auto r = run_command(args, {}, 20);
      (n % 2 ? uploaded : downloaded) += r.exit_code == 0;
    }
  });
  std::string quiet = write_config("exit", "");
  // ss -i gives per-socket byte counters, the columns the rule no longer reads.
  auto watch = run_command(
      {RELAYMON_BINARY, "-c", quiet, "--watch", "--json", "--resolver", "ss", "-i", endpoint(exit)},
      {}, 40);
  stop = true;
  transfers.join();
  ::unlink(quiet.c_str());
  INFO(watch.out << watch.err);
  INFO("transfers done: " << uploaded << " up, " << downloaded << " down");
  CHECK(uploaded > 0);
  CHECK(downloaded > 0);
  CHECK(watch.exit_code == -1);  // watched the whole 40 s
  for (const auto& line : json_lines(watch.out)) CHECK(line["type"] != "alert");
  // The web server's address (an exit destination) never appears.
  std::string http = "127.0.0.1:" + std::to_string(net.state()["http"]["port"].get<int>());
  CHECK(watch.out.find(http) == std::string::npos);
}

TEST_CASE(
    "loopback network: exit connections to a port whose SYNs are dropped raise "
    "unestablished-exit naming that port") {
  Testnet net;
  auto exit = net.instance("exit1");
  FullListener listener;
  std::atomic<bool> stop{false};
  std::thread client(socks_connect_loop, socks_port(net), std::string("exit1.testnet"),
                     listener.port, std::ref(stop));
  std::string config = write_config("syn", "");
  auto watch = run_command(
      {RELAYMON_BINARY, "-c", config, "--watch", "--json", "-i", endpoint(exit)}, {}, 40);
  stop = true;
  client.join();
  ::unlink(config.c_str());
  INFO(watch.out << watch.err);
  auto lines = json_lines(watch.out);
  bool named = false;
  for (const auto& l : lines) {
    if (l["type"] == "alert" && l["id"] == "unestablished-exit" && l["change"] == "raised" &&
        l["subject"].get<std::string>() == "port " + std::to_string(listener.port)) {
      named = true;
      CHECK(l["evidence"]["policy_accepts_port"] == "no");  // only 127.0.0.1 is accepted
      CHECK(std::stoi(l["evidence"]["syn_sent"].get<std::string>()) >= 1);
    }
  }
  CHECK(named);
}

TEST_CASE("loopback network: --metrics serves every relay labelled by nickname") {
  Testnet net;
  auto exit = net.instance("exit1");
  auto middle = net.instance("middle1");
  // A free port: bind 0, read it, close (the window is tiny and loopback only).
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  std::string port = std::to_string(ntohs(a.sin_port));
  ::close(fd);
  std::thread server([&] {
    run_command({RELAYMON_BINARY, "-c", "/dev/null", "--metrics", port, "-i", endpoint(exit), "-i",
                 endpoint(middle)},
                {}, 12);
  });
  std::this_thread::sleep_for(std::chrono::seconds(8));
  auto scrape = run_command({"curl", "-sf", "http://127.0.0.1:" + port + "/metrics"}, {}, 5);
  server.join();
  INFO(scrape.out);
  REQUIRE(scrape.exit_code == 0);
  CHECK(scrape.out.find("relaymon_up{relay=\"exit1\"} 1") != std::string::npos);
  CHECK(scrape.out.find("relaymon_up{relay=\"middle1\"} 1") != std::string::npos);
  CHECK(scrape.out.find("relaymon_connections{relay=\"middle1\",category=\"inbound-relay\"}") !=
        std::string::npos);
}
