// What a key press asks of the app. Panels never act themselves (they know
// nothing of the control client): handle_key returns a Request value and
// the app carries it out.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace relaymon::panels {

struct Request {
  enum class Kind {
    kSaveLog,      // argument: the file path
    kLogEvents,    // argument: the events the log shows, "NOTICE WARN ERR CIRC"
    kSwitchRelay,  // number: the index of the relay to show
    kSignal,       // argument: "RELOAD", "NEWNYM" (already confirmed)
    kSetConf,      // argument: the option, value: its new value, or values: every line
                   // of a multi-line option, all sent in one SETCONF (confirmed)
    kResetConf,    // argument: the option (confirmed)
    kSaveConf,     // SAVECONF (confirmed); on 551 the app explains and offers FORCE
    kRawCommand,   // argument: a control-port command line as typed in the interpreter
  };
  Kind kind;
  std::string argument;
  int number = 0;
  std::string value{};
  std::vector<std::string> values{};
  bool operator==(const Request&) const = default;
};

// A one-line text prompt at the bottom of the screen.
struct Prompt {
  enum class Purpose { kLogRegex, kLogSavePath, kConfigValue };
  Purpose purpose;
  std::string label;  // "regex filter: "
  std::string text;
  std::string subject{};                   // the option a kConfigValue prompt edits
  bool lines = false;                      // kConfigValue of a multi-line option: its lines
                                           // joined by " | " (config_lines_separator)
  std::size_t cursor = std::string::npos;  // in text (ui/line_editor.h); npos: at the end
};

// A question the user answers with y or n before a request is sent.
struct Question {
  std::string text;  // "Reset ORPort to its default (RESETCONF)? (y/n)"
  Request request;
};

// The result of a page's key handler.
struct Outcome {
  bool handled = false;
  std::optional<Request> request;
  std::optional<Prompt> prompt;     // open this prompt
  std::optional<Question> confirm;  // ask first, then send the request
  std::string message;              // a status line to show once
};

}  // namespace relaymon::panels
