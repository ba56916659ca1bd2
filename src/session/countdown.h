// Joins pipelined control-port answers: the returned function runs `done`
// once, after it has been called `count` times.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>

namespace relaymon::session {

inline std::function<void()> countdown(std::size_t count, std::function<void()> done) {
  auto remaining = std::make_shared<std::size_t>(count);
  return [remaining, done = std::move(done)]() {
    if (--*remaining == 0 && done) done();
  };
}

}  // namespace relaymon::session
