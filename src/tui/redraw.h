// When the screen is drawn: on a key, on a change the monitor reports, on
// the 1 s tick, on a resize. Changes that arrive together (a burst of
// events) make one frame: the first asks `post` to draw soon, the others
// wait for that frame. Pure logic with the loop's post function injected,
// so it is tested without a terminal.
#pragma once

#include <functional>

namespace relaymon::tui {

class RedrawScheduler {
 public:
  using Post = std::function<void(std::function<void()>)>;
  RedrawScheduler(Post post, std::function<void()> draw)
      : post_(std::move(post)), draw_(std::move(draw)) {}

  // Something visible changed: one frame soon, however many ask.
  void request();
  // Draw now (a key was pressed, the terminal was resized); a pending
  // request is then satisfied by this frame.
  void now();
  bool pending() const { return pending_; }
  long frames() const { return frames_; }

 private:
  Post post_;
  std::function<void()> draw_;
  bool pending_ = false;
  long frames_ = 0;
};

}  // namespace relaymon::tui
