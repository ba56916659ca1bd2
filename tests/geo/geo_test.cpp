// Country lookups through libmaxminddb in databases built by
// scripts/geoip-to-mmdb from tor's own geoip files (Debian tor-geoipdb),
// compared with what those files say.
#include <catch2/catch.hpp>

#include <arpa/inet.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "geo/geo.h"

namespace fs = std::filesystem;
using namespace relaymon::geo;

namespace {

const char* kTorGeoip = "/usr/share/tor/geoip";
const char* kTorGeoip6 = "/usr/share/tor/geoip6";

struct Range {
  std::string from;
  std::string to;
  std::string cc;
};

std::string v4_text(unsigned long v) {
  in_addr a{};
  a.s_addr = htonl(static_cast<std::uint32_t>(v));
  char buf[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &a, buf, sizeof buf);
  return buf;
}

// Every `step`-th data line of a tor geoip file; v4 integers become dotted quads.
std::vector<Range> sample(const char* path, bool v4, std::size_t step,
                          std::vector<std::string>* raw) {
  std::ifstream in(path);
  REQUIRE(in.good());
  std::vector<Range> out;
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (n++ % step != 0) continue;
    if (raw) raw->push_back(line);
    std::istringstream f(line);
    Range r;
    std::getline(f, r.from, ',');
    std::getline(f, r.to, ',');
    std::getline(f, r.cc, ',');
    if (v4) {
      r.from = v4_text(std::stoul(r.from));
      r.to = v4_text(std::stoul(r.to));
    }
    out.push_back(r);
  }
  return out;
}

fs::path temp_dir(const std::string& name) {
  fs::path dir =
      fs::temp_directory_path() / ("relaymon-geo-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void run(const std::string& command) {
  INFO(command);
  REQUIRE(std::system(command.c_str()) == 0);
}

std::string converter() {
  return std::string(RELAYMON_SOURCE_DIR) + "/scripts/geoip-to-mmdb";
}

void check_ranges(Lookup& geo, const std::vector<Range>& ranges) {
  for (const Range& r : ranges) {
    INFO(r.from << " - " << r.to << " " << r.cc);
    std::string want = r.cc == "??" ? "" : r.cc;
    CHECK(geo.lookup(r.from).country == want);
    CHECK(geo.lookup(r.to).country == want);
  }
}

}  // namespace

TEST_CASE("a subset of tor's geoip files converts and looks up like the files say", "[geo]") {
  fs::path dir = temp_dir("subset");
  std::vector<std::string> raw4, raw6;
  auto v4 = sample(kTorGeoip, true, 97, &raw4);
  auto v6 = sample(kTorGeoip6, false, 97, &raw6);
  REQUIRE(v4.size() > 1000);
  REQUIRE(v6.size() > 1000);
  {
    std::ofstream o4(dir / "geoip");
    o4 << "# subset of " << kTorGeoip << "\n";
    for (auto& l : raw4) o4 << l << "\n";
    std::ofstream o6(dir / "geoip6");
    for (auto& l : raw6) o6 << l << "\n";
  }
  fs::path db = dir / "relaymon-country.mmdb";
  run(converter() + " --v4 " + (dir / "geoip").string() + " --v6 " + (dir / "geoip6").string() +
      " " + db.string());

  Lookup geo(Lookup::Config{db.string(), "", {}});
  REQUIRE(geo.available());
  CHECK_FALSE(geo.has_asn());
  CHECK(geo.database_type() == "relaymon-tor-geoip-Country");
  CHECK(geo.status().find(db.string()) != std::string::npos);
  check_ranges(geo, v4);
  check_ranges(geo, v6);
  // Between sampled ranges nothing was converted.
  CHECK(geo.lookup("127.0.0.1").country.empty());
  CHECK(geo.lookup("::1").country.empty());
  CHECK(geo.lookup("not an address").empty());
  // v4-mapped IPv6 is the IPv4 address; the cache returns the same answer.
  const Range& known = v4[v4.size() / 2];
  if (known.cc != "??") {
    CHECK(geo.lookup("::ffff:" + known.from).country == known.cc);
    CHECK(geo.lookup(known.from).country == known.cc);
  }
  fs::remove_all(dir);
}

TEST_CASE("the whole of tor's geoip files converts and agrees with them", "[geo]") {
  fs::path dir = temp_dir("full");
  fs::path db = dir / "relaymon-country.mmdb";
  run(converter() + " " + db.string());
  Lookup geo(Lookup::Config{db.string(), "", {}});
  REQUIRE(geo.available());
  check_ranges(geo, sample(kTorGeoip, true, 211, nullptr));
  check_ranges(geo, sample(kTorGeoip6, false, 211, nullptr));
  fs::remove_all(dir);
}

TEST_CASE("the converter's --limit option converts only the first ranges", "[geo]") {
  fs::path dir = temp_dir("limit");
  fs::path db = dir / "small.mmdb";
  run(converter() + " --limit 50 --no-v6 " + db.string());
  Lookup geo(Lookup::Config{db.string(), "", {}});
  REQUIRE(geo.available());
  auto first = sample(kTorGeoip, true, 1, nullptr);
  REQUIRE(first.size() > 1000);
  std::vector<Range> head(first.begin(), first.begin() + 50);
  check_ranges(geo, head);
  const Range& later = first[1000];
  CHECK(geo.lookup(later.from).country.empty());
  CHECK(geo.lookup(sample(kTorGeoip6, false, 1000, nullptr)[1].from).country.empty());
  fs::remove_all(dir);
}

TEST_CASE("the converter refuses bad input", "[geo]") {
  fs::path dir = temp_dir("bad");
  {
    std::ofstream bad(dir / "geoip");
    bad << "16777216,16777471\n";
  }
  std::string cmd = converter() + " --no-v6 --v4 " + (dir / "geoip").string() + " " +
                    (dir / "x.mmdb").string() + " 2>/dev/null";
  CHECK(std::system(cmd.c_str()) != 0);
  CHECK_FALSE(fs::exists(dir / "x.mmdb"));
  CHECK(std::system((converter() + " 2>/dev/null").c_str()) != 0);  // no output named
  fs::remove_all(dir);
}

TEST_CASE("no database is a normal, explained state", "[geo]") {
  Lookup none;
  CHECK_FALSE(none.available());
  CHECK(none.lookup("8.8.8.8").empty());
  Lookup missing(Lookup::Config{"", "", {"/nonexistent-relaymon-dir"}});
  CHECK_FALSE(missing.available());
  CHECK(missing.status() == "not available: no country database in /nonexistent-relaymon-dir");
  CHECK(missing.lookup("8.8.8.8").country.empty());

  fs::path dir = temp_dir("corrupt");
  {
    std::ofstream junk(dir / "GeoLite2-Country.mmdb");
    junk << "this is not a maxmind database";
  }
  Lookup corrupt(Lookup::Config{"", "", {dir.string()}});
  CHECK_FALSE(corrupt.available());
  CHECK(corrupt.status().rfind("not available: " + (dir / "GeoLite2-Country.mmdb").string(), 0) ==
        0);
  fs::remove_all(dir);
}

TEST_CASE("databases are found by their usual names", "[geo]") {
  fs::path dir = temp_dir("find");
  for (const char* name : {"dbip-country-lite-2024-01.mmdb", "dbip-country-lite-2024-05.mmdb",
                           "dbip-asn-lite-2024-05.mmdb", "README", "GeoLite2-City.mmdb"}) {
    std::ofstream(dir / name) << "x";
  }
  CHECK(find_database(Kind::kCountry, {"/nonexistent", dir.string()}) ==
        (dir / "dbip-country-lite-2024-05.mmdb").string());
  CHECK(find_database(Kind::kAsn, {dir.string()}) == (dir / "dbip-asn-lite-2024-05.mmdb").string());
  std::ofstream(dir / "GeoLite2-Country.mmdb") << "x";
  std::ofstream(dir / "GeoLite2-ASN.mmdb") << "x";
  CHECK(find_database(Kind::kCountry, {dir.string()}) == (dir / "GeoLite2-Country.mmdb").string());
  CHECK(find_database(Kind::kAsn, {dir.string()}) == (dir / "GeoLite2-ASN.mmdb").string());
  CHECK_FALSE(find_database(Kind::kCountry, {"/nonexistent"}).has_value());
  CHECK(default_directories() == std::vector<std::string>{"/usr/share/GeoIP", "/var/lib/GeoIP"});
  fs::remove_all(dir);
}

TEST_CASE("an ASN database (fake, built with the same writer) adds the AS", "[geo]") {
  // No ASN data ships with Debian: build a two-network one like GeoLite2-ASN.
  fs::path dir = temp_dir("asn");
  fs::path asn = dir / "GeoLite2-ASN.mmdb";
  fs::path country = dir / "relaymon-country.mmdb";
  std::ofstream(dir / "make-asn.pl") << R"PL(
use MaxMind::DB::Writer::Tree;
my $t = MaxMind::DB::Writer::Tree->new(ip_version => 6, record_size => 24,
  database_type => 'GeoLite2-ASN', languages => ['en'], description => {en => 'fake'},
  remove_reserved_networks => 0,
  map_key_type_callback => sub { {autonomous_system_number => 'uint32',
                                  autonomous_system_organization => 'utf8_string'}->{$_[0]} });
$t->insert_network('192.0.2.0/24', {autonomous_system_number => 64496,
                                    autonomous_system_organization => 'Example Net'});
$t->insert_network('2001:db8::/32', {autonomous_system_number => 64497});
open my $fh, '>:raw', $ARGV[0] or die; $t->write_tree($fh); close $fh;
)PL";
  run("perl " + (dir / "make-asn.pl").string() + " " + asn.string());
  run(converter() + " --limit 10 --no-v6 " + country.string());
  Lookup geo(Lookup::Config{"", "", {dir.string()}});
  REQUIRE(geo.available());
  REQUIRE(geo.has_asn());
  Info a = geo.lookup("192.0.2.7");
  CHECK(a.asn == 64496u);
  CHECK(a.as_org == "Example Net");
  CHECK(a.asn_text() == "AS64496 Example Net");
  CHECK(a.country.empty());
  Info b = geo.lookup("2001:db8::1");
  CHECK(b.asn_text() == "AS64497");
  CHECK(geo.lookup("198.51.100.1").empty());
  CHECK(geo.status().find("asn: " + asn.string()) != std::string::npos);
  fs::remove_all(dir);
}
