#include "system/resolver_chain.h"

#include <fmt/format.h>

#include "system/resolvers.h"

namespace relaymon::system {

ResolverChain::ResolverChain(std::vector<std::unique_ptr<Resolver>> resolvers)
    : resolvers_(std::move(resolvers)) {
  reason_ = fmt::format("{}: chosen automatically, the first choice ({}).", in_use(),
                        resolvers_[current_]->description());
}

std::unique_ptr<ResolverChain> ResolverChain::make_default(boost::asio::io_context& io) {
  std::vector<std::unique_ptr<Resolver>> resolvers;
  resolvers.push_back(std::make_unique<NetlinkResolver>(io));
  resolvers.push_back(std::make_unique<ProcResolver>(io));
  resolvers.push_back(std::make_unique<SsResolver>(io));
  resolvers.push_back(std::make_unique<NetstatResolver>(io));
  resolvers.push_back(std::make_unique<LsofResolver>(io));
  return std::make_unique<ResolverChain>(std::move(resolvers));
}

std::vector<std::string_view> ResolverChain::names() const {
  std::vector<std::string_view> out;
  for (const auto& r : resolvers_) out.push_back(r->name());
  return out;
}

bool ResolverChain::force(std::string_view name) {
  if (name == "auto") {
    forced_ = false;
    current_ = 0;
    failures_ = 0;
    reason_ = fmt::format("{}: chosen automatically, the first choice ({}).", in_use(),
                          resolvers_[current_]->description());
    return true;
  }
  for (std::size_t k = 0; k < resolvers_.size(); ++k) {
    if (resolvers_[k]->name() != name) continue;
    forced_ = true;
    current_ = k;
    failures_ = 0;
    reason_ = fmt::format("{}: forced with --resolver {} ({}).", name, name,
                          resolvers_[k]->description());
    return true;
  }
  return false;
}

void ResolverChain::async_collect(int pid, Resolver::Callback callback) {
  // A result can arrive after the chain is gone (a worker thread's result
  // posted while its owner was being destroyed): it is then dropped, not
  // delivered to a dead chain.
  std::weak_ptr<int> alive = alive_;
  resolvers_[current_]->async_collect(
      pid, [this, alive, callback = std::move(callback)](ResolveResult result) {
        if (alive.expired()) return;
        on_result(result);
        callback(std::move(result));
      });
}

void ResolverChain::switch_to_next(std::string why) {
  std::string_view old = in_use();
  current_ = (current_ + 1) % resolvers_.size();
  failures_ = 0;
  reason_ = fmt::format("{}: {} {}; switched to the next resolver ({}).", in_use(), old, why,
                        resolvers_[current_]->description());
}

void ResolverChain::on_result(const ResolveResult& result) {
  // A late result from a resolver that is no longer current changes nothing.
  if (result.resolver != in_use()) return;
  switch (result.status) {
    case ResolveStatus::kOk:
      failures_ = 0;
      return;
    case ResolveStatus::kNoPermission:
    case ResolveStatus::kProcessGone:
      return;
    case ResolveStatus::kUnavailable:
      if (forced_) break;
      return switch_to_next(fmt::format("is not available ({})", result.message));
    case ResolveStatus::kTimeout:
    case ResolveStatus::kFailed:
      break;
  }
  ++failures_;
  if (forced_) {
    reason_ = fmt::format("{}: forced with --resolver {}; the last {} attempt(s) failed: {}",
                          in_use(), in_use(), failures_, result.message);
    return;
  }
  if (failures_ >= kMaxFailures) {
    switch_to_next(fmt::format("failed {} times in a row (last: {})", failures_, result.message));
  }
}

}  // namespace relaymon::system
