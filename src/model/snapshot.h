// The immutable picture of one monitored relay at one moment. Sources (the
// control port, the system's sockets, process stats) feed the model; the
// model publishes a Snapshot; presenters (TUI panels, JSON, --check,
// /metrics) only ever read Snapshots. Everything in here is already
// scrubbed: client addresses and exit destinations never enter a Snapshot
// (DESIGN.md, "Connections: classification and privacy").
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/health.h"
#include "model/label.h"
#include "model/shared.h"
#include "model/tor_manual.h"
#include "text/compact_optional.h"

namespace relaymon::model {

class RelayIndex;  // model/relay_index.h

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

// A socket address as text, safe to show: for scrubbed connections the
// address is a placeholder such as "client (DE)" or "10.0.0.0/8".
struct Endpoint {
  std::string address;  // IPv6 without brackets
  std::uint16_t port = 0;
  bool operator==(const Endpoint&) const = default;
};

enum class AuthMethod { kNone, kSafeCookie, kCookie, kPassword };

struct ControlStatus {
  std::string endpoint;  // "127.0.0.1:9051" or "/run/tor/control"
  AuthMethod auth = AuthMethod::kNone;
  bool connected = false;
  std::optional<TimePoint> connected_since;  // the last authentication
  std::optional<TimePoint> disconnected_since;
  bool gave_up = false;    // not retrying (wrong password, one-shot mode)
  std::string last_error;  // empty when healthy
  // The last failure was tor not answering (nothing listening, a timeout,
  // the connection dropped), not a refusal (authentication, cookie).
  bool tor_unreachable = false;
  int reconnect_attempt = 0;
};

struct Listener {
  std::string kind;  // "or", "dir", "socks", "control", "dns", "trans", "natd", "extor", "metrics"
  Endpoint endpoint;
};

struct TorProcess {
  std::optional<int> pid;
  std::string user;
  std::optional<long> descriptor_limit;
  std::optional<long> descriptors_used;  // counted in /proc/PID/fd
  std::optional<double> cpu_percent;     // of one core, since the previous sample
  std::optional<std::uint64_t> rss_bytes;
  std::optional<int> threads;
  std::optional<TimePoint> start_time;
  std::string unavailable_reason;  // why some fields are missing, for the UI
};

struct Relay {
  std::string nickname;
  std::string fingerprint;  // 40 hex digits, empty when not a relay
  std::string address;
  std::uint16_t or_port = 0;
  std::uint16_t dir_port = 0;
  std::vector<std::string> flags;  // from our own consensus entry
  bool in_consensus = false;
  std::vector<std::string> exit_policy;            // exit-policy/full, one rule each
  std::string exit_policy_summary;                 // e.g. "reject *:*" or "accept 127.0.0.1:*"
  bool is_exit = false;                            // the policy accepts something public or private
  std::optional<bool> exit_policy_reject_private;  // GETCONF ExitPolicyRejectPrivate
};

struct Tor {
  std::string version;         // "0.4.9.11"
  std::string version_status;  // status/version/current: recommended, obsolete, ...
  std::optional<long> uptime_seconds;
  std::optional<std::uint64_t> traffic_read;
  std::optional<std::uint64_t> traffic_written;
  std::string bootstrap_phase;  // raw status/bootstrap-phase
  int bootstrap_progress = 0;
  bool accounting_enabled = false;
  std::string accounting_state;  // "awake", "soft", "hibernating", or empty
  std::string network_liveness;  // "up", "down" or empty
  std::optional<std::uint64_t> bandwidth_rate;
  std::optional<std::uint64_t> bandwidth_burst;
  // What tor measured itself carrying (the descriptor's observed bandwidth,
  // bytes/s, from the health collector's status/fresh-relay-descs), and the
  // consensus weight the authorities gave it (`w Bandwidth=`, a unitless
  // weight in about kilobytes/s; unmeasured when no bandwidth authority
  // measured the relay yet). Issue 15: the weight was shown as "observed".
  std::optional<std::uint64_t> bandwidth_observed;
  std::optional<std::uint64_t> consensus_weight;
  std::optional<bool> weight_unmeasured;
  bool testing_network = false;  // GETCONF TestingTorNetwork: a private test network
  std::string safe_logging;      // GETCONF SafeLogging: "1", "0", "relay"; empty: unknown
  // tor's WARN and ERR log messages since relaymon started (the log page
  // keeps only the newest entries; these count every one).
  long warn_messages = 0;
  long err_messages = 0;
  // STATUS_SERVER reachability: when tor last confirmed its ORPort, and the
  // failures it reported (newest last, bounded), action names only.
  std::optional<TimePoint> reachability_succeeded;
  std::vector<std::pair<TimePoint, std::string>> reachability_failures;
};

// One second of traffic as reported by the BW event (or, in an
// IntervalSeries, the average bytes per second of one bucket).
struct BandwidthSample {
  TimePoint time;
  std::uint64_t read = 0;
  std::uint64_t written = 0;
  // tor's start-up spike in bw-event-cache (model/bandwidth_history.h):
  // not traffic; kept off the graph's scale.
  bool spike = false;
};

// The bandwidth graph's history at one interval: averages per bucket of
// `seconds`, oldest first (model/bandwidth_history.h).
struct IntervalSeries {
  int seconds = 1;
  std::vector<BandwidthSample> samples;
};

// One byte each: a Connection and a classify decision keep them with their
// other one-byte fields (issue 16: tens of thousands of records a poll).
enum class Category : std::uint8_t {
  kListener,
  kInboundRelay,
  kInboundClient,
  kInboundDirectory,
  kSocks,
  kControl,
  kOutboundRelay,
  kDirectoryFetch,
  kExit,
  kHiddenService,
  kDns,
  kUnexpected,
};

enum class Direction : std::uint8_t { kInbound, kOutbound, kListen, kLocal };

// One socket of tor's process, classified and scrubbed. The three keys are
// keyed hashes (a random key per process) of raw socket data: analysis can
// follow a connection across polls and group peers without ever seeing an
// address. They never leave the process (no output writes them).
struct Connection {
  std::uint64_t key = 0;       // protocol, local and remote endpoint: stable across polls
  std::uint64_t peer_key = 0;  // the remote ADDR:PORT (matches OrConnection::peer_key)
  std::uint64_t host_key = 0;  // the remote IPv4 address, or its IPv6 /64
  // The one-byte fields together (no padding between them): a big relay
  // holds tens of thousands of these, two lists at a poll's peak.
  Category category = Category::kUnexpected;
  Direction direction = Direction::kOutbound;
  bool scrubbed = false;
  // A relay tor reports but our consensus does not list (yet): placed by
  // tor's count of relay peers; its address is not shown (model/classify.cpp).
  bool relay_unlisted = false;
  // First seen in relaymon's first look at tor's sockets: it was open
  // before, so its age is at least what is shown, and its opening unseen.
  bool opened_before_relaymon = false;
  // An exit connection an accept rule naming addresses lets through (not
  // `accept *:*`): the operator chose this destination's network.
  bool exit_named_by_policy = false;
  bool is_own_control = false;  // relaymon's own control connection
  // Shared texts (model/label.h): a big relay has tens of thousands of
  // connections, rebuilt every poll.
  Label protocol;  // "tcp", "udp"
  Label state;     // kernel state: ESTAB, SYN-SENT, LISTEN, ...
  Endpoint local;
  Endpoint remote;          // scrubbed where the category requires it
  Label relay_fingerprint;  // when the peer is a relay
  Label relay_nickname;
  Label country;  // ISO code, "??" when unknown
  Label asn;      // "AS1234 Name" when known
  Label service;  // exit destination service name ("https"), if any
  // Optional readings in 8 bytes each (text/compact_optional.h).
  ::relaymon::text::CompactOptional<std::uint64_t> bytes_in;
  ::relaymon::text::CompactOptional<std::uint64_t> bytes_out;
  double rate_in = 0;  // bytes per second since the previous poll
  double rate_out = 0;
  ::relaymon::text::CompactOptional<double> rtt_ms;
  TimePoint first_seen;
  // Control-port ORCONN id, when matched (tor's ids are numbers); 0: none.
  std::uint64_t orconn_id = 0;
};

// A relay's entry in the consensus (its router status), for the details of
// a connection to it. Public directory data: safe to show as it is.
struct ConsensusEntry {
  std::string nickname;
  std::string fingerprint;  // 40 upper-case hex digits
  std::string published;    // "2038-01-01 00:00:00"
  std::string address;      // IPv4 of the `r` line
  std::uint16_t or_port = 0;
  std::uint16_t dir_port = 0;              // 0: none
  std::vector<std::string> or_addresses;   // `a` lines: "[2001:db8::1]:9001"
  std::vector<std::string> flags;          // `s` line
  std::optional<std::uint64_t> bandwidth;  // `w Bandwidth=`, kilobytes/s
  std::string version;                     // `v` line, e.g. "Tor 0.4.9.11"
  std::string exit_summary;                // `p` line, e.g. "reject 1-65535"
};

struct CircuitHop {
  std::string fingerprint;
  std::string nickname;
};

struct Circuit {
  std::string id;
  std::string status;  // LAUNCHED, BUILT, EXTENDED, FAILED, CLOSED
  std::string purpose;
  std::vector<std::string> build_flags;
  std::vector<CircuitHop> path;
  std::optional<TimePoint> created;
  TimePoint first_seen{};  // when relaymon first heard of it
  // CIRC_BW totals since relaymon first saw the circuit.
  std::uint64_t bytes_read = 0;
  std::uint64_t bytes_written = 0;
};

// One OR connection as tor itself reports it (orconn-status, ORCONN): a
// relay by fingerprint, or an unauthenticated peer (a client, or a relay
// still in its handshake) known only by a keyed hash of its ADDR:PORT.
struct OrConnection {
  std::string id;  // ORCONN ID=, when known
  Label status;    // CONNECTED, LAUNCHED, ... (shared texts: model/label.h)
  Label fingerprint;
  Label nickname;
  std::uint64_t peer_key = 0;  // unauthenticated peers only (Connection::peer_key)
};

enum class Severity { kInfo, kWarning, kCritical };

struct Alert {
  std::string id;       // stable rule id, e.g. "unestablished-exit"
  std::string subject;  // scrubbed, e.g. "port 443"
  Severity severity = Severity::kWarning;
  TimePoint first_seen;
  TimePoint last_seen;
  long count = 1;
  bool active = true;
  std::vector<std::pair<std::string, std::string>> evidence;
  std::string explanation;
  std::string action;
};

enum class LogSource { kTor, kRelaymon, kAlert };

struct LogEntry {
  TimePoint time;
  std::string severity;  // DEBUG, INFO, NOTICE, WARN, ERR, or an event name (CIRC)
  std::string message;   // scrubbed when it entered the model; sanitise before drawing
  LogSource source = LogSource::kTor;
  long repeats = 1;            // identical consecutive messages are folded
  std::uint64_t sequence = 0;  // grows by one per entry (and per repeat): "newer than"
};

// tor's log severities, least severe first, and a name's place among them
// (-1 for an event name such as CIRC). The one list of the project.
const std::vector<std::string>& log_severities();
int log_severity_rank(std::string_view name);

struct CategoryCount {
  Category category;
  long count = 0;
};

struct CrossCheck {
  long matched = 0;
  long only_control = 0;                // tor reports it, the system does not show it
  long only_system = 0;                 // the system shows it, tor does not report it
  std::vector<std::string> persistent;  // scrubbed descriptions
  // Connections per kind as each side counts them: the control side by
  // "relay"/"client" (orconn-status) or conn/all type flags, the system
  // side by category name. Filled by analysis::CrossCheckTracker.
  std::vector<std::pair<std::string, long>> control_counts;
  std::vector<std::pair<std::string, long>> system_counts;
  std::string control_source;  // "orconn-status" or "conn/all"
};

// One line of the torrc as the torrc page shows it (model/torrc.h).
struct TorrcLine {
  enum class Kind { kBlank, kComment, kOption, kInclude };
  enum class Mark { kNone, kUnknown, kRepeated, kDiffers };
  int number = 0;
  Kind kind = Kind::kBlank;
  std::string indent;
  std::string keyword;
  std::string value;
  std::string comment;  // "# ..." after the value, or the whole comment line
  Mark mark = Mark::kNone;
  std::string note;  // what the mark means for this line
};

// tor's configuration, for the config and torrc pages: options from
// config/names with their running values (GETCONF), and the torrc file from
// GETINFO config-file when relaymon can read it.
struct ConfigOption {
  std::string name;                 // "ORPort"
  std::string type;                 // config/names: "Boolean", "LineList", "Dependent", ...
  std::vector<std::string> values;  // running values, one per line; empty when unset
  bool is_set = false;              // set in the configuration (listed by config-text)
};

struct TorConfig {
  std::vector<ConfigOption> options;  // sorted by name; empty until fetched
  std::string torrc_path;
  std::vector<std::string> torrc_lines;  // raw file lines: sanitise before drawing
  std::string torrc_error;               // why the torrc could not be read
  bool torrc_truncated = false;          // only its first MiB was read
  std::vector<TorrcLine> torrc;          // torrc_lines analysed (model/torrc.h)
  // What tor can be asked, for the interpreter's completion and the log's
  // event chooser (GETINFO info/names, config/names, events/names,
  // signal/names), as tor answered.
  std::string info_names;
  std::string config_names;
  std::string event_names;
  std::string signal_names;
  // tor's manual page, when installed: option descriptions (shared, read once).
  std::shared_ptr<const TorManual> manual;
};

// The big parts are Shared: built once, then shared read-only by every
// snapshot and presenter until they change (model/shared.h).
struct Snapshot {
  static constexpr int kSchema = 2;  // 2: "health" (issue 13)

  TimePoint taken;
  bool collected = false;  // drawn from a complete collection (control port and sockets)
  std::string host;        // machine name and OS of the relay's host
  ControlStatus control;
  Tor tor;
  Relay relay;
  TorProcess process;
  std::optional<double> relaymon_cpu_percent;
  std::vector<Listener> listeners;
  Shared<std::vector<BandwidthSample>> bandwidth;  // per second, oldest first, an hour
  // One series per graph interval (1 s to a day), each with its own buckets.
  Shared<std::vector<IntervalSeries>> bandwidth_history;
  // The other graphs' histories, one sample per poll, in the same shape:
  // connections (read: inbound, written: outbound, counts) and tor's
  // resources (read: CPU in hundredths of a percent of one core, written:
  // resident memory in bytes).
  Shared<std::vector<IntervalSeries>> connection_history;
  Shared<std::vector<IntervalSeries>> resource_history;
  Shared<std::vector<Connection>> connections;
  // The consensus relaymon has (public directory data), shared with the
  // monitor: a connection's or a circuit hop's details read its relay's
  // entry from it on demand. Copying every peer's entry into each poll
  // cost megabytes on a relay with thousands of peers (issue 16).
  std::shared_ptr<const RelayIndex> consensus;
  // Consensus entries sorted by fingerprint, looked up before `consensus`:
  // for snapshots made without an index (tests, recorded snapshots).
  Shared<std::vector<ConsensusEntry>> peer_relays;
  // tor's own account of its OR connections, and where it came from
  // ("orconn-status", or "conn/all" where a tor answers it).
  Shared<std::vector<OrConnection>> orconns;
  std::string orconns_source;
  std::string resolver;         // "proc", "ss", "netstat", "lsof", or ""
  std::string resolver_status;  // why it is the one in use, or why none works
  Shared<std::vector<Circuit>> circuits;
  std::vector<Alert> alerts;
  Shared<std::vector<LogEntry>> log;  // oldest first, bounded
  CrossCheck crosscheck;
  long relay_index_size = 0;
  // Where countries come from: "mmdb:<path>", "tor" (GETINFO
  // ip-to-country, when no country database is installed) or "none"; and
  // the details (never an address).
  std::string geo_source;
  std::string geo_status;
  Shared<TorConfig> config;
  // What tor would not answer in the last collection ("exit-policy/full:
  // 551 Descriptor still rebuilding"): shown rather than silently missing.
  std::vector<std::string> unanswered;
  // Overload, DoS, flags, reachability, DNS, family, memory, accounting,
  // signing key (issue 13): model/health.h.
  Health health;
};

using SnapshotPtr = std::shared_ptr<const Snapshot>;

std::string_view to_string(Category category);
std::string_view to_string(Direction direction);
std::string_view to_string(Severity severity);
std::string_view to_string(AuthMethod auth);

}  // namespace relaymon::model
