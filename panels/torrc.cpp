#include "panels/torrc.h"

#include <algorithm>
#include <cctype>
#include <map>

#include <fmt/format.h>

#include "text/text.h"
#include "ui/text.h"

namespace relaymon::panels {

using ui::Role;

namespace {

char mark_char(TorrcLine::Mark mark) {
  switch (mark) {
    case TorrcLine::Mark::kNone:
      return ' ';
    case TorrcLine::Mark::kUnknown:
      return '!';
    case TorrcLine::Mark::kRepeated:
      return '=';
    case TorrcLine::Mark::kDiffers:
      return '~';
  }
  return ' ';
}

}  // namespace

// Torrc /etc/tor/torrc (2 marks: ! unknown, = repeated, ~ differs from tor):
//    1   # a comment
//    2   ORPort 9001
//    3 ! OrPrt 9002  unknown option: tor refuses to start with it
void draw_torrc(const model::Snapshot& snapshot, const TorrcView& view, ui::Canvas& canvas) {
  int w = canvas.width();
  int h = canvas.height();
  if (w < 1 || h < 1) return;
  const model::TorConfig& config = snapshot.config;
  const auto& lines = config.torrc;
  long marks = std::count_if(lines.begin(), lines.end(),
                             [](const TorrcLine& l) { return l.mark != TorrcLine::Mark::kNone; });
  std::string path = config.torrc_path.empty() ? "(path unknown)" : ui::sanitize(config.torrc_path);
  std::string title =
      fmt::format("Torrc {} ({} line{}", path, lines.size(), lines.size() == 1 ? "" : "s");
  // Said before the marks (which a narrow screen cuts first).
  if (config.torrc_truncated) title += ", only its first MiB read: the file is larger";
  if (marks > 0) {
    title += fmt::format(", {} mark{}: ! unknown, = repeated, ~ differs from running tor", marks,
                         marks == 1 ? "" : "s");
  }
  canvas.put(0, 0, ui::ellipsize(title + "):", w),
             marks > 0 || config.torrc_truncated ? Role::kWarning : Role::kTitle);
  if (h < 2) return;
  if (lines.empty()) {
    std::string why = !config.torrc_error.empty()
                          ? "torrc not readable: " + ui::sanitize(config.torrc_error)
                          : "torrc not loaded yet";
    canvas.put(0, 1, ui::ellipsize(why, w), Role::kDim);
    return;
  }
  int digits = static_cast<int>(std::to_string(lines.size()).size());
  int first = view.scroll.first_line(static_cast<int>(lines.size()), h - 1);
  for (int y = 1; y < h && first + y - 1 < static_cast<int>(lines.size()); ++y) {
    const TorrcLine& l = lines[static_cast<std::size_t>(first + y - 1)];
    bool jumped = l.number - 1 == view.mark;
    int x = canvas.put(0, y, fmt::format("{:>{}} ", l.number, digits),
                       jumped ? Role::kSelection : Role::kDim);
    if (x < w) {
      x = canvas.put(x, y, std::string(1, mark_char(l.mark)) + " ",
                     l.mark == TorrcLine::Mark::kUnknown ? Role::kCritical : Role::kWarning);
    }
    auto put = [&](const std::string& text, Role role) {
      if (x < w && !text.empty()) x = canvas.put(x, y, ui::sanitize(text), role);
    };
    put(l.indent, Role::kNormal);
    switch (l.kind) {
      case TorrcLine::Kind::kBlank:
        break;
      case TorrcLine::Kind::kComment:
        put(l.comment, Role::kDim);
        break;
      case TorrcLine::Kind::kInclude:
      case TorrcLine::Kind::kOption:
        put(l.keyword, l.kind == TorrcLine::Kind::kInclude ? Role::kAccent : Role::kLabel);
        put(l.value.empty() ? "" : " " + l.value, Role::kValue);
        put(l.comment.empty() ? "" : " " + l.comment, Role::kDim);
        break;
    }
    if (!l.note.empty() && x + 2 < w) {
      canvas.put(x + 2, y, ui::ellipsize(l.note, w - x - 2),
                 l.mark == TorrcLine::Mark::kUnknown ? Role::kCritical : Role::kWarning);
    }
  }
}

void layout_torrc(const model::Snapshot& snapshot, TorrcView& view, int /*width*/, int height) {
  view.scroll.fit_window(static_cast<int>(snapshot.config->torrc.size()), height - 1);
}

const std::vector<ui::Action>& torrc_actions() {
  static const std::vector<ui::Action> kActions{
      {"scroll", "up/down pgup/pgdn", "scroll the file"},
      {"next mark", "j", "jump to the next marked line"},
  };
  return kActions;
}

Outcome handle_torrc_key(const model::Snapshot& snapshot, TorrcView& view, int key) {
  Outcome out;
  out.handled = true;
  int count = static_cast<int>(snapshot.config->torrc.size());
  if (view.scroll.scroll(key, count)) return out;
  switch (key) {
    case 'j': {
      const auto& lines = snapshot.config->torrc;
      auto it = std::find_if(lines.begin() + std::min<long>(view.mark + 1, count), lines.end(),
                             [](const TorrcLine& l) { return l.mark != TorrcLine::Mark::kNone; });
      if (it == lines.end()) {
        out.message = "no more marked lines";
        view.mark = -1;  // the next j starts from the top again
      } else {
        view.mark = it->number - 1;
        // Bring it on screen, a few lines below the top when it can.
        if (view.mark < view.scroll.top || view.mark >= view.scroll.top + view.scroll.rows) {
          view.scroll.top = std::max(0, view.mark - 2);
        }
      }
      break;
    }
    default:
      out.handled = false;
      break;
  }
  return out;
}

}  // namespace relaymon::panels
