#include "control/framing.h"

#include <fmt/format.h>

#include <cctype>

namespace relaymon::control {

namespace {

std::string printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 60)) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) {
      out += c;
    } else {
      out += fmt::format("\\x{:02x}", u);
    }
  }
  if (text.size() > 60) out += "...";
  return out;
}

}  // namespace

bool ReplyFramer::idle() const {
  return partial_.empty() && reply_.reply.lines.empty() && event_.reply.lines.empty();
}

std::optional<FramingError> ReplyFramer::feed(std::string_view bytes, std::vector<Reply>& out) {
  if (failed_) return failed_;
  while (!bytes.empty()) {
    auto newline = bytes.find('\n');
    if (newline == std::string_view::npos) {
      if (partial_.size() + bytes.size() > limits_.max_line + 1) {
        failed_ =
            FramingError{fmt::format("line longer than {} bytes without CRLF", limits_.max_line)};
        return failed_;
      }
      partial_.append(bytes);
      return std::nullopt;
    }
    std::string_view piece = bytes.substr(0, newline);
    bytes.remove_prefix(newline + 1);
    std::string joined;
    std::string_view line = piece;
    if (!partial_.empty()) {
      joined = std::move(partial_);
      partial_.clear();
      joined.append(piece);
      line = joined;
    }
    if (line.empty() || line.back() != '\r') {
      failed_ = FramingError{fmt::format("line not terminated by CRLF: \"{}\"", printable(line))};
      return failed_;
    }
    line.remove_suffix(1);
    if (line.size() > limits_.max_line) {
      failed_ = FramingError{fmt::format("line longer than {} bytes", limits_.max_line)};
      return failed_;
    }
    if (auto error = take_line(line, out)) {
      failed_ = error;
      return failed_;
    }
  }
  return std::nullopt;
}

std::optional<FramingError> ReplyFramer::grow(Pending& pending, std::size_t bytes) {
  pending.size += bytes;
  if (pending.size > limits_.max_reply) {
    return FramingError{fmt::format("reply larger than {} bytes", limits_.max_reply)};
  }
  return std::nullopt;
}

std::optional<FramingError> ReplyFramer::take_data_line(Pending& pending, std::string_view line,
                                                        std::vector<Reply>& out) {
  (void)out;
  if (line == ".") {
    pending.in_data = false;
    return std::nullopt;
  }
  if (!line.empty() && line.front() == '.') line.remove_prefix(1);  // dot-unstuffing
  if (auto error = grow(pending, line.size() + 1)) return error;
  std::string& data = pending.reply.lines.back().data;
  data.append(line);
  data.push_back('\n');
  return std::nullopt;
}

std::optional<FramingError> ReplyFramer::take_line(std::string_view line, std::vector<Reply>& out) {
  // A data block belongs to whichever reply opened it; nothing interleaves
  // inside a data block.
  if (reply_.in_data) return take_data_line(reply_, line, out);
  if (event_.in_data) return take_data_line(event_, line, out);

  bool well_formed = line.size() >= 4 && std::isdigit(static_cast<unsigned char>(line[0])) &&
                     std::isdigit(static_cast<unsigned char>(line[1])) &&
                     std::isdigit(static_cast<unsigned char>(line[2])) &&
                     (line[3] == ' ' || line[3] == '-' || line[3] == '+') && line[0] >= '1' &&
                     line[0] <= '6';
  if (!well_formed) {
    return FramingError{fmt::format("malformed reply line: \"{}\"", printable(line))};
  }
  ReplyLine parsed;
  parsed.code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  parsed.separator = line[3];
  parsed.text = std::string(line.substr(4));

  Pending& pending = parsed.code == 650 ? event_ : reply_;
  if (auto error = grow(pending, line.size() + 2)) return error;
  char separator = parsed.separator;
  pending.reply.lines.push_back(std::move(parsed));
  if (separator == '+') {
    pending.in_data = true;
  } else if (separator == ' ') {
    out.push_back(std::move(pending.reply));
    pending = Pending{};
  }
  return std::nullopt;
}

}  // namespace relaymon::control
