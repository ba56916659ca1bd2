#include "geo/geo.h"

#include <fmt/format.h>
#include <maxminddb.h>

#include <algorithm>
#include <filesystem>
#include <unordered_map>

namespace relaymon::geo {

namespace {

constexpr std::size_t kCacheLimit = 16384;

// One open .mmdb file.
class Database {
 public:
  static std::unique_ptr<Database> open(const std::string& path, std::string& error) {
    auto db = std::unique_ptr<Database>(new Database);
    int status = MMDB_open(path.c_str(), MMDB_MODE_MMAP, &db->mmdb_);
    if (status != MMDB_SUCCESS) {
      error = fmt::format("{}: {}", path, MMDB_strerror(status));
      return nullptr;
    }
    db->open_ = true;
    return db;
  }
  ~Database() {
    if (open_) MMDB_close(&mmdb_);
  }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  std::string type() const {
    return mmdb_.metadata.database_type ? mmdb_.metadata.database_type : "";
  }

  // Fills the fields this database knows for `ip`.
  void lookup(const char* ip, Info& info) {
    int gai_error = 0;
    int mmdb_error = MMDB_SUCCESS;
    MMDB_lookup_result_s r = MMDB_lookup_string(&mmdb_, ip, &gai_error, &mmdb_error);
    if (gai_error != 0 || mmdb_error != MMDB_SUCCESS || !r.found_entry) return;
    MMDB_entry_data_s d;
    if (info.country.empty()) {
      if ((MMDB_get_value(&r.entry, &d, "country", "iso_code", nullptr) == MMDB_SUCCESS &&
           d.has_data) ||
          (MMDB_get_value(&r.entry, &d, "registered_country", "iso_code", nullptr) ==
               MMDB_SUCCESS &&
           d.has_data)) {
        if (d.type == MMDB_DATA_TYPE_UTF8_STRING) info.country.assign(d.utf8_string, d.data_size);
      }
    }
    if (!info.asn &&
        MMDB_get_value(&r.entry, &d, "autonomous_system_number", nullptr) == MMDB_SUCCESS &&
        d.has_data && d.type == MMDB_DATA_TYPE_UINT32) {
      info.asn = d.uint32;
      if (MMDB_get_value(&r.entry, &d, "autonomous_system_organization", nullptr) == MMDB_SUCCESS &&
          d.has_data && d.type == MMDB_DATA_TYPE_UTF8_STRING) {
        info.as_org.assign(d.utf8_string, d.data_size);
      }
    }
  }

 private:
  Database() = default;
  MMDB_s mmdb_{};
  bool open_ = false;
};

bool matches(Kind kind, const std::string& name) {
  auto starts = [&](std::string_view p) { return name.rfind(p, 0) == 0; };
  auto ends = name.size() > 5 && name.compare(name.size() - 5, 5, ".mmdb") == 0;
  if (!ends) return false;
  if (kind == Kind::kCountry) {
    return name == "GeoLite2-Country.mmdb" || name == "GeoIP2-Country.mmdb" ||
           name == "relaymon-country.mmdb" || starts("dbip-country-lite");
  }
  return name == "GeoLite2-ASN.mmdb" || name == "GeoIP2-ISP.mmdb" || starts("dbip-asn-lite");
}

// MaxMind's own names first; among DB-IP files the newest (dated names sort).
int rank(const std::string& name) {
  if (name.rfind("GeoIP2", 0) == 0) return 0;
  if (name.rfind("GeoLite2", 0) == 0) return 1;
  if (name.rfind("dbip", 0) == 0) return 2;
  return 3;
}

}  // namespace

std::string Info::asn_text() const {
  if (!asn) return {};
  return as_org.empty() ? fmt::format("AS{}", *asn) : fmt::format("AS{} {}", *asn, as_org);
}

std::vector<std::string> default_directories() {
  return {"/usr/share/GeoIP", "/var/lib/GeoIP"};
}

std::optional<std::string> find_database(Kind kind, const std::vector<std::string>& dirs) {
  namespace fs = std::filesystem;
  for (const std::string& dir : dirs) {
    std::error_code ec;
    std::vector<std::string> found;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (matches(kind, name)) found.push_back(name);
    }
    if (found.empty()) continue;
    std::sort(found.begin(), found.end(), [](const std::string& a, const std::string& b) {
      return rank(a) != rank(b) ? rank(a) < rank(b) : a > b;
    });
    return (fs::path(dir) / found.front()).string();
  }
  return std::nullopt;
}

struct Lookup::Impl {
  std::unique_ptr<Database> country;
  std::unique_ptr<Database> asn;
  std::string status = "not available: no country database";
  std::string country_path;
  std::unordered_map<std::string, Info> cache;
};

Lookup::Lookup() : impl_(std::make_unique<Impl>()) {}

Lookup::Lookup(const Config& config) : Lookup() {
  std::string dirs;
  for (const auto& d : config.directories) dirs += (dirs.empty() ? "" : ", ") + d;
  std::string country_error;
  std::string asn_error;
  auto country_path = config.country_path.empty()
                          ? find_database(Kind::kCountry, config.directories)
                          : std::optional{config.country_path};
  auto asn_path = config.asn_path.empty() ? find_database(Kind::kAsn, config.directories)
                                          : std::optional{config.asn_path};
  if (country_path) impl_->country = Database::open(*country_path, country_error);
  if (asn_path) impl_->asn = Database::open(*asn_path, asn_error);
  if (impl_->country) {
    impl_->country_path = *country_path;
    impl_->status = fmt::format("country: {} ({})", *country_path, impl_->country->type());
  } else if (country_path) {
    impl_->status = fmt::format("not available: {}", country_error);
  } else {
    impl_->status = fmt::format("not available: no country database in {}", dirs);
  }
  if (impl_->asn) {
    impl_->status += fmt::format("; asn: {}", *asn_path);
  } else if (asn_path) {
    impl_->status += fmt::format("; asn not available: {}", asn_error);
  }
}

Lookup::~Lookup() = default;
Lookup::Lookup(Lookup&&) noexcept = default;
Lookup& Lookup::operator=(Lookup&&) noexcept = default;

bool Lookup::available() const {
  return impl_ && impl_->country != nullptr;
}
bool Lookup::has_asn() const {
  return impl_ && impl_->asn != nullptr;
}
const std::string& Lookup::status() const {
  static const std::string moved = "not available: moved from";
  return impl_ ? impl_->status : moved;
}
std::string Lookup::database_type() const {
  return impl_ && impl_->country ? impl_->country->type() : std::string{};
}

const std::string& Lookup::country_path() const {
  static const std::string none;
  return impl_ ? impl_->country_path : none;
}

Info Lookup::lookup(std::string_view ip) {
  if (!impl_ || (!impl_->country && !impl_->asn)) return {};
  // v4-mapped IPv6 is the IPv4 address (the converter adds no alias for it).
  if (ip.size() > 7 && ip.substr(0, 7) == "::ffff:" && ip.find('.') != std::string_view::npos) {
    ip.remove_prefix(7);
  }
  std::string key(ip);
  if (auto it = impl_->cache.find(key); it != impl_->cache.end()) return it->second;
  Info info;
  if (impl_->country) impl_->country->lookup(key.c_str(), info);
  if (impl_->asn) impl_->asn->lookup(key.c_str(), info);
  if (impl_->cache.size() >= kCacheLimit) impl_->cache.clear();  // crude, bounded
  impl_->cache.emplace(std::move(key), info);
  return info;
}

}  // namespace relaymon::geo
