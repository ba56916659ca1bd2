// Label values in the /metrics text: a hostile control port can name its
// relay anything, and Prometheus rejects a whole scrape over one invalid
// UTF-8 byte or one bad escape. Every value comes out valid UTF-8 with
// only the three escapes the text format knows.
#include <catch2/catch.hpp>
#include <regex>

#include "export/metrics_text.h"
#include "text/utf8.h"
#include "export/prometheus_text.h"


using namespace relaymon;
using namespace relaymon::exporter;

namespace {

const std::string kFffd = "\xEF\xBF\xBD";

bool valid_utf8(std::string_view s) {
  return text::is_valid_utf8(s);
}

}  // namespace

TEST_CASE("label values: invalid UTF-8 becomes U+FFFD, one per bad byte", "[metrics]") {
  CHECK(prometheus_label_value("relay\xff") == "relay" + kFffd);
  CHECK(prometheus_label_value("\xc0\xaf") == kFffd + kFffd);                    // overlong '/'
  CHECK(prometheus_label_value("\xed\xa0\x80") == kFffd + kFffd + kFffd);        // surrogate
  CHECK(prometheus_label_value("cut\xe2\x82") == "cut" + kFffd + kFffd);         // truncated
  CHECK(prometheus_label_value("\xf5\x80\x80\x80").size() == 4 * kFffd.size());  // > U+10FFFF
  // Valid multi-byte text passes unchanged.
  CHECK(prometheus_label_value("R\xc3\xa9lais\xe2\x82\xac\xf0\x9f\x90\xa7") ==
        "R\xc3\xa9lais\xe2\x82\xac\xf0\x9f\x90\xa7");
}

TEST_CASE("label values: the text format's escapes, and no control characters", "[metrics]") {
  CHECK(prometheus_label_value(R"(a\b)") == R"(a\\b)");
  CHECK(prometheus_label_value(R"(say "hi")") == R"(say \"hi\")");
  CHECK(prometheus_label_value("two\nlines") == R"(two\nlines)");
  CHECK(prometheus_label_value("\x1b]0;owned\x07") == kFffd + "]0;owned" + kFffd);
  CHECK(prometheus_label_value("cr\r") == "cr" + kFffd);
  CHECK(prometheus_label_value("del\x7f") == "del" + kFffd);
  CHECK(prometheus_label_value("c1\xc2\x9b") == "c1" + kFffd);  // U+009B, CSI
  CHECK(prometheus_label_value("").empty());
}

TEST_CASE("rendered metrics stay valid UTF-8 with a hostile nickname", "[metrics]") {
  exporter::MetricsRelay r;
  r.label = "bad\xff\xfe\"\\\n\x1b[2Jname";
  r.collected = true;
  std::string text = render_metrics({r});
  CHECK(valid_utf8(text));
  std::string expected_label = "relay=\"bad" + kFffd + kFffd + "\\\"\\\\\\n" + kFffd + "[2Jname\"";
  CHECK_THAT(text, Catch::Contains("relaymon_up{" + expected_label + "} 0"));
  // Every sample line: name{label="value",...} number, with only valid escapes.
  static const std::regex sample(
      R"(^[a-zA-Z_:][a-zA-Z0-9_:]*\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*",?)*\} [-0-9.e+]+$)");
  std::size_t start = 0;
  int samples = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    std::string line = text.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line[0] == '#') continue;
    INFO(line);
    CHECK(std::regex_match(line, sample));
    ++samples;
  }
  CHECK(samples > 10);
}
