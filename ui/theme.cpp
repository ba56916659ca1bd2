#include "ui/theme.h"

namespace relaymon::ui {

namespace {

struct Entry {
  Role role;
  Style color;
  Style mono;
};

constexpr Style S(Color fg, std::uint8_t attrs = kAttrNone, Color bg = Color::kDefault) {
  return Style{fg, bg, attrs};
}
constexpr Style M(std::uint8_t attrs) {
  return Style{Color::kDefault, Color::kDefault, attrs};
}

constexpr Color D = Color::kDefault;

// The scheme, in one place (htop's CRT.c idea): role, colour style,
// monochrome style.
constexpr Entry kScheme[] = {
    {Role::kNormal, S(D), M(kAttrNone)},
    {Role::kDim, S(D, kAttrDim), M(kAttrDim)},
    {Role::kTitle, S(D, kAttrBold), M(kAttrBold)},
    {Role::kLabel, S(Color::kCyan), M(kAttrNone)},
    {Role::kValue, S(D, kAttrBold), M(kAttrBold)},
    {Role::kGood, S(Color::kGreen), M(kAttrNone)},
    {Role::kWarning, S(Color::kYellow, kAttrBold), M(kAttrBold | kAttrUnderline)},
    {Role::kCritical, S(Color::kRed, kAttrBold), M(kAttrBold | kAttrReverse)},
    {Role::kAccent, S(Color::kMagenta), M(kAttrUnderline)},
    {Role::kSelection, S(D, kAttrReverse), M(kAttrReverse)},
    {Role::kKey, S(Color::kCyan, kAttrBold), M(kAttrBold)},
    {Role::kBanner, S(Color::kWhite, kAttrBold, Color::kRed), M(kAttrReverse | kAttrBold)},
    {Role::kGraphRead, S(Color::kGreen), M(kAttrNone)},
    {Role::kGraphWrite, S(Color::kBlue, kAttrBold), M(kAttrNone)},
    {Role::kFlagRunning, S(Color::kGreen), M(kAttrNone)},
    {Role::kFlagValid, S(Color::kGreen), M(kAttrNone)},
    {Role::kFlagGuard, S(Color::kMagenta, kAttrBold), M(kAttrBold)},
    {Role::kFlagExit, S(Color::kCyan, kAttrBold), M(kAttrBold)},
    {Role::kFlagFast, S(Color::kYellow), M(kAttrNone)},
    {Role::kFlagStable, S(Color::kBlue, kAttrBold), M(kAttrNone)},
    {Role::kFlagHsDir, S(Color::kCyan), M(kAttrNone)},
    {Role::kFlagV2Dir, S(Color::kCyan), M(kAttrNone)},
    {Role::kFlagAuthority, S(Color::kWhite, kAttrBold), M(kAttrBold)},
    {Role::kFlagBadExit, S(Color::kRed, kAttrBold), M(kAttrBold | kAttrReverse)},
    {Role::kFlagOther, S(D), M(kAttrNone)},
};

static_assert(sizeof(kScheme) / sizeof(kScheme[0]) == kRoleCount, "every role has a style");

}  // namespace

Theme make_theme(bool color, bool ascii) {
  Theme theme;
  theme.color = color;
  theme.ascii = ascii;
  for (const Entry& e : kScheme) theme.styles[static_cast<int>(e.role)] = color ? e.color : e.mono;
  return theme;
}

bool want_color(bool no_color_option, const char* no_color_env) {
  return !no_color_option && (no_color_env == nullptr || no_color_env[0] == '\0');
}

bool want_ascii(bool ascii_option, bool locale_is_utf8) {
  return ascii_option || !locale_is_utf8;
}

}  // namespace relaymon::ui
