// The interpreter page: raw control-port commands typed by the user, their
// replies and the events they subscribed to, with history and tab
// completion (nyx's interpreter panel is the model). The panel never talks
// to tor: Enter returns Request{kRawCommand, line}, and the app feeds the
// answers back with add_reply / add_event / add_info. The app also fills
// `completions` once, from completion_words() over GETINFO info/names,
// config/names, events/names and signal/names.
//
// While `typing` is set every key edits the input line (so '1'..'7', 'q' and
// 'h' are text there); Esc leaves the input and the page keys work again,
// Enter starts typing again. Left/Right with an empty line still switch
// pages, as in nyx.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "model/snapshot.h"
#include "panels/request.h"
#include "ui/canvas.h"
#include "ui/keys.h"
#include "ui/list_cursor.h"

namespace relaymon::panels {

struct TranscriptLine {
  enum class Kind { kCommand, kReply, kEvent, kError, kInfo };
  Kind kind;
  std::string text;  // already sanitised
  bool operator==(const TranscriptLine&) const = default;
};

struct InterpreterView {
  static constexpr std::size_t kHistoryLimit = 500;
  static constexpr std::size_t kTranscriptLimit = 2000;

  bool typing = true;                     // keys edit the input line
  std::string input;                      // UTF-8, as typed
  std::size_t cursor = 0;                 // byte offset into input, on a code point boundary
  std::deque<std::string> history;        // oldest first, no adjacent duplicates
  int history_pos = -1;                   // index while recalling, -1 otherwise
  std::string draft;                      // the unfinished line kept while recalling
  std::deque<TranscriptLine> transcript;  // oldest first
  // top: transcript lines skipped from the newest (the transcript reads
  // from the bottom, so Page Up shows older lines by raising it).
  ui::ListCursor scroll;
  // "GETINFO version", "SETEVENTS CIRC", "SIGNAL RELOAD", "GETINFO" ...:
  // filled by the app from completion_words(). The command words are
  // always offered, even before it is filled.
  std::vector<std::string> completions;
  std::vector<std::string> events;  // the last SETEVENTS typed here, for /events
};

// Turns the values of GETINFO info/names, config/names, events/names and
// signal/names into completion phrases: "GETINFO <key>" (a wildcard key
// "ns/id/*" becomes the prefix "ns/id/"), "GETCONF|SETCONF|RESETCONF
// <option>", "SETEVENTS <event>", "SIGNAL <signal>", and the bare command
// words. Any of the texts may be empty; CRLF or LF line ends both work.
// Sorted, without duplicates.
std::vector<std::string> completion_words(const std::string& info_names,
                                          const std::string& config_names,
                                          const std::string& events_names,
                                          const std::string& signal_names);

// The control-port commands tor 0.4.9 knows (control-spec.txt section 3).
const std::vector<std::string>& control_commands();

// Completes the word before the cursor (see the .cpp for the rules);
// returns the candidates that matched (several: the line got their common
// prefix and an info line lists them).
std::vector<std::string> complete(InterpreterView& view);

// The events of a "SETEVENTS ..." line, upper-cased (tor replaces the whole
// set on SETEVENTS: the app merges these with its own subscriptions and
// shows them with add_event); nullopt for any other command.
std::optional<std::vector<std::string>> setevents_list(const std::string& line);

// What the app calls when answers come. Text is sanitised here.
void add_reply(InterpreterView& view, const std::vector<std::string>& lines, bool error);
void add_event(InterpreterView& view, std::string line);
void add_info(InterpreterView& view, std::string line);
void add_error(InterpreterView& view, std::string line);

void draw_interpreter(const model::Snapshot& snapshot, const InterpreterView& view,
                      ui::Canvas& canvas);

const std::vector<ui::Action>& interpreter_actions();
Outcome handle_interpreter_key(InterpreterView& view, int key);
void layout_interpreter(InterpreterView& view, int width, int height);

}  // namespace relaymon::panels
