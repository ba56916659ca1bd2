#include "model/connection_tracker.h"

#include <algorithm>
#include <chrono>

namespace relaymon::model {

namespace {

double rate(const std::optional<std::uint64_t>& now, const std::optional<std::uint64_t>& before,
            double seconds) {
  if (!now || !before || *now < *before || seconds <= 0) return 0;
  return static_cast<double>(*now - *before) / seconds;
}

}  // namespace

void ConnectionTracker::update(std::vector<Connection>& connections, TimePoint now) {
  // What the first look finds was open before relaymon looked.
  const bool first_look = !updated_;
  updated_ = true;
  auto by_key = [](const Seen& a, const Seen& b) { return a.key < b.key; };
  std::vector<Seen> next;
  next.reserve(connections.size());
  for (Connection& c : connections) {
    // Several sockets with one key (same endpoints) all compare with the
    // previous update's record: `seen_` is not changed until the end.
    auto it = std::lower_bound(seen_.begin(), seen_.end(), c.key,
                               [](const Seen& a, std::uint64_t key) { return a.key < key; });
    const Seen* before = it != seen_.end() && it->key == c.key ? &*it : nullptr;
    // Counters that went backwards belong to a new socket with the same endpoints.
    bool same = before && !(c.bytes_in && before->has_in && *c.bytes_in < before->in) &&
                !(c.bytes_out && before->has_out && *c.bytes_out < before->out);
    Seen seen{c.key,
              now,
              now,
              c.bytes_in.value_or(0),
              c.bytes_out.value_or(0),
              c.bytes_in.has_value(),
              c.bytes_out.has_value(),
              first_look};
    if (same) {
      double dt = std::chrono::duration<double>(now - before->time).count();
      seen.first_seen = before->first_seen;
      seen.before_relaymon = before->before_relaymon;
      c.rate_in = rate(c.bytes_in, before->has_in ? std::optional(before->in) : std::nullopt, dt);
      c.rate_out =
          rate(c.bytes_out, before->has_out ? std::optional(before->out) : std::nullopt, dt);
    }
    c.first_seen = seen.first_seen;
    c.opened_before_relaymon = seen.before_relaymon;
    next.push_back(seen);
  }
  // One record per key, the first socket's (a stable sort keeps it first);
  // the sockets that are gone are forgotten with the old list.
  std::stable_sort(next.begin(), next.end(), by_key);
  next.erase(std::unique(next.begin(), next.end(),
                         [](const Seen& a, const Seen& b) { return a.key == b.key; }),
             next.end());
  seen_ = std::move(next);
}

}  // namespace relaymon::model
