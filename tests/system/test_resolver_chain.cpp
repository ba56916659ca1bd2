// ResolverChain's choice: automatic order, replacement after three failures
// in a row, immediate replacement of a missing tool, forcing. The resolvers
// here are fakes (scripted results), because a real tool cannot be made to
// fail on cue; the real resolvers are tested in test_resolvers.cpp.
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <catch2/catch.hpp>
#include <deque>

#include <unistd.h>

#include "system/resolver_chain.h"

using namespace relaymon::system;
namespace asio = boost::asio;

namespace {
class FakeResolver final : public Resolver {
 public:
  FakeResolver(asio::io_context& io, std::string name) : io_(io), name_(std::move(name)) {}
  std::string_view name() const override { return name_; }
  std::string_view description() const override { return "a fake"; }
  void async_collect(int, Callback callback) override {
    ResolveStatus status = script.empty() ? ResolveStatus::kOk : script.front();
    if (!script.empty()) script.pop_front();
    ++calls;
    asio::post(io_, [this, status, callback = std::move(callback)] {
      ResolveResult r;
      r.resolver = name_;
      r.status = status;
      if (status != ResolveStatus::kOk) r.message = name_ + " broke";
      callback(std::move(r));
    });
  }
  std::deque<ResolveStatus> script;
  int calls = 0;

 private:
  asio::io_context& io_;
  std::string name_;
};

struct Fixture {
  asio::io_context io;
  FakeResolver* a = nullptr;
  FakeResolver* b = nullptr;
  FakeResolver* c = nullptr;
  std::unique_ptr<ResolverChain> chain;
  Fixture() {
    std::vector<std::unique_ptr<Resolver>> rs;
    rs.push_back(std::make_unique<FakeResolver>(io, "proc"));
    rs.push_back(std::make_unique<FakeResolver>(io, "ss"));
    rs.push_back(std::make_unique<FakeResolver>(io, "lsof"));
    a = static_cast<FakeResolver*>(rs[0].get());
    b = static_cast<FakeResolver*>(rs[1].get());
    c = static_cast<FakeResolver*>(rs[2].get());
    chain = std::make_unique<ResolverChain>(std::move(rs));
  }
  ResolveResult poll() {
    std::optional<ResolveResult> r;
    chain->async_collect(1, [&](ResolveResult x) { r = std::move(x); });
    io.restart();
    io.run();
    return std::move(*r);
  }
};
}  // namespace

TEST_CASE("fake resolvers: the chain starts with the first and says why", "[chain]") {
  Fixture f;
  CHECK(f.chain->in_use() == "proc");
  CHECK(f.chain->reason() == "proc: chosen automatically, the first choice (a fake).");
  CHECK(f.poll().ok());
  CHECK(f.chain->in_use() == "proc");
}

TEST_CASE("fake resolvers: three failures in a row replace a resolver", "[chain]") {
  Fixture f;
  f.a->script = {ResolveStatus::kFailed, ResolveStatus::kTimeout, ResolveStatus::kOk,
                 ResolveStatus::kFailed, ResolveStatus::kFailed,  ResolveStatus::kFailed};
  for (int k = 0; k < 5; ++k) {
    f.poll();
    CHECK(f.chain->in_use() == "proc");  // the success in between resets the count
  }
  auto last = f.poll();
  CHECK(last.resolver == "proc");
  CHECK(last.status == ResolveStatus::kFailed);
  CHECK(f.chain->in_use() == "ss");
  CHECK(f.chain->reason() ==
        "ss: proc failed 3 times in a row (last: proc broke); switched to the next resolver "
        "(a fake).");
  CHECK(f.poll().resolver == "ss");
  CHECK(f.a->calls == 6);
}

TEST_CASE("fake resolvers: a missing tool is replaced at once, the last wraps around", "[chain]") {
  Fixture f;
  f.a->script = {ResolveStatus::kUnavailable};
  f.b->script = {ResolveStatus::kUnavailable};
  f.c->script = {ResolveStatus::kFailed, ResolveStatus::kFailed, ResolveStatus::kFailed};
  f.poll();
  CHECK(f.chain->in_use() == "ss");
  f.poll();
  CHECK(f.chain->in_use() == "lsof");
  CHECK_THAT(f.chain->reason(), Catch::StartsWith("lsof: ss is not available (ss broke)"));
  for (int k = 0; k < 3; ++k) f.poll();
  CHECK(f.chain->in_use() == "proc");
}

TEST_CASE("fake resolvers: no permission and a gone process are not failures", "[chain]") {
  Fixture f;
  f.a->script = {ResolveStatus::kNoPermission, ResolveStatus::kNoPermission,
                 ResolveStatus::kNoPermission, ResolveStatus::kProcessGone};
  for (int k = 0; k < 4; ++k) f.poll();
  CHECK(f.chain->in_use() == "proc");
  CHECK(f.chain->consecutive_failures() == 0);
}

TEST_CASE("fake resolvers: a forced resolver is never replaced", "[chain]") {
  Fixture f;
  CHECK_FALSE(f.chain->force("netstat"));  // not in this chain
  CHECK(f.chain->in_use() == "proc");
  REQUIRE(f.chain->force("lsof"));
  CHECK(f.chain->forced());
  CHECK(f.chain->reason() == "lsof: forced with --resolver lsof (a fake).");
  f.c->script = {ResolveStatus::kUnavailable, ResolveStatus::kFailed, ResolveStatus::kFailed,
                 ResolveStatus::kFailed};
  for (int k = 0; k < 4; ++k) f.poll();
  CHECK(f.chain->in_use() == "lsof");
  CHECK(f.chain->reason() ==
        "lsof: forced with --resolver lsof; the last 4 attempt(s) failed: lsof broke");
  REQUIRE(f.chain->force("auto"));
  CHECK_FALSE(f.chain->forced());
  CHECK(f.chain->in_use() == "proc");
}

TEST_CASE("the default chain: netlink, proc, ss, netstat, lsof", "[chain]") {
  asio::io_context io;
  auto chain = ResolverChain::make_default(io);
  CHECK(chain->names() ==
        std::vector<std::string_view>{"netlink", "proc", "ss", "netstat", "lsof"});
  CHECK(chain->in_use() == "netlink");
}

// The real worker-thread resolvers (netlink, /proc) on this process: the
// chain is destroyed while a collection is in flight. Destroying it joins
// the worker, whose result is then queued on the io_context with nobody to
// take it; running the queue afterwards must drop that result, not call
// into the dead chain (ASan reports the use-after-free this once was).
TEST_CASE("a chain destroyed mid-collection drops the late result (real worker resolvers)") {
  for (const char* name : {"netlink", "proc"}) {
    asio::io_context io;
    bool delivered = false;
    {
      auto chain = ResolverChain::make_default(io);
      REQUIRE(chain->force(name));
      chain->async_collect(static_cast<int>(::getpid()),
                           [&delivered](const ResolveResult&) { delivered = true; });
    }
    CHECK(io.run() > 0);  // the worker's result was queued...
    INFO(name);
    CHECK_FALSE(delivered);  // ...and dropped
  }
}
