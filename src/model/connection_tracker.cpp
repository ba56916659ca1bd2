#include "model/connection_tracker.h"

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
  const std::uint64_t generation = ++generation_;
  seen_.reserve(connections.size());
  for (Connection& c : connections) {
    // What the first look finds was open before relaymon looked.
    Seen seen{now, now, c.bytes_in, c.bytes_out, generation == 1};
    auto [it, inserted] = seen_.try_emplace(c.key);
    Entry& entry = it->second;
    // The first socket with this key in this update moves the entry on;
    // a second one (same endpoints) compares with the same previous value
    // and leaves the entry as the first one set it.
    bool first = inserted || entry.generation != generation;
    if (first) {
      entry.previous = inserted ? std::nullopt : std::optional<Seen>(entry.current);
    }
    const std::optional<Seen>& before = entry.previous;
    // Counters that went backwards belong to a new socket with the same endpoints.
    bool same = before && !(c.bytes_in && before->in && *c.bytes_in < *before->in) &&
                !(c.bytes_out && before->out && *c.bytes_out < *before->out);
    if (same) {
      double dt = std::chrono::duration<double>(now - before->time).count();
      seen.first_seen = before->first_seen;
      seen.before_relaymon = before->before_relaymon;
      c.rate_in = rate(c.bytes_in, before->in, dt);
      c.rate_out = rate(c.bytes_out, before->out, dt);
    }
    c.first_seen = seen.first_seen;
    c.opened_before_relaymon = seen.before_relaymon;
    if (first) {
      entry.current = seen;
      entry.generation = generation;
    }
  }
  // Forget the sockets that are gone.
  std::erase_if(seen_, [&](const auto& kv) { return kv.second.generation != generation; });
}

}  // namespace relaymon::model
