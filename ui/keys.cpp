#include "ui/keys.h"

#include <fmt/format.h>

namespace relaymon::ui {

std::string key_name(int k) {
  switch (k) {
    case key::kNone:
      return "none";
    case key::kTab:
      return "tab";
    case key::kEnter:
      return "enter";
    case key::kEscape:
      return "esc";
    case key::kBackspace:
      return "backspace";
    case key::kUp:
      return "up";
    case key::kDown:
      return "down";
    case key::kLeft:
      return "left";
    case key::kRight:
      return "right";
    case key::kPageUp:
      return "pgup";
    case key::kPageDown:
      return "pgdn";
    case key::kHome:
      return "home";
    case key::kEnd:
      return "end";
    case key::kDelete:
      return "delete";
    case key::kBackTab:
      return "shift-tab";
    case key::kResize:
      return "resize";
    default:
      break;
  }
  if (k > 32 && k < 127) return std::string(1, static_cast<char>(k));
  if (k == ' ') return "space";
  return fmt::format("key {}", k);
}

}  // namespace relaymon::ui
