// Client addresses and exit destinations never reach the screen: the model
// scrubs them, and the panels show only country or port even if a
// connection arrives unscrubbed.
#include <catch2/catch.hpp>

#include <cctype>

#include "panels/explain.h"
#include "panels/screen.h"
#include "sample.h"
#include "ui/theme.h"

using namespace relaymon;
using panels::test::connection;

namespace {

const ui::Theme theme = ui::make_theme(false, true);

std::string all_text(const ui::TextCanvas& c) {
  std::string out;
  for (const auto& r : c.rows()) out += r + "\n";
  return out;
}

// Every view of the connections page, every connection's details, at
// several widths.
std::string render_everything(const model::Snapshot& s) {
  std::string out;
  for (int width : {120, 80, 60, 40}) {
    panels::ConnectionsView view;
    for (auto mode : {panels::ConnMode::kList, panels::ConnMode::kSummary}) {
      view.mode = mode;
      ui::TextCanvas c(width, 30);
      panels::draw_connections(s, view, c);
      out += all_text(c);
    }
    view.mode = panels::ConnMode::kList;
    view.details = true;
    for (std::size_t i = 0; i < s.connections.size(); ++i) {
      view.cursor.selected = static_cast<int>(i);
      ui::TextCanvas c(width, 30);
      panels::draw_connections(s, view, c);
      out += all_text(c);
    }
  }
  return out;
}

// Every "a.b.c.d" in the text (no regex: GCC 12 with sanitizers warns
// inside <regex>).
std::vector<std::string> dotted_quads(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < text.size();) {
    if (!std::isdigit(static_cast<unsigned char>(text[i])) ||
        (i > 0 && (std::isdigit(static_cast<unsigned char>(text[i - 1])) || text[i - 1] == '.'))) {
      ++i;
      continue;
    }
    std::size_t j = i;
    int dots = 0;
    while (j < text.size() && (std::isdigit(static_cast<unsigned char>(text[j])) ||
                               (text[j] == '.' && j + 1 < text.size() &&
                                std::isdigit(static_cast<unsigned char>(text[j + 1]))))) {
      if (text[j] == '.') ++dots;
      ++j;
    }
    if (dots == 3) out.push_back(text.substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace

TEST_CASE("scrubbed client and exit connections show country and port, nothing else",
          "[panels][privacy]") {
  panels::test::use_utc();
  const model::Snapshot s = panels::test::exit_sample();
  ui::TextCanvas c(120, 12);
  panels::draw_connections(s, {}, c);
  auto rows = c.rows();
  // Client rows: the country, never the client's port.
  CHECK(
      rows[2] ==
      "in  client (DE)                                           DE client     ESTAB      1m 30s");
  CHECK(rows[4].find("client (SE)") != std::string::npos);
  // Exit rows: the destination port and service; the range for a private one.
  CHECK(rows[5].find("10.0.0.0/8 port 8080") != std::string::npos);
  CHECK(rows[7].find("port 443 (https)") != std::string::npos);
  std::string text = render_everything(s);
  for (const char* port : {"51234", "51235", "40001"}) {
    CHECK(text.find(port) == std::string::npos);  // the clients' own ports
  }
  // The only addresses anywhere are the relay's own and the private range.
  for (const std::string& found : dotted_quads(text)) {
    INFO(found);
    CHECK((found == "203.0.113.5" || found == "10.0.0.0"));
  }
}

TEST_CASE("fake leak: unscrubbed client and exit addresses are still hidden by the panels",
          "[panels][privacy]") {
  panels::test::use_utc();
  model::Snapshot s = panels::test::sample();
  s.connections.edit().clear();
  // A model bug would look like this: real addresses, scrubbed=false.
  auto client = connection(model::Category::kInboundClient, model::Direction::kInbound,
                           "198.18.7.9", 51234, "DE", std::chrono::seconds(30));
  client.asn = "AS64500 Home ISP";
  s.connections.edit().push_back(client);
  auto exit = connection(model::Category::kExit, model::Direction::kOutbound, "93.184.216.34", 443,
                         "US", std::chrono::seconds(10));
  exit.service = "https";
  s.connections.edit().push_back(exit);
  auto v6 = connection(model::Category::kExit, model::Direction::kOutbound, "2001:db8::77", 22,
                       "NL", std::chrono::seconds(5));
  s.connections.edit().push_back(v6);
  auto dns = connection(model::Category::kDns, model::Direction::kOutbound, "192.0.2.53", 53, "",
                        std::chrono::seconds(1));
  s.connections.edit().push_back(dns);

  std::string text = render_everything(s);
  // NL is the exit destination's country: only the port may be shown.
  for (const char* secret : {"198.18.7.9", "51234", "93.184.216.34", "2001:db8::77", "192.0.2.53",
                             "AS64500", "Home ISP", "NL"}) {
    INFO(secret);
    CHECK(text.find(secret) == std::string::npos);
  }
  CHECK(text.find("client (DE)") != std::string::npos);
  CHECK(text.find("port 443 (https)") != std::string::npos);
  CHECK(text.find("port 22") != std::string::npos);
  CHECK(text.find("Why the address is hidden") != std::string::npos);
}

TEST_CASE("relay addresses are shown, with the reason", "[panels][privacy]") {
  const model::Snapshot s = panels::test::sample();
  CHECK(panels::shown_remote(s.connections[1]) == "198.51.100.7:9001");
  auto v6 = s.connections[1];
  v6.remote = {"2001:db8::1", 9001};
  CHECK(panels::shown_remote(v6) == "[2001:db8::1]:9001");
  CHECK(panels::hides_address(model::Category::kInboundClient));
  CHECK(panels::hides_address(model::Category::kExit));
  CHECK_FALSE(panels::hides_address(model::Category::kOutboundRelay));
  CHECK(std::string(panels::address_explanation(model::Category::kOutboundRelay))
            .find("publish their addresses") != std::string::npos);
}

TEST_CASE("every category has a plain-language explanation", "[panels][explain]") {
  for (int i = 0; i <= static_cast<int>(model::Category::kUnexpected); ++i) {
    auto category = static_cast<model::Category>(i);
    INFO(model::to_string(category));
    CHECK(std::string(panels::category_explanation(category)).size() > 40);
    CHECK_FALSE(panels::category_label(category).empty());
    CHECK_FALSE(panels::address_explanation(category).empty());
  }
  CHECK(std::string(panels::category_explanation(model::Category::kInboundClient)) ==
        "A Tor user's client uses this relay as its guard (first hop). Its address is hidden to "
        "protect the user.");
}

TEST_CASE("unestablished exit connections point at the firewall", "[panels][explain]") {
  auto s = panels::test::exit_sample();
  const model::Connection& syn = s.connections[2];  // port 80, SYN-SENT
  REQUIRE(syn.state == "SYN-SENT");
  CHECK(panels::state_explanation(syn) ==
        "SYN-SENT: tor asked to connect and the other side has not answered yet. A few are "
        "normal; many on port 80 that the exit policy allows suggest a firewall blocks outbound "
        "port 80.");
  CHECK(panels::state_explanation(s.connections[0]).empty());  // ESTAB
  ui::TextCanvas c(100, 20);
  panels::ConnectionsView view;
  view.sort = panels::ConnSort::kAge;  // oldest first: the port 80 one is first
  view.filter = model::Category::kExit;
  view.details = true;
  panels::draw_connections(s, view, c);
  CHECK(c.row(1) ==
        "| remote: port 80 (http)  state: SYN-SENT  local: 203.0.113.5:40080  protocol: tcp"
        "                 |");
  CHECK(c.row(2) ==
        "| first seen: 50s ago                                                              "
        "                |");
  CHECK(c.row(6) ==
        "| SYN-SENT: tor asked to connect and the other side has not answered yet. A few are "
        "normal; many   |");
  CHECK(c.row(7) ==
        "| on port 80 that the exit policy allows suggest a firewall blocks outbound port 80."
        "               |");
}
