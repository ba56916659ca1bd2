#include "model/health_descriptor.h"

#include <fmt/format.h>

#include <charconv>

#include "model/text.h"

namespace relaymon::model {

namespace {

constexpr std::size_t kMaxErrors = 50;
constexpr std::size_t kMaxFamily = 1000;  // MyFamily of the biggest operators is ~100s

std::optional<int> small_int(std::string_view t) {
  auto v = parse_count(t);
  if (!v || *v > 1'000'000) return std::nullopt;
  return static_cast<int>(*v);
}

// "2026-12-06 18:00:00" out of two words.
std::optional<HealthTime> time_of(const std::vector<std::string_view>& w, std::size_t at) {
  if (w.size() < at + 2) return std::nullopt;
  std::string text = fmt::format("{} {}", w[at], w[at + 1]);
  return parse_tor_time(text);
}

// "VERSION YYYY-MM-DD HH:MM:SS"
std::optional<OverloadSeen> overload_seen(const std::vector<std::string_view>& w) {
  if (w.size() != 4) return std::nullopt;
  auto version = small_int(w[1]);
  auto since = time_of(w, 2);
  if (!version || !since) return std::nullopt;
  return OverloadSeen{*version, *since};
}

// "(86400 s)" as two words "(86400" "s)"
std::optional<long> interval_of(std::string_view open, std::string_view close) {
  if (open.size() < 2 || open.front() != '(' || close != "s)") return std::nullopt;
  auto v = parse_count(open.substr(1));
  if (!v || *v > 100'000'000) return std::nullopt;
  return static_cast<long>(*v);
}

std::optional<ConnBiDirect> conn_bi_direct(const std::vector<std::string_view>& w) {
  if (w.size() != 6) return std::nullopt;
  auto end = time_of(w, 1);
  auto interval = interval_of(w[3], w[4]);
  if (!end || !interval) return std::nullopt;
  ConnBiDirect c{*end, *interval};
  std::uint64_t* fields[] = {&c.below, &c.read, &c.write, &c.both};
  std::string_view rest = w[5];
  for (std::size_t i = 0; i < 4; ++i) {
    auto comma = rest.find(',');
    if ((i < 3) == (comma == std::string_view::npos)) return std::nullopt;
    auto v = parse_count(rest.substr(0, comma));
    if (!v) return std::nullopt;
    *fields[i] = *v;
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
  }
  return c;
}

class Parser {
 public:
  explicit Parser(FreshDescriptors& out) : out_(out) {}

  void line(std::string_view text) {
    current_ = text;
    if (in_object_) {
      if (text.rfind("-----END ", 0) == 0) in_object_ = false;
      return;
    }
    if (text.rfind("-----BEGIN ", 0) == 0) {
      in_object_ = true;
      if (pending_family_cert_ && text == "-----BEGIN FAMILY CERT-----" && out_.server) {
        ++out_.server->family_certs;
      }
      pending_family_cert_ = false;
      return;
    }
    pending_family_cert_ = false;
    split_spaces(text, words_);
    if (words_.empty()) return;
    std::string_view k = words_[0];
    if (k == "router") return router();
    if (k == "extra-info") return extra_info();
    if (doc_ == Doc::kServer) return server(k);
    if (doc_ == Doc::kExtra) return extra(k);
  }

 private:
  enum class Doc { kNone, kServer, kExtra };

  void error(std::string_view keyword, std::string_view problem) {
    if (out_.errors.size() < kMaxErrors)
      out_.errors.push_back(fmt::format("{}: {}", keyword, problem));
  }

  void router() {
    auto port = words_.size() == 6 ? parse_port(words_[3]) : std::nullopt;
    if (!port) {
      doc_ = Doc::kNone;
      return error("router", "expected nickname, address and 3 ports");
    }
    doc_ = Doc::kServer;
    out_.server.emplace();
    out_.server->nickname = std::string(words_[1]);
    out_.server->address = std::string(words_[2]);
    out_.server->or_port = *port;
  }

  void extra_info() {
    if (words_.size() != 3) {
      doc_ = Doc::kNone;
      return error("extra-info", "expected nickname and fingerprint");
    }
    doc_ = Doc::kExtra;
    out_.extra_info.emplace();
    out_.extra_info->nickname = std::string(words_[1]);
    out_.extra_info->fingerprint = std::string(words_[2]);
  }

  void server(std::string_view k) {
    ServerDescriptor& s = *out_.server;
    const auto& w = words_;
    if (k == "platform") {
      auto after = static_cast<std::size_t>(w[0].data() - current_.data()) + w[0].size();
      s.platform = std::string(trim(current_.substr(after)));
    } else if (k == "published") {
      s.published = time_of(w, 1);
      if (!s.published || w.size() != 3) error(k, "bad time");
    } else if (k == "uptime") {
      auto v = w.size() == 2 ? parse_count(w[1]) : std::nullopt;
      if (v && *v < 10'000'000'000ULL) {
        s.uptime_seconds = static_cast<long>(*v);
      } else {
        error(k, "bad number");
      }
    } else if (k == "bandwidth") {
      auto a = w.size() == 4 ? parse_count(w[1]) : std::nullopt;
      auto b = w.size() == 4 ? parse_count(w[2]) : std::nullopt;
      auto o = w.size() == 4 ? parse_count(w[3]) : std::nullopt;
      if (!a || !b || !o) return error(k, "expected 3 numbers");
      s.bandwidth_average = a;
      s.bandwidth_burst = b;
      s.bandwidth_observed = o;
    } else if (k == "fingerprint") {
      std::string fp;
      for (std::size_t i = 1; i < w.size(); ++i) fp.append(w[i]);
      if (fp.size() != 40) return error(k, "not 40 hex digits");
      s.fingerprint = std::move(fp);
    } else if (k == "family") {
      for (std::size_t i = 1; i < w.size() && s.family.size() < kMaxFamily; ++i) {
        s.family.emplace_back(w[i]);
      }
    } else if (k == "family-cert") {
      pending_family_cert_ = true;
    } else if (k == "hibernating") {
      s.hibernating = w.size() == 2 && w[1] == "1";
    } else if (k == "or-address") {
      if (w.size() == 2) {
        s.or_addresses.emplace_back(w[1]);
      } else {
        error(k, "expected one address");
      }
    } else if (k == "overload-general") {
      s.overload_general = overload_seen(w);
      if (!s.overload_general) error(k, "expected version and time");
    }
  }

  void extra(std::string_view k) {
    ExtraInfo& e = *out_.extra_info;
    const auto& w = words_;
    if (k == "published") {
      e.published = time_of(w, 1);
      if (!e.published || w.size() != 3) error(k, "bad time");
    } else if (k == "overload-fd-exhausted") {
      e.overload_fd_exhausted = overload_seen(w);
      if (!e.overload_fd_exhausted) error(k, "expected version and time");
    } else if (k == "overload-ratelimits") {
      std::optional<OverloadRateLimits> r;
      if (w.size() == 8) {
        auto version = small_int(w[1]);
        auto since = time_of(w, 2);
        auto rate = parse_count(w[4]), burst = parse_count(w[5]);
        auto rd = parse_count(w[6]), wr = parse_count(w[7]);
        if (version && since && rate && burst && rd && wr) {
          r = OverloadRateLimits{*version, *since, *rate, *burst, *rd, *wr};
        }
      }
      e.overload_ratelimits = r;
      if (!r) error(k, "expected version, time and 4 numbers");
    } else if (k == "dirreq-stats-end") {
      auto end = w.size() == 5 ? time_of(w, 1) : std::nullopt;
      auto interval = w.size() == 5 ? interval_of(w[3], w[4]) : std::nullopt;
      if (!end || !interval) return error(k, "expected time and interval");
      e.dirreq_stats_end = end;
      e.dirreq_interval_seconds = *interval;
    } else if (k == "dirreq-v3-resp") {
      e.dirreq_v3_resp.clear();
      std::string_view rest = w.size() == 2 ? w[1] : std::string_view{};
      while (!rest.empty() && e.dirreq_v3_resp.size() < 32) {
        auto comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        auto eq = item.find('=');
        auto v = eq == std::string_view::npos ? std::nullopt : parse_count(item.substr(eq + 1));
        if (!v || eq == 0) {
          e.dirreq_v3_resp.clear();
          return error(k, "expected key=count pairs");
        }
        e.dirreq_v3_resp.emplace_back(std::string(item.substr(0, eq)), *v);
      }
    } else if (k == "conn-bi-direct" || k == "ipv6-conn-bi-direct") {
      auto c = conn_bi_direct(w);
      if (!c) return error(k, "expected time, interval and 4 counts");
      (k == "conn-bi-direct" ? e.conn_bi_direct : e.ipv6_conn_bi_direct) = c;
    }
  }

  FreshDescriptors& out_;
  std::string_view current_;
  Doc doc_ = Doc::kNone;
  bool in_object_ = false;
  bool pending_family_cert_ = false;
  std::vector<std::string_view> words_;
};

}  // namespace

FreshDescriptors parse_fresh_relay_descs(std::string_view text) {
  FreshDescriptors out;
  Parser parser(out);
  for_each_line(text, [&](std::string_view line) {
    parser.line(line);
    return true;
  });
  return out;
}

}  // namespace relaymon::model
