#include "tui/redraw.h"

namespace relaymon::tui {

void RedrawScheduler::request() {
  if (pending_) return;
  pending_ = true;
  post_([this] {
    if (!pending_) return;  // a key's frame came first
    now();
  });
}

void RedrawScheduler::now() {
  pending_ = false;
  ++frames_;
  draw_();
}

}  // namespace relaymon::tui
