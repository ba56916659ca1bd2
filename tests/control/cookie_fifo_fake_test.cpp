// The cookie file a fake control port names is swapped between a regular
// 32-byte file and a FIFO while relaymon authenticates. Checking the path
// (stat) and then opening it by path left a window: stat saw the regular
// file, open found the FIFO and blocked until a writer came, freezing the
// event loop forever. Opening first (non-blocking) and checking the open
// descriptor (fstat) has no window. A watchdog thread unblocks a stuck open
// (by opening the FIFO for writing), so the test fails instead of hanging.
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <thread>

#include "support/controller_harness.h"
#include "support/fake_control_port.h"

using namespace relaymon;
using namespace relaymon::testing;
using namespace std::chrono_literals;

namespace {

using Clock = std::chrono::steady_clock;

struct SwapDir {
  std::string dir, cookie, other;
  SwapDir() {
    char name[] = "/tmp/relaymon-cookieswap-XXXXXX";
    REQUIRE(::mkdtemp(name) != nullptr);
    dir = name;
    cookie = dir + "/control_auth_cookie";
    other = dir + "/fifo";
    std::ofstream(cookie, std::ios::binary) << std::string(32, 'c');
    REQUIRE(::mkfifo(other.c_str(), 0600) == 0);
  }
  ~SwapDir() {
    ::unlink(cookie.c_str());
    ::unlink(other.c_str());
    ::rmdir(dir.c_str());
  }
};

}  // namespace

TEST_CASE("fake tor whose cookie file is swapped with a FIFO: never blocks, FIFO refused") {
  SwapDir files;
  std::atomic<bool> stop{false};
  std::atomic<bool> hung{false};
  std::atomic<long> attempt_started_ms{-1};  // -1: no attempt running

  // Exchanges the two names atomically, as fast as it can.
  std::thread swapper([&] {
    while (!stop) {
      ::renameat2(AT_FDCWD, files.cookie.c_str(), AT_FDCWD, files.other.c_str(), RENAME_EXCHANGE);
    }
  });
  auto now_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch())
        .count();
  };
  // An attempt that takes more than 3 s is stuck in open(): say so, and
  // give the FIFO a writer so the open returns and the test can end.
  std::thread watchdog([&] {
    while (!stop) {
      long started = attempt_started_ms;
      if (started >= 0 && now_ms() - started > 3000) {
        hung = true;
        for (const auto& path : {files.cookie, files.other}) {
          int fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
          if (fd >= 0) ::close(fd);
        }
      }
      std::this_thread::sleep_for(50ms);
    }
  });

  int saw_fifo = 0, saw_regular = 0, other = 0;
  std::string other_message;
  for (int attempt = 0; attempt < 300 && !hung; ++attempt) {
    ControllerHarness h;
    FakeControlPort fake(h.io, [&](FakeSession& s, const std::string& line) {
      if (answer_protocolinfo(s, line, "SAFECOOKIE", files.cookie)) return;
      // Knows no cookie: the proof fails, so a regular file ends here too.
      s.send("250 AUTHCHALLENGE SERVERHASH=" + std::string(64, '0') +
             " SERVERNONCE=" + std::string(64, '1') + "\r\n");
    });
    h.make(tcp_options(fake.port()));
    attempt_started_ms = now_ms();
    h.controller->start();
    h.wait_ready(20s);
    attempt_started_ms = -1;
    REQUIRE(h.fatal);
    if (h.fatal->message.find("not a regular file") != std::string::npos) {
      ++saw_fifo;
    } else if (h.fatal->kind == control::ErrorKind::kSafeCookieMismatch) {
      ++saw_regular;
    } else {
      ++other;
      other_message = h.fatal->message;
    }
  }
  stop = true;
  swapper.join();
  watchdog.join();
  INFO("FIFO refused " << saw_fifo << ", regular file read " << saw_regular << ", other " << other
                       << " (" << other_message << ")");
  CHECK_FALSE(hung);  // an open blocked on the FIFO for more than 3 s
  CHECK(saw_fifo > 0);
  CHECK(saw_regular > 0);
  CHECK(other == 0);
}
