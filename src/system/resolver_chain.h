// Chooses the resolver (resolvers.h) that collects tor's sockets: netlink
// sock_diag first, then the /proc tables, ss, netstat, lsof. A resolver that fails three
// times in a row (or is not installed at all, at once) is replaced by the
// next one, wrapping around after the last; `reason()` says in one sentence
// which resolver is in use and why. `force(name)` (--resolver NAME, config
// key `resolver`) pins one: it is then never replaced, only reported.
//
// "No permission" and "process gone" are not the resolver's fault and do not
// count as failures: another tool would see no more.
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "system/resolver.h"

namespace relaymon::system {

class ResolverChain {
 public:
  static constexpr int kMaxFailures = 3;

  // `resolvers` in order of preference; must not be empty.
  explicit ResolverChain(std::vector<std::unique_ptr<Resolver>> resolvers);
  // netlink, proc, ss, netstat, lsof.
  static std::unique_ptr<ResolverChain> make_default(boost::asio::io_context& io);

  // Pins the resolver called `name`, or returns to automatic choice with
  // "auto". False (nothing changed) for an unknown name.
  bool force(std::string_view name);
  bool forced() const { return forced_; }

  // Collects with the current resolver; updates the choice from the result
  // before the callback runs. The chain must outlive the call.
  void async_collect(int pid, Resolver::Callback callback);

  std::string_view in_use() const { return resolvers_[current_]->name(); }
  const std::string& reason() const { return reason_; }
  int consecutive_failures() const { return failures_; }
  std::vector<std::string_view> names() const;

 private:
  void on_result(const ResolveResult& result);
  void switch_to_next(std::string why);

  std::vector<std::unique_ptr<Resolver>> resolvers_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);  // see async_collect
  std::size_t current_ = 0;
  bool forced_ = false;
  int failures_ = 0;
  std::string reason_;
};

}  // namespace relaymon::system
