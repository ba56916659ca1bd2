#include <catch2/catch.hpp>

#include "ui/keys.h"
#include "ui/theme.h"

using namespace relaymon::ui;

TEST_CASE("NO_COLOR and --no-color turn colour off", "[ui][theme]") {
  CHECK(want_color(false, nullptr));
  CHECK(want_color(false, ""));  // set but empty does not count (no-color.org)
  CHECK_FALSE(want_color(false, "1"));
  CHECK_FALSE(want_color(true, nullptr));
  CHECK(want_ascii(true, true));
  CHECK(want_ascii(false, false));
  CHECK_FALSE(want_ascii(false, true));
}

TEST_CASE("the monochrome theme uses attributes only", "[ui][theme]") {
  Theme mono = make_theme(false, false);
  CHECK_FALSE(mono.color);
  for (const Style& s : mono.styles) {
    CHECK(s.fg == Color::kDefault);
    CHECK(s.bg == Color::kDefault);
  }
  // The states an operator must tell apart still look different.
  CHECK(mono.style(Role::kCritical) != mono.style(Role::kNormal));
  CHECK(mono.style(Role::kWarning) != mono.style(Role::kNormal));
  CHECK(mono.style(Role::kWarning) != mono.style(Role::kCritical));
  CHECK(mono.style(Role::kSelection).attrs & kAttrReverse);
}

TEST_CASE("the colour theme colours the health roles", "[ui][theme]") {
  Theme theme = make_theme(true, true);
  CHECK(theme.ascii);
  CHECK(theme.style(Role::kCritical).fg == Color::kRed);
  CHECK(theme.style(Role::kGood).fg == Color::kGreen);
  CHECK(theme.style(Role::kWarning).fg == Color::kYellow);
  CHECK(theme.style(Role::kNormal) == Style{});
}

TEST_CASE("flags map to their own roles", "[ui][theme]") {
  CHECK(flag_role("Guard") == Role::kFlagGuard);
  CHECK(flag_role("BadExit") == Role::kFlagBadExit);
  CHECK(flag_role("MiddleOnly") == Role::kFlagOther);
}

TEST_CASE("keys have names for messages", "[ui][keys]") {
  CHECK(key_name('q') == "q");
  CHECK(key_name(key::kUp) == "up");
  CHECK(key_name(' ') == "space");
  CHECK(key_name(key::kEnter) == "enter");
}
