#include "model/health_events.h"

#include <charconv>
#include <cmath>

#include "control/events.h"
#include "model/health_values.h"
#include "model/text.h"

namespace relaymon::model {

namespace {

// Reads a message against tor's format string piece by piece.
class Scan {
 public:
  explicit Scan(std::string_view text) : s_(text) {}
  bool ok() const { return ok_; }
  bool done() const { return ok_ && s_.empty(); }
  std::string_view rest() const { return s_; }

  Scan& lit(std::string_view literal) {
    if (ok_ && s_.substr(0, literal.size()) == literal) {
      s_.remove_prefix(literal.size());
    } else {
      ok_ = false;
    }
    return *this;
  }
  // The text up to (not including) `stop`, which is consumed too.
  Scan& until(std::string_view stop, std::string_view& out) {
    auto at = ok_ ? s_.find(stop) : std::string_view::npos;
    if (at == std::string_view::npos) {
      ok_ = false;
      return *this;
    }
    out = s_.substr(0, at);
    s_.remove_prefix(at + stop.size());
    return *this;
  }
  Scan& num(std::uint64_t& out) {
    if (!ok_) return *this;
    auto [end, ec] = std::from_chars(s_.data(), s_.data() + s_.size(), out);
    if (ec != std::errc{} || end == s_.data()) {
      ok_ = false;
    } else {
      s_.remove_prefix(static_cast<std::size_t>(end - s_.data()));
    }
    return *this;
  }
  Scan& num(long& out) {
    std::uint64_t v = 0;
    num(v);
    if (ok_ && v > 1'000'000'000'000ULL) ok_ = false;
    out = static_cast<long>(v);
    return *this;
  }
  Scan& real(double& out) {
    if (!ok_) return *this;
    auto [end, ec] = std::from_chars(s_.data(), s_.data() + s_.size(), out);
    if (ec != std::errc{} || end == s_.data() || !std::isfinite(out)) {
      ok_ = false;
    } else {
      s_.remove_prefix(static_cast<std::size_t>(end - s_.data()));
    }
    return *this;
  }

 private:
  std::string_view s_;
  bool ok_ = true;
};

std::optional<HealthLogLine> heartbeat(std::string_view m) {
  HeartbeatSummary h;
  std::string_view uptime, sent, received;
  Scan s(m);
  s.lit("Heartbeat: Tor's uptime is ").until(", with ", uptime).num(h.circuits);
  s.lit(" circuits open. I've sent ")
      .until(" and received ", sent)
      .until(". I've received ", received);
  s.num(h.inbound_ipv4).lit(" connections on IPv4 and ").num(h.inbound_ipv6);
  s.lit(" on IPv6. I've made ").num(h.outbound_ipv4).lit(" connections with IPv4 and ");
  s.num(h.outbound_ipv6).lit(" with IPv6.");
  if (!s.ok()) return std::nullopt;
  if (s.rest() == " We are currently hibernating.") {
    h.hibernating = true;
  } else if (!s.rest().empty()) {
    return std::nullopt;
  }
  auto up = parse_uptime_text(uptime);
  auto tx = parse_usage(sent), rx = parse_usage(received);
  if (!up || !tx || !rx) return std::nullopt;
  h.uptime_seconds = *up;
  h.sent_bytes = *tx;
  h.received_bytes = *rx;
  return h;
}

std::optional<HealthLogLine> dos(std::string_view m) {
  Scan s(m);
  std::string_view body;
  s.lit("Heartbeat: DoS mitigation since startup: ");
  if (!s.ok() || s.rest().empty() || s.rest().back() != '.') return std::nullopt;
  body = s.rest().substr(0, s.rest().size() - 1);
  DosHeartbeat d;
  struct Item {
    std::string_view text;
    std::optional<std::uint64_t> DosHeartbeat::*field;
  };
  static constexpr Item kItems[] = {
      {" circuits killed with too many cells", &DosHeartbeat::circuits_killed_max_cells},
      {" same address concurrent connections rejected",
       &DosHeartbeat::concurrent_connections_rejected},
      {" connections rejected", &DosHeartbeat::connections_rejected},
      {" single hop clients refused", &DosHeartbeat::single_hop_refused},
      {" stream rejected", &DosHeartbeat::streams_rejected},
      {" INTRODUCE2 rejected", &DosHeartbeat::introduce2_rejected},
  };
  while (!body.empty()) {
    // Elements are joined with ", "; the circuit element has commas inside.
    std::string_view element;
    std::uint64_t n = 0, marked = 0, marked_q = 0;
    if (body.front() == '[') {
      auto close = body.find(']');
      if (close == std::string_view::npos) return std::nullopt;
      element = body.substr(1, close - 1);
      if (element.size() < 10 || element.substr(element.size() - 9) != " disabled") {
        return std::nullopt;
      }
      if (d.disabled.size() < 16) d.disabled.emplace_back(element.substr(0, element.size() - 9));
      body.remove_prefix(close + 1);
    } else {
      Scan e(body);
      e.num(n).lit(" circuits rejected, ").num(marked).lit(" marked addresses, ").num(marked_q);
      e.lit(" marked addresses for max queue");
      if (e.ok()) {
        d.circuits_rejected = n;
        d.marked_addresses = marked;
        d.marked_addresses_max_queue = marked_q;
        body = e.rest();
      } else {
        Scan c(body);
        c.num(n);
        if (!c.ok()) return std::nullopt;
        bool known = false;
        for (const auto& item : kItems) {
          if (c.rest().substr(0, item.text.size()) == item.text) {
            d.*item.field = n;
            body = c.rest().substr(item.text.size());
            known = true;
            break;
          }
        }
        if (!known) {
          // A counter this version does not know: skip to the next element.
          auto comma = body.find(", ");
          body = comma == std::string_view::npos ? std::string_view{} : body.substr(comma);
        }
      }
    }
    if (body.empty()) break;
    if (body.substr(0, 2) != ", ") return std::nullopt;
    body.remove_prefix(2);
  }
  return d;
}

std::optional<HealthLogLine> handshakes(std::string_view m) {
  HandshakeStats h;
  Scan s(m);
  s.lit("Circuit handshake stats since last time: ").num(h.tap.assigned).lit("/");
  s.num(h.tap.requested).lit(" TAP, ").num(h.ntor.assigned).lit("/").num(h.ntor.requested);
  s.lit(" NTor");
  if (s.ok() && s.rest() == ".") return h;  // before 0.4.9: no ntor v3
  s.lit(", ").num(h.ntor_v3.assigned).lit("/").num(h.ntor_v3.requested).lit(" NTor (v3).");
  if (!s.done()) return std::nullopt;
  return h;
}

std::optional<HealthLogLine> accounting(std::string_view m) {
  AccountingHeartbeat a;
  std::string_view sent, received, used, max, rule, end, remaining;
  Scan s(m);
  s.lit("Heartbeat: Accounting enabled. Sent: ").until(", Received: ", sent);
  s.until(", Used: ", received).until(" / ", used).until(", Rule: ", max);
  s.until(". The current accounting interval ends on ", rule).until(", in ", end);
  if (!s.ok() || s.rest().empty() || s.rest().back() != '.') return std::nullopt;
  remaining = s.rest().substr(0, s.rest().size() - 1);
  auto tx = parse_usage(sent), rx = parse_usage(received), u = parse_usage(used);
  auto mx = parse_usage(max);
  auto left = parse_uptime_text(remaining);
  if (!tx || !rx || !u || !mx || !left || rule.empty() || rule.size() > 8) return std::nullopt;
  a.sent_bytes = *tx;
  a.received_bytes = *rx;
  a.used_bytes = *u;
  a.max_bytes = *mx;
  a.rule = std::string(rule);
  a.interval_end = std::string(end.substr(0, 32));
  a.remaining_seconds = *left;
  return a;
}

std::optional<HealthLogLine> low_memory(std::string_view m) {
  LowMemory l;
  std::uint64_t zlib = 0, zstd = 0, lzma = 0;
  Scan s(m);
  s.lit("We're low on memory (cell queues total alloc: ").num(l.cell_queues);
  s.lit(" buffer total alloc: ").num(l.buffers).lit(", tor compress total alloc: ");
  s.num(l.compression).lit(" (zlib: ").num(zlib).lit(", zstd: ").num(zstd).lit(", lzma: ");
  s.num(lzma).lit("), rendezvous cache total alloc: ").num(l.rendezvous_cache).lit(").");
  if (!s.ok()) return std::nullopt;
  return l;
}

std::optional<HealthLogLine> oom_killed(std::string_view m) {
  OomKilled o;
  Scan s(m);
  s.lit("Removed ").num(o.bytes).lit(" bytes by killing ").num(o.circuits_killed);
  s.lit(" circuits; ").num(o.circuits_alive).lit(" circuits remain alive.");
  if (!s.ok()) return std::nullopt;
  return o;
}

std::optional<HealthLogLine> ntor_overload(std::string_view m) {
  NtorOverload n;
  Scan s(m);
  s.lit("General overload -> Ntor dropped (").num(n.dropped).lit(") fraction ");
  s.real(n.fraction_percent).lit("% is above threshold of ").real(n.threshold_percent).lit("%");
  if (!s.ok()) return std::nullopt;
  return n;
}

std::optional<HealthLogLine> exhausted(std::string_view m) {
  ConnectionsExhausted c;
  Scan s(m);
  s.lit("Failing because we have ").num(c.connections).lit(" connections already.");
  if (!s.ok()) return std::nullopt;
  return c;
}

const std::string* arg(const control::StatusEvent& e, std::string_view key) {
  return e.find(key);
}

}  // namespace

std::optional<std::uint64_t> parse_usage(std::string_view text) {
  Scan s(text);
  if (text.size() > 3 && text.substr(text.size() - 3) == " kB") {
    std::uint64_t kb = 0;
    s.num(kb).lit(" kB");
    if (!s.done() || kb > (1ULL << 40)) return std::nullopt;
    return kb << 10;
  }
  double v = 0;
  s.real(v);
  if (!s.ok() || v < 0 || v > 1e9) return std::nullopt;
  if (s.rest() == " MB") return static_cast<std::uint64_t>(std::llround(v * (1 << 20)));
  if (s.rest() == " GB") return static_cast<std::uint64_t>(std::llround(v * (1 << 30)));
  return std::nullopt;
}

std::optional<long> parse_uptime_text(std::string_view text) {
  long days = 0, hours = 0, minutes = 0;
  Scan s(text);
  if (text.find(" day") != std::string_view::npos) {
    s.num(days);
    if (s.rest().substr(0, 5) == " days") {
      s.lit(" days ");
    } else {
      s.lit(" day ");
    }
  }
  s.num(hours).lit(":");
  const std::size_t before = s.rest().size();
  s.num(minutes);
  const bool two_digits = before - s.rest().size() == 2;  // "%02d"
  s.lit(" hours");
  if (!s.done() || !two_digits || hours > 23 || minutes > 59 || days > 100'000) {
    return std::nullopt;
  }
  return days * 86400 + hours * 3600 + minutes * 60;
}

std::optional<HealthLogLine> parse_health_log(std::string_view m) {
  if (m.size() > 4096) return std::nullopt;
  if (m.rfind("Heartbeat: ", 0) == 0) {
    if (m == "Heartbeat: It seems like we are not in the cached consensus.") {
      return HeartbeatNotInConsensus{};
    }
    if (m.rfind("Heartbeat: Tor's uptime", 0) == 0) return heartbeat(m);
    if (m.rfind("Heartbeat: DoS mitigation", 0) == 0) return dos(m);
    if (m.rfind("Heartbeat: Accounting enabled", 0) == 0) return accounting(m);
    return std::nullopt;
  }
  if (m.rfind("Circuit handshake stats", 0) == 0) return handshakes(m);
  if (m.rfind("We're low on memory", 0) == 0) return low_memory(m);
  if (m.rfind("Removed ", 0) == 0) return oom_killed(m);
  if (m.rfind("General overload -> Ntor", 0) == 0) return ntor_overload(m);
  if (m.rfind("Failing because we have", 0) == 0) return exhausted(m);
  return std::nullopt;
}

std::optional<std::string_view> log_file_message(std::string_view line,
                                                 std::string_view* severity) {
  // "Dec 06 18:35:39.759 [notice] ..." (LogTimeGranularity may drop the
  // milliseconds: "Dec 06 18:35:39 [notice] ...").
  auto open = line.find(" [");
  auto close = open == std::string_view::npos ? open : line.find("] ", open);
  if (open == std::string_view::npos || close == std::string_view::npos || open < 15 || open > 19) {
    return std::nullopt;
  }
  if (severity) *severity = line.substr(open + 2, close - open - 2);
  return line.substr(close + 2);
}

std::optional<HealthStatusEvent> parse_health_status(std::string_view type,
                                                     const control::StatusEvent& e) {
  using K = HealthStatusEvent::Kind;
  bool server = type == "STATUS_SERVER" || type == "STATUS_SEVER";
  bool general = type == "STATUS_GENERAL";
  if (!server && !general) return std::nullopt;
  struct Known {
    std::string_view action;
    K kind;
    bool server;
  };
  static constexpr Known kKnown[] = {
      {"CHECKING_REACHABILITY", K::kCheckingReachability, true},
      {"REACHABILITY_SUCCEEDED", K::kReachabilitySucceeded, true},
      {"REACHABILITY_FAILED", K::kReachabilityFailed, true},
      {"NAMESERVER_STATUS", K::kNameserverStatus, true},
      {"NAMESERVER_ALL_DOWN", K::kNameserverAllDown, true},
      {"DNS_HIJACKED", K::kDnsHijacked, true},
      {"DNS_USELESS", K::kDnsUseless, true},
      {"HIBERNATION_STATUS", K::kHibernationStatus, true},
      {"BAD_SERVER_DESCRIPTOR", K::kBadServerDescriptor, true},
      {"ACCEPTED_SERVER_DESCRIPTOR", K::kAcceptedServerDescriptor, true},
      {"GOOD_SERVER_DESCRIPTOR", K::kGoodServerDescriptor, true},
      {"EXTERNAL_ADDRESS", K::kExternalAddress, true},
      {"TOO_MANY_CONNECTIONS", K::kTooManyConnections, false},
      {"CLOCK_SKEW", K::kClockSkew, false},
      {"CLOCK_JUMPED", K::kClockJumped, false},
      {"DANGEROUS_VERSION", K::kDangerousVersion, false},
      {"DIR_ALL_UNREACHABLE", K::kDirAllUnreachable, false},
      {"BUG", K::kBug, false},
  };
  const Known* known = nullptr;
  for (const auto& k : kKnown) {
    if (k.action == e.action && k.server == server) known = &k;
  }
  if (!known) return std::nullopt;
  HealthStatusEvent h;
  h.kind = known->kind;
  h.severity = e.severity;
  auto text = [&](std::string_view key) {
    const std::string* v = arg(e, key);
    return v ? v->substr(0, 256) : std::string{};
  };
  auto number = [&](std::string_view key) -> std::optional<long> {
    const std::string* v = arg(e, key);
    if (!v || v->empty()) return std::nullopt;
    std::string_view t = *v;
    bool negative = t.front() == '-';
    if (negative) t.remove_prefix(1);
    auto n = parse_count(t);
    if (!n || *n > 1'000'000'000'000ULL) return std::nullopt;
    return negative ? -static_cast<long>(*n) : static_cast<long>(*n);
  };
  switch (h.kind) {
    case K::kCheckingReachability:
    case K::kReachabilitySucceeded:
    case K::kReachabilityFailed:
      h.or_address = text("ORADDRESS");
      if (h.or_address.empty()) return std::nullopt;
      h.family = h.or_address.front() == '[' ? AddressFamily::kIPv6 : AddressFamily::kIPv4;
      break;
    case K::kNameserverStatus:
      h.nameserver = text("NS");
      h.status = text("STATUS");
      h.error = text("ERR");
      if (h.nameserver.empty() || (h.status != "UP" && h.status != "DOWN")) return std::nullopt;
      h.up = h.status == "UP";
      break;
    case K::kHibernationStatus:
      h.status = text("STATUS");
      if (h.status.empty()) return std::nullopt;
      break;
    case K::kBadServerDescriptor:
    case K::kAcceptedServerDescriptor:
      h.dirauth = text("DIRAUTH");
      h.reason = text("REASON");
      break;
    case K::kTooManyConnections:
      h.count = number("CURRENT");
      if (!h.count) return std::nullopt;
      break;
    case K::kClockSkew: {
      h.count = number("SKEW");
      std::string source = text("SOURCE");
      h.source_kind = source.substr(0, source.find(':'));  // never the peer's address
      break;
    }
    case K::kClockJumped:
      h.count = number("TIME");
      break;
    case K::kDangerousVersion:
      h.version = text("CURRENT");
      h.reason = text("REASON");
      h.recommended = text("RECOMMENDED");
      break;
    case K::kBug:
      h.reason = text("REASON");
      break;
    case K::kExternalAddress:
    case K::kNameserverAllDown:
    case K::kDnsHijacked:
    case K::kDnsUseless:
    case K::kGoodServerDescriptor:
    case K::kDirAllUnreachable:
      break;
  }
  return h;
}

}  // namespace relaymon::model
