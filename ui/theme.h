// How each semantic role looks: one table, no curses types (the curses
// backend translates). A monochrome theme uses only bold, dim, reverse and
// underline, so every state stays distinguishable without colour.
#pragma once

#include <array>
#include <cstdint>

#include "ui/role.h"

namespace relaymon::ui {

enum class Color : std::int8_t {
  kDefault = -1,  // the terminal's own colour (use_default_colors)
  kBlack,
  kRed,
  kGreen,
  kYellow,
  kBlue,
  kMagenta,
  kCyan,
  kWhite,
};

enum Attr : std::uint8_t {
  kAttrNone = 0,
  kAttrBold = 1,
  kAttrDim = 2,
  kAttrReverse = 4,
  kAttrUnderline = 8,
};

struct Style {
  Color fg = Color::kDefault;
  Color bg = Color::kDefault;
  std::uint8_t attrs = kAttrNone;
  bool operator==(const Style&) const = default;
};

struct Theme {
  bool color = true;
  bool ascii = false;  // box drawing and graphs in plain ASCII
  std::array<Style, kRoleCount> styles{};
  const Style& style(Role role) const { return styles[static_cast<int>(role)]; }
};

Theme make_theme(bool color, bool ascii);

// Colour is used unless --no-color was given or NO_COLOR is set to a
// non-empty value (https://no-color.org); no_color_env is
// getenv("NO_COLOR"), passed in so this stays testable.
bool want_color(bool no_color_option, const char* no_color_env);

// ASCII drawing when asked for, or when the locale cannot show UTF-8.
bool want_ascii(bool ascii_option, bool locale_is_utf8);

}  // namespace relaymon::ui
