// Key handling for the whole screen: overlays first, then the page, then
// the global keys. Returns what the app should do; never does it itself.
#include <fmt/format.h>

#include "panels/screen.h"
#include "ui/line_editor.h"
#include "ui/text.h"

namespace relaymon::panels {

namespace {

ScreenOutcome finish_prompt(ScreenState& state, const Prompt& prompt) {
  ScreenOutcome out;
  switch (prompt.purpose) {
    case Prompt::Purpose::kLogRegex: {
      std::string error;
      if (!set_log_filter(state.log, prompt.text, &error)) state.message = error;
      break;
    }
    case Prompt::Purpose::kLogSavePath:
      if (!prompt.text.empty()) out.request = Request{Request::Kind::kSaveLog, prompt.text};
      break;
    case Prompt::Purpose::kConfigValue: {
      if (!prompt.lines) {
        state.confirm =
            Confirm{fmt::format("Set {} to \"{}\" (SETCONF)? (y/n)", ui::sanitize(prompt.subject),
                                ui::sanitize(prompt.text)),
                    Request{Request::Kind::kSetConf, prompt.subject, 0, prompt.text}, false};
        break;
      }
      auto lines = split_config_lines(prompt.text);
      if (lines.empty()) {
        // SETCONF with no line would reset the option: that is r's job.
        state.message = fmt::format("no line given: {} unchanged (r resets it to its default)",
                                    ui::sanitize(prompt.subject));
        break;
      }
      std::string quoted;
      for (const auto& line : lines) quoted += (quoted.empty() ? "\"" : " \"") + line + "\"";
      Request request{Request::Kind::kSetConf, prompt.subject};
      request.values = lines;
      state.confirm = Confirm{
          fmt::format("Set {} to {} line{}: {} (SETCONF)? (y/n)", ui::sanitize(prompt.subject),
                      lines.size(), lines.size() == 1 ? "" : "s", ui::sanitize(quoted)),
          std::move(request), false};
      break;
    }
  }
  return out;
}

ScreenOutcome prompt_key(ScreenState& state, int key) {
  Prompt& prompt = *state.prompt;
  if (key == ui::key::kEnter) {
    Prompt done = std::move(prompt);
    state.prompt.reset();
    return finish_prompt(state, done);
  }
  if (key == ui::key::kEscape) {
    state.prompt.reset();
    state.message = "cancelled";
  } else {
    ui::edit_line(prompt.text, prompt.cursor, key, 1024);
  }
  return {};
}

void switch_page(ScreenState& state, int delta) {
  int count = static_cast<int>(pages().size());
  int next = (static_cast<int>(state.page) + delta + count) % count;
  state.page = static_cast<Page>(next);
}

Outcome page_key(ScreenState& state, int key, const model::Snapshot& snapshot) {
  switch (state.page) {
    case Page::kOverview:
      return handle_overview_key(state.overview, key);
    case Page::kLog:
      return handle_log_key(snapshot, state.log, key);
    case Page::kConnections:
      return handle_connections_key(snapshot, state.connections, key);
    case Page::kAlerts:
      return handle_alerts_key(snapshot, state.alerts, key);
    case Page::kConfig:
      return handle_config_key(snapshot, state.config, key);
    case Page::kTorrc:
      return handle_torrc_key(snapshot, state.torrc, key);
    case Page::kInterpreter:
      return handle_interpreter_key(state.interpreter, key);
    case Page::kHealth:
      return handle_health_key(snapshot, state.health, key);
  }
  return {};
}

}  // namespace

ScreenOutcome handle_key(ScreenState& state, int key, const model::Snapshot& snapshot) {
  ScreenOutcome out;
  if (key == ui::key::kNone || key == ui::key::kResize) return out;
  state.message.clear();

  if (state.confirm) {
    Confirm confirm = std::move(*state.confirm);
    state.confirm.reset();
    // nyx quits with "q q": a second q confirms quitting (only quitting).
    if (key == 'y' || key == 'Y' || (confirm.quit && key == 'q')) {
      out.quit = confirm.quit;
      out.request = std::move(confirm.request);
    } else {
      state.message = "cancelled";
    }
    return out;
  }
  if (state.prompt) return prompt_key(state, key);
  if (state.help || state.page_menu) {
    // Scrolling keys scroll the help by its real height (layout_screen);
    // closing keys close it; any other key closes it and does its job.
    int rows = static_cast<int>(help_rows(state, !state.help).size());
    if (state.help_scroll.scroll(key, rows)) return out;
    bool closing_key =
        key == ui::key::kEscape || key == 'h' || key == '?' || key == 'm' || key == ui::key::kEnter;
    state.help = false;
    state.page_menu = false;
    if (closing_key) return out;
  }

  Outcome page = page_key(state, key, snapshot);
  if (page.handled) {
    out.request = std::move(page.request);
    if (page.prompt) state.prompt = std::move(page.prompt);
    if (page.confirm) {
      state.confirm =
          Confirm{std::move(page.confirm->text), std::move(page.confirm->request), false};
    }
    state.message = std::move(page.message);
    return out;
  }

  Page before = state.page;
  switch (key) {
    case ui::key::kLeft:
      switch_page(state, -1);
      break;
    case ui::key::kRight:
      switch_page(state, 1);
      break;
    case 'h':
    case '?':
      state.help = true;
      state.help_scroll = {};
      break;
    case 'm':
      state.page_menu = true;
      state.help_scroll = {};
      break;
    case 'p':
      state.paused = !state.paused;
      state.message = state.paused ? "paused (p resumes)" : "resumed";
      break;
    case 'q':
      state.confirm = Confirm{"Quit relaymon? (y/n)", std::nullopt, true};
      break;
    case 'x':
      state.confirm = Confirm{"Reload tor's configuration (SIGNAL RELOAD)? (y/n)",
                              Request{Request::Kind::kSignal, "RELOAD"}, false};
      break;
    case 'n':
      out.request = Request{Request::Kind::kSignal, "NEWNYM"};
      state.message = "asked tor for new circuits (NEWNYM)";
      break;
    case ui::key::kTab:
    case ui::key::kBackTab: {
      int count = state.header.relay_count;
      if (count <= 1) {
        state.message = "only one relay is monitored";
        break;
      }
      int delta = key == ui::key::kTab ? 1 : count - 1;
      state.header.relay_index = (state.header.relay_index + delta) % count;
      out.request = Request{Request::Kind::kSwitchRelay, "", state.header.relay_index};
      break;
    }
    default:
      if (key >= '1' && key < '1' + static_cast<int>(pages().size())) {
        state.page = static_cast<Page>(key - '1');
      } else if (key != ui::key::kEscape) {
        state.message = fmt::format("{}: not a key here (h for help)", ui::key_name(key));
      }
      break;
  }
  // Arriving on the interpreter means typing there (Esc left it before).
  if (state.page == Page::kInterpreter && before != Page::kInterpreter) {
    state.interpreter.typing = true;
  }
  return out;
}

}  // namespace relaymon::panels
