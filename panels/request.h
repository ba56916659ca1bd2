// What a key press asks of the app. Panels never act themselves (they know
// nothing of the control client): handle_key returns a Request value and
// the app carries it out.
#pragma once

#include <optional>
#include <string>

namespace relaymon::panels {

struct Request {
  enum class Kind {
    kSaveLog,      // argument: the file path
    kLogEvents,    // argument: lowest severity to subscribe to ("INFO", ...)
    kSwitchRelay,  // number: the index of the relay to show
    kSignal,       // argument: "RELOAD", "NEWNYM" (already confirmed)
  };
  Kind kind;
  std::string argument;
  int number = 0;
  bool operator==(const Request&) const = default;
};

// A one-line text prompt at the bottom of the screen.
struct Prompt {
  enum class Purpose { kLogRegex, kLogSavePath };
  Purpose purpose;
  std::string label;  // "regex filter: "
  std::string text;
};

// The result of a page's key handler.
struct Outcome {
  bool handled = false;
  std::optional<Request> request;
  std::optional<Prompt> prompt;  // open this prompt
  std::string message;           // a status line to show once
};

}  // namespace relaymon::panels
