// The curses backend on a real pseudo-terminal: init, drawing only changed
// rows, keys, resize, and the terminal restored afterwards.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "ui/curses_canvas.h"
#include "ui/keys.h"

using namespace relaymon::ui;

namespace {

struct Pty {
  int master = -1;
  int slave = -1;
  Pty(int cols, int rows) {
    struct winsize ws {};
    ws.ws_col = static_cast<unsigned short>(cols);
    ws.ws_row = static_cast<unsigned short>(rows);
    REQUIRE(openpty(&master, &slave, nullptr, nullptr, &ws) == 0);
    fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
  }
  ~Pty() {
    close(master);
    close(slave);
  }
  // Everything the program wrote to the terminal so far.
  std::string drain() {
    std::string out;
    char buf[4096];
    for (int idle = 0; idle < 3;) {
      ssize_t n = read(master, buf, sizeof buf);
      if (n > 0) {
        out.append(buf, static_cast<std::size_t>(n));
        idle = 0;
      } else {
        ++idle;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    }
    return out;
  }
  void type(const std::string& keys) {
    REQUIRE(write(master, keys.data(), keys.size()) == static_cast<ssize_t>(keys.size()));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
};

Terminal::Options options(const Pty& pty) {
  Terminal::Options o;
  o.color = true;
  o.in_fd = pty.slave;
  o.out_fd = pty.slave;
  o.term = "xterm-256color";
  return o;
}

}  // namespace

TEST_CASE("curses terminal on a pty: draws, redraws only changed rows", "[ui][curses]") {
  Pty pty(20, 6);
  std::string output;
  {
    Terminal term(options(pty));
    CursesCanvas& canvas = term.canvas();
    CHECK(canvas.width() == 20);
    CHECK(canvas.height() == 6);
    canvas.put(0, 0, "hello", Role::kTitle);
    canvas.put(0, 2, "evil\x1b[31mX", Role::kNormal);
    term.present();
    CHECK(canvas.rows_written() == 6);  // the first frame writes every row
    output += pty.drain();
    CHECK(output.find("hello") != std::string::npos);
    // Text never reaches the terminal with its escape byte.
    CHECK(output.find("evil?[31mX") != std::string::npos);

    CHECK(canvas.present() == 0);  // nothing changed
    canvas.put(0, 4, "x", Role::kNormal);
    CHECK(canvas.present() == 1);
    canvas.invalidate();
    CHECK(canvas.present() == 6);
  }
  output += pty.drain();
  // endwin leaves the alternate screen (xterm's rmcup).
  CHECK(output.find("\x1b[?1049l") != std::string::npos);
}

TEST_CASE("curses terminal reads keys without blocking", "[ui][curses]") {
  setenv("LC_ALL", "C.UTF-8", 1);  // Debian always has C.UTF-8
  Pty pty(20, 6);
  Terminal term(options(pty));
  CHECK(term.read_key() == key::kNone);
  pty.type("q");
  CHECK(term.read_key() == 'q');
  CHECK(term.read_key() == key::kNone);
  pty.type("\x1bOA\x1b[D\r\x1b[6~");  // keypad-mode up, plain CSI left
  CHECK(term.read_key() == key::kUp);
  CHECK(term.read_key() == key::kLeft);
  CHECK(term.read_key() == key::kEnter);
  CHECK(term.read_key() == key::kPageDown);
  pty.type("\xc3\xa9");  // UTF-8 input arrives as one code point
  REQUIRE(term.utf8());
  CHECK(term.read_key() == 0xE9);
  pty.drain();
}

TEST_CASE("curses terminal follows a resize", "[ui][curses]") {
  Pty pty(20, 6);
  Terminal term(options(pty));
  CHECK_FALSE(term.resize());  // same size: nothing to do
  struct winsize ws {};
  ws.ws_col = 33;
  ws.ws_row = 9;
  REQUIRE(ioctl(pty.master, TIOCSWINSZ, &ws) == 0);
  CHECK(term.resize());
  CHECK(term.canvas().width() == 33);
  CHECK(term.canvas().height() == 9);
  term.canvas().put(0, 8, "bottom line", Role::kNormal);
  term.present();
  CHECK(pty.drain().find("bottom line") != std::string::npos);
  term.resize_to(10, 3);
  CHECK(term.canvas().width() == 10);
  CHECK(term.canvas().height() == 3);
}

TEST_CASE("Terminal::restore is idempotent and the terminal can start again", "[ui][curses]") {
  Pty pty(20, 6);
  {
    Terminal term(options(pty));
    Terminal::restore();
    Terminal::restore();  // a second call (signal path, then destructor) is harmless
  }
  Terminal again(options(pty));
  CHECK(again.canvas().width() == 20);
  pty.drain();
}

TEST_CASE("monochrome and ASCII terminal options", "[ui][curses]") {
  Pty pty(20, 6);
  Terminal::Options o = options(pty);
  o.color = false;
  o.ascii = true;
  Terminal term(o);
  CHECK_FALSE(term.theme().color);
  CHECK(term.theme().ascii);
  term.canvas().box(0, 0, 5, 3, Role::kDim);
  term.present();
  std::string out = pty.drain();
  CHECK(out.find("+---+") != std::string::npos);
}
