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
  // The connections by key (then by position: the first socket of a key
  // sets its record), walked beside the previous records, which are
  // sorted by key too: one sort of small pairs, then a merge.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> order;
  order.reserve(connections.size());
  for (std::size_t i = 0; i < connections.size(); ++i) {
    order.emplace_back(connections[i].key, static_cast<std::uint32_t>(i));
  }
  std::sort(order.begin(), order.end());
  std::vector<Seen> next;
  next.reserve(connections.size());
  auto old = seen_.begin();
  for (const auto& [key, index] : order) {
    Connection& c = connections[index];
    while (old != seen_.end() && old->key < key) ++old;
    // Several sockets with one key (same endpoints) all compare with the
    // previous update's record.
    const Seen* before = old != seen_.end() && old->key == key ? &*old : nullptr;
    // Counters that went backwards belong to a new socket with the same endpoints.
    bool same = before && !(c.bytes_in && before->has_in && *c.bytes_in < before->in) &&
                !(c.bytes_out && before->has_out && *c.bytes_out < before->out);
    Seen seen{key,
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
    // One record per key, in key order; the sockets that are gone are
    // forgotten with the old list.
    if (next.empty() || next.back().key != key) next.push_back(seen);
  }
  seen_ = std::move(next);
}

}  // namespace relaymon::model
