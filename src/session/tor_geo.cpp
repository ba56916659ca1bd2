#include "session/tor_geo.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <vector>

#include "control/getinfo.h"
#include "text/text.h"

namespace relaymon::session {

namespace {

constexpr std::string_view kPrefix = "ip-to-country/";

// v4-mapped IPv6 is the IPv4 address: tor would look it up in geoip6.
std::string_view unmapped(std::string_view ip) {
  if (ip.size() > 7 && ip.substr(0, 7) == "::ffff:" && ip.find('.') != std::string_view::npos) {
    ip.remove_prefix(7);
  }
  return ip;
}

bool is_v6(std::string_view ip) {
  return ip.find(':') != std::string_view::npos;
}

// tor keeps country codes in lower case ("de"); relaymon shows ISO upper case.
std::string normalise(std::string_view answer) {
  if (answer.size() != 2 || answer == "??") return {};
  std::string code(answer);
  for (auto& c : code) {
    if (!std::isalpha(static_cast<unsigned char>(c))) return {};
    c = text::upper(c);
  }
  return code;
}

// Runs `done` once, after `count` callbacks have reported in.
std::function<void()> countdown(std::size_t count, std::function<void()> done) {
  auto remaining = std::make_shared<std::size_t>(count);
  return [remaining, done = std::move(done)]() {
    if (--*remaining == 0 && done) done();
  };
}

}  // namespace

std::optional<std::string> TorGeo::country(std::string_view ip) {
  // Text that is no address is not asked: tor would only refuse it.
  auto addr = model::IpAddr::parse(unmapped(ip));
  if (!addr) return std::nullopt;
  return country(*addr);
}

std::optional<std::string> TorGeo::country(const model::IpAddr& ip) {
  if (family_off(ip)) return std::nullopt;
  if (auto it = cache_.find(ip); it != cache_.end()) return it->second;
  if (queue_.size() < limits_.per_poll) queue_.insert(ip.to_string());
  return std::nullopt;
}

std::string TorGeo::status() const {
  if (!answering()) return fmt::format("not available: {}", why_off_);
  std::string text = fmt::format("tor: GETINFO ip-to-country, {} answers cached", order_.size());
  if (v4_off_ || v6_off_) text += fmt::format(" ({})", why_off_);
  return text;
}

void TorGeo::remember(const std::string& ip, std::string country) {
  auto addr = model::IpAddr::parse(ip);
  if (!addr || cache_.count(*addr)) return;
  while (!order_.empty() && order_.size() >= limits_.cache) {
    cache_.erase(order_.front());
    order_.pop_front();
  }
  if (limits_.cache == 0) return;
  cache_.emplace(*addr, std::move(country));
  order_.push_back(*addr);
}

void TorGeo::refuse(bool v6, const std::string& why) {
  bool& off = v6 ? v6_off_ : v4_off_;
  if (off) return;
  off = true;
  why_off_ = why_off_.empty() ? why : why_off_ + "; " + why;
  // Nothing of that family will be asked any more.
  for (auto it = queue_.begin(); it != queue_.end();) {
    it = is_v6(*it) == v6 ? queue_.erase(it) : std::next(it);
  }
}

void TorGeo::probe(control::Controller& controller) {
  v4_off_ = v6_off_ = v4_on_ = v6_on_ = false;
  why_off_.clear();
  std::weak_ptr<TorGeo> weak = weak_from_this();
  for (bool v6 : {false, true}) {
    std::string key = fmt::format("{}ipv{}-available", kPrefix, v6 ? 6 : 4);
    controller.getinfo(
        {key}, [weak, key, v6](std::optional<control::Error> error, control::Reply reply) {
          auto self = weak.lock();
          if (!self || error) return;
          auto parsed = control::parse_getinfo(reply);
          auto* info = std::get_if<control::InfoMap>(&parsed);
          const std::string* value = info ? info->find(key) : nullptr;
          // An unknown key (an old tor) says nothing: lookups will tell.
          if (value && *value == "0") {
            self->refuse(v6, fmt::format("tor has no IPv{} geoip loaded", v6 ? 6 : 4));
          } else if (value && *value == "1") {
            (v6 ? self->v6_on_ : self->v4_on_) = true;
          }
        });
  }
}

void TorGeo::resolve(control::Controller& controller, std::function<void()> done) {
  std::vector<std::string> asking(queue_.begin(), queue_.end());
  queue_.clear();
  if (asking.empty() || !controller.ready()) {
    if (done) done();
    return;
  }
  auto tick = countdown(asking.size(), std::move(done));
  std::weak_ptr<TorGeo> weak = weak_from_this();
  // One key per GETINFO: tor fails a whole batch on one bad key.
  for (auto& ip : asking) {
    std::string key = std::string(kPrefix) + ip;
    controller.getinfo(
        {key}, [weak, key, ip, tick](std::optional<control::Error> error, control::Reply reply) {
          auto self = weak.lock();
          if (self && !error) {
            auto parsed = control::parse_getinfo(reply);
            if (auto* info = std::get_if<control::InfoMap>(&parsed)) {
              if (const std::string* value = info->find(key)) {
                self->remember(ip, normalise(*value));
                (is_v6(ip) ? self->v6_on_ : self->v4_on_) = true;
              }
            } else {
              const auto& why = std::get<control::ReplyError>(parsed);
              if (why.code == 551 && why.message.rfind("Invalid address", 0) == 0) {
                self->remember(ip, "");  // tor could not parse it: no country, ask no more
              } else if (why.code == 551) {
                // "GeoIP data not loaded" (per family). tor's message is not
                // kept: a reply may echo the key, and with it the address.
                self->refuse(is_v6(ip),
                             fmt::format("tor answered 551 (no IPv{} geoip)", is_v6(ip) ? 6 : 4));
              } else if (why.code == 552) {
                self->refuse(false, "tor does not know GETINFO ip-to-country");
                self->refuse(true, "tor does not know GETINFO ip-to-country");
              }
            }
          }
          tick();
        });
  }
}

}  // namespace relaymon::session
