// Country and AS of an IP address from MaxMind-format databases (GeoLite2,
// DB-IP lite, or the one scripts/geoip-to-mmdb builds from tor's own geoip
// files). Missing databases are a normal state: lookups then return empty
// Info and status() says why, so the UI can show "??" and the reason.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace relaymon::geo {

struct Info {
  std::string country;               // ISO 3166 code ("DE"), empty when unknown
  std::optional<std::uint32_t> asn;  // 3320
  std::string as_org;                // "Deutsche Telekom AG"

  bool empty() const { return country.empty() && !asn; }
  // "AS3320 Deutsche Telekom AG", or empty.
  std::string asn_text() const;
};

// Where databases are looked for when none is configured.
std::vector<std::string> default_directories();  // /usr/share/GeoIP, /var/lib/GeoIP

enum class Kind { kCountry, kAsn };
// The first database of this kind in `dirs` (GeoLite2-Country.mmdb,
// GeoIP2-Country.mmdb, dbip-country-lite*.mmdb, relaymon-country.mmdb /
// GeoLite2-ASN.mmdb, dbip-asn-lite*.mmdb); the newest dated DB-IP file wins.
std::optional<std::string> find_database(Kind kind, const std::vector<std::string>& dirs);

class Lookup {
 public:
  struct Config {
    std::string country_path;  // empty: search the directories
    std::string asn_path;      // empty: search the directories
    std::vector<std::string> directories = default_directories();
  };

  Lookup();  // nothing open: every lookup is empty
  explicit Lookup(const Config& config);
  ~Lookup();
  Lookup(Lookup&&) noexcept;
  Lookup& operator=(Lookup&&) noexcept;

  bool available() const;  // a country database is open
  bool has_asn() const;
  // "country: PATH (TYPE); asn: PATH" or "not available: ..." for the UI.
  const std::string& status() const;
  std::string database_type() const;  // metadata of the country database
  // The open country database's path, or empty.
  const std::string& country_path() const;

  // Canonical or v4-mapped IP text; cached (the cache is bounded).
  Info lookup(std::string_view ip);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace relaymon::geo
