#include "model/bandwidth_history.h"

#include <algorithm>
#include <chrono>

namespace relaymon::model {

const std::vector<int>& BandwidthHistory::intervals() {
  static const std::vector<int> all = {1, 5, 30, 60, 900, 1800, 3600, 86400};
  return all;
}

BandwidthHistory::BandwidthHistory(std::size_t buckets)
    : limit_(buckets), rings_(intervals().size()) {}

void BandwidthHistory::clear() {
  for (auto& ring : rings_) ring.clear();
}

void BandwidthHistory::add(const BandwidthSample& sample) {
  if (sample.spike) return;
  auto t = std::chrono::duration_cast<std::chrono::seconds>(sample.time.time_since_epoch()).count();
  for (std::size_t i = 0; i < rings_.size(); ++i) {
    long long step = intervals()[i];
    long long key = t >= 0 ? t / step : (t - step + 1) / step;
    auto& ring = rings_[i];
    if (ring.empty() || ring.back().key != key) {
      if (!ring.empty() && key < ring.back().key) continue;  // the clock went back: skip
      ring.push_back({key, 0, 0, 0});
      while (ring.size() > limit_) ring.pop_front();
    }
    Bucket& b = ring.back();
    b.read += static_cast<double>(sample.read);
    b.written += static_cast<double>(sample.written);
    ++b.count;
  }
}

std::vector<IntervalSeries> BandwidthHistory::series() const {
  std::vector<IntervalSeries> out;
  out.reserve(rings_.size());
  for (std::size_t i = 0; i < rings_.size(); ++i) {
    IntervalSeries s;
    s.seconds = intervals()[i];
    s.samples.reserve(rings_[i].size());
    for (const Bucket& b : rings_[i]) {
      BandwidthSample avg;
      avg.time = TimePoint(std::chrono::seconds(b.key * s.seconds));
      avg.read = static_cast<std::uint64_t>(b.read / b.count);
      avg.written = static_cast<std::uint64_t>(b.written / b.count);
      s.samples.push_back(avg);
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<IntervalSeries> history_of(const std::vector<BandwidthSample>& samples) {
  BandwidthHistory history;
  for (const auto& s : samples) history.add(s);
  return history.series();
}

void flag_startup_spikes(std::vector<BandwidthSample>& cache, std::optional<std::uint64_t> burst) {
  constexpr std::size_t kFirst = 10;
  constexpr std::uint64_t kFloor = 10ULL * 1024 * 1024;
  for (std::size_t i = 0; i < cache.size() && i < kFirst; ++i) {
    std::uint64_t rest = 0;
    for (std::size_t j = i + 1; j < cache.size(); ++j) {
      rest = std::max({rest, cache[j].read, cache[j].written});
    }
    std::uint64_t value = std::max(cache[i].read, cache[i].written);
    bool over_burst = burst && *burst > 0 && value > 2 * *burst;
    bool out_of_line = value > kFloor && value > 10 * rest;
    if (over_burst || out_of_line) cache[i].spike = true;
  }
}

}  // namespace relaymon::model
