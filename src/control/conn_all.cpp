#include "control/conn_all.h"

#include "text/text.h"

namespace relaymon::control {

std::vector<ConnAllEntry> parse_conn_all(std::string_view data, int* skipped) {
  std::vector<ConnAllEntry> out;
  int bad = 0;
  std::vector<std::string_view> w;
  text::for_each_line(data, [&](std::string_view line) {
    text::split_words(line, w);
    if (w.empty()) return;
    ConnAllEntry e;
    auto port = text::to_number<std::uint16_t>(w.size() > 4 ? w[4] : "");
    auto local_port = text::to_number<std::uint16_t>(w.size() > 5 ? w[5] : "");
    auto read = text::to_number<std::uint64_t>(w.size() > 7 ? w[7] : "");
    auto written = text::to_number<std::uint64_t>(w.size() > 8 ? w[8] : "");
    auto uptime = text::to_number<std::uint64_t>(w.size() > 9 ? w[9] : "");
    if (w.size() < 10 || !port || !local_port || !read || !written || !uptime) {
      ++bad;
      return;
    }
    e.conn_id = w[0];
    e.circ_id = w[1];
    e.or_id = w[2];
    e.ip = w[3];
    e.port = *port;
    e.local_port = *local_port;
    e.flags = w[6];
    e.read = *read;
    e.written = *written;
    e.uptime = *uptime;
    out.push_back(std::move(e));
  });
  if (skipped) *skipped = bad;
  return out;
}

}  // namespace relaymon::control
