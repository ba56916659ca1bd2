#include "panels/explain.h"

#include <fmt/format.h>

#include "ui/text.h"

namespace relaymon::panels {

using model::Category;

std::string_view category_label(Category category) {
  switch (category) {
    case Category::kListener:
      return "listener";
    case Category::kInboundRelay:
      return "relay in";
    case Category::kInboundClient:
      return "client";
    case Category::kInboundDirectory:
      return "dir in";
    case Category::kSocks:
      return "socks";
    case Category::kControl:
      return "control";
    case Category::kOutboundRelay:
      return "relay out";
    case Category::kDirectoryFetch:
      return "dir fetch";
    case Category::kExit:
      return "exit";
    case Category::kHiddenService:
      return "onion";
    case Category::kDns:
      return "dns";
    case Category::kUnexpected:
      return "unexpected";
  }
  return "unexpected";
}

std::string_view category_explanation(Category category) {
  switch (category) {
    case Category::kListener:
      return "A port tor listens on (ORPort, DirPort, SOCKS or control port). Relays, Tor users "
             "or local programs connect to it.";
    case Category::kInboundRelay:
      return "Another Tor relay connected to this relay, to carry circuits through it. Relays "
             "talk to each other like this all the time.";
    case Category::kInboundClient:
      return "A Tor user's client uses this relay as its guard (first hop). Its address is "
             "hidden to protect the user.";
    case Category::kInboundDirectory:
      return "Someone downloading directory information (the consensus or relay descriptors) "
             "from this relay's directory port.";
    case Category::kSocks:
      return "A program on this machine using tor as a SOCKS proxy: this tor also works as a "
             "client for local applications.";
    case Category::kControl:
      return "A controller (such as relaymon or nyx) connected to tor's control port. Whoever "
             "holds a control connection can reconfigure tor.";
    case Category::kOutboundRelay:
      return "This relay connected to another relay, to extend a Tor user's circuit or to "
             "build its own circuits.";
    case Category::kDirectoryFetch:
      return "Tor's own download of directory information (the consensus, relay descriptors) "
             "from a directory authority or cache.";
    case Category::kExit:
      return "An exit connection: a Tor user's traffic leaving the Tor network through this "
             "relay to a server on the internet. Only the destination port is shown.";
    case Category::kHiddenService:
      return "A connection used by an onion service hosted on, or reached through, this tor.";
    case Category::kDns:
      return "A DNS lookup tor makes, usually to resolve a destination for a Tor user's exit "
             "connection.";
    case Category::kUnexpected:
      return "A connection relaymon cannot explain from tor's configuration and the consensus. "
             "See the alerts page: it may be a misconfiguration or something tor does that "
             "relaymon does not know yet.";
  }
  return "";
}

std::string state_explanation(const model::Connection& c) {
  if (c.state == "SYN-SENT") {
    std::string text =
        "SYN-SENT: tor asked to connect and the other side has not answered yet. A few are "
        "normal;";
    if (c.category == Category::kExit && c.remote.port != 0) {
      return text + fmt::format(
                        " many on port {} that the exit policy allows suggest a firewall blocks "
                        "outbound port {}.",
                        c.remote.port, c.remote.port);
    }
    return text + " many suggest a firewall or a network problem.";
  }
  if (c.state == "SYN-RECV") {
    return "SYN-RECV: someone is connecting and the handshake has not finished; a flood of these "
           "can be a SYN flood.";
  }
  if (c.state == "CLOSE-WAIT") {
    return "CLOSE-WAIT: the other side closed; tor has not closed its end yet.";
  }
  return "";
}

bool hides_address(Category category) {
  return category == Category::kInboundClient || category == Category::kExit ||
         category == Category::kDns || category == Category::kSocks;
}

std::string_view address_explanation(Category category) {
  switch (category) {
    case Category::kInboundClient:
      return "Why the address is hidden: a Tor user connects to their guard directly, so this "
             "is the user's real IP address. Showing or recording it could reveal who uses "
             "Tor, so relaymon never keeps it: only the country is shown.";
    case Category::kExit:
    case Category::kDns:
      return "Why the address is hidden: the destination tells what a Tor user is visiting. "
             "Relays must not record it, so relaymon only shows the port and its service (or "
             "the private range, for a private destination).";
    case Category::kSocks:
      return "Why the address is hidden: a local application's traffic belongs to its user; "
             "only the port is shown.";
    case Category::kInboundRelay:
    case Category::kOutboundRelay:
    case Category::kDirectoryFetch:
      return "The address is shown: relays and directory authorities publish their addresses "
             "in the consensus.";
    default:
      return "The address is shown: it belongs to this machine or is not tied to a Tor user.";
  }
}

std::string shown_country(const model::Connection& c) {
  if (hides_address(c.category) && c.category != Category::kInboundClient) return "";
  return ui::sanitize(c.country);
}

std::string shown_remote(const model::Connection& c) {
  const model::Endpoint& r = c.remote;
  // The model scrubs already; this is a second fence so that a slip there
  // still never puts a user's address on screen.
  if (hides_address(c.category) || c.scrubbed) {
    switch (c.category) {
      case Category::kInboundClient:
        return fmt::format("client ({})", c.country.empty() ? "??" : ui::sanitize(c.country));
      case Category::kSocks:
        return "local application";
      case Category::kExit:
      case Category::kDns: {
        std::string range;  // "10.0.0.0/8" for private destinations
        if (r.address.find('/') != std::string::npos) range = ui::sanitize(r.address) + " ";
        std::string port = r.port ? fmt::format("port {}", r.port) : "port ?";
        if (!c.service.empty()) port += fmt::format(" ({})", ui::sanitize(c.service));
        return range + port;
      }
      default:
        // Scrubbed by the model for a reason the UI does not know: show
        // the model's placeholder only if it is not an address.
        if (r.address.find_first_of(".:") == std::string::npos) return ui::sanitize(r.address);
        return "hidden";
    }
  }
  std::string address = ui::sanitize(r.address);
  if (address.find(':') != std::string::npos) address = "[" + address + "]";
  return r.port ? fmt::format("{}:{}", address, r.port) : address;
}

}  // namespace relaymon::panels
