#include "model/connection_tracker.h"

#include <chrono>
#include <functional>
#include <string_view>

#include "model/flat_index.h"

namespace relaymon::model {

namespace {

std::uint64_t key_of(const system::Socket& s) {
  std::hash<std::string_view> h;
  std::uint64_t k = mix64(h(s.protocol));
  k = mix64(k ^ h(s.local.ip)) ^ s.local.port;
  k = mix64(k ^ h(s.remote.ip)) ^ (static_cast<std::uint64_t>(s.remote.port) << 16);
  return mix64(k);
}

double rate(const std::optional<std::uint64_t>& now, const std::optional<std::uint64_t>& before,
            double seconds) {
  if (!now || !before || *now < *before || seconds <= 0) return 0;
  return static_cast<double>(*now - *before) / seconds;
}

}  // namespace

void ConnectionTracker::update(const system::Sockets& sockets, std::vector<Connection>& connections,
                               TimePoint now) {
  std::unordered_map<std::uint64_t, Seen> next;
  next.reserve(sockets.size());
  for (std::size_t i = 0; i < sockets.size() && i < connections.size(); ++i) {
    Connection& c = connections[i];
    Seen seen{now, now, c.bytes_in, c.bytes_out};
    std::uint64_t key = key_of(sockets[i]);
    auto it = seen_.find(key);
    // Counters that went backwards belong to a new socket with the same endpoints.
    bool same = it != seen_.end() &&
                !(c.bytes_in && it->second.in && *c.bytes_in < *it->second.in) &&
                !(c.bytes_out && it->second.out && *c.bytes_out < *it->second.out);
    if (same) {
      double dt = std::chrono::duration<double>(now - it->second.time).count();
      seen.first_seen = it->second.first_seen;
      c.rate_in = rate(c.bytes_in, it->second.in, dt);
      c.rate_out = rate(c.bytes_out, it->second.out, dt);
    }
    c.first_seen = seen.first_seen;
    next.emplace(key, seen);
  }
  seen_ = std::move(next);
}

}  // namespace relaymon::model
