#include "system/netstat_parser.h"

#include "system/endpoint.h"
#include "system/text.h"

namespace relaymon::system {

Sockets parse_netstat(std::string_view output, ParseDiagnostics* diagnostics) {
  Sockets out;
  ParseDiagnostics local;
  ParseDiagnostics& diag = diagnostics ? *diagnostics : local;
  bool in_unix_section = false;
  text::for_each_line(output, [&](std::string_view line) {
    if (in_unix_section || text::trim(line).empty()) return;
    ++diag.lines;
    if (text::starts_with(line, "Active UNIX") || text::starts_with(line, "Active Bluetooth")) {
      in_unix_section = true;
      return;
    }
    if (text::starts_with(line, "Active ") || text::starts_with(line, "Proto ")) return;
    auto f = text::split<6>(line, 5);
    std::string_view proto = f.at[0];
    std::string_view protocol;
    if (proto == "tcp" || proto == "tcp6") {
      protocol = "tcp";
    } else if (proto == "udp" || proto == "udp6" || proto == "udpl" || proto == "udpl6") {
      protocol = "udp";
    } else if (proto == "raw" || proto == "raw6") {
      return;  // not a socket tor makes
    } else {
      return diag.skip(line);
    }
    if (f.count < 5) return diag.skip(line);
    auto recv_q = text::to_number<std::uint64_t>(f.at[1]);
    auto send_q = text::to_number<std::uint64_t>(f.at[2]);
    auto local_ep = parse_endpoint(f.at[3]);
    auto remote_ep = parse_endpoint(f.at[4]);
    if (!recv_q || !send_q || !local_ep || !remote_ep) return diag.skip(line);

    // What follows is "[STATE] [PID/Program name]"; the state is absent on
    // unconnected UDP rows, and the program name may contain blanks.
    std::string_view rest = f.rest;
    std::string_view first = text::split<1>(rest).at[0];
    std::optional<std::string_view> state;
    if (!first.empty() && first != "-" && first.find('/') == std::string_view::npos) {
      state = normalize_state(first, protocol);
      if (!state) return diag.skip(line);
      rest = text::trim(rest.substr(first.size()));
    } else if (protocol == "udp") {
      state = std::string_view("UNCONN");
    } else {
      return diag.skip(line);  // a TCP row always has a state
    }

    Socket s;
    s.protocol = std::string(protocol);
    s.state = std::string(*state);
    s.local = std::move(*local_ep);
    s.remote = std::move(*remote_ep);
    if (!rest.empty() && rest != "-") {
      auto slash = rest.find('/');
      if (slash == std::string_view::npos) return diag.skip(line);
      auto pid = text::to_number<int>(rest.substr(0, slash));
      if (!pid) return diag.skip(line);
      s.pid = pid;
      s.process = std::string(text::trim(rest.substr(slash + 1)));
    }
    out.push_back(std::move(s));
  });
  return out;
}

}  // namespace relaymon::system
