// Incremental framing of the control-port byte stream into replies and
// asynchronous events (control-spec 2.3 and 4.1). Pure: bytes in, replies
// out. Every line must end in CRLF; "CODE+" lines are followed by a data
// block ending in a lone "." line, with leading dots unstuffed. Events
// (code 650) may arrive between any two lines of another reply, so they are
// collected separately. Limits keep a hostile or broken peer from making us
// buffer without bound: exceeding one is a framing error, after which the
// connection must be dropped.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "control/reply.h"

namespace relaymon::control {

struct FramingLimits {
  std::size_t max_line = 1 << 20;    // one line, CRLF excluded
  std::size_t max_reply = 64 << 20;  // one reply or event, all lines and data
};

struct FramingError {
  std::string message;
};

class ReplyFramer {
 public:
  explicit ReplyFramer(FramingLimits limits = {}) : limits_(limits) {}

  // Consumes bytes; each reply or event completed by them is appended to
  // `out`, in arrival order. Returns the first protocol violation, if any;
  // after an error the framer stays failed and ignores further input.
  std::optional<FramingError> feed(std::string_view bytes, std::vector<Reply>& out);

  // True when no reply, event or line is partially received.
  bool idle() const;

 private:
  struct Pending {
    Reply reply;
    std::size_t size = 0;
    bool in_data = false;  // inside the data block of the last '+' line
  };

  std::optional<FramingError> take_line(std::string_view line, std::vector<Reply>& out);
  std::optional<FramingError> take_data_line(Pending& pending, std::string_view line,
                                             std::vector<Reply>& out);
  std::optional<FramingError> grow(Pending& pending, std::size_t bytes);

  FramingLimits limits_;
  std::string partial_;  // bytes of an unterminated line
  Pending reply_;        // a reply to a command
  Pending event_;        // an asynchronous event (650)
  std::optional<FramingError> failed_;
};

}  // namespace relaymon::control
