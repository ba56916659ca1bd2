#include "app/main.h"

#include <cstdio>

namespace relaymon::app {

int main(int, char**) {
  std::fputs("relaymon: not built yet\n", stderr);
  return 1;
}

}  // namespace relaymon::app
