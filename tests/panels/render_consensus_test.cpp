// A relay connection's details with the relay's consensus entry (nyx's
// consensus popup), drawn from a hand-built snapshot; exact rows at 120 and
// 80 columns, reviewed by eye when written.
#include <catch2/catch.hpp>

#include <map>

#include "panels/connections.h"
#include "sample.h"
#include "ui/theme.h"

using namespace relaymon;
using Rows = std::map<int, std::vector<std::string>>;

namespace {

const ui::Theme theme = ui::make_theme(false, true);

model::Snapshot relay_sample() {
  model::Snapshot s = panels::test::sample();
  s.connections.edit().resize(2);  // the client and moria1
  model::ConsensusEntry moria;
  moria.nickname = "moria1";
  moria.fingerprint = "9695DFC35FFEB861329B9F1AB04C46397020CE31";
  moria.published = "2026-11-22 09:12:04";
  moria.address = "198.51.100.7";
  moria.or_port = 9001;
  moria.dir_port = 9030;
  moria.or_addresses = {"[2001:db8::7]:9001"};
  moria.flags = {"Authority", "Fast", "Running", "Stable", "V2Dir", "Valid"};
  moria.version = "Tor 0.4.9.11";
  moria.bandwidth = 20;
  moria.exit_summary = "reject 1-65535";
  s.peer_relays.edit().push_back(moria);
  return s;
}

void draw_moria(const model::Snapshot& s, ui::TextCanvas& c) {
  panels::ConnectionsView v;
  v.details = true;
  // Sorted by category: the outbound relay comes after the inbound client.
  auto list = panels::visible_connections(s, v);
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (list[i]->relay_nickname == "moria1") v.cursor.selected = static_cast<int>(i);
  }
  panels::draw_connections(s, v, c);
}

const Rows kConsensus{
    // consensus 120
    {120,
     {
         "+- Connection: relay out (outbound) "
         "-----------------------------------------------------------------------------------+",
         "| remote: 198.51.100.7:9001  country: US  state: ESTAB  local: 203.0.113.5:40122  "
         "protocol: tcp                        |",
         "| first seen: 1h 02m ago  received: 50.0 MiB  sent: 40.0 MiB  rate: 512 B/s in, 256 B/s "
         "out                            |",
         "| relay: moria1  fingerprint: 9695DFC35FFEB861329B9F1AB04C46397020CE31                   "
         "                              |",
         "| Consensus entry:                                                                       "
         "                              |",
         "|   nickname: moria1  fingerprint: 9695DFC35FFEB861329B9F1AB04C46397020CE31  published: "
         "2026-11-22 09:12:04            |",
         "|   address: 198.51.100.7:9001  DirPort: 9030  IPv6: [2001:db8::7]:9001                  "
         "                              |",
         "|   flags: Authority Fast Running Stable V2Dir Valid                                     "
         "                              |",
         "|   version: Tor 0.4.9.11  bandwidth: 20 KB/s (consensus weight)                         "
         "                              |",
         "|   exit policy: reject 1-65535                                                          "
         "                              |",
         "|                                                                                        "
         "                              |",
         "| This relay connected to another relay, to extend a Tor user's circuit or to build its "
         "own circuits.                  |",
         "| The address is shown: relays and directory authorities publish their addresses in the "
         "consensus.                     |",
         "|                                                                                        "
         "                              |",
         "|                                                                                        "
         "                              |",
         "|                                                                                        "
         "                              |",
         "|                                                                                        "
         "                              |",
         "|                                                                                        "
         "                              |",
         "|                                                                                        "
         "                              |",
         "+----------------------------------------------------------------------------------------"
         "------------------------------+",
     }},
    // consensus 80
    {80,
     {
         "+- Connection: relay out (outbound) -------------------------------------------+",
         "| remote: 198.51.100.7:9001  country: US  state: ESTAB                         |",
         "| local: 203.0.113.5:40122  protocol: tcp  first seen: 1h 02m ago              |",
         "| received: 50.0 MiB  sent: 40.0 MiB  rate: 512 B/s in, 256 B/s out            |",
         "| relay: moria1  fingerprint: 9695DFC35FFEB861329B9F1AB04C46397020CE31         |",
         "| Consensus entry:                                                             |",
         "|   nickname: moria1  fingerprint: 9695DFC35FFEB861329B9F1AB04C46397020CE31    |",
         "|   published: 2026-11-22 09:12:04                                             |",
         "|   address: 198.51.100.7:9001  DirPort: 9030  IPv6: [2001:db8::7]:9001        |",
         "|   flags: Authority Fast Running Stable V2Dir Valid                           |",
         "|   version: Tor 0.4.9.11  bandwidth: 20 KB/s (consensus weight)               |",
         "|   exit policy: reject 1-65535                                                |",
         "|                                                                              |",
         "| This relay connected to another relay, to extend a Tor user's circuit or to  |",
         "| build its own circuits.                                                      |",
         "| The address is shown: relays and directory authorities publish their         |",
         "| addresses in the consensus.                                                  |",
         "|                                                                              |",
         "|                                                                              |",
         "+------------------------------------------------------------------------------+",
     }},
};

}  // namespace

TEST_CASE("a relay connection's details show its consensus entry", "[panels][connections]") {
  panels::test::use_utc();
  const model::Snapshot s = relay_sample();
  int width = GENERATE(120, 80);
  ui::TextCanvas c(width, 20);
  draw_moria(s, c);
  CHECK(c.rows() == kConsensus.at(width));
  CHECK(c.outside_calls() == 0);
}

TEST_CASE("a relay missing from the consensus says so in its details", "[panels][connections]") {
  panels::test::use_utc();
  model::Snapshot s = relay_sample();
  s.peer_relays.edit().clear();
  ui::TextCanvas c(80, 20);
  draw_moria(s, c);
  auto rows = c.rows();
  CHECK(rows[4] ==
        "| relay: moria1  fingerprint: 9695DFC35FFEB861329B9F1AB04C46397020CE31         |");
  CHECK(rows[5] ==
        "| consensus entry: not in the consensus relaymon has                           |");
  CHECK(c.outside_calls() == 0);
}

TEST_CASE("a hostile nickname in a consensus entry is drawn escaped", "[panels][connections]") {
  model::Snapshot s = relay_sample();
  s.peer_relays.edit()[0].version = "Tor \x1b[2J0.4";
  ui::TextCanvas c(120, 20);
  draw_moria(s, c);
  bool found = false;
  for (const auto& row : c.rows()) {
    CHECK(row.find('\x1b') == std::string::npos);
    if (row.find("version: Tor \\x1b[2J0.4") != std::string::npos) found = true;
  }
  CHECK(found);
}
