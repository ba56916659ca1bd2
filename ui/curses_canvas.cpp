// The only file that includes curses (DESIGN.md, STYLE.md point 7).
#include "ui/curses_canvas.h"

#include <curses.h>
#include <fcntl.h>
#include <langinfo.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <atomic>
#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "ui/keys.h"

namespace relaymon::ui {

namespace {

std::atomic<bool> g_active{false};

short curses_color(Color c, bool have_default) {
  switch (c) {
    case Color::kDefault:
      return have_default ? -1 : COLOR_BLACK;
    case Color::kBlack:
      return COLOR_BLACK;
    case Color::kRed:
      return COLOR_RED;
    case Color::kGreen:
      return COLOR_GREEN;
    case Color::kYellow:
      return COLOR_YELLOW;
    case Color::kBlue:
      return COLOR_BLUE;
    case Color::kMagenta:
      return COLOR_MAGENTA;
    case Color::kCyan:
      return COLOR_CYAN;
    case Color::kWhite:
      return COLOR_WHITE;
  }
  return -1;
}

attr_t curses_attrs(std::uint8_t attrs) {
  attr_t out = A_NORMAL;
  if (attrs & kAttrBold) out |= A_BOLD;
  if (attrs & kAttrDim) out |= A_DIM;
  if (attrs & kAttrReverse) out |= A_REVERSE;
  if (attrs & kAttrUnderline) out |= A_UNDERLINE;
  return out;
}

chtype acs_glyph(Glyph g) {
  switch (g) {
    case Glyph::kHLine:
      return ACS_HLINE;
    case Glyph::kVLine:
      return ACS_VLINE;
    case Glyph::kTopLeft:
      return ACS_ULCORNER;
    case Glyph::kTopRight:
      return ACS_URCORNER;
    case Glyph::kBottomLeft:
      return ACS_LLCORNER;
    case Glyph::kBottomRight:
      return ACS_LRCORNER;
    case Glyph::kTeeLeft:
      return ACS_LTEE;
    case Glyph::kTeeRight:
      return ACS_RTEE;
    case Glyph::kBar:
      return ACS_BLOCK;
    case Glyph::kCount:
      break;
  }
  return '?';
}

int translate_key(int code) {
  switch (code) {
    case KEY_UP:
      return key::kUp;
    case KEY_DOWN:
      return key::kDown;
    case KEY_LEFT:
      return key::kLeft;
    case KEY_RIGHT:
      return key::kRight;
    case KEY_PPAGE:
      return key::kPageUp;
    case KEY_NPAGE:
      return key::kPageDown;
    case KEY_HOME:
      return key::kHome;
    case KEY_END:
      return key::kEnd;
    case KEY_DC:
      return key::kDelete;
    case KEY_BTAB:
      return key::kBackTab;
    case KEY_BACKSPACE:
      return key::kBackspace;
    case KEY_ENTER:
      return key::kEnter;
    case KEY_RESIZE:
      return key::kResize;
    default:
      return key::kNone;  // function keys and mouse: not used
  }
}

}  // namespace

bool locale_is_utf8() {
  const char* codeset = nl_langinfo(CODESET);
  return codeset != nullptr &&
         (std::strcmp(codeset, "UTF-8") == 0 || std::strcmp(codeset, "utf8") == 0);
}

CursesCanvas::CursesCanvas(int width, int height, bool ascii_glyphs, bool utf8_text,
                           const Theme& theme)
    : CellGrid(width, height, ascii_glyphs),
      ascii_glyphs_(ascii_glyphs),
      utf8_text_(utf8_text),
      theme_(theme) {}

int CursesCanvas::present() {
  const std::vector<Cell>& now = cells();
  bool full = previous_.size() != now.size() || previous_width_ != width();
  int written = 0;
  for (int y = 0; y < height(); ++y) {
    auto begin = index(0, y);
    auto end = begin + static_cast<std::size_t>(width());
    if (!full && std::equal(now.begin() + static_cast<std::ptrdiff_t>(begin),
                            now.begin() + static_cast<std::ptrdiff_t>(end),
                            previous_.begin() + static_cast<std::ptrdiff_t>(begin))) {
      continue;
    }
    write_row(y);
    ++written;
  }
  previous_ = now;
  previous_width_ = width();
  rows_written_ += written;
  return written;
}

void CursesCanvas::write_row(int y) {
  move(y, 0);
  for (int x = 0; x < width(); ++x) {
    const Cell& c = cell(x, y);
    if (c.text.empty()) continue;  // the right half of a wide character
    const Style& s = theme_.style(c.role);
    attr_t attrs = curses_attrs(s.attrs);
    short pair = theme_.color ? static_cast<short>(static_cast<int>(c.role) + 1) : 0;
    attr_set(attrs, pair, nullptr);
    // The bottom-right cell makes the cursor wrap; curses reports ERR for
    // that after writing the character, which is fine.
    // A bar is a visible character ('#', a full block), not a reverse-video
    // space: without colour, or in a `tmux capture-pane -p`, it stays a bar.
    if (c.is_glyph) {
      if (ascii_glyphs_) {
        mvaddch(y, x, static_cast<chtype>(c.text[0]));
      } else if (c.glyph == Glyph::kBar && utf8_text_) {
        mvaddstr(y, x, "\u2588");
      } else {
        mvaddch(y, x, acs_glyph(c.glyph));
      }
    } else if (utf8_text_ || static_cast<unsigned char>(c.text[0]) < 0x80) {
      mvaddstr(y, x, c.text.c_str());
    } else {
      mvaddch(y, x, '?');  // no UTF-8 in this locale
    }
  }
  attr_set(A_NORMAL, 0, nullptr);
}

struct Terminal::Screen {
  SCREEN* screen = nullptr;
  FILE* in = nullptr;
  FILE* out = nullptr;
};

Terminal::Terminal(Options options) : screen_(std::make_unique<Screen>()) {
  if (g_active.load()) throw std::logic_error("only one Terminal at a time");
  std::setlocale(LC_CTYPE, "");
  utf8_ = locale_is_utf8();
  in_fd_ = options.in_fd >= 0 ? options.in_fd : STDIN_FILENO;
  int out_fd = options.out_fd >= 0 ? options.out_fd : STDOUT_FILENO;
  // Close-on-exec copies: the tools relaymon runs must not hold the terminal.
  screen_->in = fdopen(fcntl(in_fd_, F_DUPFD_CLOEXEC, 0), "r");
  screen_->out = fdopen(fcntl(out_fd, F_DUPFD_CLOEXEC, 0), "w");
  if (screen_->in == nullptr || screen_->out == nullptr) {
    if (screen_->in) std::fclose(screen_->in);
    if (screen_->out) std::fclose(screen_->out);
    throw std::runtime_error("cannot open the terminal");
  }
  set_escdelay(25);  // Esc closes popups; don't wait a second for it
  screen_->screen =
      newterm(options.term.empty() ? nullptr : options.term.c_str(), screen_->out, screen_->in);
  if (screen_->screen == nullptr) {
    std::fclose(screen_->in);
    std::fclose(screen_->out);
    throw std::runtime_error("cannot initialise the terminal (is TERM set?)");
  }
  set_term(screen_->screen);
  g_active = true;
  static bool registered = false;
  if (!registered) {  // exit() without unwinding still restores the terminal
    std::atexit([] { Terminal::restore(); });
    registered = true;
  }
  // Terminals that ignore keypad-transmit mode (and some multiplexers)
  // send the plain CSI forms; accept both.
  static const std::pair<const char*, int> kCsiKeys[] = {
      {"\033[A", KEY_UP},     {"\033[B", KEY_DOWN},   {"\033[C", KEY_RIGHT}, {"\033[D", KEY_LEFT},
      {"\033[H", KEY_HOME},   {"\033[F", KEY_END},    {"\033[1~", KEY_HOME}, {"\033[4~", KEY_END},
      {"\033[5~", KEY_PPAGE}, {"\033[6~", KEY_NPAGE}, {"\033[3~", KEY_DC},   {"\033[Z", KEY_BTAB}};
  for (const auto& [sequence, code] : kCsiKeys) define_key(sequence, code);
  cbreak();
  noecho();
  nonl();
  keypad(stdscr, TRUE);
  nodelay(stdscr, TRUE);
  curs_set(0);
  leaveok(stdscr, TRUE);

  bool color = options.color && has_colors() && start_color() == OK;
  bool have_default = color && use_default_colors() == OK;
  theme_ = make_theme(color, want_ascii(options.ascii, utf8_));
  if (color) {
    for (int i = 0; i < kRoleCount && i + 1 < COLOR_PAIRS; ++i) {
      const Style& s = theme_.styles[static_cast<std::size_t>(i)];
      short fg = curses_color(s.fg, have_default);
      short bg = curses_color(s.bg, have_default);
      if (!have_default && s.fg == Color::kDefault) fg = COLOR_WHITE;
      init_pair(static_cast<short>(i + 1), fg, bg);
    }
  }
  // Under UTF-8 the alternate character set is drawn by ncursesw as
  // Unicode box characters, which also survives tmux and screen; without
  // UTF-8 (or with --ascii) lines are plain '-', '|' and '+'.
  canvas_ = std::make_unique<CursesCanvas>(COLS, LINES, theme_.ascii, utf8_, theme_);
}

Terminal::~Terminal() {
  restore();
  if (screen_->screen != nullptr) delscreen(screen_->screen);
  if (screen_->in) std::fclose(screen_->in);
  if (screen_->out) std::fclose(screen_->out);
}

void Terminal::restore() noexcept {
  if (g_active.exchange(false)) {
    curs_set(1);
    endwin();
  }
}

int Terminal::read_key() {
  wint_t wch = 0;
  int kind = wget_wch(stdscr, &wch);
  if (kind == ERR) return key::kNone;
  if (kind == KEY_CODE_YES) {
    int k = translate_key(static_cast<int>(wch));
    if (k == key::kResize) {
      canvas_->resize(COLS, LINES);
      canvas_->invalidate();
    }
    return k == key::kNone ? read_key() : k;
  }
  if (wch == '\r') return key::kEnter;
  if (wch == 8) return key::kBackspace;
  return static_cast<int>(wch);
}

bool Terminal::resize() {
  struct winsize ws {};
  int fd = fileno(screen_->out);
  if (ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0 || ws.ws_row == 0) return false;
  if (ws.ws_col == COLS && ws.ws_row == LINES && canvas_->width() == COLS &&
      canvas_->height() == LINES) {
    return false;
  }
  resize_to(ws.ws_col, ws.ws_row);
  return true;
}

void Terminal::resize_to(int width, int height) {
  resizeterm(height, width);
  canvas_->resize(COLS, LINES);
  canvas_->invalidate();
  clearok(stdscr, TRUE);  // the terminal may have reflowed the old frame
}

void Terminal::present() {
  canvas_->present();
  wnoutrefresh(stdscr);
  doupdate();
}

}  // namespace relaymon::ui
