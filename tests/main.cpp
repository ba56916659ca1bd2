// The one Catch2 main shared by every test program.
#define CATCH_CONFIG_MAIN
// Wide enough that a failed comparison of screen rows prints one per line.
#define CATCH_CONFIG_CONSOLE_WIDTH 20000
#include <catch2/catch.hpp>
