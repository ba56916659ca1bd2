#include "ui/role.h"

namespace relaymon::ui {

Role flag_role(std::string_view flag) {
  if (flag == "Running") return Role::kFlagRunning;
  if (flag == "Valid") return Role::kFlagValid;
  if (flag == "Guard") return Role::kFlagGuard;
  if (flag == "Exit") return Role::kFlagExit;
  if (flag == "Fast") return Role::kFlagFast;
  if (flag == "Stable") return Role::kFlagStable;
  if (flag == "HSDir") return Role::kFlagHsDir;
  if (flag == "V2Dir") return Role::kFlagV2Dir;
  if (flag == "Authority") return Role::kFlagAuthority;
  if (flag == "BadExit") return Role::kFlagBadExit;
  return Role::kFlagOther;
}

std::string_view glyph_text(Glyph glyph, bool ascii) {
  switch (glyph) {
    case Glyph::kHLine:
      return ascii ? "-" : "\u2500";
    case Glyph::kVLine:
      return ascii ? "|" : "\u2502";
    case Glyph::kTopLeft:
      return ascii ? "+" : "\u250c";
    case Glyph::kTopRight:
      return ascii ? "+" : "\u2510";
    case Glyph::kBottomLeft:
      return ascii ? "+" : "\u2514";
    case Glyph::kBottomRight:
      return ascii ? "+" : "\u2518";
    case Glyph::kTeeLeft:
      return ascii ? "+" : "\u251c";
    case Glyph::kTeeRight:
      return ascii ? "+" : "\u2524";
    case Glyph::kBar:
      return ascii ? "#" : "\u2588";
    case Glyph::kCount:
      break;
  }
  return "?";
}

}  // namespace relaymon::ui
