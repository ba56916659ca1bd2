// Semantic roles: panels say what a piece of text is, the Theme says how it
// looks (colour, bold, reverse). One table, a monochrome fallback, and tests
// can check roles without knowing colours (htop's CRT.h idea).
#pragma once

#include <cstdint>
#include <string_view>

namespace relaymon::ui {

enum class Role : std::uint8_t {
  kNormal,
  kDim,
  kTitle,
  kLabel,
  kValue,
  kGood,
  kWarning,
  kCritical,
  kAccent,
  kSelection,
  kKey,     // a key name in hints and help
  kBanner,  // the disconnected / paused banner
  kGraphRead,
  kGraphWrite,
  kFlagRunning,
  kFlagValid,
  kFlagGuard,
  kFlagExit,
  kFlagFast,
  kFlagStable,
  kFlagHsDir,
  kFlagV2Dir,
  kFlagAuthority,
  kFlagBadExit,
  kFlagOther,
  kCount,
};

inline constexpr int kRoleCount = static_cast<int>(Role::kCount);

// The role a consensus flag is drawn with ("Guard" -> kFlagGuard).
Role flag_role(std::string_view flag);

// Box drawing and graph cells: each backend shows them as UTF-8, the
// terminal's alternate character set, or ASCII.
enum class Glyph : std::uint8_t {
  kHLine,
  kVLine,
  kTopLeft,
  kTopRight,
  kBottomLeft,
  kBottomRight,
  kTeeLeft,   // |-  (a vertical line with a branch to the right)
  kTeeRight,  // -|
  kBar,       // a full graph cell
  kCount,
};

// How a glyph looks in UTF-8 and in plain ASCII.
std::string_view glyph_text(Glyph glyph, bool ascii);

}  // namespace relaymon::ui
