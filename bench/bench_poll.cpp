// One whole poll of relaymon's steady state on real TCP sockets on
// loopback: tor's sockets from netlink sock_diag (the default resolver; the
// /proc tables for comparison),
// classification and scrubbing, the per-connection tracker, and the
// Snapshot handed to the presenters. relaymon polls every 5 s, so "under 2%
// of one core" means under 100 ms of CPU per iteration here.
//
// The "tor" is this process. Its descriptor limit here is 20,000 (the hard
// limit of this machine), so it holds 19,000 sockets, and a child process
// holds 12,000 more: the kernel's tables the poll reads hold 31,000 sockets
// in all, of which 19,000 are "tor's" to classify.
#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <vector>

#include "model/classify.h"
#include "model/connection_tracker.h"
#include "model/assemble.h"
#include "model/relay_state.h"
#include "system/proc_reader.h"
#include "system/resolvers.h"
#include "system/sock_diag_reader.h"

namespace {

using namespace relaymon;

// 15,000 accepted loopback connections: 30,000 sockets, plus the listener.
struct LoopbackSockets {
  int listener = -1;
  std::uint16_t port = 0;
  std::vector<int> fds;

  explicit LoopbackSockets(int pairs) {
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < static_cast<rlim_t>(pairs * 2 + 64)) {
      throw std::runtime_error("descriptor limit too low for the benchmark");
    }
    listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(listener, 4096);
    socklen_t length = sizeof address;
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
    port = ntohs(address.sin_port);
    for (int i = 0; i < pairs; ++i) {
      int client = ::socket(AF_INET, SOCK_STREAM, 0);
      if (::connect(client, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        throw std::runtime_error("connect failed");
      }
      int server = ::accept(listener, nullptr, nullptr);
      fds.push_back(client);
      fds.push_back(server);
    }
  }
  ~LoopbackSockets() {
    for (int fd : fds) ::close(fd);
    ::close(listener);
  }
};

// Other sockets on the host, in a child that sleeps until killed.
pid_t spawn_other_sockets(int pairs) {
  int ready[2];
  if (::pipe(ready) != 0) throw std::runtime_error("pipe failed");
  pid_t child = ::fork();
  if (child == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the benchmark
    int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, 1);
    ::dup2(devnull, 2);
    LoopbackSockets others(pairs);
    (void)!::write(ready[1], "x", 1);
    ::pause();
    _exit(0);
  }
  char c;
  (void)!::read(ready[0], &c, 1);
  ::close(ready[0]);
  ::close(ready[1]);
  return child;
}

// One set of sockets for every benchmark here (two would pass the limit).
const LoopbackSockets& tor_sockets() {
  static pid_t others = spawn_other_sockets(6000);
  static LoopbackSockets sockets(9500);
  (void)others;  // killed with the process group when the benchmark ends
  return sockets;
}

// The whole poll with the sockets from `collect` (the resolver).
template <typename Collect>
void steady_state_poll(benchmark::State& state, Collect collect) {
  const LoopbackSockets& sockets = tor_sockets();
  model::ClassifyContext context;
  context.listeners = {{"or", {"127.0.0.1", sockets.port}}};
  model::ConnectionTracker tracker;
  model::RelayState relay;
  model::PollResult poll;
  std::size_t seen = 0;
  for (auto _ : state) {
    system::ResolveResult result = collect();
    context.now = model::Clock::now();
    auto connections = model::classify(result.sockets, context);
    tracker.update(connections, context.now);
    poll.connections = std::move(connections);
    model::Snapshot snapshot = model::assemble(relay, poll, context.now, "bench");
    seen = snapshot.connections.size();
    benchmark::DoNotOptimize(snapshot);
  }
  state.counters["tor_sockets"] = static_cast<double>(seen);
}

// The default resolver (netlink sock_diag), its session (netlink socket,
// descriptor cache) kept between polls as NetlinkResolver keeps it.
void BM_SteadyStatePoll(benchmark::State& state) {
  system::NetlinkSession session;
  steady_state_poll(state, [&] { return system::collect_from_netlink(::getpid(), session); });
}
BENCHMARK(BM_SteadyStatePoll)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

// The same poll through the /proc tables (the fallback resolver).
void BM_SteadyStatePollProc(benchmark::State& state) {
  steady_state_poll(state, [] { return system::collect_from_proc(::getpid()); });
}
BENCHMARK(BM_SteadyStatePollProc)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

// The collection parts alone, to show where the poll's time goes.
void BM_SteadyStateNetlinkOnly(benchmark::State& state) {
  tor_sockets();
  system::NetlinkSession session;
  for (auto _ : state) {
    system::ResolveResult result = system::collect_from_netlink(::getpid(), session);
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_SteadyStateNetlinkOnly)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

void BM_SteadyStateProcOnly(benchmark::State& state) {
  tor_sockets();
  for (auto _ : state) {
    system::ResolveResult result = system::collect_from_proc(::getpid());
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_SteadyStateProcOnly)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

// Listing tor's /proc/PID/fd with one readlink per descriptor (both
// resolvers do it to learn which sockets are tor's).
void BM_SteadyStateFdScan(benchmark::State& state) {
  tor_sockets();
  for (auto _ : state) {
    system::FdScan scan = system::scan_fds(0);
    benchmark::DoNotOptimize(scan);
  }
}
BENCHMARK(BM_SteadyStateFdScan)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

}  // namespace
