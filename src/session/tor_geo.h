// Countries from tor itself, for when no country .mmdb is installed or one
// misses an address: GETINFO ip-to-country/ADDR, answered from tor's own
// geoip files (Debian's tor-geoipdb) with a two-letter code, "??" when
// unknown, or 551 when tor has no geoip loaded for that address family.
//
// Lives in the session layer because it talks to the control port and geo/
// must not. Lookups never block: a miss is queued (at most `per_poll`
// addresses per round) and resolve() asks tor for the queued ones, each key
// its own pipelined GETINFO. Answers, "??" included, are cached (bounded);
// a 551 stops all asking for that family until the next connection.
//
// Privacy: addresses go only to the local tor's control port, which
// already knows them; they are never logged, nor put in any status text.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

#include "control/controller.h"
#include "model/ip.h"

namespace relaymon::session {

class TorGeo : public std::enable_shared_from_this<TorGeo> {
 public:
  struct Limits {
    std::size_t per_poll = 64;  // GETINFOs sent per resolve()
    std::size_t cache = 10000;  // answers kept (oldest dropped first)
  };
  explicit TorGeo(Limits limits) : limits_(limits) {}
  TorGeo() : TorGeo(Limits{}) {}

  // tor's answer for `ip` (canonical or v4-mapped text): an upper-case ISO
  // code, or "" for tor's "??". nullopt when not known yet (then queued) or
  // when tor cannot answer for its family.
  std::optional<std::string> country(std::string_view ip);
  // The same for an address already parsed: a poll asks for every peer of
  // a big relay, and the cache is keyed by the address's value, so a hit
  // formats no text (only a miss, to be asked, does).
  std::optional<std::string> country(const model::IpAddr& ip);

  bool pending() const { return !queue_.empty(); }
  std::size_t cached() const { return order_.size(); }
  // False once tor said it has geoip for neither IPv4 nor IPv6.
  bool usable() const { return !v4_off_ || !v6_off_; }
  // tor is a source of countries: a family it answered for (or said it
  // has), or none refused yet. One refused and the other unheard of is not.
  bool answering() const { return v4_on_ || v6_on_ || (!v4_off_ && !v6_off_); }
  // "tor: ..." / "not available: ..." for the snapshot (never an address).
  std::string status() const;

  // On (re)connect: asks ip-to-country/ipv{4,6}-available (answers come
  // before any lookup, commands being answered in order) and forgets a
  // previous tor's refusals.
  void probe(control::Controller& controller);
  // Asks tor for the queued addresses; `done` runs once all have answered.
  void resolve(control::Controller& controller, std::function<void()> done);

 private:
  void remember(const std::string& ip, std::string country);
  bool family_off(const model::IpAddr& ip) const { return ip.is_v4() ? v4_off_ : v6_off_; }
  void refuse(bool v6, const std::string& why);

  Limits limits_;
  std::set<std::string> queue_;  // sorted: a stable order of asking
  std::unordered_map<model::IpAddr, std::string, model::IpAddrHash> cache_;
  std::deque<model::IpAddr> order_;  // insertion order, for eviction
  bool v4_off_ = false;
  bool v6_off_ = false;
  bool v4_on_ = false;  // tor answered for the family, or said it has it
  bool v6_on_ = false;
  std::string why_off_;
};

}  // namespace relaymon::session
