// The connections page drawn from a hand-built snapshot into a text canvas, compared
// row by row at 120, 80, 60 and 40 columns (40 is every page's minimum
// width). Expected rows were reviewed by eye when written.
#include <catch2/catch.hpp>

#include <map>

#include "panels/screen.h"
#include "sample.h"
#include "ui/theme.h"

using namespace relaymon;
using Rows = std::map<int, std::vector<std::string>>;

namespace {

const ui::Theme theme = ui::make_theme(false, true);

}  // namespace

const Rows kConnections{
    // connections 120
    {120,
     {
         "Connections (3 of 3, sort: category, all categories):",
         "dir remote                                        relay   cc category   state         "
         "age       rate        bytes in/out",
         "in  192.0.2.44:51000                              relayFR FR relay in   ESTAB      1m "
         "05s",
         "in  client (DE)                                           DE client     ESTAB      5m "
         "03s 12.0 KiB/s   1.2 MiB / 3.0 MiB",
         "out 198.51.100.7:9001                             moria1  US relay out  ESTAB      1h "
         "02m    768 B/s 50.0 MiB / 40.0 MiB",
         "",
     }},
    // connections 80
    {80,
     {
         "Connections (3 of 3, sort: category, all categories):",
         "dir remote                    relay   cc category   state         age       rate",
         "in  192.0.2.44:51000          relayFR FR relay in   ESTAB      1m 05s",
         "in  client (DE)                       DE client     ESTAB      5m 03s 12.0 KiB/s",
         "out 198.51.100.7:9001         moria1  US relay out  ESTAB      1h 02m    768 B/s",
         "",
     }},
    // connections 60
    {60,
     {
         "Connections (3 of 3, sort: category, all categories):",
         "dir remote                    relay   cc category   state",
         "in  192.0.2.44:51000          relayFR FR relay in   ESTAB",
         "in  client (DE)                       DE client     ESTAB",
         "out 198.51.100.7:9001         moria1  US relay out  ESTAB",
         "",
     }},
    // connections 40
    {40,
     {
         "Connections (3 of 3, sort: category, ...",
         "dir remote                 cc category",
         "in  192.0.2.44:51000       FR relay in",
         "in  client (DE)            DE client",
         "out 198.51.100.7:9001      US relay out",
         "",
     }},
};

TEST_CASE("the connection list at each width", "[panels][connections]") {
  panels::test::use_utc();
  const model::Snapshot s = panels::test::sample();
  int width = GENERATE(120, 80, 60, 40);
  ui::TextCanvas c(width, 6);
  { panels::draw_connections(s, {}, c); }
  CHECK(c.rows() == kConnections.at(width));
  CHECK(c.outside_calls() == 0);
}

const Rows kExits{
    // exits 120
    {120,
     {
         "Connections (8 of 8, sort: category, all categories):",
         "dir remote                                                cc category   state         "
         "age       rate        bytes in/out",
         "in  client (DE)                                           DE client     ESTAB      1m "
         "30s",
         "in  client (DE)                                           DE client     ESTAB      1m "
         "30s",
         "in  client (SE)                                           SE client     ESTAB      1m "
         "30s",
         "out 10.0.0.0/8 port 8080                                     exit       SYN-SENT      "
         "15s",
         "out port 80 (http)                                           exit       SYN-SENT      "
         "50s",
         "out port 443 (https)                                         exit       ESTAB         "
         "20s",
         "out port 443 (https)                                         exit       ESTAB         "
         "40s",
         "out port 53 (domain)                                         dns        ESTAB          "
         "2s",
         "",
     }},
    // exits 80
    {80,
     {
         "Connections (8 of 8, sort: category, all categories):",
         "dir remote                            cc category   state         age       rate",
         "in  client (DE)                       DE client     ESTAB      1m 30s",
         "in  client (DE)                       DE client     ESTAB      1m 30s",
         "in  client (SE)                       SE client     ESTAB      1m 30s",
         "out 10.0.0.0/8 port 8080                 exit       SYN-SENT      15s",
         "out port 80 (http)                       exit       SYN-SENT      50s",
         "out port 443 (https)                     exit       ESTAB         20s",
         "out port 443 (https)                     exit       ESTAB         40s",
         "out port 53 (domain)                     dns        ESTAB          2s",
         "",
     }},
    // exits 60
    {60,
     {
         "Connections (8 of 8, sort: category, all categories):",
         "dir remote                            cc category   state",
         "in  client (DE)                       DE client     ESTAB",
         "in  client (DE)                       DE client     ESTAB",
         "in  client (SE)                       SE client     ESTAB",
         "out 10.0.0.0/8 port 8080                 exit       SYN-SENT",
         "out port 80 (http)                       exit       SYN-SENT",
         "out port 443 (https)                     exit       ESTAB",
         "out port 443 (https)                     exit       ESTAB",
         "out port 53 (domain)                     dns        ESTAB",
         "",
     }},
    // exits 40
    {40,
     {
         "Connections (8 of 8, sort: category, ...",
         "dir remote                 cc category",
         "in  client (DE)            DE client",
         "in  client (DE)            DE client",
         "in  client (SE)            SE client",
         "out 10.0.0.0/8 port 8080      exit",
         "out port 80 (http)            exit",
         "out port 443 (https)          exit",
         "out port 443 (https)          exit",
         "out port 53 (domain)          dns",
         "",
     }},
};

TEST_CASE("exit and client connections show country and port only",
          "[panels][connections][privacy]") {
  panels::test::use_utc();
  const model::Snapshot s = panels::test::exit_sample();
  int width = GENERATE(120, 80, 60, 40);
  ui::TextCanvas c(width, 11);
  { panels::draw_connections(s, {}, c); }
  CHECK(c.rows() == kExits.at(width));
  CHECK(c.outside_calls() == 0);
}

const Rows kDetails{
    // details 120
    {120,
     {
         "+- Connection: client (inbound) "
         "---------------------------------------------------------------------------------------+",
         "| remote: client (DE)  country: DE  state: ESTAB  local: 203.0.113.5:9001  protocol: tcp "
         " first seen: 5m 03s ago       |",
         "| received: 1.2 MiB  sent: 3.0 MiB  rate: 2.0 KiB/s in, 10.0 KiB/s out                   "
         "                              |",
         "|                                                                                        "
         "                              |",
         "| A Tor user's client uses this relay as its guard (first hop). Its address is hidden to "
         "protect the user.             |",
         "| Why the address is hidden: a Tor user connects to their guard directly, so this is the "
         "user's real IP address.       |",
         "| Showing or recording it could reveal who uses Tor, so relaymon never keeps it: only "
         "the country is shown.            |",
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
    // details 80
    {80,
     {
         "+- Connection: client (inbound) -----------------------------------------------+",
         "| remote: client (DE)  country: DE  state: ESTAB  local: 203.0.113.5:9001      |",
         "| protocol: tcp  first seen: 5m 03s ago  received: 1.2 MiB  sent: 3.0 MiB      |",
         "| rate: 2.0 KiB/s in, 10.0 KiB/s out                                           |",
         "|                                                                              |",
         "| A Tor user's client uses this relay as its guard (first hop). Its address is |",
         "| hidden to protect the user.                                                  |",
         "| Why the address is hidden: a Tor user connects to their guard directly, so   |",
         "| this is the user's real IP address. Showing or recording it could reveal who |",
         "| uses Tor, so relaymon never keeps it: only the country is shown.             |",
         "|                                                                              |",
         "|                                                                              |",
         "|                                                                              |",
         "+------------------------------------------------------------------------------+",
     }},
    // details 60
    {60,
     {
         "+- Connection: client (inbound) ---------------------------+",
         "| remote: client (DE)  country: DE  state: ESTAB           |",
         "| local: 203.0.113.5:9001  protocol: tcp                   |",
         "| first seen: 5m 03s ago  received: 1.2 MiB  sent: 3.0 MiB |",
         "| rate: 2.0 KiB/s in, 10.0 KiB/s out                       |",
         "|                                                          |",
         "| A Tor user's client uses this relay as its guard (first  |",
         "| hop). Its address is hidden to protect the user.         |",
         "| Why the address is hidden: a Tor user connects to their  |",
         "| guard directly, so this is the user's real IP address.   |",
         "| Showing or recording it could reveal who uses Tor, so    |",
         "| relaymon never keeps it: only the country is shown.      |",
         "|                                                          |",
         "+----------------------------------------------------------+",
     }},
    // details 40
    {40,
     {
         "+- Connection: client (inbound) -------+",
         "| remote: client (DE)  country: DE     |",
         "| state: ESTAB                         |",
         "| local: 203.0.113.5:9001              |",
         "| protocol: tcp                        |",
         "| first seen: 5m 03s ago               |",
         "| received: 1.2 MiB  sent: 3.0 MiB     |",
         "| rate: 2.0 KiB/s in, 10.0 KiB/s out   |",
         "|                                      |",
         "| A Tor user's client uses this relay  |",
         "| as its guard (first hop). Its        |",
         "| address is hidden to protect the     |",
         "| user.                                |",
         "+--------------------------------------+",
     }},
};

TEST_CASE("the details view explains a client connection", "[panels][connections]") {
  panels::test::use_utc();
  const model::Snapshot s = panels::test::sample();
  int width = GENERATE(120, 80, 60, 40);
  ui::TextCanvas c(width, 14);
  {
    panels::ConnectionsView v;
    v.details = true;
    v.cursor.selected = 1;
    panels::draw_connections(s, v, c);
  }
  CHECK(c.rows() == kDetails.at(width));
  CHECK(c.outside_calls() == 0);
}

const Rows kCircuits{
    // circuits 120
    {120,
     {
         "Circuits (1; G guard, M middle, E exit; enter: details):",
         "id    status    purpose            age      read   written path",
         "12    BUILT     GENERAL         2m 10s   5.1 MiB   117 KiB G moria1 > M relayFR > E "
         "$C0FFEE00",
         "",
     }},
    // circuits 80
    {80,
     {
         "Circuits (1; G guard, M middle, E exit; enter: details):",
         "id    status    purpose            age path",
         "12    BUILT     GENERAL         2m 10s G moria1 > M relayFR > E $C0FFEE00",
         "",
     }},
    // circuits 60
    {60,
     {
         "Circuits (1; G guard, M middle, E exit; enter: details):",
         "id    status    purpose            age path",
         "12    BUILT     GENERAL         2m 10s G moria1 > M relay...",
         "",
     }},
    // circuits 40
    {40,
     {
         "Circuits (1; G guard, M middle, E exi...",
         "id    status        age path",
         "12    BUILT      2m 10s G moria1 > M ...",
         "",
     }},
};

TEST_CASE("circuits with their hops", "[panels][connections]") {
  panels::test::use_utc();
  const model::Snapshot s = panels::test::sample();
  int width = GENERATE(120, 80, 60, 40);
  ui::TextCanvas c(width, 4);
  {
    panels::ConnectionsView v;
    v.mode = panels::ConnMode::kCircuits;
    panels::draw_connections(s, v, c);
  }
  CHECK(c.rows() == kCircuits.at(width));
  CHECK(c.outside_calls() == 0);
}

const Rows kSummary{
    // summary 120
    {120,
     {
         "Exit connections by port:                                    Tor users (guard clients) "
         "by country:",
         "  443 https                                               2    DE                        "
         "                              2",
         "   80 http                                                1    SE                        "
         "                              1",
         " 8080                                                     1",
         "",
         "",
         "",
         "",
     }},
    // summary 80
    {80,
     {
         "Exit connections by port:                Tor users (guard clients) by country:",
         "  443 https                           2    DE                                  2",
         "   80 http                            1    SE                                  1",
         " 8080                                 1",
         "",
         "",
         "",
         "",
     }},
    // summary 60
    {60,
     {
         "Exit connections by port:      Tor users (guard clients) ...",
         "  443 https                 2    DE                        2",
         "   80 http                  1    SE                        1",
         " 8080                       1",
         "",
         "",
         "",
         "",
     }},
    // summary 40
    {40,
     {
         "Exit connections by port:",
         "  443 https                            2",
         "   80 http                             1",
         " 8080                                  1",
         "Tor users (guard clients) by country:",
         "  DE                                   2",
         "  SE                                   1",
         "",
     }},
};

TEST_CASE("exit-port and client-country summaries", "[panels][connections]") {
  panels::test::use_utc();
  const model::Snapshot s = panels::test::exit_sample();
  int width = GENERATE(120, 80, 60, 40);
  ui::TextCanvas c(width, 8);
  {
    panels::ConnectionsView v;
    v.mode = panels::ConnMode::kSummary;
    panels::draw_connections(s, v, c);
  }
  CHECK(c.rows() == kSummary.at(width));
  CHECK(c.outside_calls() == 0);
}

TEST_CASE("the exit-port summary counts exit connections in every state, and says why it is empty",
          "[panels][connections]") {
  panels::test::use_utc();
  model::Snapshot s = panels::test::exit_sample();
  long exits = 0;
  for (auto& c : s.connections.edit()) {
    if (c.category == model::Category::kExit) {
      c.state = exits++ % 2 ? "CLOSE-WAIT" : "SYN-SENT";
    }
  }
  REQUIRE(exits > 0);
  ui::TextCanvas c(80, 8);
  panels::ConnectionsView v;
  v.mode = panels::ConnMode::kSummary;
  panels::draw_connections(s, v, c);
  CHECK(c.rows()[1].find("443 https") != std::string::npos);
  for (const auto& row : c.rows()) CHECK(row.find("none") == std::string::npos);

  std::erase_if(s.connections.edit(),
                [](const model::Connection& x) { return x.category == model::Category::kExit; });
  ui::TextCanvas empty(80, 8);
  panels::draw_connections(s, v, empty);
  CHECK(empty.rows()[1].find("none open right now") != std::string::npos);
  s.relay.is_exit = false;
  ui::TextCanvas middle(80, 8);
  panels::draw_connections(s, v, middle);
  CHECK(middle.rows()[1].find("not an exit") != std::string::npos);
}

TEST_CASE("a listener shows its own address, port and kind, not the wildcard peer",
          "[panels][connections]") {
  panels::test::use_utc();
  model::Snapshot s = panels::test::sample();
  model::Connection listener;
  listener.category = model::Category::kListener;
  listener.direction = model::Direction::kListen;
  listener.state = "LISTEN";
  listener.local = {"127.0.0.1", 5004};
  listener.remote = {"0.0.0.0", 0};
  listener.first_seen = s.taken;
  model::Connection v6 = listener;
  v6.local = {"::1", 5005};
  v6.remote = {"::", 0};
  s.connections.edit().push_back(listener);
  s.connections.edit().push_back(v6);
  s.listeners = {{"or", {"127.0.0.1", 5004}}, {"metrics", {"::1", 5005}}};
  ui::TextCanvas c(120, 10);
  panels::draw_connections(s, {}, c);
  std::string screen;
  for (const auto& row : c.rows()) screen += row + "\n";
  INFO(screen);
  CHECK(screen.find("lsn 127.0.0.1:5004 ORPort") != std::string::npos);
  CHECK(screen.find("lsn [::1]:5005 MetricsPort") != std::string::npos);
  CHECK(screen.find("lsn 0.0.0.0 ") == std::string::npos);
}

TEST_CASE("an age relaymon could not see begin is a lower bound, marked +",
          "[panels][connections]") {
  panels::test::use_utc();
  model::Snapshot s = panels::test::sample();
  bool marked = false;
  for (auto& c : s.connections.edit()) {
    if (c.relay_nickname == "relayFR") marked = c.opened_before_relaymon = true;
  }
  REQUIRE(marked);
  for (int width : {120, 80}) {
    ui::TextCanvas c(width, 6);
    panels::draw_connections(s, {}, c);
    INFO(c.rows()[2] << "\n" << c.rows()[3]);
    CHECK(c.rows()[2].find("1m 05s+") != std::string::npos);
    CHECK(c.rows()[3].find("5m 03s+") == std::string::npos);
    CHECK(c.rows()[3].find("5m 03s") != std::string::npos);
  }
}

TEST_CASE("a circuit's details: age, flags, bytes and each hop with its role",
          "[panels][connections]") {
  panels::test::use_utc();
  model::Snapshot s = panels::test::sample();
  s.circuits.edit()[0].bytes_read = 3 * 1024 * 1024;
  s.circuits.edit()[0].bytes_written = 2048;
  panels::ConnectionsView v;
  v.mode = panels::ConnMode::kCircuits;
  v.details = true;
  ui::TextCanvas c(80, 12);
  panels::draw_connections(s, v, c);
  std::string all;
  for (const auto& row : c.rows()) all += row + "\n";
  INFO(all);
  CHECK(c.row(0).rfind("+- Circuit 12: BUILT (GENERAL) ", 0) == 0);
  CHECK(all.find("age: 2m 10s") != std::string::npos);
  CHECK(all.find("read: 3.0 MiB") != std::string::npos);
  CHECK(all.find("hops:") != std::string::npos);
  CHECK(all.find("1. guard  moria1 ") != std::string::npos);
  CHECK(all.find("2. middle relayFR ") != std::string::npos);
  CHECK(all.find("3. exit   ? ") != std::string::npos);
  CHECK(c.outside_calls() == 0);
}

TEST_CASE("hop roles follow the circuit's purpose", "[panels][connections]") {
  model::Circuit circ;
  circ.path = {{"A", "a"}, {"B", "b"}, {"C", "c"}, {"D", "d"}};
  circ.purpose = "GENERAL";
  CHECK(panels::hop_roles(circ) == std::vector<std::string>{"guard", "middle", "middle", "exit"});
  circ.purpose = "HS_CLIENT_REND";
  CHECK(panels::hop_roles(circ).back() == "rend");
  circ.purpose = "HS_SERVICE_INTRO";
  CHECK(panels::hop_roles(circ).back() == "intro");
  circ.purpose = "HS_CLIENT_HSDIR";
  CHECK(panels::hop_roles(circ).back() == "hsdir");
  circ.purpose = "MEASURE_TIMEOUT";
  CHECK(panels::hop_roles(circ).back() == "last");
  circ.path.resize(1);
  CHECK(panels::hop_roles(circ) == std::vector<std::string>{"guard"});
}

TEST_CASE("at 80 columns the column the list is sorted by is shown", "[panels][connections]") {
  panels::test::use_utc();
  const model::Snapshot s = panels::test::sample();
  const std::vector<std::pair<panels::ConnSort, std::string>> sorts = {
      {panels::ConnSort::kRate, " rate"},
      {panels::ConnSort::kBytes, "bytes in/out"},
      {panels::ConnSort::kAge, " age"},
      {panels::ConnSort::kState, "state"}};
  for (const auto& [sort, title] : sorts) {
    ui::TextCanvas c(80, 6);
    panels::ConnectionsView v;
    v.sort = sort;
    panels::draw_connections(s, v, c);
    INFO(c.rows()[1]);
    CHECK(c.rows()[1].find(title) != std::string::npos);
  }
  // 60 columns: the bytes still shown, whole, when the list is sorted by them.
  ui::TextCanvas narrow(60, 6);
  panels::ConnectionsView v;
  v.sort = panels::ConnSort::kBytes;
  panels::draw_connections(s, v, narrow);
  CHECK(narrow.rows()[1].find("bytes in/out") != std::string::npos);
  CHECK(narrow.rows()[3].find("MiB") != std::string::npos);
}
