// The torrc page says when relaymon read only the first MiB of the file
// (issue 12, item 3), before anything a narrow screen cuts first.
#include <catch2/catch.hpp>

#include "model/torrc.h"
#include "panels/torrc.h"
#include "ui/canvas.h"

using namespace relaymon;

TEST_CASE("torrc page: a cut file is said in the title at 80 columns") {
  model::Snapshot s;
  auto& config = s.config.edit();
  config.torrc_path = "/etc/tor/torrc";
  config.torrc_lines = {"Nickname relay1", "ORPort 9001"};
  config.torrc_truncated = true;
  model::analyze_torrc_into(config);
  panels::TorrcView view;
  ui::TextCanvas canvas(80, 6);
  panels::draw_torrc(s, view, canvas);
  INFO(canvas.row(0));
  CHECK(canvas.row(0).rfind(
            "Torrc /etc/tor/torrc (2 lines, only its first MiB read: the file is larger", 0) == 0);
  CHECK(canvas.role_at(0, 0) == ui::Role::kWarning);

  config.torrc_truncated = false;
  ui::TextCanvas whole(80, 6);
  panels::draw_torrc(s, view, whole);
  CHECK(whole.row(0).find("first MiB") == std::string::npos);
}
