#include "panels/interpreter.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "text/text.h"
#include "text/utf8.h"
#include "ui/line_editor.h"
#include "ui/text.h"

namespace relaymon::panels {

using ui::Role;

namespace {

using text::upper;

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  return text::istarts_with(s, prefix);
}

// The first word of each line ("ns/id/* -- Brief summary ...",
// "ORPort LineList"); empty lines and the data block's "." are skipped.
std::vector<std::string> first_words(const std::string& text) {
  std::vector<std::string> out;
  for (const std::string& line : text::split_lines(text, false)) {
    auto words = text::split_words(line);
    if (words.empty() || words[0] == ".") continue;
    out.push_back(std::move(words[0]));
  }
  return out;
}

template <typename T>
void push_bounded(std::deque<T>& ring, T value, std::size_t limit) {
  ring.push_back(std::move(value));
  while (ring.size() > limit) ring.pop_front();
}

void add_line(InterpreterView& view, TranscriptLine::Kind kind, std::string_view text) {
  push_bounded(view.transcript, TranscriptLine{kind, ui::sanitize(text)},
               InterpreterView::kTranscriptLimit);
  // A reader scrolled up keeps looking at the same lines.
  if (view.scroll.top > 0) {
    view.scroll.top = std::min(view.scroll.top + 1, static_cast<int>(view.transcript.size()) - 1);
  }
}

std::string common_prefix(const std::vector<std::string>& words) {
  if (words.empty()) return {};
  std::string prefix = words[0];
  for (const std::string& w : words) {
    std::size_t n = 0;
    while (n < prefix.size() && n < w.size() && text::lower(prefix[n]) == text::lower(w[n])) {
      ++n;
    }
    prefix.resize(n);
  }
  return prefix;
}

constexpr std::size_t kInputLimit = 4096;
constexpr std::size_t kListedCandidates = 40;

// relaymon's own commands (nyx's interpreter has the same three): they
// start with '/', which no control-port command does, and only /info
// reaches tor (as GETINFO).
void relaymon_command(InterpreterView& view, const std::vector<std::string>& words, Outcome& out) {
  std::string command = text::lower(words[0]);
  if (command == "/help") {
    add_info(view, "relaymon's commands: /help this list; /info KEY... sends GETINFO KEY (tab");
    add_info(view, "completes keys after GETINFO); /events lists the events subscribed here and");
    add_info(view, "how many arrived. Anything else goes to tor as typed (tor's own HELP does not");
    add_info(view, "exist: GETINFO info/names lists what it answers). QUIT is refused.");
    return;
  }
  if (command == "/info") {
    if (words.size() < 2) {
      add_info(view, "/info needs a key, e.g. /info version (GETINFO info/names lists them)");
      return;
    }
    std::string keys;
    for (std::size_t i = 1; i < words.size(); ++i) keys += " " + words[i];
    out.request = Request{Request::Kind::kRawCommand, "GETINFO" + keys};
    return;
  }
  if (command == "/events") {
    long events = std::count_if(
        view.transcript.begin(), view.transcript.end(),
        [](const TranscriptLine& l) { return l.kind == TranscriptLine::Kind::kEvent; });
    add_info(view, view.events.empty()
                       ? "no events subscribed here (SETEVENTS CIRC STREAM ... subscribes)"
                       : fmt::format("subscribed here: {}; {} event line{} in the transcript",
                                     text::join(view.events, " "), events, events == 1 ? "" : "s"));
    return;
  }
  add_info(view, fmt::format("unknown command {} (/help lists relaymon's commands)", words[0]));
}

void submit(InterpreterView& view, Outcome& out) {
  std::string line = view.input;
  auto words = text::split_words(line);
  view.history_pos = -1;
  view.draft.clear();
  if (words.empty()) {
    view.input.clear();
    view.cursor = 0;
    return;
  }
  if (view.history.empty() || view.history.back() != line) {
    push_bounded(view.history, line, InterpreterView::kHistoryLimit);
  }
  view.input.clear();
  view.cursor = 0;
  view.scroll.top = 0;
  add_line(view, TranscriptLine::Kind::kCommand, line);
  if (words[0][0] == '/') {
    relaymon_command(view, words, out);
    return;
  }
  // QUIT on relaymon's own connection would cut every page off from tor.
  if (upper(words[0]) == "QUIT") {
    add_info(view, "not sent: QUIT would close relaymon's control connection (q quits relaymon)");
    return;
  }
  if (upper(words[0]) == "SETEVENTS") {
    // The events asked for here (the app merges them into relaymon's own
    // subscription and reports names tor refused).
    view.events.clear();
    for (std::size_t i = 1; i < words.size(); ++i) {
      if (upper(words[i]) != "EXTENDED") view.events.push_back(upper(words[i]));
    }
  }
  out.request = Request{Request::Kind::kRawCommand, line};
}

void recall(InterpreterView& view, int delta) {
  int size = static_cast<int>(view.history.size());
  if (size == 0) return;
  if (view.history_pos < 0) {
    if (delta > 0) return;
    view.draft = view.input;
    view.history_pos = size - 1;
  } else {
    view.history_pos += delta;
    if (view.history_pos < 0) view.history_pos = 0;
    if (view.history_pos >= size) {
      view.history_pos = -1;
      view.input = view.draft;
      view.cursor = view.input.size();
      return;
    }
  }
  view.input = view.history[static_cast<std::size_t>(view.history_pos)];
  view.cursor = view.input.size();
}

// Up and Page Up show older lines: more skipped from the newest. While
// typing, Up and Down recall history, so only the page keys scroll.
bool scroll_key(InterpreterView& view, int key, bool lines = false) {
  int mirrored = 0;
  if (key == ui::key::kPageUp) mirrored = ui::key::kPageDown;
  if (key == ui::key::kPageDown) mirrored = ui::key::kPageUp;
  if (lines && key == ui::key::kUp) mirrored = ui::key::kDown;
  if (lines && key == ui::key::kDown) mirrored = ui::key::kUp;
  if (mirrored == 0) return false;
  view.scroll.scroll(mirrored, static_cast<int>(view.transcript.size()));
  return true;
}

Outcome typing_key(InterpreterView& view, int key) {
  Outcome out;
  out.handled = true;
  switch (key) {
    case ui::key::kEnter:
      submit(view, out);
      break;
    case ui::key::kEscape:
      view.typing = false;
      out.message = "left the interpreter input: page keys work again (enter types again)";
      break;
    case ui::key::kTab:
      complete(view);
      break;
    case ui::key::kBackTab:
      break;  // consumed: no relay switching while typing
    case ui::key::kLeft:
    case ui::key::kRight:
      // With nothing typed the arrows switch pages, as on every other page.
      if (view.input.empty()) {
        out.handled = false;
      } else {
        ui::edit_line(view.input, view.cursor, key, kInputLimit);
      }
      break;
    case ui::key::kUp:
      recall(view, -1);
      break;
    case ui::key::kDown:
      recall(view, 1);
      break;
    default:
      if (scroll_key(view, key)) break;
      ui::edit_line(view.input, view.cursor, key, kInputLimit);
      break;  // other control keys are swallowed: they are not page keys here
  }
  return out;
}

}  // namespace

const std::vector<std::string>& control_commands() {
  static const std::vector<std::string> kCommands{
      "ADD_ONION",
      "ATTACHSTREAM",
      "AUTHCHALLENGE",
      "AUTHENTICATE",
      "CLOSECIRCUIT",
      "CLOSESTREAM",
      "DEL_ONION",
      "DROPGUARDS",
      "DROPOWNERSHIP",
      "DROPTIMEOUTS",
      "EXTENDCIRCUIT",
      "GETCONF",
      "GETINFO",
      "HSFETCH",
      "HSPOST",
      "LOADCONF",
      "MAPADDRESS",
      "ONION_CLIENT_AUTH_ADD",
      "ONION_CLIENT_AUTH_REMOVE",
      "ONION_CLIENT_AUTH_VIEW",
      "POSTDESCRIPTOR",
      "PROTOCOLINFO",
      "QUIT",
      "REDIRECTSTREAM",
      "RESETCONF",
      "RESOLVE",
      "SAVECONF",
      "SETCIRCUITPURPOSE",
      "SETCONF",
      "SETEVENTS",
      "SIGNAL",
      "TAKEOWNERSHIP",
      "USEFEATURE",
  };
  return kCommands;
}

std::vector<std::string> completion_words(const std::string& info_names,
                                          const std::string& config_names,
                                          const std::string& events_names,
                                          const std::string& signal_names) {
  std::vector<std::string> out = control_commands();
  for (std::string key : first_words(info_names)) {
    // "ns/id/*" stands for "ns/id/<fingerprint>": offer the prefix.
    if (key.size() >= 2 && key.compare(key.size() - 2, 2, "/*") == 0) key.pop_back();
    out.push_back("GETINFO " + key);
  }
  for (const std::string& option : first_words(config_names)) {
    for (const char* command : {"GETCONF ", "SETCONF ", "RESETCONF "}) {
      out.push_back(command + option);
    }
  }
  for (const std::string& event : text::split_words(events_names))
    out.push_back("SETEVENTS " + event);
  for (const std::string& signal : text::split_words(signal_names))
    out.push_back("SIGNAL " + signal);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// The word before the cursor is completed from the phrases of the line's
// command: the first word from the command words, a later word from
// "<COMMAND> <word>" (so "SETEVENTS CIRC ST<tab>" offers events again).
// Matching ignores case and the candidate's own spelling replaces the
// word. One candidate: it is taken, followed by a space unless it is a
// prefix key ("ns/id/"); several: their common prefix is taken and an info
// line lists them.
std::vector<std::string> complete(InterpreterView& view) {
  std::size_t start = view.cursor;
  while (start > 0 && !std::isspace(static_cast<unsigned char>(view.input[start - 1]))) --start;
  std::string word = view.input.substr(start, view.cursor - start);
  auto before = text::split_words(std::string_view(view.input).substr(0, start));

  std::vector<std::string> candidates;
  auto consider = [&](const std::string& phrase) {
    std::string_view rest = phrase;
    if (before.empty()) {
      if (phrase.find(' ') != std::string::npos) return;
    } else {
      std::string head = upper(before[0]) + " ";
      if (!starts_with_nocase(phrase, head)) return;
      rest.remove_prefix(head.size());
    }
    if (starts_with_nocase(rest, word)) candidates.emplace_back(rest);
  };
  for (const std::string& c : control_commands()) consider(c);
  for (const std::string& c : view.completions) consider(c);
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  if (candidates.empty()) return candidates;

  std::string replacement = candidates.size() == 1 ? candidates[0] : common_prefix(candidates);
  bool at_end = view.cursor == view.input.size();
  if (candidates.size() == 1 && at_end && replacement.back() != '/') replacement += ' ';
  view.input.replace(start, word.size(), replacement);
  view.cursor = start + replacement.size();
  if (candidates.size() > 1) {
    std::string list;
    for (std::size_t i = 0; i < candidates.size() && i < kListedCandidates; ++i) {
      list += (i ? " " : "") + candidates[i];
    }
    if (candidates.size() > kListedCandidates) {
      list += fmt::format(" ... ({} more)", candidates.size() - kListedCandidates);
    }
    add_info(view, list);
  }
  return candidates;
}

std::optional<std::vector<std::string>> setevents_list(const std::string& line) {
  auto words = text::split_words(line);
  if (words.empty() || upper(words[0]) != "SETEVENTS") return std::nullopt;
  std::vector<std::string> events;
  for (std::size_t i = 1; i < words.size(); ++i) events.push_back(upper(words[i]));
  return events;
}

void add_reply(InterpreterView& view, const std::vector<std::string>& lines, bool error) {
  for (const std::string& line : lines) {
    add_line(view, error ? TranscriptLine::Kind::kError : TranscriptLine::Kind::kReply, line);
  }
}

void add_event(InterpreterView& view, std::string line) {
  add_line(view, TranscriptLine::Kind::kEvent, line);
}

void add_info(InterpreterView& view, std::string line) {
  add_line(view, TranscriptLine::Kind::kInfo, line);
}

void add_error(InterpreterView& view, std::string line) {
  add_line(view, TranscriptLine::Kind::kError, line);
}

namespace {

Role line_role(TranscriptLine::Kind kind) {
  switch (kind) {
    case TranscriptLine::Kind::kCommand:
      return Role::kTitle;
    case TranscriptLine::Kind::kReply:
      return Role::kNormal;
    case TranscriptLine::Kind::kEvent:
      return Role::kAccent;
    case TranscriptLine::Kind::kError:
      return Role::kCritical;
    case TranscriptLine::Kind::kInfo:
      return Role::kDim;
  }
  return Role::kNormal;
}

// ">>> GETINFO ver_" with the cursor cell reversed; a long line scrolls so
// the cursor stays visible.
void draw_input(const InterpreterView& view, ui::Canvas& canvas, int y) {
  int w = canvas.width();
  int x = canvas.put(0, y, ">>> ", view.typing ? Role::kKey : Role::kDim);
  if (!view.typing) {
    std::string idle = view.input.empty() ? "(enter to type a command)"
                                          : ui::sanitize(view.input) + "  (enter to type)";
    if (x < w) canvas.put(x, y, ui::ellipsize(idle, w - x), Role::kDim);
    return;
  }
  ui::draw_line(canvas, x, y, view.input, view.cursor);
}

}  // namespace

// Interpreter (5 lines; esc leaves the input):
// > GETINFO version
// 250-version=0.4.9.11
// 250 OK
// >>> GETCONF ORP_
void draw_interpreter(const model::Snapshot& /*snapshot*/, const InterpreterView& view,
                      ui::Canvas& canvas) {
  int w = canvas.width();
  int h = canvas.height();
  if (h < 1 || w < 1) return;
  std::string title =
      fmt::format("Interpreter ({} line{}{}; {}):", view.transcript.size(),
                  view.transcript.size() == 1 ? "" : "s",
                  view.scroll.top > 0 ? fmt::format(", {} newer below", view.scroll.top) : "",
                  view.typing ? "esc leaves the input" : "enter types");
  canvas.put(0, 0, ui::ellipsize(title, w), Role::kTitle);
  if (h < 2) return;
  draw_input(view, canvas, h - 1);
  int rows = h - 2;
  if (rows < 1) return;
  if (view.transcript.empty()) {
    canvas.put(0, 1, ui::ellipsize("type a command, e.g. GETINFO version (tab completes)", w),
               Role::kDim);
    return;
  }
  // Newest at the bottom: wrap entries from the newest up until the rows
  // are full.
  std::vector<std::pair<std::string, Role>> shown;  // bottom first
  int newest = static_cast<int>(view.transcript.size()) - 1 - std::max(0, view.scroll.top);
  for (int i = std::max(-1, newest); i >= 0 && static_cast<int>(shown.size()) < rows; --i) {
    const TranscriptLine& line = view.transcript[static_cast<std::size_t>(i)];
    std::string text = line.kind == TranscriptLine::Kind::kCommand ? "> " + line.text : line.text;
    auto wrapped = ui::wrap(text, w);
    for (auto it = wrapped.rbegin(); it != wrapped.rend() && static_cast<int>(shown.size()) < rows;
         ++it) {
      shown.emplace_back(ui::fit(*it, w), line_role(line.kind));
    }
  }
  int y = h - 2;
  for (const auto& [text, role] : shown) canvas.put(0, y--, text, role);
}

const std::vector<ui::Action>& interpreter_actions() {
  static const std::vector<ui::Action> kActions{
      {"run", "enter", "send the line to tor's control port (QUIT is refused)"},
      {"complete", "tab", "complete commands, GETINFO keys, options, events, signals"},
      {"history", "up/down", "recall earlier commands"},
      {"edit", "left/right home/end", "move in the line (^U clears it)"},
      {"scroll", "pgup/pgdn", "scroll the replies"},
      {"leave input", "esc", "page keys (1-7, q, h) work again; enter types again"},
      {"pages", "left/right", "with an empty line: switch pages"},
  };
  return kActions;
}

void layout_interpreter(InterpreterView& view, int /*width*/, int height) {
  // A title above the transcript, the input line below it.
  view.scroll.fit_window(static_cast<int>(view.transcript.size()), height - 2);
}

Outcome handle_interpreter_key(InterpreterView& view, int key) {
  if (view.typing) return typing_key(view, key);
  Outcome out;
  out.handled = true;
  if (key == ui::key::kEnter) {
    view.typing = true;
  } else if (!scroll_key(view, key, true)) {
    out.handled = false;
  }
  return out;
}

}  // namespace relaymon::panels
