// Key codes shared by the curses backend and the panels: printable keys
// are their Unicode code points; special keys live above the Unicode range
// so panels never need curses' KEY_* constants.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace relaymon::ui {

namespace key {
inline constexpr int kNone = -1;  // nothing to read
inline constexpr int kTab = '\t';
inline constexpr int kEnter = '\n';
inline constexpr int kEscape = 27;
inline constexpr int kBackspace = 127;
inline constexpr int kSpecial = 0x110000;
inline constexpr int kUp = kSpecial + 1;
inline constexpr int kDown = kSpecial + 2;
inline constexpr int kLeft = kSpecial + 3;
inline constexpr int kRight = kSpecial + 4;
inline constexpr int kPageUp = kSpecial + 5;
inline constexpr int kPageDown = kSpecial + 6;
inline constexpr int kHome = kSpecial + 7;
inline constexpr int kEnd = kSpecial + 8;
inline constexpr int kDelete = kSpecial + 9;
inline constexpr int kBackTab = kSpecial + 10;
inline constexpr int kResize = kSpecial + 11;  // the terminal changed size
}  // namespace key

// A named thing the user can do; pages declare theirs and the help screen
// is generated from the declarations, so help and behaviour cannot drift.
struct Action {
  std::string name;        // "sort"
  std::string keys_label;  // "s"
  std::string description;
};

// "a" for 'a', "up" for key::kUp, ... (for messages and tests).
std::string key_name(int k);

}  // namespace relaymon::ui
