#include "system/lsof_parser.h"

#include "system/endpoint.h"
#include "system/text.h"

namespace relaymon::system {

Sockets parse_lsof(std::string_view output, ParseDiagnostics* diagnostics) {
  Sockets out;
  ParseDiagnostics local;
  ParseDiagnostics& diag = diagnostics ? *diagnostics : local;
  text::for_each_line(output, [&](std::string_view line) {
    if (text::trim(line).empty()) return;
    ++diag.lines;
    auto f = text::split<12>(line);
    if (f.count >= 1 && f.at[0] == "COMMAND") return;  // header
    // Columns left of TYPE are fixed (COMMAND PID USER FD); SIZE/OFF may be
    // blank, so the rest is found from TYPE and the NODE column.
    std::size_t type = 0;
    for (std::size_t k = 3; k < f.count; ++k) {
      if (f.at[k] == "IPv4" || f.at[k] == "IPv6") {
        type = k;
        break;
      }
    }
    if (type == 0) return diag.skip(line);
    std::size_t node = 0;
    for (std::size_t k = type + 1; k < f.count; ++k) {
      if (f.at[k] == "TCP" || f.at[k] == "UDP") {
        node = k;
        break;
      }
    }
    if (node == 0 || node + 1 >= f.count) return diag.skip(line);
    std::string_view protocol = f.at[node] == "TCP" ? "tcp" : "udp";
    std::string_view any = f.at[type] == "IPv4" ? "0.0.0.0" : "::";
    auto pid = text::to_number<int>(f.at[1]);
    if (!pid) return diag.skip(line);

    std::string_view name = f.at[node + 1];
    std::string_view local_text = name;
    std::string_view remote_text;
    if (auto arrow = name.find("->"); arrow != std::string_view::npos) {
      local_text = name.substr(0, arrow);
      remote_text = name.substr(arrow + 2);
    }
    auto local_ep = parse_endpoint(local_text, any);
    if (!local_ep) return diag.skip(line);
    Address remote_ep{std::string(any), 0};
    if (!remote_text.empty()) {
      auto r = parse_endpoint(remote_text, any);
      if (!r) return diag.skip(line);
      remote_ep = std::move(*r);
    }

    std::optional<std::string_view> state;
    if (node + 2 < f.count) {
      std::string_view st = f.at[node + 2];
      if (st.size() < 2 || st.front() != '(' || st.back() != ')') return diag.skip(line);
      state = normalize_state(st.substr(1, st.size() - 2), protocol);
      if (!state) return diag.skip(line);
    } else if (protocol == "udp") {
      state = remote_text.empty() ? std::string_view("UNCONN") : std::string_view("ESTAB");
    } else {
      return diag.skip(line);  // lsof always names a TCP socket's state
    }

    Socket s;
    s.protocol = std::string(protocol);
    s.state = std::string(*state);
    s.local = std::move(*local_ep);
    s.remote = std::move(remote_ep);
    s.pid = pid;
    s.process = std::string(f.at[0]);
    if (type + 1 < node) s.inode = text::to_number<unsigned long>(f.at[type + 1]);
    out.push_back(std::move(s));
  });
  return out;
}

}  // namespace relaymon::system
