// relaymon: a terminal monitor for Tor relays. Everything lives in the
// layer libraries; main only hands over to the app.
#include "app/main.h"

// <cstdlib> first: it brings <features.h>, which defines __GLIBC__ (tested
// below); without it the allocator settings were silently compiled out.
#include <cstdlib>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int main(int argc, char** argv) {
#if defined(__GLIBC__)
  // glibc raises its mmap threshold each time a large block is freed; after
  // that, the big per-poll vectors of a busy relay (tens of thousands of
  // sockets and connections) come from the heap and stay resident as
  // fragments. A fixed threshold maps them and gives them back at once
  // (peak RSS 88 -> 74 MB at 20,000 sockets, bench/scale_e2e.sh).
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  // One arena: the socket-collection thread otherwise gets its own, which
  // keeps several megabytes resident between polls on a big relay (peak
  // RSS 47.7 -> 45.7 MB at 20,000 sockets). Two threads hardly contend.
  mallopt(M_ARENA_MAX, 1);
#endif
  return relaymon::app::main(argc, argv);
}
