// One socket of a process as the system's tools see it (ss, netstat, lsof,
// /proc). Every resolver parses its tool's output into these; the model
// classifies and scrubs them. Addresses are raw here: a Socket never leaves
// the model (model/ turns it into a scrubbed model::Connection).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "text/compact_optional.h"
#include "text/label.h"

namespace relaymon::system {

// (system/text.h has a `text` namespace of its own.)
using Label = ::relaymon::text::Label;
template <typename T>
using CompactOptional = ::relaymon::text::CompactOptional<T>;

struct Address {
  std::string ip;  // canonical text: "127.0.0.1", "::1"; v4-mapped IPv6 unmapped to IPv4
  std::uint16_t port = 0;
  bool operator==(const Address&) const = default;
};

// Protocol, state and process name are shared texts (text/label.h): a big
// relay's poll holds tens of thousands of sockets at once, and three
// strings were a third of each record (issue 16).
struct Socket {
  Label protocol;  // "tcp" or "udp"
  Label state;     // ss spelling: ESTAB, SYN-SENT, SYN-RECV, FIN-WAIT-1, FIN-WAIT-2,
                   // TIME-WAIT, CLOSE-WAIT, LAST-ACK, CLOSING, CLOSE, LISTEN, UNCONN
  Address local;
  Address remote;  // port 0 and ip "*" / "0.0.0.0" / "::" for listeners
  std::optional<int> pid;
  Label process;  // command name, when the tool gives it
  // Optional readings in 8 bytes each (text/compact_optional.h).
  CompactOptional<unsigned long> inode;
  CompactOptional<std::uint64_t> bytes_sent;      // ss -i bytes_sent
  CompactOptional<std::uint64_t> bytes_acked;     // ss -i bytes_acked (what left for sure)
  CompactOptional<std::uint64_t> bytes_received;  // ss -i bytes_received
  CompactOptional<double> rtt_ms;
};

using Sockets = std::vector<Socket>;

}  // namespace relaymon::system
