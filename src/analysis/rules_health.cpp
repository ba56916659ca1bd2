// Rules over the relay-health model. The thresholds are the rules' config
// keys (add_health_defaults); the explanations are for a newcomer, the
// actions what an experienced operator would do.
#include "analysis/rules_health.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>

namespace relaymon::analysis {

namespace {

using model::Health;
using model::HealthTime;
using model::Severity;

std::string utc(HealthTime t) {
  return fmt::format("{:%Y-%m-%d %H:%M} UTC", fmt::gmtime(model::Clock::to_time_t(t)));
}

double seconds_from(HealthTime a, HealthTime b) {
  return std::chrono::duration<double>(b - a).count();
}

std::string mib(double bytes) {
  return fmt::format("{:.0f} MiB", bytes / (1024 * 1024));
}

std::string percent(double share) {
  return fmt::format("{:.1f} %", share * 100);
}

Finding make(std::string subject, Severity severity) {
  Finding f;
  f.subject = std::move(subject);
  f.severity = severity;
  return f;
}

}  // namespace

namespace health {

// overload-published: the overload lines of the fresh descriptor.
// False alarm: tor keeps overload-general and overload-fd-exhausted in its
// descriptor for 72 hours (overload-ratelimits for 24) after the hour it
// happened, so the alert outlives a fix; the evidence gives that hour.
std::vector<Finding> overload_published(RuleContext& c) {
  const auto& o = c.snapshot.health.overload;
  std::vector<Finding> out;
  if (o.general) {
    Finding f = make("overload-general", Severity::kWarning);
    f.evidence = {{"line", "overload-general (server descriptor)"},
                  {"hour", utc(o.general->since)}};
    if (o.tcp_exhaustion)
      f.evidence.emplace_back("tcp_exhaustion_total", fmt::format("{:.0f}", *o.tcp_exhaustion));
    const auto& d = c.snapshot.health.dos;
    if (d.dropped_share) f.evidence.emplace_back("onionskins_dropped", percent(*d.dropped_share));
    if (c.snapshot.health.memory.last_oom) {
      f.evidence.emplace_back("last_oom", utc(*c.snapshot.health.memory.last_oom));
    }
    f.explanation =
        "tor publishes overload-general when, within the last 72 hours, it dropped more than "
        "1 % of the ntor onionskins (circuit handshakes) it was asked for, its memory for "
        "queued cells reached MaxMemInQueues and the OOM handler killed circuits, or it ran out "
        "of local TCP ports for outgoing connections. Relay Search then marks the relay as "
        "overloaded.";
    f.action =
        "Find which one in tor's log: \"General overload -> Ntor dropped\" means the CPU is too "
        "slow (set NumCPUs to your core count, lower RelayBandwidthRate or use faster hardware); "
        "\"We're low on memory\" means add RAM or raise MaxMemInQueues; TCP exhaustion means "
        "widen net.ipv4.ip_local_port_range or add outbound addresses (OutboundBindAddress).";
    out.push_back(std::move(f));
  }
  if (o.fd_exhausted) {
    Finding f = make("overload-fd-exhausted", Severity::kWarning);
    f.evidence = {{"line", "overload-fd-exhausted (extra-info)"},
                  {"hour", utc(o.fd_exhausted->since)}};
    if (o.sockets_open)
      f.evidence.emplace_back("sockets_open", fmt::format("{:.0f}", *o.sockets_open));
    if (o.sockets_limit)
      f.evidence.emplace_back("sockets_limit", fmt::format("{:.0f}", *o.sockets_limit));
    f.explanation =
        "tor could not open a socket because it had used all the file descriptors it may have: "
        "new connections from clients and relays were refused (tor also warns \"Failing "
        "because we have N connections already\").";
    f.action =
        "Raise tor's descriptor limit: LimitNOFILE=65536 in its systemd unit (Debian: "
        "systemctl edit tor@default), or ulimit -n before starting it; then restart tor.";
    out.push_back(std::move(f));
  }
  if (o.ratelimits) {
    const auto& r = *o.ratelimits;
    // Self-imposed: the operator's own BandwidthRate, hence only "info".
    Finding f = make("overload-ratelimits", Severity::kInfo);
    f.evidence = {{"line", "overload-ratelimits (extra-info)"},
                  {"hour", utc(r.since)},
                  {"rate_bytes_per_s", std::to_string(r.rate)},
                  {"burst_bytes", std::to_string(r.burst)},
                  {"read_limit_minutes", std::to_string(r.read_count)},
                  {"write_limit_minutes", std::to_string(r.write_count)}};
    f.explanation = fmt::format(
        "tor's global bandwidth bucket (BandwidthRate {}/s, BandwidthBurst {}) ran empty: "
        "reading hit it in {} minute(s), writing in {}. Traffic waited for the bucket to "
        "refill. This is your own limit at work.",
        mib(static_cast<double>(r.rate)), mib(static_cast<double>(r.burst)), r.read_count,
        r.write_count);
    f.action =
        "If the limit is intended, nothing to do. Otherwise raise BandwidthRate/BandwidthBurst; "
        "to cap only relayed traffic use RelayBandwidthRate/RelayBandwidthBurst, and to cap the "
        "monthly total use AccountingMax instead of a low rate.";
    out.push_back(std::move(f));
  }
  return out;
}

// onionskins-dropped: a share of onionskins dropped over the window
// (MetricsPort), else over the last heartbeat period.
// False alarm: an idle relay dropping a handful is noise: below
// min_requests onionskins in the window no share is computed.
std::vector<Finding> onionskins_dropped(RuleContext& c) {
  const auto& d = c.snapshot.health.dos;
  const double window = c.settings.param("window");
  double processed = 0, dropped = 0;
  auto p = d.onionskins_processed.increase(window);
  auto x = d.onionskins_dropped.increase(window);
  if (p && x) {
    processed = *p;
    dropped = *x;
  } else if (d.last_heartbeat_handshakes) {
    const auto& h = *d.last_heartbeat_handshakes;
    double requested =
        static_cast<double>(h.tap.requested + h.ntor.requested + h.ntor_v3.requested);
    processed = static_cast<double>(h.tap.assigned + h.ntor.assigned + h.ntor_v3.assigned);
    dropped = std::max(0.0, requested - processed);
  }
  double total = processed + dropped;
  if (total < c.settings.param("min_requests") || total <= 0) return {};
  double share = dropped / total;
  if (share < c.settings.param("share")) return {};
  Finding f = make("onionskins", share >= c.settings.param("critical_share") ? Severity::kCritical
                                                                             : Severity::kWarning);
  f.evidence = {{"dropped", fmt::format("{:.0f}", dropped)},
                {"handled", fmt::format("{:.0f}", processed)},
                {"share", percent(share)},
                {"window_seconds", fmt::format("{:.0f}", window)},
                {"source", p ? "MetricsPort tor_relay_load_onionskins_total" : "heartbeat"}};
  f.explanation = fmt::format(
      "Every circuit through your relay starts with an onionskin, a public-key handshake tor "
      "hands to its worker threads. {} of them were dropped because the queue was full; those "
      "clients had to build their circuits elsewhere. At 1 % over 6 hours tor itself publishes "
      "overload-general.",
      percent(share));
  f.action =
      "The CPU cannot keep up. Check tor's CPU use; set NumCPUs to the number of cores; lower "
      "RelayBandwidthRate so fewer clients choose the relay, or move to a faster CPU. Under a "
      "circuit-creation flood keep DoSCircuitCreationEnabled on (the consensus default).";
  return {f};
}

// dos-counters-rising: tor's DoS defenses refused connections or circuits.
// False alarm: many clients behind one address (a large NAT, a university)
// trip the per-address limits; a relay's first minutes on a network where
// relays share an address and its consensus does not list them yet; and a
// test that opens many connections from one address (as the loopback DoS
// test does) is meant to. Below min_increase an hour it stays silent.
std::vector<Finding> dos_counters_rising(RuleContext& c) {
  const auto& d = c.snapshot.health.dos;
  auto rise = d.total.increase(c.settings.param("window"));
  if (!rise || *rise < c.settings.param("min_increase") || *rise <= 0) return {};
  Finding f =
      make("DoS defenses",
           *rise >= c.settings.param("warning_increase") ? Severity::kWarning : Severity::kInfo);
  f.evidence = {{"rejected_in_window", fmt::format("{:.0f}", *rise)},
                {"window_seconds", fmt::format("{:.0f}", c.settings.param("window"))}};
  for (const auto& [type, value] : d.counters) {
    if (value > 0) f.evidence.emplace_back(type, fmt::format("{:.0f}", value));
  }
  f.explanation = fmt::format(
      "tor's denial-of-service defenses refused {:.0f} connections, circuits or cells in the "
      "last {:.0f} minutes, from addresses that opened too many at once or too fast. The "
      "defenses are working; a steady rise means someone is hammering the relay.",
      *rise, c.settings.param("window") / 60);
  f.action =
      "Usually nothing: the limits come from the consensus and are tuned by the network team. "
      "Keep tor up to date. If legitimate users share one address, raise "
      "DoSConnectionMaxConcurrentCount; against a heavy attack follow the relay operators' "
      "forum advice for the current attack.";
  return {f};
}

namespace {

struct FlagText {
  std::string_view flag;
  bool lost;  // a loss (else a gain) is the alarm
  Severity severity;
  bool uptime_based;  // expected to go after a restart
  std::string_view meaning;
  std::string_view action;
};

constexpr FlagText kFlags[] = {
    {"Running", true, Severity::kCritical, false,
     "the directory authorities could not reach the relay's ORPort in their last vote, so "
     "clients will not use it",
     "Check that tor runs and that the ORPort is reachable from outside (firewall, NAT); read "
     "tor's log for reachability warnings."},
    {"Valid", true, Severity::kCritical, false,
     "the authorities no longer consider the relay valid (rejected key, broken or obsolete "
     "version), so clients will not use it",
     "Read tor's log for BAD_SERVER_DESCRIPTOR and the authorities' reason; upgrade tor; if "
     "you think it is a mistake, write to bad-relays@lists.torproject.org."},
    {"Guard", true, Severity::kWarning, true,
     "the relay is no longer offered as a first hop; Guard needs enough bandwidth and a "
     "weighted uptime of about 98 % over weeks",
     "Keep the relay up without interruptions; it comes back on its own."},
    {"Stable", true, Severity::kWarning, true,
     "the relay no longer counts as long-lived (its mean time between failures dropped), so "
     "long-lived circuits avoid it",
     "Avoid restarts and downtime; it comes back with uptime."},
    {"Fast", true, Severity::kWarning, false,
     "the relay's bandwidth is no longer among the network's faster seven eighths (or 100 KB/s)",
     "Check BandwidthRate/RelayBandwidthRate and the link; the bandwidth authorities measure "
     "it again within a day or two."},
    {"HSDir", true, Severity::kWarning, true,
     "the relay no longer stores onion service descriptors (needs about 96 hours of uptime)",
     "Keep the relay up; it comes back with uptime."},
    {"V2Dir", true, Severity::kWarning, false,
     "the relay no longer serves directory information (tor turns DirCache off with "
     "AccountingMax or little memory)",
     "Check DirCache, AccountingMax and MaxMemInQueues in torrc."},
    {"BadExit", false, Severity::kCritical, false,
     "the authorities flagged the exit as misbehaving (for example lying DNS or modified "
     "traffic); clients no longer exit through it",
     "Check the exit's resolver (use a local validating resolver such as unbound) and write "
     "to bad-relays@lists.torproject.org."},
    {"MiddleOnly", false, Severity::kWarning, false,
     "the authorities restricted the relay to the middle position (no Guard, Exit, HSDir or "
     "V2Dir): they consider it suspicious",
     "Write to bad-relays@lists.torproject.org with your fingerprint and ContactInfo."},
};

}  // namespace

// flag-changed: a flag lost (or BadExit/MiddleOnly gained) between the
// previous consensus and this one.
// False alarm: Guard, Stable and HSDir depend on uptime and are expected to
// go after a restart: with less than restart_grace_hours of uptime their
// loss is only "info".
std::vector<Finding> flag_changed(RuleContext& c) {
  const auto& fl = c.snapshot.health.flags;
  if (!fl.in_consensus) return {};
  const double grace = c.settings.param("restart_grace_hours") * 3600;
  bool recent_restart = fl.uptime_seconds && static_cast<double>(*fl.uptime_seconds) < grace;
  std::vector<Finding> out;
  for (const auto& t : kFlags) {
    const auto& list = t.lost ? fl.lost : fl.gained;
    if (std::find(list.begin(), list.end(), t.flag) == list.end()) continue;
    Severity severity = t.uptime_based && recent_restart ? Severity::kInfo : t.severity;
    Finding f = make(fmt::format("{} {}", t.lost ? "lost" : "gained", t.flag), severity);
    f.evidence = {{"flags_now", fmt::format("{}", fmt::join(fl.flags, " "))},
                  {"flags_before", fmt::format("{}", fmt::join(fl.previous, " "))}};
    if (fl.changed_at) f.evidence.emplace_back("changed_at", utc(*fl.changed_at));
    if (fl.uptime_seconds)
      f.evidence.emplace_back("uptime_seconds", std::to_string(*fl.uptime_seconds));
    f.explanation = fmt::format("The relay {} the {} flag in the latest consensus: {}.",
                                t.lost ? "lost" : "got", t.flag, t.meaning);
    if (severity == Severity::kInfo) f.explanation += " tor restarted recently, which explains it.";
    f.action = std::string(t.action);
    out.push_back(std::move(f));
  }
  return out;
}

// not-in-consensus: tor has run for hours and its relay is still absent.
// False alarm: a fresh relay (authorities vote hourly and need a measurement
// first), a hibernating relay (it leaves on purpose), a bridge (never
// listed): all three are left out.
std::vector<Finding> not_in_consensus(RuleContext& c) {
  const auto& fl = c.snapshot.health.flags;
  if (!fl.known || fl.in_consensus || fl.hibernating || fl.bridge || !fl.absent_since) return {};
  const double limit = c.settings.param("hours") * 3600;
  double absent = seconds_from(*fl.absent_since, c.now);
  double up = fl.uptime_seconds ? static_cast<double>(*fl.uptime_seconds) : absent;
  if (absent < limit || up < limit) return {};
  Finding f = make("own relay", Severity::kCritical);
  f.evidence = {{"absent_since", utc(*fl.absent_since)},
                {"uptime_seconds", fmt::format("{:.0f}", up)}};
  if (fl.published) f.evidence.emplace_back("descriptor_published", utc(*fl.published));
  f.explanation = fmt::format(
      "tor has run for {:.1f} hours, but the relay is not in the consensus, so no client can use "
      "it. A new relay normally appears within one or two hourly votes after it publishes its "
      "descriptor.",
      up / 3600);
  f.action =
      "Check reachability (the reachability alert, tor's log), the clock (timedatectl), that "
      "PublishServerDescriptor is not 0, and tor's log for BAD_SERVER_DESCRIPTOR or \"rejected\" "
      "from the authorities.";
  return {f};
}

// reachability-failing: REACHABILITY_FAILED per address family.
// False alarm: none from tor itself (it says FAILED only after 20 minutes
// of trying); a relay with AssumeReachable 1 never tests and never alarms.
std::vector<Finding> reachability_failing(RuleContext& c) {
  using S = model::ReachabilityFamily::State;
  const auto& r = c.snapshot.health.reachability;
  std::vector<Finding> out;
  auto add = [&](const model::ReachabilityFamily& fam, bool v6) {
    if (fam.state != S::kFailed) return;
    // An unreachable IPv6 ORPort still leaves the relay usable over IPv4.
    Finding f =
        make(v6 ? "IPv6 ORPort" : "IPv4 ORPort", v6 ? Severity::kWarning : Severity::kCritical);
    // The port only: the address is the relay's own and public, but alert
    // lines never carry an address from a STATUS event (the same rule as
    // tor-warnings' scrubbing), and the operator knows which host it is.
    auto colon = fam.address.rfind(':');
    std::string port = colon == std::string::npos ? "" : fam.address.substr(colon + 1);
    f.evidence = {{"port", port},
                  {"family", v6 ? "IPv6" : "IPv4"},
                  {"failures", std::to_string(fam.failures)}};
    if (fam.since) f.evidence.emplace_back("since", utc(*fam.since));
    f.explanation = fmt::format(
        "tor tried for 20 minutes to reach its own {} ORPort (port {}) through the Tor network "
        "and could not. Relays and clients cannot connect to it there{}.",
        v6 ? "IPv6" : "IPv4", port.empty() ? "unknown" : port,
        v6 ? "; tor may publish the relay without its IPv6 address" : ", so it is not used");
    f.action =
        v6 ? "Check that the IPv6 address is global and routed, that the firewall (ip6tables/"
             "nftables) lets the ORPort in, or remove the IPv6 ORPort if the host has no IPv6."
           : "Open the ORPort in the firewall, forward it on the router (NAT), and check "
             "Address/ORPort in torrc match the address tor advertises.";
    out.push_back(std::move(f));
  };
  add(r.ipv4, false);
  add(r.ipv6, true);
  return out;
}

// exit-dns-failing: an exit's resolver down, hijacking, or failing lookups.
// False alarm: "no such name" (notexist) and "no such record" (nodata) are
// answers, not failures, and are not counted; a few timeouts on an idle
// exit are noise: below min_queries lookups in the window no rate is used.
std::vector<Finding> exit_dns_failing(RuleContext& c) {
  const auto& d = c.snapshot.health.dns;
  if (!d.is_exit) return {};
  std::vector<Finding> out;
  const std::string resolver_action =
      "Run a local caching, validating resolver on the exit (unbound), point resolv.conf (or "
      "ServerDNSResolvConfFile) at 127.0.0.1 only, and do not use your ISP's or a public "
      "resolver.";
  if (d.useless || d.hijacked) {
    Finding f = make(d.useless ? "resolver useless" : "resolver hijacks",
                     d.useless ? Severity::kCritical : Severity::kWarning);
    f.evidence = {{"event", d.useless ? "DNS_USELESS" : "DNS_HIJACKED"}};
    if (d.last_event) f.evidence.emplace_back("at", utc(*d.last_event));
    f.explanation =
        d.useless ? "The resolver answers well-known names with the same address it gives for "
                    "names that do not exist, so tor stopped being an exit (its exit policy is "
                    "now reject *:*)."
                  : "The resolver answers names that do not exist with an address (an ISP's "
                    "advertising page). tor treats that address as \"not found\", but such a "
                    "resolver can also lie about real names.";
    f.action = resolver_action;
    out.push_back(std::move(f));
  }
  if (d.all_down || !d.nameservers_down.empty()) {
    Finding f = make(d.all_down ? "all nameservers" : "nameserver " + d.nameservers_down.front(),
                     d.all_down ? Severity::kCritical : Severity::kWarning);
    f.evidence = {{"down", fmt::format("{}", fmt::join(d.nameservers_down, " "))},
                  {"all_down", d.all_down ? "yes" : "no"}};
    f.explanation = d.all_down ? "Every nameserver tor uses stopped answering: the exit cannot "
                                 "resolve any name, so Tor users' connections through it fail."
                               : "One of tor's nameservers stopped answering; tor uses the others.";
    f.action = resolver_action;
    out.push_back(std::move(f));
  }
  const double window = c.settings.param("window");
  auto queries = d.queries.increase(window);
  auto failures = d.failures.increase(window);
  if (queries && failures && *queries >= c.settings.param("min_queries") &&
      *failures / *queries >= c.settings.param("failure_share")) {
    Finding f = make("lookups failing", Severity::kWarning);
    auto timeouts = d.timeouts.increase(window);
    f.evidence = {{"queries", fmt::format("{:.0f}", *queries)},
                  {"failures", fmt::format("{:.0f}", *failures)},
                  {"timeouts", fmt::format("{:.0f}", timeouts.value_or(0))},
                  {"share", percent(*failures / *queries)},
                  {"window_seconds", fmt::format("{:.0f}", window)}};
    f.explanation = fmt::format(
        "{} of the exit's DNS lookups in the last {:.0f} minutes timed out or failed at the "
        "resolver. Each one is a Tor user's connection that did not happen.",
        percent(*failures / *queries), window / 60);
    f.action = resolver_action + " Check the resolver's own log and load.";
    out.push_back(std::move(f));
  }
  return out;
}

// family-cert-missing: a family is configured but the descriptor carries
// no family certificate (tor 0.4.9's family keys).
// False alarm: tor before 0.4.9 cannot publish one (the model says ok
// then), and a relay without any family needs none.
std::vector<Finding> family_cert_missing(RuleContext& c) {
  const auto& fam = c.snapshot.health.family;
  if (fam.state.code != "no-cert" && fam.state.code != "key-missing") return {};
  bool key_missing = fam.state.code == "key-missing";
  Finding f = make(key_missing ? "family key missing" : "no family key", Severity::kWarning);
  f.evidence = {{"family_members", std::to_string(fam.members)},
                {"family_certificates", std::to_string(fam.certificates)},
                {"tor_version", fam.tor_version},
                {"FamilyId", fam.id_configured.value_or(false) ? "set" : "not set"}};
  f.explanation =
      "Since tor 0.4.9 a relay family is proven with a shared family key: each member "
      "publishes a family certificate, and MyFamily lists are being phased out. This relay "
      "has a family but publishes no certificate" +
      std::string(key_missing ? ": FamilyId is set, but tor found no matching key file."
                              : ": FamilyId is not set.");
  f.action =
      key_missing
          ? "Put the NAME.secret_family_key file in the relay's KeyDirectory (or "
            "FamilyKeyDirectory), readable by tor, and reload; tor logs \"No key was found for "
            "listed FamilyID\" until then."
          : "Once: tor --keygen-family NAME. Copy NAME.secret_family_key to every relay's "
            "KeyDirectory, add FamilyId <the id in NAME.public_family_id> to each torrc (keep "
            "MyFamily while clients migrate), reload.";
  return {f};
}

// memory-pressure: an OOM (tor killed circuits) or tor's memory near
// MaxMemInQueues.
// False alarm: RSS counts more than queues (consensus, descriptors, freed
// but unreturned memory); with a MaxMemInQueues set low on purpose RSS can
// sit near it without trouble: raise warning_ratio then.
std::vector<Finding> memory_pressure(RuleContext& c) {
  const auto& m = c.snapshot.health.memory;
  if (m.last_oom && seconds_from(*m.last_oom, c.now) < c.settings.param("oom_recent_seconds")) {
    Finding f = make("out of memory", Severity::kCritical);
    f.evidence = {{"last_oom", utc(*m.last_oom)}};
    if (m.max_in_queues)
      f.evidence.emplace_back("MaxMemInQueues", mib(static_cast<double>(*m.max_in_queues)));
    if (m.last_low_memory) {
      f.evidence.emplace_back("cell_queues",
                              mib(static_cast<double>(m.last_low_memory->cell_queues)));
      f.evidence.emplace_back("buffers", mib(static_cast<double>(m.last_low_memory->buffers)));
    }
    if (auto freed = m.oom_bytes.latest()) f.evidence.emplace_back("oom_bytes_total", mib(*freed));
    f.explanation =
        "tor's queued cells and buffers reached MaxMemInQueues, so its out-of-memory handler "
        "killed the circuits with the longest queues. Users on those circuits lost their "
        "connections, and tor publishes overload-general.";
    f.action =
        "Add RAM or raise MaxMemInQueues (default: 3/4 of RAM, at most 8 GB); an attack can "
        "cause it too, so keep the DoS defenses on and tor up to date.";
    return {f};
  }
  if (!m.max_in_queues || !m.rss_bytes || *m.max_in_queues == 0) return {};
  double ratio = static_cast<double>(*m.rss_bytes) / static_cast<double>(*m.max_in_queues);
  double threshold = c.active("memory")
                         ? c.settings.param("warning_ratio") - c.settings.param("clear_margin")
                         : c.settings.param("warning_ratio");
  if (ratio < threshold) return {};
  Finding f = make("memory", Severity::kWarning);
  f.evidence = {{"rss", mib(static_cast<double>(*m.rss_bytes))},
                {"MaxMemInQueues", mib(static_cast<double>(*m.max_in_queues))},
                {"percent", fmt::format("{:.0f}", ratio * 100)}};
  f.explanation = fmt::format(
      "tor uses {} of memory, {:.0f} % of MaxMemInQueues ({}). When its queues reach that "
      "limit tor starts killing circuits.",
      mib(static_cast<double>(*m.rss_bytes)), ratio * 100,
      mib(static_cast<double>(*m.max_in_queues)));
  f.action = "Add RAM or raise MaxMemInQueues before tor has to kill circuits.";
  return {f};
}

// accounting-exhaustion: AccountingMax will run out before the period ends
// (at the average rate since the period began), or tor hibernates.
// False alarm: early in a period the rate means little: no projection
// before one hour; a quota used up in the last minutes is what
// accounting is for: under end_margin_minutes before the end it is silent.
std::vector<Finding> accounting_exhaustion(RuleContext& c) {
  const auto& a = c.snapshot.health.accounting;
  const auto& v = a.values;
  if (!v.enabled.value_or(false) || !v.interval_end) return {};
  const double margin = c.settings.param("end_margin_minutes") * 60;
  bool hibernating = v.hibernating == "soft" || v.hibernating == "hard";
  std::optional<HealthTime> runs_out = hibernating ? a.hibernating_since : a.projected_exhaustion;
  if (!runs_out || seconds_from(*runs_out, *v.interval_end) < margin) return {};
  Finding f = make("accounting", Severity::kWarning);
  f.evidence = {{"state", v.hibernating.empty() ? "awake" : v.hibernating},
                {hibernating ? "hibernating_since" : "projected_exhaustion", utc(*runs_out)},
                {"period_ends", utc(*v.interval_end)}};
  if (a.used_bytes) f.evidence.emplace_back("used", mib(static_cast<double>(*a.used_bytes)));
  if (a.max_bytes) f.evidence.emplace_back("quota", mib(static_cast<double>(*a.max_bytes)));
  f.explanation =
      hibernating ? fmt::format(
                        "tor used its AccountingMax quota and hibernates until the period ends "
                        "({}): the relay carries no traffic until then.",
                        utc(*v.interval_end))
                  : fmt::format(
                        "At the rate used so far, the AccountingMax quota runs out at {}, before "
                        "the period ends at {}; tor will then hibernate for the rest of it.",
                        utc(*runs_out), utc(*v.interval_end));
  f.action =
      "Raise AccountingMax, or lower RelayBandwidthRate so the quota lasts the whole period "
      "(quota divided by the period's seconds); a relay that is up all month is more useful "
      "than a fast one that sleeps.";
  return {f};
}

// signing-key-expiry: the ed25519 signing certificate expires (only
// exported, and only a risk, with OfflineMasterKey 1).
// False alarm: an online master key renews the signing key a day before it
// expires, so 1 to 15 days left is normal there: only less than
// online_critical_hours (a failed renewal) alarms.
std::vector<Finding> signing_key_expiry(RuleContext& c) {
  const auto& k = c.snapshot.health.signing_key;
  if (!k.expires) return {};
  double left = seconds_from(c.now, *k.expires);
  bool offline = k.offline_master_key.value_or(false);
  Severity severity = Severity::kWarning;
  if (offline) {
    if (left >= c.settings.param("warning_days") * 86400) return {};
    if (left < c.settings.param("critical_days") * 86400) severity = Severity::kCritical;
  } else {
    if (left >= c.settings.param("online_critical_hours") * 3600) return {};
    severity = Severity::kCritical;
  }
  Finding f = make("signing key", severity);
  f.evidence = {{"expires", utc(*k.expires)},
                {"days_left", fmt::format("{:.1f}", left / 86400)},
                {"OfflineMasterKey", offline ? "1" : "0"}};
  f.explanation = fmt::format(
      "The relay's ed25519 signing certificate {}. tor signs its descriptors with it; once it "
      "has expired the authorities drop the relay from the consensus.{}",
      left <= 0 ? "has expired"
                : fmt::format("expires in {:.1f} days ({})", left / 86400, utc(*k.expires)),
      offline ? " With OfflineMasterKey tor cannot renew it by itself." : "");
  f.action =
      offline ? "On the machine holding the master key run tor --keygen (SigningKeyLifetime sets "
                "the validity), copy the new ed25519_signing_secret_key and ed25519_signing_cert "
                "into the relay's keys directory, and reload tor."
              : "tor should have renewed it a day before expiry: check tor's log for key errors "
                "and that the keys directory is writable by tor.";
  return {f};
}

}  // namespace health

const std::vector<Rule>& health_rules() {
  namespace h = health;
  static const std::vector<Rule> all = {
      {"overload-published", "tor published overload lines in its descriptor",
       h::overload_published},
      {"onionskins-dropped", "tor dropped onionskins (circuit handshakes)", h::onionskins_dropped},
      {"dos-counters-rising", "tor's DoS defenses are refusing connections or circuits",
       h::dos_counters_rising},
      {"flag-changed", "a consensus flag lost, or BadExit/MiddleOnly gained", h::flag_changed},
      {"not-in-consensus", "the relay is missing from the consensus hours after starting",
       h::not_in_consensus},
      {"reachability-failing", "tor cannot reach its own ORPort (per address family)",
       h::reachability_failing},
      {"exit-dns-failing", "the exit's resolver is down, hijacks, or fails lookups",
       h::exit_dns_failing},
      {"family-cert-missing", "a family without a family certificate", h::family_cert_missing},
      {"memory-pressure", "out of memory, or close to MaxMemInQueues", h::memory_pressure},
      {"accounting-exhaustion", "AccountingMax runs out before the period ends",
       h::accounting_exhaustion},
      {"signing-key-expiry", "the ed25519 signing certificate expires soon", h::signing_key_expiry},
  };
  return all;
}

// The documented defaults (man/relaymon.1, ALERTS): change both together.
void add_health_defaults(AlertConfig& c) {
  auto rule = [&c](const char* id, double hold, double clear,
                   std::map<std::string, double, std::less<>> params) {
    c.rules[id] = RuleSettings{true, hold, clear, std::move(params)};
  };
  rule("overload-published", 0, 300, {});
  // 1 %: tor's own overload-general threshold (consensus parameter
  // overload_onionskin_ntor_scale_percent, default 1000/1000 %).
  rule("onionskins-dropped", 0, 900,
       {{"share", 0.01}, {"critical_share", 0.10}, {"min_requests", 100}, {"window", 3600}});
  // A few rejections an hour are the defenses' everyday work on a public
  // relay (the network is under some DoS most of the time): 100 an hour
  // is info, 10000 a warning.
  rule("dos-counters-rising", 0, 900,
       {{"min_increase", 100}, {"warning_increase", 10000}, {"window", 3600}});
  rule("flag-changed", 0, 3600, {{"restart_grace_hours", 24}});
  rule("not-in-consensus", 0, 600, {{"hours", 3}});
  rule("reachability-failing", 0, 600, {});
  // 5 %: a resolver failing one lookup in twenty is broken for users.
  rule("exit-dns-failing", 60, 600,
       {{"failure_share", 0.05}, {"min_queries", 100}, {"window", 3600}});
  rule("family-cert-missing", 0, 300, {});
  rule("memory-pressure", 60, 600,
       {{"warning_ratio", 0.8}, {"clear_margin", 0.05}, {"oom_recent_seconds", 3600}});
  rule("accounting-exhaustion", 0, 600, {{"end_margin_minutes", 30}});
  rule("signing-key-expiry", 0, 3600,
       {{"warning_days", 15}, {"critical_days", 1}, {"online_critical_hours", 12}});
}

}  // namespace relaymon::analysis
