#include "model/prometheus_text.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "model/text.h"

namespace relaymon::model {

namespace {

bool name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}
bool name_char(char c) {
  return name_start(c) || (c >= '0' && c <= '9');
}
bool blank(char c) {
  return c == ' ' || c == '\t';
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

void skip_blanks(std::string_view s, std::size_t& i) {
  while (i < s.size() && blank(s[i])) ++i;
}

// A metric name (labels: no ':') at s[i...]; empty when there is none.
std::string_view read_name(std::string_view s, std::size_t& i, bool label) {
  std::size_t start = i;
  if (i >= s.size() || !name_start(s[i]) || (label && s[i] == ':')) return {};
  ++i;
  while (i < s.size() && name_char(s[i]) && !(label && s[i] == ':')) ++i;
  return s.substr(start, i - start);
}

std::string_view read_token(std::string_view s, std::size_t& i) {
  std::size_t start = i;
  while (i < s.size() && !blank(s[i])) ++i;
  return s.substr(start, i - start);
}

std::optional<double> parse_value(std::string_view t) {
  if (t.empty()) return std::nullopt;
  if (iequals(t, "nan")) return std::numeric_limits<double>::quiet_NaN();
  if (iequals(t, "+inf") || iequals(t, "inf")) return std::numeric_limits<double>::infinity();
  if (iequals(t, "-inf")) return -std::numeric_limits<double>::infinity();
  if (t.front() == '+') t.remove_prefix(1);
  // from_chars would also take "nan(...)" and "infinity": only digits here.
  if (t.empty() ||
      !((t.front() >= '0' && t.front() <= '9') || t.front() == '-' || t.front() == '.')) {
    return std::nullopt;
  }
  if (t.front() == '-' && (t.size() < 2 || !((t[1] >= '0' && t[1] <= '9') || t[1] == '.'))) {
    return std::nullopt;
  }
  double v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc{} || end != t.data() + t.size()) return std::nullopt;
  return v;
}

std::optional<std::int64_t> parse_timestamp(std::string_view t) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc{} || end != t.data() + t.size()) return std::nullopt;
  return v;
}

// Unescapes \\ \" \n (label values; HELP has no \" but accepting it is harmless).
std::optional<std::string> unescape(std::string_view raw, bool allow_quote) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\\') {
      out += raw[i];
      continue;
    }
    if (++i == raw.size()) return std::nullopt;
    switch (raw[i]) {
      case '\\':
        out += '\\';
        break;
      case 'n':
        out += '\n';
        break;
      case '"':
        if (!allow_quote) return std::nullopt;
        out += '"';
        break;
      default:
        return std::nullopt;
    }
  }
  return out;
}

std::optional<PromType> parse_type(std::string_view t) {
  if (t == "counter") return PromType::kCounter;
  if (t == "gauge") return PromType::kGauge;
  if (t == "histogram") return PromType::kHistogram;
  if (t == "summary") return PromType::kSummary;
  if (t == "untyped") return PromType::kUntyped;
  return std::nullopt;
}

bool matches(const PromSample& s, const PromMatch& match) {
  for (const auto& [name, value] : match) {
    const std::string* v = s.label(name);
    if (!v || *v != value) return false;
  }
  return true;
}

class Parser {
 public:
  Parser(const PromLimits& limits, PromParse& out) : limits_(limits), out_(out) {}

  // Returns false when the sample limit stops the parse.
  bool line(std::size_t number, std::string_view text) {
    number_ = number;
    if (text.size() > limits_.max_line) return error("line too long"), true;
    std::size_t i = 0;
    skip_blanks(text, i);
    if (i == text.size()) return true;
    if (text[i] == '#') return comment(text.substr(i + 1)), true;
    return sample(text.substr(i));
  }

 private:
  void error(std::string message) {
    ++out_.error_count;
    if (out_.errors.size() < limits_.max_errors)
      out_.errors.push_back({number_, std::move(message)});
  }

  PromFamily& family_named(std::string_view name) {
    auto it = index_.find(std::string(name));
    if (it != index_.end()) return out_.families[it->second];
    index_.emplace(std::string(name), out_.families.size());
    out_.families.push_back(PromFamily{std::string(name), PromType::kUntyped, {}, {}});
    return out_.families.back();
  }

  // "# HELP name text", "# TYPE name type"; any other comment is ignored.
  void comment(std::string_view rest) {
    std::size_t i = 0;
    skip_blanks(rest, i);
    std::string_view keyword = read_token(rest, i);
    if (keyword != "HELP" && keyword != "TYPE") return;
    skip_blanks(rest, i);
    std::string_view name = read_name(rest, i, false);
    if (name.empty() || (i < rest.size() && !blank(rest[i]))) {
      return error(fmt::format("# {}: bad metric name", keyword));
    }
    skip_blanks(rest, i);
    std::string_view tail = rest.substr(i);
    if (keyword == "HELP") {
      auto text = unescape(tail, true);
      if (!text) return error("# HELP: bad escape");
      family_named(name).help = std::move(*text);
      return;
    }
    auto type = parse_type(trim(tail));
    if (!type) return error("# TYPE: unknown type");
    PromFamily& f = family_named(name);
    if (!f.samples.empty()) return error("# TYPE after the family's samples");
    if (typed_.count(std::string(name))) return error("# TYPE repeated");
    typed_.emplace(std::string(name), true);
    f.type = *type;
  }

  // The family a sample belongs to: its own name, or a histogram/summary
  // whose _bucket/_sum/_count it is.
  PromFamily& family_of(std::string_view name) {
    if (index_.count(std::string(name))) return family_named(name);
    for (std::string_view suffix : {"_bucket", "_sum", "_count"}) {
      if (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix) {
        auto it = index_.find(std::string(name.substr(0, name.size() - suffix.size())));
        if (it != index_.end()) {
          PromFamily& f = out_.families[it->second];
          if (f.type == PromType::kHistogram || f.type == PromType::kSummary) return f;
        }
      }
    }
    return family_named(name);
  }

  bool sample(std::string_view text) {
    std::size_t i = 0;
    PromSample s;
    std::string_view name = read_name(text, i, false);
    if (name.empty()) return error("sample: bad metric name"), true;
    s.name = std::string(name);
    skip_blanks(text, i);
    if (i < text.size() && text[i] == '{') {
      ++i;
      if (!labels(text, i, s)) return true;
    }
    skip_blanks(text, i);
    auto value = parse_value(read_token(text, i));
    if (!value) return error("sample: bad value"), true;
    s.value = *value;
    skip_blanks(text, i);
    if (i < text.size()) {
      auto ts = parse_timestamp(read_token(text, i));
      if (!ts) return error("sample: bad timestamp"), true;
      s.timestamp_ms = ts;
      skip_blanks(text, i);
      if (i < text.size()) return error("sample: text after the timestamp"), true;
    }
    if (out_.sample_count >= limits_.max_samples) {
      out_.truncated = true;
      return false;
    }
    ++out_.sample_count;
    family_of(s.name).samples.push_back(std::move(s));
    return true;
  }

  // After "{": label="value" pairs up to "}" (a trailing comma allowed).
  bool labels(std::string_view text, std::size_t& i, PromSample& s) {
    while (true) {
      skip_blanks(text, i);
      if (i < text.size() && text[i] == '}') {
        ++i;
        return true;
      }
      std::string_view lname = read_name(text, i, true);
      if (lname.empty()) return error("label: bad name"), false;
      skip_blanks(text, i);
      if (i >= text.size() || text[i] != '=') return error("label: expected '='"), false;
      ++i;
      skip_blanks(text, i);
      if (i >= text.size() || text[i] != '"') return error("label: expected '\"'"), false;
      std::size_t start = ++i;
      while (i < text.size() && text[i] != '"') i += text[i] == '\\' ? 2 : 1;
      if (i >= text.size()) return error("label: unterminated value"), false;
      auto value = unescape(text.substr(start, i - start), true);
      ++i;
      if (!value) return error("label: bad escape"), false;
      if (s.label(lname)) return error("label: repeated name"), false;
      if (s.labels.size() >= limits_.max_labels) return error("label: too many"), false;
      s.labels.push_back({std::string(lname), std::move(*value)});
      skip_blanks(text, i);
      if (i < text.size() && text[i] == ',') {
        ++i;
        continue;
      }
      if (i < text.size() && text[i] == '}') {
        ++i;
        return true;
      }
      return error("label: expected ',' or '}'"), false;
    }
  }

  const PromLimits& limits_;
  PromParse& out_;
  std::size_t number_ = 0;
  std::unordered_map<std::string, std::size_t> index_;
  std::unordered_map<std::string, bool> typed_;
};

}  // namespace

const std::string* PromSample::label(std::string_view name) const {
  for (const auto& l : labels) {
    if (l.name == name) return &l.value;
  }
  return nullptr;
}

const PromFamily* PromParse::family(std::string_view name) const {
  for (const auto& f : families) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const PromSample* PromParse::find(std::string_view name, const PromMatch& match) const {
  for (const auto& f : families) {
    for (const auto& s : f.samples) {
      if (s.name == name && matches(s, match)) return &s;
    }
  }
  return nullptr;
}

std::optional<double> PromParse::value(std::string_view name, const PromMatch& match) const {
  const PromSample* s = find(name, match);
  if (!s) return std::nullopt;
  return s->value;
}

std::optional<double> PromParse::sum(std::string_view name, const PromMatch& match) const {
  std::optional<double> total;
  for (const auto& f : families) {
    for (const auto& s : f.samples) {
      if (s.name == name && matches(s, match)) total = total.value_or(0) + s.value;
    }
  }
  return total;
}

PromParse parse_prometheus_text(std::string_view text, const PromLimits& limits) {
  PromParse out;
  Parser parser(limits, out);
  std::size_t number = 0;
  for_each_line(text, [&](std::string_view line) { return parser.line(++number, line); });
  return out;
}

std::string_view to_string(PromType type) {
  switch (type) {
    case PromType::kCounter:
      return "counter";
    case PromType::kGauge:
      return "gauge";
    case PromType::kHistogram:
      return "histogram";
    case PromType::kSummary:
      return "summary";
    case PromType::kUntyped:
      break;
  }
  return "untyped";
}

}  // namespace relaymon::model
